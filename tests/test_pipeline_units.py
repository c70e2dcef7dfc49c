"""Pipeline pieces that need no model: partial answers, event grounding, context fitting."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

from summarizer.brief.pipeline import _complete_event, _draft_error, _partial_events, _Run
from summarizer.brief.steps import EventDraft, StepContext
from summarizer.inputs import read_article


def _codes(run: _Run) -> list[str]:
    """The codes of the completers' notices, in order."""
    return [n.code for n in run.notices]


def _run(corpus: Path) -> tuple[_Run, StepContext]:
    article = read_article(corpus / "002_d47aa0b70ac3c6f1.txt", published=dt.date(2023, 3, 24))
    sentences = article.sentences()
    return _Run(article=article, sentences=sentences), StepContext(
        sentences=sentences, text="\n".join(sentences)
    )


DRAFT = {
    "english_summary": "US strikes hit a weapons depot in Deir ez-Zor, killing six pro-Iran fighters.",
    "sentence_numbers": [3],
    "sub_event_type": "air_drone_strike",
    "status": "occurred",
    "date_words_ar": "ليل الخميس والجمعة",
    "place_words_ar": "دير الزور",
    "place_en": "Deir al-Zour",
    "actors": [
        {"english_name": "US forces", "arabic_name": "القوات الأمريكية", "role": "actor", "sector": "MIL"},
        {"english_name": "pro-Iran fighters", "arabic_name": None, "role": "target", "sector": "IMG"},
    ],
    "weapon_en": "aircraft",
    "casualties": [{"killed": 6, "injured": None, "victims_en": "pro-Iran fighters", "source_en": "SOHR"}],
    "sources_en": ["Syrian Observatory for Human Rights"],
}


def test_partial_answer_keeps_complete_events_only() -> None:
    import json

    full = json.dumps({"events": [DRAFT, DRAFT]}, ensure_ascii=False)
    assert len(_partial_events(full)) == 2
    cut = full[: full.rindex('"sources_en"')]
    assert len(_partial_events(cut)) == 1
    assert _partial_events("not json") == []
    assert _partial_events(None) == []


def test_a_grounded_draft_becomes_a_complete_event(corpus: Path) -> None:
    run, ctx = _run(corpus)
    assert _draft_error(DRAFT, ctx) is None
    event = _complete_event(EventDraft.model_validate(DRAFT), 1, run)
    assert event is not None
    assert event.evidence == [run.sentences[2]]
    assert event.location.name_en == "Deir ez-Zor" and event.location.country_en == "Syria"
    assert event.date.value == dt.date(2023, 3, 23) and event.date.phrase_ar == "ليل الخميس والجمعة"
    assert event.killed == 6 and event.casualty_reports[0].according_to == "SOHR"
    assert any(a.name_en and a.role == "actor" for a in event.actors)


def test_invented_place_number_and_citation_are_caught(corpus: Path) -> None:
    _, ctx = _run(corpus)
    assert "does not occur in the article" in (_draft_error({**DRAFT, "place_words_ar": "حلب"}, ctx) or "")
    bad_figure = {
        **DRAFT,
        "casualties": [{"killed": 37, "injured": None, "victims_en": None, "source_en": None}],
    }
    assert "not a figure the article gives" in (_draft_error(bad_figure, ctx) or "")
    assert "sentences 1 to" in (_draft_error({**DRAFT, "sentence_numbers": [99]}, ctx) or "")
    arabic_in_english = {**DRAFT, "english_summary": "قتل 11 مقاتلاً موالياً لإيران"}
    assert "English" in (_draft_error(arabic_in_english, ctx) or "")


def test_lowest_figure_is_the_headline(corpus: Path) -> None:
    run, _ = _run(corpus)
    draft = {
        **DRAFT,
        "sentence_numbers": [1, 3],  # 11 killed in all (sentence 1), six at the depot (sentence 3)
        "casualties": [
            {"killed": 11, "injured": None, "victims_en": "fighters", "source_en": "SOHR"},
            {"killed": 6, "injured": None, "victims_en": "fighters", "source_en": "SOHR"},
        ],
    }
    event = _complete_event(EventDraft.model_validate(draft), 1, run)
    assert event is not None and event.killed == 6 and len(event.casualty_reports) == 2


