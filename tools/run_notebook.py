"""Run a notebook's code cells in one namespace, like `nbdev_test`, on a machine without nbdev/IPython (the
device machines). Skips `#| slow` cells; runs `#| gpu` cells with --gpu (or only those containing --gpu-match).
Keeps going after a failing cell, prints each failure, and exits 1 if any cell failed."""
import argparse, codeop, json, linecache, sys, time, traceback
from pathlib import Path

def flags(src):
    return {w for line in src.splitlines() if line.startswith('#|') for w in line[2:].split()}

def main():
    p = argparse.ArgumentParser()
    p.add_argument('notebook'); p.add_argument('--gpu', action='store_true')
    p.add_argument('--gpu-match', default=None, help='run only the gpu cells containing this text')
    a = p.parse_args()
    cells = [c for c in json.loads(Path(a.notebook).read_text())['cells'] if c['cell_type'] == 'code']
    ns, failed, t0 = {'__name__': '__main__'}, [], time.time()
    comp = codeop.Compile()                       # remembers __future__ imports across cells, as IPython does
    for i, c in enumerate(cells):
        src = ''.join(c['source']); f = flags(src)
        if 'slow' in f or 'skip' in f: continue
        if 'gpu' in f and not (a.gpu and (a.gpu_match is None or a.gpu_match in src)): continue
        src = '\n'.join(l for l in src.splitlines() if not l.lstrip().startswith(('%', '!')))
        t, name = time.time(), f'{a.notebook}[cell {i}]'
        linecache.cache[name] = (len(src), None, src.splitlines(True), name)   # so inspect (and Triton) find the source
        try: exec(comp(src, name, 'exec'), ns)
        except Exception:
            failed.append(i); print(f'--- cell {i} FAILED:\n{src[:300]}\n{traceback.format_exc()}', flush=True)
        else: print(f'cell {i} ok {time.time() - t:.1f}s{" (gpu)" if "gpu" in f else ""}', flush=True)
    print(f'{a.notebook}: {len(failed)} failed cells {failed}, {time.time() - t0:.1f}s')
    sys.exit(1 if failed else 0)

if __name__ == '__main__': main()
