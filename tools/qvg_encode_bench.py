"""Time QVG's encode of one Self-Forcing span of K and V ([1, 37440, 12, 128] BF16), old path ('reference': the plain
PyTorch functions) against new ('auto': the Triton kernels on CUDA; 'eager', the faster PyTorch path, is timed too),
check that the paths store the same bytes and decode alike, and compare the FP8 scale roundings ('nearest', the
default, and 'up') on the attention-output error of those tensors. Prints a table and writes OUT.json.

Usage (device): python tools/qvg_encode_bench.py OUT.json          (CUDA; about a minute on an H200)
        (smoke): python tools/qvg_encode_bench.py OUT.json --cpu --small
Imports only kvquant_nb, torch (and triton through kvquant_nb) and the standard library."""
import argparse, json, statistics, sys, time
import torch
from kvquant_nb.core import make_method
from kvquant_nb.planner import model_geometry
from kvquant_nb.methods.qvg import (SCALE_ROUNDINGS, attention_output_error, synthetic_qkv,
                                    triton_ready)

SF_SPAN_TOKENS = 8 * model_geometry('wan-1.3b').block_tokens    # Self-Forcing's QVG span: 8 blocks
IDS = ('QVG_INT2', 'QVG_INT4', 'QVG_PRO_INT2', 'QVG_PRO_INT4')

def median_ms(fn, cuda:bool, warmup:int, reps:int) -> float:
    "Median wall time of `fn()` in ms: CUDA events around each call on the GPU, perf_counter on the CPU."
    for _ in range(warmup): fn()
    if cuda: torch.cuda.synchronize()
    ts = []
    for _ in range(reps):
        if cuda:
            a, b = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            a.record(); fn(); b.record(); b.synchronize(); ts.append(a.elapsed_time(b))
        else:
            t0 = time.perf_counter(); fn(); ts.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(ts)

def rel(a, b) -> float: return ((a.float() - b.float()).norm() / b.float().norm()).item()

def agreement(mid, enc, k, v, ref_states):
    "How the `enc` path's states compare with the reference path's: bytes, stage-0 ids, decodes and their errors."
    m, mr = make_method(mid, encoder=enc), make_method(mid, encoder='reference')
    out = {'method': mid, 'encoder': enc}
    for role, x in (('k', k), ('v', v)):
        s, sr = m.encode(x, 'key' if role == 'k' else 'value'), ref_states[role]
        out[f'{role}_bytes_equal'] = s.nbytes() == sr.nbytes()
        out[f'{role}_ids_agree'] = (s.tensors['ids'][0] == sr.tensors['ids'][0]).float().mean().item()
        y, yr = m.decode(s), mr.decode(sr)
        out[f'{role}_decode_vs_ref'] = rel(y, yr)
        out[f'{role}_err'], out[f'{role}_err_ref'] = rel(y, x), rel(yr, x)
    return out

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('out'); p.add_argument('--cpu', action='store_true', help='run on the CPU (smoke test)')
    p.add_argument('--small', action='store_true', help='[1, 2048, 2, 128] and 128 queries instead of one SF span')
    p.add_argument('--kind', default='clustered', choices=('clustered', 'outliers'))
    p.add_argument('--warmup', type=int, default=2); p.add_argument('--reps', type=int, default=10)
    a = p.parse_args(argv)
    cuda = not a.cpu
    if cuda and not torch.cuda.is_available(): sys.exit('no CUDA device: pass --cpu --small for a smoke test')
    dev = 'cuda' if cuda else 'cpu'
    shape, queries = ((1, 2048, 2, 128), 128) if a.small else ((1, SF_SPAN_TOKENS, 12, 128), 1560)
    t_start = time.perf_counter()
    q, k, v = (t.to(dev) for t in synthetic_qkv(a.kind, shape, queries, seed=0))
    encoders = ['reference', 'eager'] + (['triton'] if triton_ready(k) else [])
    timings, agree = [], []
    for mid in IDS:
        ref_states = {}
        for enc in encoders:
            m = make_method(mid, encoder=enc)
            tk = median_ms(lambda: m.encode(k, 'key'), cuda, a.warmup, a.reps)
            tv = median_ms(lambda: m.encode(v, 'value'), cuda, a.warmup, a.reps)
            timings.append({'method': mid, 'encoder': enc, 'k_ms': tk, 'v_ms': tv, 'kv_ms': tk + tv})
            if enc == 'reference': ref_states = {'k': m.encode(k, 'key'), 'v': m.encode(v, 'value')}
            else: agree.append(agreement(mid, enc, k, v, ref_states))
    errors = []
    for mid in IDS:
        for rnd in SCALE_ROUNDINGS:
            m = make_method(mid, scale_rounding=rnd)
            errors.append({'method': mid, 'rounding': rnd, 'attn_err': attention_output_error(m, q, k, v),
                           'k_err': rel(m.decode(m.encode(k, 'key')), k), 'v_err': rel(m.decode(m.encode(v, 'value')), v),
                           'kv_bytes': m.encode(k, 'key').nbytes() + m.encode(v, 'value').nbytes()})
    report(timings, agree, errors)
    res = {'device': torch.cuda.get_device_name() if cuda else 'cpu', 'torch': torch.__version__,
           'triton': triton_version(), 'shape': list(shape), 'queries': queries, 'kind': a.kind, 'dtype': 'bfloat16',
           'warmup': a.warmup, 'reps': a.reps, 'date': time.strftime('%Y-%m-%d'), 'timings_ms': timings,
           'path_agreement': agree, 'rounding_errors': errors, 'total_s': time.perf_counter() - t_start}
    with open(a.out, 'w') as f: json.dump(res, f, indent=1)
    print(f"wrote {a.out} ({res['device']}, {res['total_s']:.0f} s)")

def triton_version():
    try: import triton; return triton.__version__
    except ImportError: return None

def report(timings, agree, errors):
    print(f"{'method':14}{'encoder':11}{'K ms':>9}{'V ms':>9}{'K+V ms':>9}{'vs ref':>8}")
    ref = {t['method']: t['kv_ms'] for t in timings if t['encoder'] == 'reference'}
    for t in timings:
        print(f"{t['method']:14}{t['encoder']:11}{t['k_ms']:9.2f}{t['v_ms']:9.2f}{t['kv_ms']:9.2f}{ref[t['method']] / t['kv_ms']:7.1f}x")
    print(f"\n{'method':14}{'encoder':11}{'bytes =':>8}{'ids agree K/V':>15}{'decode vs ref K/V':>19}{'err K/V (ref)':>26}")
    for g in agree:
        print(f"{g['method']:14}{g['encoder']:11}{str(g['k_bytes_equal'] and g['v_bytes_equal']):>8}"
              f"{g['k_ids_agree']:8.4f}/{g['v_ids_agree']:.4f}{g['k_decode_vs_ref']:10.2e}/{g['v_decode_vs_ref']:.2e}"
              f"{g['k_err']:9.4f}/{g['v_err']:.4f} ({g['k_err_ref']:.4f}/{g['v_err_ref']:.4f})")
    print(f"\n{'method':14}{'rounding':10}{'attn err':>10}{'K err':>9}{'V err':>9}{'K+V bytes':>12}")
    for e in errors:
        print(f"{e['method']:14}{e['rounding']:10}{e['attn_err']:10.4f}{e['k_err']:9.4f}{e['v_err']:9.4f}{e['kv_bytes']:12d}")

if __name__ == '__main__': main()
