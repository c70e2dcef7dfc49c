"""The brief pipeline: article in, validated :class:`ArticleBrief` out, by one of two profiles.

Whatever the profile, what the reader sees is composed by code (:mod:`summarizer.brief.compose`) from pieces
the article proves, and a brief fails only when the backend does.

- ``small`` (the default on the embedded model): code reads the incidents (:mod:`summarizer.brief.reading`)
  and the model answers only narrow questions whose answers code checks (:mod:`summarizer.brief.questions`):
  the English of the lede and of each statement's sentence, shown only when
  :mod:`summarizer.brief.crossscript` finds its figures, key terms and names in the Arabic.
- ``large`` (for a big model behind a server): one conversation per article. The system prompt
  describes three tasks once; the article follows with numbered sentences, and each step adds a
  one-line cue: ``summary_ar``, ``summary_en``, then ``events`` once per window of at most five
  sentences holding an event word (every window branches from the English answer, so each costs only
  its cue; drafts of one incident from different windows are kept once). Code then grounds and
  completes each event against the sentences it cites (:mod:`summarizer.brief.grounding`), drops names
  those sentences do not give, and renders the brief as in the small profile; the model's English
  summary text is kept only when it passes the same checks as a translation.

The engine never re-reads what it has read: a continued step's prompt extends the previous one, and
answers go back into the conversation verbatim (the embedded backend splices in their exact tokens).
Everything dropped, left unknown or left out is said in ``meta.warnings``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from pydantic import ValidationError

from summarizer import progress
from summarizer.arabic import lexicon as lx
from summarizer.arabic.normalize import normalize_ar
from summarizer.brief.compose import (
    Read,
    arabic_headline,
    describe,
    english_headline,
    key_points,
    lede_index,
    order_by_severity,
)
from summarizer.brief.grounding import Notice, strip_dateline
from summarizer.brief.questions import ask_attacker, translate
from summarizer.brief.reading import Incident, attacker_candidates, group_en, named_speaker, read_incidents
from summarizer.brief.steps import (
    STEP_CONTEXT,
    ArabicSummaryStep,
    EnglishSummaryStep,
    EventDraft,
    StepContext,
    events_step_model,
)
from summarizer.errors import BriefError
from summarizer.inputs import Article
from summarizer.llm import prompts
from summarizer.llm.backends import Backend, CallStats, Guard, Structured
from summarizer.llm.calls import step_scope
from summarizer.schema import (
    Actor,
    ArabicSummary,
    ArticleBrief,
    ArticleInfo,
    CasualtyReport,
    EnglishSummary,
    Event,
    EventDate,
    Location,
    Meta,
    Sector,
    Sentence,
    SubEventType,
    Summaries,
    Usage,
    event_type_of,
    whole_tolls,
)
from summarizer.script import has_arabic

#: Output budget (tokens) per step; Arabic costs about twice the tokens of English.
MAX_TOKENS = {"summary_ar": 900, "summary_en": 600, "events": 900, "event": 400}
#: Tokens kept free for the system prompt, the task and chat-template markup.
PROMPT_OVERHEAD = 400
#: Bumped when code changes what a brief holds for the same model answers (part of the cache key).
PIPELINE_VERSION = "3"
#: Statements whose sentence the small profile asks the model to translate (a call each).
MAX_QUOTED_STATEMENTS = 3
#: At most this many sentences make the Arabic summary, each translated for the English one (small
#: profile): the lede, the sentences giving the most severe events' figures, then other sentences
#: with figures.
MAX_SUMMARY_SENTENCES = 5
#: The pipeline's profiles (see :func:`resolve_profile`).
PROFILES = ("auto", "small", "large")
#: Context (tokens) from which ``--profile auto`` gives a server's model the large profile.
LARGE_CONTEXT = 16384
T = TypeVar("T")
#: Most events asked for: small models start repeating themselves past a handful of events.
DEFAULT_MAX_EVENTS = 6


@dataclass
class PipelineOptions:
    """Knobs of the pipeline that change its output (all part of the cache key)."""

    max_events: int = DEFAULT_MAX_EVENTS
    profile: str = "auto"
    """``small``, ``large`` or ``auto`` (see :func:`resolve_profile`)."""
    ask_attacker: bool = False
    """Small profile: ask the model who did an attack no pattern names a doer for (twice, options in
    two orders). Off by default: the small model's agreed answers were wrong on the corpus (it picks
    the target, or the government a militia is loyal to; docs/benchmarks.md)."""

    def key(self) -> dict[str, Any]:
        return {
            "max_events": self.max_events,
            "pipeline": PIPELINE_VERSION,
            "profile": self.profile,
            "ask_attacker": self.ask_attacker,
        }


@dataclass
class _Run:
    article: Article
    sentences: list[str]
    stats: CallStats = field(default_factory=CallStats)
    warnings: list[str] = field(default_factory=list)
    """What ``meta.warnings`` says, in the order it happened (notices rendered as they are given)."""
    notices: list[Notice] = field(default_factory=list)
    """The event completers' typed notices (:class:`~summarizer.brief.grounding.Notice`), also in
    ``warnings``."""
    failed: list[str] = field(default_factory=list)
    said: dict[int, str] = field(default_factory=dict)
    """Event index -> the checked English of what its statement says (small profile)."""
    translated: dict[int, str | None] = field(default_factory=dict)
    """Sentence id -> its checked English, None when the check failed (small profile; asked once)."""
    flagged: set[int] = field(default_factory=set)
    """Sentences addressed to a model (:mod:`summarizer.arabic.injection`): nothing rests on them alone."""

    # What the checks read of the article, computed once per article rather than per event or summary.
    @functools.cached_property
    def text(self) -> str:
        return "\n".join(self.sentences)

    @functools.cached_property
    def normalized(self) -> str:
        return normalize_ar(self.text)

    @functools.cached_property
    def sentence_numbers(self) -> list[set[int]]:
        """The figures each sentence states (``numbers_in_text``), in sentence order."""
        from summarizer.arabic.numbers import numbers_in_text

        return [numbers_in_text(s) for s in self.sentences]


def fit_to_context(article: Article, sentences: list[str], backend: Backend) -> tuple[list[str], list[str]]:
    """Trim trailing sentences so the article fits the backend's context window; say so in warnings."""
    window = backend.context_window
    if not window:
        return sentences, []
    budget = window - max(MAX_TOKENS.values()) - PROMPT_OVERHEAD
    total = 0
    kept: list[str] = []
    for s in sentences:
        cost = (backend.count_tokens(s) or 0) + 4
        if total + cost > budget:
            break
        kept.append(s)
        total += cost
    if len(kept) == len(sentences):
        return sentences, []
    if not kept:
        raise BriefError(
            f"{article.name}: the first sentence alone exceeds the model's context", article=article.name
        )
    return kept, [
        f"article trimmed to fit the model's context ({window} tokens): kept sentences 1-{len(kept)} "
        f"of {len(sentences)}"
    ]


