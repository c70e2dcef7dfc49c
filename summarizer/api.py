"""The Python API: :func:`get_summarizer` and its :class:`Summarizer` (one configuration, one backend,
one cache, for many calls); :func:`summarize`, :func:`summarize_many` and their async twins, thin
wrappers that make one for a call.

The CLI is a thin layer over these functions; a Python user gets exactly what the CLI does.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import sys
import threading
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summarizer.brief.pipeline import DEFAULT_MAX_EVENTS, PROFILES, PipelineOptions, brief_article
from summarizer.cache import BriefCache, CacheError, cache_key, code_fingerprint
from summarizer.config import Settings, resolve_settings
from summarizer.errors import ConfigError, InputError, SummarizerError, one_line
from summarizer.inputs import Article, article_from_text, read_article
from summarizer.llm import prompts
from summarizer.llm.backends import Backend, backend_identity, get_backend
from summarizer.llm.calls import article_scope
from summarizer.llm.executors import DEFAULT_CONCURRENCY, Executor, executor_for
from summarizer.llm.parallel import EmbeddedBatchedExecutor
from summarizer.schema import ArticleBrief

Item = str | Path | Article

log = logging.getLogger("summarizer.api")


@dataclass
class BriefResult:
    """One item of :func:`summarize_many`: a brief, or the error that stopped it."""

    item: Item
    name: str
    brief: ArticleBrief | None = None
    error: SummarizerError | None = None

    @property
    def ok(self) -> bool:
        return self.brief is not None


def _coerce_date(value: dt.date | str | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError as e:
        raise InputError(f"published date {value!r} is not YYYY-MM-DD") from e


def to_article(
    item: Item,
    *,
    published: dt.date | str | None = None,
    source: str | None = None,
    url: str | None = None,
    title: str | None = None,
) -> Article:
    """Turn a path, ``-``, raw text or an :class:`Article` into a cleaned :class:`Article`."""
    pub = _coerce_date(published)
    if isinstance(item, Article):
        return item
    if isinstance(item, Path) or (isinstance(item, str) and (item == "-" or _looks_like_path(item))):
        article = read_article(item, source=source, url=url, published=pub)
        if title:
            article.title = title
        return article
    if not isinstance(item, str):
        raise InputError(f"cannot summarize a {type(item).__name__}; pass text, a path or an Article")
    return article_from_text(item, title=title, source=source, url=url, published=pub)


def _looks_like_path(s: str) -> bool:
    if "\n" in s or len(s) > 4096:
        return False
    return os.path.exists(s) or s.lower().endswith((".txt", ".html", ".htm"))


def stderr_warning(message: str) -> None:
    """The default way a :class:`Briefer` warns: one line on stderr."""
    print(f"summarizer: warning: {message}", file=sys.stderr, flush=True)


class Briefer:
    """Briefs articles with one configuration: cache first, backend loaded only on a miss.

    The cache is an optimisation: when it cannot be read (corrupt, unreadable) or written (read-only
    file or folder, full disk), ``warn`` is called once and briefs are made and returned without it.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        backend: Backend | None = None,
        use_cache: bool = True,
        options: PipelineOptions | None = None,
        show_progress: bool = False,
        warn: Callable[[str], None] | None = None,
    ):
        self.settings = settings or resolve_settings()
        self._backend = backend
        self.cache = BriefCache(self.settings.cache_path) if use_cache else None
        self.options = options or PipelineOptions()
        self.show_progress = show_progress
        self.warn = warn or stderr_warning
        self._lock = threading.Lock()
        self._cache_lock = threading.Lock()
        self._cache_read = self._cache_write = self.cache is not None
        self._cache_warned = False
        self.cancelled = threading.Event()
        """Set by :meth:`cancel`: no new article or request starts."""

    def cancel(self) -> None:
        """Stop at once (Ctrl-C): no new article starts, no new request is sent, retries stop waiting.
        A request already sent runs to its end in its thread; its result is dropped."""
        self.cancelled.set()
        breaker = getattr(self._backend, "breaker", None)
        if breaker is not None:
            breaker.cancel()

    @property
    def backend_name(self) -> str:
        """The backend's name (``embedded``, ``openai``, ...), known without loading a model."""
        return self._backend.name if self._backend is not None else self.settings.backend

    def new_run(self) -> None:
        """Start a new run after one that was cancelled or found the backend down: forget the cancel
        and the circuit breaker's count."""
        self.cancelled.clear()
        breaker = getattr(self._backend, "breaker", None)
        if breaker is not None:
            breaker.reset()

    def _cache_fault(self, error: CacheError, *, reading: bool) -> None:
        """Stop using the cache (reading and writing, or only writing) and warn, once per Briefer."""
        with self._cache_lock:
            self._cache_write = False
            if reading:
                self._cache_read = False
            if self._cache_warned:
                return
            self._cache_warned = True
        hint = " (`summarizer cache clear` recreates it)" if error.corrupt else ""
        self.warn(f"{one_line(error)}{hint}; going on without the cache")

    @property
    def backend(self) -> Backend:
        with self._lock:
            if self._backend is None:
                self._backend = get_backend(self.settings, show_progress=self.show_progress)
            return self._backend

    def key(self, article: Article) -> str:
        if self._backend is not None:
            name, model, params = self._backend.name, self._backend.model, self._backend.generation_params()
        else:
            name, model, params = backend_identity(self.settings)
        metadata = {
            "title": article.title,
            "source": article.source,
            "url": article.url,
            "published": article.published.isoformat() if article.published else None,
        }
        return cache_key(
            text=article.text,
            metadata=metadata,
            backend=name,
            model=model,
            params=params,
            prompt_hash=prompts.prompt_hash(),
            options=self.options.key(),
            code=code_fingerprint(),  # any change to the package's code or data makes briefs again
        )

    def brief(self, article: Article) -> ArticleBrief:
        key = self.key(article) if self.cache is not None else None
        if self.cache is not None and key is not None and self._cache_read:
            try:
                cached = self.cache.get(key)
            except CacheError as e:
                self._cache_fault(e, reading=True)
                cached = None
            if cached is not None:
                return cached
        brief = brief_article(article, self.backend, self.options)
        if self.cache is not None and key is not None and self._cache_write:
            try:
                self.cache.put(key, brief)
            except CacheError as e:
                self._cache_fault(e, reading=False)
        return brief


