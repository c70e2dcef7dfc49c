"""The batch executor: every article's LLM calls through a batch engine, one round per step.

``summarizer batch submit`` records a job (its articles, engine and options) in SQLite
(:mod:`summarizer.llm.batch_state`) and sends the first round; ``collect`` reads the finished batches,
advances every article and sends the next round; ``run`` does that until every article has its
brief; ``status`` says where each stands.

How a round is made: each unfinished article's pipeline runs in its own thread, as it would against
a server (:mod:`summarizer.llm.executors`), with a backend (:class:`_BatchBackend`) whose ``complete``
answers from the answer cache, or else registers the request and blocks on a future. Once every
thread waits or has finished, the requests waiting are the round: one JSONL line each (identical
requests of several articles share one line), written and sent. When a batch is collected, its
answers go into the cache and fulfil the futures; the threads run on to their next call. A failed
validation is re-asked in the next round by the same loop as everywhere else
(:func:`summarizer.llm.calls.structured_call`), so the briefs are those the direct and concurrent
executors make from the same answers.

A process that ends (``submit`` and ``collect`` return; a crash) loses only its threads: the next one
replays each unfinished article from the start, every answered call served from the cache in
milliseconds, to the call it waits at. A request in a batch not yet collected is never sent again;
a line the engine failed is sent again in the next round, at most ``max_line_failures`` times, unless
the engine refused the request itself (a 4xx), which fails its article at once with a
:class:`~summarizer.errors.BackendError` (exit 4).
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from summarizer.brief.pipeline import PipelineOptions, brief_article
from summarizer.cache import BriefCache
from summarizer.config import Settings
from summarizer.errors import BackendError, ConfigError, SummarizerError, one_line
from summarizer.inputs import Article
from summarizer.llm.backends import ChatBackend, Guard, backend_identity
from summarizer.llm.batch_engines import ENGINES, Engine, OpenAIEngine, VLLMEngine
from summarizer.llm.batch_state import BatchState
from summarizer.llm.calls import Answer, Request, article_scope
from summarizer.schema import ArticleBrief

__all__ = [
    "MAX_LINES",
    "BatchRun",
    "Finished",
    "JobStatus",
    "article_from_json",
    "article_json",
    "article_key",
    "brief_all",
    "make_engine",
]

#: Lines a batch file may hold: the OpenAI Batch API's limit.
MAX_LINES = 50_000


def article_json(article: Article) -> str:
    """An article as stored in a job (everything its brief depends on)."""
    return json.dumps(
        {
            "text": article.text,
            "name": article.name,
            "title": article.title,
            "source": article.source,
            "url": article.url,
            "published": article.published.isoformat() if article.published else None,
            "warnings": article.warnings,
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def article_key(data: str) -> str:
    """An article's id in a job: a hash of everything its brief depends on (:func:`article_json`)."""
    return hashlib.blake2b(data.encode("utf-8"), digest_size=8).hexdigest()


def article_from_json(data: str) -> Article:
    import datetime as dt

    d = json.loads(data)
    return Article(
        text=d["text"],
        name=d["name"],
        title=d["title"],
        source=d["source"],
        url=d["url"],
        published=dt.date.fromisoformat(d["published"]) if d["published"] else None,
        warnings=list(d["warnings"]),
    )


def make_engine(name: str, settings: Settings, *, echo: Callable[[str], None] = print) -> Engine:
    """The engine called ``name`` for these settings."""
    if name == "openai":
        return OpenAIEngine.from_settings(settings)
    if name == "vllm":
        return VLLMEngine(settings.model or "", echo=echo)
    raise ConfigError(f"unknown batch engine {name!r}: choose one of {', '.join(ENGINES)}")


@dataclass
class _Slot:
    """A request some articles wait on."""

    request: Request
    custom_id: str
    future: Future[Answer] = field(default_factory=Future)
    waiters: int = 0
    sent: bool = False


@dataclass
class JobStatus:
    """Where a job stands."""

    job: str
    engine: str
    articles: dict[str, int]
    """Articles by state: pending, done, failed."""
    steps: dict[str, int]
    """Waiting articles by the step they wait at."""
    batches: list[tuple[str, int, str, str | None]]
    """(local id, round, state, engine's status) of every batch."""
    lines: int

    @property
    def rounds(self) -> int:
        return len({r for _, r, _, _ in self.batches})

    @property
    def finished(self) -> bool:
        return self.articles.get("pending", 0) == 0


