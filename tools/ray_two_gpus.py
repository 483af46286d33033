"""Side by side on one multi-GPU machine: the same tiny-model sweep with engine='local' (one GPU) and engine='ray'
(one task per method x prompt shard, num_gpus=1 each). Writes data/bench/ray_sweep_<device>.json (or to $OUT).
Random weights: this measures the fan-out machinery, not video quality."""
import json, os, tempfile, time
from pathlib import Path
import torch
from kvquant_nb.sweep import sweep, inprocess_runner
from kvquant_nb.dataset import load_runs
from kvquant_nb.bench import save_bench

def run(engine, out, limit, shard_size, device):
    t0 = time.time()
    rep = sweep('all', 'moviegen', limit=limit, model='tiny', device=device, out=out, engine=engine,
                runner=inprocess_runner, progress=False, shard_size=shard_size)
    secs = time.time() - t0
    rows = load_runs(rep.dataset)
    return {'engine': engine, 'seconds': secs, 'rows': len(rows), 'ok': int((rows.status == 'ok').sum()),
            'failed': sorted(rep.failed), 'devices': sorted(set(rows.device.dropna()))}, rows

if __name__ == '__main__':
    limit, shard, dev = int(os.environ.get('LIMIT', 4)), int(os.environ.get('SHARD', 1)), os.environ.get('DEVICE', 'cuda')
    import ray
    ray.init(include_dashboard=False, log_to_driver=False, num_cpus=int(os.environ.get('RAY_CPUS', 8)),
             object_store_memory=2 * 10**9)
    res = {'gpus': torch.cuda.device_count(), 'ray_resources': {k: v for k, v in ray.cluster_resources().items()
                                                                if k in ('CPU', 'GPU')}, 'limit': limit, 'shard_size': shard}
    with tempfile.TemporaryDirectory() as d:
        local, lrows = run('local', Path(d)/'local', limit, shard, dev)
        fanned, rrows = run('ray', Path(d)/'ray', limit, shard, dev)
        again, _ = run('ray', Path(d)/'ray', limit, shard, dev)                # resume: nothing new
        key = ['method', 'prompt_id', 'seed']
        m = lrows.merge(rrows, on=key, suffixes=('_local', '_ray'))
        res.update(local=local, ray=fanned, ray_rerun=again, speedup=local['seconds'] / fanned['seconds'],
                   same_compression=bool((m.compression_ratio_local == m.compression_ratio_ray).all()),
                   same_ssim=bool(((m.ssim_local - m.ssim_ray).abs() < 1e-6).all()))
    print(json.dumps(res, indent=1))
    print(save_bench(res, 'ray_sweep', device=dev, out_dir=os.environ.get('OUT')))
