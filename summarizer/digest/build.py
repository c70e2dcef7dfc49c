"""Building a digest: collect the inbox, brief each article through the cache, merge, render."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from summarizer.digest.collect import Collected, Failure, InboxItem, Window, collect_inbox
from summarizer.digest.config import parse_duration, resolve_ledger_path
from summarizer.digest.ledger import Ledger
from summarizer.digest.merge import Gazetteer, MergeResult, merge_incidents
from summarizer.errors import ConfigError, SummarizerError
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


@dataclass
class BriefedArticle:
    """An inbox article and its brief."""

    item: InboxItem
    brief: ArticleBrief

    @property
    def outlet(self) -> str:
        """The outlet's name: the brief's or article's source, else the link's host, else the file name."""
        return outlet_name(self.item, self.brief)


def outlet_name(item: InboxItem, brief: ArticleBrief | None = None) -> str:
    """The name the digest shows for an item's outlet."""
    source = (brief.article.source if brief else None) or item.article.source
    if source:
        return source
    url = (brief.article.url if brief else None) or item.article.url
    host = urlsplit(url).hostname if url else None
    if host:
        return host.removeprefix("www.")
    return Path(item.origin.split("#", 1)[0]).name


@dataclass
class DigestStats:
    """Counts for the subject line and the one-line summary."""

    articles: int = 0
    late: int = 0
    incidents: int = 0
    merged_incidents: int = 0
    statements: int = 0
    failures: int = 0
    already_sent: int = 0
    duplicates: int = 0
    outside: int = 0
    tokens: int = 0
    """Prompt and completion tokens spent by this run (cached briefs cost none)."""
    llm_calls: int = 0
    cached: int = 0
    """Briefs served from the cache."""
    elapsed_s: float = 0.0


@dataclass
class Digest:
    """A built digest: its articles, incidents and failures, rendered as a subject, HTML and text."""

    id: str
    date: dt.date
    window: Window
    created: dt.datetime
    articles: list[BriefedArticle]
    failures: list[Failure]
    merged: MergeResult
    stats: DigestStats
    subject: str = ""
    html: str = ""
    text: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """Nothing to tell anyone: no article and no failure."""
        return not self.articles and not self.failures

    def summary_line(self, elapsed_s: float | None = None) -> str:
        """``digest 2023-03-24: 3 articles, 2 incidents, 1 failure, 1,234 tokens (2 cached), 3.1 s``."""
        s = self.stats
        late = f" ({s.late} late)" if s.late else ""
        tokens = f"{s.tokens:,} tokens in {s.llm_calls} LLM call{'s' * (s.llm_calls != 1)}"
        skipped = [
            f"{n} {what}"
            for n, what in (
                (s.already_sent, "already sent"),
                (s.duplicates, "duplicate"),
                (s.outside, "outside the window"),
            )
            if n
        ]
        return (
            f"digest {self.date.isoformat()}: {s.articles} article{'s' * (s.articles != 1)}{late}, "
            f"{s.incidents} incident{'s' * (s.incidents != 1)}, "
            f"{s.failures} failure{'s' * (s.failures != 1)}, "
            f"{tokens} ({s.cached} cached), {elapsed_s if elapsed_s is not None else s.elapsed_s:.1f} s"
            + (f"; skipped {', '.join(skipped)}" if skipped else "")
        )

    def to_message(self, *, sender: str, to: Sequence[str], now: dt.datetime | None = None) -> EmailMessage:
        """The email: multipart/alternative with the plain-text part first and the HTML part last."""
        msg = EmailMessage()
        msg["Subject"] = self.subject
        msg["From"] = sender
        msg["To"] = ", ".join(to)
        msg["Date"] = format_datetime(now or dt.datetime.now(dt.timezone.utc))
        domain = sender.rsplit("@", 1)[-1] if "@" in sender else None
        msg["Message-ID"] = make_msgid(idstring=f"digest.{self.id}", domain=domain)
        msg["X-Summarizer-Digest"] = self.id
        msg["Auto-Submitted"] = "auto-generated"
        msg["Content-Language"] = "en, ar"
        msg.set_content(self.text, subtype="plain", charset="utf-8")
        msg.add_alternative(self.html, subtype="html", charset="utf-8")
        return msg