def make_briefer(
    *,
    backend: Backend | str | None = None,
    settings: Settings | None = None,
    cache: bool = True,
    max_events: int = DEFAULT_MAX_EVENTS,
    **config: Any,
) -> Briefer:
    """The one way a :class:`Briefer` is built from the API's keywords (:func:`summarize`,
    :func:`summarize_many`, :func:`summarizer.evaluation.evaluate`; the digest briefs through
    :func:`summarize_many`).

    ``backend`` is a name (``"embedded"``, ``"openai"``: a setting like the others) or a
    :class:`~summarizer.llm.backends.Backend` to use as it is; ``config`` holds the other settings
    (:class:`~summarizer.config.Settings`), resolved with the environment and the config file unless
    ``settings`` is given, and ``profile`` (else ``SUMMARIZER_PROFILE``, else ``auto``).

    Raises:
        ConfigError: an unknown profile or setting, settings that do not resolve, or ``settings``
            together with a configuration keyword (``profile`` aside) or a backend name.
    """
    if settings is not None:
        given = sorted(k for k, v in config.items() if v is not None and k != "profile")
        if isinstance(backend, str):
            given.insert(0, "backend")
        if given:
            raise ConfigError(
                f"settings= are already resolved: pass them or configuration keywords "
                f"({', '.join(given)}), not both"
            )
    if isinstance(backend, str):
        config = {**config, "backend": backend}
        backend = None
    profile = config.pop("profile", None) or os.environ.get("SUMMARIZER_PROFILE") or "auto"
    if profile not in PROFILES:
        raise ConfigError(f"unknown profile {profile!r}: choose one of {', '.join(PROFILES)}")
    settings = settings or resolve_settings(**config)
    return Briefer(
        settings,
        backend=backend,
        use_cache=cache,
        options=PipelineOptions(max_events=max_events, profile=profile),
    )


def unexpected_error(name: str, e: BaseException) -> SummarizerError:
    """An exception no code path expected, as one article's one-line failure (the traceback is logged)."""
    log.debug("%s: unexpected error", name, exc_info=e)
    return SummarizerError(f"{name}: unexpected {one_line(e, with_type=True)}")


