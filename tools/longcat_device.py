"""LongCat-Video's DiT at full size on one GPU (13.6B **random** weights, bf16): QVG's video-continuation benchmark
shape (73 conditioning frames = 19 latent frames at 480x832, 20 new frames = 5 latents, CFG batch 2). Per method the
conditioning pass fills the cache through `kq.enable_kv_cache` (QVG with the whole window as one span, as its release
quantizes it), then denoising steps attend over [cache ; new]: stored vs BF16 K/V, the allocator peak against the
floor (BF16 peak - BF16 K/V + stored K/V), time per step against BF16's, and the output's difference from BF16's.
Methods run in the order given (BF16 first); each row is saved as soon as it is measured.

    python tools/longcat_device.py OUT_DIR [method ...]
"""
import json, sys, time
from pathlib import Path
import torch
from kvquant_nb.core import make_method
from kvquant_nb.kv_hook import enable_kv_cache, disable_kv_cache
from kvquant_nb.longcat import LongCatVideo, LONGCAT_13B

out, methods = Path(sys.argv[1]), sys.argv[2:] or ['BF16', 'RTN_INT4', 'RTN_INT2', 'KIVI_INT2', 'QUAROT_KV_INT4',
                                                    'TC_INT8K_FP8V', 'QVG_INT2', 'RTN_C16_INT4']
if methods[0] != 'BF16': sys.exit('the first method must be BF16 (the reference)')
out.mkdir(parents=True, exist_ok=True)
NC, NN, H, W, STEPS = 19, 5, 60, 104, 3
torch.set_default_dtype(torch.bfloat16)
with torch.device('cuda'): model = LongCatVideo(**LONGCAT_13B).eval()
torch.set_default_dtype(torch.float32)
weights_gb = sum(p.numel() * p.element_size() for p in model.parameters()) / 1e9
g = torch.Generator(device='cuda').manual_seed(0)
cond = torch.randn(1, 16, NC, H, W, device='cuda', generator=g)
new = torch.randn(1, 16, NN, H, W, device='cuda', generator=g).expand(2, -1, -1, -1, -1)
text = torch.randn(2, 1, 512, 4096, device='cuda', generator=g).bfloat16()
mask = torch.ones(2, 512, dtype=torch.long, device='cuda'); mask[0, 300:] = 0
t_new = torch.full((2,), 700., device='cuda')

def sync(): torch.cuda.synchronize()
rows, ref, dev = [], None, torch.cuda.get_device_name()
with torch.no_grad():
    for mid in methods:
        m = make_method(mid, span_blocks=1) if mid.startswith('QVG') else make_method(mid)
        torch.cuda.empty_cache(); torch.cuda.reset_peak_memory_stats()
        hook = enable_kv_cache(model, m)
        sync(); t0 = time.perf_counter()
        model(cond, torch.zeros(1, NC, device='cuda'), None, commit=True, skip_cross_attn=True)
        sync(); t_cache = time.perf_counter() - t0
        bf16_b, stored_b = hook.bytes()
        times = []
        for s in range(STEPS):
            sync(); t0 = time.perf_counter()
            y = model(new, t_new, text, mask)
            sync(); times.append(time.perf_counter() - t0)
        peak = torch.cuda.max_memory_allocated() / 1e9
        if ref is None: ref = y
        row = dict(method=mid, kv_bf16_gb=bf16_b / 1e9, kv_stored_gb=stored_b / 1e9, compression=bf16_b / stored_b,
                   peak_gb=peak, cache_pass_s=t_cache, step_s=min(times), steps_s=times,
                   rel_diff_vs_bf16=((y.float() - ref.float()).norm() / ref.float().norm()).item())
        rows.append(row)
        bf = rows[0]
        for r in rows:
            r['floor_gb'] = bf['peak_gb'] - bf['kv_bf16_gb'] + r['kv_stored_gb']
            r['peak_vs_floor'] = r['peak_gb'] / r['floor_gb']; r['step_vs_bf16'] = r['step_s'] / bf['step_s']
        (out / 'longcat_continuation.json').write_text(json.dumps(dict(
            device=dev, date=time.strftime('%Y-%m-%d'), torch=torch.__version__, weights='random',
            model='LongCat-Video DiT 13.6B (kvquant_nb.longcat, bf16)', weights_gb=weights_gb,
            setup=dict(cond_latent_frames=NC, new_latent_frames=NN, latent_hw=[H, W], batch=2, text_tokens=512, steps=STEPS),
            command='python tools/longcat_device.py OUT ' + ' '.join(methods), rows=rows), indent=1))
        print(f"{mid:>16} kv {row['kv_stored_gb']:6.2f}/{row['kv_bf16_gb']:6.2f} GB x{row['compression']:.2f} peak {peak:6.2f} "
              f"floor x{row['peak_vs_floor']:.3f} cache {t_cache:5.2f} s step {row['step_s']:5.2f} s x{row['step_vs_bf16']:.2f} "
              f"diff {row['rel_diff_vs_bf16']:.4f}", flush=True)
        disable_kv_cache(model); del hook, y
