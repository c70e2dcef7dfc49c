"""Merging events across outlets, on the corpus's real overlaps (hand-written fixture briefs, see
``tests/_digest_support.py``): 000 (Independent Arabia) and 002 (AFP) both report the 23 March 2023
drone attack near Hasakah and the US strikes of 23-24 March; 004 (Arabi Post) reports a 23 October 2023
attack on the al-Omar oil field, where 000 also has a 24 March 2023 rocket attack.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest
from _digest_support import CORPUS_000, CORPUS_002, CORPUS_004, load_brief

from summarizer.arabic.gazetteer import ENV_VAR, default_gazetteer, place_key
from summarizer.digest.merge import Incident, MergeResult, merge_incidents
from summarizer.inputs import read_article
from summarizer.schema import ArticleBrief, Event


class NoGazetteer:
    """Forces the name-only fallback, whatever gazetteer is installed."""

    def place(self, name: str) -> None:
        return None


@dataclass
class Place:
    name_en: str
    admin1_en: str | None


class FakeGazetteer:
    def __init__(self, names: dict[str, Place]):
        self.names = names

    def place(self, name: str) -> Place | None:
        return self.names.get(name)


OUTLETS = {CORPUS_000: "Independent Arabia", CORPUS_002: "AFP", CORPUS_004: "Arabi Post"}


def corpus_briefs(*stems: str) -> list[tuple[ArticleBrief, str]]:
    return [(load_brief(stem), OUTLETS[stem]) for stem in stems]


def merge(*stems: str) -> MergeResult:
    return merge_incidents(corpus_briefs(*stems), gazetteer=NoGazetteer())


def find(result: MergeResult, place: str, day: dt.date) -> list[Incident]:
    return [
        i
        for i in result.incidents
        if place_key(i.place_en) == place_key(place)
        and i.date_first is not None
        and i.date_first <= day <= (i.date_last or i.date_first)
    ]


def one(result: MergeResult, place: str, day: dt.date) -> Incident:
    found = find(result, place, day)
    assert len(found) == 1, [(i.place_en, i.date_first, i.outlets) for i in result.incidents]
    return found[0]


MARCH_23, MARCH_24, OCT_23 = dt.date(2023, 3, 23), dt.date(2023, 3, 24), dt.date(2023, 10, 23)


# --- the fixtures are what the articles say -----------------------------------------------------------


@pytest.mark.parametrize("stem", [CORPUS_000, CORPUS_002, CORPUS_004])
def test_fixture_briefs_are_faithful_to_the_corpus(stem: str, corpus: Path) -> None:
    article = read_article(corpus / f"{stem}.txt")
    brief = load_brief(stem)
    assert brief.meta.backend == "hand-written"
    assert brief.article.id == article.id, "the corpus text or its normalization changed: rewrite the fixture"
    assert [s.text for s in brief.article.sentences] == article.sentences()
    for event in brief.events:
        for quote in event.evidence:
            assert quote in article.text, f"evidence not verbatim in {stem}: {quote}"
    for summary in (brief.summary.en, brief.summary.ar):
        for kp in summary.key_points:
            assert all(1 <= n <= len(brief.article.sentences) for n in kp.sentences)


def test_fixture_figures_are_the_articles_figures() -> None:
    strikes_002 = next(e for e in load_brief(CORPUS_002).events if e.killed == 11)
    assert [(r.killed, r.according_to) for r in strikes_002.casualty_reports] == [(11, "SOHR")]
    strikes_000 = next(e for e in load_brief(CORPUS_000).events if e.weapon == "air strikes")
    assert sorted((r.killed, r.according_to) for r in strikes_000.casualty_reports if r.killed) == [
        (11, "Syrian Observatory for Human Rights"),
        (14, None),
    ]
    for stem in (CORPUS_000, CORPUS_002):
        drone = next(e for e in load_brief(stem).events if e.location.name_ar == "الحسكة")
        assert (drone.killed, drone.injured, drone.date.value) == (1, 6, MARCH_23)
        assert drone.casualty_reports[0].according_to == "Pentagon"


# --- the same incident merges ------------------------------------------------------------------------


def test_hasakah_drone_attack_merges_across_outlets() -> None:
    incident = one(merge(CORPUS_000, CORPUS_002, CORPUS_004), "Hasakah", MARCH_23)
    assert incident.merged
    assert sorted(incident.outlets) == ["AFP", "Independent Arabia"]
    assert (incident.killed, incident.injured) == (1, 6)
    assert [f.label() for f in incident.figures] == [
        "1 killed and 6 injured, Pentagon via Independent Arabia, AFP"
    ]
    assert incident.sub_event_types == ["air_drone_strike"]
    assert incident.attackers == ["Iran-aligned groups"]  # 002 names no attacker: unknown is compatible
    quotes = {q.text: q.outlets for q in incident.evidence}
    assert len(quotes) == 4
    assert quotes["والقتيل مقاول أمريكي ، والمصابين خمسة جنود ومقاول آخر أمريكي ، بحسب المصدر ذاته."] == [
        "AFP"
    ]
    assert any("قرب الحسكة" in q and o == ["Independent Arabia"] for q, o in quotes.items())


def test_us_strikes_merge_across_adjacent_days_with_every_figure() -> None:
    incident = one(merge(CORPUS_000, CORPUS_002, CORPUS_004), "Deir ez-Zor", MARCH_24)
    assert (incident.date_first, incident.date_last) == (MARCH_23, MARCH_24)
    assert sorted(incident.outlets) == ["AFP", "Independent Arabia"]
    assert incident.killed == 11  # the lowest figure is the headline
    assert [f.label() for f in incident.figures] == [
        "11 killed, SOHR via AFP, Independent Arabia",  # "SOHR" and its full name are one source
        "14 killed, Independent Arabia",
    ]
    assert len(incident.evidence) == 6
    assert {o for q in incident.evidence for o in q.outlets} == {"AFP", "Independent Arabia"}


def test_the_corpus_gives_five_incidents_two_of_them_merged() -> None:
    result = merge(CORPUS_000, CORPUS_002, CORPUS_004)
    assert len(result.incidents) == 5
    assert sum(i.merged for i in result.incidents) == 2
    assert all(e.event_type != "statement" for i in result.incidents for e in (r.event for r in i.reports))


def test_merging_holds_with_the_installed_gazetteer() -> None:
    result = merge_incidents(corpus_briefs(CORPUS_000, CORPUS_002, CORPUS_004))  # default gazetteer, if any
    merged = sorted((i.date_first, sorted(i.outlets)) for i in result.incidents if i.merged)
    assert merged == [(MARCH_23, ["AFP", "Independent Arabia"])] * 2
    assert len(result.incidents) == 5


def test_a_gazetteer_that_fails_to_load_leaves_names_and_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A broken user gazetteer does not stop the digest: places and actors are compared by name, as
    with no gazetteer at all, and the result's warnings say why."""
    broken = tmp_path / "gazetteer.json"
    broken.write_text("{not json", encoding="utf-8")
    monkeypatch.setenv(ENV_VAR, str(broken))
    default_gazetteer.cache_clear()
    try:
        result = merge_incidents(corpus_briefs(CORPUS_000, CORPUS_002, CORPUS_004))
    finally:
        default_gazetteer.cache_clear()
    assert len(result.warnings) == 1
    assert result.warnings[0].startswith("gazetteer failed to load (ConfigError: ")
    by_name = merge(CORPUS_000, CORPUS_002, CORPUS_004)
    assert result.incidents == by_name.incidents
    assert result.statements == by_name.statements


