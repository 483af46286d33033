"""Issue 28, first step: attention libraries side by side with cuDNN BF16 at this package's shapes, one GPU, random
inputs. Per shape (the 1.3B's block of 3 latent frames against its full 81-frame cache, 60,840 keys; the 5B's block
of 8 against 48 latent frames): cuDNN BF16 SDPA time, then each library present (SageAttention 1, `sageattention`
1.0.6: INT8 Q/K per block in Triton, FP16 P·V) — its time, its ratio to cuDNN and its relative error against an
FP32 reference. Libraries that are not installed are skipped with a note. Saved as attention_libs_<device>.json.

    python tools/attention_libs_device.py OUT_DIR
"""
import json, sys, time
from pathlib import Path
import torch
import torch.nn.functional as F
from torch.nn.attention import SDPBackend, sdpa_kernel
from kvquant_nb.benchmarks import device_name, time_ms

out = Path(sys.argv[1]); out.mkdir(parents=True, exist_ok=True)
shapes = {'1.3b block vs 81 frames': (12, 3 * 1560, 21 * 1560 + 3 * 1560), '5b block vs 48 latents': (24, 8 * 880, 48 * 880)}
rows, notes = [], []
try: from sageattention import sageattn
except ImportError as e: sageattn = None; notes.append(f'sageattention: {e}')
rel = lambda a, b: ((a.float() - b.float()).norm() / b.float().norm()).item()
for name, (H, Lq, Lk) in shapes.items():
    g = torch.Generator(device='cuda').manual_seed(0)
    q, k, v = (torch.randn(1, H, L, 128, device='cuda', generator=g, dtype=torch.bfloat16) for L in (Lq, Lk, Lk))
    k = k + 0.5 * torch.randn(1, H, 1, 128, device='cuda', generator=g, dtype=torch.bfloat16)      # a channel offset, as DiT keys have
    ref = F.scaled_dot_product_attention(q.float()[:, :, :1024], k.float(), v.float())
    with sdpa_kernel(SDPBackend.CUDNN_ATTENTION):
        cudnn = time_ms(lambda: F.scaled_dot_product_attention(q, k, v))
        err = rel(F.scaled_dot_product_attention(q, k, v)[:, :, :1024], ref)
    rows.append(dict(shape=name, heads=H, q_tokens=Lq, k_tokens=Lk, path='cuDNN BF16', ms=cudnn, vs_cudnn=1.0, rel_err=err))
    if sageattn is not None:
        for dt in (torch.float16, torch.bfloat16):
            qq, kk, vv = q.to(dt), k.to(dt), v.to(dt)
            ms = time_ms(lambda: sageattn(qq, kk, vv, tensor_layout='HND'))
            rows.append(dict(shape=name, heads=H, q_tokens=Lq, k_tokens=Lk, path=f'SageAttention 1.0.6 ({str(dt)[6:]})', ms=ms,
                             vs_cudnn=ms / cudnn, rel_err=rel(sageattn(qq, kk, vv, tensor_layout='HND')[:, :, :1024], ref)))
    for r in rows[-3:]: print(r, flush=True)
    (out / f'attention_libs_{device_name()}.json').write_text(json.dumps(dict(device=torch.cuda.get_device_name(), date=time.strftime('%Y-%m-%d'),
        torch=torch.__version__, inputs='random (keys with a per-channel offset)', notes=notes, rows=rows), indent=1))
