"Repository contracts: README is the render of nbs/index.ipynb, kvquant_nb/ is what nbs/ exports, no import cycle, no module global set from outside."
import ast, filecmp, shutil, subprocess, sys
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

def _module_imports(path, lazy:bool=False):
    "kvquant_nb modules a module imports at its top level (with `lazy`, inside functions too)."
    import ast
    tree, pkg = ast.parse(path.read_text()), 'kvquant_nb.' + '.'.join(path.relative_to(ROOT/'kvquant_nb').with_suffix('').parts)
    out = set()
    for node in (ast.walk(tree) if lazy else tree.body):
        if isinstance(node, ast.ImportFrom):
            if node.level:                                          # relative: from .x import y / from . import x
                base = pkg.rsplit('.', node.level)[0]
                mod = f'{base}.{node.module}' if node.module else base
                out |= {mod} if node.module else {f'{base}.{a.name}' for a in node.names}
            elif (node.module or '').startswith('kvquant_nb.'): out.add(node.module)
        elif isinstance(node, ast.Import): out |= {a.name for a in node.names if a.name.startswith('kvquant_nb.')}
    return {m for m in out if m != pkg}

def test_module_imports_have_no_cycle():
    "No import cycle among kvquant_nb's modules, imports inside functions included."
    mods = {'kvquant_nb.' + '.'.join(p.relative_to(ROOT/'kvquant_nb').with_suffix('').parts): p
            for p in (ROOT/'kvquant_nb').rglob('*.py') if p.name not in ('__init__.py', '__main__.py', '_modidx.py')}
    graph = {m: {d for d in _module_imports(p, lazy=True) if d in mods} for m, p in mods.items()}
    assert {d for d in _module_imports(mods['kvquant_nb.kernels']) if d in mods} <= {'kvquant_nb.core'}                       # sources and launches only
    assert {d for d in _module_imports(mods['kvquant_nb.fused']) if d in mods} <= {'kvquant_nb.core', 'kvquant_nb.cache', 'kvquant_nb.kernels'}   # kernels know no rollout
    assert graph['kvquant_nb.decode'] <= {'kvquant_nb.core', 'kvquant_nb.cache', 'kvquant_nb.kernels', 'kvquant_nb.fused', 'kvquant_nb.methods.fp', 'kvquant_nb.methods.qvg'}
    state = {}
    def visit(m, path):
        if state.get(m) == 'done': return
        assert state.get(m) != 'open', f"import cycle: {' -> '.join(path + [m])}"
        state[m] = 'open'
        for d in sorted(graph[m]): visit(d, path + [m])
        state[m] = 'done'
    for m in sorted(graph): visit(m, [])

def _module_aliases(tree) -> set:
    "Names bound to modules by `import a.b as x`, `import a` or `from pkg import module` (a kvquant_nb module)."
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import): out |= {a.asname or a.name.split('.')[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or '').split('.')[0] in ('kvquant_nb', ''):
            out |= {a.asname or a.name for a in node.names if a.name.islower() and (ROOT/'kvquant_nb'/f'{a.name}.py').exists()}
    return out

MUTATORS = {'update', 'clear', 'append', 'extend', 'pop', 'setdefault', '__setitem__'}

def test_no_module_assigns_another_modules_globals():
    "Settings are values passed or scoped: no file in the library or tools/ assigns (or mutates) a module's global from outside."
    bad = []
    for p in [*(ROOT/'kvquant_nb').rglob('*.py'), *(ROOT/'tools').glob('*.py')]:
        tree = ast.parse(p.read_text())
        mods = _module_aliases(tree)
        on_module = lambda n: isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id in mods
        for node in ast.walk(tree):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else []
            bad += [f'{p.relative_to(ROOT)}:{node.lineno} assigns {t.value.id}.{t.attr}' for t in targets if on_module(t)]
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MUTATORS and on_module(node.func.value) \
               and node.func.value.attr.isupper():
                bad.append(f'{p.relative_to(ROOT)}:{node.lineno} mutates {node.func.value.value.id}.{node.func.value.attr}')
    assert not bad, '\n'.join(bad)

def test_nothing_in_the_library_imports_the_benchmarks():
    "The benchmark harness sits above what it measures: no library module imports it (the console hands `bench` over by name)."
    mods = {'kvquant_nb.' + '.'.join(p.relative_to(ROOT/'kvquant_nb').with_suffix('').parts): p
            for p in (ROOT/'kvquant_nb').rglob('*.py') if p.name not in ('__main__.py', '_modidx.py')}
    assert 'kvquant_nb.benchmarks' in mods
    users = [m for m, p in mods.items() if m != 'kvquant_nb.benchmarks' and 'kvquant_nb.benchmarks' in _module_imports(p, lazy=True)]
    assert not users, users