def test_figures_must_be_in_the_cited_sentences(corpus: Path) -> None:
    """11 is in the article (sentence 1) but not in the sentence this event cites: dropped, said."""
    run, _ = _run(corpus)
    draft = {
        **DRAFT,
        "casualties": [
            {"killed": 11, "injured": 0, "victims_en": "fighters", "source_en": "SOHR"},
            {"killed": 6, "injured": None, "victims_en": "fighters", "source_en": "SOHR"},
        ],
    }
    event = _complete_event(EventDraft.model_validate(draft), 1, run)
    assert event is not None and event.killed == 6 and event.injured is None
    assert [(r.killed, r.injured) for r in event.casualty_reports] == [(6, None)]
    assert [(n.event, n.field, n.code) for n in run.notices] == [
        (1, "casualties", "figure_not_in_sentences"),
        (1, "casualties", "figure_not_in_sentences"),
    ]
    # meta.warnings is the notices' text, in order
    assert run.warnings == [n.text for n in run.notices]
    assert run.warnings == [
        "event 1: killed=11 not in the cited sentences; left unknown",
        "event 1: injured=0 not in the cited sentences; left unknown",
    ]


def test_event_completed_from_its_cited_sentences(corpus: Path) -> None:
    """No date, a country for a place, the wrong type, an unnamed outlet: the cited sentence decides."""
    run, _ = _run(corpus)
    draft = {
        **DRAFT,
        "sentence_numbers": [1, 3],
        "sub_event_type": "attack",
        "date_words_ar": None,
        "place_words_ar": "سوريا",
        "place_en": "Syria",
        "sources_en": ["Reuters", "Syrian Observatory for Human Rights"],
        "actors": [
            {"english_name": "American marines", "arabic_name": None, "role": "actor", "sector": "CVL"},
        ],
    }
    event = _complete_event(EventDraft.model_validate(draft), 1, run)
    assert event is not None
    assert event.date.value == dt.date(2023, 3, 23) and event.date.phrase_ar == "ليل الخميس والجمعة"
    assert event.location.name_en == "Deir ez-Zor"  # «بلدة دير الزور» in the cited sentence
    assert (event.event_type, event.sub_event_type) == ("explosions_remote_violence", "air_drone_strike")
    assert "Reuters" not in event.according_to and "SOHR" in event.according_to
    assert [a.sector for a in event.actors] == ["MIL"]
    said = {(n.field, n.code) for n in run.notices}
    for notice in (
        ("date", "date_from_sentences"),
        ("place", "place_from_sentences"),
        ("type", "type_from_weapon_words"),
        ("sources", "source_not_named"),
        ("actors", "actor_sector_corrected"),
    ):
        assert notice in said, notice


def test_repeated_events_are_dropped(corpus: Path) -> None:
    from summarizer.brief.pipeline import _dedupe

    run, _ = _run(corpus)
    drafts = [EventDraft.model_validate(DRAFT)] * 3
    assert len(_dedupe(drafts, run)) == 1
    assert sum("duplicate event dropped" in w for w in run.warnings) == 2


def test_numbered_repeats_are_dropped_and_arabic_in_english_fields_is_translated_or_dropped(
    corpus: Path,
) -> None:
    from summarizer.brief.pipeline import _dedupe

    run, _ = _run(corpus)
    first = EventDraft.model_validate({**DRAFT, "english_summary": "1. US strikes hit a depot."})
    second = EventDraft.model_validate({**DRAFT, "english_summary": "2. US strikes hit a depot."})
    assert len(_dedupe([first, second], run)) == 1
    arabic_fields = {
        **DRAFT,
        "sources_en": ["البنتاغون"],
        "casualties": [{"killed": 6, "injured": None, "victims_en": "مقاتلين موالين", "source_en": "SOHR"}],
    }
    event = _complete_event(EventDraft.model_validate(arabic_fields), 1, run)
    assert event is not None
    assert "Pentagon" in " ".join(event.according_to)
    assert event.casualty_reports[0].group_en is None
    assert any((n.field, n.code) == ("casualties", "not_english") for n in run.notices)


