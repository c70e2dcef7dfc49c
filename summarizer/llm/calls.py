"""The seam between a brief and a model: one LLM call as a value, and the one re-ask loop.

Every call a brief makes is a :class:`Request` (the conversation, the JSON Schema the answer must
follow, the token budget and the generation parameters) answered by an :class:`Answer` (the raw
text, its usage, or the transport error that stopped it). What runs the request is a
:data:`Complete` function: one HTTP call (``OpenAIBackend.complete``), the embedded engine
(``EmbeddedBackend.complete``), or an answer looked up in a batch's answer cache
(:mod:`summarizer.batch`).

:func:`structured_call` is the only place an answer is validated and re-asked, whoever delivered it.
instructor does both, in its ``JSON_SCHEMA`` mode: ``process_response`` parses and validates the
answer, ``handle_reask_kwargs`` turns a failed one into the next conversation (the failing answer and
its validation error appended, the bodies the cassettes recorded). instructor's own ``create`` loop is
not used: it sends the re-ask itself, while here a re-ask is a new :class:`Request` that an executor
may answer in the same call or in a later batch round. Identical answers therefore give identical
briefs under every executor.

A request's :meth:`Request.key` (blake2b of canonical JSON of everything that changes the answer) is
what a batch's answer cache is keyed on: an answered request is never sent again.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, cast

from pydantic import BaseModel, ValidationError

from summarizer.errors import one_line

T = TypeVar("T", bound=BaseModel)

log = logging.getLogger("summarizer.llm.calls")

#: Looks at an answer's text as it is generated; returns the text to end the answer with (complete,
#: valid JSON) when the answer should stop early, else None. Used against a small model's loops (the
#: same event listed again and again until the token limit); only an engine that generates token by
#: token can use it, and a remote answer arrives whole.
Guard = Callable[[str], str | None]


@dataclass
class CallStats:
    """Tokens and calls spent by one structured request (re-asks included)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    calls: int = 0
    prompt_tokens_processed: int | None = None
    prompt_seconds: float = 0.0
    generation_seconds: float = 0.0

    def add(self, other: CallStats) -> None:
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens
        self.calls += other.calls
        if other.prompt_tokens_processed is not None:
            self.prompt_tokens_processed = (self.prompt_tokens_processed or 0) + other.prompt_tokens_processed
        self.prompt_seconds += other.prompt_seconds
        self.generation_seconds += other.generation_seconds


@dataclass
class Structured(Generic[T]):
    """Result of one structured request: the validated value, or why there is none."""

    value: T | None
    stats: CallStats
    error: str | None = None
    """The last validation error when the value never validated."""
    last_text: str | None = None
    """The model's last raw answer: the validated one, or the one to salvage what did validate from."""
    attempts: int = 0
    step: str = ""
    """The pipeline step that asked (set by the pipeline, for messages)."""


__all__ = [
    "REASK_PREFIX",
    "Answer",
    "CallStats",
    "Complete",
    "Guard",
    "Request",
    "Structured",
    "article_scope",
    "current_labels",
    "response_format",
    "short_validation_error",
    "step_scope",
    "structured_call",
]

#: How instructor's ``JSON_SCHEMA`` mode begins the user message that sends a failed answer back (the
#: validation error follows). :meth:`Request.reask` lets instructor write it; tests read it.
REASK_PREFIX = "Correct your JSON ONLY RESPONSE, based on the following errors:\n"


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def response_format(
    name: str, schema: dict[str, Any], structured_output: str = "json_schema", *, strict: bool = False
) -> dict[str, Any]:
    """The ``response_format`` of a chat completion asking for ``schema``.

    ``json_schema`` is OpenAI's structured outputs (``strict`` for the Batch API, where every line must
    hold to the schema); ``json_object`` is the form llama-cpp-python's server builds a grammar from.
    """
    if structured_output == "json_object":
        return {"type": "json_object", "schema": schema}
    spec: dict[str, Any] = {"name": name, "schema": schema}
    if strict:
        spec["strict"] = True
    return {"type": "json_schema", "json_schema": spec}


