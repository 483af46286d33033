"""Write the parity fixture for SageAttention 2's key quantizer: its own Triton code (thu-ml/SageAttention,
Apache-2.0, `sageattention/triton/quant_per_thread.py::per_thread_int8`, the quantizer its Hopper path calls with
BLKK=WARPK=128) run on seeded bf16 keys on the CPU through Triton's interpreter (`TRITON_INTERPRET=1`). Saves the
keys, the smoothing mean, the INT8 codes and the per-thread scales in data/parity/sage2_keys.safetensors, which
`nbs/07_methods_tensorcore.ipynb` tests `sage_quantize_keys` against. Nothing of upstream's code is copied: it is
imported from a checkout and run.

    git clone https://github.com/thu-ml/SageAttention /tmp/sage            # any checkout with sageattention/triton/
    python tools/sage2_parity_fixture.py /tmp/sage

Keys: 2 heads of 128, 300 tokens (two whole 128-key blocks and a ragged third), a per-channel offset, a few outlier
channels and a per-token spread, as video DiT keys have.
"""
import argparse, importlib.util, os, sys
from pathlib import Path
os.environ['TRITON_INTERPRET'] = '1'                 # before triton is imported: kernels run on the CPU
import torch
from safetensors.torch import save_file

ap = argparse.ArgumentParser(); ap.add_argument('checkout'); ap.add_argument('--out', default='data/parity/sage2_keys.safetensors')
a = ap.parse_args()
src = Path(a.checkout) / 'sageattention' / 'triton' / 'quant_per_thread.py'
if not src.is_file(): ap.error(f'no {src}: pass a SageAttention checkout')
spec = importlib.util.spec_from_file_location('sage_quant_per_thread', src)
upstream = importlib.util.module_from_spec(spec); spec.loader.exec_module(upstream)

g = torch.Generator().manual_seed(0)
B, H, L, D = 1, 2, 300, 128
k = torch.randn(B, H, L, D, generator=g) * (0.5 + torch.rand(B, H, L, 1, generator=g))
k = k + 2 * torch.randn(B, H, 1, D, generator=g)
k[..., :3] *= 5
k = k.bfloat16()
km = k.mean(dim=2, keepdim=True)                     # upstream's smooth_k: the keys' mean over the sequence (bf16)
q = torch.randn(B, H, 64, D, generator=g).bfloat16()
_, _, k_int8, k_scale = upstream.per_thread_int8(q, k, km, tensor_layout='HND', BLKQ=64, WARPQ=16, BLKK=128, WARPK=128)
save_file(dict(keys=k.contiguous(), mean=km.contiguous(), codes=k_int8.contiguous(), scales=k_scale.contiguous()), a.out,
          metadata=dict(source='thu-ml/SageAttention sageattention/triton/quant_per_thread.py per_thread_int8 (TRITON_INTERPRET=1)',
                        layout='HND', BLKK='128', WARPK='128', script='tools/sage2_parity_fixture.py'))
print(a.out, {n: tuple(t.shape) for n, t in dict(keys=k, codes=k_int8, scales=k_scale).items()})
