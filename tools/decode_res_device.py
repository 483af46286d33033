"""Issue 30 on one GPU, **random weights**: the 1.3B model's `pipe(...)` at several resolutions with the decode that
stays under the rollout. Per resolution, first each decode mode alone (`whole`, `parked`, `tiles`) on the same
random latents with the transformer parked in host memory, through `vae_frames` as `pipe(...)` decodes (its uint8
conversion included), in the model's blocks of latent frames: the peak above what is resident, seconds per latent
frame, and each mode's uint8 frames against the whole-frame decode's (max |diff|). Then, per method,
`pipe(..., decode_mode=PEAKS)` over 81 frames, PEAKS being the decode peaks just measured: the pipeline picks, after
its rollout, the first mode whose decode peak is at or under the rollout's measured peak; rollout peak, `pipe(...)`
peak, the mode, decode seconds (an out-of-memory run is recorded as such). `wan22` measures the three modes for
Wan2.2's VAE (LongLive 2.0 / WorldPlay) at 704x1280 in blocks of `--chunk` (8, LongLive's). Rows are merged into
OUT_DIR/decode_res_<device>.json by key, so the parts can run in separate calls.

    python tools/decode_res_device.py OUT_DIR [HxW ... | vae:HxW ... | wan22] [--methods M ...] [--frames 81] [--latents 9] [--chunk 8]

`vae:HxW` measures the decode modes alone (the Wan2.1 VAE only: no transformer, no rollout).
"""
import argparse, json, time
from pathlib import Path
import numpy as np, torch
import kvquant_nb.methods
from kvquant_nb.benchmarks import wan_vae, device_name, slug
from kvquant_nb.model import WAN_1_3B
from kvquant_nb.pipeline import SelfForcingPipeline
from kvquant_nb.video import stream_decoder, vae_frames
from kvquant_nb.wan22 import wan22_vae

ap = argparse.ArgumentParser()
ap.add_argument('out'); ap.add_argument('sizes', nargs='*', default=['320x576', '480x832', '720x1280', '1088x1920'])
ap.add_argument('--methods', nargs='*', default=['BF16', 'RTN_INT4', 'RTN_INT2', 'KIVI_INT2', 'QVG_INT2'])
ap.add_argument('--frames', type=int, default=81); ap.add_argument('--latents', type=int, default=9)
ap.add_argument('--chunk', type=int, default=8, help="Wan2.2's decode block (LongLive: 8 latent frames; WorldPlay: 4)")
a = ap.parse_args()
for s in a.sizes:
    s = s.removeprefix('vae:')
    if s != 'wan22' and (len(s.split('x')) != 2 or any(int(v) % 16 for v in s.split('x'))): ap.error(f'size {s!r}: HxW, both multiples of 16')
out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
path = out / f"decode_res_{slug(device_name())}.json"
res = json.loads(path.read_text()) if path.exists() else {'decode': [], 'pipe': []}
res.update(device=device_name(), date=time.strftime('%Y-%m-%d'), torch=torch.__version__, weights='random (transformer, VAE, text embeddings)')
GB = 1e9

def put(kind, row, key):
    "Merge `row` into res[kind] by `key` (a rerun replaces its own rows) and save."
    res[kind] = [r for r in res[kind] if tuple(r.get(k) for k in key) != tuple(row[k] for k in key)] + [row]
    path.write_text(json.dumps(res, indent=1)); print(row, flush=True)

