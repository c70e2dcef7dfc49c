"""What goes into a digest: the inbox's article files and RSS/Atom feeds, windowed and deduplicated.

An inbox is a folder that something else fills: ``.txt``/``.html``/``.htm`` articles (read exactly as
``summarizer summarize`` reads them) and ``.xml``/``.rss``/``.atom`` feeds, whose entries are articles
with their own title, link, date and the feed's title as source.

**When an item counts as new.** Each item has a timestamp: for an article file, the time it arrived
in the inbox (its mtime; publication dates guessed from page metadata are too often wrong to decide
what is new); for a feed entry, its published (else updated) time, else the feed file's mtime. An item
is in the digest's window when that time falls in it. An item up to ``late`` older than the window is
still taken if no digest has sent it yet: that is how a feed entry fetched after the previous digest
went out makes it into the next one (a late file has a late mtime anyway). The ledger, not the
window, makes sure nothing goes out twice.

**Each article once.** Items are identified by :func:`dedupe_key`, the hash of their normalized text
with every whitespace run collapsed, so one article fetched as a page and as a feed entry (which
differ only in paragraph breaks) is one item.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from summarizer.errors import InputError, SummarizerError, one_line
from summarizer.inputs import ARTICLE_SUFFIXES, Article, article_from_text, read_article, text_id

FEED_SUFFIXES = (".xml", ".rss", ".atom")
INBOX_SUFFIXES = ARTICLE_SUFFIXES + FEED_SUFFIXES
#: Feeds carry many articles; refuse anything larger than this before reading it whole.
MAX_FEED_BYTES = 20_000_000

Placement = Literal["in", "late", "out"]


def dedupe_key(text: str) -> str:
    """Identity of an article across formats: the id of its normalized text, whitespace runs collapsed."""
    return text_id(" ".join(text.split()))


def local_tz() -> dt.tzinfo:
    """The machine's time zone (digest dates are local dates)."""
    tz = dt.datetime.now().astimezone().tzinfo
    return tz if tz is not None else dt.timezone.utc


@dataclass(frozen=True)
class Window:
    """The span of time a digest covers, and how far back late arrivals are still taken."""

    start: dt.datetime
    """Items from this time on are in the window (timezone-aware)."""
    end: dt.datetime | None
    """Items from this time on are left for a later digest; None for no upper bound."""
    late: dt.timedelta
    """Items up to this much older than ``start`` are taken when no digest has sent them yet."""
    date: dt.date
    """The digest's date (the day given, or today)."""

    @classmethod
    def since(cls, span: dt.timedelta, *, late: dt.timedelta, now: dt.datetime | None = None) -> Window:
        """The last ``span`` up to now."""
        now = now or dt.datetime.now(dt.timezone.utc)
        if now.tzinfo is None:
            now = now.replace(tzinfo=local_tz())
        return cls(start=now - span, end=None, late=late, date=now.astimezone(local_tz()).date())

    @classmethod
    def for_date(cls, day: dt.date, *, late: dt.timedelta, tz: dt.tzinfo | None = None) -> Window:
        """One calendar day, midnight to midnight in ``tz`` (default: the local time zone)."""
        start = dt.datetime.combine(day, dt.time(0), tzinfo=tz or local_tz())
        return cls(start=start, end=start + dt.timedelta(days=1), late=late, date=day)

    def place(self, when: dt.datetime | dt.date) -> Placement:
        """Where an item stamped ``when`` falls: in the window, late (before it, within ``late``), or out."""
        if isinstance(when, dt.datetime):
            first = last = when if when.tzinfo else when.replace(tzinfo=self.start.tzinfo)
        else:  # a whole day: it falls in the window when any part of it does
            first = dt.datetime.combine(when, dt.time(0), tzinfo=self.start.tzinfo)
            last = first + dt.timedelta(days=1) - dt.timedelta(microseconds=1)
        if self.end is not None and first >= self.end:
            return "out"
        if last >= self.start:
            return "in"
        if last >= self.start - self.late:
            return "late"
        return "out"

    def describe(self) -> str:
        """The window in words, for the email's footer."""
        start = self.start.astimezone(local_tz())
        if self.end is None:
            return f"since {start:%Y-%m-%d %H:%M %Z}".strip()
        return f"{self.date.isoformat()} ({start:%Z})".replace(" ()", "")


@dataclass
class InboxItem:
    """One article found in the inbox."""

    article: Article
    origin: str
    """The file, or ``feed.xml#3`` for the third entry of a feed."""
    stamp: dt.datetime | dt.date
    """The file's arrival time, or the feed entry's date (see the module docstring)."""
    late: bool = False
    """True when it predates the window and is taken because no digest has sent it yet."""

    @property
    def key(self) -> str:
        return dedupe_key(self.article.text)


@dataclass
class Failure:
    """An inbox item that could not be processed, with the reason in one line."""

    name: str
    reason: str
    title: str | None = None
    url: str | None = None
    key: str | None = None
    kind: type[SummarizerError] = InputError
    """The kind of error, its class (``InputError``: the item could not be read; ``BackendError``: the
    backend failed; ...); the command line maps it to an exit code."""
    stage: Literal["read", "brief"] = "read"
    """Where it failed: reading the inbox, or briefing the article."""


