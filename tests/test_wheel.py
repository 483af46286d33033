"""The package as a user installs it from a built wheel (not this editable checkout): the wheel carries what a sweep
needs (`kvquant_nb/_data/`: the generation notebook, prompts, the published table, the toy model; `planner.json`),
and `kvquant sweep` then runs from a directory outside the source tree, writing its dataset there."""
import os, subprocess, sys, zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

def run(args, **kw):
    r = subprocess.run(args, capture_output=True, text=True, timeout=900, **kw)
    assert r.returncode == 0, f"{args} failed:\n{r.stdout[-2000:]}\n{r.stderr[-3000:]}"
    return r

def test_wheel_runs_a_sweep(tmp_path):
    dist, site, work = tmp_path/'dist', tmp_path/'site', tmp_path/'work'
    run([sys.executable, '-m', 'pip', 'wheel', '-q', '--no-deps', '--no-build-isolation', '-w', str(dist), str(ROOT)], cwd=ROOT)
    whl = next(dist.glob('kvquant_nb-*.whl'))
    names = set(zipfile.ZipFile(whl).namelist())
    for f in ('kvquant_nb/_data/nbs/generate.ipynb', 'kvquant_nb/_data/data/prompts/moviegen_video_bench.txt',
              'kvquant_nb/_data/data/reference/paper_2603.27469_benchmark_summary.csv',
              'kvquant_nb/_data/data/models/toy/toy.safetensors', 'kvquant_nb/planner.json', 'kvquant_nb/niqe_pristine.json'):
        assert f in names, f
    run([sys.executable, '-m', 'pip', 'install', '-q', '--no-deps', '--target', str(site), str(whl)])
    work.mkdir()
    env = {**os.environ, 'PYTHONPATH': str(site)}              # the wheel's copy comes before the editable checkout
    r = run([sys.executable, '-c', 'import kvquant_nb.core as c; print(c.__file__, c.IN_CHECKOUT)'], cwd=work, env=env)
    assert r.stdout.split() == [str(site/'kvquant_nb'/'core.py'), 'False'], r.stdout
    run([sys.executable, '-m', 'kvquant_nb', 'sweep', '--model', 'tiny', '--suite', 'moviegen', '--limit', '1',
         '--methods', 'BF16', 'RTN_INT2', '--out', 'runs'], cwd=work, env=env)
    import pandas as pd
    df = pd.read_parquet(next((work/'runs').glob('*.parquet')))
    assert sorted(df.method) == ['BF16', 'RTN_INT2'] and (df.error.fillna('') == '').all(), df[['method', 'error']]
    run([sys.executable, '-c', 'import kvquant_nb as kq; kq.ToyPipeline.from_pretrained()'], cwd=work, env=env)   # the toy model too
    r = run([sys.executable, '-m', 'kvquant_nb', 'plan', '--frames', '165', '--top', '3'], cwd=work, env=env)
    assert 'LPIPS' in r.stdout and '165 frames' in r.stdout       # the published table came from the wheel too
