"""Issue 28: build SageAttention 2's Hopper kernel (thu-ml/SageAttention, Apache-2.0; only 1.0.6, Triton, is on PyPI)
on the device machine, from a source tarball carried there, for sm_90a only: the two extensions its Hopper path needs
(`sageattention._qattn_sm90`: INT8 Q·K, FP8 P·V with wgmma; `sageattention._fused`: the quantizers), not the sm80 /
sm89 ones upstream's setup.py also builds for a 9.0 target. Upstream's own compiler flags (its setup.py, read, not
copied) with `-gencode arch=compute_90a,code=sm_90a`, and C++20 where torch is 2.10 or newer (its headers need it; upstream
asks for C++17). Built here (torch 2.14, nvcc 13.0, 2 cores): `_fused` compiles, links and imports, the sm90 kernel compiles (4 min) but this machine has no
libcuda to link against, the device has. Writes OUT_DIR/sage2_build.json (seconds, versions, the log's
tail, or the error) and writes the built `.so` files gzipped to OUT_DIR so that a later call can carry them (in `.sage2/`) instead of building.

    git -C SageAttention archive -o .sage2/sageattention2_src.tar.gz HEAD setup.py csrc sageattention LICENSE README.md
    python tools/sage2_device.py .sage2/sageattention2_src.tar.gz OUT_DIR [--jobs 16] [--prebuilt .sage2]   # .sage2: the returned .so.gz files
    python tools/attention_libs_device.py OUT_DIR /tmp/sage2     # SageAttention 2 (as `sageattention2`) beside 1.0.6 and cuDNN

The build folder is /tmp/sage2. Pass it to attention_libs_device.py as an argument, not on PYTHONPATH: there it would
shadow 1.0.6's `sageattention` and register its sm90 ops twice.
"""
import argparse, gzip, json, os, shutil, subprocess, sys, tarfile, time
from pathlib import Path

ap = argparse.ArgumentParser()
ap.add_argument('src', help='the source tarball (setup.py, csrc/, sageattention/)'); ap.add_argument('out')
ap.add_argument('--jobs', type=int, default=os.cpu_count() or 8); ap.add_argument('--build', default='/tmp/sage2')
ap.add_argument('--prebuilt', help="a folder holding this script's earlier `.so` files (carried back): installed instead of building")
a = ap.parse_args()
out, build = Path(a.out), Path(a.build)
out.mkdir(parents=True, exist_ok=True)
if not Path(a.src).is_file(): ap.error(f'no source tarball at {a.src}')
shutil.rmtree(build, ignore_errors=True); build.mkdir(parents=True)
with tarfile.open(a.src) as t: t.extractall(build, filter='data')

