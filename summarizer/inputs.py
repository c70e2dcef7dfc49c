"""Reading articles: files, HTML pages, stdin; decoding, cleaning, sentence splitting.

Article text is untrusted. It may be HTML, Windows-1256, binary junk or contain text that tries to
instruct the model; this module turns it into plain, normalized text with numbered sentences, or
raises :class:`~summarizer.errors.InputError` with a one-line reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from summarizer.errors import InputError
from summarizer.script import script_counts

#: Files larger than this are not news articles; refuse them before reading them whole.
MAX_FILE_BYTES = 5_000_000
#: Articles whose clean text is longer than this are refused outright (no model context is that long).
MAX_ARTICLE_CHARS = 200_000
#: Suffixes ``summarize`` picks up when given a directory.
ARTICLE_SUFFIXES = (".txt", ".html", ".htm")

_HTML_HINT = re.compile(r"<\s*(html|body|p|div|br|span|article|script|style|h[1-6])\b", re.I)
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SENTENCE_END = re.compile(r"(?<=[.!?؟…])[\"'»”\)]*\s+")
_PUBLISHED_IN_TEXT = re.compile(
    r"(?:تم النشر|نشر في|تاريخ النشر|نُشر)\s*[:：]?\s*(\d{4})[/\-.](\d{1,2})[/\-.](\d{1,2})"
)


@dataclass
class Article:
    """A cleaned article ready for the pipeline."""

    text: str
    """Normalized plain text (NFC, no HTML, no control or zero-width characters)."""
    name: str = "<text>"
    """Where it came from (a path, ``-`` for stdin, ``<text>`` for a Python string): used in messages."""
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: dt.date | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        """BLAKE2b (128-bit) hex digest of the normalized text."""
        return text_id(self.text)

    def sentences(self) -> list[str]:
        """The text split into sentences, in order (sentence *n* is ``sentences()[n-1]``)."""
        return split_sentences(self.text)


def text_id(text: str) -> str:
    """Stable id of a normalized text."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def normalize_text(text: str) -> str:
    """Normalize article text: NFC, unified newlines, no control/zero-width chars, tidy spacing."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = _ZERO_WIDTH.sub("", text)
    text = _CONTROL.sub("", text)
    text = text.replace("\t", " ").replace("\u00a0", " ")
    lines = [re.sub(r" {2,}", " ", line).strip() for line in text.split("\n")]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def split_sentences(text: str) -> list[str]:
    """Split normalized text into sentences: at line breaks and after sentence-final punctuation."""
    out: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        for part in _SENTENCE_END.split(line):
            part = part.strip()
            if part:
                out.append(part)
    return out


def decode_bytes(data: bytes, name: str) -> str:
    """Decode article bytes: UTF-8 (with or without BOM), else Windows-1256, else the best detected guess."""
    if not data.strip():
        raise InputError(f"{name}: the file is empty")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{name}: binary data, not a text or HTML article")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError:
        text = ""
    ar, la = script_counts(text)
    if ar and ar >= la:
        return text
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(f"{name}: binary data or an unknown text encoding")
    return str(best)


def _looks_binary(text: str) -> bool:
    if not text:
        return False
    odd = sum(
        1 for ch in text[:4000] if unicodedata.category(ch) in ("Cc", "Co", "Cn") and ch not in "\n\r\t"
    )
    return odd / min(len(text), 4000) > 0.05 or text[:4000].count("\ufffd") > 20


def extract_html(html: str, name: str) -> tuple[str, dict[str, str | None]]:
    """Extract the main text and metadata (title, date, outlet, url) of an HTML page with trafilatura."""
    import trafilatura

    text = trafilatura.extract(
        html, include_comments=False, include_tables=False, favor_recall=True, with_metadata=False
    )
    meta: dict[str, str | None] = {}
    try:
        md = trafilatura.extract_metadata(html)
    except Exception:  # trafilatura raises assorted errors on junk pages
        md = None
    if md is not None:
        meta = {"title": md.title, "date": md.date, "source": md.sitename, "url": md.url}
    if not text:
        # Fall back to plain tag stripping: a fragment with no article structure.
        import html as htmllib

        stripped = re.sub(r"(?is)<(script|style|noscript)\b.*?</\1\s*>", " ", html)
        stripped = re.sub(r"(?i)<br\s*/?>|</p\s*>|</div\s*>|</h[1-6]\s*>", "\n", stripped)
        stripped = re.sub(r"(?s)<[^>]+>", " ", stripped)
        text = htmllib.unescape(stripped)
    return text, meta


#: Fewest Arabic letters an article has: a two-word flash («انفجار في بيروت», 13) is news; «نعم» is not.
MIN_ARABIC_LETTERS = 10


def _guess_title(text: str) -> str | None:
    first = text.split("\n", 1)[0].strip()
    words = first.split()
    if 3 <= len(words) <= 25 and not first.endswith((".", ":", "،")) and len(first) <= 200:
        return first
    return None


def _guess_published(text: str) -> dt.date | None:
    m = _PUBLISHED_IN_TEXT.search(text[:2000])
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _parse_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def article_from_text(
    raw: str,
    *,
    name: str = "<text>",
    html: bool | None = None,
    title: str | None = None,
    source: str | None = None,
    url: str | None = None,
    published: dt.date | None = None,
) -> Article:
    """Clean raw article text (or HTML) into an :class:`Article`, validating that it is Arabic text."""
    meta: dict[str, str | None] = {}
    if html is None:
        html = bool(_HTML_HINT.search(raw[:5000]))
    if html:
        raw, meta = extract_html(raw, name)
    if _looks_binary(raw):
        raise InputError(f"{name}: binary data, not a text or HTML article")
    text = normalize_text(raw)
    if not text:
        raise InputError(f"{name}: the article is empty (only whitespace or markup)")
    ar, _ = script_counts(text)
    if ar == 0:
        raise InputError(f"{name}: no Arabic text found; summarizer briefs Arabic news articles")
    if ar < MIN_ARABIC_LETTERS:
        raise InputError(f"{name}: too little Arabic text ({ar} letters) to be a news article")
    if len(text) > MAX_ARTICLE_CHARS:
        raise InputError(
            f"{name}: {len(text):,} characters is far longer than any model context "
            f"(limit {MAX_ARTICLE_CHARS:,}); split it into articles first"
        )
    return Article(
        text=text,
        name=name,
        title=title or meta.get("title") or _guess_title(text),
        source=source or meta.get("source"),
        url=url or meta.get("url"),
        published=published or _parse_date(meta.get("date")) or _guess_published(text),
    )


def read_article(
    path: str | Path,
    *,
    source: str | None = None,
    url: str | None = None,
    published: dt.date | None = None,
) -> Article:
    """Read one article from a file path (``.txt``, ``.html``/``.htm``) or ``-`` for stdin."""
    name = str(path)
    if name == "-":
        # Read at most one byte more than the limit: 20 MB piped in never sits in memory whole.
        data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise InputError(f"-: more than {MAX_FILE_BYTES:,} bytes on stdin: too large for a news article")
        is_html: bool | None = None
    else:
        p = Path(path)
        if not p.exists():
            raise InputError(f"{name}: no such file")
        if p.is_dir():
            raise InputError(f"{name}: is a directory")
        try:
            size = p.stat().st_size
            if size > MAX_FILE_BYTES:
                raise InputError(f"{name}: {size:,} bytes is too large for a news article")
            data = p.read_bytes()
        except OSError as e:
            raise InputError(f"{name}: cannot read ({e.strerror or e})") from e
        is_html = True if p.suffix.lower() in (".html", ".htm") else None
    text = decode_bytes(data, name)
    return article_from_text(text, name=name, html=is_html, source=source, url=url, published=published)


def expand_paths(paths: Iterable[str | Path]) -> Iterator[str]:
    """Expand directories into their article files (sorted); keep files and ``-`` as given."""
    for item in paths:
        s = str(item)
        p = Path(s)
        if s != "-" and p.is_dir():
            files = sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in ARTICLE_SUFFIXES)
            yield from (str(f) for f in files)
        else:
            yield s