def test_invented_dates_places_and_figures_are_cleared_not_the_event(corpus: Path) -> None:
    from summarizer.brief.pipeline import _grounded_draft

    _, ctx = _run(corpus)
    salvaged = _grounded_draft({**DRAFT, "date_words_ar": "السبت والجمعة"}, ctx)
    assert salvaged is not None
    draft, cleared = salvaged
    assert draft.date_words_ar is None and draft.place_words_ar == "دير الزور"
    assert cleared == ["date_words_ar 'السبت والجمعة'"]
    # a place the article does not name goes, with its English translation
    draft, cleared = _grounded_draft({**DRAFT, "place_words_ar": "في southern part of Dier Zor"}, ctx) or (
        None,
        [],
    )
    assert draft is not None and draft.place_words_ar is None and draft.place_en is None
    # figures the article does not give go; a casualty entry with no figure left goes with them
    two = [
        {"killed": 37, "injured": 14, "victims_en": None, "source_en": None},
        {"killed": 6, "injured": 29, "victims_en": "pro-Iran fighters", "source_en": "SOHR"},
    ]
    draft, cleared = _grounded_draft({**DRAFT, "casualties": two}, ctx) or (None, [])
    assert draft is not None and cleared == ["killed=37", "injured=14", "injured=29"]
    assert [(c.killed, c.injured) for c in draft.casualties] == [(6, None)]
    # nothing removable (a wrong sentence number): not salvaged here, it goes back to the model
    assert _grounded_draft({**DRAFT, "sentence_numbers": [99]}, ctx) is None
    assert _grounded_draft(DRAFT, ctx) is None


def test_a_repeated_event_ends_the_events_answer() -> None:
    from summarizer.brief.pipeline import repeated_event_guard

    head = '{"events": [{"english_summary": "1. US strikes hit Deir ez-Zor", "x": 1}'
    repeat = ', {"english_summary": "2. us strikes hit Deir ez-Zor"'
    assert repeated_event_guard(head + repeat) == head + "]}"
    assert repeated_event_guard(head + repeat + ', "sentence') == head + "]}"
    assert repeated_event_guard(head + ', {"english_summary": "2. us strikes hit Deir ez') is None
    other = ', {"english_summary": "A drone hit a base near Hasakah"'
    assert repeated_event_guard(head + other) is None
    assert repeated_event_guard(head) is None


def test_event_windows_cover_the_sentences_that_report_events(corpus: Path) -> None:
    from summarizer.brief.pipeline import event_windows
    from summarizer.inputs import read_article

    sentences = read_article(corpus / "002_d47aa0b70ac3c6f1.txt").sentences()
    windows = event_windows(sentences)
    assert windows and all(1 <= a <= b <= len(sentences) and b - a < 5 for a, b in windows)
    assert all(b1 < a2 for (_, b1), (a2, _) in itertools.pairwise(windows))
    covered = {i for a, b in windows for i in range(a, b + 1)}
    for i, s in enumerate(sentences, 1):
        if "مقاول" in s or "غارات" in s:  # the contractor killed; the air strikes
            assert i in covered, s
    assert event_windows(["الطقس جميل اليوم.", "افتتح معرض للكتاب."]) == []


def test_the_same_incident_from_two_windows_is_kept_once(corpus: Path) -> None:
    from summarizer.brief.pipeline import _dedupe, _incident_key

    run, _ = _run(corpus)
    first = EventDraft.model_validate(DRAFT)
    again = EventDraft.model_validate(
        {**DRAFT, "english_summary": "US jets bombed a depot.", "place_en": None}
    )
    elsewhere = EventDraft.model_validate({**DRAFT, "place_words_ar": None, "place_en": None})
    kept = _dedupe([first, again, elsewhere], run, key=_incident_key)
    assert kept == [first, elsewhere]


