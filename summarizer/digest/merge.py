"""Incidents across outlets: events from different articles that describe the same incident, merged.

Two events (from two different articles) describe the same incident when all of these hold:

* **day**: both have a date and the dates are at most one day apart ("the night of Thursday to Friday"
  is the 23rd for one outlet and the 24th for another);
* **place**: the same place after gazetteer normalization (the shipped gazetteer unless it fails to
  load), then a comparison of the English names that ignores case, accents, hyphens, spaces, Arabic
  articles such as *al-*/*ez-* and words like *governorate* (``summarizer.arabic.gazetteer.resolve_place``
  with ``loose``), with no conflicting governorate; an event placed only at governorate level
  (precision 3) also matches a place inside that governorate; two events placed only at a country
  («Syria») do not match: that says nothing about the place;
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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from summarizer.arabic.gazetteer import (
    PlaceLookup,
    ResolvedPlace,
    actor_key,
    default_gazetteer,
    names_match,
    resolve_place,
)
from summarizer.errors import one_line
from summarizer.schema import Actor, ArticleBrief, Event, Location

# --- the gazetteer -----------------------------------------------------------------------------------


def load_gazetteer() -> tuple[PlaceLookup | None, str | None]:
    """``summarizer.arabic.gazetteer.default_gazetteer()``; None and why when it fails to load (a broken user
    file must not stop the digest, but it must be visible: the digest then compares places by name)."""
    try:
        return default_gazetteer(), None
    except Exception as e:
        return None, f"gazetteer failed to load ({one_line(e, with_type=True)}); places compared by name only"


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


def _resolve_place(loc: Location, gazetteer: PlaceLookup | None) -> ResolvedPlace:
    return resolve_place(
        gazetteer,
        loc.name_en,
        loc.name_ar,
        admin1_en=loc.admin1_en,
        country_en=loc.country_en,
        precision=loc.precision,
        loose=True,
    )


def _place_score(a: ResolvedPlace, b: ResolvedPlace) -> int | None:
    if a.is_country and b.is_country:
        return None  # "in Syria" and "in Syria": no evidence of one place
    if a.admin1 and b.admin1 and a.admin1 != b.admin1:
        return None
    if a.key and a.key == b.key:
        return 2
    if (a.region and a.key and a.key == b.admin1) or (b.region and b.key and b.key == a.admin1):
        return 1
    return None


def _side_score(xs: Sequence[Actor], ys: Sequence[Actor], gazetteer: PlaceLookup | None) -> int | None:
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


def _actor_score(a: Event, b: Event, gazetteer: PlaceLookup | None) -> int | None:
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


def match_score(
    a: Report, b: Report, gazetteer: PlaceLookup | None = None
) -> tuple[int, int, int, int] | None:
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


def _figures(reports: Sequence[Report], gazetteer: PlaceLookup | None) -> list[Figure]:
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


def _summarize(reports: list[Report], gazetteer: PlaceLookup | None) -> Incident:
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

    def party(name: str) -> str:
        return actor_key(name, gazetteer, loose=True)

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
        attackers=_unique((a.name_en for e in events for a in _sides(e)[0]), key=party),
        targets=_unique((a.name_en for e in events for a in _sides(e)[1]), key=party),
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
    gazetteer: PlaceLookup | None = None,
) -> MergeResult:
    """Merge the events of ``briefs`` (each with its outlet's name) into incidents and statement groups.

    Args:
        briefs: ``(brief, outlet)`` pairs, in the order the digest lists the articles.
        gazetteer: normalizes place and actor names; None loads ``summarizer.arabic.gazetteer``'s default
        (when it
            fails to load, places are compared by name and the result's warnings say why).
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
        group = groups.setdefault(actor_key(name, gazetteer, loose=True), StatementGroup(name, name_ar, []))
        group.speaker_ar = group.speaker_ar or name_ar
        group.statements.append(report)
    statements = sorted(groups.values(), key=lambda g: (-len(g.statements), g.speaker.casefold()))
    return MergeResult(incidents, statements, warnings)