def base_messages(
    article: Article, sentences: list[str], max_events: int = DEFAULT_MAX_EVENTS
) -> list[dict[str, str]]:
    """The system prompt (every task described once) and the article with the first task's short cue:
    the prefix every step shares.

    The system prompt is the same for every article, so the engine serves it from its KV cache after
    the first article of a process; each later step adds only a one-line cue ("Task 2: English.").
    """
    article_text = prompts.render(
        "article",
        published=article.published.isoformat() if article.published else "",
        sentences=sentences,
    )
    return [
        {"role": "system", "content": prompts.render("system", max_events=max_events)},
        {"role": "user", "content": article_text + "\n" + prompts.render("summary_ar")},
    ]


def prepare(backend: Backend, options: PipelineOptions | None = None) -> int:
    """Get the backend ready for briefs: the embedded engine evaluates each profile's system prompt once
    and keeps its KV state on disk, so no brief pays for it. Returns the tokens evaluated (0 when
    already kept)."""
    prepare_prefix = getattr(backend, "prepare_prefix", None)
    if prepare_prefix is None:
        return 0
    options = options or PipelineOptions()
    systems = [
        prompts.render("system_small"),
        prompts.render("system", max_events=options.max_events),
    ]
    return sum(int(prepare_prefix({"role": "system", "content": text})) for text in systems)


def _ask(
    backend: Backend,
    run: _Run,
    ctx: StepContext,
    messages: list[dict[str, str]],
    step: str,
    model: type[Any],
    max_reasks: int | None = None,
    guard: Guard | None = None,
    *,
    budget: int,
) -> Structured[Any]:
    token = STEP_CONTEXT.set(ctx)
    try:
        with step_scope(step):
            result = backend.structured(
                messages, model, max_tokens=budget, max_reasks=max_reasks, guard=guard
            )
    finally:
        STEP_CONTEXT.reset(token)
    result.step = step
    run.stats.add(result.stats)
    if result.attempts > 1:
        run.warnings.append(f"{step}: answer re-asked {result.attempts - 1} time(s) after failing validation")
    return result


def resolve_profile(profile: str, backend: Backend) -> str:
    """``small`` or ``large``: ``auto`` is ``small`` on the embedded model and ``large`` behind a
    server whose model holds at least :data:`LARGE_CONTEXT` tokens (or does not say)."""
    if profile in ("small", "large"):
        return profile
    if backend.name == "embedded":
        return "small"
    window = backend.context_window
    return "large" if window is None or window >= LARGE_CONTEXT else "small"