class Summarizer:
    """Briefs articles with one configuration: the settings resolved once, the backend built on first
    need (once) and the brief cache opened once, for every call. Made by :func:`get_summarizer`.

    Each call is a run of its own: a run stopped early (Ctrl-C, or a loop that leaves
    :meth:`summarize_many` before its end) cancels the requests not yet sent, and a backend found down
    stops the requests of that run (the circuit breaker); the next call starts afresh. Use it as a
    context manager, or call :meth:`close`, to close the cache's connection when done.
    """

    def __init__(self, briefer: Briefer):
        self.briefer = briefer
        """Builds each brief (cache first, the backend on a miss)."""
        self._runs = 0

    def _start_run(self) -> None:
        # The first run finds the briefer as it was made (a backend passed in keeps its breaker, as it
        # did through summarize()); each later one starts afresh.
        if self._runs:
            self.briefer.new_run()
        self._runs += 1

    @property
    def settings(self) -> Settings:
        """The resolved settings."""
        return self.briefer.settings

    @property
    def backend(self) -> Backend:
        """The LLM backend, built (the embedded model loaded) on first use."""
        return self.briefer.backend

    @property
    def cache(self) -> BriefCache | None:
        """The brief cache, or None with ``cache=False``."""
        return self.briefer.cache

    def summarize(
        self,
        text_or_path: Item,
        *,
        published: dt.date | str | None = None,
        source: str | None = None,
        url: str | None = None,
        title: str | None = None,
    ) -> ArticleBrief:
        """Brief one article: the arguments and errors of :func:`summarize`."""
        article = to_article(text_or_path, published=published, source=source, url=url, title=title)
        self._start_run()
        return self.briefer.brief(article)

    def summarize_many(
        self,
        items: Iterable[Item],
        *,
        concurrency: int | None = None,
        published: dt.date | str | None = None,
        source: str | None = None,
        url: str | None = None,
    ) -> Iterator[BriefResult]:
        """Brief many articles, yielding a :class:`BriefResult` per item as each completes.

        A failed item (unreadable file, invalid answers, backend failure) is yielded with its error and
        the others go on. Behind a server, up to ``concurrency`` articles are in flight (default
        :data:`~summarizer.llm.executors.DEFAULT_CONCURRENCY`), through the concurrent executor
        (:mod:`summarizer.llm.executors`: one circuit breaker and one 429 back-off for the run). On the
        embedded engine, several articles are in flight and their requests are decoded together as
        parallel sequences (:class:`~summarizer.llm.parallel.EmbeddedBatchedExecutor`), as many as the
        machine's calibrated width, or ``concurrency`` when given (1: one article at a time).
        """
        briefer = self.briefer
        self._start_run()

        def one(item: Item) -> BriefResult:
            name = str(item) if not isinstance(item, Article) else item.name
            if briefer.cancelled.is_set():
                return BriefResult(item=item, name=name, error=SummarizerError(f"{name}: cancelled"))
            try:
                article = to_article(item, published=published, source=source, url=url)
                with article_scope(article.id[:16]):
                    brief = briefer.brief(article)
                return BriefResult(item=item, name=article.name, brief=brief)
            except SummarizerError as e:
                return BriefResult(item=item, name=name, error=e)
            except Exception as e:  # a bug or a broken install costs this article, not the batch
                return BriefResult(item=item, name=name, error=unexpected_error(name, e))

        # Not a `with` block in the concurrent executor: on Ctrl-C (or when the caller stops iterating)
        # the queued articles are cancelled and nothing waits for the requests in flight.
        executor: Executor
        if briefer.backend_name == "embedded" and concurrency != 1:
            # in process: several articles in flight, their requests decoded as parallel sequences,
            # as many as the machine's calibrated width (or ``concurrency``, when given)
            executor = EmbeddedBatchedExecutor(concurrency, on_cancel=briefer.cancel)
        else:
            if concurrency is None:  # behind a server, several articles in flight
                concurrency = DEFAULT_CONCURRENCY if briefer.backend_name == "openai" else 1
            executor = executor_for(
                concurrency, one_at_a_time=briefer.backend_name == "embedded", on_cancel=briefer.cancel
            )
        yield from executor.map(one, items)

    async def asummarize(
        self,
        text_or_path: Item,
        *,
        published: dt.date | str | None = None,
        source: str | None = None,
        url: str | None = None,
        title: str | None = None,
    ) -> ArticleBrief:
        """Async twin of :meth:`summarize` (runs in a worker thread)."""
        return await asyncio.to_thread(
            self.summarize, text_or_path, published=published, source=source, url=url, title=title
        )

    async def asummarize_many(
        self,
        items: Iterable[Item],
        *,
        concurrency: int | None = None,
        published: dt.date | str | None = None,
        source: str | None = None,
        url: str | None = None,
    ) -> AsyncIterator[BriefResult]:
        """Async twin of :meth:`summarize_many`: yields results as they complete."""
        queue: asyncio.Queue[BriefResult | None] = asyncio.Queue()
        loop = asyncio.get_running_loop()

        def produce() -> None:
            try:
                for result in self.summarize_many(
                    items, concurrency=concurrency, published=published, source=source, url=url
                ):
                    loop.call_soon_threadsafe(queue.put_nowait, result)
            finally:
                loop.call_soon_threadsafe(queue.put_nowait, None)

        task = loop.run_in_executor(None, produce)
        while (result := await queue.get()) is not None:
            yield result
        await task

    def close(self) -> None:
        """Close the brief cache's connection (it reopens if the summarizer is used again)."""
        if self.briefer.cache is not None:
            self.briefer.cache.close()

    def __enter__(self) -> Summarizer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def get_summarizer(
    *,
    backend: Backend | str | None = None,
    settings: Settings | None = None,
    cache: bool = True,
    max_events: int = DEFAULT_MAX_EVENTS,
    **config: Any,
) -> Summarizer:
    """A :class:`Summarizer` for one configuration: settings resolved now, the backend built on first need.

    Args:
        backend: ``"embedded"``, ``"openai"``, a :class:`~summarizer.llm.backends.Backend`, or None to
            resolve from configuration (no base URL means the embedded model; an API key alone
            never selects a remote backend).
        settings: fully resolved settings (:func:`summarizer.config.resolve_settings`); then no
            configuration keyword (and no backend name) may be given, ``profile`` aside.
        cache: use the brief cache.
        max_events: most events to extract.
        config: settings (``base_url``, ``api_key``, ``model``, ``model_path``, ``cache_dir``, ...),
            resolved with the environment and config file, and ``profile``: ``"small"`` (code reads
            the article; the model answers narrow, checked questions; the default on the embedded
            model), ``"large"`` (the model reads the whole article, then the same checks; the default
            behind a server with a large context), or ``"auto"`` (``SUMMARIZER_PROFILE`` sets it too).

    Raises:
        ConfigError: the configuration is invalid, or ``settings`` comes with configuration keywords.
    """
    return Summarizer(
        make_briefer(backend=backend, settings=settings, cache=cache, max_events=max_events, **config)
    )


