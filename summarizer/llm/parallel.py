"""Parallel sequences on the embedded model: how many at once.

Generating a token on CPU is bound by reading the weights (about 1.1 GB per token for the 1.5B
model), so several sequences decoded in one ``llama_decode`` share that read
(:func:`~summarizer.llm.engine.generate_many`). How many pay off depends on the CPU: past some width
the matrix products become compute-bound and the aggregate rate falls again. This module finds that
width on the machine at run time (:func:`calibrate`: a few decode steps at each width on a fixed
prompt) and keeps it next to the model's prefix states, keyed by engine build, CPU model, model file
and threads (:class:`WidthStore`), so later runs reuse it and ``summarizer models`` shows it.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = ["CALIBRATION_WIDTHS", "WidthStore", "best_width", "calibrate", "cpu_model", "engine_build"]

#: Widths the calibration tries.
CALIBRATION_WIDTHS = (1, 2, 4, 8)
#: A wider width must beat a narrower one by this factor to be chosen: more sequences hold more
#: articles' memory and make each wait longer for its batch-mates.
MARGIN = 1.05
#: Decode steps timed at each width (after one untimed step).
CALIBRATION_STEPS = 6
#: The fixed prompt the calibration decodes after (any text does: only the decode's cost is timed).
CALIBRATION_PROMPT = (
    "Translate into English: قُتل 11 مقاتلاً موالياً لإيران في غارات جوية أمريكية شرقي سوريا ليل الخميس "
    "والجمعة، رداً على هجوم بطائرة مسيرة أسفر عن مقتل أميركي وإصابة ستة آخرين."
)


def cpu_model() -> str:
    """The CPU's model name (``/proc/cpuinfo``), or what the platform says."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def engine_build() -> str:
    """The engine's version and build flags (llama.cpp's system info)."""
    from summarizer.llm.engine_info import engine_version

    try:
        import llama_cpp

        info = llama_cpp.llama_print_system_info().decode(errors="replace").strip()
    except Exception:  # a broken build: the version alone keys the calibration
        info = ""
    return f"{engine_version()}|{info}"


def calibrate(
    llm: Any, widths: Iterable[int] = CALIBRATION_WIDTHS, steps: int = CALIBRATION_STEPS
) -> dict[int, float]:
    """Aggregate decode rate (tokens/s) at each width: ``steps`` one-token-per-sequence decodes after
    a fixed prompt (shared by sequence copy), the greedy token of each sequence chosen each step."""
    import llama_cpp
    import numpy as np

    from summarizer.llm.engine import ParallelContext

    prompt = list(llm.tokenize(CALIBRATION_PROMPT.encode("utf-8"), add_bos=True, special=False))
    n_vocab = int(llm.n_vocab())
    rates: dict[int, float] = {}
    for width in widths:
        context = ParallelContext(llm, width, n_ctx=len(prompt) + width * (steps + 2) + 256)
        try:
            context.set_prefix(prompt[:-1])
            slots = list(range(1, width + 1))
            for s in slots:
                llama_cpp.llama_memory_seq_cp(context.memory, 0, s, -1, -1)
            context.decode([(prompt[-1], len(prompt) - 1, s, True) for s in slots])  # untimed
            pos = len(prompt)
            started = time.perf_counter()
            for _ in range(steps):
                tokens = [int(np.argmax(context.logits(k, n_vocab))) for k in range(width)]
                context.decode([(t, pos, s, True) for t, s in zip(tokens, slots, strict=True)])
                pos += 1
            rates[width] = width * steps / (time.perf_counter() - started)
        finally:
            context.close()
    return rates


def best_width(rates: dict[int, float]) -> int:
    """The narrowest width whose rate no wider one beats by :data:`MARGIN`."""
    best = min(rates)
    for width in sorted(rates):
        if rates[width] > rates[best] * MARGIN:
            best = width
    return best


class WidthStore:
    """The calibrated width of one engine build, CPU, model file and thread count, as JSON next to
    the prefix states (``<cache>/kv/width-<hash>.json``); an unreadable file is calibrated again."""

    def __init__(self, directory: Path | str, *, model: str, threads: int):
        self.directory = Path(directory)
        self.identity = {
            "engine": engine_build(),
            "cpu": cpu_model(),
            "model": model,
            "threads": threads,
        }

    @property
    def path(self) -> Path:
        digest = hashlib.blake2b(json.dumps(self.identity, sort_keys=True).encode(), digest_size=12)
        return self.directory / f"width-{digest.hexdigest()}.json"

    def load(self) -> dict[str, Any] | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("identity") != self.identity or not data.get("width"):
            return None
        return data

    def save(self, rates: dict[int, float]) -> dict[str, Any]:
        data = {
            "identity": self.identity,
            "rates": {str(w): round(r, 2) for w, r in sorted(rates.items())},
            "width": best_width(rates),
            "calibrated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(f".tmp{os.getpid()}")
            tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError:
            pass  # a read-only cache only costs the calibration again next time
        return data

    @staticmethod
    def found(directory: Path | str) -> list[dict[str, Any]]:
        """Every calibration kept in ``directory`` (for ``summarizer models``)."""
        out = []
        for path in sorted(Path(directory).glob("width-*.json")):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if isinstance(data, dict) and data.get("width"):
                out.append(data)
        return out