def brief_article(article: Article, backend: Backend, options: PipelineOptions | None = None) -> ArticleBrief:
    """Run the pipeline on one article.

    Whatever the profile, what the brief shows is composed by code (:mod:`summarizer.brief.compose`) from
    what the article proves; a short, odd or off-topic article gets an honest brief (perhaps with no
    events and no English headline, said in ``meta.warnings``), never an error. Only a backend fault
    (:class:`~summarizer.errors.BackendError`) stops a brief.
    """
    options = options or PipelineOptions()
    profile = resolve_profile(options.profile, backend)
    started = time.perf_counter()
    all_sentences = article.sentences()
    sentences, warnings = fit_to_context(article, all_sentences, backend)
    run = _Run(article=article, sentences=sentences, warnings=list(article.warnings) + warnings)
    from summarizer.arabic.injection import flag_sentences

    progress.step(f"reading {len(sentences)} sentences ({profile} profile)")

    run.flagged = flag_sentences(sentences)
    if run.flagged:
        run.warnings.append(
            f"sentence(s) {sorted(run.flagged)} read as instructions addressed to a model; "
            "nothing in the brief rests on them alone"
        )
    if profile == "large":
        events, model_en = _large_profile(article, backend, run, options)
    else:
        events, model_en = _small_profile(article, backend, run, options)
    progress.step("composing the brief")
    summaries = _summaries(article, run, events, model_en)
    return ArticleBrief(
        article=ArticleInfo(
            id=article.id,
            title=article.title,
            source=article.source,
            url=article.url,
            published=article.published,
            language="ar",
            sentences=[Sentence(id=i, text=s) for i, s in enumerate(all_sentences, 1)],
        ),
        summary=summaries,
        events=events,
        meta=Meta(
            backend=backend.name,
            model=backend.model,
            prompt_version=prompts.prompt_version(),
            created=dt.datetime.now(dt.timezone.utc).replace(microsecond=0),
            cached=False,
            usage=Usage(
                prompt_tokens=run.stats.prompt_tokens,
                completion_tokens=run.stats.completion_tokens,
                calls=run.stats.calls,
                prompt_tokens_processed=run.stats.prompt_tokens_processed,
            ),
            elapsed_s=round(time.perf_counter() - started, 3),
            warnings=run.warnings,
            profile=profile,
            failed_steps=run.failed,
        ),
    )


def _small_profile(
    article: Article, backend: Backend, run: _Run, options: PipelineOptions
) -> tuple[list[Event], str | None]:
    """Code reads the incidents; the model answers only narrow questions whose answers code checks:
    who did an attack the sentence does not name a doer for (asked twice, options in two orders,
    kept only when both answers agree), and the English of the lede (shown only when verified)."""
    from summarizer.arabic.gazetteer import default_gazetteer

    gaz = default_gazetteer()
    incidents = read_incidents(run.sentences, article.published, gaz, skip=run.flagged)
    if len(incidents) > options.max_events:
        run.warnings.append(
            f"events: kept the {options.max_events} most reported of {len(incidents)} (--max-events)"
        )
        incidents = sorted(incidents, key=lambda inc: -len(inc.sentences))[: options.max_events]
        incidents.sort(key=lambda inc: inc.sentences[0])
    events: list[Event] = []
    for n, inc in enumerate(incidents, 1):
        candidates = (
            attacker_candidates(inc, run.sentences, gaz)
            if options.ask_attacker and "attacker" in inc.open_fields
            else []
        )
        # one candidate cannot be checked by asking in two orders: it stays unknown
        if len(candidates) >= 2:
            progress.step(f"events {n}/{len(incidents)}: who did it")
            answer = ask_attacker(backend, run, inc, candidates)
            if answer is not None:
                inc.attacker = answer
                run.warnings.append(
                    f"event {n}: attacker {answer.name_en!r} chosen by the model (both answers agreed)"
                )
            else:
                run.warnings.append(
                    f"event {n}: attacker left unknown (the sentences do not name one, "
                    "and the model's answers did not agree)"
                )
        events.append(incident_event(inc, run.sentences))
    # what a statement says, the templates cannot: the checked translation of its sentence, quoted
    statements = [i for i, e in enumerate(events) if e.event_type == "statement"][:MAX_QUOTED_STATEMENTS]
    for k, i in enumerate(statements, 1):
        sid = _evidence_ids(events[i], run.sentences)[0]
        if sid in run.flagged:
            continue
        progress.step(f"statement {k}/{len(statements)}: English")
        quote = _translated(backend, run, sid, f"event {i + 1}")
        if quote is not None:
            run.said[i] = quote
            run.warnings.append(
                f"event {i + 1}: the quote is the model's translation of sentence {sid}; code checked its "
                "figures, names and key terms, not its wording"
            )
    # the English summary: the checked English of the sentences the Arabic summary picks
    picked = summary_sentences(article, run, events)
    for k, sid in enumerate(picked, 1):
        progress.step(f"summary sentence {k}/{len(picked)}: English")
        _translated(backend, run, sid, "summary en")
    shown = [sid for sid in picked if run.translated.get(sid)]
    if shown:
        which = ", ".join(str(n) for n in shown)
        run.warnings.append(
            f"summary en: the English text translates sentence(s) {which} (the model's translation); code "
            "checked its figures, names and key terms, not its wording"
        )
    return events, None


