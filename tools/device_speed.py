"""Issue 13's device measurements, in one call: the table kernel's settings (tune), every attention path side by
side per cache length with the tuned settings (attn), whole random-weight 1.3B rollouts under the default `auto`
backend at 81 and 165 frames (roll; roll165: 165 frames only; roll_eager: three methods on the eager path), and the QVG encode bench (qvg). Usage on the device:
python tools/device_speed.py OUT_DIR [parts: tune attn attn60k roll roll165 roll_eager qvg sage (after tools/sage2_device.py)]. Each part is saved as soon as it finishes, so a
cut-off call still returns what was done; a failing part is recorded and the next one runs."""
import json, subprocess, sys, time, traceback
from pathlib import Path
import torch
from kvquant_nb.benchmarks import table_tuning, attention_speed_bench, speed_rollouts, device_name

out, parts = Path(sys.argv[1]), sys.argv[2:] or ['tune', 'attn', 'roll', 'qvg']
out.mkdir(parents=True, exist_ok=True)
dev = device_name()
def save(name, res):
    (out / f'{name}.json').write_text(json.dumps({'device': dev, 'date': time.strftime('%Y-%m-%d'), 'torch': torch.__version__,
                                                  'weights': 'random', **res}, indent=1, default=str))
    print(f'saved {name} ({time.time() - t0:.0f} s)', flush=True)