def decode_modes(vae, shape, label, height, width, chunk):
    "Each mode alone on the same latents through `vae_frames`: peak above the resident, s per latent frame, uint8 frames vs whole's."
    z = torch.randn(shape, generator=torch.Generator().manual_seed(0)).cuda()
    ref, peaks = None, {}
    for mode in ('whole', 'parked', 'tiles'):
        torch.cuda.empty_cache(); torch.cuda.synchronize(); torch.cuda.reset_peak_memory_stats()
        base, dec = torch.cuda.memory_allocated(), stream_decoder(vae, mode)
        t0 = time.perf_counter()
        frames = np.concatenate([vae_frames(vae, z[:, :, i:i + chunk], dec, 'cuda') for i in range(0, shape[2], chunk)])
        torch.cuda.synchronize(); s = time.perf_counter() - t0
        caches = [dec.cache] if mode == 'parked' else list(dec.tiles.values()) if mode == 'tiles' else []
        if ref is None: ref = frames
        row = dict(vae=label, height=height, width=width, mode=mode, latent_frames=shape[2], chunk=chunk, resident_gb=base / GB,
                   peak_above_gb=(torch.cuda.max_memory_allocated() - base) / GB, s_per_latent=s / shape[2],
                   host_cache_gb=sum(c.nbytes for c in caches) / GB,
                   max_abs_uint8_vs_whole=int(np.abs(frames.astype(int) - ref.astype(int)).max()))
        put('decode', row, ('vae', 'height', 'width', 'mode'))
        peaks[mode] = row['resident_gb'] + row['peak_above_gb']
        del dec
    return peaks

for size in a.sizes:
    if size == 'wan22':
        vae = wan22_vae(0, device='cuda')
        decode_modes(vae, (1, 48, max(a.latents // a.chunk, 1) * a.chunk + a.chunk, 44, 80), 'wan2.2', 704, 1280, a.chunk)
        del vae; torch.cuda.empty_cache(); continue
    if size.startswith('vae:'):                                          # the decode modes alone: no transformer
        H, W = map(int, size[4:].split('x'))
        vae = wan_vae(torch.bfloat16, 'cuda', 0)
        decode_modes(vae, (1, 16, a.latents, H // 8, W // 8), 'wan2.1', H, W, 3)
        del vae; torch.cuda.empty_cache(); continue
    H, W = map(int, size.split('x'))
    pipe = SelfForcingPipeline.transformer_only({**WAN_1_3B, 'latent_height': H // 8, 'latent_width': W // 8}, device='cuda')
    pipe.vae = wan_vae(torch.bfloat16, 'cuda', 0)
    text = torch.randn(1, 512, WAN_1_3B['text_dim'], generator=torch.Generator().manual_seed(0)).cuda().bfloat16()
    pipe.encode_prompt = lambda prompt: text
    pipe('warm-up', 9, 'BF16', keep_frames=False, check_memory=False, decode_mode='whole')   # also makes pipe._offload
    pipe._offload.offload(); torch.cuda.empty_cache()                                        # parked as pipe(...) parks it
    peaks = decode_modes(pipe.vae, (1, 16, a.latents, H // 8, W // 8), 'wan2.1', H, W, 3)
    pipe._offload.restore('cuda')
    for mid in a.methods:
        torch.cuda.empty_cache()
        row = dict(height=H, width=W, method=mid, num_frames=a.frames, whole_decode_peak_gb=peaks['whole'],
                   tokens_per_frame=pipe.transformer.tokens_per_frame, weights_gb=sum(p.nbytes for p in pipe.transformer.parameters()) / GB,
                   vae_weights_gb=sum(p.nbytes for p in pipe.vae.parameters()) / GB)
        try:
            s = pipe('bench', a.frames, mid, keep_frames=False, check_memory=False, decode_mode=peaks).stats
            row.update(decode_mode=s['decode_mode'], rollout_peak_gb=s['rollout_peak_vram_gb'], pipe_peak_gb=s['peak_vram_gb'],
                       pipe_vs_rollout=s['peak_vram_gb'] / s['rollout_peak_vram_gb'], runtime_s=s['runtime_s'], decode_s=s['decode_s'],
                       kv_stored_gb=s['kv_stored_bytes'] / GB, kv_bf16_gb=s['kv_bf16_bytes'] / GB,
                       rollout_end_gb=s.get('rollout_end_vram_gb'), decode_resident_gb=s.get('decode_resident_vram_gb'))   # where a pipe peak above the rollout's comes from
        except (torch.OutOfMemoryError, MemoryError) as e:
            row.update(error=f'out of memory: {str(e)[:200]}'); torch.cuda.empty_cache()
        put('pipe', row, ('height', 'width', 'method'))
    del pipe; torch.cuda.empty_cache()
