"""FOV-ranked memory (HY-WorldPlay's selection) against a plain window of the same size on the toy world (CPU).

The shipped toy model (trained weights, the only quality oracle here) rolls out `toy_story` worlds of seeds from 10,000 (held out) (the
camera pans a view away and comes back) with `SelfForcingPipeline.rollout_memory`: before each block its context
is rebuilt from 9 recalled latent frames (3 blocks), either the 6 most recent + the 3-frame clip whose camera best
overlaps the block's (`MemorySettings(rank=True)`) or the 9 most recent (`rank=False`), under each method's cache.
The toy camera is a pan along x (world px); as a WorldPlay pose it is a camera translated along x by px·SCALE world
units, facing +z. Scores: `toy_scores` (places kept on revisits, object re-entries, drift) of the decoded frames.

    python tools/toy_world_memory.py OUT.json [n_prompts] [method ...]
"""
import json, sys, time
import numpy as np, torch
import kvquant_nb.methods
from kvquant_nb.toy_pipeline import ToyPipeline
from kvquant_nb.toyworld import toy_suite, parse_world, prefix_latents, camera_x, toy_scores, CYCLE, VIEW
from kvquant_nb.memory import w2c_from
from kvquant_nb.world_memory import MemorySettings

out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 6
methods = sys.argv[3:] or ['BF16', 'RTN_INT2']
SCALE = 4.6 / VIEW            # a view's width (64 px) ~ the 60° frustum's width at half its 8-unit reach
torch.set_grad_enabled(False)
pipe = ToyPipeline.from_pretrained()
settings = {'fov-ranked': MemorySettings(memory_frames=9, context=6, clip=3, points=20_000),
            'recent window': MemorySettings(memory_frames=9, rank=False),
            'full cache (no memory rebuild)': None}                  # the ordinary rollout, for scale
rows = []
for prompt in toy_suite('story', n, first=10_000):                 # held-out worlds (training used low seeds)
    spec, text = parse_world(prompt)
    poses = torch.stack([w2c_from((float(x) * SCALE, 0., 0.)) for x in camera_x(spec.camera, np.arange(CYCLE))])
    emb, prefix = pipe.encode_prompt(text), prefix_latents(pipe.vae, spec, 3)
    for mid in methods:
        for name, s in settings.items():
            t0 = time.time()
            if s is None: lat, tr = pipe.rollout_latents(emb, CYCLE, mid, seed=0, prefix=prefix); tr[-1]['recalled'] = 'all'
            else: lat, tr = pipe.rollout_memory(emb, poses, mid, settings=s, seed=0, prefix=prefix)
            sc = toy_scores(pipe.decode(lat), spec)
            rows.append({'prompt': prompt, 'method': mid, 'memory': name, 'recalled_last': tr[-1]['recalled'],
                         'kv_stored_bytes_last': tr[-1]['kv_stored_bytes'], 'seconds': time.time() - t0,
                         **{k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in sc.items() if k != 'toy_drift_curve'}})
            r = rows[-1]
            print(f"{prompt[:13]:>13} {mid:>9} {name[:13]:>13} places {r.get('toy_memory_place')} ({r.get('toy_place_psnr')} dB) "
                  f"objects {r.get('toy_memory_object')} recalled {r['recalled_last']} {r['seconds']:.0f}s", flush=True)
            json.dump({'what': __doc__.split('\n\n')[0], 'weights': 'trained toy model (data/models/toy)', 'device': 'cpu',
                       'scale': SCALE, 'settings': {k: str(v) for k, v in settings.items()},
                       'command': 'python tools/toy_world_memory.py ' + ' '.join(sys.argv[1:]), 'rows': rows},
                      open(out, 'w'), indent=1, default=str)