@dataclass
class Collected:
    """What :func:`collect_inbox` found."""

    items: list[InboxItem] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    already_sent: int = 0
    """Items skipped because a digest already took them."""
    duplicates: int = 0
    """Items skipped because another file or entry had the same text."""
    outside: int = 0
    """Items skipped because their time falls outside the window."""


def _mtime(path: Path) -> dt.datetime:
    return dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.timezone.utc)


def _entry_time(entry: Any) -> dt.datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return dt.datetime.fromtimestamp(calendar.timegm(value), tz=dt.timezone.utc)
            except (OverflowError, ValueError, TypeError):
                continue
    return None


def _entry_html(entry: Any) -> str | None:
    contents = entry.get("content") or []
    for preferred in ("text/html", "application/xhtml+xml", "text/plain", None):
        for content in contents:
            if (preferred is None or content.get("type") == preferred) and content.get("value", "").strip():
                return str(content["value"])
    summary = entry.get("summary")
    return str(summary) if summary and summary.strip() else None


def read_feed(path: Path) -> Iterator[tuple[str, Article | InputError, dt.datetime | None]]:
    """Parse a feed file with feedparser; yield ``(name, article or error, entry time)`` per entry."""
    import feedparser

    try:
        size = path.stat().st_size
        if size > MAX_FEED_BYTES:
            raise InputError(f"{path}: {size:,} bytes is too large for a feed")
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror or e})") from e
    parsed = feedparser.parse(data)
    entries = list(parsed.get("entries") or [])
    if not entries:
        why = one_line(parsed.get("bozo_exception")) if parsed.get("bozo") else "it has no entries"
        raise InputError(f"{path}: not an RSS/Atom feed with entries ({why})")
    feed_title = (parsed.get("feed") or {}).get("title") or None
    for i, entry in enumerate(entries, 1):
        name = f"{path}#{i}"
        title = entry.get("title") or None
        url = entry.get("link") or None
        when = _entry_time(entry)
        html = _entry_html(entry)
        if html is None:
            yield name, InputError(f"{name}: the feed entry has no content or summary"), when
            continue
        try:
            article = article_from_text(
                html,
                name=name,
                title=title,
                source=feed_title,
                url=url,
                published=when.date() if when else None,
            )
        except InputError as e:
            yield name, e, when
            continue
        yield name, article, when


def _inbox_files(inbox: Path) -> list[Path]:
    if not inbox.is_dir():
        raise InputError(f"{inbox}: the inbox is not a folder")
    try:
        entries = sorted(inbox.iterdir())
    except OSError as e:
        raise InputError(f"{inbox}: cannot list the inbox ({e.strerror or e})") from e
    return [
        p
        for p in entries
        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in INBOX_SUFFIXES
    ]


def collect_inbox(
    inbox: str | Path,
    window: Window,
    *,
    is_taken: Callable[[str], bool] = lambda key: False,
) -> Collected:
    """Read every new article of ``inbox``: files and feed entries in ``window``, not yet taken, once each.

    Args:
        inbox: the folder to read (not recursive; hidden files are ignored).
        window: which times count as new (see the module's docstring).
        is_taken: tells whether a digest already took an item (by :func:`dedupe_key`).

    Unreadable items become :class:`Failure` entries; they never stop the others.
    """
    inbox = Path(inbox)
    out = Collected()
    seen: dict[str, InboxItem] = {}
    earliest = window.start - window.late

    def offer(article: Article, origin: str, stamp: dt.datetime | dt.date) -> None:
        placement = window.place(stamp)
        if placement == "out":
            out.outside += 1
            return
        item = InboxItem(article=article, origin=origin, stamp=stamp, late=placement == "late")
        key = item.key
        if key in seen:
            out.duplicates += 1
            first = seen[key].article
            for attr in ("title", "source", "url", "published"):
                if getattr(first, attr) is None and getattr(article, attr) is not None:
                    setattr(first, attr, getattr(article, attr))
            return
        if is_taken(key):
            out.already_sent += 1
            return
        seen[key] = item
        out.items.append(item)

    for path in _inbox_files(inbox):
        try:
            arrived = _mtime(path)
        except OSError as e:
            out.failures.append(Failure(str(path), f"{path}: cannot read ({e.strerror or e})"))
            continue
        # A file unchanged since before the earliest time we could take holds nothing new: every item
        # in it was there for an earlier digest (the cheap check keeps a big inbox cheap to scan).
        if arrived < earliest:
            out.outside += 1
            continue
        try:
            if path.suffix.lower() in FEED_SUFFIXES:
                for name, result, when in read_feed(path):
                    if isinstance(result, InputError):
                        if window.place(when or arrived) != "out":
                            out.failures.append(Failure(name, one_line(result)))
                        continue
                    offer(result, name, when or arrived)
            else:
                offer(read_article(path), str(path), arrived)
        except InputError as e:
            out.failures.append(Failure(str(path), one_line(e)))
        except Exception as e:  # a parser bug must not stop the digest: report it as this item's failure
            out.failures.append(
                Failure(
                    str(path),
                    f"{path}: unexpected error: {one_line(e, with_type=True)}",
                    kind=SummarizerError,
                )
            )
    return out


__all__ = [
    "FEED_SUFFIXES",
    "INBOX_SUFFIXES",
    "Collected",
    "Failure",
    "InboxItem",
    "Window",
    "collect_inbox",
    "dedupe_key",
    "read_feed",
]
