"""Wan2.2-TI2V-5B made causal (LongLive 2.0's model) at full size on one GPU, **random weights** (bf16, transformer
only, random text embeddings): Self-Forcing's/LongLive's block loop (blocks of 8 latent frames at 704x1280 = 880
tokens a frame, LongLive's UniPC at 4 steps, shift 5, + the clean pass) over LATENT_FRAMES latent frames, with LongLive's window (32 attended,
8 sinks: 24 cached) or with the full cache. Per method, side by side in one run: stored vs BF16 K/V, allocator
peak against the floor (BF16's peak - BF16 K/V + stored K/V), seconds per block against BF16's, the latents'
difference from BF16's. Rows are saved as each finishes; BF16 runs first in each cache mode.

    python tools/wan22_device.py OUT_DIR window|full LATENT_FRAMES [method ...]

LongLive's default shape is `window 384`; `full 48` is a full cache of 48 latent frames (15.6 GB of BF16 K/V).
"""
import json, sys, time
from pathlib import Path
import torch
import kvquant_nb.methods
from kvquant_nb.core import make_method
from kvquant_nb.longlive import LongLivePipeline
from kvquant_nb.wan22 import WAN22_5B, longlive_budget
sys.path.insert(0, str(Path(__file__).parent))
from device_rows import against_bf16

out, which, F = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
methods = sys.argv[4:] or ['BF16', 'NVFP4_KV', 'FP8_KV', 'QVG_INT2', 'RTN_INT4', 'KIVI_INT2', 'TC_INT8K_FP8V']
if methods[0] != 'BF16': sys.exit('the first method must be BF16 (the reference)')
QVG_SPAN = 1     # QVG's spans here: one block of 8 frames = 7,040 tokens, the span its release quantizes on WorldPlay's WAN-5B (2 chunks of 4)
modes = {'window': ('window 24+8 (LongLive)', longlive_budget()), 'full': ('full cache', None)}
if which not in modes: sys.exit(f'mode {which!r}: window or full')
out.mkdir(parents=True, exist_ok=True)
pipe = LongLivePipeline.transformer_only(WAN22_5B, device='cuda')   # LongLive's sampler: UniPC, 4 steps at shift 5
weights_gb = sum(p.nbytes for p in pipe.transformer.parameters()) / 1e9
text = torch.randn(1, 512, pipe.transformer.config.text_dim, generator=torch.Generator().manual_seed(0)).cuda().bfloat16()
rows, dev = [], torch.cuda.get_device_name()
pipe.rollout_latents(text, 8, 'BF16')                                   # warm-up: kernels, allocator
for mode, budget in (modes[which],):
    ref = None
    for mid in methods:
        torch.cuda.empty_cache(); torch.cuda.reset_peak_memory_stats()
        m = make_method(mid, span_blocks=QVG_SPAN) if mid.startswith('QVG') else mid   # 8 blocks of 8 frames outgrow the window
        lat, trace = pipe.rollout_latents(text, F, m, seed=0, budget=budget)
        peak = torch.cuda.max_memory_allocated() / 1e9
        if ref is None: ref = lat.float()
        last, blocks = trace[-1], [r['time_s'] for r in trace[1:]]
        rows.append(dict(mode=mode, method=mid, method_args=dict(span_blocks=QVG_SPAN) if mid.startswith('QVG') else {}, kv_bf16_gb=last['kv_bf16_bytes'] / 1e9, kv_stored_gb=last['kv_stored_bytes'] / 1e9,
                         compression=last['kv_bf16_bytes'] / last['kv_stored_bytes'], cache_frames=last['cache_frames'],
                         peak_gb=peak, block_s=sum(blocks) / len(blocks), blocks_s=[r['time_s'] for r in trace],
                         rel_diff_vs_bf16=((lat.float() - ref).norm() / ref.norm()).item()))
        against_bf16(rows, 'block_s')                                   # one mode a run: rows[0] is its BF16
        r = rows[-1]
        (out / f'wan22_5b_{which}_{F}.json').write_text(json.dumps(dict(
            device=dev, date=time.strftime('%Y-%m-%d'), torch=torch.__version__, weights='random (transformer, text embeddings)',
            model='Wan2.2-TI2V-5B causal (kvquant_nb.wan22.WAN22_5B, bf16), transformer only', weights_gb=weights_gb,
            setup=dict(latent_frames=F, height=704, width=1280, tokens_per_frame=880, chunk=8, steps=4, shift=5.0),
            command=f'python tools/wan22_device.py OUT {which} {F} ' + ' '.join(methods), rows=rows), indent=1))
        print(f"{mode:>24} {mid:>14} kv {r['kv_stored_gb']:6.2f}/{r['kv_bf16_gb']:6.2f} GB x{r['compression']:.2f} peak {peak:6.2f} "
              f"(floor x{r['peak_vs_floor']:.3f}) block {r['block_s']:5.2f} s x{r['block_vs_bf16']:.3f} diff {r['rel_diff_vs_bf16']:.4f}", flush=True)
