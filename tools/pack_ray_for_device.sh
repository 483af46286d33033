#!/usr/bin/env bash
# Build .ray/ (git-ignored via .git/info/exclude) for tools/ray_two_gpus.sh on the device machine (Python 3.12,
# no registry there). The ray wheel (79 MB) is over the 64 MiB transfer limit, so it is unpacked, the libraries
# the sweep never imports are dropped (data, train, tune, serve, rllib, the Java jars, the dashboard's web client)
# and the rest is xz'd (~28 MB). imageio-ffmpeg (bundled ffmpeg, for the mp4s) is xz'd the same way (~21 MB).
set -euo pipefail
PY=${PY:-python3}; W=$(mktemp -d); mkdir -p .ray
dl() { $PY -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
  --platform manylinux2014_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux_2_28_x86_64 -d "$@"; }
dl $W ray==2.60.0 imageio-ffmpeg==0.7.0
dl .ray click msgpack jsonschema jsonschema-specifications referencing rpds-py attrs
(mkdir $W/r && cd $W/r && unzip -q ../ray-*.whl && rm -rf ray/{data,jars,rllib,serve,train,tune,dashboard/client,air/examples} \
  && tar cJf ../ray_min.tar.xz .)
(mkdir $W/f && cd $W/f && unzip -q ../imageio_ffmpeg-*.whl && tar cJf ../iff.tar.xz .)
mv $W/ray_min.tar.xz $W/iff.tar.xz .ray/; rm -rf $W
grep -qx '/.ray/' .git/info/exclude || echo /.ray/ >> .git/info/exclude
du -sh .ray
