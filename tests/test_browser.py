"""The explorer in a real browser: JupyterLab headless on a free local port, Debian's Chromium driven by Playwright.

Makes a few tiny-model runs of ours (random weights, CPU, in process), runs a small notebook that shows `kq.explorer` on
them beside the published reference, changes the x-metric dropdown, checks the rendered chart changed, picks a method
to show its memory trace, and saves a screenshot under the test's tmp_path (with KVQUANT_UPDATE_FIGURES=1 also to
figures/explorer_screenshot.png, the committed record; a plain test run leaves the tree untouched).
Without /usr/bin/chromium it skips locally and fails under CI (CI=true): `make browser-deps` installs it."""
import json, os, secrets, shutil, signal, socket, subprocess, sys, time, urllib.request
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = '/usr/bin/chromium'
CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
                 '--disable-component-update', '--no-first-run']
CELL = """import kvquant_nb.explore as ex
from kvquant_nb.dataset import load_runs
# ours: tiny-model runs (random weights, CPU: no peak VRAM, so the x axis starts on compression)
app = ex.explorer(load_runs({runs!r}), x='compression_ratio', y='ssim')
app"""
METHODS = ['BF16', 'RTN_INT4', 'KIVI_INT2']

def _tiny_runs(out:Path) -> Path:
    "A real sweep of a few methods x 1 prompt on the tiny model, in process: our runs for the explorer."
    from kvquant_nb.sweep import sweep, inprocess_runner
    rep = sweep(METHODS, 'moviegen', limit=1, model='tiny', out=out, runner=inprocess_runner, progress=False)
    assert not rep.failed, rep.failed
    return Path(rep.dataset)

def _need_browser():
    "Chromium and Playwright, or a skip (locally) / a failure (CI) that says what is missing."
    missing = []
    if not Path(CHROMIUM).exists(): missing.append(f'{CHROMIUM} (Debian package chromium; `make browser-deps`)')
    try: import playwright.sync_api  # noqa: F401
    except ImportError: missing.append("the playwright python package (pip install 'kvquant_nb[explore]')")
    if missing:
        msg = 'browser test needs ' + ' and '.join(missing)
        if os.environ.get('CI', '').lower() in ('1', 'true', 'yes'): pytest.fail(msg)
        pytest.skip(msg)

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

def _write_notebook(path:Path, runs:Path):
    nb = {'cells': [{'cell_type': 'code', 'execution_count': None, 'metadata': {}, 'outputs': [],
                     'source': CELL.format(runs=str(runs))}],
          'metadata': {'kernelspec': {'name': 'python3', 'display_name': 'Python 3', 'language': 'python'}},
          'nbformat': 4, 'nbformat_minor': 5}
    path.write_text(json.dumps(nb))

def _start_lab(root:Path, port:int, token:str, log):
    "JupyterLab on 127.0.0.1:port serving `root`, with its settings, workspaces and runtime files kept under `root`."
    env = {**os.environ, 'JUPYTERLAB_SETTINGS_DIR': str(root/'.lab-settings'),
           'JUPYTERLAB_WORKSPACES_DIR': str(root/'.lab-workspaces'), 'JUPYTER_RUNTIME_DIR': str(root/'.runtime')}
    news = root/'.lab-settings'/'@jupyterlab'/'apputils-extension'/'notification.jupyterlab-settings'
    news.parent.mkdir(parents=True); news.write_text(json.dumps({'fetchNews': 'false', 'checkForUpdates': False}))
    cmd = [sys.executable, '-m', 'jupyterlab', '--no-browser', '--ip=127.0.0.1', f'--port={port}', '--port-retries=0', '--allow-root',
           f'--IdentityProvider.token={token}', f'--ServerApp.root_dir={root}', '--LabApp.expose_app_in_browser=True']
    return subprocess.Popen(cmd, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

def _wait_ready(url:str, proc, logfile:Path, timeout:float=45):
    t0 = time.time()
    while time.time() - t0 < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f'JupyterLab exited with code {proc.returncode}:\n' + logfile.read_text()[-2000:])
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200: return
        except OSError: pass
        time.sleep(0.3)
    raise TimeoutError(f'JupyterLab did not answer {url} within {timeout}s')

def _stop(proc):
    "Stop the server and its kernels (its whole process group), politely then firmly."
    if proc.poll() is not None: return
    try: os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError: return
    try: proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL); proc.wait(timeout=5)

# The landscape is the first vega view in the output; its x-axis title names the x metric.
X_TITLE_JS = """() => { const svg = document.querySelector('.jp-OutputArea svg.marks');
  if (!svg) return null;
  const t = svg.querySelector('.role-axis-title text'); return t ? t.textContent : null; }"""

def test_explorer_in_chromium(tmp_path):
    _need_browser()
    from playwright.sync_api import sync_playwright
    _write_notebook(tmp_path/'explorer.ipynb', _tiny_runs(tmp_path/'runs'))
    port, token = _free_port(), secrets.token_hex(16)
    base = f'http://127.0.0.1:{port}'
    with open(tmp_path/'jupyterlab.log', 'w') as log:
        proc = _start_lab(tmp_path, port, token, log)
        try:
            _wait_ready(f'{base}/api/status?token={token}', proc, tmp_path/'jupyterlab.log')
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, timeout=30_000)
                try:
                    page = browser.new_page(viewport={'width': 1400, 'height': 1500})
                    page.set_default_timeout(40_000)
                    page.goto(f'{base}/lab/tree/explorer.ipynb?token={token}')
                    page.wait_for_function("""() => { const a = window.jupyterapp; const w = a && a.shell.currentWidget;
                        const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
                        return k && k.status === 'idle'; }""")
                    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
                    page.wait_for_function(f"() => ({X_TITLE_JS})() === 'KV compression (×)'")
                    before = page.inner_html('.jp-OutputArea svg.marks')
                    assert '>published<' in before and '>ours<' in before, 'the legend should show both sources'
                    dropdown = page.locator('.widget-dropdown', has_text='x metric').locator('select')
                    dropdown.select_option(label='Runtime (s / prompt)')
                    page.wait_for_function(f"() => ({X_TITLE_JS})() === 'Runtime (s / prompt)'")
                    after = page.inner_html('.jp-OutputArea svg.marks')
                    assert after != before, 'the chart did not change when the x metric changed'
                    n_points = page.locator('.jp-OutputArea svg.marks .points_marks path').count()
                    assert n_points > 30, f'expected the published points and ours, saw {n_points}'
                    # picking a method (what a click on its point does) shows its drift curve and memory trace
                    page.locator('.widget-dropdown', has_text='method').locator('select').select_option(label='RTN INT4 (ours)')
                    page.wait_for_function("() => document.querySelectorAll('.jp-OutputArea svg.marks').length >= 2")
                    detail = page.locator('.jp-OutputArea svg.marks').nth(1).inner_html()
                    assert 'BF16-equivalent' in detail, 'the memory trace of our run should show'
                    shot = tmp_path/'explorer_screenshot.png'
                    page.screenshot(path=str(shot))
                    assert shot.stat().st_size > 10_000
                    if os.environ.get('KVQUANT_UPDATE_FIGURES') == '1':      # refresh the committed record on request only
                        shutil.copy(shot, ROOT/'figures'/'explorer_screenshot.png')
                finally:
                    browser.close()
        finally:
            _stop(proc)
