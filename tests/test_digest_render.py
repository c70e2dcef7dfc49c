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
from summarizer.digest.render import (
    EMAIL_HTML_LIMIT,
    Cut,
    email_view,
    find_templates,
    incident_order,
    template_dirs,
    view_model,
)
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
    if isinstance(value, dict):  # anchors are link targets, not content
        return [s for k, v in value.items() if k != "anchor" for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _visible(document: str) -> str:
    return squash(" ".join(page_of(document).text))


def test_the_email_parts_carry_the_same_content(digest: Digest) -> None:
    """Every string the email's view gives the templates is in the plain text and in the HTML."""
    assert digest.page and len(digest.html.encode()) <= EMAIL_HTML_LIMIT
    plain, visible = squash(digest.text), _visible(digest.html)
    view = email_view(view_model(digest), Cut())
    strings = [s for s in _strings(view) if s.strip() and s not in (view["digest_id"],)]
    assert len(strings) > 100
    for s in strings:
        if s in (view["links"]["attachment"] or "",):
            continue
        assert squash(s) in plain, f"missing from the text part: {s}"
        assert squash(s) in visible, f"missing from the HTML part: {s}"


def test_the_attached_page_holds_every_brief_in_full(digest: Digest) -> None:
    visible = _visible(digest.page)
    view = view_model(digest)
    strings = [s for s in _strings(view) if s.strip()]
    assert len(strings) > 200
    for s in strings:
        if s in (view["digest_id"], "digest-" + view["date"] + ".html"):
            continue
        assert squash(s) in visible, f"missing from the attached page: {s}"
    for stem in (CORPUS_000, CORPUS_002, CORPUS_004):
        summary = load_brief(stem).summary
        assert squash(summary.ar.text) in visible and squash(summary.en.text or "") in visible
    # the email itself holds one line per article, not the briefs
    assert squash(load_brief(CORPUS_002).summary.ar.text) not in _visible(digest.html)


def test_subject_has_the_date_and_the_counts(digest: Digest) -> None:
    assert digest.subject == (f"News digest {dt.date.today().isoformat()}: 3 articles, 5 incidents, 1 failed")
    sent = parse_email(message_bytes(digest, "digest@newsroom.test", ["desk@newsroom.test"]))
    assert sent["Subject"] == digest.subject  # survives folding and parsing unchanged


def test_the_html_is_safe_for_mail_clients(digest: Digest) -> None:
    lower = digest.html.lower()
    assert "<script" not in lower and "<style" not in lower and "<link" not in lower
    assert "<script" not in digest.page.lower() and "<link" not in digest.page.lower()
    assert "nowrap" not in lower and "nowrap" not in digest.page
    assert not re.search(r"(?<![-\w])width:\s*\d+px", digest.html + digest.page)  # no fixed widths
    for document in (digest.html, digest.page):
        for _tag, attrs in page_of(document).elements:
            if attrs.get("lang") == "ar":
                assert attrs.get("dir") == "rtl", attrs
    page = page_of(digest.html)
    for tag, attrs in page.elements:
        if tag in ("table", "td", "th", "p", "h1", "h2", "h3", "ul", "div"):
            assert attrs.get("style"), f"<{tag}> without an inline style"
        if attrs.get("lang") == "ar":
            assert attrs.get("dir") == "rtl", attrs
        if attrs.get("dir") == "rtl":
            assert attrs.get("lang") == "ar", attrs


def test_arabic_text_sits_in_rtl_blocks_and_english_in_ltr(digest: Digest) -> None:
    directions = page_of(digest.page).directed_text
    for stem in (CORPUS_000, CORPUS_002, CORPUS_004):
        summary = load_brief(stem).summary
        for text in [summary.ar.headline, summary.ar.text] + [kp.text for kp in summary.ar.key_points]:
            assert (text, "rtl") in directions, text
        for text in [summary.en.headline, summary.en.text]:
            assert (text, "ltr") in directions, text
    in_email = page_of(digest.html).directed_text
    for inc in view_model(digest)["incidents"]:
        for q in inc["evidence"]:
            assert any(q["text"] in t and d == "rtl" for t, d in in_email), q


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
    # most severe first: Deir ez-Zor (11 killed), then Hasakah (1 killed, 6 injured), then none reported
    places = [inc["place"] for inc in view_model(digest)["incidents"]]
    assert places[:2] == ["Deir ez-Zor", "Hasakah"]


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
  out.briefs = document.querySelectorAll('table.brief').length;
  out.viewport = {width: window.innerWidth, height: window.innerHeight,
                  scrollWidth: document.documentElement.scrollWidth};
  var pre = document.createElement('pre');
  pre.id = 'probe-result';
  pre.textContent = JSON.stringify(out);
  (window.parent !== window ? window.parent.document.body : document.body).appendChild(pre);
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


ARTIFACTS = Path(__file__).resolve().parent / "artifacts"  # ignored by git


def _probe(page: Path, profile: Path, width: int) -> dict[str, Any]:
    """Run the probe in ``page`` laid out ``width`` px wide. Headless Chromium's window is at least
    500 px wide, so the page is shown in a same-origin frame (srcdoc) of exactly that width, and the
    probe reports into the outer page."""
    frame = page.with_name(f"frame-{width}-{page.name}")
    frame.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">'
        f'<iframe style="width:{width}px;height:1200px;border:0;display:block" '
        f'srcdoc="{html.escape(page.read_text(encoding="utf-8"), quote=True)}"></iframe></body></html>',
        encoding="utf-8",
    )
    dumped = _chromium(["--dump-dom", frame.as_uri()], profile, size=f"{max(width + 40, 600)},1300")
    match = re.search(r'<pre id="probe-result">(.*?)</pre>', dumped.stdout, re.S)
    assert match, f"chromium printed no probe result (exit {dumped.returncode}): {dumped.stderr[-2000:]}"
    result: dict[str, Any] = json.loads(html.unescape(match.group(1)))
    return result


needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed (apt-get install chromium): "
    "the browser rendering check needs a real browser",
)


@needs_chromium
def test_a_real_browser_shows_the_email_on_a_phone_a_tablet_and_a_desktop(
    digest: Digest, tmp_path: Path
) -> None:
    """At 390, 768 and 1280 px the page never scrolls sideways; the PNGs are kept for a person to see."""
    email_page = tmp_path / "digest.html"
    email_page.write_text(digest.html, encoding="utf-8")
    # the email has no script: the probe goes into a copy of it, a test page
    probe_page = tmp_path / "probe.html"
    probe_page.write_text(digest.html.replace("</body>", _PROBE + "</body>"), encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (390, 768, 1280):
        probe = _probe(probe_page, tmp_path / f"profile-{width}", width)
        viewport, table = probe["viewport"], probe["table"]
        assert viewport["width"] == width, viewport
        assert viewport["scrollWidth"] <= viewport["width"], (width, viewport)  # no sideways scrolling
        assert probe["body"] == "ltr"
        assert len(probe["arabic"]) > 20
        assert all(d["direction"] == "rtl" for d in probe["arabic"]), probe["arabic"]
        assert all(d["direction"] == "ltr" for d in probe["english"])
        assert table["display"] == "table" and table["visibility"] == "visible" and table["rows"] == 5
        assert table["width"] <= width and table["width"] >= min(width, 640) * 0.85
        assert 0 <= table["y"] < viewport["height"]  # the incidents start on the first screen

        png = ARTIFACTS / f"digest-email-{width}.png"
        png.unlink(missing_ok=True)
        shot = _chromium(
            [f"--screenshot={png}", email_page.as_uri()], tmp_path / f"png-{width}", f"{width},2400"
        )
        assert png.is_file(), shot.stderr[-2000:]
        data = png.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
        assert int.from_bytes(data[16:20], "big") == width
        print(f"screenshot: {png}")


@needs_chromium
def test_the_attached_page_of_200_articles_opens_in_a_browser(tmp_path: Path, corpus: Path) -> None:
    digest = _big_night(tmp_path, corpus)
    page = tmp_path / digest.attachment_name
    page.write_text(digest.page, encoding="utf-8")
    probe = tmp_path / "probe.html"
    probe.write_text(digest.page.replace("</body>", _PROBE + "</body>"), encoding="utf-8")
    result = _probe(probe, tmp_path / "profile-page", 390)
    assert result["table"]["rows"] == len(digest.merged.incidents)
    assert result["briefs"] == len(digest.articles)
    assert result["viewport"]["scrollWidth"] <= result["viewport"]["width"]


def test_the_progress_bar_and_summary_line(tmp_path: Path, corpus: Path) -> None:
    inbox = make_inbox(tmp_path, corpus, [CORPUS_000, CORPUS_002], mtime=dt.datetime.now(dt.timezone.utc))
    built = build_digest(inbox, briefer=FixtureBriefer(), ledger=tmp_path / "l.sqlite3", progress=True)
    line = built.summary_line()
    assert re.fullmatch(
        r"digest \d{4}-\d\d-\d\d: 2 articles, 3 incidents, 0 failures, 0 tokens in 0 LLM calls \(0 cached\), "
        r"\d+\.\d s",
        line,
    ), line


# --- a big night: any number of articles, never clipped ---------------------------------------------

OUTLETS = [
    "AFP",
    "Reuters",
    "Anadolu",
    "SANA",
    "Al Jazeera",
    "Arabi Post",
    "Independent Arabia",
    "Enab Baladi",
]


def _big_night(tmp_path: Path, corpus: Path, n: int = 200) -> Digest:
    """``n`` articles made from the recorded fixture briefs: each a copy of a corpus article with a
    line of its own, its brief's outlet, headline and event dates varied (so some events merge
    across outlets and most do not)."""
    stems = [CORPUS_000, CORPUS_002, CORPUS_004]
    inbox = tmp_path / "big-inbox"
    inbox.mkdir()
    now = dt.datetime.now(dt.timezone.utc).timestamp()
    for k in range(n):
        path = inbox / f"a{k:03d}.txt"
        path.write_text(
            (corpus / f"{stems[k % 3]}.txt").read_text(encoding="utf-8") + f"\n\nنسخة رقم {k} من الخبر.\n",
            encoding="utf-8",
        )
        os.utime(path, (now, now))
    base = {stem: load_brief(stem) for stem in stems}

    def briefer(article: Any) -> Any:
        k = int(Path(article.name).stem[1:])
        brief = base[stems[k % 3]].model_copy(deep=True)
        shift = dt.timedelta(days=(k // 3) % 12)
        for event in brief.events:
            if event.date.value is not None:
                event.date.value += shift
        brief.article.id = article.id
        brief.article.source = OUTLETS[k % len(OUTLETS)]
        if brief.summary.en.headline:
            brief.summary.en.headline = f"{brief.summary.en.headline} (report {k})"
        return brief

    return build_digest(inbox, briefer=briefer, ledger=tmp_path / "big.sqlite3")


def test_200_articles_fit_the_email_and_nothing_is_lost(tmp_path: Path, corpus: Path) -> None:
    digest = _big_night(tmp_path, corpus)
    assert digest.stats.articles == 200
    size = len(digest.html.encode("utf-8"))
    print(
        f"email HTML body: {size:,} bytes for 200 articles; attached page {len(digest.page.encode()):,} bytes"
    )
    assert size <= EMAIL_HTML_LIMIT
    email_text = _visible(digest.html)
    # one line per article in the email (headline and outlet), or a count of those left to the attachment
    view = view_model(digest)
    listed = sum(1 for b in view["briefs"] if squash(b["en"]["headline"]) in email_text)
    more = re.search(r"… and (\d+) more articles?", email_text)
    assert listed + (int(more.group(1)) if more else 0) == 200
    assert listed == 200  # at 200 articles every one still has its line
    # the most severe incident is shown in full in the email
    top = view["incidents"][0]
    assert squash(top["evidence"][0]["text"]) in email_text
    # the attachment holds every article in full and every incident
    page = page_of(digest.page)
    anchors = {attrs.get("id") for _, attrs in page.elements}
    assert {f"article-{i}" for i in range(1, 201)} <= anchors
    assert {f"incident-{i}" for i in range(1, len(digest.merged.incidents) + 1)} <= anchors
    full = _visible(digest.page)
    for b in view["briefs"]:
        assert squash(b["ar"]["text"]) in full and squash(b["en"]["headline"]) in full
    for inc in view["incidents"]:
        for q in inc["evidence"]:
            assert squash(q["text"]) in full
    # the plain-text part has the same lines
    assert sum(1 for b in view["briefs"] if squash(b["en"]["headline"]) in squash(digest.text)) == listed


def test_the_email_shrinks_to_fit_a_night_of_any_size(tmp_path: Path, corpus: Path) -> None:
    """With a tiny budget the email keeps one line per incident and article as long as it can, then says
    how many more are in the attachment."""
    from summarizer.digest.render import render_digest

    digest = _big_night(tmp_path, corpus, n=60)
    rendered = render_digest(digest, limit=30_000)
    assert len(rendered.html.encode()) <= 30_000
    assert rendered.cut.cards is not None and rendered.cut.cards < len(digest.merged.incidents)
    visible = _visible(rendered.html)
    assert "in the attached file" in visible and "in the attached file" in squash(rendered.text)


def test_incidents_most_severe_and_most_recent_first_and_date_unknown_last() -> None:
    from summarizer.digest.merge import Incident

    def inc(day: int | None, killed: int | None, injured: int | None = None) -> Incident:
        date = dt.date(2023, 3, day) if day else None
        return Incident(reports=[], date_first=date, date_last=date, killed=killed, injured=injured)

    incidents = [inc(None, 50), inc(20, 2), inc(24, 2), inc(22, None, 9), inc(21, 14), inc(23, None)]
    ordered = incident_order(incidents)
    assert [(i.date_first.day if i.date_first else None, i.killed) for i in ordered] == [
        (21, 14),
        (24, 2),
        (20, 2),
        (22, None),
        (23, None),
        (None, 50),
    ]


def test_each_thing_once_descriptions_quotes_and_figures(tmp_path: Path, corpus: Path) -> None:
    inbox = make_inbox(tmp_path, corpus, [CORPUS_002], mtime=dt.datetime.now(dt.timezone.utc))
    brief = load_brief(CORPUS_002)
    event = brief.events[0]
    # the model often copies the first evidence sentence as the event's description
    event.description_ar = event.evidence[0] + "."
    briefer = FixtureBriefer(extra={CORPUS_002: brief})
    briefer.briefs.pop(CORPUS_002)
    built = build_digest(inbox, briefer=briefer, ledger=tmp_path / "l.sqlite3")
    for document in (built.html, built.page):
        assert document.count(html.escape(event.evidence[0], quote=False)) == 1
    assert squash(built.text).count(squash(event.evidence[0])) == 1
    # the article's figures, each with its attribution, in one place of the attached page
    view = view_model(built)
    figures = view["briefs"][0]["figures"]
    given = [(f["toll"], f["according_to"]) for f in figures]
    assert ("11 killed", "SOHR") in given
    assert ("1 killed, 6 injured", "Pentagon") in given
    assert len(given) == len(set(given))
    page = _visible(built.page)
    assert page.count("Figures") == 1
    assert re.search(r"11 killed ?, according to SOHR", page)


def test_the_plain_text_reads_in_80_columns_with_arabic_lines_whole(digest: Digest) -> None:
    lines = digest.text.splitlines()
    for line in lines:
        if not re.search(r"[\u0600-\u06FF]", line) and " " in line.strip():
            assert len(line) <= 80, line
    view = email_view(view_model(digest), Cut())
    arabic = [s for s in _strings(view) if re.search(r"[\u0600-\u06FF]", s)]
    assert len(arabic) > 20
    for text in arabic:
        assert any(squash(text) in line for line in lines), f"an Arabic line was broken: {text}"


def test_a_quiet_night_renders_one_line(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    quiet = build_digest(inbox, briefer=FixtureBriefer(), ledger=tmp_path / "l.sqlite3")
    assert quiet.empty and quiet.page == ""
    assert quiet.subject.endswith(": nothing new")
    assert "Nothing new since" in _visible(quiet.html) and "Nothing new since" in quiet.text
    assert len(quiet.html.encode()) < 5_000