# --- different incidents stay apart ------------------------------------------------------------------


def test_same_base_on_different_days_stays_apart() -> None:
    result = merge(CORPUS_000, CORPUS_004)
    march, october = one(result, "al-Omar oil field", MARCH_24), one(result, "al-Omar oil field", OCT_23)
    assert place_key(march.place_en) == place_key(october.place_en) == "omaroilfield"  # same base
    assert march is not october and not march.merged and not october.merged


def _with_event(brief: ArticleBrief, index: int, **changes: object) -> ArticleBrief:
    events = list(brief.events)
    events[index] = events[index].model_copy(update=changes)
    return brief.model_copy(update={"events": events})


def _omar_index(brief: ArticleBrief) -> int:
    return next(
        i
        for i, e in enumerate(brief.events)
        if place_key(e.location.name_en) == "omaroilfield" and e.event_type != "statement"
    )


@pytest.mark.parametrize(("day", "merged"), [(dt.date(2023, 3, 25), True), (dt.date(2023, 3, 26), False)])
def test_it_is_the_day_that_keeps_the_al_omar_attacks_apart(day: dt.date, merged: bool) -> None:
    """Moved next to the March attack, 004's event would merge with it; two days away it would not."""
    b004 = load_brief(CORPUS_004)
    i = _omar_index(b004)
    moved = _with_event(b004, i, date=b004.events[i].date.model_copy(update={"value": day}))
    result = merge_incidents(
        [(load_brief(CORPUS_000), "Independent Arabia"), (moved, "Arabi Post")], gazetteer=NoGazetteer()
    )
    omar = [inc for inc in result.incidents if place_key(inc.place_en) == "omaroilfield"]
    assert len(omar) == (1 if merged else 2)


