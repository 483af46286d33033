"""Issue 14's device measurements in one call: VAE decode and UMT5 phases, end-to-end `pipe(...)` peaks at 81 and
165 frames (decode after / during the rollout), then long rollouts (501, 1,005 frames) under windows sized to
the same KV memory. Usage on the device: python tools/device_e2e.py OUT_DIR [parts: a b c]. Each part's JSON is
written as soon as it finishes, so a cut-off call still returns what was done. Random weights throughout."""
import json, sys, time
from pathlib import Path
import torch
from kvquant_nb.bench import pipeline_memory, vae_decode_memory, umt5_memory, device_name
from kvquant_nb.cache import CacheBudget
from kvquant_nb.core import make_method

out, parts = Path(sys.argv[1]), set(sys.argv[2:] or 'abc')
out.mkdir(parents=True, exist_ok=True)
dev = device_name()
def save(name, res):
    (out / f'{name}.json').write_text(json.dumps({'device': dev, 'date': time.strftime('%Y-%m-%d'), 'weights': 'random', **res}, indent=1))

def frame_bytes(method, tpf=1560, layers=30, heads=12, dim=128, chunk=3):
    "Stored K+V bytes of one latent frame over all layers, from encoding one block."
    m, x = make_method(method), torch.randn(1, chunk * tpf, heads, dim, device='cuda', dtype=torch.bfloat16)
    return layers * (m.nbytes(m.encode(x, 'key')) + m.nbytes(m.encode(x, 'value'))) / chunk

if 'a' in parts:
    save('vae_umt5', {'vae': vae_decode_memory(), 'umt5': umt5_memory()})
if 'b' in parts:
    runs = [(n, m, None) for n in (81, 165) for m in ('BF16', 'RTN_INT4', 'RTN_INT2', 'KIVI_INT2', 'QUAROT_KV_INT4')]
    save('pipeline_e2e', pipeline_memory(runs, decode_modes=(False, True)))
if 'c' in parts:
    bf16 = CacheBudget(max_frames=9, sink_frames=3)       # Self-Forcing's local_attn_size=12, sink_size=3
    target = 9 * frame_bytes('BF16')
    def same_memory(m):
        f = int(target // frame_bytes(m))
        return CacheBudget(max_frames=3 + (f - 3) // 3 * 3, sink_frames=3)
    runs = [(501, 'BF16', None), (501, 'BF16', bf16), (1005, 'BF16', bf16)]
    runs += [(n, m, same_memory(m)) for n in (501, 1005) for m in ('RTN_INT4', 'RTN_INT2')]
    res = None
    for r in runs:                                         # saved after each run: a cut-off call keeps the rest
        one = pipeline_memory([r], decode_modes=(True,), trace=True)
        res = one if res is None else {**res, 'rows': res['rows'] + one['rows']}
        save('pipeline_long', res)
