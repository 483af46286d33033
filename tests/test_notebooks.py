"Run every notebook's cells (skipping those flagged in settings.ini's tst_flags, e.g. gpu) as one test each."
from pathlib import Path
import pytest
from nbdev.config import get_config
from nbdev.test import test_nb as run_nb

ROOT = Path(__file__).resolve().parent.parent
NBS = sorted(p for p in (ROOT/'nbs').glob('*.ipynb') if not p.name.startswith(('_', 'generate')))
SKIP = get_config(path=ROOT).get('tst_flags', '').split()

@pytest.mark.parametrize('nb', NBS, ids=[p.stem for p in NBS])
def test_notebook(nb):
    ok, secs = run_nb(nb, skip_flags=SKIP, showerr=True, basepath=ROOT)
    assert ok, f'{nb.name} failed (see the traceback above)'
