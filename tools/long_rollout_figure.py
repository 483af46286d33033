"""figures/long_rollout_memory.{png,svg}: per-block VRAM of 501- and 1,005-frame rollouts on the H200 (random weights,
480x832, decode after the rollout), from data/bench/pipeline_long_{501,1005}_nvidia-h200.json. Usage: python tools/long_rollout_figure.py"""
import json
from pathlib import Path
import altair as alt, pandas as pd
from kvquant_nb.explore import save_chart

ROOT = Path(__file__).resolve().parent.parent
rows = []
for n in (501, 1005):
    for r in json.loads((ROOT/f'data/bench/pipeline_long_{n}_nvidia-h200.json').read_text())['rows']:
        if n == 501 and r['budget'] is not None: continue          # the windows are shown to 1,005 frames
        label = f"{r['method']} " + ('full cache' if r['budget'] is None else f"window {r['budget'][0] - r['budget'][1]}+{r['budget'][1]} sinks")
        for t in r['trace']:
            rows.append({'run': label, 'video frame': 12 * (t['block'] + 1) - 3, 'peak VRAM so far (GB)': t['peak_gb']})
df = pd.DataFrame(rows)
chart = alt.Chart(df, title=alt.Title('Peak VRAM along the rollout (H200, random weights, 480×832)',
                                      subtitle='windows sized to the same K/V memory stay flat to 1,005 frames; the full BF16 cache grows')
                  ).mark_line().encode(x='video frame:Q', y='peak VRAM so far (GB):Q', color='run:N').properties(width=520, height=280)
print(save_chart(chart, ROOT/'figures'/'long_rollout_memory'))