@dataclass(frozen=True)
class Request:
    """One LLM call of one article's brief."""

    messages: tuple[dict[str, str], ...]
    """The conversation, re-asks included."""
    schema_name: str
    """The response model's name (the ``json_schema`` format's ``name``)."""
    schema: dict[str, Any] = field(hash=False)
    """The response model's JSON Schema."""
    max_tokens: int
    model: str
    params: dict[str, Any] = field(hash=False, default_factory=dict)
    """Generation parameters sent with the call (temperature, seed)."""
    article_id: str = ""
    """Which article asks (set by whoever runs the article; not part of :meth:`key`)."""
    step: str = ""
    """The pipeline step that asks (not part of :meth:`key`)."""
    attempt: int = 0
    """0 for the first answer, n for the n-th re-ask."""

    def key(self) -> str:
        """blake2b of canonical JSON of everything that changes the answer: equal keys, equal answers."""
        payload = {
            "messages": list(self.messages),
            "schema_name": self.schema_name,
            "schema": self.schema,
            "max_tokens": self.max_tokens,
            "model": self.model,
            "params": self.params,
        }
        return hashlib.blake2b(_canonical(payload).encode("utf-8"), digest_size=20).hexdigest()

    def body(self, structured_output: str = "json_schema", *, strict: bool = False) -> dict[str, Any]:
        """The ``/v1/chat/completions`` body of this request."""
        return {
            "messages": [dict(m) for m in self.messages],
            "model": self.model,
            "max_tokens": self.max_tokens,
            "response_format": response_format(
                self.schema_name, self.schema, structured_output, strict=strict
            ),
            **self.params,
        }

    def reask(self, answer_text: str, error: ValidationError) -> Request:
        """The next request after ``answer_text`` failed validation with ``error``: the conversation
        instructor's ``JSON_SCHEMA`` mode re-asks with."""
        from instructor import Mode
        from instructor.processing.response import handle_reask_kwargs

        kwargs = handle_reask_kwargs(
            {"messages": [dict(m) for m in self.messages]}, Mode.JSON_SCHEMA, _completion(answer_text), error
        )
        messages = tuple(kwargs["messages"])
        return Request(
            messages=messages,
            schema_name=self.schema_name,
            schema=self.schema,
            max_tokens=self.max_tokens,
            model=self.model,
            params=self.params,
            article_id=self.article_id,
            step=self.step,
            attempt=self.attempt + 1,
        )


