"""Issue 14 on the toy model (CPU): 1,005-frame rollouts of held-out toy_story worlds under a full cache and under
windows sized to the same K/V memory (BF16 Self-Forcing window local_attn_size=12, sink_size=3; RTN_INT4 and RTN_INT2
windows holding about the same bytes), scored against the toy world's ground truth (adherence, memory, drift) and
traced (K/V stored per block). Writes data/bench/toy_long_cpu.json and figures/toy_long_rollout.{png,svg}.
Usage: python tools/toy_long.py [n_prompts]"""
import json, sys, time
from pathlib import Path
import numpy as np, torch
from kvquant_nb.toy_pipeline import ToyPipeline
from kvquant_nb.cache import CacheBudget
from kvquant_nb.toyworld import toy_suite, parse_world, toy_scores

torch.set_num_threads(2)
ROOT, n, FRAMES = Path(__file__).resolve().parent.parent, int(sys.argv[1]) if len(sys.argv) > 1 else 4, 1005
toy = ToyPipeline.from_pretrained()
fb = {m: toy.transformer.kv_frame_bytes(m) for m in ('BF16', 'RTN_INT4', 'RTN_INT2')}
win = CacheBudget.from_self_forcing(12, 3)
same = lambda m: CacheBudget(max_gb=win.max_frames * fb['BF16'] / 1e9, sink_frames=3)   # the BF16 window's bytes
choices = [('BF16', None), ('BF16', win), ('RTN_INT4', same('RTN_INT4')), ('RTN_INT2', same('RTN_INT2')), ('RTN_INT2', None)]
keys = ('toy_adherence', 'toy_presence', 'toy_placement', 'toy_memory', 'toy_memory_place', 'toy_place_psnr', 'toy_drift')
rows, traces = [], []
for p in toy_suite('story', n):
    spec, _ = parse_world(p)
    for m, b in choices:
        t0 = time.time()
        o = toy(p, FRAMES, method=m, budget=b)
        label = f"{m} " + ('full cache' if b is None else f"window {b.resolve(fb[m]).max_frames - 3}+3 sinks")
        s = toy_scores(o.frames, spec)
        rows.append({'choice': label, 'world': spec.seed, 'runtime_s': time.time() - t0,
                     'kv_stored_max_bytes': max(r['kv_stored_bytes'] for r in o.trace), **{k: s[k] for k in keys}})
        traces += [{'choice': label, 'world': spec.seed, 'video frame': 12 * (r['block'] + 1) - 3, 'kv_stored_bytes': r['kv_stored_bytes']}
                   for r in o.trace]
        print({k: (round(v, 3) if isinstance(v, float) else v) for k, v in rows[-1].items()}, flush=True)
import pandas as pd, altair as alt
from kvquant_nb.explore import save_chart
df, tr = pd.DataFrame(rows), pd.DataFrame(traces)
mean = df.groupby('choice', sort=False)[['kv_stored_max_bytes', *keys]].mean()
print(mean.T.round(3).to_string())
(ROOT/'data/bench/toy_long_cpu.json').write_text(json.dumps(dict(
    what=f'toy model (trained, CPU), {FRAMES} frames, {n} held-out toy_story worlds; means over worlds (NaN-skipping)',
    command=f'python tools/toy_long.py {n}', frame_bytes=fb, mean=mean.T.to_dict(), rows=rows), indent=1, default=float))
mem = alt.Chart(tr[tr.world == tr.world.iloc[0]], title='K/V stored (bytes) per block').mark_line().encode(
    x='video frame:Q', y=alt.Y('kv_stored_bytes:Q', title='K/V stored (bytes)'), color='choice:N').properties(width=330, height=220)
long = df.melt(id_vars=['choice'], value_vars=['toy_adherence', 'toy_memory', 'toy_drift'], var_name='score')
bars = alt.Chart(long, title=f'Toy-world scores over {FRAMES} frames (mean of {n} worlds)').mark_bar().encode(
    x=alt.X('mean(value):Q', title='score'), y=alt.Y('choice:N', title=None), color='choice:N',
    row=alt.Row('score:N', title=None)).properties(width=260, height=90)
print(save_chart(alt.hconcat(mem, bars).properties(title='Toy model (trained on 105-frame clips), 1,005-frame rollouts, CPU'),
                 ROOT/'figures'/'toy_long_rollout'))
