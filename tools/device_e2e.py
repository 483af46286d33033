"""Issue 14's device measurements: VAE decode and UMT5 phases (a), end-to-end `pipe(...)` peaks at 81 and 165 frames
with the decode after the rollout and the transformer parked in host memory, beside a decode during the rollout (b),
then long rollouts under windows sized to the same KV memory: 501 frames (c) and 1,005 frames (d).
Usage on the device: python tools/device_e2e.py OUT_DIR [parts: a b c d]. Each run is saved as soon as it finishes,
so a cut-off call still returns what was done. Random weights throughout."""
import json, sys, time
from pathlib import Path
import torch
from kvquant_nb.benchmarks import pipeline_memory, vae_decode_memory, umt5_memory, device_name
from kvquant_nb.cache import CacheBudget
from kvquant_nb.core import make_method

out, parts = Path(sys.argv[1]), set(sys.argv[2:] or 'abcd')
out.mkdir(parents=True, exist_ok=True)
dev = device_name()
def save(name, res):
    (out / f'{name}.json').write_text(json.dumps({'device': dev, 'date': time.strftime('%Y-%m-%d'), 'weights': 'random', **res}, indent=1))

def frame_bytes(method, tpf=1560, layers=30, heads=12, dim=128, chunk=3):
    "Stored K+V bytes of one latent frame over all layers, from encoding one block."
    m, x = make_method(method), torch.randn(1, chunk * tpf, heads, dim, device='cuda', dtype=torch.bfloat16)
    return layers * (m.nbytes(m.encode(x, 'key')) + m.nbytes(m.encode(x, 'value'))) / chunk

def same_memory(m, bf16=CacheBudget.from_self_forcing(12, 3)):
    "The window of method `m` holding about the KV bytes of BF16's local_attn_size=12, sink_size=3 window."
    f = int(bf16.max_frames * frame_bytes('BF16') // frame_bytes(m))
    return CacheBudget(max_frames=3 + (f - 3) // 3 * 3, sink_frames=3)

def measure(name, runs, modes=(False,), trace=False):
    res = None
    for r in runs:                                         # saved after each run: a cut-off call keeps the rest
        one = pipeline_memory([r], decode_modes=modes, trace=trace)
        res = one if res is None else {**res, 'rows': res['rows'] + one['rows']}
        save(name, res)

if 'a' in parts:
    save('vae_umt5', {'vae': vae_decode_memory(), 'umt5': umt5_memory()})
if 'b' in parts:
    runs = [(n, m, None) for n in (81, 165) for m in ('BF16', 'RTN_INT4', 'RTN_INT2', 'KIVI_INT2', 'QUAROT_KV_INT4')]
    measure('pipeline_e2e_offload', runs)
    measure('pipeline_e2e_during', [(165, 'BF16', None), (165, 'RTN_INT2', None)], modes=(True,))
if 'c' in parts or 'd' in parts:
    bf16 = CacheBudget.from_self_forcing(12, 3)
    for n in [n for n, p in ((501, 'c'), (1005, 'd')) if p in parts]:
        runs = ([(501, 'BF16', None)] if n == 501 else []) + [(n, 'BF16', bf16)]
        runs += [(n, m, same_memory(m)) for m in ('RTN_INT4', 'RTN_INT2')]
        measure(f'pipeline_long_{n}', runs, trace=True)
