#!/usr/bin/env python
"""Record HY-WorldPlay's own WAN memory selection on a scripted, seeded camera path.

Usage:
    git -C MIRROR archive HEAD wan hyvideo | tar x -C /tmp/worldplay      # MIRROR: a git dir of Tencent-Hunyuan/HY-WorldPlay
    .venv/bin/python tools/worldplay_memory_fixture.py /tmp/worldplay data/parity/worldplay_memory.json --mirror MIRROR

(`--commit SHA` instead of `--mirror` names the commit by hand.) CPU only, a few seconds.

Upstream code is only imported and run here; nothing of it is copied (HY-WorldPlay is under the Tencent HY-WorldPlay
Community License). What runs is upstream's:
  wan/models/utils.py               select_mem_frames_wan          the WAN pipeline's memory selection
  hyvideo/utils/retrieval_context.py calculate_fov_overlap_similarity, generate_points_in_sphere
with the settings WAN's pipeline passes them (wan/inference/pipeline_wan_w_mem_relative_rope.py: memory_frames=16,
temporal_context_size=12, pred_latent_size=4, 50,000 points in a ball of radius 8 drawn right after
`torch.manual_seed(seed)`), on the pose buffer as the pipeline holds it: float32 world-to-camera matrices, the frames
after the chunk being generated still zero. Like the pipeline, a chunk starting before `context_window_length` (16)
attends to all past frames and upstream's function is not called; the JSON says which rule gave each chunk.
`wan/models/utils.py` imports `distributed.parallel_state` (WAN's sequence-parallel state, needing cloudpickle and
more) for a function the selection never calls: a stub with those two names stands in for it.

The camera path (ours, seeded): 60 latent frames; it walks away along +z, turns 180 degrees in place, walks back past
its start, turns again and walks forward over its first places — so late chunks revisit what the first frames saw.

Saved (JSON): upstream commit and settings, the path's world-to-camera matrices (float32 values) and normalized
intrinsics (unused by the selection, recorded as the pipeline would hold them), a check of the sampled points, and per
chunk: its first latent frame, the selected frame indices (upstream's order: ascending) and upstream's FOV overlap of
every (query frame, probed history frame) pair its ranking used.
"""
import json, math, os, platform, sys, types

import numpy as np

N_LATENT, CHUNK, FIRST_CHUNK, WINDOW = 60, 4, 4, 16
MEMORY_FRAMES, CONTEXT, PRED = 16, 12, 4
N_POINTS, RADIUS, POINTS_SEED, PATH_SEED = 50_000, 8.0, 0, 7
FOV_H, FOV_V = 60.0, 35.0


def camera_path(seed=PATH_SEED):
    "World-to-camera matrices (float32, OpenCV axes: x right, y down, z forward) of our scripted, jittered path."
    rng = np.random.default_rng(seed)
    steps = [('walk', 0.6)] * 12 + [('turn', 15.0)] * 12 + [('walk', 0.6)] * 12 + [('turn', 15.0)] * 12 + [('walk', 0.3)] * 11
    pos, yaw, pitch, out = np.zeros(3), 0.0, 0.0, []
    for i in range(len(steps) + 1):
        cy, sy, cp, sp = math.cos(yaw), math.sin(yaw), math.cos(pitch), math.sin(pitch)
        rot = np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]]) @ np.array([[1, 0, 0], [0, cp, -sp], [0, sp, cp]])
        c2w = np.eye(4); c2w[:3, :3], c2w[:3, 3] = rot, pos
        out.append(np.linalg.inv(c2w))
        if i == len(steps): break
        kind, amount = steps[i]
        if kind == 'walk': pos = pos + rot @ np.array([0.0, 0.0, amount]) + rng.normal(0, 0.03, 3)
        else: yaw += math.radians(amount + rng.normal(0, 1.0))
        pitch = math.radians(float(np.clip(math.degrees(pitch) + rng.normal(0, 1.0), -4, 4)))
    return np.stack(out).astype(np.float32)


def normalized_intrinsics():
    "The pipeline's K (hyvideo/generate.py's default 1920x1080 intrinsics, normalized as its pose_to_input does)."
    f, cx, cy = 969.6969696969696, 960.0, 540.0
    return [[f / (2 * cx), 0.0, 0.5], [0.0, f / (2 * cy), 0.5], [0.0, 0.0, 1.0]]


