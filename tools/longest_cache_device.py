"""Issue 25: the longest **full** cache of LongLive 2.0's 5B model that the planner says fits this card, measured on it,
**random weights** (bf16 transformer, random text embeddings, 704x1280 = 880 tokens a latent frame, transformer only).
The cache is filled as a continuation does: a prefix of random latents, each prefix block only its clean (commit)
pass, then the last block of 8 latent frames generated (LongLive's UniPC, 4 steps) and committed over the whole
cache; that block is where the peak is. Per method: latent frames, stored vs BF16 K/V, allocator peak against the
planner's prediction, the card's memory, the last block's seconds. Rows are saved as each finishes.

    python tools/longest_cache_device.py OUT_DIR METHOD[:LATENT_FRAMES] ... [--headroom 3] [--tries 3]

Without LATENT_FRAMES: `planner.longest_full_cache(METHOD, card GB, headroom_gb=HEADROOM, model='longlive2-5b',
text_on_gpu=False)`. An out-of-memory run is saved as such and the next try is 5 % shorter (whole blocks), up to
`--tries`. The allocator runs with expandable segments: at 80 GB its fragmentation (1.7-4.4 GiB reserved and
unallocated in the first runs) decided the longest cache, not the prediction.
"""
import argparse, json, os, sys, time
from pathlib import Path
os.environ.setdefault('PYTORCH_CUDA_ALLOC_CONF', 'expandable_segments:True')   # before torch starts CUDA
import torch
import kvquant_nb.methods
from kvquant_nb.benchmarks import device_name, slug
from kvquant_nb.longlive import LongLivePipeline
from kvquant_nb.planner import longest_full_cache, predict_rollout, video_latent_frames
from kvquant_nb.wan22 import WAN22_5B

ap = argparse.ArgumentParser(); ap.add_argument('out'); ap.add_argument('specs', nargs='*', default=['BF16', 'NVFP4_KV'])
ap.add_argument('--headroom', type=float, default=3.0, help='GB of the card left free by the planned length')
ap.add_argument('--tries', type=int, default=3, help='lengths tried per method, each 5 %% shorter after an out-of-memory')
a = ap.parse_args()
out, specs = Path(a.out), a.specs
for spec in specs:                                                      # before any work
    mid, _, n = spec.partition(':')
    if n and (not n.isdigit() or int(n) % 8 or int(n) < 16): sys.exit(f'{spec}: LATENT_FRAMES must be a multiple of 8, at least 16')
out.mkdir(parents=True, exist_ok=True)
card_gb = torch.cuda.get_device_properties(0).total_memory / 1e9
kw = dict(model='longlive2-5b', text_on_gpu=False, height=704, width=1280)
pipe = LongLivePipeline.transformer_only(WAN22_5B, device='cuda')
text = torch.randn(1, 512, pipe.transformer.config.text_dim, generator=torch.Generator().manual_seed(0)).cuda().bfloat16()
pipe.rollout_latents(text, 8, 'BF16')                                   # warm-up: kernels, allocator
name = f'longest_cache_{slug(device_name())}.json'
rows = json.loads((out / name).read_text())['rows'] if (out / name).exists() else []   # a rerun adds to what is there
def attempts(spec):
    "The latent-frame lengths to try for `spec`: the given or planned one, then each 5 % shorter (whole blocks of 8)."
    mid, _, n = spec.partition(':')
    F = int(n) if n else video_latent_frames(longest_full_cache(mid, card_gb, headroom_gb=a.headroom, **kw), 8)
    for _ in range(a.tries):
        yield mid, F
        F = max(16, F - max(8, round(F * 0.05 / 8) * 8))

for mid, F in (x for spec in specs for x in attempts(spec)):
    if any(r['method'] == mid and r['error'] is None and r.get('alloc_conf') == os.environ['PYTORCH_CUDA_ALLOC_CONF'] for r in rows): continue  # this method fit
    pred = predict_rollout(mid, 4 * (F - 1) + 1, None, text_on_gpu=False)
    prefix = torch.randn(1, 48, F - 8, 44, 80, generator=torch.Generator().manual_seed(1))
    torch.cuda.empty_cache(); torch.cuda.reset_peak_memory_stats(); t0 = time.perf_counter()
    try:
        lat, trace = pipe.rollout_latents(text, F, mid, seed=0, budget=None, prefix=prefix)
        err = None
    except torch.OutOfMemoryError as e:
        trace, err = [], f'out of memory: {str(e)[:300]}'
    peak = torch.cuda.max_memory_allocated() / 1e9
    last = trace[-1] if trace else {}
    rows = [r for r in rows if (r['method'], r['latent_frames']) != (mid, F)]
    rows.append(dict(method=mid, latent_frames=F, video_frames=4 * (F - 1) + 1, card_gb=card_gb, peak_gb=peak, error=err,
                     predicted_rollout_gb=pred['rollout_gb'], predicted_vs_measured=pred['rollout_gb'] / peak - 1,   # transformer only
                     kv_stored_gb=last.get('kv_stored_bytes', 0) / 1e9, kv_bf16_gb=last.get('kv_bf16_bytes', 0) / 1e9,
                     last_block_s=last.get('time_s'), total_s=time.perf_counter() - t0, cache_frames=last.get('cache_frames'),
                     headroom_gb=a.headroom, alloc_conf=os.environ['PYTORCH_CUDA_ALLOC_CONF']))
    (out / name).write_text(json.dumps(dict(
        device=torch.cuda.get_device_name(), date=time.strftime('%Y-%m-%d'), torch=torch.__version__,
        weights='random (transformer, text embeddings)', model='Wan2.2-TI2V-5B causal (WAN22_5B, bf16), transformer only, full cache',
        fill='prefix of random latents (clean pass per block), then the last block generated', setup=dict(height=704, width=1280, chunk=8, steps=4),
        command='python tools/longest_cache_device.py OUT ' + ' '.join(sys.argv[2:]), rows=rows), indent=1))
    print({k: (round(v, 3) if isinstance(v, float) else v) for k, v in rows[-1].items()}, flush=True)
    del prefix; trace = lat = None