def _translated(backend: Backend, run: _Run, sid: int, label: str) -> str | None:
    """The checked English of sentence ``sid``, asked once per brief (a statement's sentence may be a
    summary sentence too)."""

    if sid not in run.translated:
        run.translated[sid] = translate(backend, run, sid, label=label)
    return run.translated[sid]


def summary_sentences(article: Article, run: _Run, events: list[Event]) -> list[int]:
    """The ids of the sentences of the Arabic summary, in article order: the lede, the sentences giving
    the figures of the three most severe events, then, up to :data:`MAX_SUMMARY_SENTENCES`, the
    earliest other sentences that give a figure (a short report, or one with no violence, is told by
    its figures: a budget, a toll, an output). Sentences addressed to a model are never picked."""
    sentences = run.sentences
    ids = [_evidence_ids(e, sentences) for e in events]
    lede = lede_index(sentences, article.title)
    picked = [lede] if lede is not None else []
    for i in order_by_severity(events, sentences[lede - 1] if lede is not None else None)[:3]:
        holder = next(
            (n for n in ids[i] if run.sentence_numbers[n - 1] and events[i].killed is not None), None
        )
        if holder is not None and holder not in picked:
            picked.append(holder)
    title = (article.title or "").strip()
    # the first sentence that quotes a person, government or armed group by name (what they said)
    from summarizer.arabic.gazetteer import default_gazetteer

    gaz = default_gazetteer()
    quoted = next(
        (
            n
            for n, text in enumerate(sentences, 1)
            if n not in picked and n not in run.flagged and text.strip() != title and named_speaker(text, gaz)
        ),
        None,
    )
    if quoted is not None and len(picked) < MAX_SUMMARY_SENTENCES:
        picked.append(quoted)
    for n, numbers in enumerate(run.sentence_numbers, 1):
        if len(picked) >= MAX_SUMMARY_SENTENCES:
            break
        if (
            n not in picked
            and sentences[n - 1].strip() != title
            and any(not 1900 <= x <= 2100 for x in numbers)
        ):
            picked.append(n)
    return [n for n in sorted(picked) if n not in run.flagged]


def _large_profile(
    article: Article, backend: Backend, run: _Run, options: PipelineOptions
) -> tuple[list[Event], str | None]:
    """The model reads the whole article (summaries, then events window by window); code checks and
    completes every event against the sentences it cites, and renders what the brief shows. The
    model's English summary is kept only where it passes the same checks as a translation."""
    sentences = run.sentences
    ctx = StepContext(sentences=sentences, text=run.text)
    base = base_messages(article, sentences, options.max_events)
    progress.step("Arabic summary")
    ar_result = _ask(
        backend, run, ctx, base, "summary_ar", ArabicSummaryStep, budget=MAX_TOKENS["summary_ar"]
    )
    if ar_result.value is None:
        run.failed.append("summary_ar")
        run.warnings.append(
            f"summary ar: the model gave no valid answer ({ar_result.error}); summary composed by code"
        )
    answer = {"role": "assistant", "content": ar_result.last_text or "{}"}
    en_task = {"role": "user", "content": prompts.render("summary_en")}
    progress.step("English summary")
    en_result = _ask(
        backend,
        run,
        ctx,
        [*base, answer, en_task],
        "summary_en",
        EnglishSummaryStep,
        budget=MAX_TOKENS["summary_en"],
    )
    model_en: str | None = None
    if en_result.value is None:
        run.failed.append("summary_en")
        run.warnings.append(
            f"summary en: the model gave no valid answer ({en_result.error}); summary composed by code"
        )
    else:
        model_en = _checked_summary_text(en_result.value, run)
    en_answer = {"role": "assistant", "content": en_result.last_text or "{}"}
    drafts: list[EventDraft] = []
    windows = event_windows(sentences)
    for k, (first, last) in enumerate(windows, 1):
        progress.step(f"events {k}/{len(windows)}")
        if len(drafts) >= options.max_events:
            run.warnings.append(f"events: stopped at {options.max_events} events (--max-events)")
            break
        cue = {"role": "user", "content": prompts.render("events", first=first, last=last)}
        label = f"events {first}-{last}" if last > first else f"events {first}"
        drafts += _events(
            backend, run, ctx, [*base, answer, en_task, en_answer, cue], EVENTS_PER_WINDOW, label
        )
    drafts = _dedupe(drafts, run, key=_incident_key)[: options.max_events]
    events: list[Event] = []
    for i, draft in enumerate(drafts, 1):
        if run.flagged and set(draft.sentence_numbers) <= run.flagged:
            run.warnings.append(f"event {i} dropped: its only evidence is text addressed to a model")
            continue
        event = _complete_event(draft, i, run)
        if event is not None:
            event = _named_in_evidence(event, i, run)
            events.append(event.model_copy(update={"description_en": describe(event)}))
    return events, model_en