SETUP = r'''
import sys
from setuptools import setup
from torch.utils.cpp_extension import BuildExtension, CUDAExtension
import torch
STD = "-std=c++20" if tuple(int(x) for x in torch.__version__.split(".")[:2]) >= (2, 10) else "-std=c++17"   # newer torch headers need C++20
cxx = ["-O3", "-fopenmp", "-lgomp", STD, "-DENABLE_BF16"]
nvcc = ["-O3", STD, "-U__CUDA_NO_HALF_OPERATORS__", "-U__CUDA_NO_HALF_CONVERSIONS__", "--use_fast_math",
        "--threads=8", "-diag-suppress=174", "-gencode", "arch=compute_90a,code=sm_90a"]
abi = f"-D_GLIBCXX_USE_CXX11_ABI={int(torch._C._GLIBCXX_USE_CXX11_ABI)}"
import glob, os                     # CUDA's library headers (cusparse.h, ...) where pip's nvidia-* wheels put them, if the toolkit lacks them
inc = [f"-I{d}" for d in sorted(glob.glob(os.path.join(os.path.dirname(torch.__file__), "..", "nvidia", "*", "include")))]
args = {"cxx": cxx + [abi] + inc, "nvcc": nvcc + [abi] + inc}
setup(name="sageattention", version="2.2.0+sm90", packages=["sageattention", "sageattention.triton"],
      ext_modules=[CUDAExtension("sageattention._qattn_sm90", ["csrc/qattn/pybind_sm90.cpp", "csrc/qattn/qk_int_sv_f8_cuda_sm90.cu"],
                                 extra_compile_args=args, extra_link_args=["-lcuda"]),
                   CUDAExtension("sageattention._fused", ["csrc/fused/pybind.cpp", "csrc/fused/fused.cu"], extra_compile_args=args)],
      cmdclass={"build_ext": BuildExtension.with_options(use_ninja=True)}, script_args=["build_ext", "--inplace"])   # one extension at a time: both would share build.ninja
'''
(build / 'build_sm90.py').write_text(SETUP)
import torch
pre = sorted([*Path(a.prebuilt).glob('_*.so'), *Path(a.prebuilt).glob('_*.so.gz')]) if a.prebuilt else []
if a.prebuilt and not pre: print(f'no .so or .so.gz files in {a.prebuilt}: building')
try: nvcc = subprocess.run(['nvcc', '--version'], capture_output=True, text=True).stdout.strip().splitlines()[-1]
except (OSError, IndexError) as e: nvcc = f'no nvcc: {e}'
res = dict(what='SageAttention 2 (thu-ml/SageAttention, Apache-2.0) built for sm_90a: _qattn_sm90 + _fused', torch=torch.__version__,
           cuda=torch.version.cuda, nvcc=nvcc,
           device=torch.cuda.get_device_name() if torch.cuda.is_available() else None, jobs=a.jobs)
t0 = time.perf_counter()
if pre:      # the earlier build's extensions, if they load with this torch: no compile
    for s in pre:
        with (gzip.open if s.suffix == '.gz' else open)(s, 'rb') as f: (build / 'sageattention' / s.name.removesuffix('.gz')).write_bytes(f.read())
    check = subprocess.run([sys.executable, '-c', 'import sageattention.core as c; print(c.SM90_ENABLED)'], cwd=build, capture_output=True, text=True)
    ok = check.stdout.strip().endswith('True')
    res.update(prebuilt=[s.name for s in pre], sm90_enabled=ok or (check.stdout + check.stderr)[-1000:], build_s=time.perf_counter() - t0)
    (out / 'sage2_build.json').write_text(json.dumps(res, indent=1)); print(res)
    if ok: sys.exit(0)
    print('the prebuilt extensions do not load: building'); t0 = time.perf_counter()
cuda_home = {} if 'CUDA_HOME' in os.environ or not Path('/usr/local/cuda/bin/nvcc').exists() else {'CUDA_HOME': '/usr/local/cuda'}
p = subprocess.run([sys.executable, 'build_sm90.py'], cwd=build, capture_output=True, text=True, env={**os.environ, 'MAX_JOBS': str(a.jobs), **cuda_home})
res.update(build_s=time.perf_counter() - t0, returncode=p.returncode, log_tail=(p.stdout + p.stderr)[-4000:])
sos = sorted((build / 'sageattention').glob('_*.so'))
res['built'] = [s.name for s in sos]
if p.returncode == 0:
    check = subprocess.run([sys.executable, '-c', 'import sageattention.core as c; print(c.SM90_ENABLED)'], cwd=build, capture_output=True, text=True)
    res['sm90_enabled'] = check.stdout.strip() == 'True' or (check.stdout + check.stderr)[-1000:]
for s in sos:                                  # gzipped: 27 MB of extensions come back (and are carried) as 7
    (out / f'{s.name}.gz').write_bytes(gzip.compress(s.read_bytes()))
(out / 'sage2_build.json').write_text(json.dumps(res, indent=1))
print({k: v for k, v in res.items() if k != 'log_tail'}); print(res['log_tail'][-1500:])
sys.exit(p.returncode)