def _one_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def _api_results(
    articles: list[Article], settings: Settings | None, concurrency: int
) -> Iterator[tuple[Article, ArticleBrief | None, str | None]]:
    """Brief through :func:`summarizer.api.summarize_many` (the cache first, the model on a miss)."""
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
                error = _one_line(result.error) if result.error is not None else None
                yield article, result.brief, error
            return
        except SummarizerError:
            raise
        except Exception as e:  # a bug in one brief must not stop the digest: blame the next unfinished one
            left = [a for a in remaining if id(a) not in done]
            if not left:
                return
            yield left[0], None, f"unexpected error: {type(e).__name__}: {_one_line(e)}"
            remaining = left[1:]


def _injected_results(
    articles: list[Article], briefer: Briefer
) -> Iterator[tuple[Article, ArticleBrief | None, str | None]]:
    for article in articles:
        try:
            yield article, briefer(article), None
        except SummarizerError as e:
            yield article, None, _one_line(e)
        except Exception as e:  # one bad article never stops the digest
            yield article, None, f"unexpected error: {type(e).__name__}: {_one_line(e)}"


def _progress(total: int, enabled: bool) -> Any:
    if not enabled or total == 0:
        return None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("briefing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=Console(stderr=True),
        transient=True,
    )


def brief_items(
    items: list[InboxItem],
    *,
    briefer: Briefer | None = None,
    settings: Settings | None = None,
    concurrency: int = 1,
    progress: bool = False,
) -> tuple[list[BriefedArticle], list[Failure]]:
    """Brief every item (in inbox order), with a progress bar on stderr when ``progress``."""
    by_article = {id(item.article): item for item in items}
    articles = [item.article for item in items]
    results = (
        _injected_results(articles, briefer) if briefer else _api_results(articles, settings, concurrency)
    )
    briefed: dict[int, BriefedArticle] = {}
    failures: list[Failure] = []
    bar = _progress(len(items), progress)
    task = bar.add_task("", total=len(items)) if bar else None
    if bar:
        bar.start()
    try:
        for article, brief, error in results:
            item = by_article[id(article)]
            if brief is not None:
                briefed[id(article)] = BriefedArticle(item, brief)
            else:
                failures.append(
                    Failure(
                        item.origin, error or "no brief", title=article.title, url=article.url, key=item.key
                    )
                )
            if bar:
                bar.update(task, advance=1, description=Path(item.origin).name)
    finally:
        if bar:
            bar.stop()
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
    concurrency: int = 1,
    ledger: str | Path | Ledger | None = None,
    gazetteer: Gazetteer | None = None,
    now: dt.datetime | None = None,
    progress: bool = False,
    templates_dir: str | Path | None = None,
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
        concurrency: articles briefed at once by the default briefer (remote endpoints only).
        ledger: the ledger (path or open :class:`Ledger`), read to skip articles already sent; it is
            not written. Default: ``$SUMMARIZER_DIGEST_LEDGER`` or the user's data directory.
        gazetteer: place-name normalizer for merging; default: ``summarizer.gazetteer`` when installed.
        now: the current time (tests).
        progress: show a progress bar on stderr while briefing.
        templates_dir: a folder with ``digest.html.j2``, ``digest.txt.j2`` and ``subject.txt.j2``.

    Raises:
        InputError: the inbox is not a readable folder.
        ConfigError: an invalid window.
    """
    from summarizer.digest.render import render_digest

    started = time.monotonic()
    window = make_window(since, date, late, now)
    created = now or dt.datetime.now(dt.timezone.utc)
    if concurrency < 1:
        raise ConfigError("concurrency must be at least 1")
    own_ledger = not isinstance(ledger, Ledger)
    book = ledger if isinstance(ledger, Ledger) else Ledger(resolve_ledger_path(ledger), readonly=True)
    try:
        collected: Collected = collect_inbox(Path(inbox), window, is_taken=book.taken)
    finally:
        if own_ledger:
            book.close()
    briefed, brief_failures = brief_items(
        collected.items, briefer=briefer, settings=settings, concurrency=concurrency, progress=progress
    )
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
    digest.subject, digest.html, digest.text = render_digest(digest, templates_dir=templates_dir)
    stats.elapsed_s = time.monotonic() - started
    return digest
