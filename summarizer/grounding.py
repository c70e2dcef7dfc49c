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

The cue words are normalized (:func:`~summarizer.arabic.normalize_ar`) and matched as substrings.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

from summarizer.arabic import normalize_ar
from summarizer.gazetteer import Gazetteer, Place
from summarizer.numbers import numbers_in_text
from summarizer.schema import Status

__all__ = [
    "WEAPON_CUES",
    "background_only",
    "checked_sector",
    "checked_status",
    "checked_sub_event_type",
    "figure_in_evidence",
    "names_a_weapon",
    "place_from_evidence",
    "place_rank",
    "strip_dateline",
    "unnamed_sources",
    "zero_supported",
]


def _cues(words: str) -> tuple[str, ...]:
    return tuple(normalize_ar(w) for w in words.split("|"))


#: Weapon words → the ACLED sub-event type they imply, in the order ties are broken.
WEAPON_CUES: dict[str, tuple[str, ...]] = {
    "air_drone_strike": _cues(
        "طائرة مسيرة|طائرات مسيرة|بطائرة|طائرات|مسيرة|مسيرات|مسيّرة|بدون طيار|درون|غارة|غارات|"
        "ضربة جوية|ضربات جوية|ضربات جويه|قصف جوي|الطيران|مقاتلات"
    ),
    "shelling_artillery_missile_attack": _cues("صاروخ|صواريخ|صاروخية|قذيفة|قذائف|مدفعي|مدفعية|هاون|راجمات"),
    "remote_explosive_landmine_ied": _cues("عبوة ناسفة|عبوات ناسفة|لغم|ألغام|مفخخة|مفخخ|تفجير|قنبلة"),
    "suicide_bomb": _cues("انتحاري|انتحارية"),
    "armed_clash": _cues("اشتباك|اشتباكات|معارك|مواجهات|اقتتال"),
}
#: Words that make the victims civilians (an attack on civilians needs one, or a civilian target).
_CIVILIAN_CUES = _cues("مدني|مدنيين|مدنية|مواطن|مواطنين|أطفال|طفل|نساء|امرأة|سكان|عائلة|أهالي")
_ARREST_CUES = _cues("اعتقل|اعتقال|اعتقلت|احتجز|احتجاز|القبض|توقيف|أسر")
#: Words saying nobody was killed or hurt: the only support a figure of 0 has.
_NO_CASUALTY_CUES = _cues(
    "دون إصابات|دون وقوع إصابات|دون سقوط ضحايا|دون ضحايا|دون خسائر بشرية|لم تسفر عن|لم يسفر عن|"
    "لا إصابات|لا توجد إصابات|لم تقع إصابات|لم يصب|لم يُصب|لم تسجل إصابات|لم ترد تقارير عن إصابات|دون أن يسفر|"
    "عدم وقوع إصابات|عدم سقوط ضحايا|دون وقوع أضرار أو إصابات|دون أضرار أو إصابات|دون وقوع إصابات أو أضرار"
)

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
    for sub, cues in WEAPON_CUES.items():
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
        if civilian_target or any(c in text for c in _CIVILIAN_CUES):
            return None
    elif sub_event_type == "arrests":
        if any(c in text for c in _ARREST_CUES):
            return None
    elif sub_event_type in WEAPON_CUES:
        if any(c in text for c in WEAPON_CUES[sub_event_type]):
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


#: Words that make a sentence a claim, a denial, a threat or a plan.
_STATUS_CUES: dict[str, tuple[str, ...]] = {
    "claimed": _cues("تبنى|تبنت|مسؤوليته|مسؤوليتها|المسؤولية|أعلنت|أعلن|يزعم|زعم"),
    "denied": _cues("نفى|نفت|ينفي|تنفي|نفي"),
    "threatened": _cues("هدد|هددت|يهدد|تهدد|تهديد|توعد|توعدت|سنرد|سترد|سنتخذ|سنقاوم"),
    "planned": _cues("تخطط|يخطط|تعتزم|يعتزم|خطط|تستعد|يستعد"),
}


def checked_status(status: str, evidence: Sequence[str]) -> Status | None:
    """The status the cited sentences support: a claim, denial, threat or plan needs its words in them.

    The 1.5B model often calls an attack the article reports as done "threatened" or "claimed". When
    the cited sentences carry none of that status's words (تبنى، نفى، هدد، يخطط...), the event is
    reported as having occurred; returns None when the model's status stands."""
    cues = _STATUS_CUES.get(status)
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
    first: see :meth:`~summarizer.gazetteer.Gazetteer.place_mentions`) replaces the
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
    found = list({p.name_en: p for p, _ in reversed(mentions)}.values())[::-1]  # each once, in order
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


#: Words of killing, wounding and victims (normalized; substrings: «قتل» is in «قتلى», «مقتل»).
_CASUALTY_CUES = _cues(
    "قتل|قتيل|مصرع|حتف|جرح|جريح|إصاب|اصاب|أصيب|اصيب|مصاب|ضحايا|ضحية|استشهد|شهيد|شهداء|وفاة|توفي|"
    "killed|dead|wounded|injured"
)
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
            if any(c in norm for c in _CASUALTY_CUES) and figure in numbers_in_text(clause):
                return True
    return False


def zero_supported(evidence: Sequence[str]) -> bool:
    """Whether the cited sentences say nobody was killed or hurt («دون إصابات», «لم تسفر عن ضحايا»)."""
    text = _text(evidence)
    return any(c in text for c in _NO_CASUALTY_CUES)


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
    _cues("جندي|جنديا|جنود|الجنود|جيش|الجيش|عسكري|عسكريين|العسكريين|قوات|القوات"),
)
_ARMED_GROUP_WORDS = (
    re.compile(r"\b(?:fighters?|militants?|gunmen|militias?|factions?|insurgents?|jihadists?)\b", re.I),
    _cues("مقاتل|مقاتلين|مقاتلون|مسلح|مسلحين|مسلحون|ميليشيا|ميليشيات|مليشيات|فصائل|فصيل"),
)
_CIVILIAN_WORDS = (
    re.compile(r"\b(?:civilians?|residents?|children|women|villagers?)\b", re.I),
    _CIVILIAN_CUES,
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


#: Words that make a sentence background: what happens often or usually, not one incident.
_HABITUAL_CUES = _cues("كثيرا ما|كثيراً ما|غالبا ما|غالباً ما|عادة ما|عادةً ما|دائما ما|مرارا")


def background_only(evidence: Sequence[str]) -> bool:
    """Whether every cited sentence is background (habitual: «كثيراً ما», «غالباً ما», «عادة ما»).

    ACLED codes incidents, not patterns: "they are often targeted by attacks" is no event. Headings of
    one or two words («ملخص») are neither and are not counted."""
    sentences = [s for s in evidence if len(s.split()) > 2]
    return bool(sentences) and all(any(c in normalize_ar(s) for c in _HABITUAL_CUES) for s in sentences)


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
