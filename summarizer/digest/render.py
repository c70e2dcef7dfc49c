"""Rendering a digest: subject, HTML and plain text from Jinja2 templates, all fed one view model.

The templates live in ``templates/digest/`` at the top of the repository and are bundled into the
wheel as ``summarizer/_bundled/templates/digest/``. They run in Jinja2's sandbox with autoescape on for
the HTML template, so every piece of article content (untrusted: titles, quotes, model output) is
escaped; links are kept only when they are ``http``/``https``. The HTML has its styles inline (mail
clients drop ``<style>``), Arabic blocks in ``dir="rtl" lang="ar"`` and English ones in ``dir="ltr"``.
Both parts are rendered from the same view model, so they carry the same content.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import jinja2
from jinja2.sandbox import SandboxedEnvironment

import summarizer
from summarizer.digest.merge import Figure, Incident, StatementGroup
from summarizer.errors import ConfigError
from summarizer.schema import Actor, ArticleBrief, Event

if TYPE_CHECKING:
    from summarizer.digest.types import BriefedArticle, Digest

TEMPLATE_NAMES = ("subject.txt.j2", "digest.html.j2", "digest.txt.j2")

EVENT_TYPE_LABELS = {
    "battles": "Battles",
    "explosions_remote_violence": "Explosions/Remote violence",
    "violence_against_civilians": "Violence against civilians",
    "protests": "Protests",
    "riots": "Riots",
    "strategic_developments": "Strategic developments",
    "statement": "Statement",
}
_SUB_EVENT_LABELS = {
    "air_drone_strike": "Air/drone strike",
    "shelling_artillery_missile_attack": "Shelling/artillery/missile attack",
    "remote_explosive_landmine_ied": "Remote explosive/landmine/IED",
    "abduction_forced_disappearance": "Abduction/forced disappearance",
    "looting_property_destruction": "Looting/property destruction",
    "change_to_group_activity": "Change to group/activity",
}


def sub_event_label(sub_event_type: str) -> str:
    """ACLED's wording of a sub-event type: ``air_drone_strike`` -> ``Air/drone strike``."""
    return _SUB_EVENT_LABELS.get(sub_event_type, sub_event_type.replace("_", " ").capitalize())


def template_dirs() -> list[Path]:
    """Where the digest templates are looked for: the wheel's bundled copy, then the repository's."""
    package = Path(summarizer.__file__).resolve().parent
    return [package / "_bundled" / "templates" / "digest", package.parent / "templates" / "digest"]


def find_templates(explicit: str | Path | None = None) -> Path:
    """The first folder holding every digest template."""
    candidates = [Path(explicit)] if explicit else template_dirs()
    for folder in candidates:
        if all((folder / name).is_file() for name in TEMPLATE_NAMES):
            return folder
    where = " or ".join(str(c) for c in candidates)
    raise ConfigError(f"digest templates ({', '.join(TEMPLATE_NAMES)}) not found in {where}")


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) link, else None (no ``javascript:`` or ``data:`` in hrefs)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def _date_range(first: dt.date | None, last: dt.date | None) -> str:
    if first is None:
        return "date unknown"
    if last is None or last == first:
        return first.isoformat()
    return f"{first.isoformat()} – {last.isoformat()}"


def _toll(killed: int | None, injured: int | None) -> str:
    parts = [
        f"{killed} killed" if killed is not None else "",
        f"{injured} injured" if injured is not None else "",
    ]
    return ", ".join(p for p in parts if p) or "none reported"


def _place(name_en: str | None, admin1: str | None) -> str:
    if name_en and admin1 and admin1.casefold() not in name_en.casefold():
        return f"{name_en}, {admin1}"
    return name_en or admin1 or "place unknown"


def _figure_labels(figures: list[Figure]) -> list[str]:
    return [f.label() for f in figures]


def _parties(actors: list[Actor]) -> tuple[list[str], list[str]]:
    return [a.name_en for a in actors if a.role == "actor"], [a.name_en for a in actors if a.role == "target"]


def _actor_line(attackers: list[str], targets: list[str]) -> str:
    text = ", ".join(attackers) or "unidentified"
    return f"{text} → {', '.join(targets)}" if targets else text


_ARABIC_LETTER = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
_NOT_LETTER = re.compile(r"[\W_\u064B-\u065F\u0670\u0640]+")


def has_arabic(text: str) -> bool:
    """True when ``text`` holds an Arabic letter."""
    return bool(_ARABIC_LETTER.search(text))


def _same_sentence(a: str | None, b: str | None) -> bool:
    """Two Arabic sentences that say the same words (punctuation, spacing, diacritics aside)."""
    if not a or not b:
        return False
    x, y = _NOT_LETTER.sub("", a), _NOT_LETTER.sub("", b)
    if not x or not y:
        return False
    short, long = sorted((x, y), key=len)
    return short in long and len(short) >= 0.8 * len(long)