def _plain_group(group: str | None) -> bool:
    """A victims label holds no figure of its own ("civilians", not "3 civilians, one a child"): the
    figures are the report's, rendered by code."""
    from summarizer.arabic.numbers import numbers_in_text

    return group is None or not numbers_in_text(group)


def _named_in_evidence(event: Event, index: int, run: _Run) -> Event:
    """The event without the English names (actors, sources, victim groups) its cited sentences do not
    give: a name the model wrote is shown only when it is a gazetteer name whose Arabic is in them, or
    transliterates back to their words."""
    from summarizer.arabic.gazetteer import default_gazetteer
    from summarizer.brief.crossscript import english_names, name_in_source, wrong_speakers

    gaz = default_gazetteer()
    source = " ".join(event.evidence)

    def grounded(name: str | None, what: str) -> bool:
        if not name:
            return True
        bad = [n for n in english_names(name) if not name_in_source(n, source, gaz)]
        if bad and not name_in_source(name, source, gaz):
            run.warnings.append(
                f"event {index}: {what} {name!r} is not named in the cited sentences; dropped"
            )
            return False
        return True

    def spoke(name: str | None) -> bool:
        """A source is shown only when the cited sentences say it spoke («قال», «بحسب»)."""
        if not name or not grounded(name, "source"):
            return not name
        if wrong_speakers(source, f"according to {name}.", gaz):
            run.warnings.append(f"event {index}: the cited sentences do not say {name!r} spoke; dropped")
            return False
        return True

    actors = [a for a in event.actors if grounded(a.name_en, "actor")]
    according = [x for x in event.according_to if spoke(x)]
    reports = [
        r.model_copy(
            update={
                "according_to": r.according_to if spoke(r.according_to) else None,
                "group_en": r.group_en
                if _plain_group(r.group_en) and grounded(r.group_en, "victims")
                else None,
            }
        )
        for r in event.casualty_reports
    ]
    return event.model_copy(update={"actors": actors, "according_to": according, "casualty_reports": reports})


def _checked_summary_text(summary: EnglishSummaryStep, run: _Run) -> str | None:
    """The model's English summary text when every figure, term and name in it is in the sentences
    its key points cite (or the lede), else None with the reason in the warnings."""
    from summarizer.arabic.gazetteer import default_gazetteer
    from summarizer.brief.crossscript import check_translation

    cited = sorted({n for kp in summary.key_points for n in kp.sentences if 1 <= n <= len(run.sentences)})
    source = " ".join(run.sentences[n - 1] for n in cited) or run.text
    problems = check_translation(source, summary.text, default_gazetteer(), exact_figures=False)
    if problems:
        run.warnings.append(f"summary en: the model's text left out ({'; '.join(problems)})")
        return None
    return summary.text


def incident_event(inc: Incident, sentences: list[str]) -> Event:
    """The schema's event for an incident code read, its English rendered from its fields."""
    reports = [
        CasualtyReport(
            killed=f.count if f.kind == "killed" else None,
            injured=f.count if f.kind == "injured" else None,
            group_en=group_en(f),
            according_to=f.source.name_en if f.source else None,
            adds=f.adds,
        )
        for f in sorted(inc.figures, key=lambda f: f.sentence)
    ]
    actors = [
        Actor(name_en=a.name_en, name_ar=a.name_ar, role="actor", sector=cast(Sector, a.sector))
        for a in (inc.attacker, inc.side)
        if a is not None
    ]
    for t in inc.targets:
        actors.append(
            Actor(name_en=t.name_en, name_ar=t.name_ar, role="target", sector=cast(Sector, t.sector))
        )
    evidence = [sentences[i - 1] for i in inc.sentences]
    sub = cast(SubEventType, inc.sub_event_type)
    event = Event(
        event_type=event_type_of(sub),
        sub_event_type=sub,
        status=cast(Any, inc.status),
        date=inc.date or EventDate(),
        location=inc.place.to_location() if inc.place is not None else Location(),
        actors=actors,
        weapon=inc.weapon_en,
        killed=min(whole_tolls(reports, "killed"), default=None),
        injured=min(whole_tolls(reports, "injured"), default=None),
        casualty_reports=reports,
        according_to=[s.name_en for s in inc.sources],
        description_en="(composed below)",
        description_ar=evidence[0],
        evidence=evidence,
    )
    head = inc.what_en.capitalize() if inc.is_statement and inc.what_en else None
    read = Read(
        count=inc.count,
        object_en=inc.object_en,
        head=head,
        places=tuple(p.name_en for p in inc.places),
        origin=inc.origin.name_en if inc.origin is not None else None,
        within=inc.within.name_en if inc.within is not None else None,
    )
    description = describe(event, read)
    return event.model_copy(update={"description_en": description})


