"""Say what is being done while it is done: one status line on a terminal, nothing anywhere else.

Briefing one article takes minutes on the embedded model; a silent terminal looks like a hang. Code
that does the work reports its steps through a tiny API that costs nothing when nobody listens:

.. code-block:: python

    from summarizer import progress

    progress.step(f"reading {n_tokens:,} tokens")     # a step begins (the previous one ends)
    with progress.step("Arabic summary"):              # or as a context manager: the label is shown
        ...                                            # while the block runs, then the previous one
    for k, event in enumerate(events, 1):
        progress.step(f"events {k}/{len(events)}")
    progress.step("checks")

How the pipeline should call it: one ``progress.step(label)`` at the start of each stage of a brief,
with short lower-case labels (``reading 1,234 tokens``, ``English summary``, ``Arabic summary``,
``events 2/5``, ``checks``, ``cached``). Labels are plain text (no rich markup is interpreted). The
call never raises and never blocks; with no listener it returns at once.

Who listens: :func:`status`, a context manager the commands open around their work. When stderr is a
terminal (or ``enabled=True``) it shows a rich status line, transient, on stderr::

    ⠙ article 2/5 · 004_acd604f23db3c241.txt · Arabic summary · 1:23

with the elapsed time of the whole run ticking; :meth:`Status.article` starts each article of a
batch (``article i/n`` is shown when there are several). When stderr is not a terminal it shows
nothing at all, and :func:`step` costs a dictionary lookup.

The listener is held in a :class:`contextvars.ContextVar` (no-op by default), so tests and library
users can install their own callback with :func:`listen`. Threads started by an executor do not
inherit context variables; :func:`status` therefore also registers itself as the process-wide
fallback while it is open, so steps reported from worker threads (``summarize --concurrency 4``)
still reach the line. Wrap a worker with :func:`bind` to give it the caller's listener explicitly.
"""

from __future__ import annotations

import contextlib
import contextvars
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import IO, Any, TypeVar

#: A listener: called with each step's label.
Listener = Callable[[str], None]

_listener: contextvars.ContextVar[Listener | None] = contextvars.ContextVar(
    "summarizer_progress", default=None
)
_fallback: Listener | None = None
_fallback_lock = threading.Lock()

T = TypeVar("T")


def _current() -> Listener | None:
    return _listener.get() or _fallback


class _Step(contextlib.AbstractContextManager["_Step"]):
    """Returned by :func:`step`: usable as a plain call or as a ``with`` block."""

    __slots__ = ("_previous", "label")

    def __init__(self, label: str, previous: str | None) -> None:
        self.label = label
        self._previous = previous

    def __exit__(self, *exc: object) -> None:
        _last.set(self._previous)
        if self._previous is not None:
            _emit(self._previous)


_last: contextvars.ContextVar[str | None] = contextvars.ContextVar("summarizer_progress_last", default=None)


def _emit(label: str) -> None:
    listener = _current()
    if listener is None:
        return
    with contextlib.suppress(Exception):  # a broken display must never break the work
        listener(label)


def step(label: str) -> _Step:
    """Report that a step begins; as a context manager, the previous label comes back when it ends."""
    previous = _last.get()
    _last.set(label)
    _emit(label)
    return _Step(label, previous)


@contextlib.contextmanager
def listen(listener: Listener) -> Iterator[None]:
    """Send every step reported in this context (and in code it calls) to ``listener``."""
    token = _listener.set(listener)
    try:
        yield
    finally:
        _listener.reset(token)


def bind(func: Callable[..., T]) -> Callable[..., T]:
    """``func`` run in a copy of the caller's context: hand it to an executor to keep the listener."""
    context = contextvars.copy_context()

    def bound(*args: Any, **kwargs: Any) -> T:
        return context.run(func, *args, **kwargs)

    return bound


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class Status:
    """The status line (see the module docstring). Open it with :func:`status`, or call
    :meth:`start` and :meth:`stop`; it is itself the listener (called with each label)."""

    def __init__(self, *, total: int = 1, stream: IO[str] | None = None, enabled: bool = True) -> None:
        self.total = total
        self.enabled = enabled
        self.started = time.monotonic()
        self.index = 0
        self.name: str | None = None
        self.label = ""
        self._stream = stream
        self._live: Any = None
        self._spinner: Any = None
        self._token: contextvars.Token[Listener | None] | None = None
        self._previous: Listener | None = None

    # what the code reports
    def __call__(self, label: str) -> None:
        self.label = label

    def article(self, index: int, name: str | None = None, total: int | None = None) -> None:
        """Article ``index`` (1-based) of the batch begins; its step label is cleared."""
        self.index = index
        self.name = name
        if total is not None:
            self.total = total
        self.label = ""

    def print(self, line: str) -> None:
        """Print a line above the status line (or to stderr when the line is off)."""
        if self._live is not None:
            self._live.console.print(line, markup=False, highlight=False, soft_wrap=True)
        else:
            print(line, file=self._stream or sys.stderr, flush=True)

    def text(self) -> str:
        """The line as plain text: ``article 2/5 · 004.txt · Arabic summary · 1:23``."""
        parts = []
        if self.total > 1 and self.index:
            parts.append(f"article {self.index}/{self.total}")
        if self.name:
            parts.append(self.name)
        if self.label:
            parts.append(self.label)
        parts.append(_clock(time.monotonic() - self.started))
        return " · ".join(parts)

    def __rich__(self) -> Any:
        from rich.text import Text

        self._spinner.update(text=Text(self.text(), style="dim"))
        return self._spinner

    # the display
    def start(self) -> None:
        """Listen to the steps reported from now on (here and, as the fallback, in other threads) and,
        when enabled, show the line."""
        global _fallback
        self._token = _listener.set(self)
        with _fallback_lock:
            self._previous, _fallback = _fallback, self
        if not self.enabled:
            return
        from rich.console import Console
        from rich.live import Live
        from rich.spinner import Spinner

        # enabled on purpose for a stream that is not a terminal (tests, --progress): force it
        stream = self._stream or sys.stderr
        terminal = bool(getattr(stream, "isatty", lambda: False)())
        console = Console(file=stream, force_terminal=True if not terminal else None)
        self._spinner = Spinner("dots")
        self._live = Live(self, console=console, refresh_per_second=4, transient=True)
        self._live.start()

    def stop(self) -> None:
        """Stop listening and take the line away (it is transient)."""
        global _fallback
        if self._live is not None:
            self._live.stop()
            self._live = None
        if self._token is not None:
            with _fallback_lock:
                if _fallback is self:
                    _fallback = self._previous
            with contextlib.suppress(ValueError):  # stopped in another context than it started
                _listener.reset(self._token)
            self._token = None


@contextlib.contextmanager
def status(*, total: int = 1, enabled: bool | None = None, stream: IO[str] | None = None) -> Iterator[Status]:
    """Show the status line while the block runs, when stderr is a terminal (or ``enabled``).

    Steps reported by :func:`step` in the block (in this thread, or in any thread while no other
    listener is set) update it. When disabled it shows nothing and collects the labels only.
    """
    if enabled is None:
        target = stream or sys.stderr
        enabled = bool(getattr(target, "isatty", lambda: False)())
    line = Status(total=total, stream=stream, enabled=enabled)
    line.start()
    try:
        yield line
    finally:
        line.stop()


__all__ = ["Listener", "Status", "bind", "listen", "status", "step"]
