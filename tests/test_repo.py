"Repository contracts: README is the render of nbs/index.ipynb, and kvquant_nb/ is what nbs/ exports."
import filecmp, shutil, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT/'tools'))
import render_readme

def test_readme_is_rendered_from_index():
    assert (ROOT/'README.md').read_text() == render_readme.render(), 'README.md is stale: run `make export`'

def test_readme_gives_two_commands():
    text = (ROOT/'README.md').read_text()
    assert 'make demo' in text and 'make test' in text

def _diff(a:Path, b:Path):
    cmp = filecmp.dircmp(a, b, ignore=['__pycache__'])
    out = [f'{a.name}/{f}' for f in cmp.left_only + cmp.right_only + cmp.diff_files]
    for sub, c in cmp.subdirs.items(): out += _diff(a/sub, b/sub)
    return out

def test_package_matches_notebooks(tmp_path):
    for p in ('nbs', 'kvquant_nb'): shutil.copytree(ROOT/p, tmp_path/p, ignore=shutil.ignore_patterns('__pycache__'))
    shutil.copy(ROOT/'settings.ini', tmp_path)
    nbx = Path(sys.executable).parent/'nbdev_export'
    subprocess.run([str(nbx)], cwd=tmp_path, check=True, capture_output=True)
    assert _diff(ROOT/'kvquant_nb', tmp_path/'kvquant_nb') == [], 'kvquant_nb/ differs from what nbs/ exports'

def test_ci_runs_the_readme_test_command():
    assert 'make test' in (ROOT/'.ci'/'run').read_text()