@dataclass
class Answer:
    """What came back for one :class:`Request`."""

    text: str | None
    """The answer's content; None when there is none."""
    finish_reason: str | None = "stop"
    """``length`` when the answer was cut off at ``max_tokens``."""
    prompt_tokens: int = 0
    completion_tokens: int = 0
    prompt_tokens_processed: int | None = None
    """Prompt tokens the engine really evaluated (the embedded engine; None elsewhere)."""
    prompt_seconds: float = 0.0
    generation_seconds: float = 0.0

    def stats(self) -> CallStats:
        """What this answer cost, as one call."""
        return CallStats(
            prompt_tokens=self.prompt_tokens,
            completion_tokens=self.completion_tokens,
            calls=1,
            prompt_tokens_processed=self.prompt_tokens_processed,
            prompt_seconds=self.prompt_seconds,
            generation_seconds=self.generation_seconds,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "finish_reason": self.finish_reason,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Answer:
        return cls(
            text=data.get("text"),
            finish_reason=data.get("finish_reason"),
            prompt_tokens=int(data.get("prompt_tokens") or 0),
            completion_tokens=int(data.get("completion_tokens") or 0),
        )

    @classmethod
    def from_completion(cls, body: dict[str, Any]) -> Answer:
        """The answer in a chat completion's JSON body (a server's reply, or a batch output line's)."""
        choices = body.get("choices") or [{}]
        choice = choices[0] if isinstance(choices[0], dict) else {}
        message = choice.get("message") or {}
        usage = body.get("usage") or {}
        content = message.get("content")
        return cls(
            text=content if isinstance(content, str) else None,
            finish_reason=choice.get("finish_reason"),
            prompt_tokens=int(usage.get("prompt_tokens") or 0),
            completion_tokens=int(usage.get("completion_tokens") or 0),
        )


def _completion(text: str) -> Any:
    """An answer's text as the chat completion instructor reads."""
    from openai.types.chat import ChatCompletion

    return ChatCompletion.model_validate(
        {
            "id": "answer",
            "object": "chat.completion",
            "created": 0,
            "model": "",
            "choices": [
                {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": text}}
            ],
        }
    )


def _validated(text: str, response_model: type[T]) -> T:
    """The answer parsed and validated by instructor's ``JSON_SCHEMA`` mode (raises ValidationError)."""
    from instructor import Mode
    from instructor.processing.response import process_response

    value = process_response(
        _completion(text), response_model=response_model, mode=Mode.JSON_SCHEMA, stream=False
    )
    return cast(T, value)


#: Runs one request: returns its answer, or raises :class:`~summarizer.errors.BackendError` (the
#: transport failed after its retries) or whatever the executor uses to say "not answered yet".
Complete = Callable[[Request, "Guard | None"], Answer]


def short_validation_error(exc: BaseException) -> str:
    """A validation error in one line: the first three failures, and how many more."""
    if isinstance(exc, ValidationError):
        parts = []
        for err in exc.errors()[:3]:
            loc = ".".join(str(x) for x in err.get("loc", ()))
            parts.append(f"{loc}: {err.get('msg')}" if loc else str(err.get("msg")))
        more = f" (+{exc.error_count() - 3} more)" if exc.error_count() > 3 else ""
        return "; ".join(parts) + more
    return one_line(exc)[:300]


def structured_call(
    complete: Complete,
    request: Request,
    response_model: type[T],
    *,
    max_reasks: int,
    guard: Guard | None = None,
) -> Structured[T]:
    """Ask ``request`` through ``complete`` for an instance of ``response_model``, re-asking at most
    ``max_reasks`` times with the validation error.

    An answer cut off at ``max_tokens`` is not re-asked (a second try would be cut off too). A
    transport failure propagates from ``complete`` as it is.
    """
    stats = CallStats()
    text: str | None = None
    error: ValidationError | None = None
    for _ in range(max_reasks + 1):
        answer = complete(request, guard)
        stats.add(answer.stats())
        text = answer.text
        log.debug("%s answer %d: %s", response_model.__name__, stats.calls, text)
        if answer.finish_reason == "length":
            return Structured(
                value=None,
                stats=stats,
                error=f"the answer was cut off at {request.max_tokens} tokens",
                last_text=text,
                attempts=stats.calls,
            )
        try:
            value = _validated(text or "", response_model)
        except ValidationError as e:
            error = e
            request = request.reask(text or "", e)
            continue
        return Structured(value=value, stats=stats, last_text=text, attempts=stats.calls)
    return Structured(
        value=None,
        stats=stats,
        error=short_validation_error(error) if error is not None else "no answer",
        last_text=text,
        attempts=stats.calls,
    )


_ARTICLE: ContextVar[str] = ContextVar("summarizer_call_article", default="")
_STEP: ContextVar[str] = ContextVar("summarizer_call_step", default="")


@contextmanager
def article_scope(article_id: str) -> Iterator[None]:
    """Label every request made inside the block with ``article_id`` (the executor running it)."""
    token = _ARTICLE.set(article_id)
    try:
        yield
    finally:
        _ARTICLE.reset(token)


@contextmanager
def step_scope(step: str) -> Iterator[None]:
    """Label every request made inside the block with the pipeline step asking."""
    token = _STEP.set(step)
    try:
        yield
    finally:
        _STEP.reset(token)


def current_labels() -> tuple[str, str]:
    """(article id, step) of the requests made here and now: a batch line's ``custom_id`` names them."""
    return _ARTICLE.get(), _STEP.get()
