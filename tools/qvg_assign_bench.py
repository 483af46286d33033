"""QVG's Triton encode of one Self-Forcing span ([1, 37440, 12, 128] BF16, K and V) with the k-means assignment's
float32 dot in 'tf32x3' (the previous default) and 'bf16x3' (the current one), interleaved over two rounds, with the
attention-output error of each. Usage (CUDA): python tools/qvg_assign_bench.py OUT.json (about 30 s on an H200)."""
import json, sys
import torch
import kvquant_nb.methods.qvg as Q
from kvquant_nb.core import make_method
from kvquant_nb.benchmarks import time_ms
from kvquant_nb.planner import model_geometry
if not torch.cuda.is_available(): sys.exit("qvg_assign_bench times CUDA kernels: no CUDA device here")
G = model_geometry('wan-1.3b'); SPAN = (1, 8 * G.block_tokens, G.num_heads, G.head_dim)      # Self-Forcing's QVG span
q, k, v = (t.cuda() for t in Q.synthetic_qkv('clustered', SPAN, G.tokens_per_frame, seed=0))
def ms(fn): return time_ms(fn, warmup=3, iters=10)      # median of 10 by CUDA events
rows = []
for rnd in range(2):
    for prec in ('tf32x3', 'bf16x3'):
        for mid in ('QVG_INT2', 'QVG_INT4', 'QVG_PRO_INT2', 'QVG_PRO_INT4'):
            m = make_method(mid, encoder='triton')
            with Q.QVG_ASSIGN.using(precision=prec):
                tk, tv = ms(lambda: m.encode(k, 'key')), ms(lambda: m.encode(v, 'value'))
                err = Q.attention_output_error(m, q, k, v)
            rows.append({'round': rnd, 'assign_precision': prec, 'method': mid, 'k_ms': tk, 'v_ms': tv, 'kv_ms': tk + tv, 'attn_err': err})
            print(rnd, prec, mid, round(tk, 3), round(tv, 3), round(tk + tv, 3), 'attn err', round(err, 5), flush=True)
json.dump({'device': torch.cuda.get_device_name(), 'torch': torch.__version__, 'shape': list(SPAN),
           'note': 'QVG Triton encode of one SF span, K and V, assignment dot in tf32x3 vs bf16x3, interleaved, two rounds; CUDA events, median of 10',
           'rows': rows}, open(sys.argv[1], 'w'), indent=1)