def load_upstream(checkout):
    "Upstream's selection module (wan/models/utils.py) and its retrieval helpers, imported from `checkout`."
    import importlib.util
    sys.path.insert(0, checkout)
    for name in ('distributed', 'distributed.parallel_state'):      # only shard_latents_dim_across_sp uses these
        stub = types.ModuleType(name)
        stub.get_sp_parallel_rank, stub.get_sp_world_size = (lambda: 0), (lambda: 1)
        sys.modules.setdefault(name, stub)
    spec = importlib.util.spec_from_file_location('worldplay_wan_utils', os.path.join(checkout, 'wan', 'models', 'utils.py'))
    utils = importlib.util.module_from_spec(spec); spec.loader.exec_module(utils)
    from hyvideo.utils import retrieval_context
    return utils, retrieval_context


def main():
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from fixture_weights import checkout_args
    a, commit = checkout_args(__doc__, 'HY-WorldPlay')
    import torch
    utils, rc = load_upstream(os.path.abspath(a.checkout))

    w2c = camera_path()
    torch.manual_seed(POINTS_SEED)                                   # as wan/generate.py does before the pipeline
    points = rc.generate_points_in_sphere(N_POINTS, RADIUS)          # the pipeline's first random draw
    chunks = []
    for chunk_i in range(1, N_LATENT // CHUNK):
        current = chunk_i * CHUNK
        buffer = np.zeros_like(w2c); buffer[:current + CHUNK] = w2c[:current + CHUNK]   # poses filled so far
        if current >= WINDOW:
            sel = utils.select_mem_frames_wan(buffer, current, memory_frames=MEMORY_FRAMES, temporal_context_size=CONTEXT,
                                              pred_latent_size=PRED, points_local=points, device='cpu')
            by = 'select_mem_frames_wan'
        else: sel, by = list(range(current)), 'pipeline: all past frames (before context_window_length)'
        queries = range(current, min(current + PRED, N_LATENT))
        probes = [h for s in range(0, current - CONTEXT, 4) for h in (s, s + 2)]
        overlaps = [[q, h, rc.calculate_fov_overlap_similarity(buffer[q], buffer[h], fov_h_deg=FOV_H, fov_v_deg=FOV_V,
                                                                device='cpu', points_local=points)]
                    for q in queries for h in probes] if by == 'select_mem_frames_wan' else []
        chunks.append(dict(chunk=chunk_i, current=current, selected=[int(i) for i in sel], by=by, overlaps=overlaps))
        print(f'chunk {chunk_i:2d} (frames {current}..{current + CHUNK - 1}): {by[:21]:21s} {sel}')

    fixture = dict(
        upstream=dict(repo='Tencent-Hunyuan/HY-WorldPlay', commit=commit,
                      selection='wan/models/utils.py:select_mem_frames_wan',
                      overlap='hyvideo/utils/retrieval_context.py:calculate_fov_overlap_similarity',
                      points='hyvideo/utils/retrieval_context.py:generate_points_in_sphere',
                      caller='wan/inference/pipeline_wan_w_mem_relative_rope.py'),
        settings=dict(n_latent=N_LATENT, chunk=CHUNK, first_chunk_size=FIRST_CHUNK, context_window_length=WINDOW,
                      memory_frames=MEMORY_FRAMES, temporal_context_size=CONTEXT, pred_latent_size=PRED,
                      fov_h_deg=FOV_H, fov_v_deg=FOV_V, n_points=N_POINTS, radius=RADIUS, points_seed=POINTS_SEED,
                      path_seed=PATH_SEED, dtype='float32', device='cpu'),
        w2c=[[[float(v) for v in row] for row in m] for m in w2c],
        K=normalized_intrinsics(),
        points_check=dict(first=points[:3].tolist(), sum=float(points.double().sum()), abs_sum=float(points.double().abs().sum())),
        chunks=chunks,
        versions=dict(python=platform.python_version(), torch=torch.__version__, numpy=np.__version__),
    )
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with open(a.out, 'w') as f: json.dump(fixture, f, separators=(',', ':'))
    print(f'wrote {a.out} ({os.path.getsize(a.out) / 1024:.0f} KB), upstream {commit[:12]}')


if __name__ == '__main__':
    main()
