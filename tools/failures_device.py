"""Issue 29 on one GPU, **random weights**: the failure cases of `pipe(...)` on CUDA, each with what it left behind.

1. `preflight` — free memory made short by a ballast tensor: `pipe(...)` must refuse with the planner's plan
   (`WontFit`) before any work: no block run, no memory taken, no file written. `kvquant sweep`'s check likewise.
2. `oom` — a per-process memory cap between the cache of the run's middle block and of its last: the run hits a real
   CUDA out-of-memory mid-rollout, writing the video as it goes (`decode_during=True`); the error must be a `WontFit`
   with the card's advice and say what is on disk; the mp4 must play the frames it says.
3. `interrupt` — Ctrl-C (`_thread.interrupt_main`) halfway through a `video_path=` run: `KeyboardInterrupt`, a playable mp4
   of the frames so far, said on stderr.
4. `disk` — a full disk under the writer (a 1 MB tmpfs, where the machine lets us mount one): a one-line `OSError`
   naming the path.

    python tools/failures_device.py OUT_DIR [--frames 81] [--method BF16]

Writes OUT_DIR/failures_<device>.json (a row per case, saved as each finishes). Needs imageio and imageio-ffmpeg (the device
image has imageio; carry imageio-ffmpeg 0.4.9's wheel, 27 MB: 0.8 is 68 MB, over a call's 64 MiB).
"""
import _thread, argparse, contextlib, io, json, signal, subprocess, sys, tempfile, threading, time
from pathlib import Path
import torch
import kvquant_nb.methods
from kvquant_nb.benchmarks import wan_vae, device_name, slug
from kvquant_nb.model import WAN_1_3B
from kvquant_nb.pipeline import SelfForcingPipeline
from kvquant_nb.planner import WontFit
from kvquant_nb.sweep import _check_fits

ap = argparse.ArgumentParser()
ap.add_argument('out'); ap.add_argument('--frames', type=int, default=81); ap.add_argument('--method', default='BF16')
a = ap.parse_args()
out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
path, GB = out / f"failures_{slug(device_name())}.json", 1e9
videos = Path(tempfile.mkdtemp(prefix='kvq_failures_'))    # the mp4s stay on the machine: only the JSON comes back
res = dict(device=device_name(), date=time.strftime('%Y-%m-%d'), torch=torch.__version__,
           weights='random (transformer, VAE, text embeddings)', method=a.method, num_frames=a.frames, cases=[])

BALLAST = ("import sys, torch; x = torch.empty(max(int(sys.argv[1]), 0), dtype=torch.uint8, device='cuda'); "
           "print(f'{x.numel() / 1e9:.2f} GB held by another process', flush=True); sys.stdin.read()")

def put(row):
    res['cases'].append(row); path.write_text(json.dumps(res, indent=1)); print(row, flush=True)

def mp4_frames(p:Path) -> int|None:
    "Frames an mp4 plays (None: no file or unreadable)."
    if not p.exists(): return None
    import imageio.v2 as imageio
    try:
        with imageio.get_reader(p) as r: return sum(1 for _ in r)
    except Exception as e: return f'unreadable: {e}'

pipe = SelfForcingPipeline.transformer_only(WAN_1_3B, device='cuda')
pipe.vae = wan_vae(torch.bfloat16, 'cuda', 0)
text = torch.randn(1, 512, WAN_1_3B['text_dim'], generator=torch.Generator().manual_seed(0)).cuda().bfloat16()
pipe.encode_prompt = lambda prompt: text
pipe('warm-up', 9, a.method, keep_frames=False, check_memory=False, decode_during=True)     # kernels, allocator
ref = pipe('reference', a.frames, a.method, keep_frames=False, check_memory=False, decode_during=True)
blocks = [r['peak_gb'] for r in ref.trace]
res['reference'] = dict(runtime_s=ref.stats['runtime_s'], peak_gb=ref.stats['peak_vram_gb'], block_peaks_gb=blocks,
                        video_frames=ref.stats['video_frames'])
print(res['reference'], flush=True)
total = torch.cuda.get_device_properties(0).total_memory

