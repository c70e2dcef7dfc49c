"""Incidents across outlets: events from different articles that describe the same incident, merged.

Two events (from two different articles) describe the same incident when all of these hold:

* **day**: both have a date and the dates are at most one day apart ("the night of Thursday to Friday"
  is the 23rd for one outlet and the 24th for another);
* **place**: the same place after gazetteer normalization (``summarizer.gazetteer`` when installed,
  else a comparison of ``location.name_en`` that ignores case, accents, hyphens, spaces, Arabic
  articles such as *al-*/*ez-* and words like *governorate*), with no conflicting governorate; an
  event placed only at governorate level (precision 3) also matches a place inside that governorate;
  two events placed only at a country («Syria») do not match: that says nothing about the place;
* **type**: the same ACLED event type, and the same sub-event type or two that outlets confuse for
  one another (a drone strike reported elsewhere as a rocket attack);
* **status**: both happened (occurred, claimed or denied) or both did not yet (threatened, planned);
* **actors**: the attackers are compatible and so are the targets (for battles, which imply no
  direction, the two sides may also be swapped). Two sides are compatible when either is unknown,
  when a name of one matches a name of the other (the gazetteer's actor lexicon decides when it knows
  both names; else the same significant words after normalizing "US"/"American"/"U.S."-style
  variants, or one is the other's acronym: SOHR, SDF, IRGC), or, failing names, when their PLOVER
  sectors fall in the same family (state, non-state armed, civilian; unidentified armed forces match
  any).

An incident is built greedily in date order with complete linkage: an event joins the best-scoring
incident only if it matches *every* event already in it, and an incident holds at most one event of
each article (an article that lists two events meant them as two). So a chain of attacks on one base
on consecutive days never collapses into one, and different incidents at the same base on different
days stay apart.

The merged incident keeps every outlet, every casualty figure with its attribution ("11 killed, SOHR
via AFP; 14 killed, Independent Arabia"), the lowest figure as its headline (ACLED's conservative
rule), and the union of the evidence quotes. Statements are not incidents: they are grouped by
speaker (the first actor with role "actor", else the first source the event is attributed to).
"""

from __future__ import annotations

import datetime as dt
import importlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from summarizer.schema import Actor, ArticleBrief, Event, Location

# --- the gazetteer interface -------------------------------------------------------------------------


class PlaceLike(Protocol):
    """What the digest needs from a gazetteer entry."""

    name_en: str
    admin1_en: str | None


class Gazetteer(Protocol):
    """What the digest needs from a gazetteer: look a place up by any of its names.

    A gazetteer that also has ``actor(name)`` returning an entry with ``name_en`` (as
    ``summarizer.gazetteer`` does) is used to recognize one actor under different names too.
    """

    def place(self, name: str) -> PlaceLike | None: ...


def load_gazetteer() -> tuple[Gazetteer | None, str | None]:
    """``summarizer.gazetteer.default_gazetteer()`` when installed; else None and, if it broke, why."""
    try:
        module = importlib.import_module("summarizer.gazetteer")
    except ModuleNotFoundError as e:
        if e.name == "summarizer.gazetteer":
            return None, None
        return None, f"gazetteer unavailable ({e}); places compared by name only"
    except Exception as e:  # a broken gazetteer must not stop the digest, but it must be visible
        return None, f"gazetteer unavailable ({type(e).__name__}: {e}); places compared by name only"
    factory = getattr(module, "default_gazetteer", None)
    if factory is None:
        return None, None
    try:
        return factory(), None
    except Exception as e:
        return None, f"gazetteer failed to load ({type(e).__name__}: {e}); places compared by name only"


# --- normalization -----------------------------------------------------------------------------------

