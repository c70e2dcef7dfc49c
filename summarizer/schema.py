"""The public output contract: ``ArticleBrief`` and everything inside it.

Every model is strict (``extra="forbid"``) and every field is described: the descriptions are
prompt text for the model as well as documentation for users. ``schemas/article_brief.schema.json``
is generated from these models (``python -m summarizer.schema``) and a test fails when it drifts.
Field names are the public contract: add fields where users need them, never rename.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Literal, cast

from pydantic import BaseModel, ConfigDict, Field, model_validator

from summarizer.script import check_arabic, check_english

SCHEMA_VERSION = "2"

EventType = Literal[
    "battles",
    "explosions_remote_violence",
    "violence_against_civilians",
    "protests",
    "riots",
    "strategic_developments",
    "statement",
]

#: ACLED sub-event types (snake_case) and the verbal ones, keyed by the event type they belong to.
SUB_EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "battles": ("armed_clash", "government_regains_territory", "non_state_actor_overtakes_territory"),
    "explosions_remote_violence": (
        "air_drone_strike",
        "shelling_artillery_missile_attack",
        "remote_explosive_landmine_ied",
        "suicide_bomb",
        "grenade",
        "chemical_weapon",
    ),
    "violence_against_civilians": ("attack", "abduction_forced_disappearance", "sexual_violence"),
    "protests": ("peaceful_protest", "protest_with_intervention", "excessive_force_against_protesters"),
    "riots": ("violent_demonstration", "mob_violence"),
    "strategic_developments": (
        "agreement",
        "arrests",
        "change_to_group_activity",
        "disrupted_weapons_use",
        "headquarters_or_base_established",
        "looting_property_destruction",
        "non_violent_transfer_of_territory",
        "other",
    ),
    "statement": ("threat", "accusation", "denial", "claim_of_responsibility", "policy_statement"),
}

SubEventType = Literal[
    "armed_clash",
    "government_regains_territory",
    "non_state_actor_overtakes_territory",
    "air_drone_strike",
    "shelling_artillery_missile_attack",
    "remote_explosive_landmine_ied",
    "suicide_bomb",
    "grenade",
    "chemical_weapon",
    "attack",
    "abduction_forced_disappearance",
    "sexual_violence",
    "peaceful_protest",
    "protest_with_intervention",
    "excessive_force_against_protesters",
    "violent_demonstration",
    "mob_violence",
    "agreement",
    "arrests",
    "change_to_group_activity",
    "disrupted_weapons_use",
    "headquarters_or_base_established",
    "looting_property_destruction",
    "non_violent_transfer_of_territory",
    "other",
    "threat",
    "accusation",
    "denial",
    "claim_of_responsibility",
    "policy_statement",
]

Status = Literal["occurred", "claimed", "denied", "threatened", "planned"]
Sector = Literal["MIL", "GOV", "REB", "PRM", "UAF", "CVL", "IMG", "OTHER"]
Role = Literal["actor", "target"]
DatePrecision = Literal["day", "week", "month", "unknown"]


def event_type_of(sub_event_type: str) -> EventType:
    """Return the event type a sub-event type belongs to."""
    for event_type, subs in SUB_EVENT_TYPES.items():
        if sub_event_type in subs:
            return cast(EventType, event_type)
    raise ValueError(f"unknown sub_event_type {sub_event_type!r}")


class Strict(BaseModel):
    """Base of every public model: unknown fields are an error, not silently kept."""

    model_config = ConfigDict(extra="forbid")


class Sentence(Strict):
    """One sentence of the article, numbered from 1."""

    id: int = Field(ge=1, description="1-based position of the sentence in the article.")
    text: str = Field(min_length=1, description="The sentence, verbatim from the normalized article text.")


class ArticleInfo(Strict):
    """The article the brief is about."""

    id: str = Field(
        description="Hex BLAKE2b digest of the normalized article text: the same text, the same id."
    )
    title: str | None = Field(default=None, description="The article's title, when it has one.")
    source: str | None = Field(default=None, description="The outlet that published the article.")
    url: str | None = Field(default=None, description="Where the article was published.")
    published: dt.date | None = Field(
        default=None, description="Publication date; relative dates in the article are resolved against it."
    )
    language: str = Field(default="ar", description="ISO 639-1 code of the article's language.")
    sentences: list[Sentence] = Field(
        description="The article split into numbered sentences (1-based); key points and evidence cite them."
    )


class KeyPoint(Strict):
    """One key point of a summary, citing the sentences it rests on."""

    text: str = Field(min_length=1, max_length=300, description="The key point, one short sentence.")
    sentences: list[int] = Field(
        min_length=1, description="Numbers of the article's sentences that support this key point."
    )


class EnglishSummary(Strict):
    """The summary in English (Latin script), composed by code from what the article proves.

    A part that could not be proven is null (and ``meta.warnings`` says why): an editor is better
    served by no English headline than by one the article does not support."""

    headline: str | None = Field(
        default=None,
        max_length=200,
        description="A headline of at most 15 words, or null when none is proven.",
    )
    text: str | None = Field(
        default=None,
        max_length=1500,
        description="A summary of 1 to 4 sentences, or null when none is proven.",
    )
    key_points: list[KeyPoint] = Field(
        default_factory=list,
        max_length=6,
        description="One key point per event, most severe first, each citing its sentences (0 to 6).",
    )

    @model_validator(mode="after")
    def _english(self) -> EnglishSummary:
        if self.headline is not None:
            check_english(self.headline, "headline")
        if self.text is not None:
            check_english(self.text, "text")
        for i, kp in enumerate(self.key_points, 1):
            check_english(kp.text, f"key_points[{i}].text")
        return self


class ArabicSummary(Strict):
    """The summary in Arabic (Arabic script): the article's own sentences, chosen by code."""

    headline: str = Field(
        min_length=3, max_length=300, description="The article's title, or its lede's first clause."
    )
    text: str = Field(
        min_length=3, max_length=2000, description="The lede and the sentences carrying the events' figures."
    )
    key_points: list[KeyPoint] = Field(
        default_factory=list,
        max_length=6,
        description="One key point per event (a clause of the sentence it cites), each citing its "
        "sentences (0 to 6).",
    )

    @model_validator(mode="after")
    def _arabic(self) -> ArabicSummary:
        check_arabic(self.headline, "headline")
        check_arabic(self.text, "text")
        for i, kp in enumerate(self.key_points, 1):
            check_arabic(kp.text, f"key_points[{i}].text")
        return self


