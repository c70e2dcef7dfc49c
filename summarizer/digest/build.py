"""Building a digest: collect the inbox, brief each article through the cache, merge, render."""

from __future__ import annotations

import contextlib
import datetime as dt
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from summarizer import progress as progress_line
from summarizer.digest.collect import Collected, Failure, InboxItem, Window, collect_inbox
from summarizer.digest.config import parse_duration, resolve_ledger_path
from summarizer.digest.ledger import Ledger
from summarizer.digest.merge import Gazetteer, MergeResult, merge_incidents
from summarizer.errors import ConfigError, SummarizerError
from summarizer.inputs import Article
from summarizer.outlets import detect_outlet, outlet_from_patterns
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
    configured_outlet: str | None = None
    """The outlet the inbox configuration gives its file (``[outlets]`` patterns in digest.toml)."""

    @property
    def outlet(self) -> str:
        """The outlet's name (see :func:`outlet_name`)."""
        return outlet_name(self.item, self.brief, configured=self.configured_outlet)


def outlet_name(item: InboxItem, brief: ArticleBrief | None = None, *, configured: str | None = None) -> str:
    """The name the digest shows for an item's outlet, from the first of these that gives one:

    the inbox configuration's file patterns; the feed's title or the page's metadata (the brief's or
    the article's source); the link's host; the agency marks, outlet name or dateline the text carries
    (:func:`summarizer.outlets.detect_outlet`); last, the file name, shown as such (``file 004.txt``).
    """
    if configured:
        return configured
    source = (brief.article.source if brief else None) or item.article.source
    if source:
        return source
    url = (brief.article.url if brief else None) or item.article.url
    host = urlsplit(url).hostname if url else None
    if host:
        return host.removeprefix("www.")
    guess = detect_outlet(item.article.text).label()
    if guess:
        return guess
    return f"file {Path(item.origin.split('#', 1)[0]).name}"


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
    """A built digest: its articles, incidents and failures, rendered as a subject, HTML and text.

    ``html`` and ``text`` are the email's two parts (incidents, statements, one line per article; the
    HTML within :data:`~summarizer.digest.render.EMAIL_HTML_LIMIT` bytes); ``page`` is the whole
    digest, every brief in full, as one self-contained HTML file, attached to the email as
    :attr:`attachment_name` (and written to the archive when there is one).
    """

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
    page: str = ""
    warnings: list[str] = field(default_factory=list)
    archive_page: str | None = None
    """The file name the archive gives this digest's page (when an archive is configured)."""

    @property
    def empty(self) -> bool:
        """Nothing to tell anyone: no article and no failure."""
        return not self.articles and not self.failures

    @property
    def all_failed(self) -> bool:
        """Every item failed: no article to send, only failures (an outage for the operator)."""
        return not self.articles and bool(self.failures)

    @property
    def failure_code(self) -> int:
        """The exit code of the failures: the most frequent among briefing failures (a backend down
        gives 4), else among the items that could not be read (2); 0 when nothing failed."""
        if not self.failures:
            return 0
        briefing = [f.exit_code for f in self.failures if f.stage == "brief"]
        codes = briefing or [f.exit_code for f in self.failures]
        return max(set(codes), key=lambda c: (codes.count(c), c))

    @property
    def attachment_name(self) -> str:
        """``digest-2023-03-24.html``: the attached page's file name."""
        return f"digest-{self.date.isoformat()}.html"

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
        """The email: multipart/alternative (plain text first, HTML last), inside multipart/mixed with
        the whole digest attached as an HTML file when there is one."""
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
        if self.page:  # multipart/mixed: the alternative parts, then the whole digest as a file
            msg.add_attachment(self.page, subtype="html", charset="utf-8", filename=self.attachment_name)
        return msg


def _one_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


#: One briefing result: the article, its brief or the one-line reason it has none, and the exit code
#: that reason carries (``BackendError``: 4, ``BriefError``: 5, ...).
_Result = tuple[Article, ArticleBrief | None, str | None, int]


def _failed(error: BaseException) -> tuple[str, int]:
    if isinstance(error, SummarizerError):
        return _one_line(error), error.exit_code
    return f"unexpected error: {type(error).__name__}: {_one_line(error)}", 1


def _api_results(articles: list[Article], settings: Settings | None, concurrency: int) -> Iterator[_Result]:
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
                if result.error is not None:
                    reason, code = _failed(result.error)
                    yield article, None, reason, code
                else:
                    yield article, result.brief, None, 0
            return
        except SummarizerError:
            raise
        except Exception as e:  # a bug in one brief must not stop the digest: blame the next unfinished one
            left = [a for a in remaining if id(a) not in done]
            if not left:
                return
            yield left[0], None, *_failed(e)
            remaining = left[1:]


def _injected_results(articles: list[Article], briefer: Briefer) -> Iterator[_Result]:
    for article in articles:
        try:
            yield article, briefer(article), None, 0
        except Exception as e:  # one bad article never stops the digest
            yield article, None, *_failed(e)


def brief_items(
    items: list[InboxItem],
    *,
    briefer: Briefer | None = None,
    settings: Settings | None = None,
    concurrency: int = 1,
    progress: bool = False,
    status: progress_line.Status | None = None,
) -> tuple[list[BriefedArticle], list[Failure]]:
    """Brief every item (in inbox order). ``status`` (or, with ``progress``, a status line of its own
    on stderr) shows ``article i/n``, the file and the pipeline's step (see :mod:`summarizer.progress`).
    """
    by_article = {id(item.article): item for item in items}
    articles = [item.article for item in items]
    results = (
        _injected_results(articles, briefer) if briefer else _api_results(articles, settings, concurrency)
    )
    briefed: dict[int, BriefedArticle] = {}
    failures: list[Failure] = []
    with contextlib.ExitStack() as stack:
        line = status or stack.enter_context(progress_line.status(total=len(items), enabled=progress))
        line.total = len(items)

        def announce(done: int) -> None:
            if done < len(items):
                line.article(done + 1, Path(items[done].origin).name)

        announce(0)
        for done, (article, brief, error, code) in enumerate(results, 1):
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
                        exit_code=code or 1,
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
    concurrency: int = 1,
    ledger: str | Path | Ledger | None = None,
    gazetteer: Gazetteer | None = None,
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
        concurrency: articles briefed at once by the default briefer (remote endpoints only).
        ledger: the ledger (path or open :class:`Ledger`), read to skip articles already sent; it is
            not written. Default: ``$SUMMARIZER_DIGEST_LEDGER`` or the user's data directory.
        gazetteer: place-name normalizer for merging; default: ``summarizer.gazetteer`` when installed.
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
    from summarizer.digest.archive import page_name
    from summarizer.digest.render import Links, render_digest

    started = time.monotonic()
    window = make_window(since, date, late, now)
    created = now or dt.datetime.now(dt.timezone.utc)
    if concurrency < 1:
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
            collected.items, briefer=briefer, settings=settings, concurrency=concurrency, status=line
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
