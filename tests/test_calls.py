"""The seam of every LLM call: requests as values, their keys, and the one re-ask loop."""

from __future__ import annotations

import json

from pydantic import Field

from summarizer.llm.calls import REASK_PREFIX, Answer, Request, article_scope, current_labels, step_scope
from summarizer.llm.calls import structured_call as call
from summarizer.schema import Strict


class City(Strict):
    """A tiny response model."""

    city: str = Field(min_length=3)


def request(**kw: object) -> Request:
    base: dict[str, object] = {
        "messages": ({"role": "user", "content": "Where?"},),
        "schema_name": "City",
        "schema": City.model_json_schema(),
        "max_tokens": 20,
        "model": "m",
        "params": {"temperature": 0.0, "seed": 0},
    }
    base.update(kw)
    return Request(**base)  # type: ignore[arg-type]


def test_the_key_covers_what_changes_the_answer_and_not_the_labels() -> None:
    a = request()
    assert a.key() == request(article_id="x", step="translate", attempt=3).key()
    assert a.key() != request(max_tokens=21).key()
    assert a.key() != request(model="n").key()
    assert a.key() != request(params={"temperature": 0.5, "seed": 0}).key()
    assert a.key() != request(messages=({"role": "user", "content": "Where? "},)).key()


def test_bodies_for_each_structured_output_mode() -> None:
    r = request()
    assert r.body()["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "City", "schema": City.model_json_schema()},
    }
    assert r.body(strict=True)["response_format"]["json_schema"]["strict"] is True
    assert r.body("json_object")["response_format"] == {
        "type": "json_object",
        "schema": City.model_json_schema(),
    }
    assert r.body()["temperature"] == 0.0 and r.body()["seed"] == 0 and r.body()["max_tokens"] == 20


def test_a_failed_answer_becomes_the_next_request_with_its_error() -> None:
    asked: list[Request] = []
    answers = iter([json.dumps({"city": "x"}), json.dumps({"city": "Hasakah"})])

    def complete(req: Request, guard: object) -> Answer:
        asked.append(req)
        return Answer(text=next(answers), prompt_tokens=7, completion_tokens=3)

    result = call(complete, request(), City, max_reasks=1)
    assert result.value is not None and result.value.city == "Hasakah"
    assert result.attempts == 2 and result.stats.calls == 2 and result.stats.prompt_tokens == 14
    second = asked[1]
    assert second.attempt == 1 and second.messages[:1] == asked[0].messages
    assert second.messages[1] == {"role": "assistant", "content": '{"city": "x"}'}
    assert second.messages[2]["content"].startswith(REASK_PREFIX + "1 validation error for City")


def test_exhausted_reasks_and_cut_off_answers() -> None:
    def bad(req: Request, guard: object) -> Answer:
        return Answer(text='{"city": 3}')

    result = call(bad, request(), City, max_reasks=2)
    assert result.value is None and result.attempts == 3 and result.error and "city" in result.error

    def cut(req: Request, guard: object) -> Answer:
        return Answer(text='{"city": "Has', finish_reason="length")

    result = call(cut, request(), City, max_reasks=2)
    assert (
        result.value is None
        and result.attempts == 1
        and result.error == "the answer was cut off at 20 tokens"
    )


def test_labels_follow_the_scopes() -> None:
    assert current_labels() == ("", "")
    with article_scope("a1"), step_scope("translate"):
        assert current_labels() == ("a1", "translate")
    assert current_labels() == ("", "")