t0, best = time.time(), None
for part in parts:
    try:
        if part == 'tune':
            res = table_tuning(); best = res['best']; save('table_tuning', res)
            from kvquant_nb.fused import KERNELS; KERNELS.set(table_blocks={**KERNELS.get().table_blocks, **best})   # the rollouts use them too
            print('best', res['best'], res['best_ms'], flush=True)
        elif part in ('attn', 'attn60k'):       # attn60k: 60,840 cached keys only
            res = attention_speed_bench(past_blocks=(13,) if part == 'attn60k' else (1, 6, 12, 13), blocks=best)
            save('attention_speed' if part == 'attn' else 'attention_speed_60k', res)
            for r in res['rows']:
                if r['keys'] == 60840: print(f"{r['method']:>26} {r['path']:>15} {r['ms']:7.3f} ms x{r['ratio_vs_cudnn']:.2f} err {r['err_vs_bf16']:.4f} transient {r['transient_frac']:.3f}" + (f" buffer {r['buffer_ms']:.3f} ms" if 'buffer_ms' in r else ''), flush=True)
        elif part in ('roll', 'roll165', 'roll_eager'):   # roll165: 165 frames only; roll_eager: the PyTorch decode path
            res = speed_rollouts(('BF16', 'RTN_INT4', 'TC_INT8K_FP8V'), backend='eager') if part == 'roll_eager' else \
                  speed_rollouts(latent_frames=(42,) if part == 'roll165' else (21, 42))
            save('speed_rollouts_eager' if part == 'roll_eager' else 'speed_rollouts', res)
            for r in res['rows']: print(f"{r['latent_frames']:3d} {r['method']:>26} {r['runtime_s']:6.2f} s {[round(x, 2) for x in r['runtimes_s']]} x{r['runtime_vs_bf16']:.2f} peak {r['peak_gb']:.2f} floor x{r['peak_vs_floor']:.3f} diff {r['rel_diff_vs_bf16']:.4f}", flush=True)
        elif part == 'check_study':       # decode_into (Triton kinds 3, 4) against assemble_kv on the 1.3B block shape
            from kvquant_nb.cache import KVCache
            from kvquant_nb.attention import assemble_kv
            from kvquant_nb.decode import decode_into, decode_plan
            g, rows = torch.Generator(device='cuda').manual_seed(0), []
            for mid in ('RTN_INT4', 'RTN_INT2', 'RTN_K2_V4', 'QUAROT_KV_INT4', 'KIVI_INT2', 'KIVI_K2_V4', 'FLOWCACHE_SOFT_PRUNE_INT4'):
                c = KVCache(mid, tokens_per_frame=1560)
                for b in range(4): c.commit(*(torch.randn(1, 4680, 12, 128, generator=g, device='cuda').bfloat16() for _ in range(2)), 3 * b)
                rot = c.method.rotation is not None
                kc, vc = (torch.randn(1, 4680, 12, 128, generator=g, device='cuda').bfloat16() for _ in range(2))
                if rot: kc, vc = c.method.prepare_query(kc), c.method.prepare_query(vc)
                got, want = decode_into(c, kc, vc, rot), assemble_kv(c, kc, vc, rot)
                kinds = [r.kind for r, *_ in decode_plan(c, rot, kc.device).launches]
                diff = max(((a.float() - b.float()).abs() / b.float().abs().clamp_min(1e-3)).max().item() for a, b in zip(got, want))
                rows.append({'method': mid, 'kinds': kinds, 'max_rel_diff': diff}); print(rows[-1], flush=True)
            save('check_study', {'rows': rows})
        elif part == 'check_decode':     # decode_into's QVG, NVFP4 and FP8 kinds against assemble_kv, and their buffer times
            from kvquant_nb.cache import KVCache
            from kvquant_nb.attention import assemble_kv
            from kvquant_nb.core import make_method
            from kvquant_nb.decode import decode_into, decode_plan
            from kvquant_nb.benchmarks import time_ms
            g, rows = torch.Generator(device='cuda').manual_seed(0), []
            shapes = {'longcat-73': (2, 1560, 32, 19, 19), 'longlive-window': (1, 880, 24, 8, 24)}   # B, tokens/frame, heads, frames/commit, frames
            for mid, shape in (('QVG_INT2', 'longcat-73'), ('QVG_PRO_INT2', 'longcat-73'), ('NVFP4_KV', 'longlive-window'),
                               ('NVFP4_KV_6', 'longlive-window'), ('FP8_KV', 'longlive-window'), ('FP8_KV_TOKEN', 'longlive-window'),
                               ('QVG_INT2', 'longlive-window'), ('RTN_INT4', 'longlive-window')):
                B, tpf, H, per, F = shapes[shape]
                m = make_method(mid, span_blocks=1) if mid.startswith('QVG') else make_method(mid)
                c = KVCache(m, tokens_per_frame=tpf)
                for f0 in range(0, F, per): c.commit(*(torch.randn(B, per * tpf, H, 128, generator=g, device='cuda').bfloat16() for _ in range(2)), f0)
                kc, vc = (torch.randn(B, 0, H, 128, device='cuda').bfloat16() for _ in range(2))
                got, want = decode_into(c, kc, vc), assemble_kv(c, kc, vc)
                kinds = [r.kind for r, *_ in decode_plan(c, False, kc.device).launches]
                diff = max(((a.float() - b.float()).abs() / b.float().abs().clamp_min(1e-3)).max().item() for a, b in zip(got, want))
                ms_k, ms_e = time_ms(lambda: decode_into(c, kc, vc), device='cuda'), time_ms(lambda: assemble_kv(c, kc, vc), device='cuda')
                rows.append({'method': mid, 'shape': shape, 'tokens': c.tokens, 'kinds': kinds, 'max_rel_diff': diff,
                             'kernel_ms': ms_k, 'eager_ms': ms_e, 'eager_vs_kernel': ms_e / ms_k}); print(rows[-1], flush=True)
                del c, got, want; torch.cuda.empty_cache()
            save('check_decode', {'rows': rows})
        elif part in ('study', 'study_policy'):   # issue 23: the changed quantizers at 165 frames, side by side with BF16
            mids = (('BF16', 'RTN_INT4', 'RTN_INT2', 'RTN_K2_V4', 'KIVI_INT4', 'KIVI_INT2', 'QUAROT_KV_INT4', 'RTN_C16_INT4',
                     'KIVI_G32_INT2') if part == 'study' else
                    ('BF16', 'PRQ_INT2', 'QAQ_INT2', 'AGE_TIER_INT2', 'TPTQ_INT2', 'FLOWCACHE_SOFT_PRUNE_INT4',
                     'SPATIAL_MIXED_FG_RTN_INT4_BG_RTN_INT2'))
            res = speed_rollouts(mids, latent_frames=(42,), repeats=2 if part == 'study' else 1)
            save(f'speed_rollouts_{part}', res)
            for r in res['rows']: print(f"{r['latent_frames']:3d} {r['method']:>38} {r['runtime_s']:6.2f} s x{r['runtime_vs_bf16']:.2f} peak {r['peak_gb']:.2f} floor x{r['peak_vs_floor']:.3f} diff {r['rel_diff_vs_bf16']:.4f}", flush=True)
        elif part == 'sage':    # issue 28: SageAttention 2's kernel on a SAGE_INT8K_FP8V cache (the 'sage' backend) beside BF16, 165 frames
            sys.path.insert(0, '/tmp/sage2')     # tools/sage2_device.py's build, ahead of 1.0.6's `sageattention`
            res = speed_rollouts(('BF16', 'SAGE_SHARED_INT8K_FP8V@sage', 'SAGE_INT8K_FP8V@sage', 'SAGE_INT8K_FP8V', 'TC_INT8K_FP8V'), latent_frames=(42,))
            save('speed_rollouts_sage', res)
            for r in res['rows']: print(f"{r['method']:>24} {r['backend']:>6} {r['runtime_s']:6.2f} s x{r['runtime_vs_bf16']:.2f} peak {r['peak_gb']:.2f} floor x{r['peak_vs_floor']:.3f} diff {r['rel_diff_vs_bf16']:.4f}", flush=True)
        elif part == 'qvg' and Path('tools/qvg_encode_bench.py').exists():
            subprocess.run([sys.executable, 'tools/qvg_encode_bench.py', str(out / 'qvg_encode.json')], check=True, timeout=240)
    except Exception:
        save(f'{part}_error', {'error': traceback.format_exc()}); print(traceback.format_exc(), flush=True)
print(f'done in {time.time() - t0:.0f} s')
