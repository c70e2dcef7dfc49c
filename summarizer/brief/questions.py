"""The narrow questions the small profile asks the model, and how code checks each answer.

- :func:`ask_attacker`: who carried out an attack whose sentences name no doer by pattern. The
  options are the actors the gazetteer finds in those sentences, plus "unknown", as an enum the
  engine's grammar enforces. It is asked twice, the options in opposite orders, and the answer is
  kept only when both agree: a small model's pick on such questions is often a guess biased by the
  options' order, and such a guess rarely survives the second order.
- :func:`translate`: the English of the lede, shown only when :func:`~summarizer.brief.crossscript.
  check_translation` finds its figures, key terms and names in the Arabic. A failed check is sent
  back once as the validation error; a second failure leaves the lede untranslated.

Both run through :meth:`Backend.structured <summarizer.llm.backends.Backend.structured>`, so they are
retried, validated, cached and recorded like every other call.
"""

from __future__ import annotations

import datetime as dt
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Literal, Protocol

from pydantic import Field, create_model, field_validator

from summarizer.brief.grounding import strip_dateline
from summarizer.llm import prompts
from summarizer.llm.calls import step_scope
from summarizer.schema import Strict

if TYPE_CHECKING:
    from summarizer.brief.reading import ActorRef, Incident
    from summarizer.llm.backends import Backend, CallStats


class _Article(Protocol):
    @property
    def published(self) -> dt.date | None: ...


class _Run(Protocol):
    """What a question reads of the brief being made and adds to it (the pipeline's run state): the
    article's sentences and publication date, the warnings and the call statistics."""

    @property
    def article(self) -> _Article: ...

    sentences: list[str]
    warnings: list[str]
    stats: CallStats


__all__ = ["ask_attacker", "translate"]

#: Output budget of each question.
MAX_TOKENS = {"attacker": 40, "translate": 160}

_SOURCE: ContextVar[str | None] = ContextVar("summarizer_translation_source", default=None)
#: What code read in the sentence being translated: each actor's first role (see :func:`roles_in`) and
#: the killed and injured figures (see :func:`tolls_in`).
_ROLES: ContextVar[tuple[dict[str, str], dict[str, set[int]]] | None] = ContextVar(
    "summarizer_translation_roles", default=None
)


class Translation(Strict):
    """The English of one Arabic sentence."""

    english: str = Field(min_length=3, max_length=600, description="The sentence in English.")

    @field_validator("english")
    @classmethod
    def _faithful(cls, value: str) -> str:
        from summarizer.arabic.gazetteer import default_gazetteer
        from summarizer.brief.crossscript import check_translation
        from summarizer.script import check_english

        check_english(value, "english")
        source = _SOURCE.get()
        if source is not None:
            read = _ROLES.get()
            problems = check_translation(
                source,
                value,
                default_gazetteer(),
                roles=read[0] if read else None,
                tolls=read[1] if read else None,
            )
            if problems:
                raise ValueError("; ".join(problems))
        return value


def _system() -> dict[str, str]:
    return {"role": "system", "content": prompts.render("system_small")}


def _incidents(sentence: str, published: Any) -> list[Incident]:
    from summarizer.arabic.gazetteer import default_gazetteer
    from summarizer.brief.reading import read_incidents

    return read_incidents([sentence], published, default_gazetteer())


def _roles(incidents: list[Incident]) -> dict[str, str]:
    first: dict[str, str] = {}
    for inc in incidents:
        if inc.is_statement:
            continue
        for actor in (inc.attacker, inc.side):
            if actor is not None:
                first.setdefault(actor.name_en, "attacker")
        for t in inc.targets:
            first.setdefault(t.name_en, "target")
    return first


def _tolls(incidents: list[Incident]) -> dict[str, set[int]]:
    out: dict[str, set[int]] = {"killed": set(), "injured": set()}
    for inc in incidents:
        for f in inc.figures:
            out[f.kind].add(f.count)
    return out


def roles_in(sentence: str, published: Any = None) -> dict[str, str]:
    """Who code reads as doing ("attacker") and as suffering ("target") the attacks of one sentence,
    by English name: the role of each actor's first incident in the sentence."""
    return _roles(_incidents(sentence, published))


def tolls_in(sentence: str, published: Any = None) -> dict[str, set[int]]:
    """The killed and injured figures code reads in one sentence."""
    return _tolls(_incidents(sentence, published))


def _read(sentence: str, published: Any) -> tuple[dict[str, str], dict[str, set[int]]]:
    """:func:`roles_in` and :func:`tolls_in` of one sentence, read once."""
    incidents = _incidents(sentence, published)
    return _roles(incidents), _tolls(incidents)


def translate(backend: Backend, run: _Run, sentence_id: int, *, label: str = "summary en") -> str | None:
    """The verified English of sentence ``sentence_id``, or None (said in ``run.warnings``)."""
    source = strip_dateline(run.sentences[sentence_id - 1])
    from summarizer.arabic.gazetteer import default_gazetteer
    from summarizer.brief.crossscript import glossary

    words = glossary(source, default_gazetteer())
    messages = [
        _system(),
        {"role": "user", "content": prompts.render("translate", sentence=source, glossary=words)},
    ]
    token = _SOURCE.set(source)
    roles = _ROLES.set(_read(source, run.article.published))
    try:
        result = _structured(backend, run, messages, Translation, "translate", max_reasks=1)
    finally:
        _SOURCE.reset(token)
        _ROLES.reset(roles)
    if result is None or result.value is None:
        error = result.error if result is not None else "no answer"
        run.warnings.append(
            f"{label}: the translation of sentence {sentence_id} failed the checks ({error}); left out"
        )
        return None
    return str(result.value.english).strip()


def _choice_model(options: list[str]) -> type[Strict]:
    choice: Any = Literal[tuple(options)]
    model: type[Strict] = create_model(
        "Attacker", __base__=Strict, attacker=(choice, Field(description="Who carried it out."))
    )
    return model


def ask_attacker(
    backend: Backend, run: _Run, incident: Incident, candidates: list[ActorRef]
) -> ActorRef | None:
    """The attacker the model names among ``candidates``
    (:func:`~summarizer.brief.reading.attacker_candidates`),
    when both orders agree; else None."""
    names = [c.name_en for c in candidates]
    sentence = strip_dateline(run.sentences[incident.sentences[0] - 1])
    answers = []
    for order in (names, names[::-1]):
        options = [*order, "unknown"]
        messages = [
            _system(),
            {
                "role": "user",
                "content": prompts.render(
                    "attacker", sentence=sentence, what=incident.what_en, options=options
                ),
            },
        ]
        result = _structured(backend, run, messages, _choice_model(options), "attacker", max_reasks=0)
        if result is None or result.value is None:
            return None
        answers.append(str(result.value.attacker))
    if answers[0] != answers[1] or answers[0] == "unknown":
        return None
    return next(c for c in candidates if c.name_en == answers[0])


def _structured(
    backend: Backend,
    run: _Run,
    messages: list[dict[str, str]],
    model: type[Any],
    step: str,
    *,
    max_reasks: int,
) -> Any:
    with step_scope(step):
        result = backend.structured(messages, model, max_tokens=MAX_TOKENS[step], max_reasks=max_reasks)
    result.step = step
    run.stats.add(result.stats)
    return result
