#!/usr/bin/env python
"""Record HY-WorldPlay's own camera inputs for pose strings: world-to-camera matrices, normalized intrinsics, action ids.

Usage:
    git -C MIRROR archive HEAD wan hyvideo | tar x -C /tmp/worldplay      # MIRROR: a git dir of Tencent-Hunyuan/HY-WorldPlay
    .venv/bin/python tools/worldplay_camera_fixture.py /tmp/worldplay data/parity/worldplay_cameras.json --mirror MIRROR

CPU only, under a second. Upstream code is only run here; nothing of it is copied (Tencent HY-WorldPlay Community
License). What runs is upstream's `hyvideo/generate.py` `pose_to_input` (with its `parse_pose_string`,
`pose_string_to_json`, `mapping` and `one_hot_to_one_dimension`) over `hyvideo/generate_custom_trajectory.py`
`generate_camera_trajectory_local` — the path WAN's `wan/generate.py` takes from `--pose` to the transformer's
`viewmats`, `Ks` and `action`. `hyvideo/generate.py` sets up CUDA and WorldPlay's HunyuanVideo pipeline when imported,
so only those definitions are taken from its source (by name, with `ast`) and executed with numpy, torch, json and
scipy's Rotation, the names they use.
"""
import ast, json, os, platform, sys

import numpy as np

POSES = ['w-4, right-2', 'w-3, d-2, s-1, a-2, left-3, up-2, down-1', 'w-7, right-8', 'a-1, up-3, w-2, left-1, down-2, s-2']
NAMES = ('mapping', 'one_hot_to_one_dimension', 'parse_pose_string', 'pose_string_to_json', 'pose_to_input')


def load_upstream(checkout):
    "`pose_to_input` and what it calls, from `checkout`'s hyvideo/generate.py, without running the rest of that file."
    import torch
    from scipy.spatial.transform import Rotation
    sys.path.insert(0, checkout)
    from hyvideo.generate_custom_trajectory import generate_camera_trajectory_local
    src = open(os.path.join(checkout, 'hyvideo', 'generate.py')).read()
    keep = [n for n in ast.parse(src).body
            if (isinstance(n, ast.FunctionDef) and n.name in NAMES)
            or (isinstance(n, ast.Assign) and any(getattr(t, 'id', None) in NAMES for t in n.targets))]
    ns = dict(np=np, torch=torch, json=json, R=Rotation, generate_camera_trajectory_local=generate_camera_trajectory_local)
    exec(compile(ast.Module(body=keep, type_ignores=[]), 'hyvideo/generate.py', 'exec'), ns)
    missing = [n for n in NAMES if n not in ns]
    if missing: sys.exit(f'upstream hyvideo/generate.py no longer defines {missing}')
    return ns


def main():
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from fixture_weights import checkout_args
    a, commit = checkout_args(__doc__, 'HY-WorldPlay')
    up = load_upstream(os.path.abspath(a.checkout))
    paths = []
    for pose in POSES:
        n = len(up['pose_string_to_json'](pose))
        w2c, K, action = up['pose_to_input'](pose, n)
        paths.append(dict(pose=pose, w2c=w2c.tolist(), K=K.tolist(), action=action.tolist()))
        print(f'{pose!r}: {n} latent frames, actions {action.tolist()}')
    fixture = dict(upstream=dict(repo='Tencent-Hunyuan/HY-WorldPlay', commit=commit, function='hyvideo/generate.py:pose_to_input',
                                 trajectory='hyvideo/generate_custom_trajectory.py:generate_camera_trajectory_local'),
                   paths=paths, versions=dict(python=platform.python_version(), numpy=np.__version__))
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with open(a.out, 'w') as f: json.dump(fixture, f, separators=(',', ':'))
    print(f'wrote {a.out} ({os.path.getsize(a.out) / 1024:.0f} KB), upstream {commit[:12]}')


if __name__ == '__main__':
    main()