def test_rocket_attack_is_not_merged_with_the_strikes_of_the_same_day() -> None:
    """Same day and, once placed at governorate level, the same area: the attackers are reversed."""
    b000 = load_brief(CORPUS_000)
    rockets = b000.events[_omar_index(b000)]
    regional = rockets.location.model_copy(update={"name_en": "Deir ez-Zor", "precision": 3})
    only_rockets = b000.model_copy(update={"events": [rockets.model_copy(update={"location": regional})]})
    result = merge_incidents(
        [(only_rockets, "Independent Arabia"), (load_brief(CORPUS_002), "AFP")], gazetteer=NoGazetteer()
    )
    assert not any(i.merged for i in result.incidents)
    # the same pair with the attackers of the strikes would merge: it is the actors that keep them apart
    strikes_002 = load_brief(CORPUS_002).events[1]
    same_sides = only_rockets.events[0].model_copy(update={"actors": strikes_002.actors})
    result = merge_incidents(
        [
            (only_rockets.model_copy(update={"events": [same_sides]}), "Independent Arabia"),
            (load_brief(CORPUS_002), "AFP"),
        ],
        gazetteer=NoGazetteer(),
    )
    assert sum(i.merged for i in result.incidents) == 1


def test_events_of_one_article_are_never_merged_together() -> None:
    b002 = load_brief(CORPUS_002)
    doubled = b002.model_copy(update={"events": [b002.events[0], b002.events[0]]})
    result = merge_incidents([(doubled, "AFP")], gazetteer=NoGazetteer())
    assert len(result.incidents) == 2


def test_an_event_without_a_date_is_never_merged() -> None:
    b000, b002 = load_brief(CORPUS_000), load_brief(CORPUS_002)
    undated = _with_event(b002, 0, date=b002.events[0].date.model_copy(update={"value": None}))
    result = merge_incidents([(b000, "Independent Arabia"), (undated, "AFP")], gazetteer=NoGazetteer())
    assert not any(i.merged and "Hasakah" in (i.place_en or "") for i in result.incidents)


def test_a_threat_is_not_merged_with_an_attack_that_occurred() -> None:
    b000, b002 = load_brief(CORPUS_000), load_brief(CORPUS_002)
    threatened = _with_event(b002, 0, status="threatened")
    result = merge_incidents([(b000, "Independent Arabia"), (threatened, "AFP")], gazetteer=NoGazetteer())
    assert len(find(result, "Hasakah", MARCH_23)) == 2


def test_complete_linkage_does_not_chain_three_days() -> None:
    """Day 1, 2 and 3 at one place: 1~2 and 2~3, but 1 and 3 are two days apart, so no single incident."""
    base = load_brief(CORPUS_002)
    briefs = []
    for n, day in enumerate((22, 23, 24)):
        event: Event = base.events[0]
        event = event.model_copy(
            update={"date": event.date.model_copy(update={"value": dt.date(2023, 3, day)})}
        )
        brief = base.model_copy(
            update={"events": [event], "article": base.article.model_copy(update={"id": f"a{n}"})}
        )
        briefs.append((brief, f"Outlet {n}"))
    result = merge_incidents(briefs, gazetteer=NoGazetteer())
    assert len(result.incidents) == 2
    assert all(len(i.outlets) <= 2 for i in result.incidents)