class Summaries(Strict):
    """The brief's summaries, one per language."""

    en: EnglishSummary = Field(description="Summary in English.")
    ar: ArabicSummary = Field(description="Summary in Arabic.")


class EventDate(Strict):
    """When the event happened, resolved against the publication date."""

    value: dt.date | None = Field(default=None, description="The date (YYYY-MM-DD), or null when unknown.")
    precision: DatePrecision = Field(
        default="unknown", description="How precise the date is: day, week, month or unknown."
    )
    phrase_ar: str | None = Field(
        default=None, description="The Arabic phrase the date was resolved from, e.g. «الخميس»."
    )


class Location(Strict):
    """Where the event happened."""

    name_en: str | None = Field(default=None, description="Place name in English (stable form).")
    name_ar: str | None = Field(default=None, description="Place name in Arabic, as in the article.")
    admin1_en: str | None = Field(default=None, description="First-level administrative area (governorate).")
    country_en: str | None = Field(default=None, description="Country in English.")
    precision: Literal[1, 2, 3] = Field(
        default=3,
        description="ACLED geo precision: 1 the town itself, 2 near a town or part of a region, "
        "3 a larger region.",
    )


class Actor(Strict):
    """A party to the event."""

    name_en: str = Field(min_length=1, description="Actor name in English (stable form).")
    name_ar: str | None = Field(default=None, description="Actor name in Arabic, as in the article.")
    role: Role = Field(description="'actor' for who did it, 'target' for whom it was done to.")
    sector: Sector = Field(
        description="PLOVER sector: MIL military, GOV government, REB rebels, "
        "PRM pro-government paramilitary, UAF unidentified armed forces, CVL civilians, "
        "IMG transnational militarized group, OTHER."
    )


class CasualtyReport(Strict):
    """One casualty figure the article gives, with who gave it."""

    killed: int | None = Field(
        default=None, ge=0, description="People killed, as reported; null if not given."
    )
    injured: int | None = Field(
        default=None, ge=0, description="People injured, as reported; null if not given."
    )
    group_en: str | None = Field(
        default=None, description="Who the casualties were (e.g. 'pro-Iran fighters')."
    )
    according_to: str | None = Field(default=None, description="Who gave this figure, in English.")
    adds: bool = Field(
        default=False,
        description="True when the figure adds to the report before it («خمسة آخرين»: five others): "
        "the event's killed and injured count them together.",
    )


def add_up(counts: Iterable[tuple[int, bool]]) -> list[int]:
    """Whole tolls from (count, adds) pairs in the order told: a count that adds to the one before it
    is summed into that one's toll (6 at a depot, then 5 others: 11)."""
    out: list[int] = []
    for n, adds in counts:
        if adds and out:
            out[-1] += n
        else:
            out.append(n)
    return out


def whole_tolls(reports: list[CasualtyReport], kind: str) -> list[int]:
    """The whole tolls of one kind ("killed" or "injured") the reports give, in order (:func:`add_up`)."""
    return add_up((n, r.adds) for r in reports if (n := getattr(r, kind)) is not None)


