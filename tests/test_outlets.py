"""Outlets named from the marks an article's text carries (summarizer.arabic.outlets), and from config
patterns."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.arabic.outlets import MARKS, Mark, detect_outlet, outlet_from_patterns


@pytest.mark.parametrize(
    ("text", "label", "how"),
    [
        ("بيروت (أ ف ب) - قتل 11 مقاتلاً في غارات جوية.", "AFP", "agency mark"),
        ("دمشق - سانا: قتل شخص في قصف.", "SANA", "agency mark"),
        ("القدس (الأناضول) - قتل شخص.", "Anadolu", "agency mark"),
        ("(رويترز) - قتل شخص في غارة.", "Reuters", "agency mark"),
        ("أبو ظبي (وام) - أعلنت الوزارة.", "WAM", "agency mark"),
        ("قتل شخص في غارة.\n(رويترز)", "Reuters", "agency mark"),
        ("قتل شخص في غارة.\nالمصدر: الأناضول", "Anadolu", "agency mark"),
        ("قتل شخص في غارة جوية ليلاً (أ ف ب).", "AFP", "agency mark"),
        (
            "عنوان الخبر هنا بلا نقطة\n\nعربي بوست\nتم النشر: 2023/10/23\nقتل شخص.",
            "Arabi Post",
            "outlet name",
        ),
        ("(بيروت) قتل 11 مقاتلاً في غارات جوية.", "unnamed outlet, Beirut dateline", "dateline"),
        ("بيروت - قتل شخص في غارة.", "unnamed outlet, Beirut dateline", "dateline"),
    ],
)
def test_marks_in_credit_positions_name_the_outlet(text: str, label: str, how: str) -> None:
    guess = detect_outlet(text)
    assert (guess.label(), guess.how) == (label, how)


@pytest.mark.parametrize(
    "text",
    [
        "ذكرت وكالة رويترز أن شخصا قتل.\nوأضاف المصدر أن الهجوم وقع ليلا.",
        "ذكرت وكالة الأنباء السورية (سانا) أن شخصا قتل في قصف.",
        "قالت سانا (الرسمية) إن شخصا قتل.",
        "قتل شخص في غارة، بحسب ما نقلت رويترز عن مصادر محلية.",
    ],
)
def test_an_agency_cited_in_a_sentence_is_not_the_outlet(text: str) -> None:
    assert detect_outlet(text).label() is None


def test_the_corpus_articles(corpus: Path) -> None:
    found = {p.stem[:3]: detect_outlet(p.read_text(encoding="utf-8")).label() for p in corpus.glob("*.txt")}
    assert found.get("002") == "unnamed outlet, Beirut dateline"  # AFP's story, but the text does not say so
    assert found.get("000") is None  # Reuters is only cited in its body
    if "004" in found:
        assert found["004"] == "Arabi Post"


def test_the_table_is_extensible() -> None:
    text = "بيروت (الأخبار) - قتل شخص في غارة."
    assert detect_outlet(text).name is None
    extended = (*MARKS, Mark("Al-Akhbar", ("الأخبار",), agency=False))
    assert detect_outlet(text, marks=extended).label() == "Al-Akhbar"


def test_config_patterns_map_inbox_files_to_outlets() -> None:
    patterns = {"afp-*.txt": "AFP", "*.rss": "Wire feeds"}
    assert outlet_from_patterns("/srv/inbox/AFP-0001.txt", patterns) == "AFP"
    assert outlet_from_patterns("/srv/inbox/wire.rss#3", patterns) == "Wire feeds"
    assert outlet_from_patterns("/srv/inbox/other.txt", patterns) is None
    assert outlet_from_patterns("/srv/inbox/afp-1.txt", None) is None
