"""LongLive 2.0's `pipe(...)` end to end at full size on one GPU, **random weights** (the 5B causal transformer and
Wan2.2's VAE, `kvquant_nb.wan22.WAN22_VAE`, in bf16; random text embeddings in place of UMT5): 704x1280, LongLive's
window (32 attended, 8 sinks), its UniPC at 4 steps, the rollout then the streamed decode with the transformer parked in
host memory. Per method, each decode mode side by side (`whole`, `parked`, `tiles`): `pipe(...)` peak against the
rollout's, decode seconds, the frames' difference from the whole-frame decode's. Rows are saved as each finishes.

    python tools/longlive_pipe_device.py OUT_DIR NUM_FRAMES [method ...]

NUM_FRAMES = 1 + 4 (latent frames - 1): 157 = 40 latent frames, 5 blocks (the window fills after 4).
"""
import json, sys, time
from pathlib import Path
import numpy as np, torch
import kvquant_nb.methods
from kvquant_nb.longlive import LongLivePipeline
from kvquant_nb.wan22 import WAN22_5B, WAN22_VAE, wan22_vae

out, NF, methods = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3:] or ['BF16', 'NVFP4_KV', 'KIVI_INT2']
out.mkdir(parents=True, exist_ok=True)
pipe = LongLivePipeline.transformer_only(WAN22_5B, device='cuda')
pipe.vae = wan22_vae(0, device='cuda')
text = torch.randn(1, 512, pipe.transformer.config.text_dim, generator=torch.Generator().manual_seed(0)).cuda().bfloat16()
pipe.encode_prompt = lambda prompt: text                    # random weights: no UMT5 here
weights_gb = sum(p.nbytes for p in pipe.transformer.parameters()) / 1e9
vae_gb = sum(p.nbytes for p in pipe.vae.parameters()) / 1e9
pipe('warm-up', 29, 'BF16', keep_frames=False)              # one block: kernels, allocator
rows, dev, t0 = [], torch.cuda.get_device_name(), time.time()
for mid in methods:
    frames = {}
    for mode in ('whole', 'parked', 'tiles'):
        torch.cuda.empty_cache()
        o = pipe('bench', NF, mid, seed=0, keep_frames=True, decode_mode=mode)
        s, frames[mode] = o.stats, np.stack(o.frames)
        rows.append(dict(method=mid, decode_mode=s['decode_mode'], pipe_peak_gb=s['peak_vram_gb'],
                         rollout_peak_gb=s['rollout_peak_vram_gb'], pipe_vs_rollout=s['peak_vram_gb'] / s['rollout_peak_vram_gb'],
                         kv_stored_gb=max(r['kv_stored_bytes'] for r in o.trace) / 1e9, kv_bf16_gb=max(r['kv_bf16_bytes'] for r in o.trace) / 1e9,
                         runtime_s=s['runtime_s'], decode_s=s['decode_s'], video_frames=s['video_frames'],
                         block_s=[round(r['time_s'], 3) for r in o.trace]))
        rows[-1]['max_abs_vs_whole'] = int(np.abs(frames[mode].astype(int) - frames['whole'].astype(int)).max())
        print({k: (round(v, 3) if isinstance(v, float) else v) for k, v in rows[-1].items()}, f'{time.time() - t0:.0f} s', flush=True)
        (out / f'longlive_pipe_{NF}.json').write_text(json.dumps(dict(
            device=dev, date=time.strftime('%Y-%m-%d'), torch=torch.__version__, weights='random (transformer, VAE, text embeddings)',
            model='Wan2.2-TI2V-5B causal (kvquant_nb.wan22.WAN22_5B) + AutoencoderKLWan (WAN22_VAE), bf16', weights_gb=weights_gb,
            vae_weights_gb=vae_gb, setup=dict(num_frames=NF, height=704, width=1280, window='32 attended, 8 sinks', steps=4, shift=5.0),
            command=f'python tools/longlive_pipe_device.py OUT {NF} ' + ' '.join(methods), rows=rows), indent=1))
