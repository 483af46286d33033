"""Replay the study's generation loop with its own policy quantizers beside our cache: what our integration changes.

The study (suraj-ranganath/kv-quant-longhorizon, `kv_quant/`) calls a policy quantizer on *every* attention call: its
Self-Forcing patch dequantizes the whole cache, writes the new block's K/V, attends, and re-quantizes the active
prefix (4 denoising calls and 1 clean-context call per block; meta: `tensor_dtype`, `layer_id`, `num_layers`, the
active end; `frame_seq_length` through `set_runtime_context`). Our `KVCache` encodes each finished block once, at the
clean pass, and applies the method's policy after each commit. This script runs both on the same seeded K/V stream
(14 blocks of 3 frames, 64 tokens a frame, 2 heads x 64; a static background with moving blobs, outlier key
channels; the current block's K/V noisier at earlier denoising calls) and reports, after the last block:

- `study_ratio` / `ours_ratio`: BF16 bytes of the whole history over the bytes held (the study's `memory_bytes`,
  our `stored_bytes`);
- `study_attn_err` / `ours_attn_err`: relative error of attention for the next block's queries over
  [history ; next block], against exact BF16 (the study attends its decoded history as it does: pruned chunks as
  zeros, soft-pruned ones as repeated means; ours reads the cache as the pipeline does).

    python tools/study_policy_replay.py /tmp/study      # -> data/parity/study_policy_replay.json

Nothing of the study's code is copied: it is imported from the checkout and run.
"""
import argparse, importlib, json, sys
from pathlib import Path
import torch

P, H, D, FPB, BLOCKS, CALLS = 64, 2, 64, 3, 14, (0.8, 0.5, 0.25, 0.1, 0.0)   # noise of the current block per call

def study_config(mid):
    "The study's class and arguments per id (its run manifests, `results/combined/registry/*manifest.json`)."
    fc = dict(chunk_recent_ratio=0.25, recent_bits=4)
    mix_rtn = dict(mask_policy='hybrid', variance_threshold=0.02, min_foreground_ratio=0.45, max_foreground_ratio=0.85,
                   target_foreground_ratio=0.65)
    mix_topk = dict(mask_policy='topk', variance_threshold=0.02, min_foreground_ratio=0.6, max_foreground_ratio=0.9,
                    target_foreground_ratio=0.8)
    return {
        'RTN_INT2': ('rtn', 'RTNQuantizer', dict(bits=2)), 'RTN_INT4': ('rtn', 'RTNQuantizer', dict(bits=4)),
        'KIVI_INT2': ('kivi', 'KIVIQuantizer', dict(bits=2)), 'QUAROT_KV_INT2': ('quarot_kv', 'QuaRotKVQuantizer', dict(bits=2)),
        'PRQ_INT2': ('prq', 'PRQQuantizer', dict(bits=2)), 'QAQ_INT2': ('qaq', 'QAQQuantizer', dict(bits=2)),
        'AGE_TIER_INT2': ('age_tier', 'AgeTierQuantizer', dict(bits=2, recent_ratio=0.3, recent_bits=4)),
        'AGE_TIER_INT4': ('age_tier', 'AgeTierQuantizer', dict(bits=4, recent_ratio=0.3, recent_bits=4)),
        'TPTQ_INT2': ('tptq', 'TPTQQuantizer', dict(bits=2, recent_ratio=0.15, recent_bits=4, residual_bits=2,
                                                     outlier_threshold=6.0, outlier_max_ratio=0.001)),
        'FLOWCACHE_HYBRID_INT2': ('flowcache_hybrid', 'FlowCacheHybridQuantizer', dict(bits=2, **fc)),
        'FLOWCACHE_ADAPTIVE_INT2': ('flowcache_adaptive', 'FlowCacheAdaptiveQuantizer', dict(bits=2, **fc, important_old_ratio=0.2)),
        'FLOWCACHE_PRUNE_INT2': ('flowcache_prune', 'FlowCachePruneQuantizer', dict(bits=2, **fc, important_old_ratio=0.1, retained_old_ratio=0.3)),
        'FLOWCACHE_PRUNE_INT4': ('flowcache_prune', 'FlowCachePruneQuantizer', dict(bits=4, **fc, important_old_ratio=0.1, retained_old_ratio=0.45)),
        'FLOWCACHE_SOFT_PRUNE_INT2': ('flowcache_soft_prune', 'FlowCacheSoftPruneQuantizer', dict(bits=2, **fc, important_old_ratio=0.1, retained_old_ratio=0.45)),
        'FLOWCACHE_SOFT_PRUNE_INT4': ('flowcache_soft_prune', 'FlowCacheSoftPruneQuantizer', dict(bits=4, **fc, important_old_ratio=0.1, retained_old_ratio=0.45)),
        'SPATIAL_MIXED_FG_RTN_INT4_BG_RTN_INT2': ('spatial_mixed', 'SpatialMixedQuantizer', dict(fg_bits=4, bg_bits=2, **mix_rtn)),
        'SPATIAL_MIXED_FG_RTN_INT4_BG_RTN_INT4': ('spatial_mixed', 'SpatialMixedQuantizer', dict(fg_bits=4, bg_bits=4, **mix_rtn)),
        'SPATIAL_MIXED_FG_KIVI_INT4_BG_KIVI_INT2': ('spatial_mixed', 'SpatialMixedQuantizer', dict(fg_method='KIVI', fg_bits=4, bg_method='KIVI', bg_bits=2, **mix_topk)),
        'SPATIAL_MIXED_FG_QUAROT_KV_INT4_BG_RTN_INT2': ('spatial_mixed', 'SpatialMixedQuantizer', dict(fg_method='QUAROT_KV', fg_bits=4, bg_bits=2, **mix_topk)),
    }[mid]

