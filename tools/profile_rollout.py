"""Where a rollout's time goes, per method: per-block seconds of whole 1.3B random-weight rollouts, then torch.profiler's
top operators (GPU and CPU time) of one rollout per method. Usage on a GPU: python tools/profile_rollout.py OUT_DIR
[latent_frames] [method ...]. Writes OUT_DIR/profile_<method>.txt and OUT_DIR/blocks.json."""
import json, sys, time
from pathlib import Path
import torch
from torch.profiler import profile, ProfilerActivity
from kvquant_nb.pipeline import SelfForcingPipeline
from kvquant_nb.model import WAN_1_3B

out = Path(sys.argv[1]); out.mkdir(parents=True, exist_ok=True)
frames = int(sys.argv[2]) if len(sys.argv) > 2 else 42
methods = sys.argv[3:] or ['BF16', 'RTN_INT4', 'TC_INT8K_FP8V']
pipe = SelfForcingPipeline.transformer_only(WAN_1_3B, device='cuda')
text = torch.randn(1, 512, WAN_1_3B['text_dim'], generator=torch.Generator().manual_seed(0)).to('cuda', pipe.dtype)
blocks = {}
with torch.no_grad():
    for mid in methods: pipe.rollout_latents(text, 6, method=mid)                 # compile, warm
    for mid in methods:
        t0 = time.perf_counter()
        _, trace = pipe.rollout_latents(text, frames, method=mid)
        blocks[mid] = {'total_s': time.perf_counter() - t0, 'block_s': [round(r['time_s'], 4) for r in trace]}
        print(mid, round(blocks[mid]['total_s'], 2), blocks[mid]['block_s'], flush=True)
    (out / 'blocks.json').write_text(json.dumps(blocks, indent=1))
    for mid in methods:
        with profile(activities=[ProfilerActivity.CPU, ProfilerActivity.CUDA]) as prof:
            pipe.rollout_latents(text, frames, method=mid)
        ka = prof.key_averages()
        txt = ka.table(sort_by='self_cuda_time_total', row_limit=30) + '\n' + ka.table(sort_by='self_cpu_time_total', row_limit=30)
        (out / f'profile_{mid}.txt').write_text(txt)
        top = sorted(ka, key=lambda e: -e.self_device_time_total)[:12]
        print(mid, 'GPU total', round(sum(e.self_device_time_total for e in ka) / 1e6, 2), 's;',
              '; '.join(f"{e.key[:40]} {e.self_device_time_total / 1e6:.2f}s x{e.count}" for e in top), flush=True)
        topc = sorted(ka, key=lambda e: -e.self_cpu_time_total)[:8]
        print(mid, 'CPU:', '; '.join(f"{e.key[:40]} {e.self_cpu_time_total / 1e6:.2f}s x{e.count}" for e in topc), flush=True)
