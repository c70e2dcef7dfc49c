"""Backends without a model, for tests: your own code against ``summarizer``, and the pipeline's checks
against answers a strong model would give.

- :class:`ScriptedBackend` implements the :class:`~summarizer.llm.backends.Backend` protocol in process:
  a function of the conversation and the asked response model returns the answer (a dict, validated
  like a real answer, or None for "no valid answer").
- :class:`RecordingBackend` answers nothing and keeps every :class:`~summarizer.llm.calls.Request` a
  brief makes: the questions a profile asks of an article, to put to an engine directly (the parallel
  decoding's test and benchmark ask the small profile's translate questions this way).
- :func:`gold_answers` scripts the large profile's steps with answers derived from a gold file
  (docs/eval.md): the events the annotator coded, as event drafts citing the sentences that hold their
  evidence. Briefing through it measures what the pipeline's parsing and checks keep of a perfect
  reading: ``python benchmarks/quality_bench.py`` reports it, and a test holds its precision and
  recall at 0.95 or more.

.. code-block:: python

    from summarizer.testing import ScriptedBackend
    from summarizer.brief.pipeline import PipelineOptions, brief_article

    backend = ScriptedBackend(lambda messages, model: None)   # the model never answers
    brief = brief_article(article, backend, PipelineOptions(profile="small"))
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from summarizer.arabic.normalize import normalize_ar
from summarizer.llm.backends import ChatBackend
from summarizer.llm.calls import Answer as CallAnswer
from summarizer.llm.calls import CallStats, Request, Structured

if TYPE_CHECKING:
    from summarizer.arabic.gazetteer import Gazetteer
    from summarizer.evaluation import GoldArticle, GoldEvent
    from summarizer.inputs import Article

__all__ = ["Answer", "RecordingBackend", "ScriptedBackend", "gold_answers", "recorded_requests"]

_published: ContextVar[dt.date | None] = ContextVar("summarizer_gold_published", default=None)

#: ``answer(messages, response_model)``: a dict to validate as the answer, or None for no valid answer.
Answer = Callable[[list[dict[str, str]], type[Any]], "dict[str, Any] | None"]


class ScriptedBackend:
    """A :class:`~summarizer.llm.backends.Backend` answering from a function, in process, with no model."""

    def __init__(self, answer: Answer, *, name: str = "scripted", model: str = "script") -> None:
        self.answer = answer
        self.name = name
        self.model = model
        self.context_window: int | None = None
        self.requests: list[list[dict[str, str]]] = []

    def generation_params(self) -> dict[str, Any]:
        return {}

    def count_tokens(self, text: str) -> int | None:
        return None

    def structured(
        self,
        messages: list[dict[str, str]],
        response_model: type[Any],
        *,
        max_tokens: int,
        max_reasks: int | None = None,
        guard: Any = None,
    ) -> Structured[Any]:
        self.requests.append(messages)
        stats = CallStats()
        stats.calls = 1
        data = self.answer(messages, response_model)
        if data is None:
            return Structured(value=None, stats=stats, error="no answer", attempts=1)
        text = json.dumps(data, ensure_ascii=False)
        try:
            value = response_model.model_validate(data)
        except ValidationError as e:
            return Structured(value=None, stats=stats, error=str(e), last_text=text, attempts=1)
        return Structured(value=value, stats=stats, last_text=text, attempts=1)


class RecordingBackend(ChatBackend):
    """A backend that keeps every request and answers none (an answer cut off at once, so nothing is
    re-asked): what a brief asks first of each question, whatever a model would answer."""

    name = "recording"
    context_window: int | None = None

    def __init__(self, model: str = "recording") -> None:
        self.model = model
        self.requests: list[Request] = []

    def generation_params(self) -> dict[str, Any]:
        return {}

    def count_tokens(self, text: str) -> int | None:
        return None

    def complete(self, request: Request, guard: Any = None) -> CallAnswer:
        self.requests.append(request)
        return CallAnswer(text=None, finish_reason="length")


def recorded_requests(article: Article, profile: str = "small") -> list[Request]:
    """The requests ``profile``'s brief of ``article`` makes when no question is answered."""
    from summarizer.brief.pipeline import PipelineOptions, brief_article

    backend = RecordingBackend()
    brief_article(article, backend, PipelineOptions(profile=profile))
    return backend.requests


