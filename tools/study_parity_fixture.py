"""Write the parity fixture for the study's quantizers: its own `kv_quant` code run on seeded, realistic K/V.

The study (Ranganath, Menon, Patnaik 2026; code: suraj-ranganath/kv-quant-longhorizon, package `kv_quant/`) defines
each method id by a quantizer class. This script imports that package from a checkout, runs every base quantizer on
the same bf16 keys and values, and saves inputs, reconstructions and `memory_bytes` in one small safetensors file that
`nbs/01_methods_basic.ipynb` and `nbs/02_methods_residual.ipynb` test our methods against (in CI, without the study's
code). Nothing of the study's code is copied here: it is imported and run.

    git clone <the study's repository> /tmp/study        # or any checkout that has kv_quant/
    python tools/study_parity_fixture.py /tmp/study      # -> data/parity/study_kv_quant.safetensors

Reconstructions are the study's `dequantize_kv` in float32 (its `tensor_dtype` option; PRQ and QAQ always decode in
float32), so a test compares exact values of the codes and scales, not two BF16 roundings of them.

Inputs (seeded, bf16, one Self-Forcing head geometry: head_dim 128; 136 tokens = 8.5 study blocks, so the tail is
padded as the study pads it): keys with fixed outlier channels, per-channel offsets and a per-token scale spread;
values with a per-token spread and rare isolated spikes (what QAQ's 6-sigma rule is for).
"""
import argparse, json, sys
from pathlib import Path
import torch
from safetensors.torch import save_file

B, L, H, D, ALIGNED = 1, 136, 4, 128, 128      # ALIGNED: a prefix that is whole 16-token blocks (bytes with no padding)

# study id -> (module, class, constructor kwargs); the constructors as the study's factory would call them
STUDY_IDS = {
    'RTN_INT2': ('rtn', 'RTNQuantizer', dict(bits=2)),
    'RTN_INT4': ('rtn', 'RTNQuantizer', dict(bits=4)),
    'RTN_K2_V4': ('rtn', 'RTNQuantizer', dict(bits=4, key_bits=2, value_bits=4)),
    'KIVI_INT2': ('kivi', 'KIVIQuantizer', dict(bits=2)),
    'KIVI_INT4': ('kivi', 'KIVIQuantizer', dict(bits=4)),
    'KIVI_K2_V4': ('kivi', 'KIVIQuantizer', dict(bits=4, key_bits=2, value_bits=4)),
    'QUAROT_KV_INT2': ('quarot_kv', 'QuaRotKVQuantizer', dict(bits=2)),
    'QUAROT_KV_INT4': ('quarot_kv', 'QuaRotKVQuantizer', dict(bits=4)),
    'PRQ_INT2': ('prq', 'PRQQuantizer', dict(bits=2)),
    'PRQ_INT4': ('prq', 'PRQQuantizer', dict(bits=4)),
    'QAQ_INT2': ('qaq', 'QAQQuantizer', dict(bits=2)),
    'QAQ_INT4': ('qaq', 'QAQQuantizer', dict(bits=4)),
}

def realistic_kv(seed=0):
    "Seeded bf16 K and V `[B, L, H, D]` with the structure real attention K/V have."
    g = torch.Generator().manual_seed(seed)
    tok = torch.exp(0.5 * torch.randn(B, L, 1, 1, generator=g))                       # per-token scale spread
    k = torch.randn(B, L, H, D, generator=g) * tok + 0.7 * torch.randn(1, 1, H, D, generator=g)   # channel offsets
    for h in range(H):                                                                 # 4 outlier channels a head
        ch = torch.randperm(D, generator=g)[:4]
        k[:, :, h, ch] *= 12.0
    v = torch.randn(B, L, H, D, generator=g) * tok
    spikes = torch.rand(B, L, H, D, generator=g) < 5e-4                                # rare isolated spikes
    v = torch.where(spikes, 14.0 * torch.sign(torch.randn(B, L, H, D, generator=g)), v)
    return k.bfloat16(), v.bfloat16()

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('study', type=Path, help="a checkout of the study's repository (the folder that holds kv_quant/)")
    ap.add_argument('--out', type=Path, default=Path(__file__).resolve().parent.parent / 'data/parity/study_kv_quant.safetensors')
    a = ap.parse_args()
    if not (a.study / 'kv_quant' / 'rtn.py').is_file(): sys.exit(f"{a.study} has no kv_quant/rtn.py: pass the study's checkout")
    sys.path.insert(0, str(a.study))
    import kv_quant.base       # several of its classes leave the unused `estimate_active_kv_bytes` abstract: make it concrete
    kv_quant.base.KVQuantizer.estimate_active_kv_bytes = lambda self, *a, **k: 0
    import importlib
    k, v = realistic_kv()
    out, meta = {'k': k, 'v': v}, {}
    for mid, (mod, cls, kw) in STUDY_IDS.items():
        q = getattr(importlib.import_module(f'kv_quant.{mod}'), cls)(**kw)
        st = q.quantize_kv(k, v)
        for t in ('k', 'v'): st[t]['tensor_dtype'] = torch.float32    # its own option: the exact values of its codes
        kh, vh = q.dequantize_kv(st)
        out[f'{mid}.k'], out[f'{mid}.v'] = kh.contiguous(), vh.contiguous()
        aligned = q.memory_bytes(q.quantize_kv(k[:, :ALIGNED].contiguous(), v[:, :ALIGNED].contiguous()))
        meta[mid] = {'class': f'kv_quant.{mod}.{cls}', 'kwargs': kw, 'memory_bytes': q.memory_bytes(st),
                     'memory_bytes_aligned': aligned, 'k_dtype': str(kh.dtype), 'v_dtype': str(vh.dtype)}
        print(f"{mid:16s} bytes {meta[mid]['memory_bytes']:>8d} (aligned {aligned:>8d})  "
              f"rel.err K {((kh.float() - k.float()).norm() / k.float().norm()).item():.4f} "
              f"V {((vh.float() - v.float()).norm() / v.float().norm()).item():.4f}")
    a.out.parent.mkdir(parents=True, exist_ok=True)
    save_file(out, str(a.out), metadata={'methods': json.dumps(meta), 'shape': json.dumps([B, L, H, D]),
                                         'aligned_tokens': str(ALIGNED), 'made_by': 'tools/study_parity_fixture.py',
                                         'torch': torch.__version__})
    print(f"wrote {a.out} ({a.out.stat().st_size / 1e6:.2f} MB)")

if __name__ == '__main__': main()