class _BatchBackend(ChatBackend):
    """The backend the articles of a batch run brief through: answers come from the run."""

    name = "openai"

    def __init__(self, settings: Settings, run: BatchRun):
        self.model = settings.model or ""
        self.settings = settings
        self.max_reasks = settings.max_reasks
        self._run = run

    @property
    def context_window(self) -> int | None:
        return None

    def count_tokens(self, text: str) -> int | None:
        return None

    def generation_params(self) -> dict[str, Any]:
        # An OpenAI-compatible backend at the same URL asking in json_schema mode: the brief cache
        # serves a batch's briefs to `summarize` with the same settings, and the other way round.
        return {**backend_identity_openai(self.settings), "structured_output": "json_schema"}

    def complete(self, request: Request, guard: Guard | None = None) -> Answer:
        return self._run.ask(request)


def backend_identity_openai(settings: Settings) -> dict[str, Any]:
    """The generation parameters of an OpenAI-compatible backend with these settings."""
    return backend_identity(replace(settings, backend="openai"))[2]


class BatchRun:
    """One job's articles, advanced round by round through ``engine``.

    Args:
        state: the state file.
        engine: runs each round's batch.
        job: the job's id (:meth:`create` makes one).
        settings: the backend settings (model; ``max_reasks``) the briefs are made with.
        options: the pipeline's options, as in the job.
        batch_dir: where the batch files are written.
        max_line_failures: times a line may fail before its article fails.
        max_threads: articles briefed at once in this process (the others wait for a finished one).
        max_lines: lines a batch file may hold (the OpenAI Batch API takes 50,000); a larger round is
            sent as several batches.
        cache: also store each brief in the brief cache (``summarizer summarize`` then finds it).
    """

    def __init__(
        self,
        state: BatchState,
        engine: Engine,
        job: str,
        settings: Settings,
        options: PipelineOptions,
        *,
        batch_dir: Path | None = None,
        max_line_failures: int = 3,
        max_threads: int = 1024,
        max_lines: int = MAX_LINES,
        cache: bool = True,
    ):
        self.state = state
        self.engine = engine
        self.job = job
        self.settings = settings
        self.options = options
        self.batch_dir = batch_dir or settings.cache_path / "batches"
        self.max_line_failures = max_line_failures
        self.max_threads = max(1, max_threads)
        self.max_lines = max(1, max_lines)
        self.backend = _BatchBackend(settings, self)
        self._cache = cache
        self._cv = threading.Condition()
        self._slots: dict[str, _Slot] = {}
        self._running = 0
        self._alive = 0
        self._queue: list[tuple[str, Article]] = []
        self._started = False
        self._steps: dict[str, str] = {}
        self._finished: list[tuple[Article, ArticleBrief]] = []

    # --- jobs ------------------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        state: BatchState,
        engine_name: str,
        articles: Iterable[Article],
        settings: Settings,
        options: PipelineOptions,
        **kwargs: Any,
    ) -> str:
        """Record a job over ``articles`` (an article given twice is briefed once); returns its id.

        An unfinished job with the same engine and settings over the same articles is taken up again
        rather than made twice (a digest that died while its batch ran, a submit given twice): its
        rounds in flight are collected, not sent again.
        """
        if engine_name not in ENGINES:
            raise ConfigError(f"unknown batch engine {engine_name!r}: choose one of {', '.join(ENGINES)}")
        if not settings.model:
            raise ConfigError("a batch needs a model name (--model or SUMMARIZER_MODEL)")
        rows = []
        for article in articles:
            data = article_json(article)
            rows.append((article_key(data), article.name, data))
        config = {
            "base_url": settings.base_url,
            "model": settings.model,
            "max_reasks": settings.max_reasks,
            "profile": options.profile,
            "max_events": options.max_events,
        }
        existing = state.unfinished_job(engine_name, config, [aid for aid, _, _ in rows])
        return existing or state.create_job(engine_name, config, rows)

    # --- the article threads ---------------------------------------------------------------------

    def _cache_key(self, article: Article) -> str | None:
        if not self._cache:
            return None
        from summarizer.api import Briefer

        return Briefer(self.settings, backend=self.backend, use_cache=False, options=self.options).key(
            article
        )

    def _cached_brief(self, article: Article, cache: BriefCache | None) -> ArticleBrief | None:
        from summarizer.cache import CacheError

        key = self._cache_key(article)
        if key is None or cache is None:
            return None
        try:
            return cache.get(key)
        except CacheError:
            return None

    def _keep(self) -> None:
        """Put the briefs finished since the last call into the brief cache (from the coordinating
        thread: one connection, not one per article thread)."""
        from summarizer.cache import CacheError

        with self._cv:
            finished, self._finished = self._finished, []
        if not finished or not self._cache:
            return
        cache = BriefCache(self.settings.cache_path)
        try:
            for article, brief in finished:
                key = self._cache_key(article)
                if key is not None:
                    cache.put(key, brief)
        except CacheError:
            pass  # the batch state holds the briefs; the cache is only a convenience
        finally:
            cache.close()

    def _brief(self, aid: str, article: Article) -> None:
        try:
            with article_scope(aid):
                brief = brief_article(article, self.backend, self.options)
            self.state.finish(self.job, aid, brief=brief.model_dump_json())
            with self._cv:
                self._finished.append((article, brief))
        except SummarizerError as e:
            self.state.finish(self.job, aid, error=f"{article.name}: {one_line(e)}", kind=type(e).__name__)
        except Exception as e:  # a bug costs this article, not the run
            error = f"{article.name}: unexpected {one_line(e, with_type=True)}"
            self.state.finish(self.job, aid, error=error, kind="SummarizerError")
        finally:
            with self._cv:
                self._running -= 1
                self._alive -= 1
                self._steps.pop(aid, None)
                self._launch()
                self._cv.notify_all()

    def _launch(self) -> None:
        """Start queued articles while fewer than ``max_threads`` are alive (holding ``_cv``)."""
        while self._queue and self._alive < self.max_threads:
            aid, article = self._queue.pop(0)
            self._alive += 1
            self._running += 1
            threading.Thread(
                target=self._brief, args=(aid, article), daemon=True, name=f"batch-{aid}"
            ).start()

    def _start(self) -> None:
        if self._started:
            return
        self._started = True
        queue = []
        cache = BriefCache(self.settings.cache_path) if self._cache else None
        try:
            for aid, _, data, _, _ in self.state.articles(self.job, "pending"):
                article = article_from_json(data)
                cached = self._cached_brief(article, cache)
                if cached is not None:
                    self.state.finish(self.job, aid, brief=cached.model_dump_json())
                    continue
                queue.append((aid, article))
        finally:
            if cache is not None:
                cache.close()
        with self._cv:
            self._queue = queue
            self._launch()

    def ask(self, request: Request) -> Answer:
        """The answer to ``request``: from the cache, or once a round has brought it (blocks)."""
        count = getattr(_local, "calls", 0)
        _local.calls = count + 1  # the call's place in its article: a stable part of its custom_id
        key = request.key()
        cached = self.state.answer(key)
        if cached is not None:
            return cached
        with self._cv:
            slot = self._slots.get(key)
            if slot is None:
                custom_id = f"{request.article_id}-{count:03d}-{request.step or 'call'}"
                if request.attempt:
                    custom_id += f"-reask{request.attempt}"
                slot = self._slots[key] = _Slot(request, custom_id)
            slot.waiters += 1
            self._steps[request.article_id] = request.step + (
                f" (re-ask {request.attempt})" if request.attempt else ""
            )
            self._running -= 1
            self._cv.notify_all()
        return slot.future.result()  # whoever resolves it counts this thread as running again

    def _resolve(self, key: str, answer: Answer | None = None, error: BaseException | None = None) -> None:
        """Fulfil a slot (holding ``_cv``): its threads run again."""
        slot = self._slots.pop(key)
        self._running += slot.waiters
        if error is not None:
            slot.future.set_exception(error)
        else:
            slot.future.set_result(answer)  # type: ignore[arg-type]

    def _quiesce(self, timeout: float = 3600.0) -> None:
        """Wait until every article thread waits for an answer or has finished."""
        deadline = time.monotonic() + timeout
        with self._cv:
            while self._running > 0:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise SummarizerError("batch: articles still running after an hour of code; giving up")
                self._cv.wait(min(left, 1.0))

    # --- rounds ----------------------------------------------------------------------------------

    def _submit_round(self) -> int:
        """Send the requests waiting and not in an open batch as one new batch; returns its lines."""
        open_keys = self.state.open_keys(self.job)
        lines: list[tuple[str, str, Request]] = []
        with self._cv:
            for key, slot in list(self._slots.items()):
                if slot.sent:
                    continue
                slot.sent = True
                if key in open_keys:
                    continue  # sent before a restart: collected with its batch
                failed, permanent, error = self.state.failures(self.job, key)
                if permanent or failed >= self.max_line_failures:
                    times = "" if permanent else f" ({failed} times)"
                    self._resolve(
                        key, error=BackendError(f"batch line {slot.custom_id} failed{times}: {error}")
                    )
                    continue
                lines.append((slot.custom_id, key, slot.request))
        if not lines:
            return 0
        self.batch_dir.mkdir(parents=True, exist_ok=True)
        round_no = self.state.next_round(self.job)
        for start in range(0, len(lines), self.max_lines):  # a round larger than a file may hold
            part = lines[start : start + self.max_lines]
            local_id = f"{self.job}-{uuid.uuid4().hex[:8]}"
            path = self.batch_dir / f"{local_id}.jsonl"
            tmp = path.with_suffix(".part")
            tmp.write_text(
                "".join(self.engine.line(cid, req) + "\n" for cid, _, req in part), encoding="utf-8"
            )
            tmp.replace(path)
            keys = [(cid, key) for cid, key, _ in part]
            row = self.state.prepare_batch(self.job, path, keys, local_id=local_id, round_no=round_no)
            self.engine.submit(row, self.state)
        return len(lines)

    def _collect(self) -> int:
        """Read every finished batch into the state (and send any left half-sent by a crash); returns
        the batches collected."""
        collected = 0
        for row in self.state.batches(self.job, open_only=True):
            if row.state != "submitted":
                self.engine.submit(row, self.state)
                continue
            status, done = self.engine.poll(row)
            if not done:
                if status != row.remote_status:
                    self.state.update_batch(row.local_id, remote_status=status)
                continue
            self.state.collect(row, self.engine.results(row), status)
            collected += 1
        return collected

    def _wake(self) -> None:
        """Fulfil every waiting request whose batch was collected (by this process or an earlier one):
        with its answer, or, when its line failed, let the next round send it again (or fail its
        articles)."""
        open_keys = self.state.open_keys(self.job)
        with self._cv:
            for key, slot in list(self._slots.items()):
                if key in open_keys:
                    continue
                answer = self.state.answer(key)  # collected here, or by an earlier process
                if answer is not None:
                    self._resolve(key, answer=answer)
                else:
                    slot.sent = False  # failed: the next round decides to resend or to give up

    def step(self) -> JobStatus:
        """One pass: advance every article as far as the answers at hand allow, collect finished
        batches, and send the next round when nothing is in flight for the waiting requests."""
        self._start()
        self._quiesce()
        self._wake()  # answers collected by an earlier process
        self._quiesce()
        if self._collect():
            self._wake()
            self._quiesce()
        while True:
            sent = self._submit_round()
            self._quiesce()  # articles a failed line ended, finished
            if sent or not any(not s.sent for s in self._slots.values()):
                break
        with self._cv:
            steps = dict(self._steps)
        self.state.set_steps(self.job, steps)
        self._keep()
        return self.status()

    def status(self) -> JobStatus:
        return self.status_of(self.state, self.job)

    @staticmethod
    def status_of(state: BatchState, job: str) -> JobStatus:
        """Where ``job`` stands, as the state file says (no engine asked)."""
        _, engine, _ = state.job(job)
        return JobStatus(
            job=job,
            engine=engine,
            articles=state.counts(job),
            steps=state.step_counts(job),
            batches=[(b.local_id, b.round, b.state, b.remote_status) for b in state.batches(job)],
            lines=state.line_count(job),
        )

    def run(self, *, poll: float = 30.0, on_step: Callable[[JobStatus], None] | None = None) -> JobStatus:
        """:meth:`step` until every article is finished, waiting ``poll`` seconds between passes that
        found nothing new to do."""
        while True:
            before = self.state.line_count(self.job), self.state.counts(self.job)
            status = self.step()
            if on_step is not None:
                on_step(status)
            if status.finished:
                return status
            if (status.lines, status.articles) == before:
                time.sleep(poll)


