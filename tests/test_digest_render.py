"""Rendering the digest email: both parts carry the same content, the HTML is mail-client safe (inline
styles, no script, escaped content, RTL Arabic), and a real headless browser shows it as intended.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from _digest_support import (
    CORPUS_000,
    CORPUS_002,
    CORPUS_004,
    FixtureBriefer,
    load_brief,
    make_inbox,
    parse_email,
)

from summarizer.digest import Digest, build_digest
from summarizer.digest.deliver import message_bytes
from summarizer.digest.render import find_templates, template_dirs, view_model
from summarizer.errors import ConfigError

CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)


@pytest.fixture
def digest(tmp_path: Path, corpus: Path) -> Digest:
    inbox = make_inbox(
        tmp_path, corpus, [CORPUS_000, CORPUS_002, CORPUS_004], mtime=dt.datetime.now(dt.timezone.utc)
    )
    (inbox / "broken.txt").write_bytes(b"\x00\x00binary\x00" * 50)
    return build_digest(inbox, briefer=FixtureBriefer(), ledger=tmp_path / "ledger.sqlite3")


class _Page(HTMLParser):
    """Visible text, every element's attributes, and the stack of dir/lang around each text."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.directed_text: list[tuple[str, str]] = []  # (text, innermost dir)
        self._dirs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        if tag not in ("br", "meta", "img", "hr", "input", "link"):
            self._dirs.append((tag, attributes.get("dir")))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self._dirs) - 1, -1, -1):
            if self._dirs[i][0] == tag:
                del self._dirs[i:]
                break

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.text.append(data)
            direction = next((d for _, d in reversed(self._dirs) if d), "ltr")
            self.directed_text.append((data.strip(), direction))


def page_of(document: str) -> _Page:
    page = _Page()
    page.feed(document)
    return page


def squash(text: str) -> str:
    return " ".join(text.split())


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def test_both_parts_carry_every_piece_of_content(digest: Digest) -> None:
    """Every string the templates are given appears in the plain text and in the HTML's visible text."""
    plain = squash(digest.text)
    visible = squash(" ".join(page_of(digest.html).text))
    view = view_model(digest)
    strings = [s for s in _strings(view) if s.strip()]
    assert len(strings) > 200
    for s in strings:
        assert squash(s) in plain, f"missing from the text part: {s}"
        assert squash(s) in visible, f"missing from the HTML part: {s}"


def test_subject_has_the_date_and_the_counts(digest: Digest) -> None:
    assert digest.subject == (f"News digest {dt.date.today().isoformat()}: 3 articles, 5 incidents, 1 failed")
    sent = parse_email(message_bytes(digest, "digest@newsroom.test", ["desk@newsroom.test"]))
    assert sent["Subject"] == digest.subject  # survives folding and parsing unchanged


def test_the_html_is_safe_for_mail_clients(digest: Digest) -> None:
    lower = digest.html.lower()
    assert "<script" not in lower and "<style" not in lower and "<link" not in lower
    page = page_of(digest.html)
    for tag, attrs in page.elements:
        if tag in ("table", "td", "th", "p", "h1", "h2", "h3", "ul", "div"):
            assert attrs.get("style"), f"<{tag}> without an inline style"
        if attrs.get("lang") == "ar":
            assert attrs.get("dir") == "rtl", attrs
        if attrs.get("dir") == "rtl":
            assert attrs.get("lang") == "ar", attrs


def test_arabic_text_sits_in_rtl_blocks_and_english_in_ltr(digest: Digest) -> None:
    directions = page_of(digest.html).directed_text
    for stem in (CORPUS_000, CORPUS_002, CORPUS_004):
        summary = load_brief(stem).summary
        for text in [summary.ar.headline, summary.ar.text] + [kp.text for kp in summary.ar.key_points]:
            assert (text, "rtl") in directions, text
        for text in [summary.en.headline, summary.en.text]:
            assert (text, "ltr") in directions, text


def test_the_incidents_table_lists_merged_incidents_first_in_the_email(digest: Digest) -> None:
    table = digest.html[
        digest.html.index('id="incidents"') : digest.html.index(
            "</table>", digest.html.index('id="incidents"')
        )
    ]
    assert table.count('class="incident"') == 5
    assert (
        digest.html.index('id="incidents"') < digest.html.index("Statements") < digest.html.index("Articles")
    )
    assert "11 killed, SOHR via AFP, Independent Arabia" in table
    assert "14 killed, Independent Arabia" in table
    assert table.count(">merged<") == 2