def test_battles_match_with_sides_swapped() -> None:
    base = load_brief(CORPUS_002).events[1]  # the strikes: US forces -> pro-Iran fighters
    clash = base.model_copy(update={"event_type": "battles", "sub_event_type": "armed_clash"})
    swapped = clash.model_copy(
        update={
            "actors": [
                a.model_copy(update={"role": "target" if a.role == "actor" else "actor"})
                for a in clash.actors
            ]
        }
    )
    b1 = load_brief(CORPUS_002).model_copy(update={"events": [clash]})
    b2 = load_brief(CORPUS_000).model_copy(update={"events": [swapped]})
    assert len(merge_incidents([(b1, "AFP"), (b2, "IA")], gazetteer=NoGazetteer()).incidents) == 1
    # an air strike has a direction: the same swap keeps them apart
    strike_swapped = base.model_copy(update={"actors": swapped.actors})
    b3 = load_brief(CORPUS_000).model_copy(update={"events": [strike_swapped]})
    b4 = load_brief(CORPUS_002).model_copy(update={"events": [base]})
    assert len(merge_incidents([(b4, "AFP"), (b3, "IA")], gazetteer=NoGazetteer()).incidents) == 2


# --- gazetteer and names -----------------------------------------------------------------------------


def test_the_gazetteer_normalizes_places_before_matching() -> None:
    b002 = load_brief(CORPUS_002)
    loc = b002.events[1].location.model_copy(update={"name_en": "Dayr al-Zawr", "admin1_en": None})
    respelled = _with_event(b002, 1, location=loc)
    pair = [(load_brief(CORPUS_000), "Independent Arabia"), (respelled, "AFP")]
    assert not find(merge_incidents(pair, gazetteer=NoGazetteer()), "Deir ez-Zor", MARCH_24)[0].merged
    gazetteer = FakeGazetteer({"Dayr al-Zawr": Place("Deir ez-Zor", "Deir ez-Zor")})
    assert one(merge_incidents(pair, gazetteer=gazetteer), "Deir ez-Zor", MARCH_24).merged


def test_conflicting_governorates_never_match() -> None:
    b002 = load_brief(CORPUS_002)
    loc = b002.events[0].location.model_copy(update={"admin1_en": "Raqqa"})
    result = merge_incidents(
        [(load_brief(CORPUS_000), "IA"), (_with_event(b002, 0, location=loc), "AFP")], gazetteer=NoGazetteer()
    )
    assert len(find(result, "Hasakah", MARCH_23)) == 2


def test_events_placed_only_at_a_country_do_not_merge() -> None:
    """«في سوريا» and «في سوريا» say nothing about one place: the 1.5B model places vague events there."""
    b000, b002 = load_brief(CORPUS_000), load_brief(CORPUS_002)
    syria = b002.events[0].location.model_copy(
        update={
            "name_en": "Syria",
            "name_ar": "سوريا",
            "admin1_en": None,
            "country_en": "Syria",
            "precision": 3,
        }
    )
    i000 = next(i for i, e in enumerate(b000.events) if e.location.name_en == "Hasakah")
    pair = [(_with_event(b000, i000, location=syria), "IA"), (_with_event(b002, 0, location=syria), "AFP")]
    for gazetteer in (NoGazetteer(), None):
        result = merge_incidents(pair, gazetteer=gazetteer)
        at_syria = [
            inc for inc in result.incidents if any(r.event.location.name_en == "Syria" for r in inc.reports)
        ]
        assert len(at_syria) == 2 and not any(inc.merged for inc in at_syria)


# --- statements ---------------------------------------------------------------------------------------


def test_statements_are_grouped_by_speaker_across_outlets() -> None:
    result = merge(CORPUS_000, CORPUS_002, CORPUS_004)
    groups = {g.speaker: g for g in result.statements}
    assert set(groups) == {
        "Lloyd Austin",
        "Joe Biden",
        "Iranian Advisory Center in Syria",
        "Islamic Resistance in Iraq",
    }
    austin = groups["Lloyd Austin"]
    assert len(austin.statements) == 3
    assert {r.outlet for r in austin.statements} == {"AFP", "Independent Arabia"}
    dates = [r.event.date.value for r in austin.statements]
    assert dates == [MARCH_23, MARCH_23, MARCH_24]
    assert groups["Lloyd Austin"].speaker_ar == "لويد أوستن"


def test_a_statement_without_an_actor_is_grouped_by_its_source() -> None:
    b000 = load_brief(CORPUS_000)
    i = next(i for i, e in enumerate(b000.events) if e.event_type == "statement" and e.according_to)
    anonymous = _with_event(b000, i, actors=[])
    groups = {g.speaker for g in merge_incidents([(anonymous, "IA")], gazetteer=NoGazetteer()).statements}
    assert "Pentagon" in groups
