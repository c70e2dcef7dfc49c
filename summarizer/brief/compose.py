"""What the reader sees, composed by code from pieces the article proves.

- Each event's English description is rendered from its checked fields (type, attacker, place, date,
  figures with who gave them), with the gazetteer's names: "Air strike by the US military in Deir
  ez-Zor on 23 March 2023: 11 pro-Iran fighters killed (according to the Syrian Observatory for Human
  Rights (SOHR))." Its Arabic description is the first sentence it cites, verbatim.
- The key points are the events, most severe first then in article order, in both languages: the
  English rendered as above, the Arabic the clause of the cited sentence that holds the event (the
  article's own words). As many key points as the article has events: zero is a valid number.
- The Arabic summary is extractive: the headline is the article's own title when it has one, else
  its lede's first clause; the text is the lede (the first sentence after any dateline) and the
  sentences that carry the events' figures.
- The English headline and text are rendered from the most severe event; an article with no event
  gets the model's translation of its lede only where :mod:`summarizer.brief.crossscript` verifies it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from summarizer.brief.grounding import strip_dateline
from summarizer.schema import Event, KeyPoint

__all__ = [
    "arabic_headline",
    "describe",
    "english_headline",
    "key_points",
    "lede_index",
    "order_by_severity",
]

_WHAT = {
    "air_drone_strike": "Air strike",
    "shelling_artillery_missile_attack": "Shelling",
    "remote_explosive_landmine_ied": "Bombing",
    "suicide_bomb": "Suicide bombing",
    "grenade": "Grenade attack",
    "chemical_weapon": "Chemical attack",
    "armed_clash": "Armed clash",
    "attack": "Attack",
    "abduction_forced_disappearance": "Abduction",
    "arrests": "Arrests",
    "disrupted_weapons_use": "Interception",
    "looting_property_destruction": "Property destruction",
    "threat": "Threat",
    "accusation": "Accusation",
    "denial": "Denial",
    "claim_of_responsibility": "Claim of responsibility",
    "policy_statement": "Statement",
}
_BY_WEAPON = {
    "drone": "Drone attack",
    "rockets": "Rocket attack",
    "rocket": "Rocket attack",
    "mortars": "Mortar attack",
    "shells": "Shelling",
    "bombardment": "Bombardment",
    "aircraft": "Air strike",
    "explosive device": "Bombing",
}
_STATUS = {"claimed": "Claimed", "denied": "Denied", "threatened": "Threatened", "planned": "Planned"}
#: The words the templates write themselves: never a name to ground in the article.
#: Nouns code reads for statements beyond their sub-event type
#: (:data:`summarizer.arabic.lexicon.STATEMENT_CUES`).
_STATEMENT_HEADS = (
    "Condemnation", "Ceasefire announced", "Agreement announced", "Claimed neutralization of",
    "Denial of deaths",
)  # fmt: skip
TEMPLATE_WORDS = frozenset(
    w.lower()
    for text in (*_WHAT.values(), *_BY_WEAPON.values(), *_STATUS.values(), *_STATEMENT_HEADS)
    for w in text.split()
)
_MONTHS = [dt.date(2000, m, 1).strftime("%B") for m in range(1, 13)]


def what(event: Event) -> str:
    """The noun for the event: "Drone attack", "Air strike", "Threat"."""
    if event.weapon and event.weapon in _BY_WEAPON and event.event_type == "explosions_remote_violence":
        return _BY_WEAPON[event.weapon]
    return _WHAT.get(event.sub_event_type, event.sub_event_type.replace("_", " ").capitalize())


def date_en(event: Event) -> str | None:
    value = event.date.value
    if value is None or event.date.precision == "unknown":
        return None
    if event.date.precision == "month":
        return f"{_MONTHS[value.month - 1]} {value.year}"
    if event.date.precision == "week":
        return f"the week of {value.day} {_MONTHS[value.month - 1]} {value.year}"
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


#: The last word of a body's name that takes "the": "the Syrian Observatory for Human Rights", "the Rapid
#: Support Forces (RSF)", "the Sudan Doctors Network".
_BODIES = frozenset((
    "Observatory", "Network", "Centre", "Center", "Command", "Forces", "Force", "Brigades", "Brigade",
    "Army", "Ministry", "Council", "Agency", "Committee", "Committees", "Corporation", "Bank", "Company",
    "Coalition", "Guard", "Guards", "Movement", "Front", "Party", "Government", "Militias", "Authority",
    "Office", "Organization", "Organisation", "Union", "League", "Houthis", "Department", "Service",
    "Cell", "Unit", "Directorate",
))  # fmt: skip


def place_en(name: str) -> str:
    """ "in Deir ez-Zor"; a place named by a direction from another is "west of the Euphrates"."""
    m = re.match(r"(North|South|East|West|Northeast|Northwest|Southeast|Southwest)(?:ern)? of (.+)", name)
    if m:
        return f"{m.group(1).lower()} of {m.group(2)}"
    if re.search(r"\b(Airport|Air Base|Base|barracks|Barracks|oil field|gas field)$", name):
        # "at Jazan Airport", "at the al-Omar oil field", as English says it
        return f"at the {name}" if name.endswith("field") else f"at {name}"
    return f"in {name}"


def _the(name: str) -> str:
    """ "the US military", "the Pentagon" (kept), "the Syrian Observatory for Human Rights (SOHR)", "the
    pro-Iran militias", and "Hezbollah", "Lloyd Austin" (names without an article)."""
    if name.startswith("Pro-"):
        name = "p" + name[1:]  # mid-sentence: "by the pro-Iran militias"
    if name.startswith(("United ", "US ", "U.S. ")):
        return "the " + name
    if name.startswith(("the ", "The ")):
        return name
    bare = re.sub(r"\s*\([^)]*\)$", "", name).split()
    linked = len(bare) > 2 and any(w in ("of", "for", "and", "in") for w in bare)
    if bare and (bare[-1] in _BODIES or linked):
        return "the " + name
    if not name.split()[-1][:1].islower():
        return name
    return "the " + name


