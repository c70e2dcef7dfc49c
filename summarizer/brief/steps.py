"""What each pipeline step asks the model for: small schemas shaped for small models.

The public :class:`~summarizer.schema.ArticleBrief` is assembled from these by code. The model is
asked only for what needs reading comprehension; everything code can do faithfully (verbatim
evidence from cited sentences, date arithmetic, lowest-figure headline numbers, stable English place
and actor names, admin areas and countries) is done by code after the step.

Validators here see the article through :data:`STEP_CONTEXT` (set by the pipeline around each call),
so an answer that cites a sentence that does not exist, names a place the article never mentions, or
gives a figure the article does not contain fails validation and is re-asked with that error.
"""

from __future__ import annotations

import functools
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Annotated

from pydantic import Field, StringConstraints, create_model, model_validator

from summarizer.schema import (
    EventType,
    KeyPoint,
    Role,
    Sector,
    Status,
    Strict,
    SubEventType,
    event_type_of,
)
from summarizer.script import check_arabic, check_english, has_arabic


@dataclass
class StepContext:
    """What validators know about the article being briefed."""

    sentences: list[str]
    text: str
    normalized: str = ""
    numbers: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        from summarizer.arabic.normalize import normalize_ar
        from summarizer.arabic.numbers import numbers_in_text

        self.normalized = normalize_ar(self.text)
        self.numbers = numbers_in_text(self.text)

    def contains(self, phrase: str) -> bool:
        from summarizer.arabic.normalize import normalize_ar

        p = normalize_ar(phrase)
        return bool(p) and p in self.normalized


STEP_CONTEXT: ContextVar[StepContext | None] = ContextVar("summarizer_step_context", default=None)


def _check_sentence_ids(ids: list[int], where: str) -> None:
    ctx = STEP_CONTEXT.get()
    if ctx is None:
        return
    n = len(ctx.sentences)
    bad = [i for i in ids if not 1 <= i <= n]
    if bad:
        raise ValueError(f"{where} cites sentence(s) {bad}, but the article has sentences 1 to {n} only")


def _check_key_points(points: list[KeyPoint]) -> None:
    for i, kp in enumerate(points, 1):
        _check_sentence_ids(kp.sentences, f"key_points[{i}]")


class _StepSummary(Strict):
    # The large profile's summary answers (the model's own reading): the contract of schema version 1,
    # kept as the steps' schema so recorded answers stay valid. The brief shows only what code checks.
    headline: str = Field(min_length=3, max_length=200, description="A headline of at most 15 words.")
    text: str = Field(min_length=10, max_length=1000, description="A summary of 2 to 4 sentences.")
    key_points: list[KeyPoint] = Field(
        min_length=3, max_length=6, description="3 to 6 key points, each citing its sentences."
    )


class EnglishSummaryStep(_StepSummary):
    """English summary of the article."""

    @model_validator(mode="after")
    def _cited(self) -> EnglishSummaryStep:
        check_english(self.headline, "headline")
        check_english(self.text, "text")
        for i, kp in enumerate(self.key_points, 1):
            check_english(kp.text, f"key_points[{i}].text")
        _check_key_points(self.key_points)
        return self


class ArabicSummaryStep(_StepSummary):
    """Arabic summary of the article."""

    @model_validator(mode="after")
    def _cited(self) -> ArabicSummaryStep:
        check_arabic(self.headline, "headline")
        check_arabic(self.text, "text")
        for i, kp in enumerate(self.key_points, 1):
            check_arabic(kp.text, f"key_points[{i}].text")
        _check_key_points(self.key_points)
        return self


# Every field of the drafts is required (nullable where it may be empty): the engine's grammar then
# makes the model write every key, in this order, instead of skipping the optional ones (with optional
# fields the small model skipped place, actors and weapon altogether).
Name = Annotated[str, StringConstraints(min_length=1, max_length=80)]


