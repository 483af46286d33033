"""Issue 28, first step: attention libraries side by side with cuDNN BF16 at this package's shapes, one GPU, random
inputs. Per shape (the 1.3B's block of 3 latent frames against its full 81-frame cache, 60,840 keys; the 5B's block
of 8 against 48 latent frames): cuDNN BF16 SDPA time, then each library present (SageAttention 1, `sageattention`
1.0.6: INT8 Q/K per block in Triton, FP16 P·V; SageAttention 2's Hopper kernel, built by `tools/sage2_device.py`:
INT8 Q·K per thread, FP8 P·V with wgmma) — its time, its ratio to cuDNN and its relative error against an FP32
reference. For SageAttention 2 also its kernel alone on inputs quantized beforehand (`kernel only`): what a cache that
stores its INT8 K and FP8 V codes with their scales would pay per call. Libraries that are not there are skipped with a
note. Saved as attention_libs_<device>.json.

    python tools/attention_libs_device.py OUT_DIR [SAGE2_DIR]     # SAGE2_DIR: sage2_device.py's build (default /tmp/sage2)
"""
import importlib.util, json, sys, time
from pathlib import Path
import torch
import torch.nn.functional as F
from torch.nn.attention import SDPBackend, sdpa_kernel
from kvquant_nb.benchmarks import device_name, slug, time_ms

out = Path(sys.argv[1]); out.mkdir(parents=True, exist_ok=True)
shapes = {'1.3b block vs 81 frames': (12, 3 * 1560, 21 * 1560 + 3 * 1560), '5b block vs 48 latents': (24, 8 * 880, 48 * 880)}
rows, notes = [], []
try:
    import sageattention
    from sageattention import sageattn
    notes.append(f"sageattention {getattr(sageattention, '__version__', '1.0.6 (no __version__)')} from {sageattention.__file__}")
except ImportError as e: sageattn = None; notes.append(f'sageattention: {e}')

def load_sage2(root:Path):
    "SageAttention 2 from its build folder as `sageattention2` (beside 1.0.6's `sageattention`), or None with a note."
    init = root / 'sageattention' / '__init__.py'
    if not init.is_file(): notes.append(f'SageAttention 2: no build at {root}'); return None
    try:
        spec = importlib.util.spec_from_file_location('sageattention2', init, submodule_search_locations=[str(init.parent)])
        mod = importlib.util.module_from_spec(spec); sys.modules['sageattention2'] = mod; spec.loader.exec_module(mod)
        core = sys.modules['sageattention2.core']
        if not core.SM90_ENABLED: raise ImportError('its sm90 extension did not load')
        return core
    except Exception as e: notes.append(f'SageAttention 2: {type(e).__name__}: {e}'); return None
sage2 = load_sage2(Path(sys.argv[2] if len(sys.argv) > 2 else '/tmp/sage2'))

def sage2_kernel_only(q, k, v):
    "SageAttention 2's sm90 call split into its quantizers (done once, as a cache would at commit) and its kernel (timed)."
    q_int8, q_scale, k_int8, k_scale = sage2.per_thread_int8_triton(q, k, k.mean(dim=2, keepdim=True), tensor_layout='HND',
                                                                    BLKQ=64, WARPQ=16, BLKK=128, WARPK=128)
    pad = -k.size(2) % 128
    vp = torch.cat([v, v.new_zeros(*v.shape[:2], pad, v.size(3))], 2) if pad else v
    v_fp8, v_scale, _ = sage2.per_channel_fp8(vp, tensor_layout='HND', smooth_v=False)
    o = torch.empty_like(q)
    run = lambda: sage2.sm90_compile.qk_int8_sv_f8_accum_f32_fuse_v_scale_attn_inst_buf(
        q_int8, k_int8, v_fp8, o, q_scale, k_scale, v_scale, 1, 0, 3, q.size(-1) ** -0.5, 0)
    return run, o
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
    if sage2 is not None:
        for dt in (torch.float16, torch.bfloat16):
            qq, kk, vv = q.to(dt), k.to(dt), v.to(dt)
            call = lambda: sage2.sageattn_qk_int8_pv_fp8_cuda_sm90(qq, kk, vv, tensor_layout='HND', pv_accum_dtype='fp32+fp32')
            ms = time_ms(call)
            rows.append(dict(shape=name, heads=H, q_tokens=Lq, k_tokens=Lk, path=f'SageAttention 2 sm90 ({str(dt)[6:]})', ms=ms,
                             vs_cudnn=ms / cudnn, rel_err=rel(call()[:, :, :1024], ref)))
            run, o = sage2_kernel_only(qq, kk, vv)
            ms = time_ms(run); run()
            rows.append(dict(shape=name, heads=H, q_tokens=Lq, k_tokens=Lk, path=f'SageAttention 2 sm90 kernel only ({str(dt)[6:]})',
                             ms=ms, vs_cudnn=ms / cudnn, rel_err=rel(o[:, :, :1024], ref)))
    for r in rows[-7:]: print(r, flush=True)
    (out / f'attention_libs_{slug(device_name())}.json').write_text(json.dumps(dict(device=torch.cuda.get_device_name(), date=time.strftime('%Y-%m-%d'),
        torch=torch.__version__, inputs='random (keys with a per-channel offset)', notes=notes, rows=rows), indent=1))
