"""Collecting an inbox: article files and RSS/Atom feeds, the window, late arrivals, each article once."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

import pytest
from _digest_support import CORPUS_000, CORPUS_002, CORPUS_004, make_inbox, set_mtime

from summarizer.digest.collect import Window, collect_inbox, dedupe_key
from summarizer.digest.config import parse_duration
from summarizer.errors import ConfigError

NOW = dt.datetime(2023, 3, 24, 20, 0, tzinfo=dt.timezone.utc)
DAY = dt.timedelta(days=1)


def window(span: dt.timedelta = DAY, late: dt.timedelta = 2 * DAY) -> Window:
    return Window.since(span, late=late, now=NOW)


def paragraphs(corpus: Path, stem: str) -> list[str]:
    return [p for p in (corpus / f"{stem}.txt").read_text(encoding="utf-8").split("\n") if p.strip()]


def rss(title: str, entries: list[dict[str, str]]) -> str:
    items = "".join(
        f"<item><title>{html.escape(e['title'])}</title><link>{e['link']}</link>"
        + (f"<pubDate>{e['date']}</pubDate>" if e.get("date") else "")
        + (f"<description><![CDATA[{e['body']}]]></description>" if e.get("body") else "")
        + "</item>"
        for e in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0">'
        f"<channel><title>{html.escape(title)}</title>"
        f"<link>https://feeds.example.org/</link>{items}</channel></rss>"
    )


def atom(title: str, entries: list[dict[str, str]]) -> str:
    items = "".join(
        f'<entry><title>{html.escape(e["title"])}</title><link href="{e["link"]}"/><id>{e["link"]}</id>'
        f'<updated>{e["date"]}</updated><content type="html">{html.escape(e["body"])}</content></entry>'
        for e in entries
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{html.escape(title)}</title><id>urn:feed</id><updated>2023-03-24T00:00:00Z</updated>"
        f"{items}</feed>"
    )


def test_files_and_feed_entries_are_collected_with_their_metadata(tmp_path: Path, corpus: Path) -> None:
    inbox = make_inbox(tmp_path, corpus, [CORPUS_000], mtime=NOW - dt.timedelta(hours=2))
    body = "".join(f"<p>{p}</p>" for p in paragraphs(corpus, CORPUS_004))
    (inbox / "arabipost.rss").write_text(
        rss(
            "عربي بوست",
            [
                {
                    "title": "انفجاران يهزان قاعدة حقل العمر",
                    "link": "https://arabipost.example/omar",
                    "date": "Fri, 24 Mar 2023 09:30:00 GMT",
                    "body": body,
                }
            ],
        ),
        encoding="utf-8",
    )
    (inbox / "afp.atom").write_text(
        atom(
            "AFP عربي",
            [
                {
                    "title": "غارات أمريكية شرقي سوريا",
                    "link": "https://afp.example/strikes",
                    "date": "2023-03-24T08:00:00Z",
                    "body": "".join(f"<p>{p}</p>" for p in paragraphs(corpus, CORPUS_002)),
                }
            ],
        ),
        encoding="utf-8",
    )
    for path in inbox.iterdir():
        set_mtime(path, NOW - dt.timedelta(hours=1))

    got = collect_inbox(inbox, window())

    assert not got.failures
    by_origin = {Path(i.origin).name: i for i in got.items}
    assert set(by_origin) == {f"{CORPUS_000}.txt", "arabipost.rss#1", "afp.atom#1"}
    entry = by_origin["arabipost.rss#1"].article
    assert (entry.title, entry.url, entry.source, entry.published) == (
        "انفجاران يهزان قاعدة حقل العمر",
        "https://arabipost.example/omar",
        "عربي بوست",
        dt.date(2023, 3, 24),
    )
    assert "حقل العمر النفطي" in entry.text
    assert by_origin["arabipost.rss#1"].stamp == dt.datetime(2023, 3, 24, 9, 30, tzinfo=dt.timezone.utc)
    assert by_origin["afp.atom#1"].article.source == "AFP عربي"


def test_one_article_in_two_formats_is_collected_once(tmp_path: Path, corpus: Path) -> None:
    inbox = make_inbox(tmp_path, corpus, [CORPUS_002], mtime=NOW - dt.timedelta(hours=3))
    body = "".join(f"<p>{p}</p>" for p in paragraphs(corpus, CORPUS_002))
    (inbox / "wire.xml").write_text(
        rss(
            "AFP",
            [
                {
                    "title": "غارات أمريكية",
                    "link": "https://afp.example/a",
                    "date": "Fri, 24 Mar 2023 10:00:00 GMT",
                    "body": body,
                }
            ],
        ),
        encoding="utf-8",
    )
    set_mtime(inbox / "wire.xml", NOW - dt.timedelta(hours=1))
    page = f"<html><head><title>غارات</title></head><body><article>{body}</article></body></html>"
    (inbox / "page.html").write_text(page, encoding="utf-8")
    set_mtime(inbox / "page.html", NOW - dt.timedelta(hours=1))

    got = collect_inbox(inbox, window())

    assert len(got.items) == 1 and got.duplicates == 2
    article = got.items[0].article
    assert article.url == "https://afp.example/a" and article.source == "AFP"  # filled from the feed's copy
    assert got.items[0].key == dedupe_key(article.text)


def test_bad_items_are_failures_that_never_stop_the_others(tmp_path: Path, corpus: Path) -> None:
    inbox = make_inbox(tmp_path, corpus, [CORPUS_000])
    (inbox / "empty.txt").write_text("   \n", encoding="utf-8")
    (inbox / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)
    (inbox / "english.html").write_text("<html><body><p>Only English text here, no Arabic.</p></body></html>")
    (inbox / "broken.rss").write_text("this is not xml at all", encoding="utf-8")
    (inbox / "mixed.rss").write_text(
        rss(
            "Mixed",
            [
                {"title": "no body", "link": "https://x.example/1", "date": "Fri, 24 Mar 2023 10:00:00 GMT"},
                {
                    "title": "English",
                    "link": "https://x.example/2",
                    "date": "Fri, 24 Mar 2023 10:00:00 GMT",
                    "body": "<p>An English story only.</p>",
                },
            ],
        ),
        encoding="utf-8",
    )
    (inbox / ".partial.txt").write_text("ignored: hidden", encoding="utf-8")
    (inbox / "notes.md").write_text("ignored: not an inbox format", encoding="utf-8")
    for path in inbox.iterdir():
        set_mtime(path, NOW - dt.timedelta(hours=1))

    got = collect_inbox(inbox, window())

    assert [Path(i.origin).name for i in got.items] == [f"{CORPUS_000}.txt"]
    reasons = {Path(f.name).name: f.reason for f in got.failures}
    assert set(reasons) == {
        "empty.txt",
        "binary.txt",
        "english.html",
        "broken.rss",
        "mixed.rss#1",
        "mixed.rss#2",
    }
    assert "empty" in reasons["empty.txt"]
    assert "binary" in reasons["binary.txt"]
    assert "no Arabic" in reasons["english.html"]
    assert "not an RSS/Atom feed" in reasons["broken.rss"]
    assert "no content" in reasons["mixed.rss#1"]
    assert all("\n" not in r for r in reasons.values())


def test_the_window_late_arrivals_and_what_is_left_out(tmp_path: Path, corpus: Path) -> None:
    inbox = make_inbox(tmp_path, corpus, [CORPUS_000, CORPUS_002, CORPUS_004])
    set_mtime(inbox / f"{CORPUS_000}.txt", NOW - dt.timedelta(hours=5))  # in the last 24 hours
    set_mtime(inbox / f"{CORPUS_002}.txt", NOW - dt.timedelta(hours=30))  # before the window, within 48h late
    set_mtime(inbox / f"{CORPUS_004}.txt", NOW - dt.timedelta(hours=80))  # older than that

    got = collect_inbox(inbox, window())
    placed = {Path(i.origin).stem: i.late for i in got.items}
    assert placed == {CORPUS_000: False, CORPUS_002: True}
    assert got.outside == 1

    strict = collect_inbox(inbox, window(late=dt.timedelta(0)))
    assert [Path(i.origin).stem for i in strict.items] == [CORPUS_000]
    assert strict.outside == 2


def test_a_calendar_day(tmp_path: Path, corpus: Path) -> None:
    tz = dt.timezone(dt.timedelta(hours=3))
    inbox = make_inbox(tmp_path, corpus, [CORPUS_000, CORPUS_002, CORPUS_004])
    set_mtime(inbox / f"{CORPUS_000}.txt", dt.datetime(2023, 3, 24, 23, 30, tzinfo=tz))
    set_mtime(inbox / f"{CORPUS_002}.txt", dt.datetime(2023, 3, 25, 0, 30, tzinfo=tz))  # the next day
    set_mtime(inbox / f"{CORPUS_004}.txt", dt.datetime(2023, 10, 23, 22, 0, tzinfo=tz))
    day = Window.for_date(dt.date(2023, 3, 24), late=dt.timedelta(0), tz=tz)
    assert [Path(i.origin).stem for i in collect_inbox(inbox, day).items] == [CORPUS_000]
    october = Window.for_date(dt.date(2023, 10, 23), late=dt.timedelta(0), tz=tz)
    assert [Path(i.origin).stem for i in collect_inbox(inbox, october).items] == [CORPUS_004]


def test_a_feed_entry_is_placed_by_its_own_date(tmp_path: Path, corpus: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    body = "".join(f"<p>{p}</p>" for p in paragraphs(corpus, CORPUS_000))
    body2 = "".join(f"<p>{p}</p>" for p in paragraphs(corpus, CORPUS_002))
    (inbox / "feed.rss").write_text(
        rss(
            "Wire",
            [
                {
                    "title": "new",
                    "link": "https://w.example/1",
                    "date": "Fri, 24 Mar 2023 18:00:00 GMT",
                    "body": body,
                },
                {
                    "title": "old",
                    "link": "https://w.example/2",
                    "date": "Mon, 20 Mar 2023 18:00:00 GMT",
                    "body": body2,
                },
            ],
        ),
        encoding="utf-8",
    )
    set_mtime(inbox / "feed.rss", NOW - dt.timedelta(minutes=5))  # fetched just now: both entries are in it
    got = collect_inbox(inbox, window())
    assert [i.article.title for i in got.items] == ["new"] and got.outside == 1


def test_items_a_digest_already_took_are_skipped(tmp_path: Path, corpus: Path) -> None:
    inbox = make_inbox(tmp_path, corpus, [CORPUS_000, CORPUS_002], mtime=NOW - dt.timedelta(hours=1))
    first = collect_inbox(inbox, window())
    taken = {first.items[0].key}
    again = collect_inbox(inbox, window(), is_taken=taken.__contains__)
    assert len(again.items) == 1 and again.already_sent == 1
    assert again.items[0].key not in taken


def test_a_missing_inbox_is_an_input_error(tmp_path: Path) -> None:
    from summarizer.errors import InputError

    with pytest.raises(InputError, match="not a folder"):
        collect_inbox(tmp_path / "nope", window())


def test_window_placement_of_whole_days() -> None:
    w = Window.for_date(dt.date(2023, 3, 24), late=DAY, tz=dt.timezone.utc)
    assert w.place(dt.date(2023, 3, 24)) == "in"
    assert w.place(dt.date(2023, 3, 23)) == "late"
    assert w.place(dt.date(2023, 3, 22)) == "out"
    assert w.place(dt.date(2023, 3, 25)) == "out"
    assert w.place(dt.datetime(2023, 3, 24, 23, 59, tzinfo=dt.timezone.utc)) == "in"
    assert w.place(dt.datetime(2023, 3, 25, 0, 0, tzinfo=dt.timezone.utc)) == "out"


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("24h", 86400), ("90m", 5400), ("2d", 172800), ("1w", 604800), ("3600", 3600), (" 1.5 h ", 5400)],
)
def test_parse_duration(text: str, seconds: float) -> None:
    assert parse_duration(text).total_seconds() == seconds


@pytest.mark.parametrize("text", ["", "yesterday", "-2h", "24 hours"])
def test_parse_duration_refuses_junk(text: str) -> None:
    with pytest.raises(ConfigError):
        parse_duration(text)