def _summaries(article: Article, run: _Run, events: list[Event], model_en: str | None) -> Summaries:
    """Both summaries, composed by code (see :mod:`summarizer.brief.compose`).

    Arabic: the title (or the lede's first clause), then :func:`summary_sentences`, verbatim. English:
    the most severe event's headline; the text is the checked English of those sentences (small
    profile) or the model's checked summary (large), then the description of each of the three most
    severe events no translated sentence tells."""
    sentences = run.sentences
    ids = [_evidence_ids(e, sentences) for e in events]
    lede = lede_index(sentences, article.title)
    lede_text = sentences[lede - 1] if lede is not None else None
    en_points, ar_points = key_points(events, ids, said=run.said, lede=lede_text)
    order = order_by_severity(events, lede_text)
    picked = summary_sentences(article, run, events)
    ar_text = " ".join(strip_dateline(sentences[n - 1]) for n in picked)[:2000] or strip_dateline(
        sentences[0]
    )
    ar_headline = arabic_headline(sentences, article.title, lede) or ar_text[:200]
    lead = [events[i] for i in order if events[i].event_type != "statement"][:1] or [
        events[i] for i in order[:1]
    ]
    en_headline = english_headline(lead[0]) if lead else None
    told = {n for n in picked if run.translated.get(n)}
    # in article order: each picked sentence's checked English, or else the description of the most
    # severe events it reports (an event a checked translation tells is not described again)
    parts: list[str] = [model_en] if model_en else []
    described: set[int] = set()
    top = [i for i in order[:3] if not set(ids[i]) & told]
    for n in picked:
        if n in told:
            parts.append(str(run.translated[n]))
            continue
        for i in top:
            if n in ids[i] and i not in described:
                parts.append(events[i].description_en)
                described.add(i)
    parts += [events[i].description_en for i in top if i not in described]
    en_text = " ".join(parts) if parts else None
    first = model_en or (run.translated.get(lede) if lede is not None else None)
    if en_headline is None and first and len(first.split()) <= 30:
        en_headline = first.rstrip(".")
    if en_headline is None:
        run.warnings.append(
            "summary en: no event and no verified translation of the lede; no English headline"
        )
    if en_text is None:
        run.warnings.append("summary en: no English text could be verified; read the Arabic summary")
    if not events:
        run.warnings.append(
            "events: none found (the article reports no attack, clash, strike, arrest or statement "
            "code can read)"
        )
    return Summaries(
        en=EnglishSummary(headline=en_headline, text=en_text, key_points=en_points),
        ar=ArabicSummary(headline=ar_headline, text=ar_text, key_points=ar_points),
    )


def _evidence_ids(event: Event, sentences: list[str]) -> list[int]:
    ids = []
    for quote in event.evidence:
        try:
            ids.append(sentences.index(quote) + 1)
        except ValueError:
            continue
    return ids or [1]


#: Sentences per events window, and events asked per window.
WINDOW_SENTENCES = 5
EVENTS_PER_WINDOW = 2


def event_windows(sentences: list[str], width: int = WINDOW_SENTENCES) -> list[tuple[int, int]]:
    """(first, last) sentence numbers of the spans the events step reads, in order: runs of sentences
    holding an event word, at most ``width`` sentences each (a sentence with no event word between two
    that have one is read with them)."""
    windows: list[list[int]] = []
    for i, sentence in enumerate(sentences, 1):
        text = normalize_ar(sentence)
        if not any(cue in text for cue in lx.EVENT_SUBSTRINGS):
            continue
        if windows and i - windows[-1][0] < width:
            windows[-1][1] = i
        else:
            windows.append([i, i])
    return [(a, b) for a, b in windows]


def _incident_key(draft: EventDraft) -> tuple[object, ...]:
    """Two drafts from different windows describe one incident when type, status, place and date words
    agree (a later window often restates an earlier one's incident)."""
    from summarizer.arabic.gazetteer import default_gazetteer

    place = (
        default_gazetteer().place(draft.place_words_ar or draft.place_en or "")
        if draft.place_words_ar or draft.place_en
        else None
    )
    where = place.name_en if place is not None else normalize_ar(draft.place_words_ar or draft.place_en or "")
    return (draft.event_type, draft.status, where, normalize_ar(draft.date_words_ar or ""))