def stream(seed=0):
    "Seeded bf16 K/V for BLOCKS+1 blocks `[1, FPB·P, H, D]`: static background, moving blobs, outlier key channels."
    g = torch.Generator().manual_seed(seed)
    side, frames = 8, FPB * (BLOCKS + 1)
    bgk, bgv = torch.randn(P, H, D, generator=g), torch.randn(P, H, D, generator=g)
    ks, vs = [], []
    for f in range(frames):
        k, v = bgk + 0.05 * torch.randn(P, H, D, generator=g), bgv + 0.05 * torch.randn(P, H, D, generator=g)
        for r0 in (1, 5):                                            # two 2x2 blobs moving one column a frame
            c0 = (f + 3 * r0) % (side - 1)
            for r in (r0, r0 + 1):
                for c in (c0, c0 + 1):
                    k[r * side + c] = 3 * torch.randn(H, D, generator=g); v[r * side + c] = 3 * torch.randn(H, D, generator=g)
        k[..., :3] *= 8                                              # outlier key channels
        ks.append(k); vs.append(v)
    K, V = torch.stack(ks).reshape(1, frames * P, H, D), torch.stack(vs).reshape(1, frames * P, H, D)
    n = FPB * P
    return [(K[:, i * n:(i + 1) * n].bfloat16(), V[:, i * n:(i + 1) * n].bfloat16()) for i in range(BLOCKS + 1)]

def sdpa(q, k, v):
    q, k, v = (t.float().transpose(1, 2) for t in (q, k, v))
    return torch.nn.functional.scaled_dot_product_attention(q, k, v).transpose(1, 2)

def rel(a, b): return ((a.float() - b.float()).norm() / b.float().norm()).item()

def study_replay(mid, blocks, study):
    mod, cls, kw = study_config(mid)
    q = getattr(importlib.import_module(f'kv_quant.{mod}'), cls)(**kw)
    if hasattr(q, 'set_runtime_context'): q.set_runtime_context(frame_seq_length=P)
    n, state = FPB * P, None
    g = torch.Generator().manual_seed(1)
    for b, (k, v) in enumerate(blocks):
        end = (b + 1) * n
        for sigma in CALLS:                                         # 4 denoising calls, then the clean pass
            meta = {'tensor_dtype': torch.bfloat16, 'layer_id': 0, 'num_layers': 1, 'local_end_index': end,
                    'frame_seq_length': P}
            K = torch.zeros(1, end, H, D, dtype=torch.bfloat16); V = torch.zeros_like(K)
            if state is not None:
                pk, pv = q.dequantize_kv(state, meta=meta)
                K[:, :b * n], V[:, :b * n] = pk[:, :b * n].to(K.dtype), pv[:, :b * n].to(V.dtype)
            K[:, b * n:] = (k.float() + sigma * torch.randn(k.shape, generator=g)).bfloat16()
            V[:, b * n:] = (v.float() + sigma * torch.randn(v.shape, generator=g)).bfloat16()
            state = q.quantize_kv(K, V, meta=meta)
    pk, pv = q.dequantize_kv(state, meta={'tensor_dtype': torch.float32})
    return pk.float(), pv.float(), q.memory_bytes(state)

