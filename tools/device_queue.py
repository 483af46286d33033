"""The GPU measurements still to make, by name, run one after another inside one device call: each with its own time
limit, none started that would end past `--until` seconds, a failing one logged and the next started. Each job writes
its own JSON under OUT_DIR (rows saved as they finish, so a job cut short leaves what it measured); this script adds
OUT_DIR/queue_<device>.json (per job: the command, seconds, exit status, the output's tail). A device call returns at
most 8 files, so choose jobs whose files fit (`--list` says what each writes).

    python tools/device_queue.py OUT_DIR JOB ... [--until 570]
    python tools/device_queue.py --list

Carry `.whl` (and `.whl_video` for `failures`, `.sage2` for `sage2`); the issue each job serves is in `--list`.
"""
import argparse, json, os, signal, subprocess, sys, time
from pathlib import Path

PY = sys.executable
JOBS = {   # name: (issue, seconds allowed, argv after the script with OUT for the output folder, files it writes)
    'decode_720':   (30, 330, ['tools/decode_res_device.py', 'OUT', '720x1280', '--methods', 'BF16', 'RTN_INT2', 'KIVI_INT2'], 'decode_res_<device>.json'),
    'decode_low':   (30, 300, ['tools/decode_res_device.py', 'OUT', '320x576', '480x832', '--methods', 'BF16', 'RTN_INT4', 'RTN_INT2', 'KIVI_INT2', 'QVG_INT2'], 'decode_res_<device>.json'),
    'decode_1088':  (30, 420, ['tools/decode_res_device.py', 'OUT', '1088x1920', '--methods', 'BF16', 'RTN_INT2', 'KIVI_INT2', 'QVG_INT2'], 'decode_res_<device>.json'),
    'decode_rest':  (30, 420, ['tools/decode_res_device.py', 'OUT', '1088x1920', '480x832', '--methods', 'KIVI_INT2', 'QVG_INT2', 'RTN_INT2'], 'decode_res_<device>.json (resident at decode)'),
    'decode_fix':   (30, 150, ['tools/decode_res_device.py', 'OUT', '320x576', '--methods', 'RTN_INT2', 'KIVI_INT2'], 'decode_res_<device>.json (after the decoder reset)'),
    'decode_int4':  (30, 360, ['tools/decode_res_device.py', 'OUT', '720x1280', '1088x1920', '--methods', 'RTN_INT4', 'QVG_INT2'], 'decode_res_<device>.json'),
    'decode_wan22': (30, 150, ['tools/decode_res_device.py', 'OUT', 'wan22'], 'decode_res_<device>.json'),
    'video_cells':  (30, 200, ['tools/run_notebook.py', 'nbs/14a_video.ipynb', '--gpu'], '(output only)'),
    'failures':     (29, 200, ['tools/failures_device.py', 'OUT'], 'failures_<device>.json'),
    'longest':      (25, 560, ['tools/longest_cache_device.py', 'OUT', 'BF16', 'NVFP4_KV'], 'longest_cache_<device>.json'),
    'wp_append':    (26, 400, ['tools/worldplay_device.py', 'OUT', 'append', '48', 'BF16', 'QVG_INT2', 'KIVI_INT2', 'NVFP4_KV'], 'worldplay_wan5b_append_48.json'),
    'wp_56':        (26, 400, ['tools/worldplay_device.py', 'OUT', 'memory', '56', 'BF16', 'QVG_INT2', 'QVG_PRO_INT2', 'KIVI_INT2'], 'worldplay_wan5b_memory_56.json'),
    'toy_train':    (27, 480, ['tools/toy_train_device.py', 'OUT', '--minutes', '6'], 'toy/ (3 files) + 2 state parts (carry runs/toy_sf)'),
    'sage2':        (28, 560, ['tools/sage2_device.py', '.sage2/sageattention2_src.tar.gz', 'OUT', '--prebuilt', '.sage2'], 'sage2_build.json + 2 .so.gz (put them in .sage2/: later calls load them)'),
    'attention':    (28, 240, ['tools/attention_libs_device.py', 'OUT', '/tmp/sage2'], 'attention_libs_<device>.json'),
    'sage_roll':    (28, 420, ['tools/device_speed.py', 'OUT', 'sage'], 'speed_rollouts_sage.json (after sage2)'),
    'sage_cells':   (28, 120, ['tools/run_notebook.py', 'nbs/15c_sage.ipynb', '--gpu'], '(output only: the kernel per segment vs the emulation)'),
}

def _die_with_queue():
    "In the child: SIGKILL when the queue dies (a device call's time limit kills the queue, and its own group is not the job's)."
    import ctypes
    ctypes.CDLL('libc.so.6', use_errno=True).prctl(1, signal.SIGKILL)   # PR_SET_PDEATHSIG

def run(argv:list, limit:float) -> dict:
    "Run `argv` in a process group of its own for at most `limit` s; on time, kill the whole group (compilers, helpers too)."
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
                         preexec_fn=_die_with_queue if sys.platform == 'linux' else None)
    signal.signal(signal.SIGTERM, lambda *_: (os.killpg(p.pid, signal.SIGKILL), sys.exit(143)))   # a terminated queue takes its job's group with it
    try: log, rc = p.communicate(timeout=limit)[0], p.returncode
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        log, rc = p.communicate()[0], 'timeout'
    return dict(returncode=rc, tail=(log or '')[-3000:])

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('out', nargs='?'); ap.add_argument('jobs', nargs='*')
    ap.add_argument('--until', type=float, default=570, help='start no job that could end later than this (s from now)')
    ap.add_argument('--list', action='store_true')
    a = ap.parse_args()
    if a.list:
        for k, (issue, s, argv, files) in JOBS.items(): print(f'{k:13} issue {issue}  {s:4d} s  {files:42} python ' + ' '.join(argv))
        return 0
    bad = [j for j in a.jobs if j not in JOBS]
    if a.out is None or not a.jobs or bad: ap.error(f"unknown jobs {bad}; --list names them" if bad else 'OUT_DIR and at least one JOB')
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    smi = subprocess.run(['nvidia-smi', '--query-gpu=name', '--format=csv,noheader'], capture_output=True, text=True) \
        if any(os.access(os.path.join(d, 'nvidia-smi'), os.X_OK) for d in os.environ.get('PATH', '').split(os.pathsep)) else None
    dev = (smi.stdout.strip().splitlines() or ['cpu'])[0] if smi else 'cpu'     # no CUDA context in this process: the jobs get the card
    log = out / f"queue_{''.join(c if c.isalnum() else '-' for c in dev.lower()).strip('-')}.json"
    rows, t0 = (json.loads(log.read_text())['jobs'] if log.exists() else []), time.perf_counter()   # a second queue in one OUT_DIR adds to the log
    for name in a.jobs:
        issue, limit, argv, _ = JOBS[name]
        left = a.until - (time.perf_counter() - t0)
        row = dict(job=name, issue=issue, command='python ' + ' '.join(argv))
        if left < limit: row['skipped'] = f'{left:.0f} s left of --until, the job may take {limit}'
        else:
            t = time.perf_counter()
            row.update(run([PY, *[str(out) if w == 'OUT' else w for w in argv]], limit))
            row['seconds'] = time.perf_counter() - t
        rows.append(row); log.write_text(json.dumps(dict(device=dev, date=time.strftime('%Y-%m-%d'), jobs=rows), indent=1))
        print({k: v for k, v in row.items() if k != 'tail'}, flush=True)
    return 0

if __name__ == '__main__': sys.exit(main())
