"""Issue 13's device measurements, in one call: the table kernel's settings (tune), every attention path side by
side per cache length with the tuned settings (attn), whole random-weight 1.3B rollouts under the default `auto`
backend at 81 and 165 frames (roll; roll165: 165 frames only; roll_eager: three methods on the eager path), and the QVG encode bench (qvg). Usage on the device:
python tools/device_speed.py OUT_DIR [parts: tune attn attn60k roll roll165 roll_eager qvg]. Each part is saved as soon as it finishes, so a
cut-off call still returns what was done; a failing part is recorded and the next one runs."""
import json, subprocess, sys, time, traceback
from pathlib import Path
import torch
from kvquant_nb.bench import table_tuning, attention_speed_bench, speed_rollouts, device_name

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
            import kvquant_nb.fused as fz; fz.TABLE_BLOCKS.update(best)     # the rollouts use the tuned settings too
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
        elif part == 'qvg' and Path('tools/qvg_encode_bench.py').exists():
            subprocess.run([sys.executable, 'tools/qvg_encode_bench.py', str(out / 'qvg_encode.json')], check=True, timeout=240)
    except Exception:
        save(f'{part}_error', {'error': traceback.format_exc()}); print(traceback.format_exc(), flush=True)
print(f'done in {time.time() - t0:.0f} s')
