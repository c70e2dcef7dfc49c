"""One place or one actor under different names (``summarizer.arabic.gazetteer``'s identity layer): the keys,
:func:`resolve_place` and :func:`names_match`, as the gold scorer (strict, the default) and the digest's
merge (``loose``) each use them. No model; the shipped gazetteer where one is needed."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

from summarizer.arabic.gazetteer import (
    ENV_VAR,
    Gazetteer,
    ResolvedPlace,
    actor_key,
    actor_tokens,
    ar_key,
    en_key,
    name_key,
    names_match,
    place_key,
    resolve_place,
)

PACKAGE = Path(__file__).resolve().parent.parent / "summarizer"


@pytest.fixture
def gaz(monkeypatch: pytest.MonkeyPatch) -> Gazetteer:
    monkeypatch.delenv(ENV_VAR, raising=False)
    return Gazetteer.load()


def resolved(*args: object, **kwargs: object) -> ResolvedPlace:
    place = resolve_place(*args, **kwargs)  # type: ignore[call-overload]
    assert place is not None
    return place


# --- name keys --------------------------------------------------------------------------------------------


def test_arabic_keys_fold_the_common_spelling_variants() -> None:
    assert ar_key("القوات الأميركية") == ar_key("القوات الأمريكية") == "القوات الامريكيه"
    assert ar_key("الميليشيات") == ar_key("المليشيات")
    assert ar_key("دير الزور") == f"{ar_key('دير')} {ar_key('الزور')}"  # words stay apart


def test_english_keys_drop_case_articles_and_dots_of_initials() -> None:
    assert en_key("U.S. forces") == en_key("US Forces") == "us forces"
    assert en_key("al-Mayadin") == en_key("Al Mayadin") == en_key("the Mayadin") == "mayadin"
    assert en_key("Dar’a") == "dara"
    assert en_key("The") == "the"  # nothing but an article: kept


def test_name_key_follows_the_script() -> None:
    assert name_key("الميادين") == ar_key("الميادين") != en_key("الميادين") == ""
    assert name_key("al-Mayadin") == "mayadin"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("al-Omar oil field", "Omar Oilfield"),
        ("Al-Hasakah", "Hasakah"),
        ("Deir ez-Zor governorate", "Deir ez-Zor"),
        ("Deir ez-Zor", "deir EZ zor"),
        ("ʿAyn al-ʿArab", "Ayn al-Arab"),
    ],
)
def test_place_key_ignores_case_articles_kind_words_and_spacing(a: str, b: str) -> None:
    assert place_key(a) == place_key(b)


def test_place_key_keeps_different_places_apart() -> None:
    assert place_key("al-Mayadin") != place_key("Albu Kamal")
    assert place_key("al-Shaddadi") != place_key("al-Omar oil field")


def test_place_key_is_none_when_nothing_is_left() -> None:
    assert place_key(None) is None
    assert place_key("the Governorate") is None
    assert place_key("دير الزور") is None  # English names only


# --- places -----------------------------------------------------------------------------------------------

ALBU_KAMAL = [(None, "البوكمال"), (None, "والبوكمال"), ("Abu Kamal", None), ("Al Bukamal", "أبو كمال")]


def test_arabic_and_english_spellings_of_a_place_get_one_key(gaz: Gazetteer) -> None:
    assert {resolved(gaz, en, ar).key for en, ar in ALBU_KAMAL} == {"albu kamal"}
    assert {resolved(gaz, en, ar, loose=True).key for en, ar in ALBU_KAMAL} == {"albukamal"}
    place = resolved(gaz, None, "البوكمال", precision=1)
    assert (place.name_en, place.admin1, place.country, place.is_country) == (
        "Albu Kamal",
        "deir zor",
        "syria",
        False,
    )


def test_strict_keys_keep_a_city_and_its_governorate_apart(gaz: Gazetteer) -> None:
    """The gold scorer: «Deir ez-Zor Governorate» is another place than the city, in its governorate."""
    city, governorate = resolved(gaz, "Deir ez-Zor"), resolved(gaz, None, "محافظة دير الزور")
    assert city.key != governorate.key
    assert city.admin1 == governorate.admin1 == "deir zor"
    # the digest's loose keys drop the kind word: one place
    assert (
        resolved(gaz, "Deir ez-Zor", loose=True).key
        == resolved(gaz, None, "محافظة دير الزور", loose=True).key
    )


def test_strict_resolution_takes_governorate_and_country_from_the_gazetteer(gaz: Gazetteer) -> None:
    place = resolved(gaz, "Hasakah", admin1_en="Raqqa", country_en="Iraq")
    assert (place.key, place.admin1, place.country) == ("hasakah", "hasakah", "syria")
    assert resolved(gaz, "Syria", admin1_en="Raqqa").admin1 is None


def test_loose_resolution_keeps_the_events_governorate_and_country(gaz: Gazetteer) -> None:
    """The digest: the event's governorate when the gazetteer has none; a country when the event says so."""
    assert resolved(gaz, "Syria", admin1_en="Raqqa", loose=True).admin1 == "raqqa"
    assert resolved(gaz, "Hasakah", country_en="Iraq", loose=True).country == "iraq"
    syria = resolved(gaz, None, "سوريا", country_en="Syria", precision=3, loose=True)
    assert (syria.key, syria.is_country, syria.region) == ("syria", True, True)
    assert not resolved(gaz, "Hasakah", country_en="Syria", loose=True).is_country


