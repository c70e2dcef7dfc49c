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
    from summarizer.digest.build import BriefedArticle, Digest

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


def environment(folder: Path) -> SandboxedEnvironment:
    """The sandboxed Jinja2 environment: autoescape for ``*.html.j2``, undefined names are errors."""
    return SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=lambda name: bool(name) and str(name).endswith(".html.j2"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


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


def _event_view(event: Event) -> dict[str, Any]:
    attackers, targets = _parties(event.actors)
    figures = []
    for r in event.casualty_reports:
        numbers = _toll(r.killed, r.injured)
        if r.killed is not None or r.injured is not None:
            figures.append(f"{numbers}, {r.according_to}" if r.according_to else numbers)
    if not figures and (event.killed is not None or event.injured is not None):
        figures.append(_toll(event.killed, event.injured))
    return {
        "date": event.date.value.isoformat()
        if event.date.value
        else (event.date.phrase_ar or "date unknown"),
        "date_is_arabic": event.date.value is None and bool(event.date.phrase_ar),
        "type": EVENT_TYPE_LABELS.get(event.event_type, event.event_type),
        "sub_type": sub_event_label(event.sub_event_type),
        "status": event.status if event.status != "occurred" else None,
        "place": _place(event.location.name_en, event.location.admin1_en),
        "place_ar": event.location.name_ar,
        "actors": _actor_line(attackers, targets),
        "weapon": event.weapon,
        "figures": figures,
        "according_to": event.according_to,
        "description_en": event.description_en,
        "description_ar": event.description_ar,
    }


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
        "outlet": briefed.outlet,
        "title": article.title or item.article.title,
        "url": safe_url(article.url or item.article.url),
        "published": published.isoformat() if published else None,
        "origin": Path(item.origin).name,
        "late": item.late,
        "cached": brief.meta.cached,
        "en": _summary_view(brief.summary.en),
        "ar": _summary_view(brief.summary.ar),
        "events": [_event_view(e) for e in brief.events],
        "warnings": brief.meta.warnings + [f"step failed: {s}" for s in brief.meta.failed_steps],
    }


def _incident_view(number: int, incident: Incident) -> dict[str, Any]:
    return {
        "number": number,
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
        "figures": _figure_labels(incident.figures),
        "outlets": incident.outlets,
        "merged": incident.merged,
        "descriptions": [
            {"outlet": r.outlet, "en": r.event.description_en, "ar": r.event.description_ar}
            for r in incident.reports
        ],
        "evidence": [{"text": q.text, "outlets": ", ".join(q.outlets)} for q in incident.evidence],
    }


def _statement_view(group: StatementGroup) -> dict[str, Any]:
    return {
        "speaker": group.speaker,
        "speaker_ar": group.speaker_ar,
        "statements": [
            {
                "date": r.event.date.value.isoformat() if r.event.date.value else "date unknown",
                "kind": sub_event_label(r.event.sub_event_type),
                "status": r.event.status if r.event.status != "occurred" else None,
                "outlet": r.outlet,
                "en": r.event.description_en,
                "ar": r.event.description_ar,
                "quote": r.event.evidence[0] if r.event.evidence else None,
            }
            for r in group.statements
        ],
    }


def view_model(digest: Digest) -> dict[str, Any]:
    """Everything the templates show, as plain values (the same for the HTML and the text part)."""
    s = digest.stats
    return {
        "digest_id": digest.id,
        "date": digest.date.isoformat(),
        "window": digest.window.describe(),
        "generated": digest.created.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "version": summarizer.__version__,
        "stats": {
            "articles": s.articles,
            "late": s.late,
            "incidents": s.incidents,
            "merged_incidents": s.merged_incidents,
            "statements": s.statements,
            "failures": s.failures,
            "already_sent": s.already_sent,
        },
        "incidents": [_incident_view(i, inc) for i, inc in enumerate(digest.merged.incidents, 1)],
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
    }


def render_digest(digest: Digest, *, templates_dir: str | Path | None = None) -> tuple[str, str, str]:
    """Render ``(subject, html, text)``."""
    env = environment(find_templates(templates_dir))
    view = view_model(digest)
    subject = re.sub(r"\s+", " ", env.get_template("subject.txt.j2").render(**view)).strip()
    view["subject"] = subject
    html = env.get_template("digest.html.j2").render(**view)
    text = env.get_template("digest.txt.j2").render(**view)
    return subject, html, text
