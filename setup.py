"""Install kvquant_nb; metadata and requirements come from settings.ini (nbdev 2.4 layout)."""
from configparser import ConfigParser
from glob import glob
from pathlib import Path
import shutil
import setuptools
from setuptools.command.build_py import build_py

cfg = ConfigParser(delimiters=['='])
cfg.read('settings.ini', encoding='utf-8')
cfg = cfg['DEFAULT']
reqs = cfg.get('requirements', '').split()
dev = cfg.get('dev_requirements', '').split()
extras = {
    'dev': dev,
    'eval': ['lpips', 'cvvdp'],                 # LPIPS (BSD-2) and ColorVideoVDP (MIT); NIQE's parameters ship in this package
    'pyiqa': ['pyiqa'],                         # MUSIQ for VBench imaging quality: pyiqa is PolyForm Noncommercial since 2026-04-10, so opt-in
    'vbench': ['vbench'],                       # pins numpy<2 and transformers==4.33.2: keep it in its own env
    'explore': ['altair>=5', 'vl-convert-python', 'ipywidgets', 'anywidget', 'playwright', 'jupyterlab'],
    'distributed': ['ray'],
    'longlive': ['peft'],                       # LongLive's LoRA, merged at load (Apache-2.0)
    'fp': ['torchao==0.16.*'],                  # the E2M1 format of the NVFP4 methods (BSD-3); 0.18 trips diffusers' import
}
# What the package needs at run time from outside kvquant_nb/ (kvquant_nb.core.shipped finds it): copied into the
# built package under kvquant_nb/_data/, same relative paths, so a wheel runs a sweep without the source tree.
SHIPPED = ['nbs/generate.ipynb', 'data/prompts/*.txt', 'data/prompts/README.md', 'data/reference/*',
           'data/models/toy/*']

class BuildWithData(build_py):
    def run(self):
        super().run()
        for f in sorted({f for pattern in SHIPPED for f in glob(pattern)}):
            dst = Path(self.build_lib)/'kvquant_nb'/'_data'/f
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(f, dst)

setuptools.setup(
    name=cfg['lib_name'], version=cfg['version'], description=cfg['description'],
    author=cfg['author'], license='Apache-2.0', python_requires=f">={cfg['min_python']}",
    packages=setuptools.find_packages(include=['kvquant_nb', 'kvquant_nb.*']),
    include_package_data=True, package_data={'kvquant_nb': ['niqe_pristine.json', 'planner.json']}, install_requires=reqs, extras_require=extras,
    entry_points={'console_scripts': [cfg['console_scripts']], 'nbdev': [f"{cfg['lib_path']}={cfg['lib_path']}._modidx:d"]},
    zip_safe=False, cmdclass={'build_py': BuildWithData},
)
