"""The digest archive: a folder the newsroom serves, one page per night and an index of them all.

``summarizer digest --archive DIR`` writes each digest's full page (the file attached to the email)
as ``DIR/digest-YYYY-MM-DD.html`` and rewrites ``DIR/index.html``, newest first. A second digest the
same day gets ``digest-YYYY-MM-DD-2.html`` (and so on): a page is never overwritten by another
digest's. Files are written atomically (a reader never sees half a page).
"""

from __future__ import annotations

import contextlib
import html
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from summarizer.digest.types import Digest

_PAGE = re.compile(r"^digest-(\d{4}-\d\d-\d\d)(?:-(\d+))?\.html$")
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_ID = re.compile(r'<meta name="x-summarizer-digest" content="([^"]*)">')


def _digest_id_of(path: Path) -> str | None:
    try:
        head = path.read_text(encoding="utf-8", errors="replace")[:4000]
    except OSError:
        return None
    m = _ID.search(head)
    return html.unescape(m.group(1)) if m else None


def page_name(folder: Path, digest: Digest) -> str:
    """The archive file name of ``digest``'s page: ``digest-DATE.html``, or ``digest-DATE-N.html``
    when another digest already holds that name."""
    stem = f"digest-{digest.date.isoformat()}"
    for n in range(1, 1000):
        name = f"{stem}.html" if n == 1 else f"{stem}-{n}.html"
        path = folder / name
        if not path.exists() or _digest_id_of(path) == digest.id:
            return name
    return f"{stem}-{digest.id}.html"


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".html", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@dataclass(frozen=True)
class ArchivedPage:
    name: str
    date: str
    title: str


def archived_pages(folder: Path) -> list[ArchivedPage]:
    """The archive's pages, newest first."""
    pages = []
    for path in folder.glob("digest-*.html"):
        m = _PAGE.match(path.name)
        if not m:
            continue
        try:
            head = path.read_text(encoding="utf-8", errors="replace")[:4000]
        except OSError:
            continue
        t = _TITLE.search(head)
        title = html.unescape(t.group(1)).strip() if t else path.name
        pages.append((m.group(1), int(m.group(2) or 1), ArchivedPage(path.name, m.group(1), title)))
    pages.sort(key=lambda p: (p[0], p[1]), reverse=True)
    return [p[2] for p in pages]


def _index(pages: list[ArchivedPage]) -> str:
    rows = "\n".join(
        f'<li style="margin:0 0 6px 0;"><a href="{html.escape(p.name)}" style="color:#0969da;">'
        f"{html.escape(p.title)}</a></li>"
        for p in pages
    )
    return f"""<!DOCTYPE html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>News digests</title>
</head>
<body style="margin:0;padding:12px;font-family:Arial,Helvetica,sans-serif;background:#f3f5f7;color:#1f2328;">
<div style="max-width:640px;margin:0 auto;background:#ffffff;border:1px solid #d8dee4;padding:12px 14px;">
<h1 style="font-size:22px;color:#0b3d62;margin:0 0 10px 0;">News digests</h1>
<ul style="margin:0;padding:0 0 0 18px;font-size:15px;line-height:1.5;">
{rows}
</ul>
</div>
</body>
</html>
"""


def write_archive(folder: str | Path, digest: Digest) -> Path:
    """Write ``digest``'s page into the archive and rewrite the index; return the page's path."""
    folder = Path(folder)
    name = digest.archive_page or page_name(folder, digest)
    path = folder / name
    _write_atomic(path, digest.page)
    _write_atomic(folder / "index.html", _index(archived_pages(folder)))
    return path


__all__ = ["ArchivedPage", "archived_pages", "page_name", "write_archive"]