# 1. preflight: another process holds a ballast so that 2 GB less than the planner's predicted peak is free (a ballast
#    of this process would not do: the check counts this process's own allocations as available)
torch.cuda.empty_cache()
need = pipe.preflight(a.method, a.frames, available_gb=1e9)['peak_gb']
want_free = need * GB - torch.cuda.memory_allocated() - 2 * GB
ballast = subprocess.Popen([sys.executable, '-c', BALLAST, str(int(torch.cuda.mem_get_info()[0] - want_free))], stdin=subprocess.PIPE,
                           stdout=subprocess.PIPE, text=True)
held = ballast.stdout.readline().strip()                                  # the child says when it holds its memory
before, vid = torch.cuda.memory_allocated(), videos / 'preflight.mp4'
t0 = time.perf_counter()
try: pipe('refused', a.frames, a.method, video_path=vid); row = dict(case='preflight', refused=False)
except WontFit as e: row = dict(case='preflight', refused='during the run' not in str(e), message=str(e))
row.update(ballast=held, predicted_gb=need, available_gb=(torch.cuda.mem_get_info()[0] + before) / GB, seconds=time.perf_counter() - t0,
           allocated_change_gb=(torch.cuda.memory_allocated() - before) / GB, file_written=vid.exists())
try: _check_fits([a.method, 'RTN_INT2'], a.frames, 'checkpoint', 'cuda'); row['sweep_refused'] = False
except WontFit as e: row.update(sweep_refused=True, sweep_message=str(e))
ballast.stdin.close(); ballast.wait(); torch.cuda.empty_cache()
put(row)

# 2. a real out-of-memory mid-run: a cap between the middle block's peak and the last's
cap = (blocks[len(blocks) // 2] + blocks[-1]) / 2
torch.cuda.set_per_process_memory_fraction(cap * GB / total)
vid, t0 = videos / 'oom.mp4', time.perf_counter()
try: pipe('oom', a.frames, a.method, video_path=vid, check_memory=False, decode_during=True); row = dict(case='oom', raised=None)
except WontFit as e: row = dict(case='oom', raised='WontFit', message=str(e))
except torch.OutOfMemoryError as e: row = dict(case='oom', raised='OutOfMemoryError (not caught)', message=str(e)[:300])
torch.cuda.set_per_process_memory_fraction(1.0); torch.cuda.empty_cache()
row.update(cap_gb=cap, reference_frames=ref.stats['video_frames'], seconds=time.perf_counter() - t0, mp4_frames=mp4_frames(vid), file=vid.name)
put(row)

# 3. Ctrl-C halfway through a video_path= run (SIGINT's default handler: a shell's `&` may have left it ignored)
signal.signal(signal.SIGINT, signal.default_int_handler)
vid, err = videos / 'interrupt.mp4', io.StringIO()
timer = threading.Timer(ref.stats['runtime_s'] / 2, _thread.interrupt_main)
try:
    timer.start()
    with contextlib.redirect_stderr(err): pipe('interrupt', a.frames, a.method, video_path=vid, decode_during=True)
    row = dict(case='interrupt', raised=None)
except KeyboardInterrupt: row = dict(case='interrupt', raised='KeyboardInterrupt')
finally: timer.cancel()
torch.cuda.empty_cache()
row.update(stderr=err.getvalue().strip(), mp4_frames=mp4_frames(vid), file=vid.name)
put(row)

# 4. a full disk under the writer
full = Path('/tmp/kvq_full'); full.mkdir(exist_ok=True)
mounted = subprocess.run(['mount', '-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', str(full)], capture_output=True, text=True)
if mounted.returncode: put(dict(case='disk', skipped=f"no 1 MB tmpfs here: {mounted.stderr.strip() or mounted.returncode}"))
else:
    try:
        pipe('disk', a.frames, a.method, video_path=full / 'full.mp4', decode_during=True); row = dict(case='disk', raised=None)
    except OSError as e: row = dict(case='disk', raised=type(e).__name__, message=str(e), one_line='\n' not in str(e))
    finally: subprocess.run(['umount', '-l', str(full)])
    put(row)
