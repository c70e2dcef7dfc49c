"""Markdown for people: both summaries, key points with their sentences, an events table."""

from __future__ import annotations

from summarizer.schema import ArticleBrief, Event


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return text.replace("|", "\\|").replace("\n", " ").strip() or "–"


def _figure(event: Event) -> str:
    parts = []
    for r in event.casualty_reports:
        bits = []
        more = " more" if r.adds else ""  # «خمسة آخرين»: in addition to the report before
        if r.killed is not None:
            bits.append(f"{r.killed}{more} killed")
        if r.injured is not None:
            bits.append(f"{r.injured}{more} injured")
        if bits:
            parts.append(", ".join(bits) + (f" ({r.according_to})" if r.according_to else ""))
    return "; ".join(parts)


def _actors(event: Event) -> str:
    actors = [a.name_en for a in event.actors if a.role == "actor"]
    targets = [a.name_en for a in event.actors if a.role == "target"]
    text = ", ".join(actors) or "?"
    if targets:
        text += " → " + ", ".join(targets)
    return text


def to_markdown(brief: ArticleBrief) -> str:
    """Render a brief as Markdown readable in a terminal."""
    a, en, ar = brief.article, brief.summary.en, brief.summary.ar
    lines = [f"# {en.headline or ar.headline}", ""]
    facts = [x for x in (a.source, a.published.isoformat() if a.published else None, a.url) if x]
    facts.append(f"article {a.id[:12]}")
    if a.title:
        lines += [f"*{a.title}*", ""]
    lines += [
        " · ".join(facts),
        "",
        en.text or "*No English summary could be verified; see the warnings.*",
        "",
    ]
    lines += ["**Key points**", ""] if en.key_points else []
    lines += [f"- {kp.text} [{', '.join(str(s) for s in kp.sentences)}]" for kp in en.key_points]
    lines += ["", f"## {ar.headline}", "", ar.text, ""]
    lines += ["**النقاط الرئيسية**", ""] if ar.key_points else []
    lines += [f"- {kp.text} [{', '.join(str(s) for s in kp.sentences)}]" for kp in ar.key_points]
    lines += ["", f"## Events ({len(brief.events)})", ""]
    if brief.events:
        lines += [
            "| # | date | type | status | place | actors | killed | injured | figures |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for i, e in enumerate(brief.events, 1):
            place = e.location.name_en or e.location.name_ar
            if e.location.admin1_en and e.location.admin1_en != place:
                place = f"{place}, {e.location.admin1_en}"
            date = e.date.value.isoformat() if e.date.value else (e.date.phrase_ar or "?")
            lines.append(
                "| "
                + " | ".join(
                    _cell(x)
                    for x in (
                        i,
                        date,
                        e.sub_event_type.replace("_", " "),
                        e.status,
                        place,
                        _actors(e),
                        e.killed,
                        e.injured,
                        _figure(e),
                    )
                )
                + " |"
            )
        lines.append("")
        for i, e in enumerate(brief.events, 1):
            lines.append(f"{i}. {e.description_en}")
            lines.append(f"   {e.description_ar}")
            for q in e.evidence:
                lines.append(f"   > {q}")
        lines.append("")
    else:
        lines += ["No events extracted.", ""]
    m = brief.meta
    usage = m.usage
    lines.append(
        f"*{m.backend} · {m.model} · prompts {m.prompt_version} · {usage.calls} calls · "
        f"{usage.prompt_tokens}+{usage.completion_tokens} tokens · {m.elapsed_s:.1f} s"
        + (" · cached" if m.cached else "")
        + "*"
    )
    if m.failed_steps:
        lines.append(f"**Failed steps:** {', '.join(m.failed_steps)}")
    if m.warnings:
        lines += ["", "**Warnings**", ""] + [f"- {w}" for w in m.warnings]
    return "\n".join(lines) + "\n"
