"""The digest's data: a built :class:`Digest`, its :class:`BriefedArticle` items and :class:`DigestStats`.

Kept apart from :mod:`summarizer.digest.build` (which makes them) so that the modules that only read
them, :mod:`summarizer.digest.render` and :mod:`summarizer.digest.archive`, never import the builder:
build imports render, render does not import build.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from urllib.parse import urlsplit

from summarizer.arabic.outlets import detect_outlet
from summarizer.digest.collect import Failure, InboxItem, Window
from summarizer.digest.merge import MergeResult
from summarizer.schema import ArticleBrief


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
    (:func:`summarizer.arabic.outlets.detect_outlet`); last, the file name, shown as such (``file 004.txt``).
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
