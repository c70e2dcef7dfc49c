"""Quality evaluation: the gold set, the scoring on hand-written briefs, ``evaluate`` and ``summarizer eval``.

No model runs here: briefs are built from the gold files themselves (a "perfect" brief), taken from
``tests/data/briefs`` (written by hand), or served from a seeded cache.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from test_dates import FRIDAY, MONDAY_2021, MONDAY_2023

from summarizer.api import Briefer
from summarizer.arabic.gazetteer import default_gazetteer
from summarizer.arabic.normalize import normalize_ar
from summarizer.config import resolve_settings
from summarizer.errors import ConfigError
from summarizer.evaluation import (
    FIELDS,
    GoldArticle,
    GoldError,
    _ar_words,
    _assign,
    _en_words,
    article_path,
    evaluate,
    fact_covered,
    format_report,
    load_gold,
    load_gold_dir,
    score,
)
from summarizer.inputs import read_article
from summarizer.replay import RECORDED, corpus_published
from summarizer.schema import (
    Actor,
    ArabicSummary,
    ArticleBrief,
    ArticleInfo,
    CasualtyReport,
    EnglishSummary,
    Event,
    EventDate,
    KeyPoint,
    Location,
    Meta,
    Sentence,
    Summaries,
)

GOLD = ROOT / "gold"
#: The articles written for the tests (gold/articles/README.md), kept with the gold set.
WRITTEN = GOLD / "articles"
BRIEFS = Path(__file__).resolve().parent / "data" / "briefs"
DOWN = ["--base-url", "http://127.0.0.1:9/v1", "--model", "test-model"]
A002 = "002_d47aa0b70ac3c6f1"

#: Gold actors the gazetteer does not list (the article names them only descriptively).
NOT_IN_GAZETTEER = {"pro-US fighters"}


# --- helpers ----------------------------------------------------------------------------------------------


def gold_of(stem: str) -> GoldArticle:
    return load_gold(GOLD / f"{stem}.json")


def gold_stems() -> list[str]:
    return sorted(p.stem for p in GOLD.glob("*.json"))


def article_text(corpus: Path, gold: GoldArticle) -> str:
    path = article_path(GOLD / f"{Path(gold.article).stem}.json", gold, corpus)
    return read_article(path, published=gold.published).text


def _phrase(concepts: list[list[str]]) -> str:
    return " ".join(alternatives[0] for alternatives in concepts)


def perfect_brief(gold: GoldArticle, text: str, *, drop_facts_en: tuple[str, ...] = ()) -> ArticleBrief:
    """A brief that says exactly what the gold says: every event, every key fact, verbatim evidence."""
    gaz = default_gazetteer()
    events = []
    for g in gold.events:
        location = Location()
        if g.place is not None and g.place.name_en:
            found = gaz.place(g.place.name_en)
            assert found is not None, g.place.name_en
            location = found.to_location(g.place.name_ar)
        actors = []
        for a in g.actors:
            entry = gaz.actor(a.name_en)
            role = a.role or "actor"
            actors.append(
                entry.to_actor(role) if entry else Actor(name_en=a.name_en, role=role, sector="OTHER")
            )
        date = g.date[0] if g.date else None
        value = dt.date.fromisoformat(date if len(date) == 10 else date + "-01") if date else None
        events.append(
            Event(
                event_type=g.event_type,
                sub_event_type=g.sub_event_type[0],
                status=g.status[0],
                date=EventDate(value=value, precision="day" if value else "unknown"),
                location=location,
                actors=actors,
                killed=g.killed[0] if g.killed else None,
                injured=g.injured[0] if g.injured else None,
                casualty_reports=[
                    CasualtyReport(
                        killed=r.killed, injured=r.injured, group_en=r.group, according_to=r.according_to
                    )
                    for r in g.casualty_reports
                ],
                according_to=g.according_to,
                description_en=f"The gold event {g.id}.",
                description_ar="حدث من المجموعة الذهبية",
                evidence=g.evidence,
            )
        )
    en = [_phrase(f.en) for f in gold.key_facts if f.id not in drop_facts_en]
    ar = [_phrase(f.ar) for f in gold.key_facts]
    en_points = [
        KeyPoint(text=t, sentences=[1]) for t in (en + ["filler point"] * 3)[: max(3, min(6, len(en)))]
    ]
    ar_points = [
        KeyPoint(text=t, sentences=[1]) for t in (ar + ["نقطة إضافية"] * 3)[: max(3, min(6, len(ar)))]
    ]
    return ArticleBrief(
        article=ArticleInfo(id="test", published=gold.published, sentences=[Sentence(id=1, text=text)]),
        summary=Summaries(
            en=EnglishSummary(
                headline="A gold brief", text="Summary: " + "; ".join(en), key_points=en_points
            ),
            ar=ArabicSummary(headline="موجز ذهبي", text="الموجز: " + "؛ ".join(ar), key_points=ar_points),
        ),
        events=events,
        meta=Meta(
            backend="test",
            model="gold",
            prompt_version="test",
            created=dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc),
            elapsed_s=1.5,
        ),
    )


def event_index(brief: ArticleBrief, gold: GoldArticle, gold_id: str) -> int:
    """Index in the perfect brief of the event made from gold event ``gold_id``."""
    return [e.id for e in gold.events].index(gold_id)


def assert_perfect(s: object) -> None:
    from summarizer.evaluation import ArticleScore

    assert isinstance(s, ArticleScore)
    assert s.schema_valid and s.error is None
    # A story without events (no violence) has nothing to match: no precision, no recall.
    assert s.precision.value == (1.0 if s.precision.total else None)
    assert s.recall.value == (1.0 if s.recall.total else None)
    for name, ratio in s.fields.items():
        assert ratio.value in (None, 1.0), (name, ratio)
    assert s.facts_en.value == 1.0 and s.facts_ar.value == 1.0
    assert s.grounded.value == (1.0 if s.grounded.total else None)
    assert not s.missed_events and not s.extra_events and not s.ungrounded_evidence


# --- the gold set (guards the files under gold/) -----------------------------------------------------------


def test_every_gold_file_loads_and_names_its_corpus_article(corpus: Path) -> None:
    golds = [(p, g) for p, g in load_gold_dir(GOLD) if not g.article.startswith("articles/")]
    # every article of the corpus has its gold file (the replays take its publication date from it)
    articles = sorted(p.name for p in corpus.glob("*.txt"))
    assert len(articles) >= 4 and set(RECORDED) <= set(articles)
    assert [p.name for p, _ in golds] == [name.replace(".txt", ".json") for name in articles]
    assert sorted(corpus_published()) == articles
    for path, gold in golds:
        name = Path(gold.article).name
        assert corpus_published()[name] == gold.published, path
        assert gold.split == "tune", path
        assert article_path(path, gold, corpus) == corpus / name
        assert gold.required_events and len(gold.key_facts) >= 3, path
        if (ROOT.parent / "shared" / "corpus").is_dir():
            assert article_path(path, gold).resolve() == (ROOT.parent / "shared" / "corpus" / name).resolve()


def test_the_corpus_dates_are_the_days_the_articles_imply(corpus: Path) -> None:
    """The publication dates in gold/ (which the replays brief the corpus with) are the days the
    articles' own words resolve against: tests/test_dates.py reads «ليل الخميس والجمعة», «صباح الجمعة»
    in 000 and 002 from Friday 24 March 2023, 003 and 004 from a Monday, and checks those weekdays.
    An article that prints its own date («تم النشر: 2023/10/23», 004) agrees with its gold file."""
    assert corpus_published() == {
        "000_8449cddc9f5e7774.txt": FRIDAY,
        "002_d47aa0b70ac3c6f1.txt": FRIDAY,
        "003_1aacc9b910f4f0d9.txt": MONDAY_2021,
        "004_acd604f23db3c241.txt": MONDAY_2023,
    }
    stated = {name: read_article(corpus / name).published for name in corpus_published()}
    assert stated["004_acd604f23db3c241.txt"] == MONDAY_2023
    assert all(day is None or day == corpus_published()[name] for name, day in stated.items())


def test_the_written_articles_have_gold_files_kept_with_the_gold_set(corpus: Path) -> None:
    # The articles written for the tests live in gold/articles/, each with its gold file in gold/.
    written = sorted(p.name for p in WRITTEN.glob("*.txt"))
    assert len(written) >= 9 and (WRITTEN / "README.md").is_file()
    golds = {
        Path(g.article).name: (p, g) for p, g in load_gold_dir(GOLD) if g.article.startswith("articles/")
    }
    assert sorted(golds) == written
    assert len(load_gold_dir(GOLD)) >= 13
    for name, (path, gold) in golds.items():
        assert gold.article == f"articles/{name}", path
        # Found relative to the gold file, and with --corpus too (the corpus does not hold them).
        assert article_path(path, gold) == WRITTEN / name
        assert article_path(path, gold, corpus) == WRITTEN / name
        assert len(gold.key_facts) >= 3, path
        text = (WRITTEN / name).read_text(encoding="utf-8")
        assert text.endswith("\n") and "\r" not in text and text.strip(), name


def test_the_gold_set_covers_no_violence_short_items_and_several_incidents() -> None:
    golds = dict(load_gold_dir(GOLD))
    quiet = {p.name for p, g in golds.items() if not g.events}
    assert len(quiet) >= 2
    short = {p.name for p, g in golds.items() if len(read_article(article_path(p, g)).sentences()) <= 2}
    assert len(short) >= 2
    several_days = {
        p.name for p, g in golds.items() if len({e.date[0] for e in g.required_events if e.date}) >= 3
    }
    assert several_days
    downed = [e for g in golds.values() for e in g.events if e.sub_event_type[0] == "disrupted_weapons_use"]
    assert any(e.killed == [None, 0] for e in downed)
    statuses = {s for g in golds.values() for e in g.events for s in e.status}
    assert {"claimed", "denied"} <= statuses
    # The held-out split: about a third of the written articles, with each kind of story in it.
    held = {p.name for p, g in golds.items() if g.split == "heldout"}
    assert len(held) >= 4 and held & quiet and held & short and held & several_days


def test_gold_evidence_lies_within_one_sentence_of_the_article(corpus: Path) -> None:
    # Evidence is quoted from the sentences the article is split into (Article.sentences()).
    for path, gold in load_gold_dir(GOLD):
        article = read_article(article_path(path, gold, corpus), published=gold.published)
        sentences = [normalize_ar(s) for s in article.sentences()]
        for event in gold.events:
            for quote in event.evidence:
                q = normalize_ar(quote)
                assert any(q in s for s in sentences), f"{path.name} {event.id}: {quote!r} spans sentences"


def test_gold_evidence_is_verbatim_in_the_articles(corpus: Path) -> None:
    for path, gold in load_gold_dir(GOLD):
        raw = normalize_ar(article_path(path, gold, corpus).read_text(encoding="utf-8"))
        cleaned = normalize_ar(article_text(corpus, gold))
        for event in gold.events:
            for quote in event.evidence:
                q = normalize_ar(quote)
                assert q in raw and q in cleaned, f"{path.name} {event.id}: {quote!r} is not in the article"


def test_gold_places_and_actors_are_gazetteer_names() -> None:
    gaz = default_gazetteer()
    for path, gold in load_gold_dir(GOLD):
        for event in gold.events:
            if event.place is not None:
                for name in [event.place.name_en or "", *event.place.also]:
                    assert gaz.place(name) is not None, f"{path.name} {event.id}: place {name!r}"
                    if not any("\u0600" <= c <= "\u06ff" for c in name):
                        assert gaz.place(name).name_en == name, f"{path.name}: use the gazetteer's {name!r}"
            for actor in event.actors:
                for name in [actor.name_en, *actor.also]:
                    if name in NOT_IN_GAZETTEER:
                        continue
                    found = gaz.actor(name)
                    assert found is not None and found.name_en == name, (
                        f"{path.name} {event.id}: actor {name!r}"
                    )


def test_every_key_fact_keyword_can_match() -> None:
    for path, gold in load_gold_dir(GOLD):
        for fact in gold.key_facts:
            for concepts, words in ((fact.en, _en_words), (fact.ar, _ar_words)):
                for alternatives in concepts:
                    for alt in alternatives:
                        assert words(alt), f"{path.name} {fact.id}: {alt!r} has no words"
            for alt in (a for c in fact.ar for a in c):
                assert not any(c.isascii() and c.isalpha() for c in alt), f"{path.name}: {alt!r} in ar"


@pytest.mark.parametrize("stem", gold_stems())
def test_a_brief_saying_what_the_gold_says_scores_one(corpus: Path, stem: str) -> None:
    gold = gold_of(stem)
    text = article_text(corpus, gold)
    s = score(perfect_brief(gold, text), gold, article_text=text)
    assert_perfect(s)
    assert s.split == gold.split
    assert s.recall.total == len(gold.required_events)
    assert s.precision.total == len(gold.events)
    if gold.events:
        assert s.fields["place"].total > 0 and s.fields["date"].total > 0
    else:
        assert s.facts_en.total == len(gold.key_facts) >= 3


def test_an_event_in_a_story_without_violence_is_unmatched(corpus: Path) -> None:
    gold = gold_of("w11_football_hilal_nassr")
    text = article_text(corpus, gold)
    brief = perfect_brief(gold_of("w09_gaza_rafah_strike_brief"), text)
    s = score(brief, gold, article_text=text)
    assert s.precision.value == 0.0 and s.recall.value is None and len(s.extra_events) == 1


@pytest.mark.parametrize("stem", ["000_8449cddc9f5e7774", A002])
def test_the_hand_written_fixture_briefs_score_high(corpus: Path, stem: str) -> None:
    # Written independently of the gold set (tests/data/briefs/README.md): both agree.
    gold = gold_of(stem)
    brief = ArticleBrief.model_validate_json((BRIEFS / f"{stem}.json").read_text(encoding="utf-8"))
    s = score(brief, gold, article_text=article_text(corpus, gold))
    assert_perfect(s)


# --- scoring on hand-written briefs -----------------------------------------------------------------------


@pytest.fixture
def g002() -> GoldArticle:
    return gold_of(A002)


@pytest.fixture
def text002(corpus: Path, g002: GoldArticle) -> str:
    return article_text(corpus, g002)


def test_a_wrong_place_loses_the_match(g002: GoldArticle, text002: str) -> None:
    brief = perfect_brief(g002, text002)
    i = event_index(brief, g002, "hasakah-drone-attack")
    damascus = default_gazetteer().place("Damascus")
    assert damascus is not None
    brief.events[i].location = damascus.to_location()
    s = score(brief, g002, article_text=text002)
    assert s.missed_events == ["hasakah-drone-attack"]
    assert s.recall.hit == 1 and s.recall.total == 2
    assert s.precision.hit == len(brief.events) - 1
    assert s.extra_events == [f"#{i + 1} air_drone_strike at Damascus"]


def test_the_same_governorate_still_matches_but_the_place_is_wrong(g002: GoldArticle, text002: str) -> None:
    brief = perfect_brief(g002, text002)
    i = event_index(brief, g002, "hasakah-drone-attack")
    place = default_gazetteer().place("al-Shaddadi")  # also in Hasakah governorate
    assert place is not None
    brief.events[i].location = place.to_location()
    s = score(brief, g002, article_text=text002)
    assert s.recall.value == 1.0
    assert s.fields["place"].hit == s.fields["place"].total - 1


def test_a_wrong_category_loses_the_match(g002: GoldArticle, text002: str) -> None:
    brief = perfect_brief(g002, text002)
    i = event_index(brief, g002, "us-strikes-deir-ez-zor")
    brief.events[i].event_type = "battles"
    brief.events[i].sub_event_type = "armed_clash"
    s = score(brief, g002, article_text=text002)
    assert s.missed_events == ["us-strikes-deir-ez-zor"]
    # Same event type, another sub-event type: matched on event_type, not on sub_event_type.
    brief = perfect_brief(g002, text002)
    brief.events[i].sub_event_type = "shelling_artillery_missile_attack"
    assert score(brief, g002, article_text=text002).recall.value == 1.0
    strict = score(brief, g002, article_text=text002, match_on="sub_event_type")
    assert strict.missed_events == ["us-strikes-deir-ez-zor"]


def test_a_wrong_killed_figure_lowers_killed_accuracy(g002: GoldArticle, text002: str) -> None:
    brief = perfect_brief(g002, text002)
    brief.events[event_index(brief, g002, "us-strikes-deir-ez-zor")].killed = 14
    s = score(brief, g002, article_text=text002)
    assert s.recall.value == 1.0 and s.precision.value == 1.0
    assert (s.fields["killed"].hit, s.fields["killed"].total) == (1, 2)
    assert s.fields["injured"].value == 1.0
    match = next(m for m in s.matches if m.gold_id == "us-strikes-deir-ez-zor")
    assert match.fields["killed"] == 0.0 and match.fields["injured"] is None


def test_an_invented_figure_where_the_article_gives_none_is_wrong(g002: GoldArticle, text002: str) -> None:
    brief = perfect_brief(g002, text002)
    brief.events[event_index(brief, g002, "us-strikes-deir-ez-zor")].injured = 3
    s = score(brief, g002, article_text=text002)
    assert (s.fields["injured"].hit, s.fields["injured"].total) == (1, 2)


def test_wrong_date_and_missing_actor(g002: GoldArticle, text002: str) -> None:
    brief = perfect_brief(g002, text002)
    event = brief.events[event_index(brief, g002, "hasakah-drone-attack")]
    event.date.value = dt.date(2023, 3, 20)
    event.actors = event.actors[:1]  # US military only: the contractor is missing
    s = score(brief, g002, article_text=text002)
    match = next(m for m in s.matches if m.gold_id == "hasakah-drone-attack")
    assert match.fields["date"] == 0.0
    assert match.fields["actors"] == 0.5 and match.fields["actors_any"] == 1.0


def test_a_missing_key_fact_lowers_coverage(g002: GoldArticle, text002: str) -> None:
    brief = perfect_brief(g002, text002, drop_facts_en=("contractor-killed",))
    s = score(brief, g002, article_text=text002)
    assert s.missing_facts_en == ["contractor-killed"] and not s.missing_facts_ar
    assert (s.facts_en.hit, s.facts_en.total) == (len(g002.key_facts) - 1, len(g002.key_facts))
    assert s.facts_ar.value == 1.0


def test_invented_evidence_lowers_the_grounded_rate(g002: GoldArticle, text002: str) -> None:
    brief = perfect_brief(g002, text002)
    invented = "قصفت الطائرات الروسية مدينة حلب"
    brief.events[0].evidence.append(invented)
    s = score(brief, g002, article_text=text002)
    total = sum(len(e.evidence) for e in brief.events)
    assert (s.grounded.hit, s.grounded.total) == (total - 1, total)
    assert s.ungrounded_evidence == [invented]


def test_an_invalid_brief_is_not_schema_valid_and_recalls_nothing(g002: GoldArticle, text002: str) -> None:
    data = perfect_brief(g002, text002).model_dump(mode="json")
    data["events"][0]["sub_event_type"] = "bombing"
    s = score(data, g002, article_text=text002)
    assert not s.schema_valid and s.ok
    assert s.error is not None and s.error.startswith("invalid brief: events[0].sub_event_type")
    assert s.recall.value == 0.0 and s.facts_en.value == 0.0 and s.precision.total == 0
    assert s.missed_events == [e.id for e in g002.required_events]
    # A brief object built without validation is validated again.
    bad = ArticleBrief.model_construct(**{**perfect_brief(g002, text002).__dict__, "events": ["nonsense"]})
    assert not score(bad, g002, article_text=text002).schema_valid


def test_warnings_time_and_tokens_come_from_meta(g002: GoldArticle, text002: str) -> None:
    brief = perfect_brief(g002, text002)
    brief.meta.warnings = ["event 2 dropped", "date cleared"]
    brief.meta.usage.prompt_tokens, brief.meta.usage.completion_tokens = 1200, 300
    s = score(brief, g002, article_text=text002)
    assert s.warnings == 2 and s.elapsed_s == 1.5
    assert s.usage is not None and s.usage.prompt_tokens == 1200


def test_optional_events_neither_count_for_recall_nor_against_precision(
    g002: GoldArticle, text002: str
) -> None:
    brief = perfect_brief(g002, text002)
    optional = {e.id for e in g002.events if e.optional}
    brief.events = [e for e, g in zip(brief.events, g002.events, strict=True) if g.id not in optional]
    s = score(brief, g002, article_text=text002)
    assert s.recall.value == 1.0 and s.precision.value == 1.0
    assert s.precision.total == len(g002.required_events)


def test_a_repeated_event_is_one_match_and_one_extra(g002: GoldArticle, text002: str) -> None:
    brief = perfect_brief(g002, text002)
    brief.events.append(brief.events[event_index(brief, g002, "us-strikes-deir-ez-zor")].model_copy())
    s = score(brief, g002, article_text=text002)
    assert s.recall.value == 1.0
    assert s.precision.hit == len(brief.events) - 1 and len(s.extra_events) == 1


# --- key facts and matching internals ---------------------------------------------------------------------


def test_fact_keywords() -> None:
    assert fact_covered([["strike"], ["14"]], ["US strikes killed 14 fighters"], "en")
    assert not fact_covered([["14"]], ["since 2014"], "en")
    assert fact_covered([["us"]], ["U.S. forces"], "en")
    assert not fact_covered([["us"]], ["they used drones"], "en")
    assert fact_covered([["long arm"]], ["They have the 'long arm' to respond"], "en")
    assert not fact_covered([["long arm"]], ["a long war, an arm"], "en")
    assert fact_covered([["ضربات"], ["إيران"]], ["والضربات استهدفت مقاتلين موالين لإيران"], "ar")
    assert fact_covered([["قتل"]], ["خلفت عدة قتلى"], "ar")
    assert not fact_covered([["رد"]], ["جاءت الضربات رداً على هجوم"], "ar")
    assert fact_covered([["رد"]], ["لديها القدرة على الرد"], "ar")
    assert fact_covered([["14"]], ["مقتل ١٤ مسلحاً"], "ar")
    # Concepts may be found in different parts (headline, text, key points).
    assert fact_covered([["biden"], ["iran"]], ["Biden speaks", "about Iran"], "en")


def test_assignment_is_optimal() -> None:
    rng = random.Random(7)
    for _ in range(200):
        rows, cols = rng.randint(0, 5), rng.randint(0, 5)
        w = [[rng.choice([0.0, 0.0, rng.uniform(0.1, 3)]) for _ in range(cols)] for _ in range(rows)]
        pairs = _assign(w)
        assert len({r for r, _ in pairs}) == len(pairs) == len({c for _, c in pairs})
        best = 0.0
        for perm in itertools.permutations(range(max(rows, cols)), rows):
            best = max(best, sum(w[r][c] for r, c in enumerate(perm) if c < cols))
        assert sum(w[r][c] for r, c in pairs) == pytest.approx(best)


# --- gold files: errors -----------------------------------------------------------------------------------


def write_gold(tmp_path: Path, data: dict, name: str = f"{A002}.json") -> Path:
    d = tmp_path / "gold"
    d.mkdir(exist_ok=True)
    (d / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return d


def gold_data() -> dict:
    return json.loads((GOLD / f"{A002}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (
            lambda d: d["events"][0].update(sub_event_type="bombing"),
            "events[0].sub_event_type[0]: Input should be",
        ),
        (
            lambda d: d["events"][0].update(event_type="battles"),
            "events[0]: event_type 'battles' does not fit",
        ),
        (lambda d: d["events"][1].update(date="23/03/2023"), "events[1].date: date '23/03/2023' is not"),
        (lambda d: d["events"][0].update(evidence=[]), "events[0].evidence: List should have at least 1"),
        (lambda d: d["events"][0].update(colour="red"), "events[0].colour: Extra inputs are not permitted"),
        (lambda d: d["key_facts"][0].update(ar=[[]]), "key_facts[0].ar[0]: List should have at least 1"),
        (
            lambda d: d["events"][1].update(id=d["events"][0]["id"]),
            "event id 'us-strikes-deir-ez-zor' is used twice",
        ),
        (lambda d: d.update(article="other.txt"), "a gold file is named after its article (other.json)"),
        (lambda d: d.pop("published"), "published: Field required"),
    ],
)
def test_an_invalid_gold_file_names_the_file_and_the_field(tmp_path: Path, change, fragment: str) -> None:  # type: ignore[no-untyped-def]
    data = gold_data()
    change(data)
    d = write_gold(tmp_path, data)
    with pytest.raises(GoldError) as info:
        load_gold_dir(d)
    message = str(info.value)
    assert message.startswith(str(d / f"{A002}.json") + ": ") and fragment in message, message
    assert "\n" not in message


def test_gold_directory_errors(tmp_path: Path) -> None:
    with pytest.raises(GoldError, match="no such gold directory"):
        load_gold_dir(tmp_path / "missing")
    with pytest.raises(GoldError, match="no gold files"):
        load_gold_dir(tmp_path)
    (tmp_path / "x.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(GoldError, match=r"x.json: not valid JSON: .*line 1, column 2"):
        load_gold_dir(tmp_path)
    with pytest.raises(GoldError, match=r"no gold file for 003_x\.txt"):
        load_gold_dir(GOLD, files=["003_x.txt"])
    assert [p.name for p, _ in load_gold_dir(GOLD, files=[f"{A002}.txt"])] == [f"{A002}.json"]


# --- evaluate ---------------------------------------------------------------------------------------------


def test_evaluate_keeps_going_past_a_failing_article(corpus: Path) -> None:
    seen = []

    def brief_fn(path: Path, gold: GoldArticle) -> ArticleBrief:
        if path.name.startswith("003_"):
            raise RuntimeError("the model fell over\nsecond line")
        return perfect_brief(gold, read_article(path, published=gold.published).text)

    report = evaluate(GOLD, corpus=corpus, brief_fn=brief_fn, on_article=lambda n, t, s: seen.append((n, t)))
    n = len(load_gold_dir(GOLD))
    assert seen == [(i, n) for i in range(1, n + 1)]
    by_name = {a.article: a for a in report.articles}
    failed = by_name["003_1aacc9b910f4f0d9.txt"]
    assert not failed.ok and not failed.schema_valid
    assert failed.error == "RuntimeError: the model fell over"
    assert failed.recall.hit == 0 and failed.recall.total == len(
        gold_of("003_1aacc9b910f4f0d9").required_events
    )
    for name, a in by_name.items():
        if name != failed.article:
            assert_perfect(a)
            assert a.wall_s is not None and a.gold_file == str(GOLD / name.replace(".txt", ".json"))
    o = report.overall
    assert (o.articles, o.briefed, o.failed) == (n, n - 1, 1)
    assert o.schema_valid.value == round((n - 1) / n, 4) and o.precision.value == 1.0
    assert o.recall.total == sum(len(g.required_events) for _, g in load_gold_dir(GOLD))
    assert o.recall.hit == o.recall.total - failed.recall.total
    assert o.facts_en.total == sum(len(g.key_facts) for _, g in load_gold_dir(GOLD))
    assert o.f1 is not None and 0 < o.f1 < 1
    assert report.backend == "test" and report.model == "gold"
    text = format_report(report)
    assert "003_1aacc9b910f4f0d9.txt" in text and "FAIL" in text and "failed: RuntimeError" in text
    assert text.count("\n") > 8 and "overall:" in text
    assert json.loads(report.model_dump_json())["overall"]["recall"]["value"] == o.recall.value


def test_evaluate_checks_the_whole_gold_set_before_briefing(tmp_path: Path, corpus: Path) -> None:
    d = write_gold(tmp_path, gold_data())
    shutil.copy(GOLD / "004_acd604f23db3c241.json", d)
    (d / "004_acd604f23db3c241.json").write_text("[]", encoding="utf-8")
    calls = []
    with pytest.raises(GoldError, match=r"004_acd604f23db3c241\.json: a gold file holds one JSON object"):
        evaluate(d, corpus=corpus, brief_fn=lambda p, g: calls.append(p))  # type: ignore[arg-type, func-returns-value]
    assert calls == []
    with pytest.raises(GoldError, match="no such corpus directory"):
        evaluate(GOLD, corpus=tmp_path / "nowhere", brief_fn=lambda p, g: calls.append(p))  # type: ignore[arg-type, func-returns-value]


def _seed_cache(corpus: Path) -> ArticleBrief:
    """Cache the hand-written 002 brief under the key `eval` computes (published from the gold)."""
    settings = resolve_settings(base_url=DOWN[1], model=DOWN[3])
    article = read_article(corpus / f"{A002}.txt", published=dt.date(2023, 3, 24))
    brief = ArticleBrief.model_validate_json((BRIEFS / f"{A002}.json").read_text(encoding="utf-8"))
    briefer = Briefer(settings)
    assert briefer.cache is not None
    briefer.cache.put(briefer.key(article), brief)
    return brief


def test_evaluate_briefs_through_the_api_and_its_cache(corpus: Path) -> None:
    _seed_cache(corpus)
    report = evaluate(GOLD, corpus=corpus, files=[A002], base_url=DOWN[1], model=DOWN[3])
    (a,) = report.articles
    assert a.ok and a.cached is True
    assert_perfect(a)


# --- the command line -------------------------------------------------------------------------------------


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SUMMARIZER_TRANSPORT_RETRIES": "0"}
    return subprocess.run(
        [sys.executable, "-m", "summarizer", *args], capture_output=True, text=True, env=env, timeout=120
    )


def one_clean_error(proc: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("summarizer: error:") and fragment in lines[0], proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_cli_eval_help() -> None:
    proc = run("eval", "--help")
    assert proc.returncode == 0
    for option in ("--corpus", "--json", "--no-cache", "--match-on", "--base-url", "--model"):
        assert option in proc.stdout


def test_cli_bad_gold_dir_is_one_line(tmp_path: Path, corpus: Path) -> None:
    one_clean_error(run("eval", str(tmp_path / "missing")), "no such gold directory")
    one_clean_error(run("eval", str(tmp_path)), "no gold files")
    data = gold_data()
    data["events"][0]["status"] = "happened"
    d = write_gold(tmp_path, data)
    one_clean_error(run("eval", str(d), "--corpus", str(corpus)), f"{A002}.json: events[0].status[0]")
    one_clean_error(run("eval", str(GOLD), "--corpus", str(tmp_path)), "000_8449cddc9f5e7774.txt not found")


def test_cli_eval_scores_and_keeps_going(tmp_path: Path, corpus: Path) -> None:
    _seed_cache(corpus)
    d = write_gold(tmp_path, gold_data())
    shutil.copy(GOLD / "004_acd604f23db3c241.json", d)
    # 002 comes from the cache; 004 is not cached and the endpoint is down: it fails, 002 is scored.
    proc = run("eval", str(d), "--corpus", str(corpus), *DOWN)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert f"[1/2] {A002}.txt" in proc.stderr and "[2/2] 004_acd604f23db3c241.txt: failed:" in proc.stderr
    rows = [line for line in proc.stdout.splitlines() if line.startswith(("002_", "004_"))]
    assert len(rows) == 2 and "FAIL" in rows[1] and "1.00" in rows[0]
    assert "overall:" in proc.stdout and "1 failed" in proc.stdout

    proc = run("eval", str(d), "--corpus", str(corpus), "--json", *DOWN)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    ok, failed = report["articles"]
    assert ok["cached"] is True and ok["recall"]["value"] == 1.0 and ok["schema_valid"] is True
    assert failed["ok"] is False and failed["error"]
    assert set(report["overall"]["fields"]) == set(FIELDS)
    assert report["overall"]["schema_valid"]["value"] == 0.5


def test_cli_eval_exits_1_when_no_article_could_be_briefed(tmp_path: Path, corpus: Path) -> None:
    d = tmp_path / "gold"
    d.mkdir()
    shutil.copy(GOLD / "004_acd604f23db3c241.json", d)
    proc = run("eval", str(d), "--corpus", str(corpus), "--no-cache", *DOWN)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "FAIL" in proc.stdout


def test_a_date_weeks_away_is_another_incident(g002: GoldArticle, text002: str) -> None:
    brief = perfect_brief(g002, text002)
    event = brief.events[event_index(brief, g002, "hasakah-drone-attack")]
    event.date.value = dt.date(2023, 3, 30)  # 7 days after: still the same incident, wrong date
    s = score(brief, g002, article_text=text002)
    assert s.recall.value == 1.0 and s.fields["date"].hit == s.fields["date"].total - 1
    event.date.value = dt.date(2023, 4, 20)
    assert score(brief, g002, article_text=text002).missed_events == ["hasakah-drone-attack"]


def test_cli_eval_scores_saved_briefs(tmp_path: Path, corpus: Path, g002: GoldArticle, text002: str) -> None:
    briefs = tmp_path / "briefs"
    briefs.mkdir()
    (briefs / f"{A002}.json").write_text(perfect_brief(g002, text002).model_dump_json(), encoding="utf-8")
    d = write_gold(tmp_path, gold_data())
    shutil.copy(GOLD / "004_acd604f23db3c241.json", d)
    # nothing is briefed: 002's saved brief is scored, 004 has none and is reported as failed
    proc = run("eval", str(d), "--corpus", str(corpus), "--briefs", str(briefs), "--json", *DOWN)
    assert proc.returncode == 0, proc.stderr
    ok, failed = json.loads(proc.stdout)["articles"]
    assert ok["recall"]["value"] == 1.0 and failed["ok"] is False and "no brief" in failed["error"]
    one_clean_error(run("eval", str(d), "--briefs", str(tmp_path / "nope")), "not a folder")


# --- splits -----------------------------------------------------------------------------------------------


def _perfect_fn(path: Path, gold: GoldArticle) -> ArticleBrief:
    return perfect_brief(gold, read_article(path, published=gold.published).text)


def test_the_split_is_read_from_the_gold_file_and_defaults_to_tune(tmp_path: Path) -> None:
    assert gold_of("w02_lebanon_border_roundup").split == "heldout"
    data = gold_data()
    assert "split" not in data and load_gold(GOLD / f"{A002}.json").split == "tune"
    data["split"] = "test"
    with pytest.raises(GoldError, match=r"split: Input should be 'tune' or 'heldout'"):
        load_gold_dir(write_gold(tmp_path, data))


def test_evaluate_reports_each_split_and_the_overall(corpus: Path) -> None:
    report = evaluate(GOLD, corpus=corpus, brief_fn=_perfect_fn)
    assert list(report.splits) == ["tune", "heldout"]
    tune, held = report.splits["tune"], report.splits["heldout"]
    by_split = {s: [a for a in report.articles if a.split == s] for s in ("tune", "heldout")}
    assert held.articles == len(by_split["heldout"]) >= 4
    assert tune.articles + held.articles == report.overall.articles
    for name in ("recall", "precision", "facts_en", "facts_ar", "grounded"):
        parts = [getattr(o, name) for o in (tune, held)]
        assert sum(r.total for r in parts) == getattr(report.overall, name).total, name
    assert held.recall.total == sum(a.recall.total for a in by_split["heldout"])
    assert held.recall.value == 1.0 and held.facts_ar.value == 1.0

    text = format_report(report).splitlines()
    rows = [line.split("  ")[0] for line in text if line.startswith(("tune (", "heldout (", "overall ("))]
    assert rows == ["tune (micro)", "heldout (micro)", "overall (micro)"]
    assert any(line.startswith(f"heldout: {held.articles} articles, 0 failed") for line in text)
    assert any(line.startswith(f"tune: {tune.articles} articles") for line in text)
    listed = next(line for line in text if line.startswith("held out ("))
    assert all(a.article in listed for a in by_split["heldout"])

    data = json.loads(report.model_dump_json())
    assert set(data["splits"]) == {"tune", "heldout"}
    assert data["splits"]["heldout"]["articles"] == held.articles
    assert {a["split"] for a in data["articles"]} == {"tune", "heldout"}


def test_a_report_of_one_split_has_no_split_rows(corpus: Path) -> None:
    report = evaluate(GOLD, corpus=corpus, files=[A002], brief_fn=_perfect_fn)
    assert list(report.splits) == ["tune"] and report.splits["tune"] == report.overall
    text = format_report(report)
    assert "tune (micro)" not in text and "held out" not in text and "overall (micro)" in text


def test_cli_eval_reports_splits_and_finds_written_articles_with_corpus(tmp_path: Path, corpus: Path) -> None:
    d = write_gold(tmp_path, gold_data())
    (d / "articles").mkdir()
    stem = "w08_yemen_drone_intercepted"
    shutil.copy(GOLD / f"{stem}.json", d)
    shutil.copy(WRITTEN / f"{stem}.txt", d / "articles")
    briefs = tmp_path / "briefs"
    briefs.mkdir()
    for s in (A002, stem):
        gold = gold_of(s)
        (briefs / f"{s}.json").write_text(
            perfect_brief(gold, article_text(corpus, gold)).model_dump_json(), encoding="utf-8"
        )
    # --corpus holds 002; the written article is read from the gold folder's articles/.
    proc = run("eval", str(d), "--corpus", str(corpus), "--briefs", str(briefs), "--json", *DOWN)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert [(a["article"], a["split"]) for a in report["articles"]] == [
        (f"{A002}.txt", "tune"),
        (f"{stem}.txt", "heldout"),
    ]
    assert report["splits"]["heldout"]["recall"]["value"] == 1.0
    assert report["splits"]["tune"]["articles"] == 1 and report["overall"]["articles"] == 2
    proc = run("eval", str(d), "--corpus", str(corpus), "--briefs", str(briefs), *DOWN)
    assert proc.returncode == 0, proc.stderr
    assert "heldout (micro)" in proc.stdout and f"held out (1): {stem}.txt" in proc.stdout


def test_evaluate_takes_the_summarize_keywords_through_the_one_briefer_builder(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`evaluate` briefs as `summarize` does (issue #13 step 4): `profile` and SUMMARIZER_PROFILE included."""
    from summarizer.testing import ScriptedBackend

    backend = ScriptedBackend(lambda messages, response_model: None)  # code alone reads the incidents
    report = evaluate(GOLD, corpus=corpus, files=[A002], backend=backend, profile="small", cache=False)
    (a,) = report.articles
    assert a.ok and a.recall.total > 0 and a.recall.hit > 0, a.error
    monkeypatch.setenv("SUMMARIZER_PROFILE", "gigantic")
    with pytest.raises(ConfigError, match="unknown profile 'gigantic'"):
        evaluate(GOLD, corpus=corpus, files=[A002], backend=backend, cache=False)