def _figures(event: Event) -> str | None:
    parts = []
    for r in event.casualty_reports:
        bits = []
        if r.killed == 0 and r.injured in (0, None):
            bits.append("no casualties reported")
        else:
            group = f" {r.group_en}" if r.group_en else ""
            if r.adds:  # «تسعة آخرين»
                group = f" other{group}" if group else " more"
            if r.killed:
                bits.append(f"{r.killed}{group} killed")
            if r.injured:
                bits.append(f"{r.injured}{'' if r.killed else group} injured")
        if not bits:
            continue
        text = ", ".join(bits)
        if r.according_to:
            text += f" (according to {_the(r.according_to)})"
        if text not in parts:
            parts.append(text)
    return "; ".join(parts) if parts else None


def _who(event: Event, *, targets: bool) -> list[str]:
    """ "by the US military" (or a clash's "between X and Y"), then "against the US military" when
    ``targets``: the phrases for who did it and to whom, shared by descriptions and headlines."""
    doers = [a for a in event.actors if a.role == "actor"]
    out = []
    if event.sub_event_type == "armed_clash" and len(doers) >= 2:
        out.append(f"between {_the(doers[0].name_en)} and {_the(doers[1].name_en)}")
    elif len(doers) >= 2:  # «القوات الأميركية وقوات سوريا الديمقراطية ردت»
        out.append(f"by {_the(doers[0].name_en)} and {_the(doers[1].name_en)}")
    elif doers:
        out.append(f"by {_the(doers[0].name_en)}")
    done_to = [a.name_en for a in event.actors if a.role == "target"]
    if targets and done_to:
        out.append(f"against {', '.join(_the(t) for t in done_to)}")
    return out


@dataclass(frozen=True)
class Read:
    """What code read of an incident beyond the schema's event fields, for its English sentence."""

    count: int | None = None
    """An interception's count («مسيرتين»: 2)."""
    object_en: str | None = None
    """What an interception brought down ("drones", "missiles")."""
    head: str | None = None
    """The noun code read for a statement: "Condemnation" for an accusation worded as one."""
    places: tuple[str, ...] = ()
    """Every place its sentences name for it, when more than one: "in Deir ez-Zor and al-Mayadin"."""
    origin: str | None = None
    """Where an intercepted missile or drone was launched from."""
    within: str | None = None
    """The city a neighbourhood is in («حي الشابورة وسط مدينة رفح»: "al-Shaboura, Rafah")."""


