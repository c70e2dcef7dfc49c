"""Building a digest: collect the inbox, brief each article through the cache, merge, render."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from summarizer import progress as progress_line
from summarizer.arabic.gazetteer import PlaceLookup
from summarizer.arabic.outlets import outlet_from_patterns
from summarizer.digest.archive import page_name
from summarizer.digest.collect import Collected, Failure, InboxItem, Window, collect_inbox
from summarizer.digest.config import parse_duration, resolve_ledger_path
from summarizer.digest.ledger import Ledger
from summarizer.digest.merge import merge_incidents
from summarizer.digest.render import Links, render_digest

# The digest's data types live in summarizer.digest.types (render and archive read them without
# importing this module); they stay importable from here under their old names.
from summarizer.digest.types import BriefedArticle as BriefedArticle
from summarizer.digest.types import Digest as Digest
from summarizer.digest.types import DigestStats as DigestStats
from summarizer.digest.types import outlet_name as outlet_name
from summarizer.errors import ConfigError, SummarizerError, one_line
from summarizer.inputs import Article
from summarizer.schema import ArticleBrief

if TYPE_CHECKING:
    from summarizer.config import Settings

#: Briefs one article, raising a :class:`~summarizer.errors.SummarizerError` when it cannot.
Briefer = Callable[[Article], ArticleBrief]

#: How far back late arrivals are still taken by default.
DEFAULT_LATE = dt.timedelta(hours=48)
#: The window when neither ``since`` nor ``date`` is given.
DEFAULT_SINCE = dt.timedelta(hours=24)


#: One briefing result: the article, its brief or the one-line reason it has none, and the kind of
#: error that reason comes from (``BackendError``, ``BriefError``, ...).
_Result = tuple[Article, ArticleBrief | None, str | None, type[SummarizerError]]


def _failed(error: BaseException) -> tuple[str, type[SummarizerError]]:
    if isinstance(error, SummarizerError):
        return one_line(error), type(error)
    return f"unexpected error: {one_line(error, with_type=True)}", SummarizerError


def _api_results(
    articles: list[Article], settings: Settings | None, concurrency: int | None
) -> Iterator[_Result]:
    """Brief through :func:`summarizer.api.summarize_many` (the cache first, the model on a miss), whose
    briefer :func:`summarizer.api.make_briefer` builds, as for every other caller."""
    from summarizer.api import summarize_many

    remaining = list(articles)
    while remaining:  # each pass finishes or drops at least one article: bounded by len(articles)
        done: set[int] = set()
        try:
            for result in summarize_many(remaining, concurrency=concurrency, settings=settings):
                article = result.item if isinstance(result.item, Article) else None
                if article is None:
                    continue
                done.add(id(article))
                if result.error is not None:
                    reason, kind = _failed(result.error)
                    yield article, None, reason, kind
                else:
                    yield article, result.brief, None, SummarizerError
            return
        except SummarizerError:
            raise
        except Exception as e:  # a bug in one brief must not stop the digest: blame the next unfinished one
            left = [a for a in remaining if id(a) not in done]
            if not left:
                return
            yield left[0], None, *_failed(e)
            remaining = left[1:]


def _batch_results(
    articles: list[Article], settings: Settings | None, engine: str, poll: float
) -> Iterator[_Result]:
    """Brief through a batch engine (:func:`summarizer.batch.brief_all`): every article's calls go
    round by round through the OpenAI Batch API or vLLM's run-batch; the digest waits for the last."""
    from summarizer import errors
    from summarizer.batch import brief_all
    from summarizer.brief.pipeline import PipelineOptions
    from summarizer.config import resolve_settings

    settings = settings or resolve_settings(backend="openai")
    profile = os.environ.get("SUMMARIZER_PROFILE") or "auto"

    def say(line: str) -> None:
        print(f"summarizer: {line}", file=sys.stderr, flush=True)

    for article, brief, error, kind in brief_all(
        articles, settings, PipelineOptions(profile=profile), engine=engine, poll=poll, echo=say
    ):
        if brief is not None:
            yield article, brief, None, SummarizerError
        else:
            cls = getattr(errors, kind or "", SummarizerError)
            yield article, None, error or "not briefed", cls if isinstance(cls, type) else SummarizerError