def summarize(
    text_or_path: Item,
    *,
    published: dt.date | str | None = None,
    source: str | None = None,
    url: str | None = None,
    title: str | None = None,
    backend: Backend | str | None = None,
    settings: Settings | None = None,
    cache: bool = True,
    max_events: int = DEFAULT_MAX_EVENTS,
    **config: Any,
) -> ArticleBrief:
    """Brief one Arabic news article.

    Args:
        text_or_path: the article's text, a path to a ``.txt``/``.html`` file, ``"-"`` for stdin,
            or an :class:`~summarizer.inputs.Article`.
        published: publication date (``date`` or ``YYYY-MM-DD``); relative dates resolve against it.
        source, url, title: metadata when the text lacks it.
        backend, settings, cache, max_events, config: as for :func:`get_summarizer`.

    Raises:
        InputError: the input is not a readable Arabic article.
        ConfigError: the configuration is invalid.
        BriefError: the model never produced a valid brief.
        BackendError: the backend failed after its retries.
    """
    article = to_article(text_or_path, published=published, source=source, url=url, title=title)
    summarizer = get_summarizer(
        backend=backend, settings=settings, cache=cache, max_events=max_events, **config
    )
    return summarizer.summarize(article)


def summarize_many(
    items: Iterable[Item],
    *,
    concurrency: int | None = None,
    published: dt.date | str | None = None,
    source: str | None = None,
    url: str | None = None,
    backend: Backend | str | None = None,
    settings: Settings | None = None,
    cache: bool = True,
    max_events: int = DEFAULT_MAX_EVENTS,
    **config: Any,
) -> Iterator[BriefResult]:
    """Brief many articles, yielding a :class:`BriefResult` per item as each completes
    (:meth:`Summarizer.summarize_many`; ``backend``, ``settings``, ``cache``, ``max_events`` and
    ``config`` as for :func:`get_summarizer`).

    A failed item (unreadable file, invalid answers, backend failure) is yielded with its error and
    the others go on. Behind a server, up to ``concurrency`` articles are in flight (default
    :data:`~summarizer.llm.executors.DEFAULT_CONCURRENCY`); the embedded engine runs one at a time.
    """
    summarizer = get_summarizer(
        backend=backend, settings=settings, cache=cache, max_events=max_events, **config
    )
    yield from summarizer.summarize_many(
        items, concurrency=concurrency, published=published, source=source, url=url
    )


async def asummarize(text_or_path: Item, **kwargs: Any) -> ArticleBrief:
    """Async twin of :func:`summarize` (runs in a worker thread)."""
    return await asyncio.to_thread(summarize, text_or_path, **kwargs)


async def asummarize_many(
    items: Iterable[Item],
    *,
    concurrency: int | None = None,
    published: dt.date | str | None = None,
    source: str | None = None,
    url: str | None = None,
    **kwargs: Any,
) -> AsyncIterator[BriefResult]:
    """Async twin of :func:`summarize_many`: yields results as they complete."""
    summarizer = get_summarizer(**kwargs)
    async for result in summarizer.asummarize_many(
        items, concurrency=concurrency, published=published, source=source, url=url
    ):
        yield result
