#!/usr/bin/env bash
# On a multi-GPU device machine (no registry there): install the carried wheels, start a Ray head over all GPUs,
# check it stays alive, then run tools/ray_two_gpus.py. Ray's logs come back in $OUT when anything fails.
# Carried: .whl/ (diffusers wheel), .ray/ (made by tools/pack_ray_for_device.sh: ray_min.tar.xz, the ray wheel unpacked, trimmed and xz'd to fit the
# 64 MiB transfer; iff.tar.xz: imageio-ffmpeg unpacked; small dependency wheels).
set -uo pipefail
S=/tmp/site; mkdir -p $S
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target $S .whl/*.whl .ray/*.whl || exit 1
for t in .ray/*.tar.xz; do tar xJf $t -C $S || exit 1; done
mkdir -p $S/bin && printf '#!/usr/bin/env python3\nimport sys\nfrom ray.scripts.scripts import main\nsys.exit(main())\n' >$S/bin/ray
chmod +x $S/bin/ray; export PATH=$S/bin:$PATH
export PYTHONPATH=$S:$PWD RAY_USAGE_STATS_ENABLED=0 PYTHONUNBUFFERED=1 NCCL_NVLS_ENABLE=0
nvidia-smi -L
python3 - <<'EOF'
import importlib
for m in ['ray', 'diffusers', 'imageio_ffmpeg', 'ray.dashboard.optional_deps', 'aiohttp', 'aiohttp_cors', 'grpc',
          'opencensus', 'pydantic', 'prometheus_client', 'opentelemetry', 'ray.dashboard.agent']:
    try: mod = importlib.import_module(m); print('ok  ', m, getattr(mod, '__version__', ''))
    except Exception as e: print('FAIL', m, type(e).__name__, e)
EOF
dump() { L=/tmp/ray/session_latest/logs; ls $L; for f in raylet.out raylet.err dashboard_agent.log dashboard_agent.err \
  runtime_env_agent.log runtime_env_agent.err gcs_server.out; do [ -f $L/$f ] && { echo "== $f"; tail -n 25 $L/$f; }; done
  [ -n "${OUT:-}" ] && tar czf $OUT/ray_logs.tgz -C /tmp/ray/session_latest logs; }
ray start --head --num-gpus=$(nvidia-smi -L | wc -l) --num-cpus=${RAY_CPUS:-16} --include-dashboard=false \
  --disable-usage-stats || { dump; exit 1; }
sleep ${SETTLE:-40}
python3 -c "import ray, sys; ray.init(address='auto', log_to_driver=False); n = ray.nodes()
print([(x['Alive'], x['Resources']) for x in n]); sys.exit(0 if n and all(x['Alive'] for x in n) else 1)" \
  || { dump; ray stop --force >/dev/null 2>&1; exit 1; }
RAY_ADDRESS=auto timeout ${TIMEOUT:-420} python3 tools/ray_two_gpus.py; rc=$?
[ $rc -ne 0 ] && dump
ray stop --force >/dev/null 2>&1
exit $rc