def _event_date(event: Event) -> str:
    if event.date.value:
        return event.date.value.isoformat()
    return event.date.phrase_ar or "date unknown"


def _event_view(number: int, event: Event) -> dict[str, Any]:
    attackers, targets = _parties(event.actors)
    return {
        "number": number,
        "date": _event_date(event),
        "date_is_arabic": event.date.value is None and bool(event.date.phrase_ar),
        "type": EVENT_TYPE_LABELS.get(event.event_type, event.event_type),
        "sub_type": sub_event_label(event.sub_event_type),
        "status": event.status if event.status != "occurred" else None,
        "place": _place(event.location.name_en, event.location.admin1_en),
        "place_ar": event.location.name_ar,
        "actors": _actor_line(attackers, targets),
        "weapon": event.weapon,
        "description_en": event.description_en,
        # not repeated when it only copies an evidence quote (the quote is in the incident)
        "description_ar": None
        if any(_same_sentence(event.description_ar, q) for q in event.evidence)
        else event.description_ar,
    }


def _article_figures(brief: ArticleBrief) -> list[dict[str, Any]]:
    """Every casualty figure of the article with who gave it, once, and the event it belongs to."""
    out: list[dict[str, Any]] = []
    for number, event in enumerate(brief.events, 1):
        given = [
            (r.killed, r.injured, r.according_to, f"more {r.group_en or 'people'}" if r.adds else r.group_en)
            for r in event.casualty_reports
        ]
        given = [g for g in given if g[0] is not None or g[1] is not None]
        if not given and (event.killed is not None or event.injured is not None):
            given = [(event.killed, event.injured, ", ".join(event.according_to) or None, None)]
        for killed, injured, according_to, group in given:
            out.append(
                {
                    "toll": _toll(killed, injured),
                    "according_to": according_to or "the outlet itself",
                    "group": group,
                    "event": number,
                    "where": _place(event.location.name_en, event.location.admin1_en)
                    + ", "
                    + _event_date(event),
                }
            )
    return out


def _summary_view(summary: Any) -> dict[str, Any]:
    return {
        "headline": summary.headline,
        "text": summary.text,
        "key_points": [
            {"text": kp.text, "sentences": ", ".join(str(n) for n in kp.sentences)}
            for kp in summary.key_points
        ],
    }


def _brief_view(number: int, briefed: BriefedArticle) -> dict[str, Any]:
    brief: ArticleBrief = briefed.brief
    article = brief.article
    item = briefed.item
    published = article.published or item.article.published
    return {
        "number": number,
        "anchor": f"article-{number}",
        "outlet": briefed.outlet,
        "title": article.title or item.article.title,
        "url": safe_url(article.url or item.article.url),
        "published": published.isoformat() if published else None,
        "origin": Path(item.origin).name,
        "late": item.late,
        "cached": brief.meta.cached,
        "en": _summary_view(brief.summary.en),
        "ar": _summary_view(brief.summary.ar),
        "events": [_event_view(i, e) for i, e in enumerate(brief.events, 1)],
        "figures": _article_figures(brief),
        "warnings": brief.meta.warnings + [f"step failed: {s}" for s in brief.meta.failed_steps],
    }


def incident_order(incidents: Sequence[Incident]) -> list[Incident]:
    """Most severe first (killed, then injured), then most recent; incidents with no date last."""

    def key(inc: Incident) -> tuple[int, int, int, int]:
        last = inc.date_last or inc.date_first
        return (
            0 if inc.date_first is not None else 1,
            -(inc.killed if inc.killed is not None else -1),
            -(inc.injured if inc.injured is not None else -1),
            -(last.toordinal() if last else 0),
        )

    return sorted(incidents, key=key)


def _incident_view(number: int, incident: Incident) -> dict[str, Any]:
    evidence = [{"text": q.text, "outlets": ", ".join(q.outlets)} for q in incident.evidence]
    descriptions = []
    for r in incident.reports:
        # the description is not shown again when it only repeats an evidence quote
        repeated = any(_same_sentence(r.event.description_ar, q.text) for q in incident.evidence)
        descriptions.append(
            {
                "outlet": r.outlet,
                "en": r.event.description_en,
                "ar": None if repeated else r.event.description_ar,
            }
        )
    return {
        "number": number,
        "anchor": f"incident-{number}",
        "date": _date_range(incident.date_first, incident.date_last),
        "place": _place(incident.place_en, incident.admin1_en),
        "place_ar": incident.place_ar,
        "type": EVENT_TYPE_LABELS.get(incident.event_type, incident.event_type),
        "sub_types": " / ".join(sub_event_label(s) for s in incident.sub_event_types),
        "status": incident.status if incident.status != "occurred" else None,
        "actors": _actor_line(incident.attackers, incident.targets),
        "weapons": ", ".join(incident.weapons),
        "headline": _toll(incident.killed, incident.injured),
        "has_toll": incident.killed is not None or incident.injured is not None,
        "severe": bool(incident.killed),
        "figures": _figure_labels(incident.figures),
        "outlets": ", ".join(incident.outlets),
        "merged": incident.merged,
        "descriptions": descriptions,
        "evidence": evidence,
    }