def test_a_status_needs_its_words_in_the_cited_sentences(corpus: Path) -> None:
    from summarizer.brief.grounding import checked_status as _checked_status

    strike = "قُتل 11 مقاتلاً موالياً لإيران في غارات جوية أمريكية شرقي سوريا ليل الخميس والجمعة"
    assert _checked_status("threatened", [strike]) == "occurred"
    assert _checked_status("claimed", [strike]) == "occurred"
    assert _checked_status("occurred", [strike]) is None
    threat = "وقال بايدن إن الولايات المتحدة ستتخذ جميع الإجراءات وهدد بالرد"
    assert _checked_status("threatened", [threat]) is None
    claim = "وأعلنت المقاومة الإسلامية في العراق مسؤوليتها عن الهجوم"
    assert _checked_status("claimed", [claim]) is None
    assert _checked_status("denied", ["ونفت إيران أي علاقة لها بالهجوم"]) is None

    run, _ = _run(corpus)
    event = _complete_event(EventDraft.model_validate({**DRAFT, "status": "threatened"}), 1, run)
    assert event is not None and event.status == "occurred"
    assert _codes(run) == ["status_unsupported"]


def test_date_words_that_name_no_time_are_left_unknown(corpus: Path) -> None:
    from summarizer.brief.grounding import names_a_time

    assert names_a_time("ليل الخميس والجمعة") and names_a_time("في أغسطس / آب 2022") and names_a_time("أمس")
    assert not names_a_time("في غارات جوية أمريكية شرقي سوريا")
    run, _ = _run(corpus)
    draft = EventDraft.model_validate({**DRAFT, "date_words_ar": "في غارات جوية أمريكية شرقي سوريا"})
    event = _complete_event(draft, 1, run)
    assert event is not None and event.date.value is None and event.date.phrase_ar is None
    assert "date_names_no_time" in _codes(run)


def test_a_copied_publication_date_is_not_the_events_date(corpus: Path) -> None:
    """Recorded on 003: the model wrote the publication date it was given («2021-06-28») as the date words;
    the article does not say it, so the date comes from the cited sentences or stays unknown."""
    run, _ = _run(corpus)
    draft = {**DRAFT, "sentence_numbers": [3], "date_words_ar": "2023-03-24"}
    event = _complete_event(EventDraft.model_validate(draft), 1, run)
    assert event is not None and event.date.value is None and event.date.phrase_ar is None
    assert _codes(run)[0] == "date_not_in_article"


def test_a_place_the_cited_sentences_do_not_name_is_cited_widened_or_left_unknown() -> None:
    # gold w14 and w18, written for the tests (not real reporting)
    folder = Path(__file__).parents[1] / "gold" / "articles"
    draft = {
        "english_summary": "An attack.",
        "sub_event_type": "air_drone_strike",
        "status": "claimed",
        "date_words_ar": None,
        "place_words_ar": None,
        "actors": [],
        "weapon_en": "drone",
        "casualties": [],
        "sources_en": [],
    }

    def complete(name: str, sentence: int, place_en: str) -> tuple[list[int], str | None, list[str]]:
        article = read_article(folder / name, published=dt.date(2024, 1, 14))
        sentences = article.sentences()
        run = _Run(article=article, sentences=sentences)
        answer = {**draft, "sentence_numbers": [sentence], "place_en": place_en}
        event = _complete_event(EventDraft.model_validate(answer), 1, run)
        assert event is not None
        return [sentences.index(e) + 1 for e in event.evidence], event.location.name_en, _codes(run)

    # the claim (sentence 2) of the drone downed near the airport named in sentence 1: that is cited too
    cited, place, codes = complete("w14_erbil_drone_downed.txt", 2, "Erbil International Airport")
    assert (cited, place) == ([2, 1], "Erbil International Airport")
    assert "place_cites_sentence" in codes
    # neither Jazan nor Saudi Arabia is named: no place is shown
    cited, place, codes = complete("w14_erbil_drone_downed.txt", 2, "Jazan")
    assert (cited, place) == ([2], None)
    assert "place_not_named" in codes
    # the daily exchanges (sentence 5) "in South Lebanon", a name the article never gives; «من لبنان»
    # (sentence 3) names the country that holds it
    cited, place, codes = complete("w18_lebanon_border_exchanges.txt", 5, "South Lebanon")
    assert (cited, place) == ([5, 3], "Lebanon")
    assert "place_widened_to_country" in codes
