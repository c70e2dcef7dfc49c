"""The event completers of :mod:`summarizer.brief.grounding`, one field each, without a model: each returns
its value and typed notices, and the tests read the notices' codes, not their wording."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from summarizer.arabic.gazetteer import default_gazetteer
from summarizer.brief.grounding import (
    NOTICE_CODES,
    Notice,
    background_notice,
    complete_actors,
    complete_casualties,
    complete_date,
    complete_place,
    complete_sources,
    complete_status,
    complete_type,
    complete_weapon,
    words_in_article,
)
from summarizer.brief.steps import EventDraft
from summarizer.inputs import read_article

PUBLISHED = dt.date(2023, 3, 24)
DRAFT: dict[str, Any] = {
    "english_summary": "US strikes hit a weapons depot in Deir ez-Zor, killing six pro-Iran fighters.",
    "sentence_numbers": [3],
    "sub_event_type": "air_drone_strike",
    "status": "occurred",
    "date_words_ar": "ليل الخميس والجمعة",
    "place_words_ar": "دير الزور",
    "place_en": "Deir al-Zour",
    "actors": [
        {"english_name": "US forces", "arabic_name": "القوات الأمريكية", "role": "actor", "sector": "MIL"},
    ],
    "weapon_en": "aircraft",
    "casualties": [{"killed": 6, "injured": None, "victims_en": "pro-Iran fighters", "source_en": "SOHR"}],
    "sources_en": ["Syrian Observatory for Human Rights"],
}


def _draft(**update: Any) -> EventDraft:
    return EventDraft.model_validate({**DRAFT, **update})


def _sentences(corpus: Path) -> list[str]:
    return read_article(corpus / "002_d47aa0b70ac3c6f1.txt", published=PUBLISHED).sentences()


def _evidence(sentences: list[str], draft: EventDraft) -> list[str]:
    return [sentences[i - 1] for i in draft.sentence_numbers]


def _codes(notices: list[Notice]) -> list[tuple[str, str]]:
    return [(n.field, n.code) for n in notices]


def test_notices_render_as_warnings_and_their_codes_are_listed() -> None:
    kept = Notice("events", 2, "status", "status_unsupported", "status 'claimed' has no support")
    assert kept.text == "event 2: status 'claimed' has no support"
    dropped = Notice("events", 2, "event", "background_only", "its cited sentences describe ...")
    assert dropped.text == "event 2 dropped: its cited sentences describe ..."
    assert dataclasses.replace(kept, event=None).text == "status 'claimed' has no support"
    with pytest.raises(ValueError, match="unknown notice code"):
        Notice("events", 1, "date", "place_not_named", "a place code for a date")
    assert set(NOTICE_CODES) == {
        "event", "date", "place", "actors", "casualties", "sources", "weapon", "type", "status"
    }  # fmt: skip
    with pytest.raises(dataclasses.FrozenInstanceError):
        kept.code = "x"  # type: ignore[misc]


def test_background_sentences_drop_the_event_but_not_a_statement() -> None:
    habitual = ["وكثيراً ما يُستهدَفون بهجمات في المنطقة الشرقية"]
    notice = background_notice(_draft(), habitual, event=3)
    assert notice is not None and (notice.event, notice.field, notice.code) == (3, "event", "background_only")
    assert notice.text.startswith("event 3 dropped: ")
    assert background_notice(_draft(sub_event_type="accusation"), habitual, event=3) is None


def test_date_and_place_words_the_article_does_not_hold_are_cleared(corpus: Path) -> None:
    text = "\n".join(_sentences(corpus))
    from summarizer.arabic.normalize import normalize_ar

    draft, notices = words_in_article(
        _draft(date_words_ar="2023-03-24", place_words_ar="Deir ez-Zor"), normalize_ar(text), event=1
    )
    assert draft.date_words_ar is None and draft.place_words_ar is None
    assert _codes(notices) == [("date", "date_not_in_article"), ("place", "place_not_in_article")]
    draft, notices = words_in_article(_draft(), normalize_ar(text), event=1)
    assert draft.date_words_ar == DRAFT["date_words_ar"] and notices == []


def test_date_from_the_model_or_the_cited_sentences(corpus: Path) -> None:
    sentences = _sentences(corpus)
    date, notices = complete_date(_draft(), [sentences[2]], PUBLISHED, event=1)
    assert date.value == dt.date(2023, 3, 23) and notices == []
    # words that name no time: unknown, then the cited sentence (1) dates the event
    draft = _draft(date_words_ar="في غارات جوية أمريكية", sentence_numbers=[1])
    date, notices = complete_date(draft, _evidence(sentences, draft), PUBLISHED, event=1)
    assert _codes(notices) == [("date", "date_names_no_time"), ("date", "date_from_sentences")]
    assert date.value == dt.date(2023, 3, 23) and date.phrase_ar == "ليل الخميس والجمعة"
    date, notices = complete_date(_draft(date_words_ar=None), [sentences[2]], PUBLISHED, event=1)
    assert date.value is None and notices == []


def test_place_from_the_cited_sentences_or_the_sentence_that_names_it(corpus: Path) -> None:
    sentences, gaz = _sentences(corpus), default_gazetteer()
    draft = _draft(place_words_ar="سوريا", place_en="Syria")
    location, evidence, notices = complete_place(draft, _evidence(sentences, draft), sentences, gaz, event=1)
    assert location.name_en == "Deir ez-Zor" and evidence == [sentences[2]]
    assert _codes(notices) == [("place", "place_from_sentences")]
    # Hasakah is named in sentence 6: an event citing sentence 7 cites it too
    draft = _draft(place_words_ar=None, place_en="Hasakah", sentence_numbers=[7])
    location, evidence, notices = complete_place(draft, _evidence(sentences, draft), sentences, gaz, event=1)
    assert location.name_en == "Hasakah" and evidence == [sentences[6], sentences[5]]
    assert _codes(notices) == [("place", "place_cites_sentence")]
    # a flagged sentence is never cited for a place: Hasakah is then named nowhere, Syria (sentence 5) is
    location, evidence, notices = complete_place(
        draft, _evidence(sentences, draft), sentences, gaz, event=1, flagged={6}
    )
    assert location.name_en == "Syria" and evidence == [sentences[6], sentences[4]]
    assert _codes(notices) == [("place", "place_widened_to_country"), ("place", "place_cites_sentence")]
    draft = _draft(place_words_ar=None, place_en="Atlantis")
    location, _, notices = complete_place(draft, [sentences[6]], sentences, gaz, event=1)
    assert location.name_en == "Atlantis" and _codes(notices) == [("place", "place_not_in_gazetteer")]


def test_actors_are_looked_up_and_their_sector_read_from_their_name() -> None:
    actors, notices = complete_actors(
        _draft(
            actors=[
                {"english_name": "American marines", "arabic_name": None, "role": "actor", "sector": "CVL"},
                {"english_name": "مقاتلين مجهولين", "arabic_name": None, "role": "target", "sector": "UAF"},
            ]
        ),
        default_gazetteer(),
        event=4,
    )
    assert [(a.name_en, a.sector) for a in actors] == [("American marines", "MIL")]
    assert _codes(notices) == [("actors", "actor_sector_corrected"), ("actors", "not_english")]
    assert all(n.event == 4 for n in notices)


def test_casualty_figures_and_sources_need_the_article(corpus: Path) -> None:
    sentences, gaz = _sentences(corpus), default_gazetteer()
    text = "\n".join(sentences)
    casualties = [
        {"killed": 11, "injured": None, "victims_en": "fighters", "source_en": "SOHR"},
        {"killed": 6, "injured": None, "victims_en": "مقاتلين موالين", "source_en": "Reuters"},
    ]
    reports, notices = complete_casualties(_draft(casualties=casualties), [sentences[2]], text, gaz, event=1)
    assert [(r.killed, r.according_to, r.group_en) for r in reports] == [(6, None, None)]
    assert _codes(notices) == [
        ("casualties", "figure_not_in_sentences"),
        ("casualties", "source_not_named"),
        ("casualties", "not_english"),
    ]


def test_sources_the_article_never_names_are_dropped(corpus: Path) -> None:
    sentences, gaz = _sentences(corpus), default_gazetteer()
    reports, _ = complete_casualties(_draft(), [sentences[2]], "\n".join(sentences), gaz, event=1)
    according, notices = complete_sources(
        _draft(sources_en=["Reuters", "البنتاغون"]), reports, "\n".join(sentences), gaz, event=1
    )
    assert according == ["the Pentagon", "SOHR"]  # «البنتاغون» translated; Reuters never named
    assert _codes(notices) == [("sources", "source_not_named")]


def test_a_weapon_that_names_no_weapon_is_dropped() -> None:
    gaz = default_gazetteer()
    assert complete_weapon(_draft(weapon_en="drone"), gaz, event=1) == ("drone", [])
    weapon, notices = complete_weapon(_draft(weapon_en="Unidentified armed group"), gaz, event=1)
    assert weapon is None and _codes(notices) == [("weapon", "weapon_names_no_weapon")]
    weapon, notices = complete_weapon(_draft(weapon_en="أسلحة غريبة"), gaz, event=1)
    assert weapon is None and _codes(notices) == [("weapon", "not_english")]


def test_type_and_status_follow_the_cited_sentences(corpus: Path) -> None:
    sentences = _sentences(corpus)
    sub, notices = complete_type(_draft(sub_event_type="attack"), [sentences[0]], [], event=1)
    assert sub == "air_drone_strike" and _codes(notices) == [("type", "type_from_weapon_words")]
    assert complete_type(_draft(), [sentences[0]], [], event=1) == ("air_drone_strike", [])
    status, notices = complete_status(_draft(status="threatened"), [sentences[0]], event=1)
    assert status == "occurred" and _codes(notices) == [("status", "status_unsupported")]
    assert complete_status(_draft(), [sentences[0]], event=1) == ("occurred", [])