def _injected_results(articles: list[Article], briefer: Briefer) -> Iterator[_Result]:
    for article in articles:
        try:
            yield article, briefer(article), None, SummarizerError
        except Exception as e:  # one bad article never stops the digest
            yield article, None, *_failed(e)


def brief_items(
    items: list[InboxItem],
    *,
    briefer: Briefer | None = None,
    settings: Settings | None = None,
    concurrency: int | None = None,
    batch: str | None = None,
    batch_poll: float = 30.0,
    progress: bool = False,
    status: progress_line.Status | None = None,
) -> tuple[list[BriefedArticle], list[Failure]]:
    """Brief every item (in inbox order). ``status`` (or, with ``progress``, a status line of its own
    on stderr) shows ``article i/n``, the file and the pipeline's step (see :mod:`summarizer.progress`).
    With ``batch`` (``openai`` or ``vllm``), the default briefer sends the calls through that batch
    engine (:mod:`summarizer.batch`), polling every ``batch_poll`` seconds.
    """
    by_article = {id(item.article): item for item in items}
    articles = [item.article for item in items]
    if briefer:
        results = _injected_results(articles, briefer)
    elif batch:
        results = _batch_results(articles, settings, batch, batch_poll)
    else:
        results = _api_results(articles, settings, concurrency)
    briefed: dict[int, BriefedArticle] = {}
    failures: list[Failure] = []
    with contextlib.ExitStack() as stack:
        line = status or stack.enter_context(progress_line.status(total=len(items), enabled=progress))
        line.total = len(items)

        def announce(done: int) -> None:
            if done < len(items):
                line.article(done + 1, Path(items[done].origin).name)

        announce(0)
        for done, (article, brief, error, kind) in enumerate(results, 1):
            item = by_article[id(article)]
            if brief is not None:
                briefed[id(article)] = BriefedArticle(item, brief)
            else:
                failures.append(
                    Failure(
                        item.origin,
                        error or "no brief",
                        title=article.title,
                        url=article.url,
                        key=item.key,
                        kind=kind,
                        stage="brief",
                    )
                )
            announce(done)
    ordered = [briefed[id(item.article)] for item in items if id(item.article) in briefed]
    return ordered, failures


def _digest_id(created: dt.datetime) -> str:
    """Sortable and unique: the creation time, then random hex (two runs can share a second)."""
    return f"{created.astimezone(dt.timezone.utc):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"


def make_window(
    since: dt.timedelta | str | None = None,
    date: dt.date | str | None = None,
    late: dt.timedelta | str = DEFAULT_LATE,
    now: dt.datetime | None = None,
) -> Window:
    """The digest's window from ``since`` (a duration up to now) or ``date`` (one local day)."""
    if since is not None and date is not None:
        raise ConfigError("give either a duration (--since) or a day (--date), not both")
    late_span = parse_duration(late)
    if date is not None:
        if isinstance(date, str):
            try:
                date = dt.date.fromisoformat(date)
            except ValueError:
                raise ConfigError(f"{date!r} is not a date in YYYY-MM-DD form") from None
        return Window.for_date(date, late=late_span)
    return Window.since(
        parse_duration(since) if since is not None else DEFAULT_SINCE, late=late_span, now=now
    )


