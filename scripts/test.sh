#!/usr/bin/env bash
# Install everything (engine, default model, test tools) into .venv and run the checks:
# ruff, mypy, then the whole pytest suite (unit, cassette, CLI, digest, and the live end-to-end brief
# on the real embedded model). This is the README's test command and what .ci/run calls.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
EXTRAS=test bash scripts/install.sh
"$VENV/bin/ruff" check summarizer tests benchmarks
"$VENV/bin/ruff" format --check summarizer tests benchmarks
"$VENV/bin/mypy"
"$VENV/bin/pytest" "$@"
