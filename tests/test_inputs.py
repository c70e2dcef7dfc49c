from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from summarizer.errors import InputError
from summarizer.inputs import (
    article_from_text,
    decode_bytes,
    expand_paths,
    normalize_text,
    read_article,
    split_sentences,
    text_id,
)

ARABIC = "قُتل 11 مقاتلاً موالياً لإيران في غارات جوية أمريكية شرقي سوريا ليل الخميس والجمعة."


def test_utf8_with_and_without_bom_decode_to_the_same_text(tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_bytes(ARABIC.encode("utf-8"))
    b.write_bytes(b"\xef\xbb\xbf" + ARABIC.encode("utf-8"))
    assert read_article(a).text == read_article(b).text == ARABIC


def test_windows_1256_is_detected_and_decoded(tmp_path: Path) -> None:
    p = tmp_path / "cp.txt"
    p.write_bytes(ARABIC.replace("ُ", "").encode("cp1256"))
    art = read_article(p)
    assert "مقاتلاً موالياً لإيران" in art.text


def test_corpus_article_reads_with_sentences(corpus: Path) -> None:
    art = read_article(corpus / "002_d47aa0b70ac3c6f1.txt", published=dt.date(2023, 3, 24))
    sents = art.sentences()
    assert sents[0].startswith("(بيروت) قُتل 11 مقاتلاً")
    assert any("البنتاغون" in s for s in sents)
    assert len(sents) > 15
    assert art.published == dt.date(2023, 3, 24)


def test_published_date_found_in_text(corpus: Path) -> None:
    art = read_article(corpus / "004_acd604f23db3c241.txt")
    assert art.published == dt.date(2023, 10, 23)
    assert art.title and art.title.startswith("انفجاران قويان")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"   \n\t  \n", "empty"),
        (b"\x00\x01\x02\x03binary\x00\xff" * 50, "binary"),
        (b"Only English text here, no Arabic at all.", "no Arabic"),
    ],
)
def test_bad_inputs_raise_one_clear_error(tmp_path: Path, content: bytes, message: str) -> None:
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_article(p)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_article(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="is a directory"):
        read_article(tmp_path)


def test_too_long_article_is_refused() -> None:
    with pytest.raises(InputError, match="far longer"):
        article_from_text(ARABIC * 5000)


def test_html_page_main_text_and_metadata_are_extracted(tmp_path: Path) -> None:
    body = "".join(f"<p>{ARABIC} الفقرة رقم {i}.</p>" for i in range(8))
    html = (
        "<html><head><title>غارات أمريكية في سوريا</title>"
        '<meta property="og:site_name" content="Independent Arabia">'
        '<meta property="article:published_time" content="2023-03-24T10:00:00Z">'
        "</head><body><nav>القائمة الرئيسية</nav><article>"
        f"<h1>غارات أمريكية في سوريا</h1>{body}</article>"
        "<script>alert('x')</script></body></html>"
    )
    p = tmp_path / "page.html"
    p.write_text(html, encoding="utf-8")
    art = read_article(p)
    assert "alert" not in art.text and "<p>" not in art.text
    assert "مقاتلاً موالياً لإيران" in art.text
    assert art.published == dt.date(2023, 3, 24)
    assert art.source == "Independent Arabia"


def test_html_inside_a_txt_file_is_stripped() -> None:
    art = article_from_text(f"<div><p>{ARABIC}</p><p>{ARABIC}</p></div>")
    assert "<" not in art.text
    assert "موالياً لإيران" in art.text


def test_normalize_text_removes_zero_width_and_control_characters() -> None:
    raw = "سوريا\u200b\u200f  ليل\r\nالخميس\x07"
    assert normalize_text(raw) == "سوريا ليل\nالخميس"


def test_split_sentences_keeps_times_and_dates_together() -> None:
    text = "وقع الهجوم حوالى الساعة 11 صباحاً (09:00 بتوقيت غرينتش). ولم يتضح إذا؟ نعم."
    assert split_sentences(text) == [
        "وقع الهجوم حوالى الساعة 11 صباحاً (09:00 بتوقيت غرينتش).",
        "ولم يتضح إذا؟",
        "نعم.",
    ]


def test_text_id_is_stable_and_depends_on_text() -> None:
    assert text_id(ARABIC) == text_id(ARABIC)
    assert text_id(ARABIC) != text_id(ARABIC + " ")
    assert len(text_id(ARABIC)) == 32


def test_decode_prefers_utf8() -> None:
    assert decode_bytes(ARABIC.encode(), "x") == ARABIC


def test_expand_paths_lists_article_files_of_a_directory(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text(ARABIC)
    (tmp_path / "a.html").write_text(ARABIC)
    (tmp_path / "notes.md").write_text("x")
    assert [Path(p).name for p in expand_paths([tmp_path])] == ["a.html", "b.txt"]
    assert list(expand_paths(["-"])) == ["-"]
