"""Event fields checked against the sentences an event cites, and completed from them, by code.

The 1.5B embedded model types most attacks as ``violence_against_civilians``, places them at country
level ("Syria"), gives no usable date, writes 0 for a figure the article does not give and credits
news agencies the article never names. Each function here checks one field against the event's cited
sentences (its evidence, verbatim from the article) and returns what those sentences support:

- :func:`checked_sub_event_type`: an attack on civilians needs civilian words or a civilian target
  and no weapon of remote violence,
  an arrest needs arrest words, an air/drone strike needs an aircraft or drone word; otherwise the
  weapon words of the sentences decide (first mention wins).
- :func:`checked_status`: a claim, a denial, a threat or a plan needs its words (تبنى، نفى، هدد، يخطط);
  otherwise the event is reported as having occurred.
- :func:`place_from_evidence`: the most specific gazetteer place the cited sentences name, when the
  model's place is unknown, missing from those sentences, or a country/region that contains it.
- :func:`checked_sector`: an actor the model calls civilian whose name says soldiers, forces or
  fighters is not civilian (and the reverse).
- :func:`names_a_weapon`: a weapon field that names no weapon («Unidentified armed group») is dropped.
- :func:`background_only`: sentences that describe what happens often («وكثيراً ما يُستهدَفون بهجمات»)
  report no incident.
- :func:`zero_supported`: a figure of 0 needs words saying nobody was hurt.
- :func:`unnamed_sources`: sources that are known outlets or actors the article never names.

On these, one completer per event field fills that field of a model's draft event and says what it
changed: :func:`complete_date`, :func:`complete_place`, :func:`complete_actors`,
:func:`complete_casualties`, :func:`complete_sources`, :func:`complete_weapon`, :func:`complete_type`
and :func:`complete_status` (with :func:`background_notice` and :func:`words_in_article` before them).
Each returns its value and typed :class:`Notice` s (a stable code each, :data:`NOTICE_CODES`); the
pipeline composes them and renders the notices into ``meta.warnings``.

The cue words are normalized (:func:`~summarizer.arabic.normalize.normalize_ar`) and matched as substrings.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import cast

from summarizer.arabic import lexicon as lx
from summarizer.arabic.gazetteer import Gazetteer, Place
from summarizer.arabic.normalize import normalize_ar
from summarizer.arabic.numbers import numbers_in_text
from summarizer.brief.steps import EventDraft
from summarizer.schema import Actor, CasualtyReport, EventDate, Location, Sector, Status, SubEventType
from summarizer.script import has_arabic

__all__ = [
    "NOTICE_CODES",
    "Notice",
    "background_notice",
    "background_only",
    "checked_sector",
    "checked_status",
    "checked_sub_event_type",
    "complete_actors",
    "complete_casualties",
    "complete_date",
    "complete_place",
    "complete_sources",
    "complete_status",
    "complete_type",
    "complete_weapon",
    "english_field",
    "figure_in_evidence",
    "names_a_time",
    "names_a_weapon",
    "place_from_evidence",
    "place_rank",
    "place_sentence",
    "strip_dateline",
    "unnamed_sources",
    "words_in_article",
    "zero_supported",
]


#: Place kinds from the most specific to the least (ties keep the first mention).
_KIND_RANK = {
    "base": 0,
    "airport": 0,
    "oil_field": 0,
    "gas_field": 0,
    "neighborhood": 0,
    "village": 1,
    "town": 1,
    "city": 1,
    "region": 2,
    "governorate": 3,
    "country": 4,
}


def _text(evidence: Iterable[str]) -> str:
    return normalize_ar(" ".join(evidence))


def _first_weapon(text: str, remote_only: bool = False) -> str | None:
    """The sub-event type whose weapon word comes first in ``text`` (normalized), or None; with
    ``remote_only``, only the explosions/remote-violence ones."""
    best: tuple[int, str] | None = None
    for sub, cues in lx.WEAPON_SUBSTRINGS.items():
        if remote_only and sub == "armed_clash":
            continue
        for cue in cues:
            at = text.find(cue)
            if at >= 0 and (best is None or at < best[0]):
                best = (at, sub)
    return best[1] if best else None


def checked_sub_event_type(sub_event_type: str, evidence: Sequence[str], civilian_target: bool) -> str | None:
    """The sub-event type the cited sentences support, or None when the model's stands.

    Only physical events are checked (statements are the model's reading of who said what):

    - ``attack`` (violence against civilians) becomes the remote-violence type of the first weapon
      word (ACLED codes a strike or a shell that hits civilians as explosions/remote violence), and
      without one stands only with a civilian word or a civilian target;
    - ``arrests`` stands with an arrest word;
    - an explosions/remote-violence or armed-clash sub-type stands when one of its own weapon words
      is in the sentences;
    - otherwise the first weapon word in the sentences decides («غارات جوية» → ``air_drone_strike``,
      «صواريخ» → ``shelling_artillery_missile_attack``, «اشتباكات» → ``armed_clash``); with none, the
      model's type stands.

    Args:
        sub_event_type: The model's sub-event type.
        evidence: The cited sentences, verbatim.
        civilian_target: Whether a target of the event is a civilian actor (sector CVL).
    """
    text = _text(evidence)
    if sub_event_type == "attack":
        # ACLED codes remote violence on civilians (an air strike, a shell on a house) as
        # explosions/remote violence; an attack on civilians is done in person.
        weapon = _first_weapon(text, remote_only=True)
        if weapon is not None:
            return weapon
        if civilian_target or any(c in text for c in lx.CIVILIAN_WORDS):
            return None
    elif sub_event_type == "arrests":
        if any(c in text for c in lx.ARREST_SUBSTRINGS):
            return None
    elif sub_event_type in lx.WEAPON_SUBSTRINGS:
        if any(c in text for c in lx.WEAPON_SUBSTRINGS[sub_event_type]):
            return None
    else:
        return None
    weapon = _first_weapon(text)
    return weapon if weapon is not None and weapon != sub_event_type else None


#: A dateline: «(بيروت)», «واشنطن/دمشق - », or a city of one or two words with the agency in brackets,
#: «صنعاء (أ ف ب) -», «دير الزور (سانا) -»: at the start of a sentence it names where the story was filed.
_CITY = r"[^\s()\-–—ـ\d]+"
_DATELINE = re.compile(
    r"^\s*(?:\(\s*[^()]{1,30}\)"  # «(بيروت)»
    rf"|{_CITY}(?:\s*/\s*[^\s()]+)*\s+[-–—ـ]\s"  # «واشنطن/دمشق - »
    rf"|(?:{_CITY}\s+)?{_CITY}\s*\(\s*[^()]{{1,30}}\)\s*[-–—ـ]\s)\s*"  # «دير الزور (سانا) -»
)


def strip_dateline(sentence: str) -> str:
    """The sentence without a leading dateline («(بيروت) قُتل ...» → «قُتل ...»): where the story was
    filed is not where the event happened."""
    return _DATELINE.sub("", sentence, count=1)


def checked_status(status: str, evidence: Sequence[str]) -> Status | None:
    """The status the cited sentences support: a claim, denial, threat or plan needs its words in them.

    The 1.5B model often calls an attack the article reports as done "threatened" or "claimed". When
    the cited sentences carry none of that status's words (تبنى، نفى، هدد، يخطط...), the event is
    reported as having occurred; returns None when the model's status stands."""
    cues = lx.STATUS_SUBSTRINGS.get(status)
    if cues is None:
        return None
    return None if any(cue in _text(evidence) for cue in cues) else "occurred"


def place_rank(place: Place) -> tuple[int, int]:
    """Sort key from the most specific place to the least: ACLED precision, then kind."""
    return (place.precision, _KIND_RANK.get(place.kind, 2))


def _within(inner: Place, outer: Place) -> bool:
    """Whether ``inner`` lies in ``outer``, as far as the gazetteer says (country, governorate)."""
    if outer.kind == "country":
        return inner.country_en == outer.name_en
    if outer.kind == "governorate":
        return inner.admin1_en is not None and inner.admin1_en == outer.admin1_en
    if outer.kind == "region":
        # A region («شرق سوريا», «ريف دير الزور») is inside one country, often one governorate.
        if outer.admin1_en is not None:
            return inner.admin1_en == outer.admin1_en
        return outer.country_en is not None and inner.country_en == outer.country_en
    return False


def place_from_evidence(
    model_place: Place | None, evidence: Sequence[str], gazetteer: Gazetteer, *, locative_only: bool = False
) -> tuple[Place | None, str | None]:
    """The place an event's cited sentences support, and why it differs from the model's (or None).

    The most specific gazetteer place the sentences name (among equals a locative mention, then the
    first: see :meth:`~summarizer.arabic.gazetteer.Gazetteer.place_mentions`) replaces the
    model's place when the model gave none, when the sentences name neither the model's place nor a
    place inside it, or when the model's place is a country, governorate or region that contains it
    («سوريا» narrowed to the sentences' «شرقي سوريا»). A country the sentences name only as a party
    («إن إيران تقدم توجيهات»), never after «في» or the like, is not where the event happened: the most
    specific locative place replaces it, or with none the place is unknown (``(None, why)``).
    Otherwise the model's place stands (``(model_place, None)``), as it does when the sentences name
    no place. With ``locative_only`` (statements: «بدعوة من دمشق» names who invited, not where it was
    said) only locative mentions count.
    """
    mentions = gazetteer.place_mentions(" ".join(strip_dateline(s) for s in evidence))
    if locative_only:
        mentions = [(p, here) for p, here in mentions if here]
    if not mentions:
        return model_place, None
    first: dict[str, Place] = {}
    for p, _ in mentions:  # each place once, in the order of its first mention
        first.setdefault(p.name_en, p)
    found = list(first.values())
    locative = {p.name_en for p, here in mentions if here}
    # A country never named after «في» or the like is a party to the story («إن إيران تقدم توجيهات»),
    # not a candidate place. Of the candidates: the most specific; among equals a locative mention
    # («في العراق» over «من الولايات المتحدة»), then the first (min keeps the first of equals).
    candidates = [p for p in found if p.kind != "country" or p.name_en in locative]
    best = min(candidates, key=lambda p: (place_rank(p), p.name_en not in locative)) if candidates else None
    if model_place is None:
        if best is None:
            return None, None
        return best, "no place given; the most specific place of the cited sentences"
    if (
        model_place.kind == "country"
        and model_place.name_en not in locative
        and any(p.name_en == model_place.name_en for p in found)
    ):
        # «إن إيران تقدم توجيهات»: a country named as a party to the story, not where it happened
        why = f"{model_place.name_en!r} is named in the cited sentences as a party, not as where it happened"
        here = [p for p in found if p.name_en in locative]
        return (min(here, key=place_rank), why) if here else (None, why)
    if best is None:
        return model_place, None
    named = model_place.name_en in {p.name_en for p in found}
    if not named and not any(_within(p, model_place) for p in found):
        return best, f"{model_place.name_en!r} is not named in the cited sentences"
    if place_rank(best) < place_rank(model_place) and _within(best, model_place):
        return best, f"{model_place.name_en!r} narrowed to the cited sentences' {best.name_en!r}"
    return model_place, None


#: Where a sentence's clauses end: a figure and its casualty word belong to one clause.
_CLAUSE = re.compile(r"[،,.؛;:!?؟\n]+")


def figure_in_evidence(figure: int, evidence: Sequence[str]) -> bool:
    """Whether the cited sentences give ``figure`` as a casualty figure: in digits, Arabic-Indic digits
    or number words, in one clause with a word of killing or wounding («قُتل 11 مقاتلاً», «وإصابة ستة
    آخرين»). A 0 needs words saying nobody was hurt (:func:`zero_supported`).

    Stricter than "somewhere in the article": the 1.5B model attaches the article's best-known figure
    (14 killed) to every event it lists, statements included, and reads «انفجاران» (two explosions)
    as two killed."""
    if figure == 0:
        return zero_supported(evidence)
    for sentence in evidence:
        for clause in _CLAUSE.split(sentence):
            norm = normalize_ar(clause)
            if any(c in norm for c in lx.CASUALTY_SUBSTRINGS) and figure in numbers_in_text(clause):
                return True
    return False


def zero_supported(evidence: Sequence[str]) -> bool:
    """Whether the cited sentences say nobody was killed or hurt («دون إصابات», «لم تسفر عن ضحايا»)."""
    text = _text(evidence)
    return any(c in text for c in lx.NO_CASUALTY_SUBSTRINGS)


@functools.lru_cache(maxsize=4)
def _named_actors(article_text: str, gazetteer: Gazetteer) -> frozenset[str]:
    """The gazetteer actors an article names: scanned once per article, not once per event checked."""
    return frozenset(a.name_en for a in gazetteer.find_actors(article_text))


def unnamed_sources(sources: Iterable[str], article_text: str, gazetteer: Gazetteer) -> list[str]:
    """The sources that are known outlets or actors (in the gazetteer) the article never names.

    The 1.5B model credits "Reuters" or "CNN" for figures an AFP story gives on the Observatory's
    authority. A source the gazetteer does not know cannot be checked this way and is not listed.
    """
    named = _named_actors(article_text, gazetteer)
    out = []
    for source in sources:
        entry = gazetteer.actor(source)
        if entry is not None and entry.name_en not in named:
            out.append(source)
    return out


_STATE_FORCE_WORDS = (
    re.compile(r"\b(?:soldiers?|troops?|army|military|armed forces|forces|servicem[ae]n|marines?)\b", re.I),
    lx.STATE_FORCE_SUBSTRINGS,
)
_ARMED_GROUP_WORDS = (
    re.compile(r"\b(?:fighters?|militants?|gunmen|militias?|factions?|insurgents?|jihadists?)\b", re.I),
    lx.ARMED_GROUP_SUBSTRINGS,
)
_CIVILIAN_WORDS = (
    re.compile(r"\b(?:civilians?|residents?|children|women|villagers?)\b", re.I),
    lx.CIVILIAN_WORDS,
)


def _says(words: tuple[re.Pattern[str], tuple[str, ...]], name_en: str | None, name_ar: str | None) -> bool:
    english, arabic = words
    return bool(name_en and english.search(name_en)) or bool(
        name_ar and any(c in normalize_ar(name_ar) for c in arabic)
    )


def checked_sector(sector: str, name_en: str | None, name_ar: str | None) -> str | None:
    """The PLOVER sector an actor's own name supports, or None when the model's stands.

    For actors the gazetteer does not know (their sector is the model's): a civilian (CVL) named
    soldiers, troops or forces is military (MIL), and one named fighters, militants or militias an
    unidentified armed force (UAF); an armed sector named civilians is civilian (CVL). The 1.5B model
    calls «جندياً أميركياً» (an American soldier) a civilian.
    """
    if sector == "CVL":
        if _says(_STATE_FORCE_WORDS, name_en, name_ar):
            return "MIL"
        if _says(_ARMED_GROUP_WORDS, name_en, name_ar):
            return "UAF"
        return None
    if _says(_CIVILIAN_WORDS, name_en, name_ar) and not (
        _says(_STATE_FORCE_WORDS, name_en, name_ar) or _says(_ARMED_GROUP_WORDS, name_en, name_ar)
    ):
        return "CVL"
    return None


def background_only(evidence: Sequence[str]) -> bool:
    """Whether every cited sentence is background (habitual: «كثيراً ما», «غالباً ما», «عادة ما»).

    ACLED codes incidents, not patterns: "they are often targeted by attacks" is no event. Headings of
    one or two words («ملخص») are neither and are not counted."""
    sentences = [s for s in evidence if len(s.split()) > 2]
    return bool(sentences) and all(
        any(c in normalize_ar(s) for c in lx.HABITUAL_SUBSTRINGS) for s in sentences
    )


_WEAPON_WORDS = re.compile(
    r"\b(?:drones?|uavs?|aircraft|air|airstrikes?|strikes?|jets?|planes?|helicopters?|rockets?|missiles?|"
    r"shell(?:s|ing)?|artillery|mortars?|ieds?|bombs?|explosives?|explosions?|mines?|landmines?|grenades?|"
    r"guns?|gunfire|firearms?|rifles?|small arms|weapons?|munitions?|projectiles?|car bomb|suicide)\b",
    re.I,
)


def names_a_weapon(weapon_en: str) -> bool:
    """Whether the model's weapon field names a weapon at all («drone», «rockets», «air strikes»).

    The 1.5B model fills it with actors («Unidentified armed group») or places."""
    return bool(_WEAPON_WORDS.search(weapon_en))


# --- Completers: one per event field -------------------------------------------------------------


#: Notice codes, by the field they concern (:attr:`Notice.field`). Short, stable snake_case strings:
#: tests and tools match on these, never on the wording of :attr:`Notice.message`.
#:
#: - ``event``: ``background_only`` (dropped: its cited sentences describe what happens often),
#:   ``event_invalid`` (dropped: the completed event fails validation).
#: - ``date``: ``date_not_in_article`` (Latin or digits the article does not hold; left unknown),
#:   ``date_names_no_time`` (the date words name no time; left unknown), ``date_from_sentences``
#:   (no usable date given; the cited sentences date the event).
#: - ``place``: ``place_not_in_article`` (as for the date), ``place_from_sentences`` (the cited
#:   sentences' place replaces the model's), ``place_unsupported`` (the cited sentences support no
#:   place; left unknown), ``place_widened_to_country`` (the place is named nowhere, its country is),
#:   ``place_not_named`` (named nowhere in the article; left unknown), ``place_cites_sentence`` (the
#:   sentence naming the place is cited too), ``place_not_in_gazetteer`` (kept as the model gave it).
#: - ``actors``: ``not_english`` (an English field in Arabic the gazetteer cannot translate; dropped),
#:   ``actor_sector_corrected`` (the actor's name says its sector).
#: - ``casualties``: ``figure_not_in_sentences`` (left unknown), ``not_english``, ``source_not_named``
#:   (a known outlet or actor the article never names; dropped).
#: - ``sources``: ``not_english``, ``source_not_named``.
#: - ``weapon``: ``not_english``, ``weapon_names_no_weapon`` (dropped).
#: - ``type``: ``type_from_weapon_words`` (the model's sub-event type has no support; retyped).
#: - ``status``: ``status_unsupported`` (reported as occurred).
NOTICE_CODES: dict[str, tuple[str, ...]] = {
    "event": ("background_only", "event_invalid"),
    "date": ("date_not_in_article", "date_names_no_time", "date_from_sentences"),
    "place": (
        "place_not_in_article",
        "place_from_sentences",
        "place_unsupported",
        "place_widened_to_country",
        "place_not_named",
        "place_cites_sentence",
        "place_not_in_gazetteer",
    ),
    "actors": ("not_english", "actor_sector_corrected"),
    "casualties": ("figure_not_in_sentences", "not_english", "source_not_named"),
    "sources": ("not_english", "source_not_named"),
    "weapon": ("not_english", "weapon_names_no_weapon"),
    "type": ("type_from_weapon_words",),
    "status": ("status_unsupported",),
}
#: Codes whose notice says the whole event was dropped («event 3 dropped: ...»).
_DROPPED = frozenset({"background_only", "event_invalid"})


@dataclass(frozen=True)
class Notice:
    """What code did to an event's field, typed: the step, the event (1-based), the field, a stable
    code (:data:`NOTICE_CODES`) and a human message. :attr:`text` is the line ``meta.warnings`` shows."""

    step: str
    event: int | None
    field: str
    code: str
    message: str

    def __post_init__(self) -> None:
        if self.code not in NOTICE_CODES.get(self.field, ()):
            raise ValueError(f"unknown notice code {self.code!r} for field {self.field!r}")

    @property
    def text(self) -> str:
        """The warning as ``meta.warnings`` gives it: «event 3: …», «event 3 dropped: …»."""
        if self.event is None:
            return self.message
        if self.code in _DROPPED:
            return f"event {self.event} dropped: {self.message}"
        return f"event {self.event}: {self.message}"


#: The pipeline step whose completion the notices below come from.
_STEP = "events"


def _notice(event: int | None, field: str, code: str, message: str) -> Notice:
    return Notice(step=_STEP, event=event, field=field, code=code, message=message)


def names_a_time(phrase: str) -> bool:
    """Whether date words name a time at all (a weekday, month, digit or time word), not just a place
    or an action the model copied into the date field."""
    words = lx.words_of(phrase)  # normalized
    return any(ch.isdigit() for w in words for ch in w) or any(lx.names_time(w) for w in words)


def background_notice(draft: EventDraft, evidence: Sequence[str], *, event: int) -> Notice | None:
    """Why the event is dropped when its cited sentences are background only (statements never are)."""
    if draft.event_type != "statement" and background_only(evidence):
        return _notice(
            event,
            "event",
            "background_only",
            "its cited sentences describe what happens often, not an incident",
        )
    return None


def words_in_article(
    draft: EventDraft, normalized_text: str, *, event: int
) -> tuple[EventDraft, list[Notice]]:
    """The draft without date or place words that are Latin or digits the article does not hold: the
    model copied the publication date it was given («2021-06-28») or wrote the place in English. Not
    the article's words: unknown. ``normalized_text`` is the article, normalized."""
    notices = []
    for key, field in (("date_words_ar", "date"), ("place_words_ar", "place")):
        words = getattr(draft, key)
        if words and not has_arabic(words) and normalize_ar(words) not in normalized_text:
            notices.append(
                _notice(
                    event,
                    field,
                    f"{field}_not_in_article",
                    f"{key} {words!r} not in the article; left unknown",
                )
            )
            draft = draft.model_copy(update={key: None})
    return draft, notices


def complete_date(
    draft: EventDraft, evidence: Sequence[str], published: dt.date | None, *, event: int
) -> tuple[EventDate, list[Notice]]:
    """The event's date: the model's date words resolved against the publication date when they name
    a time, else the first date the cited sentences name («... ليل الخميس والجمعة»), else unknown."""
    from summarizer.arabic.dates import find_date, resolve_date

    notices = []
    date = resolve_date(draft.date_words_ar, published)
    if date.value is None and draft.date_words_ar and not names_a_time(draft.date_words_ar):
        notices.append(
            _notice(
                event,
                "date",
                "date_names_no_time",
                f"date words {draft.date_words_ar!r} name no time; left unknown",
            )
        )
        date = resolve_date(None, published)
    if date.value is None:
        # The cited sentences often date the event themselves («... ليل الخميس والجمعة»).
        for sentence in evidence:
            found = find_date(sentence, published)
            if found is not None:
                notices.append(
                    _notice(
                        event,
                        "date",
                        "date_from_sentences",
                        f"date {found.value} from the cited sentences' {found.phrase_ar!r}",
                    )
                )
                date = found
                break
    return date, notices


def place_sentence(
    place: Place,
    numbers: Sequence[int],
    sentences: Sequence[str],
    gazetteer: Gazetteer,
    flagged: Collection[int] = (),
) -> int | None:
    """The sentence (1-based) that names an event's place: one it cites, else the nearest before its
    first cited sentence, else the nearest after, skipping ``flagged`` ones; None when the article
    names it nowhere."""

    def names(i: int) -> bool:
        found = gazetteer.place_mentions(strip_dateline(sentences[i - 1]))
        return any(p.name_en == place.name_en for p, _ in found)

    for n in dict.fromkeys(numbers):
        if names(n):
            return n
    first = min(numbers, default=1)
    order = [*range(first - 1, 0, -1), *range(first + 1, len(sentences) + 1)]
    return next((i for i in order if i not in flagged and names(i)), None)


def complete_place(
    draft: EventDraft,
    evidence: Sequence[str],
    sentences: Sequence[str],
    gazetteer: Gazetteer,
    *,
    event: int,
    flagged: Collection[int] = (),
) -> tuple[Location, list[str], list[Notice]]:
    """The event's location and its evidence, with the sentence naming the place added when the event
    does not cite it.

    The model's place (its Arabic words, else its English) looked up in the gazetteer, replaced by
    what the cited sentences support (:func:`place_from_evidence`); a place the article names nowhere
    is widened to its country when the article names that, else left unknown. A place the gazetteer
    does not know is kept as the model gave it."""
    evidence = list(evidence)
    notices = []
    place = None
    for name in (draft.place_words_ar, draft.place_en):
        if name:
            place = gazetteer.place(name)
            if place is not None:
                break
    evidence_place, why = place_from_evidence(
        place, evidence, gazetteer, locative_only=draft.event_type == "statement"
    )
    if why is not None and evidence_place is not None:
        notices.append(
            _notice(
                event,
                "place",
                "place_from_sentences",
                f"place {evidence_place.name_en!r} from the cited sentences ({why})",
            )
        )
        location = evidence_place.to_location()
    elif why is not None:
        notices.append(_notice(event, "place", "place_unsupported", f"place left unknown ({why})"))
        location = Location()
    elif place is not None:
        location = place.to_location(draft.place_words_ar)
        cited = place_sentence(place, draft.sentence_numbers, sentences, gazetteer, flagged)
        country = gazetteer.place(place.country_en) if place.country_en and place.kind != "country" else None
        if cited is None and country is not None:
            # «جنوب لبنان» the article never names, «لبنان» it does: the country, which holds it
            cited = place_sentence(country, draft.sentence_numbers, sentences, gazetteer, flagged)
            if cited is not None:
                notices.append(
                    _notice(
                        event,
                        "place",
                        "place_widened_to_country",
                        f"place {place.name_en!r} is named nowhere in the article; "
                        f"widened to {country.name_en!r}, which it names",
                    )
                )
                place, location = country, country.to_location()
        if cited is None:
            notices.append(
                _notice(
                    event,
                    "place",
                    "place_not_named",
                    f"place {place.name_en!r} is named nowhere in the article; left unknown",
                )
            )
            location = Location()
        elif cited not in draft.sentence_numbers:
            # «تبنت … الهجوم» with the airport named a sentence before: the event cites where it was
            notices.append(
                _notice(
                    event,
                    "place",
                    "place_cites_sentence",
                    f"cites sentence {cited}, which names its place {place.name_en!r}",
                )
            )
            evidence.append(sentences[cited - 1])
    else:
        if draft.place_words_ar or draft.place_en:
            notices.append(
                _notice(
                    event,
                    "place",
                    "place_not_in_gazetteer",
                    f"place {draft.place_words_ar or draft.place_en!r} is not in the gazetteer; "
                    "kept as the model gave it",
                )
            )
        location = Location(
            name_en=draft.place_en,
            name_ar=draft.place_words_ar,
            precision=3 if not draft.place_words_ar else 2,
        )
    return location, evidence, notices


def english_field(
    value: str | None, gazetteer: Gazetteer, *, event: int, field: str, key: str
) -> tuple[str | None, list[Notice]]:
    """An English field (``key`` of the draft) as the model gave it, translated through the gazetteer
    when the model wrote Arabic there, or dropped (``not_english``) when it cannot be."""
    if value is None or not has_arabic(value):
        return value, []
    entry = gazetteer.actor(value) or gazetteer.place(value)
    if entry is not None:
        return entry.name_en, []
    return None, [_notice(event, field, "not_english", f"{key} {value!r} is not English; dropped")]


def complete_actors(
    draft: EventDraft, gazetteer: Gazetteer, *, event: int
) -> tuple[list[Actor], list[Notice]]:
    """The event's actors: gazetteer entries where the gazetteer knows the name, else the model's
    actor with its English checked (:func:`english_field`) and its sector by its name
    (:func:`checked_sector`)."""
    notices: list[Notice] = []
    actors: list[Actor] = []
    for a in draft.actors:
        entry = (gazetteer.actor(a.arabic_name) if a.arabic_name else None) or gazetteer.actor(a.english_name)
        if entry is not None:
            actors.append(entry.to_actor(a.role, a.arabic_name))
            continue
        name_en, said = english_field(
            a.english_name, gazetteer, event=event, field="actors", key="english_name"
        )
        notices += said
        if name_en:
            sector = a.sector
            fixed = checked_sector(sector, name_en, a.arabic_name)
            if fixed is not None:
                notices.append(
                    _notice(
                        event,
                        "actors",
                        "actor_sector_corrected",
                        f"actor {name_en!r} is {fixed}, not {sector}, by its name",
                    )
                )
                sector = cast(Sector, fixed)
            actors.append(Actor(name_en=name_en, name_ar=a.arabic_name, role=a.role, sector=sector))
    return actors, notices


def complete_casualties(
    draft: EventDraft, evidence: Sequence[str], article_text: str, gazetteer: Gazetteer, *, event: int
) -> tuple[list[CasualtyReport], list[Notice]]:
    """The event's casualty reports: each figure only when the cited sentences give it
    (:func:`figure_in_evidence`), a report with no figure left dropped, its source only when the
    article names it (:func:`unnamed_sources`)."""
    notices: list[Notice] = []
    reports = []
    for c in draft.casualties:
        figures = {"killed": c.killed, "injured": c.injured}
        for kind, n in figures.items():
            # The small model writes 0 for "not given" (a zero needs «دون إصابات» or the like) and
            # repeats the article's headline figure on events it does not belong to.
            if n is not None and not figure_in_evidence(n, evidence):
                notices.append(
                    _notice(
                        event,
                        "casualties",
                        "figure_not_in_sentences",
                        f"{kind}={n} not in the cited sentences; left unknown",
                    )
                )
                figures[kind] = None
        if figures["killed"] is None and figures["injured"] is None:
            continue
        source, said = english_field(c.source_en, gazetteer, event=event, field="casualties", key="source_en")
        notices += said
        if source and unnamed_sources([source], article_text, gazetteer):
            notices.append(
                _notice(
                    event,
                    "casualties",
                    "source_not_named",
                    f"source {source!r} is not named in the article; dropped",
                )
            )
            source = None
        group, said = english_field(
            c.victims_en, gazetteer, event=event, field="casualties", key="victims_en"
        )
        notices += said
        reports.append(
            CasualtyReport(
                killed=figures["killed"], injured=figures["injured"], group_en=group, according_to=source
            )
        )
    return reports, notices


def complete_sources(
    draft: EventDraft,
    reports: Sequence[CasualtyReport],
    article_text: str,
    gazetteer: Gazetteer,
    *,
    event: int,
) -> tuple[list[str], list[Notice]]:
    """Whom the event is reported according to: the model's sources the article names, then the
    casualty reports' sources, each once."""
    notices: list[Notice] = []
    sources: list[str | None] = []
    for x in draft.sources_en:
        source, said = english_field(x, gazetteer, event=event, field="sources", key="sources_en")
        notices += said
        sources.append(source)
    for unnamed in unnamed_sources([x for x in sources if x], article_text, gazetteer):
        notices.append(
            _notice(
                event,
                "sources",
                "source_not_named",
                f"source {unnamed!r} is not named in the article; dropped",
            )
        )
        sources.remove(unnamed)
    according = list(
        dict.fromkeys([*(x for x in sources if x), *(r.according_to for r in reports if r.according_to)])
    )
    return according, notices


def complete_weapon(
    draft: EventDraft, gazetteer: Gazetteer, *, event: int
) -> tuple[str | None, list[Notice]]:
    """The event's weapon in English, dropped when it names no weapon (:func:`names_a_weapon`)."""
    weapon, notices = english_field(draft.weapon_en, gazetteer, event=event, field="weapon", key="weapon_en")
    if weapon and not names_a_weapon(weapon):
        notices.append(
            _notice(event, "weapon", "weapon_names_no_weapon", f"weapon {weapon!r} names no weapon; dropped")
        )
        weapon = None
    return weapon, notices


def complete_type(
    draft: EventDraft, evidence: Sequence[str], actors: Sequence[Actor], *, event: int
) -> tuple[SubEventType, list[Notice]]:
    """The event's sub-event type as the cited sentences support it (:func:`checked_sub_event_type`)."""
    sub_event_type = draft.sub_event_type
    civilian_target = any(a.role == "target" and a.sector == "CVL" for a in actors)
    retyped = checked_sub_event_type(sub_event_type, evidence, civilian_target)
    if retyped is None:
        return sub_event_type, []
    notice = _notice(
        event,
        "type",
        "type_from_weapon_words",
        f"{sub_event_type!r} has no support in the cited sentences; typed {retyped!r} "
        "from their weapon words",
    )
    return cast(SubEventType, retyped), [notice]


def complete_status(draft: EventDraft, evidence: Sequence[str], *, event: int) -> tuple[Status, list[Notice]]:
    """The event's status as the cited sentences support it (:func:`checked_status`)."""
    status = draft.status
    corrected = checked_status(status, evidence)
    if corrected is None:
        return status, []
    notice = _notice(
        event,
        "status",
        "status_unsupported",
        f"status {status!r} has no support in the cited sentences; reported as {corrected!r}",
    )
    return corrected, [notice]