def build_digest(
    inbox: str | Path,
    *,
    since: dt.timedelta | str | None = None,
    date: dt.date | str | None = None,
    late: dt.timedelta | str = DEFAULT_LATE,
    briefer: Briefer | None = None,
    settings: Settings | None = None,
    concurrency: int | None = None,
    batch: str | None = None,
    batch_poll: float = 30.0,
    ledger: str | Path | Ledger | None = None,
    gazetteer: PlaceLookup | None = None,
    now: dt.datetime | None = None,
    progress: bool = False,
    templates_dir: str | Path | None = None,
    outlets: Mapping[str, str] | None = None,
    archive: str | Path | None = None,
    archive_url: str | None = None,
) -> Digest:
    """Build (but do not send) the digest of an inbox.

    Args:
        inbox: folder of ``.txt``/``.html``/``.htm`` articles and ``.xml``/``.rss``/``.atom`` feeds.
        since: the window is this long a span up to now (``"24h"``, a ``timedelta``); the default is 24h.
        date: the window is this local day instead (``"2023-03-24"`` or a ``date``).
        late: items up to this much older than the window are taken when no digest has sent them yet.
        briefer: briefs one article; default: :func:`summarizer.api.summarize_many` with ``settings``,
            which serves cached briefs without an LLM call.
        settings: backend settings for the default briefer (default: resolved from the environment).
        concurrency: articles briefed at once by the default briefer (remote endpoints only; default
            :data:`~summarizer.llm.executors.DEFAULT_CONCURRENCY`).
        batch: ``openai`` or ``vllm``: the default briefer sends every article's calls through that
            batch engine instead (:mod:`summarizer.batch`), polling every ``batch_poll`` seconds.
        ledger: the ledger (path or open :class:`Ledger`), read to skip articles already sent; it is
            not written. Default: ``$SUMMARIZER_DIGEST_LEDGER`` or the user's data directory.
        gazetteer: place-name normalizer for merging; default: ``summarizer.arabic.gazetteer``'s.
        now: the current time (tests).
        progress: show a status line on stderr while working (the step, ``article i/n``, elapsed time).
        templates_dir: a folder with ``digest.html.j2``, ``digest.txt.j2`` and ``subject.txt.j2``.
        outlets: file patterns of the inbox and the outlet each stands for (``{"afp-*.txt": "AFP"}``).
        archive: the archive folder the page will be written to (by :func:`~summarizer.digest.run_digest`;
            building writes nothing): the email names the page.
        archive_url: where the archive folder is served: the email links the page and the index.

    Raises:
        InputError: the inbox is not a readable folder.
        ConfigError: an invalid window.
    """
    started = time.monotonic()
    window = make_window(since, date, late, now)
    created = now or dt.datetime.now(dt.timezone.utc)
    if concurrency is not None and concurrency < 1:
        raise ConfigError("concurrency must be at least 1")
    with progress_line.status(enabled=progress) as line:
        progress_line.step("reading the inbox")
        own_ledger = not isinstance(ledger, Ledger)
        book = ledger if isinstance(ledger, Ledger) else Ledger(resolve_ledger_path(ledger), readonly=True)
        try:
            collected: Collected = collect_inbox(Path(inbox), window, is_taken=book.taken)
        finally:
            if own_ledger:
                book.close()
        briefed, brief_failures = brief_items(
            collected.items,
            briefer=briefer,
            settings=settings,
            concurrency=concurrency,
            batch=batch,
            batch_poll=batch_poll,
            status=line,
        )
        line.article(0)
        for b in briefed:
            b.configured_outlet = outlet_from_patterns(b.item.origin, outlets)
        progress_line.step("merging incidents")
        merged = merge_incidents([(b.brief, b.outlet) for b in briefed], gazetteer=gazetteer)
        failures = collected.failures + brief_failures
        non_cached = [b.brief for b in briefed if not b.brief.meta.cached]
        stats = DigestStats(
            articles=len(briefed),
            late=sum(1 for b in briefed if b.item.late),
            incidents=len(merged.incidents),
            merged_incidents=sum(1 for i in merged.incidents if i.merged),
            statements=sum(len(g.statements) for g in merged.statements),
            failures=len(failures),
            already_sent=collected.already_sent,
            duplicates=collected.duplicates,
            outside=collected.outside,
            tokens=sum(b.meta.usage.prompt_tokens + b.meta.usage.completion_tokens for b in non_cached),
            llm_calls=sum(b.meta.usage.calls for b in non_cached),
            cached=len(briefed) - len(non_cached),
        )
        digest = Digest(
            id=_digest_id(created),
            date=window.date,
            window=window,
            created=created,
            articles=briefed,
            failures=failures,
            merged=merged,
            stats=stats,
            warnings=list(merged.warnings),
        )
        progress_line.step("rendering")
        links = Links()
        if digest.articles:
            archive_page = page_name(Path(archive), digest) if archive is not None else None
            digest.archive_page = archive_page
            base = archive_url.rstrip("/") + "/" if archive_url else None
            links = Links(
                attachment=digest.attachment_name,
                archive_page=(base + archive_page if base else str(Path(archive) / archive_page))
                if archive is not None and archive_page
                else None,
                archive_index=base + "index.html" if base and archive is not None else None,
            )
        rendered = render_digest(digest, templates_dir=templates_dir, links=links)
        digest.subject, digest.html, digest.text = rendered.subject, rendered.html, rendered.text
        digest.page = rendered.page if digest.articles else ""
    stats.elapsed_s = time.monotonic() - started
    return digest