def _events(
    backend: Backend,
    run: _Run,
    ctx: StepContext,
    messages: list[dict[str, str]],
    max_events: int,
    label: str = "events",
) -> list[EventDraft]:
    """The events step, with targeted repair instead of re-asking for the whole list.

    Re-asking a small model for a whole event list because one event failed costs the list again
    (thousands of tokens) and often breaks events that were fine. Instead the list is asked once; each
    event that fails validation gets one targeted re-ask quoting its error, in the same conversation
    (the answer is already in the engine's KV cache, so only the short correction costs new tokens);
    what still fails is dropped and said in ``meta.warnings``.
    """
    result = _ask(
        backend,
        run,
        ctx,
        messages,
        label,
        events_step_model(max_events),
        0,
        guard=repeated_event_guard,
        budget=MAX_TOKENS["events"],
    )
    if result.value is not None:
        return _dedupe(list(result.value.events), run)
    items = _partial_events(result.last_text)
    if result.last_text and not items:
        run.failed.append(label)
        run.warnings.append(f"{label}: the answer could not be read ({result.error}); no events extracted")
        return []
    # Drop repeats before repairing, so a repeated bad event is not repaired once per copy.
    items = _dedupe(items, run, key=_item_key)
    kept: list[EventDraft] = []
    answer = {"role": "assistant", "content": result.last_text or ""}
    for i, item in enumerate(items, 1):
        error = _draft_error(item, ctx)
        if error is None:
            kept.append(EventDraft.model_validate(item))
            continue
        # What code can ground, code grounds: invented date or place words are cleared and invented
        # figures dropped, and the event is kept with those fields unknown (its evidence is still the
        # cited sentences). Asking the small model to correct them fixed none, at the price of a re-ask
        # each (docs/benchmarks.md); so only what code cannot fix is re-asked.
        salvaged = _grounded_draft(item, ctx)
        if salvaged is not None:
            draft, cleared = salvaged
            kept.append(draft)
            run.warnings.append(f"{label}, event {i}: {', '.join(cleared)} not in the article; left unknown")
            continue
        fix = {
            "role": "user",
            "content": prompts.render("event_fix", index=i, error=error),
        }
        repaired = _ask(
            backend,
            run,
            ctx,
            [*messages, answer, fix],
            f"{label}, event {i}",
            EventDraft,
            0,
            budget=MAX_TOKENS["event"],
        )
        if repaired.value is not None:
            kept.append(repaired.value)
            run.warnings.append(f"{label}, event {i} repaired after: {error}")
        else:
            run.warnings.append(
                f"{label}, event {i} dropped: {error} (and the repair failed: {repaired.error})"
            )
    if result.error and "cut off" in result.error:
        run.warnings.append(f"{label}: {result.error}; kept the {len(items)} complete event(s)")
    return _dedupe(kept, run)


_SUMMARY_VALUE = re.compile(r'"english_summary"\s*:\s*"((?:[^"\\]|\\.)*)"')


def repeated_event_guard(text: str) -> str | None:
    """End an events answer where the model starts listing an event it already listed.

    Greedy decoding makes the small model loop: it can write the same event again and again until the
    list is full, each repeat costing hundreds of tokens (docs/benchmarks.md). When an event's
    ``english_summary`` has just been closed and repeats an earlier one (ignoring a list number and
    case), the answer ends before that event: ``{"events": [ ...earlier events ]}``.
    """
    found = list(_SUMMARY_VALUE.finditer(text))
    if len(found) < 2:
        return None

    def norm(m: re.Match[str]) -> str:
        return _LIST_NUMBER.sub("", m.group(1)).strip().lower()

    last = norm(found[-1])
    if last not in {norm(m) for m in found[:-1]}:
        return None
    cut = text.rfind("{", 0, found[-1].start())
    head = text[:cut].rstrip().rstrip(",").rstrip()
    if not head.endswith("}"):
        return None
    return head + "]}"


#: A list number the model puts before a sentence ("2. US strikes…").
_LIST_NUMBER = re.compile(r"^\s*\d+[.)]\s*")


def _item_key(item: dict[str, Any]) -> tuple[object, ...]:
    # The model numbers repeats ("1. US strikes…", "2. US strikes…"): ignore a leading number.
    summary = _LIST_NUMBER.sub("", str(item.get("english_summary", ""))).strip().lower()
    return (*(str(item.get(k)) for k in ("sub_event_type", "status", "place_words_ar")), summary)


def _draft_key(draft: EventDraft) -> tuple[object, ...]:
    return _item_key(draft.model_dump())


def _dedupe(items: list[T], run: _Run, *, key: Callable[[Any], tuple[object, ...]] = _draft_key) -> list[T]:
    """Drop repeats, keeping the first: small models often list the same event several times in a row."""
    seen: set[tuple[object, ...]] = set()
    out: list[T] = []
    for item in items:
        k = key(item)
        if k in seen:
            summary = (
                item.english_summary
                if isinstance(item, EventDraft)
                else cast(dict, item).get("english_summary")
            )
            run.warnings.append(f"duplicate event dropped: {summary}")
            continue
        seen.add(k)
        out.append(item)
    return out


