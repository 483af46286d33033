"""Markdown tables for README's performance section from `data/bench/attention_speed_<device>.json` and
`speed_rollouts_<device>.json`. Usage: python tools/speed_table.py [device-slug] [keys]"""
import json, sys
from pathlib import Path

dev = sys.argv[1] if len(sys.argv) > 1 else 'nvidia-h200'
keys = int(sys.argv[2]) if len(sys.argv) > 2 else 60840
bench = Path(__file__).resolve().parent.parent / 'data' / 'bench'
ap = bench / f'attention_speed_{dev}.json'
att = json.loads(ap.read_text()) if ap.exists() else {'rows': [], 'device': '-', 'date': '-'}
if att['rows']: print(f"One layer at {keys:,} keys, {att['device']}, {att['date']} (`attention_speed_{dev}.json`):\n")
if att['rows']:
    print('| method | path | compression | ms | time vs cuDNN BF16 | error vs BF16 | transient (of the layer\'s BF16 K/V) |')
    print('|---|---|---|---|---|---|---|')
for r in att['rows']:
    if r['keys'] != keys: continue
    comp = f"{r['compression']:.2f}×" if 'compression' in r else '1.00×'
    print(f"| {r['method'] if r['method'] != '-' else 'no cache'} | {r['path']} | {comp} | {r['ms']:.2f} | {r['ratio_vs_cudnn']:.2f}× "
          f"| {r['err_vs_bf16']:.4f} | {100 * r['transient_frac']:.1f} % |")
p = bench / f'speed_rollouts_{dev}.json'
if p.exists():
    ro = json.loads(p.read_text())
    print(f"\nWhole random-weight rollouts, backend `{ro['backend']}`, {ro['device']} (`speed_rollouts_{dev}.json`):\n")
    print('| video frames | method | runtime (s) | vs BF16 | peak (GB) | peak vs floor | latents vs BF16 |')
    print('|---|---|---|---|---|---|---|')
    for r in ro['rows']:
        print(f"| {r['video_frames']} | {r['method']} | {r['runtime_s']:.1f} | {r['runtime_vs_bf16']:.2f}× | {r['peak_gb']:.2f} "
              f"| {r['peak_vs_floor']:.3f} | {r['rel_diff_vs_bf16']:.4f} |")