def test_templates_are_found_bundled_first_then_in_the_repository(tmp_path: Path) -> None:
    bundled, repository = template_dirs()
    assert bundled.parts[-4:] == ("summarizer", "_bundled", "templates", "digest")
    assert repository.parent.name == "templates" and (repository / "digest.html.j2").is_file()
    assert find_templates() in (bundled, repository)
    with pytest.raises(ConfigError, match="not found"):
        find_templates(tmp_path)


# --- a real browser ------------------------------------------------------------------------------------

_PROBE = """
<script>
(function () {
  var out = {};
  function dirs(selector) {
    return Array.prototype.map.call(document.querySelectorAll(selector), function (el) {
      var s = getComputedStyle(el);
      return {direction: s.direction, align: s.textAlign};
    });
  }
  out.arabic = dirs('[lang="ar"]');
  out.english = dirs('[dir="ltr"][lang="en"]');
  out.body = getComputedStyle(document.body).direction;
  var table = document.getElementById('incidents');
  var r = table.getBoundingClientRect(), s = getComputedStyle(table);
  out.table = {x: r.left, y: r.top, width: r.width, height: r.height, display: s.display,
               visibility: s.visibility, rows: table.querySelectorAll('tr.incident').length};
  out.viewport = {width: window.innerWidth, height: window.innerHeight,
                  scrollWidth: document.documentElement.scrollWidth};
  var pre = document.createElement('pre');
  pre.id = 'probe-result';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
"""


def _chromium(args: list[str], profile: Path, size: str = "1200,2000") -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        f"--window-size={size}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)


@pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed (apt-get install chromium): "
    "the browser rendering check needs a real browser",
)
def test_a_real_browser_shows_the_table_and_the_text_directions(digest: Digest, tmp_path: Path) -> None:
    email_page = tmp_path / "digest.html"
    email_page.write_text(digest.html, encoding="utf-8")
    # the email has no script: the probe goes into a copy of it, a test page
    probe_page = tmp_path / "probe.html"
    probe_page.write_text(digest.html.replace("</body>", _PROBE + "</body>"), encoding="utf-8")

    dumped = _chromium(["--dump-dom", probe_page.as_uri()], tmp_path / "profile-dom")
    match = re.search(r'<pre id="probe-result">(.*?)</pre>', dumped.stdout, re.S)
    assert match, f"chromium printed no probe result (exit {dumped.returncode}): {dumped.stderr[-2000:]}"
    probe = json.loads(html.unescape(match.group(1)))

    assert probe["body"] == "ltr"
    assert len(probe["arabic"]) > 30
    assert all(d["direction"] == "rtl" for d in probe["arabic"]), probe["arabic"]
    assert all(d["direction"] == "ltr" for d in probe["english"])
    table, viewport = probe["table"], probe["viewport"]
    assert table["display"] == "table" and table["visibility"] == "visible"
    assert table["rows"] == 5
    assert table["width"] > 0.6 * viewport["width"] and table["height"] > 100
    assert 0 <= table["y"] < viewport["height"]  # on the first screen
    assert viewport["scrollWidth"] <= viewport["width"]  # no sideways scrolling at 1200 px

    png = tmp_path / "digest.png"
    shot = _chromium([f"--screenshot={png}", email_page.as_uri()], tmp_path / "profile-png")
    assert png.is_file(), shot.stderr[-2000:]
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1200, 2000)
    # a narrow mail pane: the layout shrinks instead of scrolling sideways
    narrow = _chromium(["--dump-dom", probe_page.as_uri()], tmp_path / "profile-narrow", size="600,1400")
    match = re.search(r'<pre id="probe-result">(.*?)</pre>', narrow.stdout, re.S)
    assert match, narrow.stderr[-2000:]
    narrow_view = json.loads(html.unescape(match.group(1)))["viewport"]
    assert narrow_view["scrollWidth"] <= narrow_view["width"], narrow_view

    keep = os.environ.get("SUMMARIZER_DIGEST_SCREENSHOT")
    if keep:  # for a person to look at: SUMMARIZER_DIGEST_SCREENSHOT=/tmp/digest.png pytest -k browser
        shutil.copy(png, keep)


def test_the_progress_bar_and_summary_line(tmp_path: Path, corpus: Path) -> None:
    inbox = make_inbox(tmp_path, corpus, [CORPUS_000, CORPUS_002], mtime=dt.datetime.now(dt.timezone.utc))
    built = build_digest(inbox, briefer=FixtureBriefer(), ledger=tmp_path / "l.sqlite3", progress=True)
    line = built.summary_line()
    assert re.fullmatch(
        r"digest \d{4}-\d\d-\d\d: 2 articles, 3 incidents, 0 failures, 0 tokens in 0 LLM calls \(0 cached\), "
        r"\d+\.\d s",
        line,
    ), line