def _partial_events(text: str | None) -> list[dict[str, Any]]:
    """The complete event objects of an events answer, even one cut off at the token limit."""
    if not text:
        return []
    import jiter

    try:
        data = jiter.from_json(text.encode("utf-8"), partial_mode="on")
    except ValueError:
        return []
    items = data.get("events", []) if isinstance(data, dict) else []
    complete = [x for x in items if isinstance(x, dict)]
    if complete and not text.rstrip().endswith("}"):
        complete = complete[:-1]  # the last object was cut off mid-way
    return complete


def _grounded_draft(item: dict[str, Any], ctx: StepContext) -> tuple[EventDraft, list[str]] | None:
    """The event with what the article does not support removed: date or place words that do not occur
    in it cleared, casualty figures it does not give dropped. None when the event is still invalid
    (or nothing was removable).

    An event whose date, place or figure the model invented is still an event the article reports (its
    evidence is the cited sentences): keep it with that field unknown rather than lose it.
    """
    cleared: list[str] = []
    fixed = dict(item)
    for key in ("date_words_ar", "place_words_ar"):
        value = item.get(key)
        if isinstance(value, str) and has_arabic(value) and not ctx.contains(value):
            fixed[key] = None
            cleared.append(f"{key} {value!r}")
    if fixed.get("place_words_ar") is None and item.get("place_words_ar") is not None:
        fixed["place_en"] = None  # the English place was the invented one's translation
    casualties = []
    for c in item.get("casualties") or []:
        if not isinstance(c, dict):
            return None
        c = dict(c)
        for kind in ("killed", "injured"):
            n = c.get(kind)
            if isinstance(n, int) and n not in ctx.numbers:
                c[kind] = None
                cleared.append(f"{kind}={n}")
        if c.get("killed") is not None or c.get("injured") is not None:
            casualties.append(c)
    fixed["casualties"] = casualties
    if not cleared:
        return None
    token = STEP_CONTEXT.set(ctx)
    try:
        return EventDraft.model_validate(fixed), cleared
    except ValidationError:
        return None
    finally:
        STEP_CONTEXT.reset(token)


def _draft_error(item: dict[str, Any], ctx: StepContext) -> str | None:
    """Why one event of the answer fails validation, in one line, or None when it is valid."""
    token = STEP_CONTEXT.set(ctx)
    try:
        EventDraft.model_validate(item)
        return None
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(x) for x in first.get("loc", ()))
        msg = str(first.get("msg", "")).removeprefix("Value error, ")
        return f"{where}: {msg}" if where else msg
    finally:
        STEP_CONTEXT.reset(token)


def _complete_event(draft: EventDraft, index: int, run: _Run) -> Event | None:
    """Ground a draft event in the article and fill what code knows better than the model: one
    completer per field (:mod:`summarizer.brief.grounding`), their notices kept in ``run.notices`` and said
    in ``run.warnings``."""
    from summarizer.arabic.gazetteer import default_gazetteer
    from summarizer.brief.grounding import (
        background_notice,
        complete_actors,
        complete_casualties,
        complete_date,
        complete_place,
        complete_sources,
        complete_status,
        complete_type,
        complete_weapon,
        words_in_article,
    )

    def said(notices: list[Notice]) -> None:
        run.notices.extend(notices)
        run.warnings.extend(n.text for n in notices)

    gaz = default_gazetteer()
    evidence = [run.sentences[i - 1] for i in dict.fromkeys(draft.sentence_numbers)]
    dropped = background_notice(draft, evidence, event=index)
    if dropped is not None:
        said([dropped])
        return None
    draft, notices = words_in_article(draft, run.normalized, event=index)
    said(notices)
    date, notices = complete_date(draft, evidence, run.article.published, event=index)
    said(notices)
    location, evidence, notices = complete_place(
        draft, evidence, run.sentences, gaz, event=index, flagged=run.flagged
    )
    said(notices)
    actors, notices = complete_actors(draft, gaz, event=index)
    said(notices)
    reports, notices = complete_casualties(draft, evidence, run.text, gaz, event=index)
    said(notices)
    according, notices = complete_sources(draft, reports, run.text, gaz, event=index)
    said(notices)
    weapon, notices = complete_weapon(draft, gaz, event=index)
    said(notices)
    sub_event_type, notices = complete_type(draft, evidence, actors, event=index)
    said(notices)
    status, notices = complete_status(draft, evidence, event=index)
    said(notices)
    try:
        return Event(
            event_type=event_type_of(sub_event_type),
            sub_event_type=sub_event_type,
            status=status,
            date=date,
            location=location,
            actors=actors,
            weapon=weapon,
            killed=min((r.killed for r in reports if r.killed is not None), default=None),
            injured=min((r.injured for r in reports if r.injured is not None), default=None),
            casualty_reports=reports,
            according_to=according,
            description_en=_LIST_NUMBER.sub("", draft.english_summary),
            description_ar=evidence[0],
            evidence=evidence,
        )
    except ValidationError as e:
        said([Notice("events", index, "event", "event_invalid", str(e.errors()[0].get("msg")))])
        return None
