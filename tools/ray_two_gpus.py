"""Side by side on one multi-GPU machine: the same tiny-model sweep with engine='local' (one GPU) and engine='ray'
(one task per method x prompt shard, num_gpus=1 each), then the Ray sweep again (resume: nothing new).
Each task records which physical GPU it ran on and when, so the JSON shows the fan-out, not just the rows.
Writes data/bench/ray_sweep_<device>.json (or into $OUT). Random weights: this measures the fan-out machinery,
not video quality.

Env: LIMIT (prompts, 4), SHARD (prompts per task, 1), DEVICE (cuda), RAY_ADDRESS (join a running cluster,
e.g. 'auto' after `ray start --head`; else a local one is started with RAY_CPUS CPUs)."""
import json, os, tempfile, threading, time, uuid
from pathlib import Path
import torch
from kvquant_nb.sweep import sweep, inprocess_runner
from kvquant_nb.dataset import load_runs
from kvquant_nb.benchmarks import save_bench

SPANS = Path(tempfile.gettempdir())/f'kvquant_ray_spans_{os.getpid()}'

def _gpu_id():
    "The physical GPU this process sees first (its UUID), or 'cpu'."
    if not torch.cuda.is_available(): return 'cpu'
    return str(torch.cuda.get_device_properties(0).uuid)

def spanning_runner(job):
    "`inprocess_runner`, recording (method, prompts, physical GPU, CUDA_VISIBLE_DEVICES, pid, start, end)."
    t0 = time.time()
    try: return inprocess_runner(job)
    finally:
        rec = dict(method=job.method, prompts=list(job.prompt_ids), gpu=_gpu_id(), pid=os.getpid(),
                   cuda_visible_devices=os.environ.get('CUDA_VISIBLE_DEVICES'), start=t0, end=time.time())
        SPANS.mkdir(parents=True, exist_ok=True)
        (SPANS/f'{uuid.uuid4().hex}.json').write_text(json.dumps(rec))

def read_spans():
    "All recorded task spans, then clear them."
    recs = [json.loads(p.read_text()) for p in sorted(SPANS.glob('*.json'))] if SPANS.exists() else []
    for p in SPANS.glob('*.json'): p.unlink()
    return recs

def overlap_seconds(spans):
    "Seconds during which tasks on at least two different GPUs were running at once."
    ev = sorted([(s['start'], 1, s['gpu']) for s in spans] + [(s['end'], -1, s['gpu']) for s in spans])
    live, total, last = {}, 0.0, None
    for t, d, g in ev:
        if last is not None and sum(v > 0 for v in live.values()) >= 2: total += t - last
        live[g] = live.get(g, 0) + d; last = t
    return total

def run(engine, out, limit, shard_size, device):
    t0 = time.time()
    rep = sweep('all', 'moviegen', limit=limit, model='tiny', device=device, out=out, engine=engine,
                runner=spanning_runner, progress=False, shard_size=shard_size)
    secs = time.time() - t0
    rows, spans = load_runs(rep.dataset), read_spans()
    by_gpu = {}
    for s in spans: by_gpu.setdefault(s['gpu'], []).append(s)
    return {'engine': engine, 'seconds': secs, 'ran': rep.ran, 'skipped': rep.skipped, 'rows': len(rows),
            'ok': int((rows.status == 'ok').sum()), 'failed': sorted(rep.failed), 'tasks': len(spans),
            'errors': {m: tb.strip().splitlines()[-1][:300] for m, tb in rep.failed.items()},
            'tasks_per_gpu': {g: len(v) for g, v in by_gpu.items()},
            'busy_seconds_per_gpu': {g: sum(s['end'] - s['start'] for s in v) for g, v in by_gpu.items()},
            'cuda_visible_devices_seen': sorted({str(s['cuda_visible_devices']) for s in spans}),
            'seconds_with_two_gpus_busy': overlap_seconds(spans)}, rows

def watchdog(ray, every=10):
    "Exit loudly if this machine's Ray node dies, instead of waiting forever on its tasks."
    def loop():
        while True:
            time.sleep(every)
            try: alive = [n['Alive'] for n in ray.nodes()]
            except Exception as e: alive, err = [], e
            if not any(alive):
                print(f'ray node died (nodes alive: {alive}); see /tmp/ray/session_latest/logs', flush=True)
                os._exit(3)
    threading.Thread(target=loop, daemon=True).start()

if __name__ == '__main__':
    limit, shard, dev = int(os.environ.get('LIMIT', 4)), int(os.environ.get('SHARD', 1)), os.environ.get('DEVICE', 'cuda')
    import ray
    if os.environ.get('RAY_ADDRESS'): ray.init(address=os.environ['RAY_ADDRESS'], log_to_driver=False)
    else: ray.init(include_dashboard=False, log_to_driver=False, num_cpus=int(os.environ.get('RAY_CPUS', 8)),
                   object_store_memory=2 * 10**9)
    watchdog(ray)
    res = {'gpus': torch.cuda.device_count(),
           'gpu_names': [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())],
           'ray_version': ray.__version__, 'torch_version': torch.__version__,
           'ray_resources': {k: v for k, v in ray.cluster_resources().items() if k in ('CPU', 'GPU')},
           'limit': limit, 'shard_size': shard, 'weights': 'random (tiny model)'}
    with tempfile.TemporaryDirectory() as d:
        local, lrows = run('local', Path(d)/'local', limit, shard, dev)
        print('local:', json.dumps(local), flush=True)
        fanned, rrows = run('ray', Path(d)/'ray', limit, shard, dev)
        print('ray:', json.dumps(fanned), flush=True)
        again, _ = run('ray', Path(d)/'ray', limit, shard, dev)                # resume: nothing new
        key = ['method', 'prompt_id', 'seed']
        ok = lambda r: r[r.status == 'ok']
        m = ok(lrows).merge(ok(rrows), on=key, suffixes=('_local', '_ray'))
        res.update(local=local, ray=fanned, ray_rerun=again, speedup=local['seconds'] / fanned['seconds'],
                   rows_compared=len(m),
                   same_compression=bool((m.compression_ratio_local == m.compression_ratio_ray).all()),
                   same_ssim=bool(((m.ssim_local - m.ssim_ray).abs() < 1e-6).all()),
                   max_abs_psnr_diff=float((m.psnr_local - m.psnr_ray).abs().replace(float('nan'), 0).max()))
    print(json.dumps(res, indent=1))
    print(save_bench(res, 'ray_sweep', device=dev, out_dir=os.environ.get('OUT')))
    if local['failed'] or fanned['failed'] or again['ran']: raise SystemExit('failures, or a rerun that did work: see above')
