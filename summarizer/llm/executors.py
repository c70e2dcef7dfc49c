"""Executors: how the articles of a run, and so their LLM calls, are run.

A brief is code that reads the article and, now and then, asks the model one
:class:`~summarizer.llm.calls.Request`; its answer feeds the next step. The code of one article stays
sequential and readable (:func:`summarizer.brief.pipeline.brief_article`); an executor decides how the
requests of many articles run:

- :class:`DirectExecutor`: one article at a time, each request sent as it is made (the embedded
  engine, or ``--concurrency 1``);
- :class:`ConcurrentExecutor`: up to ``concurrency`` articles in flight against an OpenAI-compatible
  server; each article's pipeline runs in its own worker thread and blocks at the seam
  (``backend.complete``) on its HTTP answer. The backend is shared by every thread, and with it the
  run's one :class:`~summarizer.llm.backends.CircuitBreaker` (after N straight outages nothing more is
  sent, and every article left fails at once) and its one :class:`~summarizer.llm.backends.RateGate`
  (a 429 or ``Retry-After`` holds every thread, not only the one that met it);
- the embedded batched executor (:class:`summarizer.llm.parallel.EmbeddedBatchedExecutor`): several
  articles in flight on the embedded model, each in a worker thread as here, their pending requests
  gathered and decoded together as parallel sequences of the engine;
- the batch executor (:mod:`summarizer.batch`): each round, every unfinished article's pipeline is
  replayed from the start against the answers already collected, and the first request without an
  answer becomes a line of the round's batch file.

Why threads rather than coroutines or generators: the pipeline's validators read per-article context
(``contextvars``: the step being checked, the sentence being translated), the embedded engine and
``openai``'s sync client block, and a worker thread keeps all of that as it is with no rewrite of the
pipeline into ``async``/``yield`` form. The cost of a thread is small next to a call's seconds; at
concurrency 64 the threads spend their time waiting on sockets. The batch executor needs no thread at
all: replaying a brief's code with cached answers takes milliseconds, so "where is this article now"
is recomputed rather than kept as a suspended frame, which also survives a crash.

Every executor labels an article's requests with its id (:func:`~summarizer.llm.calls.article_scope`), so
a request knows which article asked, and uses the same re-ask loop
(:func:`~summarizer.llm.calls.structured_call`): identical answers give identical briefs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Protocol, TypeVar

__all__ = ["DEFAULT_CONCURRENCY", "ConcurrentExecutor", "DirectExecutor", "Executor", "executor_for"]

#: Articles in flight behind a server when nobody says: enough to keep a small server busy, few
#: enough not to trip a hosted API's rate limit at once.
DEFAULT_CONCURRENCY = 8

T = TypeVar("T")
R = TypeVar("R")


class Executor(Protocol):
    """Runs ``work`` (one article's brief, requests and all) over items, yielding results as they
    complete; ``work`` turns its own failures into results, so one article never stops the others."""

    def map(self, work: Callable[[T], R], items: Iterable[T]) -> Iterator[R]: ...

    def cancel(self) -> None:
        """Start nothing more (Ctrl-C); what is running ends on its own."""
        ...


class DirectExecutor:
    """One item at a time, in the calling thread."""

    def __init__(self) -> None:
        self.cancelled = threading.Event()

    def map(self, work: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        for item in items:
            yield work(item)

    def cancel(self) -> None:
        self.cancelled.set()


class ConcurrentExecutor:
    """Up to ``concurrency`` items at once, each in a worker thread; results in completion order.

    At most ``2 * concurrency`` items are taken from ``items`` ahead of the results, so a long
    iterator (a directory of thousands of files) is read as the run goes. On Ctrl-C, or when the
    caller stops iterating, the queued items are dropped and nothing waits for the ones in flight.
    """

    def __init__(self, concurrency: int, *, on_cancel: Callable[[], None] | None = None):
        self.concurrency = max(1, concurrency)
        self.cancelled = threading.Event()
        self._on_cancel = on_cancel

    def cancel(self) -> None:
        self.cancelled.set()
        if self._on_cancel is not None:
            self._on_cancel()

    def map(self, work: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        pool = ThreadPoolExecutor(max_workers=self.concurrency, thread_name_prefix="summarizer-article")
        try:
            pending: set[Future[R]] = set()
            iterator = iter(items)
            for item in iterator:
                pending.add(pool.submit(work, item))
                if len(pending) >= self.concurrency * 2:
                    break
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    yield fut.result()
                    if self.cancelled.is_set():
                        continue
                    nxt = next(iterator, _END)
                    if nxt is not _END:
                        pending.add(pool.submit(work, nxt))  # type: ignore[arg-type]
        except BaseException:
            self.cancel()
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown(wait=True)


_END = object()


def executor_for(
    concurrency: int, *, one_at_a_time: bool = False, on_cancel: Callable[[], None] | None = None
) -> Executor:
    """The executor a run gets: concurrent when ``concurrency`` > 1, else direct; direct too for a
    backend that runs ``one_at_a_time`` (the embedded engine answers one request at a time, so plain
    threads would only queue on its lock: its batched executor lives in :mod:`summarizer.llm.parallel`)."""
    if concurrency > 1 and not one_at_a_time:
        return ConcurrentExecutor(concurrency, on_cancel=on_cancel)
    return DirectExecutor()
