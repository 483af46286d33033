"""Issue 30 on one GPU, **random weights**: the 1.3B model's `pipe(...)` at several resolutions with the decode that
stays under the rollout. Per resolution, first each decode mode alone (`whole`, `parked`, `tiles`) on the same
random latents with the transformer parked in host memory, as `pipe(...)` decodes: the peak above what is resident,
seconds per latent frame, and each mode's frames against the whole-frame decode's (max |diff| of the decoder's bf16
output and of the uint8 frames). Then, per method, `pipe(..., decode_mode=PEAKS)` over 81 frames, PEAKS being the
decode peaks just measured: the pipeline picks, after its rollout, the first mode whose decode peak is at or under
the rollout's measured peak; rollout peak, `pipe(...)` peak, the mode, decode seconds. `wan22` also measures the
three modes for Wan2.2's VAE (LongLive 2.0 / WorldPlay) at 704x1280. Rows are saved as each finishes.

    python tools/decode_res_device.py OUT_DIR [HxW ... | wan22] [--methods M ...] [--frames 81] [--latents 9]
"""
import argparse, json, time
from pathlib import Path
import torch
import kvquant_nb.methods
from kvquant_nb.benchmarks import wan_vae, device_name
from kvquant_nb.model import WAN_1_3B
from kvquant_nb.pipeline import SelfForcingPipeline
from kvquant_nb.video import PinnedOffload, stream_decoder
from kvquant_nb.wan22 import wan22_vae

ap = argparse.ArgumentParser()
ap.add_argument('out'); ap.add_argument('sizes', nargs='*', default=['320x576', '480x832', '720x1280', '1088x1920'])
ap.add_argument('--methods', nargs='*', default=['BF16', 'RTN_INT4', 'RTN_INT2', 'KIVI_INT2', 'QVG_INT2'])
ap.add_argument('--frames', type=int, default=81); ap.add_argument('--latents', type=int, default=9)
a = ap.parse_args()
out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
res = {'device': device_name(), 'gpu': torch.cuda.get_device_name(), 'date': time.strftime('%Y-%m-%d'), 'torch': torch.__version__,
       'weights': 'random (transformer, VAE, text embeddings)', 'command': 'python tools/decode_res_device.py OUT ' + ' '.join(a.sizes),
       'decode': [], 'pipe': []}
def save(): (out / f"decode_res_{res['device']}.json").write_text(json.dumps(res, indent=1))
GB = 1e9

def decode_modes(vae, shape, label, height, width, parked=None):
    "Each mode alone on the same latents: peak above the resident, s per latent frame, frames vs whole's."
    z = torch.randn(shape, generator=torch.Generator().manual_seed(0)).cuda().to(vae.dtype)
    ref = None
    for mode in ('whole', 'parked', 'tiles'):
        torch.cuda.empty_cache(); torch.cuda.synchronize(); torch.cuda.reset_peak_memory_stats()
        base, dec, got = torch.cuda.memory_allocated(), stream_decoder(vae, mode), []
        t0 = time.perf_counter()
        for i in range(0, shape[2], 3): got.append(dec(z[:, :, i:i + 3]).cpu())
        torch.cuda.synchronize(); s = time.perf_counter() - t0
        row = dict(vae=label, height=height, width=width, mode=mode, latent_frames=shape[2], resident_gb=base / GB,
                   peak_above_gb=(torch.cuda.max_memory_allocated() - base) / GB, s_per_latent=s / shape[2],
                   host_cache_gb=sum(t.nbytes for h in ([dec.host] if mode == 'parked' else dec.host.values() if mode == 'tiles' else []) for t in h.values()) / GB)
        v = torch.cat(got, 2)
        if ref is None: ref = v
        row['max_abs_vs_whole'] = (v.float() - ref.float()).abs().max().item()
        u8 = lambda x: ((x.float() * 0.5 + 0.5).clamp(0, 1) * 255).round()
        row['max_abs_uint8_vs_whole'] = int((u8(v) - u8(ref)).abs().max().item())
        res['decode'].append(row); save(); print(row, flush=True)
        del dec, got, v
    return {r['mode']: r['resident_gb'] + r['peak_above_gb'] for r in res['decode'] if r['vae'] == label and r['height'] == height and r['width'] == width}

for size in a.sizes:
    if size == 'wan22':
        vae = wan22_vae(0, device='cuda')
        decode_modes(vae, (1, 48, a.latents, 44, 80), 'wan2.2', 704, 1280)
        del vae; torch.cuda.empty_cache(); continue
    H, W = map(int, size.split('x'))
    pipe = SelfForcingPipeline.transformer_only({**WAN_1_3B, 'latent_height': H // 8, 'latent_width': W // 8}, device='cuda')
    pipe.vae = wan_vae(torch.bfloat16, 'cuda', 0)
    text = torch.randn(1, 512, WAN_1_3B['text_dim'], generator=torch.Generator().manual_seed(0)).cuda().bfloat16()
    pipe.encode_prompt = lambda prompt: text
    pipe('warm-up', 9, 'BF16', keep_frames=False, check_memory=False, decode_mode='whole')
    off = PinnedOffload(pipe.transformer); off.offload()
    peaks = decode_modes(pipe.vae, (1, 16, a.latents, H // 8, W // 8), 'wan2.1', H, W)
    off.restore('cuda')
    for mid in a.methods:
        torch.cuda.empty_cache()
        o = pipe('bench', a.frames, mid, keep_frames=False, check_memory=False, decode_mode=peaks)
        s = o.stats
        row = dict(height=H, width=W, method=mid, num_frames=a.frames, decode_mode=s['decode_mode'], rollout_peak_gb=s['rollout_peak_vram_gb'],
                   pipe_peak_gb=s['peak_vram_gb'], pipe_vs_rollout=s['peak_vram_gb'] / s['rollout_peak_vram_gb'],
                   whole_decode_peak_gb=peaks['whole'], runtime_s=s['runtime_s'], decode_s=s['decode_s'],
                   kv_stored_gb=s['kv_stored_bytes'] / GB, kv_bf16_gb=s['kv_bf16_bytes'] / GB, weights_gb=sum(p.nbytes for p in pipe.transformer.parameters()) / GB,
                   vae_weights_gb=sum(p.nbytes for p in pipe.vae.parameters()) / GB, tokens_per_frame=pipe.transformer.tokens_per_frame)
        res['pipe'].append(row); save(); print(row, flush=True)
    del pipe, off; torch.cuda.empty_cache()