def _sentence_of(quote: str, sentences: list[str]) -> int | None:
    q = normalize_ar(quote)
    return next((i for i, s in enumerate(sentences, 1) if q and q in normalize_ar(s)), None)


def _draft(event: GoldEvent, sentences: list[str], text: str, gaz: Gazetteer) -> dict[str, Any]:
    """What a strong model would answer for one gold event, in the events step's draft format."""
    ids = list(dict.fromkeys(i for q in event.evidence if (i := _sentence_of(q, sentences)) is not None))[:4]
    norm = normalize_ar(text)

    def in_article(words: str | None) -> str | None:
        return words if words and normalize_ar(words) in norm else None

    actors = []
    for a in event.actors[:4]:
        entry = gaz.actor(a.name_en)
        actors.append(
            {
                "english_name": a.name_en[:80],
                "arabic_name": in_article(a.name_ar),
                "role": a.role or "actor",
                "sector": entry.sector if entry is not None else "OTHER",
            }
        )
    casualties = [
        {
            "killed": r.killed,
            "injured": r.injured,
            "victims_en": (r.group or None) and r.group[:80],
            "source_en": r.according_to,
        }
        for r in event.casualty_reports
        if not r.superseded
    ][:4]
    place = event.place
    return {
        "date_words_ar": _date_words(event, [sentences[i - 1] for i in ids], text),
        "english_summary": event.id.replace("-", " "),
        "sentence_numbers": ids,
        "sub_event_type": event.sub_event_type[0],
        "status": event.status[0],
        "place_words_ar": in_article(place.name_ar) if place else None,
        "place_en": place.name_en if place else None,
        "actors": actors,
        "weapon_en": None,
        "casualties": casualties,
        "sources_en": [s[:80] for s in event.according_to[:3]],
    }


def _date_words(event: GoldEvent, evidence: list[str], text: str) -> str | None:
    """The date words of the cited sentences that resolve to the gold date, as a model copies them."""
    import re

    from summarizer.arabic.dates import find_date
    from summarizer.evaluation import _date_ok

    published = None
    for clause in (c for s in evidence for c in re.split(r"[،,.؛]", s)):
        found = find_date(clause, published or _published.get())
        if found is not None and found.phrase_ar and any(_date_ok(g, found.value) for g in event.date if g):
            return found.phrase_ar[:60]
    return None


def gold_answers(sentences: list[str], gold: GoldArticle) -> ScriptedBackend:
    """A backend answering the large profile as a strong model would for this gold file: valid
    summaries (their text is composed by code anyway), and each window's events the gold events whose
    first evidence sentence lies in it."""
    from summarizer.arabic.gazetteer import default_gazetteer
    from summarizer.brief.pipeline import event_windows

    gaz = default_gazetteer()
    _published.set(gold.published)
    text = "\n".join(sentences)
    drafts = [_draft(e, sentences, text, gaz) for e in gold.events]
    windows = event_windows(sentences)
    where: dict[tuple[int, int], list[dict[str, Any]]] = {w: [] for w in windows}
    for d in drafts:
        first = d["sentence_numbers"][0] if d["sentence_numbers"] else None
        window = next((w for w in windows if first is not None and w[0] <= first <= w[1]), None)
        if window is None:  # no event word in its sentences: it rides with the nearest window before it
            before = [w for w in windows if first is not None and w[0] <= first]
            window = before[-1] if before else (windows[0] if windows else None)
        if window is not None:
            where[window].append(d)

    def answer(messages: list[dict[str, str]], model: type[Any]) -> dict[str, Any] | None:
        cue = messages[-1]["content"]
        n = len(sentences)
        if model.__name__ == "ArabicSummaryStep":
            points = [{"text": "النقطة الرئيسية في المقال", "sentences": [min(i, n)]} for i in (1, 2, 3)]
            return {"headline": "عنوان المقال", "text": "ملخص المقال كما ورد في الخبر.", "key_points": points}
        if model.__name__ == "EnglishSummaryStep":
            points = [{"text": "The key point.", "sentences": [min(i, n)]} for i in (1, 2, 3)]
            return {"headline": "The article", "text": "The article's summary.", "key_points": points}
        for (first, last), items in where.items():
            label = f"sentences {first}-{last}." if last > first else f"sentence {first}."
            if cue.endswith(label):
                return {"events": items}
        return {"events": []}

    backend = ScriptedBackend(answer, name="gold-answers", model="gold")
    backend.context_window = 32768
    return backend
