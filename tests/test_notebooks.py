"""Run every notebook's cells (skipping those flagged in settings.ini's tst_flags, e.g. gpu) as one test each, each in a
fresh interpreter: notebooks re-define and re-register classes (a method registry, Triton's interpreter switch), so two
notebooks sharing a process could see each other's definitions."""
import subprocess, sys
from pathlib import Path
import pytest
from nbdev.config import get_config

ROOT = Path(__file__).resolve().parent.parent
NBS = sorted(p for p in (ROOT/'nbs').glob('*.ipynb') if not p.name.startswith(('_', 'generate')))
SKIP = get_config(path=ROOT).get('tst_flags', '').split()
RUN = ("import sys; from pathlib import Path; from nbdev.test import test_nb; "
       "ok, _ = test_nb(Path(sys.argv[1]), skip_flags=sys.argv[2].split(), showerr=True, basepath=sys.argv[3]); sys.exit(0 if ok else 1)")

@pytest.mark.parametrize('nb', NBS, ids=[p.stem for p in NBS])
def test_notebook(nb):
    r = subprocess.run([sys.executable, '-c', RUN, str(nb), ' '.join(SKIP), str(ROOT)], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, f'{nb.name} failed:\n{r.stdout[-3000:]}\n{r.stderr[-6000:]}'
