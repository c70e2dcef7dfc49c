"""Parallel sequences on the embedded model: how many at once, and which requests go together.

Generating a token on CPU is bound by reading the weights (about 1.1 GB per token for the 1.5B
model), so several sequences decoded in one ``llama_decode`` share that read
(:func:`~summarizer.llm.engine.generate_many`). How many pay off depends on the CPU: past some width
the matrix products become compute-bound and the aggregate rate falls again. This module

- finds that width on the machine at run time (:func:`calibrate`: a few decode steps at each width on
  a fixed prompt) and keeps it next to the model's prefix states, keyed by engine build, CPU model,
  model file and threads (:class:`WidthStore`), so later runs reuse it and ``summarizer models``
  shows it;
- gathers the requests of several article threads into one call of ``generate_many``
  (:class:`Gatherer`, :class:`EmbeddedBatchedExecutor`): every article's pipeline runs in a worker
  thread as under the concurrent executor, and a thread that reaches the seam waits until every
  thread of the run is waiting too (or ``width`` requests are), then one of them answers them all.
  A request that finds itself alone is answered by ``EmbeddedBackend.complete``, the single-sequence
  path, so one article's brief is the one it always was.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from summarizer.llm.calls import Answer, Guard, Request
from summarizer.llm.executors import ConcurrentExecutor

__all__ = [
    "CALIBRATION_WIDTHS",
    "EmbeddedBatchedExecutor",
    "Engine",
    "Gatherer",
    "WidthStore",
    "best_width",
    "calibrate",
    "cpu_model",
    "current_gatherer",
    "engine_build",
]

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

T = TypeVar("T")
R = TypeVar("R")


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


class Engine(Protocol):
    """What a :class:`Gatherer` asks of the engine (``EmbeddedBackend``)."""

    def parallel_width(self) -> int: ...

    def complete(self, request: Request, guard: Guard | None = None) -> Answer: ...

    def complete_many(
        self, requests: list[Request], guards: list[Guard | None] | None = None
    ) -> list[Answer]: ...


_GATHERER: ContextVar[Gatherer | None] = ContextVar("summarizer_gatherer", default=None)


def current_gatherer() -> Gatherer | None:
    """The gatherer the requests of this thread's article go through, if any."""
    return _GATHERER.get()


@dataclass
class _Call:
    request: Request
    guard: Guard | None
    answer: Answer | None = None
    error: BaseException | None = None
    done: bool = False


class Gatherer:
    """Answers the requests of several article threads together, ``width`` at most at a time.

    A thread's request waits until no batch is running and as many requests wait as there are member
    threads (each member is one article in flight), or ``width`` of them; the thread that sees this
    takes them and answers them in one :meth:`EmbeddedBackend.complete_many` call while the others
    wait. A batch of one goes through :meth:`EmbeddedBackend.complete`. A failure of the batch is
    every batch-mate's failure.

    ``width`` None: the backend's calibrated width (:meth:`EmbeddedBackend.parallel_width`), asked the
    first time two requests could go together, so a run of one article (or of cached briefs) never
    calibrates.
    """

    def __init__(self, width: int | None = None):
        self._width = width
        self._cond = threading.Condition()
        self._pending: list[_Call] = []
        self._members = 0
        self._busy = False
        self.batches: list[int] = []
        """The size of every batch answered (for tests and benchmarks)."""

    @contextmanager
    def member(self) -> Iterator[None]:
        """The calling thread is one article in flight: its requests go through this gatherer."""
        with self._cond:
            self._members += 1
        token = _GATHERER.set(self)
        try:
            yield
        finally:
            _GATHERER.reset(token)
            with self._cond:
                self._members -= 1
                self._cond.notify_all()

    def _take(self, backend: Engine) -> list[_Call] | None:
        """The requests to answer now, or None to wait. Called with the lock held."""
        if self._busy or not self._pending:
            return None
        if self._members <= 1:
            width = 1
        else:
            if self._width is None:
                self._width = max(1, backend.parallel_width())
            width = self._width
            if len(self._pending) < min(width, self._members):
                return None
        batch = self._pending[:width]
        del self._pending[:width]
        return batch

    def complete(self, backend: Engine, request: Request, guard: Guard | None = None) -> Answer:
        """Answer ``request`` on ``backend`` together with the other members' requests."""
        call = _Call(request, guard)
        with self._cond:
            self._pending.append(call)
            self._cond.notify_all()
            while not call.done:
                batch = self._take(backend)
                if batch is None:
                    self._cond.wait()
                    continue
                self._busy = True
                self._cond.release()
                answers: list[Answer] | None = None
                error: BaseException | None = None
                try:
                    if len(batch) == 1:
                        answers = [backend.complete(batch[0].request, batch[0].guard)]
                    else:
                        answers = backend.complete_many([c.request for c in batch], [c.guard for c in batch])
                except BaseException as e:  # every batch-mate fails with it, and is woken
                    error = e
                finally:
                    self._cond.acquire()
                self._busy = False
                self.batches.append(len(batch))
                for k, c in enumerate(batch):
                    c.answer = answers[k] if answers is not None else None
                    c.error = error
                    c.done = True
                self._cond.notify_all()
        if call.error is not None:
            raise call.error
        assert call.answer is not None
        return call.answer


class EmbeddedBatchedExecutor:
    """The embedded model's executor for many articles: up to ``width`` articles in flight, each in a
    worker thread (as :class:`~summarizer.llm.executors.ConcurrentExecutor`), their requests decoded
    together as parallel sequences through one :class:`Gatherer`. ``width`` None: the calibrated
    width, with as many articles in flight as the widest calibration tries."""

    def __init__(self, width: int | None = None, *, on_cancel: Callable[[], None] | None = None):
        self.gatherer = Gatherer(width)
        self._inner = ConcurrentExecutor(width or max(CALIBRATION_WIDTHS), on_cancel=on_cancel)

    def map(self, work: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        gatherer = self.gatherer

        def member(item: T) -> R:
            with gatherer.member():
                return work(item)

        yield from self._inner.map(member, items)

    def cancel(self) -> None:
        self._inner.cancel()
