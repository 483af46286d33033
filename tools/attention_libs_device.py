"""Issue 28, first step: attention libraries side by side with cuDNN BF16 at this package's shapes, one GPU, random
inputs. Per shape (the 1.3B's block of 3 latent frames against its 81-frame cache and chunk, 37,440 keys, and against
60,840 keys, 156 frames; the 5B's block of 8 against 48 latent frames): cuDNN BF16 SDPA time, then each library present (SageAttention 1, `sageattention`
1.0.6: INT8 Q/K per block in Triton, FP16 P·V; SageAttention 2's Hopper kernel, built by `tools/sage2_device.py`:
INT8 Q·K per thread, FP8 P·V with wgmma) — its time, its ratio to cuDNN and its relative error against an FP32
reference. For SageAttention 2 also its kernel alone on K/V stored beforehand by `SAGE_INT8K_FP8V` (`kernel only`, through
`kvquant_nb.sage.sage2_kernel`, the 'sage' backend's own call): what that cache pays per stored segment; and the
'sage' backend's whole call over the same keys stored as the rollout commits them, a segment per block, each
segment's output merged (`kvquant_nb.sage.sage_attention`): what the per-block layout costs over one segment. Libraries that are not there are skipped with a
note; at 60,840 keys, a profile of the backend's call and of the kernel alone (where the time goes). Saved as
attention_libs_<device>.json.

    python tools/attention_libs_device.py OUT_DIR [SAGE2_DIR]     # SAGE2_DIR: sage2_device.py's build (default /tmp/sage2)
"""
import importlib.util, json, sys, time
from pathlib import Path
import torch
import torch.nn.functional as F
from torch.nn.attention import SDPBackend, sdpa_kernel
from kvquant_nb.benchmarks import device_name, slug, time_ms
from kvquant_nb.core import make_method
from kvquant_nb.sage import sage2_kernel, sage_attention

out = Path(sys.argv[1]); out.mkdir(parents=True, exist_ok=True)
shapes = {'1.3b block vs 81 frames': (12, 3 * 1560, 21 * 1560 + 3 * 1560), '1.3b block vs 156 frames': (12, 3 * 1560, 39 * 1560),
          '5b block vs 48 latents': (24, 8 * 880, 48 * 880)}
BLOCK = {'1.3b': 3 * 1560, '5b': 8 * 880}                                  # tokens a committed block holds
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
    "The 'sage' backend's own path over one stored segment: K/V encoded once by `SAGE_INT8K_FP8V` (as at commit), then `kvquant_nb.sage.sage2_kernel` timed (the query quantized on its first call)."
    key, value = make_method('SAGE_INT8K_FP8V').encode_pair(k.transpose(1, 2), v.transpose(1, 2))
    run, sm_scale = sage2_kernel(sage2), q.size(-1) ** -0.5
    return lambda: run(q, key, value, sm_scale)[0]
def sage_segments(q, k, v, block:int, batched:bool, shared:bool=False):
    "The 'sage' backend over `k`/`v` stored a segment per `block` tokens (the last may be shorter), as a cache commits them: `SAGE_INT8K_FP8V` (equal ones in one launch, or a launch each) or `SAGE_SHARED_INT8K_FP8V` (one launch over all)."
    enc, bq, segs = make_method('SAGE_SHARED_INT8K_FP8V' if shared else 'SAGE_INT8K_FP8V'), q.transpose(1, 2), []
    for i in range(0, k.shape[2], block):
        segs.append(enc.encode_after(k[:, :, i:i + block].transpose(1, 2), v[:, :, i:i + block].transpose(1, 2), segs[-1] if segs else None))
    run = sage2_kernel(sage2)
    kern = run if batched else (lambda *a: run(*a))               # without `.batch`/`.slab`: one launch per segment
    return lambda: sage_attention(bq, segs, kernel=kern).transpose(1, 2), len(segs)
def profile(fn, iters:int=5) -> dict:
    "Where a call's time goes: the kernels `fn` launches (GPU ms a call, torch.profiler, after a warm-up) and the CPU's own ms to issue one call."
    from torch.profiler import profile as prof, ProfilerActivity
    fn(); torch.cuda.synchronize()
    t0 = time.perf_counter(); fn(); issue = (time.perf_counter() - t0) * 1e3; torch.cuda.synchronize()
    with prof(activities=[ProfilerActivity.CPU, ProfilerActivity.CUDA]) as p:
        for _ in range(iters): fn()
        torch.cuda.synchronize()
    gpu = lambda e: getattr(e, 'device_time_total', None) or getattr(e, 'cuda_time_total', 0)
    ev = sorted((e for e in p.key_averages() if gpu(e) > 0), key=lambda e: -gpu(e))[:15]
    return dict(cpu_issue_ms=issue, kernels=[dict(name=e.key[:90], calls=e.count / iters, gpu_ms=gpu(e) / 1e3 / iters) for e in ev])
profiles = {}
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
        run = sage2_kernel_only(q, k, v)                # the cache's dtype, bf16: what the 'sage' backend pays per stored segment
        ms = time_ms(run)
        rows.append(dict(shape=name, heads=H, q_tokens=Lq, k_tokens=Lk, path='SageAttention 2 sm90 kernel only, from SAGE_INT8K_FP8V (bf16)',
                         ms=ms, vs_cudnn=ms / cudnn, rel_err=rel(run()[:, :, :1024], ref)))
        for batched, shared in ((False, False), (True, False), (True, True)):
            run, n = sage_segments(q, k, v, BLOCK[name.split()[0]], batched, shared)
            ms = time_ms(run)
            how = 'SAGE_SHARED_INT8K_FP8V, one launch over all' if shared else 'equal ones in one launch' if batched else 'a launch each'
            rows.append(dict(shape=name, heads=H, q_tokens=Lq, k_tokens=Lk, ms=ms, vs_cudnn=ms / cudnn, rel_err=rel(run()[:, :, :1024], ref),
                             path=f"'sage' backend, {n} segments (a block each) merged: {how}"))
            if batched and Lk == 39 * 1560:                       # 60,840 keys: the issue's shape
                try: profiles[f"{name}: 'sage' backend, {n} segments, {how}"] = profile(run)
                except Exception as e: profiles['error'] = repr(e)       # the timings above stand without it
        if Lk == 39 * 1560:
            try: profiles[f'{name}: kernel only'] = profile(sage2_kernel_only(q, k, v))
            except Exception as e: profiles['error'] = repr(e)
            print(json.dumps(profiles, indent=1), flush=True)
    for r in rows[-9:]: print(r, flush=True)
    (out / f'attention_libs_{slug(device_name())}.json').write_text(json.dumps(dict(device=torch.cuda.get_device_name(), date=time.strftime('%Y-%m-%d'),
        torch=torch.__version__, inputs='random (keys with a per-channel offset)', notes=notes, rows=rows, profiles=profiles), indent=1))
