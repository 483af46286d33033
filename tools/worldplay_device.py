"""HY-WorldPlay's WAN-5B at full size on one GPU, **random weights** (bf16 transformer with its PRoPE branch and action
embedder; random text embeddings): `WorldPlayPipeline.rollout_world` at 704x1280 (880 tokens a latent frame) over a
camera path of LATENT_FRAMES latent frames (walk, turn, walk back), each chunk of 4 recalling its memory through the
method's cache, then 4 Euler steps. Modes: `memory` = WorldPlay's own (16 frames: 12 recent + the best clip), `all` =
every past frame recalled (the cache of QVG's append-only setting: 29.7 GB of BF16 K/V at 48 latent frames), `append` = that
setting itself (no recall: each chunk committed once, at its own position, the cache growing). Per
method, side by side in one run: stored vs BF16 K/V at the largest chunk, allocator peak against the floor (BF16's
peak - BF16 K/V + stored K/V), seconds per chunk against BF16's, the latents' difference from BF16's. QVG quantizes
spans of 2 chunks (the release's 7,040 tokens), the newest chunk BF16. Rows are saved as each finishes.

    python tools/worldplay_device.py OUT_DIR memory|all|append LATENT_FRAMES [method ...]
"""
import json, sys, time
from pathlib import Path
import torch
import kvquant_nb.methods
from kvquant_nb.core import make_method
from kvquant_nb.world_memory import MemorySettings
from kvquant_nb.worldplay import WORLDPLAY_WAN5B
from kvquant_nb.worldplay_pipeline import WorldPlayPipeline
sys.path.insert(0, str(Path(__file__).parent))
from device_rows import against_bf16

out, mode, F = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
methods = sys.argv[4:] or ['BF16', 'QVG_INT2', 'QVG_PRO_INT2', 'RTN_INT4', 'KIVI_INT2', 'NVFP4_KV']
if methods[0] != 'BF16': sys.exit('the first method must be BF16 (the reference)')
if F % 4: sys.exit('LATENT_FRAMES must be whole chunks of 4')
memory = {'memory': MemorySettings(), 'all': MemorySettings(memory_frames=10**6, rank=False), 'append': MemorySettings(append=True)}[mode]
out.mkdir(parents=True, exist_ok=True)
pipe = WorldPlayPipeline.transformer_only(WORLDPLAY_WAN5B, device='cuda', memory=memory)
weights_gb = sum(p.nbytes for p in pipe.transformer.parameters()) / 1e9
text = torch.randn(1, 512, pipe.transformer.config.text_dim, generator=torch.Generator().manual_seed(0)).cuda().bfloat16()
third = (F - 1) // 3
pose = f'w-{third}, right-{F - 1 - 2 * third}, w-{third}'            # away, turning, on: late chunks see new and old places
pipe.rollout_world(text, 'w-7', 'BF16')                              # warm-up: kernels, allocator
rows, dev, ref = [], torch.cuda.get_device_name(), None
for mid in methods:
    torch.cuda.empty_cache(); torch.cuda.reset_peak_memory_stats()
    m = make_method(mid, span_blocks=2) if mid.startswith('QVG') else mid
    lat, trace = pipe.rollout_world(text, pose, m, seed=0)
    peak = torch.cuda.max_memory_allocated() / 1e9
    if ref is None: ref = lat.float()
    big = max(trace, key=lambda r: r['kv_bf16_bytes'])
    chunks = [r['time_s'] for r in trace[1:]]
    rows.append(dict(mode=mode, method=mid, method_args=dict(span_blocks=2) if mid.startswith('QVG') else {},
                     kv_bf16_gb=big['kv_bf16_bytes'] / 1e9, kv_stored_gb=big['kv_stored_bytes'] / 1e9,
                     compression=big['kv_bf16_bytes'] / big['kv_stored_bytes'], recalled_max=max(len(r['recalled']) for r in trace),
                     peak_gb=peak, chunk_s=sum(chunks) / len(chunks), chunks_s=[round(r['time_s'], 3) for r in trace],
                     rel_diff_vs_bf16=((lat.float() - ref).norm() / ref.norm()).item()))
    against_bf16(rows, 'chunk_s')
    r = rows[-1]
    (out / f'worldplay_wan5b_{mode}_{F}.json').write_text(json.dumps(dict(
        device=dev, date=time.strftime('%Y-%m-%d'), torch=torch.__version__, weights='random (transformer, text embeddings)',
        model='HY-WorldPlay WAN-5B (kvquant_nb.worldplay.WorldPlayWan, WORLDPLAY_WAN5B, bf16), transformer only', weights_gb=weights_gb,
        setup=dict(latent_frames=F, pose=pose, height=704, width=1280, tokens_per_frame=880, chunk=4, steps=4, memory=str(memory)),
        command=f'python tools/worldplay_device.py OUT {mode} {F} ' + ' '.join(methods), rows=rows), indent=1))
    print(f"{mode:>7} {mid:>14} kv {r['kv_stored_gb']:6.2f}/{r['kv_bf16_gb']:6.2f} GB x{r['compression']:.2f} peak {peak:6.2f} "
          f"(floor x{r['peak_vs_floor']:.3f}) chunk {r['chunk_s']:5.2f} s x{r['chunk_vs_bf16']:.3f} diff {r['rel_diff_vs_bf16']:.4f}", flush=True)