#: Arabic articles and connectives in transliterated names, and words that only say what kind of place.
_PLACE_NOISE = frozenset(
    [
        "al",
        "el",
        "an",
        "ad",
        "ar",
        "as",
        "ash",
        "at",
        "az",
        "ez",
        "es",
        "the",
        "of",
        "governorate",
        "province",
        "city",
        "town",
        "district",
    ]
)
_AR_DIACRITICS = re.compile(r"[\u064B-\u065F\u0670\u0640]")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[’'`ʿʾ‘]", "", text.lower())


def _fold_ar(text: str) -> str:
    text = _AR_DIACRITICS.sub("", unicodedata.normalize("NFKC", text))
    text = re.sub("[إأآٱ]", "ا", text).replace("ة", "ه").replace("ى", "ي")
    words = [
        w[2:] if w.startswith("ال") and len(w) > 3 else w for w in re.split(r"[^\u0621-\u064A0-9]+", text)
    ]
    return "".join(w for w in words if w)


def place_key(name: str | None) -> str | None:
    """A spelling-tolerant key of an English place name: ``al-Omar Oil Field`` == ``Omar oilfield``."""
    if not name:
        return None
    tokens = [t for t in re.split(r"[^0-9a-z]+", _fold(name)) if t and t not in _PLACE_NOISE]
    return "".join(tokens) or None


_ACTOR_REWRITES = (
    (re.compile(r"\bu\.\s?s\.(?:\s?a\.)?"), "us "),
    (re.compile(r"\bunited states(?: of america)?\b"), "us"),
    (re.compile(r"\bcentral command\b"), "centcom"),
)
_ACTOR_ALIASES = {
    "american": "us",
    "america": "us",
    "usa": "us",
    "pentagon": "us",
    "centcom": "us",
    "iranian": "iran",
    "irgc": "iran",
    "syrian": "syria",
    "iraqi": "iraq",
    "israeli": "israel",
    "russian": "russia",
    "turkish": "turkey",
    "kurdish": "kurd",
    "kurds": "kurd",
}
#: Words that say what kind of party, not which one.
_ACTOR_NOISE = frozenset(
    [
        "the",
        "of",
        "and",
        "in",
        "for",
        "on",
        "to",
        "by",
        "a",
        "an",
        "al",
        "el",
        "pro",
        "backed",
        "affiliated",
        "aligned",
        "allied",
        "linked",
        "led",
        "supported",
        "loyal",
        "sponsored",
        "force",
        "forces",
        "group",
        "groups",
        "fighter",
        "fighters",
        "militia",
        "militias",
        "militiamen",
        "member",
        "members",
        "troop",
        "troops",
        "soldier",
        "soldiers",
        "personnel",
        "unit",
        "units",
        "faction",
        "factions",
        "armed",
        "military",
    ]
)
_ACRONYM_SKIP = frozenset(["of", "for", "the", "and", "in", "on", "al", "el"])


def actor_tokens(name: str) -> frozenset[str]:
    """The significant words of an actor's English name, with national variants unified."""
    text = _fold(name)
    for pattern, repl in _ACTOR_REWRITES:
        text = pattern.sub(repl, text)
    out = set()
    for token in re.split(r"[^0-9a-z]+", text):
        token = _ACTOR_ALIASES.get(token, token)
        if token and token not in _ACTOR_NOISE:
            out.add(token)
    return frozenset(out)


def _acronym(name: str) -> str:
    words = [w for w in re.split(r"[^0-9A-Za-z]+", _fold(name)) if w and w not in _ACRONYM_SKIP]
    return "".join(w[0] for w in words)


def _is_acronym_of(short: str, long: str) -> bool:
    short = short.strip()
    return 2 <= len(short) <= 8 and short.isupper() and short.isalpha() and short.lower() == _acronym(long)


def canonical_actor(name: str, gazetteer: Gazetteer | None) -> str | None:
    """The gazetteer's stable name for an actor, when it knows the actor."""
    lookup = getattr(gazetteer, "actor", None)
    if lookup is None:
        return None
    entry = lookup(name)
    value = getattr(entry, "name_en", None)
    return value if isinstance(value, str) else None


def names_match(a: str, b: str, gazetteer: Gazetteer | None = None) -> bool:
    """True when two English names plausibly name the same party (see the module docstring).

    When the gazetteer knows both names, it decides; otherwise the spelling rules do.
    """
    ca, cb = canonical_actor(a, gazetteer), canonical_actor(b, gazetteer)
    if ca is not None and cb is not None:
        return ca == cb
    if _is_acronym_of(a, b) or _is_acronym_of(b, a):
        return True
    ta, tb = actor_tokens(a), actor_tokens(b)
    return bool(ta and tb) and (ta <= tb or tb <= ta)


def speaker_key(name: str, gazetteer: Gazetteer | None = None) -> str:
    """Key that groups the spellings of one speaker's name."""
    canonical = canonical_actor(name, gazetteer)
    if canonical is not None:
        return "gazetteer:" + canonical
    tokens = actor_tokens(name)
    return " ".join(sorted(tokens)) if tokens else _fold(name).strip()


# --- matching ----------------------------------------------------------------------------------------

_SECTOR_FAMILY = {
    "MIL": "state",
    "GOV": "state",
    "REB": "armed",
    "PRM": "armed",
    "IMG": "armed",
    "CVL": "civilian",
}
_WILDCARD_SECTORS = frozenset({"UAF", "OTHER"})
#: Sub-event types outlets use for one another when reporting the same attack.
_CONFUSABLE_SUBTYPES = (frozenset({"air_drone_strike", "shelling_artillery_missile_attack"}),)
_HAPPENED = frozenset({"occurred", "claimed", "denied"})


@dataclass(frozen=True)
class Report:
    """One event as one outlet reported it."""

    event: Event
    article_id: str
    outlet: str
    url: str | None = None
    index: int = 1
    """1-based position of the event in its brief."""


@dataclass(frozen=True)
class _Place:
    key: str | None
    admin1: str | None
    region: bool
    name_en: str | None
    name_ar: str | None
    admin1_en: str | None
    country: bool = False
    """The place is a whole country."""


def _resolve_place(loc: Location, gazetteer: Gazetteer | None) -> _Place:
    name_en, admin1_en = loc.name_en, loc.admin1_en
    if gazetteer is not None:
        for candidate in (loc.name_en, loc.name_ar):
            found = gazetteer.place(candidate) if candidate else None
            if found is not None:
                name_en, admin1_en = found.name_en, found.admin1_en or admin1_en
                break
    key = place_key(name_en)
    if key is None and loc.name_ar:
        key = "ar:" + _fold_ar(loc.name_ar) if _fold_ar(loc.name_ar) else None
    country = key is not None and key == place_key(loc.country_en)
    return _Place(key, place_key(admin1_en), loc.precision == 3, name_en, loc.name_ar, admin1_en, country)


def _place_score(a: _Place, b: _Place) -> int | None:
    if a.country and b.country:
        return None  # "in Syria" and "in Syria": no evidence of one place
    if a.admin1 and b.admin1 and a.admin1 != b.admin1:
        return None
    if a.key and a.key == b.key:
        return 2
    if (a.region and a.key and a.key == b.admin1) or (b.region and b.key and b.key == a.admin1):
        return 1
    return None


def _side_score(xs: Sequence[Actor], ys: Sequence[Actor], gazetteer: Gazetteer | None) -> int | None:
    if not xs or not ys:
        return 0
    if any(names_match(x.name_en, y.name_en, gazetteer) for x in xs for y in ys):
        return 2
    sectors = {x.sector for x in xs} | {y.sector for y in ys}
    if sectors & _WILDCARD_SECTORS:
        return 1
    if {_SECTOR_FAMILY[x.sector] for x in xs} & {_SECTOR_FAMILY[y.sector] for y in ys}:
        return 1
    return None


def _sides(event: Event) -> tuple[list[Actor], list[Actor]]:
    return [a for a in event.actors if a.role == "actor"], [a for a in event.actors if a.role == "target"]


def _actor_score(a: Event, b: Event, gazetteer: Gazetteer | None) -> int | None:
    (aa, at), (ba, bt) = _sides(a), _sides(b)
    straight = _pair_score(_side_score(aa, ba, gazetteer), _side_score(at, bt, gazetteer))
    if a.event_type == "battles":  # ACLED battles imply no direction: the sides may be swapped
        crossed = _pair_score(_side_score(aa, bt, gazetteer), _side_score(at, ba, gazetteer))
        if crossed is not None and (straight is None or crossed > straight):
            return crossed
    return straight


def _pair_score(x: int | None, y: int | None) -> int | None:
    return None if x is None or y is None else x + y


def _subtype_score(a: Event, b: Event) -> int | None:
    if a.event_type != b.event_type:
        return None
    if a.sub_event_type == b.sub_event_type:
        return 1
    if any({a.sub_event_type, b.sub_event_type} <= group for group in _CONFUSABLE_SUBTYPES):
        return 0
    return None


def match_score(a: Report, b: Report, gazetteer: Gazetteer | None = None) -> tuple[int, int, int, int] | None:
    """How well two reports match as one incident (higher is better), or None when they cannot."""
    ea, eb = a.event, b.event
    if a.article_id == b.article_id or "statement" in (ea.event_type, eb.event_type):
        return None
    if ea.date.value is None or eb.date.value is None:
        return None
    gap = abs((ea.date.value - eb.date.value).days)
    if gap > 1:
        return None
    if (ea.status in _HAPPENED) != (eb.status in _HAPPENED):
        return None
    subtype = _subtype_score(ea, eb)
    if subtype is None:
        return None
    place = _place_score(_resolve_place(ea.location, gazetteer), _resolve_place(eb.location, gazetteer))
    if place is None:
        return None
    actors = _actor_score(ea, eb, gazetteer)
    if actors is None:
        return None
    return (place, -gap, actors, subtype)


# --- the merged views --------------------------------------------------------------------------------


@dataclass
class Figure:
    """One casualty figure with who gave it and which outlets carried it."""

    killed: int | None
    injured: int | None
    according_to: str | None
    outlets: list[str]
    group: str | None = None

    def numbers(self) -> str:
        """``11 killed``, ``6 injured`` or ``1 killed and 6 injured``."""
        parts = [f"{self.killed} killed" if self.killed is not None else "", ""]
        if self.injured is not None:
            parts[1] = f"{self.injured} injured"
        return " and ".join(p for p in parts if p)

    def attribution(self) -> str:
        """``SOHR via AFP`` or, when the outlet gives it on its own authority, ``Independent Arabia``."""
        outlets = ", ".join(self.outlets)
        return f"{self.according_to} via {outlets}" if self.according_to else outlets

    def label(self) -> str:
        """``11 killed, SOHR via AFP``."""
        return f"{self.numbers()}, {self.attribution()}"


@dataclass
class Quote:
    """A verbatim Arabic evidence quote and the outlets that carried it."""

    text: str
    outlets: list[str]


@dataclass
class Incident:
    """Events from one or more outlets describing one incident."""

    reports: list[Report]
    date_first: dt.date | None = None
    date_last: dt.date | None = None
    place_en: str | None = None
    place_ar: str | None = None
    admin1_en: str | None = None
    event_type: str = ""
    sub_event_types: list[str] = field(default_factory=list)
    status: str = "occurred"
    attackers: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    weapons: list[str] = field(default_factory=list)
    killed: int | None = None
    """Lowest reported number killed (the headline figure)."""
    injured: int | None = None
    """Lowest reported number injured."""
    figures: list[Figure] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    evidence: list[Quote] = field(default_factory=list)

    @property
    def merged(self) -> bool:
        """True when more than one article reported it."""
        return len({r.article_id for r in self.reports}) > 1


@dataclass
class StatementGroup:
    """Statements of one speaker, across outlets, in date order."""

    speaker: str
    speaker_ar: str | None
    statements: list[Report]


@dataclass
class MergeResult:
    """Incidents, statements by speaker, and anything worth a warning."""

    incidents: list[Incident]
    statements: list[StatementGroup]
    warnings: list[str] = field(default_factory=list)


def _plain_key(value: str) -> str:
    return " ".join(value.split()).casefold()


def _unique(values: Iterable[str | None], key: Callable[[str], str] = _plain_key) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for value in values:
        if not value:
            continue
        k = key(value)
        if k not in seen:
            seen.add(k)
            out.append(value)
    return out


def _figures(reports: Sequence[Report], gazetteer: Gazetteer | None) -> list[Figure]:
    figures: list[Figure] = []
    for report in reports:
        e = report.event
        given = [(r.killed, r.injured, r.according_to, r.group_en) for r in e.casualty_reports]
        given = [g for g in given if g[0] is not None or g[1] is not None]
        if not given and (e.killed is not None or e.injured is not None):
            given = [(e.killed, e.injured, ", ".join(e.according_to) or None, None)]
        for killed, injured, according_to, group in given:
            for fig in figures:
                same_source = (fig.according_to is None and according_to is None) or (
                    fig.according_to is not None
                    and according_to is not None
                    and names_match(fig.according_to, according_to, gazetteer)
                )
                if (fig.killed, fig.injured) == (killed, injured) and same_source:
                    if report.outlet not in fig.outlets:
                        fig.outlets.append(report.outlet)
                    break
            else:
                figures.append(Figure(killed, injured, according_to, [report.outlet], group))
    big = 10**9
    figures.sort(
        key=lambda f: (f.killed if f.killed is not None else big, f.injured if f.injured is not None else big)
    )
    return figures


def _summarize(reports: list[Report], gazetteer: Gazetteer | None) -> Incident:
    events = [r.event for r in reports]
    dates = sorted(e.date.value for e in events if e.date.value is not None)
    places = [(_resolve_place(e.location, gazetteer), e.location.precision) for e in events]
    best = min(places, key=lambda p: p[1])[0] if places else None
    figures = _figures(reports, gazetteer)
    killed = [f.killed for f in figures if f.killed is not None]
    injured = [f.injured for f in figures if f.injured is not None]
    quotes: list[Quote] = []
    for report in reports:
        for text in report.event.evidence:
            norm = " ".join(text.split())
            for quote in quotes:
                if " ".join(quote.text.split()) == norm:
                    if report.outlet not in quote.outlets:
                        quote.outlets.append(report.outlet)
                    break
            else:
                quotes.append(Quote(text, [report.outlet]))
    statuses = [e.status for e in events]

    def actor_key(name: str) -> str:
        return speaker_key(name, gazetteer)

    return Incident(
        reports=reports,
        date_first=dates[0] if dates else None,
        date_last=dates[-1] if dates else None,
        place_en=best.name_en if best else None,
        place_ar=best.name_ar if best else None,
        admin1_en=best.admin1_en if best else None,
        event_type=events[0].event_type,
        sub_event_types=_unique(e.sub_event_type for e in events),
        status="occurred" if "occurred" in statuses else statuses[0],
        attackers=_unique((a.name_en for e in events for a in _sides(e)[0]), key=actor_key),
        targets=_unique((a.name_en for e in events for a in _sides(e)[1]), key=actor_key),
        weapons=_unique(e.weapon for e in events),
        killed=min(killed) if killed else None,
        injured=min(injured) if injured else None,
        figures=figures,
        outlets=_unique(r.outlet for r in reports),
        evidence=quotes,
    )


def _speaker(event: Event) -> tuple[str, str | None]:
    for actor in event.actors:
        if actor.role == "actor":
            return actor.name_en, actor.name_ar
    if event.according_to:
        return event.according_to[0], None
    return "Unattributed", None


def merge_incidents(
    briefs: Sequence[tuple[ArticleBrief, str]],
    *,
    gazetteer: Gazetteer | None = None,
) -> MergeResult:
    """Merge the events of ``briefs`` (each with its outlet's name) into incidents and statement groups.

    Args:
        briefs: ``(brief, outlet)`` pairs, in the order the digest lists the articles.
        gazetteer: normalizes place names; None loads ``summarizer.gazetteer``'s default when installed.
    """
    warnings: list[str] = []
    if gazetteer is None:
        gazetteer, warning = load_gazetteer()
        if warning:
            warnings.append(warning)
    reports: list[Report] = []
    order: dict[str, int] = {}
    for position, (brief, outlet) in enumerate(briefs):
        order.setdefault(brief.article.id, position)
        for index, event in enumerate(brief.events, 1):
            reports.append(Report(event, brief.article.id, outlet, brief.article.url, index))

    far = dt.date.max

    def chronological(r: Report) -> tuple[dt.date, int, int]:
        return (r.event.date.value or far, order[r.article_id], r.index)

    clusters: list[list[Report]] = []
    for report in sorted((r for r in reports if r.event.event_type != "statement"), key=chronological):
        best: tuple[tuple[int, int, int, int], int] | None = None
        for i, cluster in enumerate(clusters):
            if any(m.article_id == report.article_id for m in cluster):
                continue
            scores = [match_score(report, m, gazetteer) for m in cluster]
            if any(s is None for s in scores):
                continue
            score = min(s for s in scores if s is not None)
            if best is None or score > best[0]:
                best = (score, i)
        if best is None:
            clusters.append([report])
        else:
            clusters[best[1]].append(report)
    incidents = [_summarize(cluster, gazetteer) for cluster in clusters]
    incidents.sort(key=lambda inc: (inc.date_first or far, -len(inc.outlets)))

    groups: dict[str, StatementGroup] = {}
    for report in sorted((r for r in reports if r.event.event_type == "statement"), key=chronological):
        name, name_ar = _speaker(report.event)
        group = groups.setdefault(speaker_key(name, gazetteer), StatementGroup(name, name_ar, []))
        group.speaker_ar = group.speaker_ar or name_ar
        group.statements.append(report)
    statements = sorted(groups.values(), key=lambda g: (-len(g.statements), g.speaker.casefold()))
    return MergeResult(incidents, statements, warnings)
