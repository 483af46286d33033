"""Issue 27 on the device: a few minutes more of the toy model's Self-Forcing training (`kvquant_nb.train_toy`, rollout
phase: the model rolls out over its own KV cache, loss against the world's ground truth), resumable across calls.

A device call returns files of at most 16 MiB, and the training state (26 MB without Adam's moments) is more: it comes
back as parts, OUT_DIR/toy_state.part00, .part01, ... Put them in `runs/toy_sf/` here and carry `runs/toy_sf` in the next
call: this script joins them into `runs/toy_sf/state.pt` and the run resumes there (without parts it starts from the
shipped model, `--init`). The exported model (EMA weights, config with the command, loss curve) is OUT_DIR/toy/, ready
to score on the CPU (`python tools/toy_report.py`) and, if it is better, to replace `data/models/toy/`.

    python tools/toy_train_device.py OUT_DIR [--minutes 6] [--batch 32] [--lr 2e-4] [--workers 12]
"""
import argparse, sys
from pathlib import Path

ap = argparse.ArgumentParser()
ap.add_argument('out'); ap.add_argument('--minutes', type=float, default=6); ap.add_argument('--batch', type=int, default=32)
ap.add_argument('--lr', type=float, default=2e-4); ap.add_argument('--workers', type=int, default=12)
ap.add_argument('--run', default='runs/toy_sf'); ap.add_argument('--init', default='data/models/toy/toy.safetensors')
a = ap.parse_args()
out, run = Path(a.out), Path(a.run)
out.mkdir(parents=True, exist_ok=True); run.mkdir(parents=True, exist_ok=True)
parts = sorted(run.glob('toy_state.part*'))
if parts:                                                     # the state of the last call, carried back in parts
    with open(run / 'state.pt', 'wb') as f:
        for p in parts: f.write(p.read_bytes())
    for p in parts: p.unlink()
resume = (run / 'state.pt').exists()
print('resuming from', run / 'state.pt' if resume else f'the shipped model ({a.init})', flush=True)

from kvquant_nb.train_toy import main
argv = ['--out', str(run), '--rollout-fraction', '1', '--minutes', str(a.minutes), '--steps', '100000', '--batch', str(a.batch),
        '--lr', str(a.lr), '--workers', str(a.workers), '--no-moments', '--export', str(out / 'toy')] + ([] if resume else ['--init', a.init])
main(argv)

state, n = (run / 'state.pt').read_bytes(), 15 << 20         # back in parts under the 16 MiB a returned file may have
for i in range(0, len(state), n): (out / f'toy_state.part{i // n:02d}').write_bytes(state[i:i + n])
print(f'state: {len(state) / 1e6:.1f} MB in {-(-len(state) // n)} parts under {out}', flush=True)
sys.exit(0)