def _statement_view(group: StatementGroup) -> dict[str, Any]:
    statements = []
    for r in group.statements:
        quote = r.event.evidence[0] if r.event.evidence else None
        statements.append(
            {
                "date": r.event.date.value.isoformat() if r.event.date.value else "date unknown",
                "kind": sub_event_label(r.event.sub_event_type),
                "status": r.event.status if r.event.status != "occurred" else None,
                "outlet": r.outlet,
                "en": r.event.description_en,
                # the quote is shown; the description only when it says something else
                "ar": None if _same_sentence(r.event.description_ar, quote) else r.event.description_ar,
                "quote": quote,
            }
        )
    return {"speaker": group.speaker, "speaker_ar": group.speaker_ar, "statements": statements}


@dataclass(frozen=True)
class Links:
    """Where the full digest can be read besides the email."""

    attachment: str | None = None
    """The attached file's name (``digest-2023-03-24.html``)."""
    archive_page: str | None = None
    """The archive page's URL, or its path when no URL is configured."""
    archive_index: str | None = None
    """The archive index's URL (only with a URL)."""


def _quiet_line(digest: Digest) -> str:
    window = digest.window
    if window.end is None:
        return f"Nothing new since {window.describe().removeprefix('since ')}."
    return f"Nothing new for {window.describe()}."


def view_model(digest: Digest, links: Links | None = None) -> dict[str, Any]:
    """Everything the templates show, as plain values: the whole digest (the attached page's content).

    The email shows a part of it (see :func:`email_view`); both come from this one model.
    """
    s = digest.stats
    links = links or Links()
    incidents = incident_order(digest.merged.incidents)
    return {
        "digest_id": digest.id,
        "date": digest.date.isoformat(),
        "window": digest.window.describe(),
        "generated": digest.created.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "version": summarizer.__version__,
        "quiet": digest.empty,
        "quiet_line": _quiet_line(digest) if digest.empty else None,
        "stats": {
            "articles": s.articles,
            "late": s.late,
            "incidents": s.incidents,
            "merged_incidents": s.merged_incidents,
            "statements": s.statements,
            "failures": s.failures,
            "already_sent": s.already_sent,
        },
        "incidents": [_incident_view(i, inc) for i, inc in enumerate(incidents, 1)],
        "statement_groups": [_statement_view(g) for g in digest.merged.statements],
        "briefs": [_brief_view(i, b) for i, b in enumerate(digest.articles, 1)],
        "failures": [
            {
                "name": Path(f.name).name,
                "reason": f.reason.removeprefix(f"{f.name}: "),
                "title": f.title,
                "url": safe_url(f.url),
            }
            for f in digest.failures
        ],
        "warnings": digest.warnings,
        "links": {
            "attachment": links.attachment,
            "archive_page": links.archive_page,
            "archive_index": links.archive_index,
            "archive_is_url": bool(links.archive_page and safe_url(links.archive_page)),
        },
    }


@dataclass(frozen=True)
class Cut:
    """How much of the digest the email shows (the attached page shows all of it). None: all."""

    cards: int | None = None
    """Incidents shown in full (descriptions and evidence); the others get one line each."""
    statements: int | None = None
    """Most statements listed."""
    lines: int | None = None
    """Most incidents listed (in full or as a line)."""
    articles: int | None = None
    """Most article lines listed."""


def _head(items: list[Any], n: int | None) -> tuple[list[Any], int]:
    if n is None or n >= len(items):
        return items, 0
    return items[:n], len(items) - n


def email_view(full: dict[str, Any], cut: Cut) -> dict[str, Any]:
    """The email's part of the view model: incident cards, then a line per incident, statement, article."""
    view = dict(full)
    incidents, more_incidents = _head(full["incidents"], cut.lines)
    cards = len(incidents) if cut.cards is None else min(cut.cards, len(incidents))
    groups: list[dict[str, Any]] = []
    budget = cut.statements
    more_statements = 0
    for group in full["statement_groups"]:
        statements, left = _head(group["statements"], budget)
        more_statements += left
        if statements:
            groups.append({**group, "statements": statements})
        if budget is not None:
            budget -= len(statements)
    briefs, more_articles = _head(full["briefs"], cut.articles)
    view.update(
        {
            "incident_cards": incidents[:cards],
            "incident_lines": incidents[cards:],
            "more_incidents": more_incidents,
            "statement_groups": groups,
            "more_statements": more_statements,
            "article_lines": [
                {
                    "number": b["number"],
                    "headline": b["en"]["headline"] or b["ar"]["headline"] or b["title"] or b["origin"],
                    "outlet": b["outlet"],
                }
                for b in briefs
            ],
            "more_articles": more_articles,
        }
    )
    for key in ("incidents", "briefs"):
        del view[key]
    return view