class ActorDraft(Strict):
    """A party to the event."""

    english_name: Name = Field(description="Name in English.")
    arabic_name: Name | None = Field(description="Name in Arabic as the article writes it, or null.")
    role: Role = Field(description="'actor' did it; 'target' it was done to.")
    sector: Sector = Field(
        description="MIL military, GOV government, REB rebels, PRM pro-government militia, UAF unidentified "
        "armed group, CVL civilians, IMG transnational armed group, OTHER."
    )


class CasualtyDraft(Strict):
    """One casualty figure as the article gives it."""

    killed: int | None = Field(ge=0, description="Number killed, or null.")
    injured: int | None = Field(ge=0, description="Number injured, or null.")
    victims_en: Name | None = Field(description="Who they were, in English, or null.")
    source_en: Name | None = Field(description="Who gave the figure, in English, or null.")


class EventDraft(Strict):
    """One event as the model reads it from the article.

    The model never sees these descriptions (the engine's grammar only shows it the keys as it writes
    them), so the keys themselves say what goes in them and in which language. ``event_type`` is not
    asked: it follows from ``sub_event_type``.
    """

    english_summary: str = Field(
        min_length=3, max_length=240, description="One English sentence saying what happened."
    )
    sentence_numbers: list[int] = Field(
        min_length=1, max_length=4, description="Numbers of the sentences that report this event."
    )
    sub_event_type: SubEventType = Field(description="ACLED sub-event type, or the kind of statement.")
    status: Status = Field(description="occurred, claimed, denied, threatened or planned.")
    date_words_ar: str | None = Field(
        max_length=60,
        description="The Arabic words of the article giving the date (e.g. «ليل الخميس»), or null.",
    )
    place_words_ar: str | None = Field(
        max_length=60, description="The place in Arabic, copied from the article, or null."
    )
    place_en: str | None = Field(max_length=60, description="The place in English, or null.")
    actors: list[ActorDraft] = Field(max_length=4, description="Who did it, to whom.")
    weapon_en: str | None = Field(max_length=40, description="Weapon in English (e.g. 'drone'), or null.")
    casualties: list[CasualtyDraft] = Field(
        max_length=4, description="Every casualty figure given, with its source."
    )
    sources_en: list[Name] = Field(max_length=3, description="Sources the article credits, in English.")
    # No Arabic description is asked: the event's Arabic description is the article's own first cited
    # sentence (verbatim, so faithful), which also saves about a fifth of every event's tokens.

    @property
    def event_type(self) -> EventType:
        return event_type_of(self.sub_event_type)

    @model_validator(mode="after")
    def _check(self) -> EventDraft:
        check_english(self.english_summary, "english_summary")
        _check_sentence_ids(self.sentence_numbers, "sentence_numbers")
        ctx = STEP_CONTEXT.get()
        if ctx is None:
            return self
        for label, phrase in (("place_words_ar", self.place_words_ar), ("date_words_ar", self.date_words_ar)):
            if phrase and has_arabic(phrase) and not ctx.contains(phrase):
                raise ValueError(
                    f"{label} {phrase!r} does not occur in the article; copy the article's words"
                )
        for c in self.casualties:
            for kind, n in (("killed", c.killed), ("injured", c.injured)):
                if n is not None and n not in ctx.numbers:
                    raise ValueError(
                        f"casualties {kind}={n} is not a figure the article gives; use the article's figures"
                    )
        return self


class EventsStep(Strict):
    """Events the article reports."""

    events: list[EventDraft] = Field(max_length=6, description="Events, one per incident and day.")


@functools.lru_cache(maxsize=8)
def events_step_model(max_events: int = 6) -> type[EventsStep]:
    """The events step's response model, with its list capped at ``max_events``."""
    if max_events == 6:
        return EventsStep
    model = create_model(
        "EventsStep",
        __base__=EventsStep,
        events=(
            list[EventDraft],
            Field(max_length=max_events, description="Events, one per incident and day."),
        ),
    )
    model.__doc__ = EventsStep.__doc__
    return model
