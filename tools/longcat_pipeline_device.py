"""LongCat-Video's pipeline end to end at full size on one GPU, **random weights** (13.6B DiT and Wan2.1 VAE in bf16;
random text embeddings in place of UMT5-XXL): `LongCatPipeline(...)(video=..., num_cond_frames=..., method=...)`
continues a random 480x832 video by one segment: VAE encode of the conditioning frames (DiT parked in host memory),
the conditioning pass filling the cache through `kq.enable_kv_cache`, `STEPS` CFG denoising steps over
[cache ; new], the streamed VAE decode (DiT parked again). Per method: stored vs BF16 K/V, `pipe(...)` peak and the
rollout's against the floor (BF16's rollout peak - BF16 K/V + stored K/V), the fastest of its steps against BF16's, side by
side in one run. `setup` qvg = QVG's benchmark (73 conditioning frames = 19 latents, 93 frames a segment), upstream =
upstream's default (13 conditioning frames, 93 a segment). Rows are saved as each finishes; BF16 runs first.

    python tools/longcat_pipeline_device.py OUT_DIR SETUP [method ...]
"""
import json, sys, time
from pathlib import Path
import numpy as np, torch
import kvquant_nb.methods
from kvquant_nb.longcat_pipeline import LongCatPipeline

out, setup, methods = Path(sys.argv[1]), sys.argv[2], sys.argv[3:] or ['BF16', 'QVG_INT2', 'RTN_INT4']
if methods[0] != 'BF16': sys.exit('the first method must be BF16 (the reference)')
NC = {'qvg': 73, 'upstream': 13}[setup]
NF, H, W, STEPS = 93, 480, 832, 4
out.mkdir(parents=True, exist_ok=True)
from diffusers import AutoencoderKLWan
with torch.random.fork_rng(devices=[]):
    torch.manual_seed(0); vae = torch.nn.Module.to(AutoencoderKLWan(), torch.bfloat16).eval()       # Wan2.1's config, random
pipe = LongCatPipeline.transformer_only(device='cuda', vae=vae, steps=STEPS, enhance_hf=False)
g = torch.Generator().manual_seed(0)
video = (torch.rand(NC, H, W, 3, generator=g) * 255).to(torch.uint8).numpy()
emb = torch.randn(2, 512, 4096, generator=g).bfloat16().cuda()
mask = torch.ones(2, 512, dtype=torch.long, device='cuda'); mask[0, 1:] = 0; mask[1, 300:] = 0
weights_gb = sum(p.nbytes for p in pipe.transformer.parameters()) / 1e9
rows, dev, path = [], torch.cuda.get_device_name(), out / f'longcat_pipeline_{setup}.json'
for mid in methods:
    torch.cuda.empty_cache()
    o = pipe('random', NF, mid, 0, video=video, num_cond_frames=NC, prompt_embeds=(emb, mask), keep_frames=True)
    seg, s = o.stats['segments'][-1], o.stats
    row = dict(method=mid, kv_bf16_gb=s['kv_bf16_bytes'] / 1e9, kv_stored_gb=s['kv_stored_bytes'] / 1e9,
               compression=s['compression_ratio'], pipe_peak_gb=s['peak_vram_gb'], rollout_peak_gb=seg['rollout_peak_gb'],
               encode_peak_gb=seg['encode_peak_gb'], decode_peak_gb=seg['decode_peak_gb'], runtime_s=s['runtime_s'],
               encode_s=seg['encode_s'], cache_s=seg['cache_s'], step_s=min(seg['steps_s']), steps_s=seg['steps_s'], decode_s=seg['decode_s'],
               video_frames=s['video_frames'], frames_finite=bool(np.isfinite(o.frames.astype(float)).all()),
               new_latents_rel_diff=None)
    lat = o.latents.float()
    if not rows: ref = lat
    row['new_latents_rel_diff'] = ((lat - ref).norm() / ref.norm()).item()
    rows.append(row)
    bf = rows[0]
    for r in rows:
        r['floor_gb'] = bf['rollout_peak_gb'] - bf['kv_bf16_gb'] + r['kv_stored_gb']
        r['rollout_vs_floor'], r['pipe_vs_floor'] = r['rollout_peak_gb'] / r['floor_gb'], r['pipe_peak_gb'] / r['floor_gb']
        r['step_vs_bf16'], r['runtime_vs_bf16'] = r['step_s'] / bf['step_s'], r['runtime_s'] / bf['runtime_s']
    path.write_text(json.dumps(dict(
        device=dev, date=time.strftime('%Y-%m-%d'), torch=torch.__version__, weights='random (DiT, VAE, text embeddings)',
        model='LongCat-Video 13.6B (kvquant_nb.longcat_pipeline, bf16) + AutoencoderKLWan (Wan2.1 config, bf16)',
        weights_gb=weights_gb, setup=dict(name=setup, num_cond_frames=NC, num_frames=NF, height=H, width=W, steps=STEPS,
                                          guidance='CFG-zero*, batch 2', text_tokens=512, segments=1),
        command=f'python tools/longcat_pipeline_device.py OUT {setup} ' + ' '.join(methods), rows=rows), indent=1))
    print(f"{mid:>22} kv {row['kv_stored_gb']:6.2f}/{row['kv_bf16_gb']:6.2f} GB x{row['compression']:.2f} pipe {row['pipe_peak_gb']:6.2f} "
          f"rollout {row['rollout_peak_gb']:6.2f} (floor x{row['rollout_vs_floor']:.3f}) enc {row['encode_peak_gb']:5.2f} "
          f"dec {row['decode_peak_gb']:5.2f} | step {row['step_s']:5.2f} s x{row['step_vs_bf16']:.3f} cache {row['cache_s']:5.2f} "
          f"enc {row['encode_s']:5.1f} dec {row['decode_s']:5.1f} total {row['runtime_s']:6.1f} | diff {row['new_latents_rel_diff']:.4f}", flush=True)
