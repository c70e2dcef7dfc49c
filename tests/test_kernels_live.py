"""Issue #11 step 4, on the real engine (marked ``live``): the engine starts with the CPU kernels chosen
for this CPU, and they evaluate a prompt long enough to take the batched matrix path (where the native
build died with SIGILL on these machines) to the same answer as the portable kernels.

Each variant runs in its own process: a process loads one set of CPU kernels, and a variant that
raised SIGILL must fail the test, not kill the test run.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import require_engine_and_model

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.live

_PROBE = r"""
import json, re, sys
from pathlib import Path

import llama_cpp
import numpy as np

from summarizer.llm.backends import EmbeddedBackend
from summarizer.config import resolve_settings

backend = EmbeddedBackend(resolve_settings(n_ctx=1024, cpu_variant=sys.argv[1] or None), show_progress=False)
text = Path("examples/short.txt").read_text(encoding="utf-8")
prompt = text + "\n\nThe capital of France is"
tokens = backend.llm.tokenize(prompt.encode("utf-8"), add_bos=True)
backend.llm.eval(tokens)
logits = np.ctypeslib.as_array(
    llama_cpp.llama_get_logits_ith(backend.llm._ctx.ctx, -1), shape=(backend.llm.n_vocab(),)
)
best = int(np.argmax(logits))
maps = Path("/proc/self/maps").read_text()
print(json.dumps({
    "variant": backend.kernels.variant,
    "mapped": sorted(set(re.findall(r"libggml-cpu-([A-Za-z0-9_.]+?)\.so", maps))),
    "prompt_tokens": len(tokens),
    "finite": bool(np.isfinite(logits).all()),
    "next": backend.llm.detokenize([best]).decode("utf-8", errors="replace"),
}))
"""


def _probe(variant: str) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, variant], capture_output=True, text=True, cwd=ROOT, timeout=600
    )
    assert proc.returncode == 0, f"variant {variant or 'auto'}: exit {proc.returncode}\n{proc.stderr[-2000:]}"
    result: dict = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def test_the_engine_runs_the_kernels_chosen_for_this_cpu() -> None:
    require_engine_and_model()
    from summarizer.llm.kernels import PORTABLE, available_variants, choose_variant, usable_features

    chosen = _probe("")
    assert chosen["finite"] and chosen["prompt_tokens"] > 64
    assert chosen["next"].strip() == "Paris", chosen
    available = available_variants()
    if not available:  # a build with its kernels linked in: nothing to choose
        assert chosen["variant"] is None and chosen["mapped"] == []
        return
    expected = choose_variant(available, usable_features()).variant
    assert chosen["variant"] == expected and chosen["mapped"] == [expected], chosen
    if expected != PORTABLE and PORTABLE in available:
        portable = _probe(PORTABLE)
        assert portable["mapped"] == [PORTABLE], portable
        assert portable["next"] == chosen["next"], (portable, chosen)
