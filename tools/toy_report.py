"""Figures and numbers of the toy model for README (CPU, a few minutes):
- data/bench/toy_heldout_cpu.json: the shipped model vs the same architecture at random init (same codec and text
  encoder), BF16 cache, on held-out toy_story prompts: adherence, memory and drift scores;
- data/models/toy/scores.json: the shipped model's BF16 scores on two prompts, which a test reproduces;
- figures/toy_bf16_vs_int2.png: key frames of a held-out world: ground truth, BF16, RTN_INT4, RTN_INT2.
Usage: python tools/toy_report.py [n_prompts]"""
import json, sys, time
from pathlib import Path
import numpy as np, torch
import kvquant_nb as kq
from kvquant_nb.model import CausalWan
from kvquant_nb.toy_pipeline import ToyPipeline, toy_model_dir
from kvquant_nb.toyworld import toy_suite, parse_world, toy_scores, render, key_frames

torch.set_num_threads(2)
n = int(sys.argv[1]) if len(sys.argv) > 1 else 10
toy = ToyPipeline.from_pretrained()
cfg = json.loads((toy_model_dir()/'config.json').read_text())['transformer']
with torch.random.fork_rng(devices=[]):
    torch.manual_seed(0)
    rand = ToyPipeline(CausalWan(**cfg).to(torch.bfloat16).eval(), toy.text_encoder, toy.tokenizer, toy.vae, text_len=toy.text_len)
keys = ('toy_adherence', 'toy_presence', 'toy_placement', 'toy_shape', 'toy_camera', 'toy_memory', 'toy_memory_object',
        'toy_memory_place', 'toy_place_psnr', 'toy_drift')
rows = []
for p in toy_suite('story', n):
    spec, _ = parse_world(p)
    for name, pipe in (('toy (trained)', toy), ('random init', rand)):
        s = toy_scores(pipe(p, 105, method='BF16').frames, spec)
        rows.append({'model': name, 'world': spec.seed, **{k: s[k] for k in keys}})
import pandas as pd
df = pd.DataFrame(rows)
summary = df.groupby('model')[list(keys)].mean()
print(summary.T.round(3).to_string())
Path('data/bench').mkdir(exist_ok=True)
Path('data/bench/toy_heldout_cpu.json').write_text(json.dumps(dict(
    what='toy_story held-out prompts (worlds < 10**6), 105 frames, BF16 cache, CPU; means over prompts (NaN-skipping)',
    command=f'python tools/toy_report.py {n}', prompts=n, mean=summary.T.to_dict(), rows=rows), indent=1, default=float))
rec = {p: {k: v for k, v in toy_scores(toy(p, 105, method='BF16').frames, parse_world(p)[0]).items() if k != 'toy_drift_curve'}
       for p in toy_suite('story', 2)}
(toy_model_dir()/'scores.json').write_text(json.dumps(dict(what='BF16, 105 frames, seed 0, CPU: toy_scores', scores=rec), indent=1))
p = toy_suite('story', 3)[2]
spec, _ = parse_world(p)
strips = [key_frames(render(spec, 105))] + [key_frames(toy(p, 105, method=m).frames) for m in ('BF16', 'RTN_INT4', 'RTN_INT2')]
pad = lambda a: np.pad(a, ((0, 0), (1, 1), (1, 1), (0, 0)), constant_values=255)
img = np.concatenate([np.concatenate(list(pad(s[::2])), 1) for s in strips], 0)
import imageio.v2 as iio
iio.imwrite('figures/toy_bf16_vs_int2.png', np.repeat(np.repeat(img, 2, 0), 2, 1))
print('figure: rows = ground truth, BF16, RTN_INT4, RTN_INT2;', p)