def test_an_unknown_place_is_keyed_as_written(gaz: Gazetteer) -> None:
    place = resolved(gaz, "Nowhereville", "قرية مجهولة", admin1_en="Raqqa", country_en="Syria")
    assert (place.key, place.admin1, place.country, place.is_country) == (
        "nowhereville",
        "raqqa",
        "syria",
        False,
    )
    assert resolved(gaz, None, "قرية مجهولة").key == ar_key("قرية مجهولة")
    # loose: the English name's key, else the Arabic name's without «ال», diacritics and spaces
    assert resolved(gaz, "al-Nowhereville", loose=True).key == "nowhereville"
    assert (
        resolved(None, None, "الــحسكة", loose=True).key
        == resolved(None, "", "حسكه", loose=True).key
        == "ar:حسكه"
    )


def test_a_place_without_a_name(gaz: Gazetteer) -> None:
    """Strict: the country given, else none. Loose: always a place, which may have no key."""
    country = resolved(gaz, None, None, country_en="Syria")
    assert (country.key, country.is_country) == ("syria", True)
    assert resolve_place(gaz, None, None) is None
    nameless = resolve_place(gaz, None, None, admin1_en="Raqqa", loose=True)
    assert (nameless.key, nameless.admin1) == (None, "raqqa")


@dataclass
class Entry:
    name_en: str
    admin1_en: str | None = None


class MinimalLookup:
    """A gazetteer that only has ``place(name)``, its entries only ``name_en`` and ``admin1_en``."""

    def place(self, name: str) -> Entry | None:
        return Entry("Deir ez-Zor") if name == "Dayr al-Zawr" else None


def test_a_minimal_lookup_is_enough() -> None:
    place = resolve_place(MinimalLookup(), "Dayr al-Zawr", admin1_en="Deir ez-Zor", loose=True)
    assert (place.key, place.admin1, place.name_en) == ("deirzor", "deirzor", "Deir ez-Zor")
    strict = resolved(MinimalLookup(), "Dayr al-Zawr", country_en="Syria")
    assert (strict.key, strict.country, strict.is_country) == ("deir zor", None, False)
    assert actor_key("US forces", MinimalLookup(), loose=True) == "us"  # no actor(): no actor lexicon


# --- actors -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("SOHR", "Syrian Observatory for Human Rights", True),
        ("sohr", "Syrian Observatory for Human Rights", False),  # an acronym is written in capitals
        ("SOHRX", "Syrian Observatory for Human Rights", False),
        ("U.S. forces", "American troops", True),
        ("United States military", "US-led coalition", True),
        ("IRGC-affiliated groups", "Iran-backed militias", True),
        ("SDF", "Syrian Democratic Forces", True),
        ("Syrian army", "Syrian Democratic Forces", False),
        ("US forces", "Iran-backed militias", False),
        ("Pentagon", "Syrian Observatory for Human Rights", False),
    ],
)
def test_names_match_by_spelling(a: str, b: str, same: bool) -> None:
    assert names_match(a, b) is same
    assert names_match(b, a) is same


def test_actor_tokens_unify_national_variants() -> None:
    assert actor_tokens("U.S. forces") == actor_tokens("American troops") == {"us"}
    assert actor_tokens("IRGC-affiliated groups") == {"iran"}
    assert actor_tokens("the armed forces") == frozenset()


@dataclass
class ActorEntry:
    name_en: str


class ActorLexicon(MinimalLookup):
    def __init__(self, actors: dict[str, str]):
        self.actors = actors

    def actor(self, name: str) -> ActorEntry | None:
        return ActorEntry(self.actors[name]) if name in self.actors else None


def test_the_gazetteers_actor_lexicon_decides_when_it_knows_both_names() -> None:
    lexicon = ActorLexicon(
        {
            "the Resistance": "Islamic Resistance in Iraq",
            "IRI": "Islamic Resistance in Iraq",
            "US forces": "US military",
            "US Central Command": "US Central Command (CENTCOM)",
        }
    )
    assert names_match("the Resistance", "IRI", lexicon)
    assert not names_match("the Resistance", "IRI")  # the spelling rules alone cannot tell
    assert not names_match("US forces", "US Central Command", lexicon)  # two known, different entries
    assert names_match("US forces", "US Central Command")
    assert names_match("US forces", "American troops", lexicon)  # one unknown name: the spelling rules


def test_strict_actor_keys(gaz: Gazetteer) -> None:
    """The gold scorer: a known actor's names in either script share its key; others keep their own."""
    assert actor_key("القوات الأميركية", gaz) == actor_key("American troops", gaz) == "us military"
    assert actor_key("Nowhere Brigade fighters", gaz) == "nowhere brigade fighters"
    assert actor_key("Nowhere Brigade", gaz) != actor_key("Nowhere Brigade fighters", gaz)
    assert actor_key("كتيبة مجهولة", gaz) == ar_key("كتيبة مجهولة")


def test_loose_actor_keys(gaz: Gazetteer) -> None:
    """The digest groups a known actor by its entry and the others by their significant words."""
    assert actor_key("American troops", gaz, loose=True) == actor_key("US forces", gaz, loose=True)
    assert actor_key("American troops", gaz, loose=True) == "gazetteer:US military"
    assert actor_key("Nowhere Brigade fighters", gaz, loose=True) == actor_key(
        "the Nowhere brigade", gaz, loose=True
    )
    assert actor_key("the armed forces", None, loose=True) == "the armed forces"  # no significant word


# --- one home -----------------------------------------------------------------------------------------


def test_no_module_reaches_into_the_gazetteers_privates() -> None:
    """The identity API is public: no module of the package imports a ``_name`` of the gazetteer."""
    private = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "summarizer.arabic.gazetteer":
                private += [f"{path.name}: {a.name}" for a in node.names if a.name.startswith("_")]
    assert private == []