#: Gmail clips a message whose HTML passes 102 KB: the email's HTML stays within this many bytes.
EMAIL_HTML_LIMIT = 100_000
#: The most severe incidents keep their card (descriptions, evidence) until statements are cut.
MIN_CARDS = 3


def _fit(render: Callable[[Cut], str], full: dict[str, Any], limit: int) -> tuple[Cut, str]:
    """The fullest cut whose HTML stays within ``limit`` bytes. What gives way first: the cards of the
    less severe incidents (down to :data:`MIN_CARDS`), then statements, then the last cards, then the
    incident lines, and only then article lines; each list says how many more the attachment holds."""

    def fits(cut: Cut) -> str | None:
        html = render(cut)
        return html if len(html.encode("utf-8")) <= limit else None

    def largest(lo: int, hi: int, make: Callable[[int], Cut]) -> tuple[Cut, str] | None:
        """The cut of the largest n in [lo, hi] that fits (None when even lo does not)."""
        best: tuple[Cut, str] | None = None
        while lo <= hi:
            mid = (lo + hi) // 2
            html = fits(make(mid))
            if html is not None:
                best, lo = (make(mid), html), mid + 1
            else:
                hi = mid - 1
        return best

    n_inc = len(full["incidents"])
    n_st = sum(len(g["statements"]) for g in full["statement_groups"])
    keep = min(MIN_CARDS, n_inc)
    html = fits(Cut())
    if html is not None:
        return Cut(), html
    for found in (
        largest(keep, n_inc, lambda k: Cut(cards=k)),
        largest(0, n_st, lambda k: Cut(cards=keep, statements=k)),
        largest(0, keep, lambda k: Cut(cards=k, statements=0)),
        largest(0, n_inc, lambda k: Cut(cards=0, statements=0, lines=k)),
        largest(0, len(full["briefs"]), lambda k: Cut(cards=0, statements=0, lines=0, articles=k)),
    ):
        if found is not None:
            return found
    cut = Cut(cards=0, statements=0, lines=0, articles=0)
    return cut, render(cut)


@dataclass
class Rendered:
    """The rendered digest: the email's subject, HTML and text, and the full page (attached, archived)."""

    subject: str
    html: str
    text: str
    page: str
    cut: Cut


def render_digest(
    digest: Digest,
    *,
    templates_dir: str | Path | None = None,
    links: Links | None = None,
    limit: int = EMAIL_HTML_LIMIT,
) -> Rendered:
    """Render the email (HTML within ``limit`` bytes, and the same content as text) and the full page."""
    env = environment(find_templates(templates_dir))
    full = view_model(digest, links)
    subject = re.sub(r"\s+", " ", env.get_template("subject.txt.j2").render(**full)).strip()
    full["subject"] = subject
    html_template = env.get_template("digest.html.j2")

    def email_html(cut: Cut) -> str:
        return html_template.render(**email_view(full, cut), mode="email")

    cut, html = _fit(email_html, full, limit)
    text = env.get_template("digest.txt.j2").render(**email_view(full, cut))
    page = "" if digest.empty else html_template.render(**full, mode="page")
    return Rendered(subject, html, text, page, cut)


# --- the plain-text part: 80 columns, Arabic lines whole ---------------------------------------------

TEXT_WIDTH = 80


def wrap_text(value: Any, indent: int = 0, first: str = "") -> str:
    """Text for an 80-column reader: English wrapped at word boundaries (``first`` starts the first
    line, the others are indented by ``indent``); a line holding Arabic is never wrapped, since a
    client cannot re-join the pieces of a right-to-left line."""
    text = " ".join(str(value).split())
    pad = " " * indent
    start = first or pad
    if has_arabic(text):
        return start + text
    return (
        textwrap.fill(
            text,
            width=TEXT_WIDTH,
            initial_indent=start,
            subsequent_indent=pad,
            break_long_words=False,
            break_on_hyphens=False,
        )
        or start.rstrip()
    )


def environment(folder: Path) -> SandboxedEnvironment:
    """The sandboxed Jinja2 environment: autoescape for ``*.html.j2``, undefined names are errors."""
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=lambda name: bool(name) and str(name).endswith(".html.j2"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["wrap"] = wrap_text
    return env