class Event(Strict):
    """One event: who did what to whom, where, when, with what, and with what toll."""

    event_type: EventType = Field(description="ACLED event type, or 'statement' for verbal events.")
    sub_event_type: SubEventType = Field(
        description="ACLED sub-event type (snake_case), or the statement kind."
    )
    status: Status = Field(
        description="Whether it occurred, or was only claimed, denied, threatened or planned."
    )
    date: EventDate = Field(description="When it happened.")
    location: Location = Field(description="Where it happened.")
    actors: list[Actor] = Field(default_factory=list, description="Who did it and to whom.")
    weapon: str | None = Field(default=None, description="Weapon used, in English, or null.")
    killed: int | None = Field(
        default=None,
        ge=0,
        description="Lowest reported number killed (reports that add up counted together), or null "
        "when none given.",
    )
    injured: int | None = Field(
        default=None,
        ge=0,
        description="Lowest reported number injured (reports that add up counted together), or null "
        "when none given.",
    )
    casualty_reports: list[CasualtyReport] = Field(
        default_factory=list, description="Every casualty figure the article gives, with its attribution."
    )
    according_to: list[str] = Field(
        default_factory=list, description="Sources the article attributes the event to (English names)."
    )
    description_en: str = Field(min_length=3, description="One sentence in English describing the event.")
    description_ar: str = Field(min_length=3, description="One sentence in Arabic describing the event.")
    evidence: list[str] = Field(
        min_length=1, description="Verbatim Arabic quotes from the article supporting it."
    )

    @model_validator(mode="after")
    def _consistent(self) -> Event:
        if self.sub_event_type not in SUB_EVENT_TYPES[self.event_type]:
            raise ValueError(
                f"sub_event_type {self.sub_event_type!r} does not belong to event_type {self.event_type!r}; "
                f"use one of {', '.join(SUB_EVENT_TYPES[self.event_type])}"
            )
        check_english(self.description_en, "description_en")
        check_arabic(self.description_ar, "description_ar")
        return self


class Usage(Strict):
    """Tokens and calls spent on the brief."""

    prompt_tokens: int = Field(
        default=0, ge=0, description="Prompt tokens sent, as the backend reports them."
    )
    completion_tokens: int = Field(default=0, ge=0, description="Tokens generated.")
    calls: int = Field(default=0, ge=0, description="LLM calls made, re-asks included.")
    prompt_tokens_processed: int | None = Field(
        default=None,
        ge=0,
        description="Prompt tokens the engine actually evaluated (prefix-cache hits excluded); "
        "null when the backend cannot tell.",
    )


class Meta(Strict):
    """How the brief was made."""

    backend: str = Field(description="Backend that produced the brief: 'embedded' or 'openai'.")
    model: str = Field(description="Model name or file.")
    prompt_version: str = Field(description="Version and hash of the prompt templates.")
    created: dt.datetime = Field(description="When the brief was made (UTC).")
    cached: bool = Field(default=False, description="True when served from the cache.")
    usage: Usage = Field(default_factory=Usage, description="Token usage.")
    elapsed_s: float = Field(default=0.0, ge=0, description="Seconds spent making the brief.")
    warnings: list[str] = Field(
        default_factory=list, description="Anything dropped, trimmed or doubtful, in words."
    )
    profile: str = Field(
        default="small",
        description="How the brief was made: 'small' (code reads the article, the model answers narrow "
        "checked questions) or 'large' (one model reading of the whole article, then the same checks).",
    )
    failed_steps: list[str] = Field(
        default_factory=list,
        description="Pipeline steps whose answer never validated; their part of the brief is missing.",
    )


class ArticleBrief(Strict):
    """A structured bilingual brief of one Arabic news article."""

    schema_version: Literal["2"] = Field(default="2", description="Version of this output contract.")
    article: ArticleInfo = Field(description="The article.")
    summary: Summaries = Field(description="Summaries in English and Arabic.")
    events: list[Event] = Field(default_factory=list, description="Typed events reported in the article.")
    meta: Meta = Field(description="Provenance: backend, model, prompts, usage, timing and warnings.")


def article_brief_json_schema() -> dict[str, object]:
    """The JSON Schema of :class:`ArticleBrief`, as committed in ``schemas/``."""
    return ArticleBrief.model_json_schema()


def schema_json_text() -> str:
    """The committed schema file's exact text."""
    return json.dumps(article_brief_json_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


if __name__ == "__main__":  # pragma: no cover - regeneration helper
    from pathlib import Path

    out = Path(__file__).resolve().parent.parent / "schemas" / "article_brief.schema.json"
    out.write_text(schema_json_text(), encoding="utf-8")
    print(f"wrote {out}")