def _and(names: list[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def describe(event: Event, read: Read | None = None) -> str:
    """One English sentence about the event, rendered only from its fields and what code read of it."""
    read = read or Read()
    head = read.head or what(event)
    if event.sub_event_type == "disrupted_weapons_use" and read.object_en:
        n, things = read.count, read.object_en
        if n == 1:
            head = f"Interception of a {things.removesuffix('s')}"
        else:
            head = f"Interception of {n} {things}" if n else f"Interception of {things}"
        if read.origin:
            head += f" launched from {read.origin}"
    parts = [head, *_who(event, targets=True)]
    if len(read.places) > 1:
        parts.append(f"in {_and(list(read.places[:3]))}")
    elif event.location.name_en:
        where = place_en(event.location.name_en)
        parts.append(f"{where}, {read.within}" if read.within and where.startswith("in ") else where)
    when = date_en(event)
    if when:
        parts.append(f"in {when}" if event.date.precision in ("month", "week") else f"on {when}")
    text = " ".join(parts)
    if event.status in _STATUS and event.event_type != "statement":
        text = f"{_STATUS[event.status]}: {text[0].lower()}{text[1:]}"
    figures = _figures(event)
    if figures:
        text += f": {figures}"
    else:
        # who says so, unless it is who did it («أعلنت وزارة الدفاع تحييد …»: its own word)
        doers = {a.name_en for a in event.actors if a.role == "actor"}
        sources = [_the(s) for s in event.according_to if s not in doers]
        if sources:
            text += f", according to {_and(sources)}"
    return text + "."


def severity(event: Event) -> tuple[int, int, int]:
    """Sort key, most severe first: physical before statements, then killed, then injured."""
    physical = event.event_type != "statement"
    return (-int(physical), -(event.killed or 0), -(event.injured or 0))


def order_by_severity(events: Sequence[Event], lede: str | None = None) -> list[int]:
    """Indices of ``events``: incidents before statements, those the lede (its text, when given)
    reports first (a wire story leads with its news: the strike on Hodeidah before the clashes near
    Marib told further down, whatever their tolls), then the most severe, then in article order."""

    def key(i: int) -> tuple[int, ...]:
        physical, killed, injured = severity(events[i])
        return (physical, int(lede is not None and lede not in events[i].evidence), killed, injured, i)

    return sorted(range(len(events)), key=key)


def english_headline(event: Event) -> str:
    """A short headline from the most severe event: "Air strike in Deir ez-Zor: 11 killed", with the
    first figure the article gives for it (its lede's)."""
    head = what(event)
    if event.sub_event_type == "disrupted_weapons_use" and event.description_en.startswith("Interception of"):
        # what was intercepted, as the description (rendered from the incident) says it
        head = re.split(r" by | in | on |[:,.]", event.description_en, maxsplit=1)[0]
    head = " ".join([head, *_who(event, targets=event.event_type != "statement")])
    if event.location.name_en:
        head += f" {place_en(event.location.name_en)}"
    tolls = []
    for kind in ("killed", "injured"):
        # the first figure the article gives (its lede's); every figure is in the key points
        n = next((getattr(r, kind) for r in event.casualty_reports if getattr(r, kind)), None)
        if n:
            tolls.append(f"{n} {kind}")
    if tolls:
        head += ": " + ", ".join(tolls)
    if event.status in _STATUS and event.event_type != "statement":
        head = f"{_STATUS[event.status]}: {head[0].lower()}{head[1:]}"
    return head


_CLAUSE_END = re.compile(r"[،,؛;:]")


def arabic_clause(sentence: str, limit: int = 300) -> str:
    """The sentence without its dateline, cut at a clause boundary to at most ``limit`` characters
    (the article's own words, nothing added but "…" where it is cut)."""
    text = strip_dateline(sentence).strip()
    if len(text) <= limit:
        return text
    cut = max((m.start() for m in _CLAUSE_END.finditer(text, 0, limit - 1)), default=-1)
    if cut < 40:
        cut = text.rfind(" ", 0, limit - 1)
    return text[:cut].rstrip() + "…"


def lede_index(sentences: Sequence[str], title: str | None) -> int | None:
    """The 1-based id of the lede: the first sentence of at least six words that is not the title."""
    for i, s in enumerate(sentences, 1):
        if title and s.strip() == title.strip():
            continue
        if len(strip_dateline(s).split()) >= 6:
            return i
    return 1 if sentences else None


def arabic_headline(sentences: Sequence[str], title: str | None, lede: int | None) -> str | None:
    """The article's own title, or the lede's first clause (at most about 15 words)."""
    if title and title.strip():
        return title.strip()
    if lede is None:
        return None
    text = strip_dateline(sentences[lede - 1])
    first = _CLAUSE_END.split(text, maxsplit=1)[0].strip().rstrip(".")
    words = first.split()
    if len(words) > 15:
        first = " ".join(words[:15]) + "…"
    return first if len(first) >= 3 else None


def key_points(
    events: Sequence[Event],
    evidence_ids: Sequence[list[int]],
    limit: int = 6,
    said: Mapping[int, str] | None = None,
    lede: str | None = None,
) -> tuple[list[KeyPoint], list[KeyPoint]]:
    """English and Arabic key points, one per event (most severe first, at most ``limit``), each
    citing the event's sentences. ``said`` maps an event's index to the checked English of what its
    sentence says (a statement: the templates can say who and when, not what): it follows the
    rendered description in quotation marks."""
    en: list[KeyPoint] = []
    ar: list[KeyPoint] = []
    used: set[str] = set()
    for i in order_by_severity(events, lede)[:limit]:
        event = events[i]
        ids = evidence_ids[i]
        text = event.description_en
        quote = (said or {}).get(i)
        if quote and len(text) + len(quote) + 4 <= 300:
            text = f"{text.rstrip('.')}: “{quote.strip().rstrip('.')}.”"
        en.append(KeyPoint(text=text[:300], sentences=ids))
        # the first cited sentence not already a key point (two events told in one sentence)
        pick = next((k for k, q in enumerate(event.evidence) if arabic_clause(q) not in used), None)
        if pick is None:
            continue  # its sentences are key points already: the same Arabic is not shown twice
        text = arabic_clause(event.evidence[pick])
        used.add(text)
        ar.append(KeyPoint(text=text, sentences=[ids[pick]] if pick < len(ids) else ids))
    return en, ar