def ours_replay(mid, blocks):
    from kvquant_nb.cache import KVCache
    c = KVCache(mid, tokens_per_frame=P)
    for b, (k, v) in enumerate(blocks): c.commit(k, v, frame_start=FPB * b)
    return c

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('study', type=Path, help="a checkout of the study's repository (the folder that holds kv_quant/)")
    ap.add_argument('--out', type=Path, default=Path(__file__).resolve().parent.parent / 'data/parity/study_policy_replay.json')
    ap.add_argument('--methods', nargs='*', help='ids to replay (default: all)')
    a = ap.parse_args()
    if not (a.study / 'kv_quant' / 'age_tier.py').is_file(): sys.exit(f"{a.study} has no kv_quant/age_tier.py: pass the study's checkout")
    sys.path.insert(0, str(a.study))
    import kv_quant.base       # several of its classes leave the unused `estimate_active_kv_bytes` abstract: make it concrete
    kv_quant.base.KVQuantizer.estimate_active_kv_bytes = lambda self, *a, **k: 0
    from kvquant_nb.attention import cache_attention
    data = stream()
    hist, (kn, vn) = data[:BLOCKS], data[BLOCKS]
    Kx, Vx = torch.cat([k for k, _ in hist], 1), torch.cat([v for _, v in hist], 1)
    qn = torch.randn(kn.shape, generator=torch.Generator().manual_seed(2)).bfloat16()
    ref = sdpa(qn, torch.cat([Kx, kn], 1), torch.cat([Vx, vn], 1))
    bf16 = 2 * 2 * Kx.numel()
    rows = []
    for mid in a.methods or [m for m in ('RTN_INT2', 'RTN_INT4', 'KIVI_INT2', 'QUAROT_KV_INT2', 'PRQ_INT2', 'QAQ_INT2',
                                          'AGE_TIER_INT2', 'AGE_TIER_INT4', 'TPTQ_INT2', 'FLOWCACHE_HYBRID_INT2',
                                          'FLOWCACHE_ADAPTIVE_INT2', 'FLOWCACHE_PRUNE_INT2', 'FLOWCACHE_PRUNE_INT4',
                                          'FLOWCACHE_SOFT_PRUNE_INT2', 'FLOWCACHE_SOFT_PRUNE_INT4',
                                          'SPATIAL_MIXED_FG_RTN_INT4_BG_RTN_INT2', 'SPATIAL_MIXED_FG_RTN_INT4_BG_RTN_INT4',
                                          'SPATIAL_MIXED_FG_KIVI_INT4_BG_KIVI_INT2', 'SPATIAL_MIXED_FG_QUAROT_KV_INT4_BG_RTN_INT2')]:
        sk, sv, sbytes = study_replay(mid, hist, a.study)
        c = ours_replay(mid, hist)
        row = {'method': mid, 'study_ratio': round(bf16 / sbytes, 3), 'ours_ratio': round(bf16 / c.stored_bytes, 3),
               'study_attn_err': round(rel(sdpa(qn, torch.cat([sk.bfloat16(), kn], 1), torch.cat([sv.bfloat16(), vn], 1)), ref), 4),
               'ours_attn_err': round(rel(cache_attention(qn, kn, vn, c), ref), 4),
               'study_recon_err': round((rel(sk, Kx) + rel(sv, Vx)) / 2, 4)}
        rows.append(row)
        print(json.dumps(row))
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps({'made_by': 'tools/study_policy_replay.py', 'geometry': dict(tokens_per_frame=P, heads=H, head_dim=D,
                     frames_per_block=FPB, blocks=BLOCKS, calls_per_block=len(CALLS)), 'rows': rows}, indent=1) + '\n')
    print(f"wrote {a.out}")

if __name__ == '__main__': main()