_local = threading.local()


#: A finished article of :func:`brief_all`: the article, its brief or the one-line reason it has none,
#: and the class name of the error (``BackendError``), or None.
Finished = tuple[Article, ArticleBrief | None, str | None, str | None]


def brief_all(
    articles: list[Article],
    settings: Settings,
    options: PipelineOptions,
    *,
    engine: str,
    poll: float = 30.0,
    echo: Callable[[str], None] = print,
    on_step: Callable[[JobStatus], None] | None = None,
) -> list[Finished]:
    """Brief ``articles`` through a batch engine, round after round until every one is finished (the
    digest's ``--batch``); in the order given. A run that dies is taken up again by the next call with
    the same articles (:meth:`BatchRun.create`)."""
    state = BatchState(settings.cache_path)
    try:
        job = BatchRun.create(state, engine, articles, settings, options)
        run = BatchRun(state, make_engine(engine, settings, echo=echo), job, settings, options)
        run.run(poll=poll, on_step=on_step)
        done = {aid: (brief, error, kind) for aid, _, brief, error, kind in state.results(job)}
    finally:
        state.close()
    out: list[Finished] = []
    for article in articles:
        brief, error, kind = done.get(
            article_key(article_json(article)), (None, "not briefed", "SummarizerError")
        )
        out.append((article, ArticleBrief.model_validate_json(brief) if brief else None, error, kind))
    return out
