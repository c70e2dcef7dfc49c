#!/usr/bin/env bash
# Re-record the HTTP cassettes in cassettes/ against a real OpenAI-compatible server:
# llama-cpp-python's server running the embedded model on loopback. One command:
#
#   bash scripts/record-cassettes.sh [pytest args, e.g. -k 002]
#
# Needs the engine and model (bash scripts/install.sh) and llama-cpp-python[server] (installed here).
# Requests and responses are scrubbed by tests/conftest.py (authorization, cookies, organization and
# project headers, x-* headers) before they are written.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PORT=${SUMMARIZER_RECORD_PORT:-8765}
if curl -sf "http://127.0.0.1:$PORT/v1/models" >/dev/null 2>&1; then
  echo "port $PORT is already serving: stop that server first (or set SUMMARIZER_RECORD_PORT)" >&2
  exit 1
fi
"$VENV/bin/python" -m pip install --quiet "llama-cpp-python[server]"
MODEL=$("$VENV/bin/python" -c "from summarizer.llm import weights; print(weights.ensure_model(weights.get_model(None)))")
THREADS=$(nproc)
# An engine built with per-CPU kernel variants has no CPU kernels until one is loaded: give the server
# the one summarizer would load (summarizer/llm/kernels.py), through ggml's GGML_BACKEND_PATH.
KERNELS=$("$VENV/bin/python" -m summarizer.llm.kernels "${SUMMARIZER_CPU_VARIANT:-}")
if [ -n "$KERNELS" ]; then export GGML_BACKEND_PATH="$KERNELS"; fi
"$VENV/bin/python" -m llama_cpp.server --model "$MODEL" --model_alias qwen2.5-coder-1.5b \
  --host 127.0.0.1 --port "$PORT" --n_ctx 8192 --n_threads "$THREADS" --n_threads_batch "$THREADS" \
  > /tmp/summarizer-record-server.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; sleep 1; kill -9 $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  if curl -sf "http://127.0.0.1:$PORT/v1/models" >/dev/null; then break; fi
  sleep 1
done
curl -sf "http://127.0.0.1:$PORT/v1/models" >/dev/null || { echo "server did not start; see /tmp/summarizer-record-server.log" >&2; exit 1; }
SUMMARIZER_RECORD_URL="http://127.0.0.1:$PORT/v1" "$VENV/bin/pytest" -m cassette --record-mode=rewrite -p no:randomly "$@"
