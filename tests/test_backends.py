"""The OpenAI-compatible backend against a real HTTP server on loopback (scripted answers).

Checks the two retry layers: transport retries (429/5xx, Retry-After honoured) inside one call, and
the re-ask loop (summarizer.llm.calls.structured_call) on validation failure, and that they never multiply.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import Script, completion
from pydantic import Field

from summarizer.config import resolve_settings
from summarizer.errors import BackendError
from summarizer.llm.backends import OpenAIBackend, transport_retrying
from summarizer.schema import KeyPoint, Strict


class Answer(Strict):
    """A tiny response model."""

    city: str
    points: list[KeyPoint] = Field(min_length=1)


GOOD = {"city": "Hasakah", "points": [{"text": "A drone hit a base.", "sentences": [1]}]}


def backend(url: str, **kw: Any) -> OpenAIBackend:
    kw.setdefault("transport_retries", 3)
    settings = resolve_settings(base_url=url, model="test-model", api_key="sk-test", **kw)
    return OpenAIBackend(settings)


MESSAGES = [{"role": "system", "content": "Answer in JSON."}, {"role": "user", "content": "Where?"}]


def test_valid_answer_first_time(server: tuple[str, Script]) -> None:
    url, script = server
    script.answers = [(200, completion(json.dumps(GOOD)), {})]
    result = backend(url).structured(MESSAGES, Answer, max_tokens=100)
    assert result.value is not None and result.value.city == "Hasakah"
    assert result.stats.calls == 1 and result.stats.prompt_tokens == 10
    sent = script.requests[0]
    assert sent["response_format"]["type"] == "json_schema"
    assert sent["response_format"]["json_schema"]["schema"]["title"] == "Answer"
    assert sent["temperature"] == 0.0


def test_json_object_mode_sends_the_schema_the_way_llama_cpp_python_wants(server: tuple[str, Script]) -> None:
    url, script = server
    script.answers = [(200, completion(json.dumps(GOOD)), {})]
    backend(url, structured_output="json_object").structured(MESSAGES, Answer, max_tokens=100)
    fmt = script.requests[0]["response_format"]
    assert fmt["type"] == "json_object" and fmt["schema"]["title"] == "Answer"


def test_transport_retry_honours_retry_after(server: tuple[str, Script]) -> None:
    url, script = server
    script.answers = [
        (429, {"error": {"message": "slow down"}}, {"retry-after": "0.5"}),
        (503, {"error": {"message": "busy"}}, {"retry-after": "0"}),
        (200, completion(json.dumps(GOOD)), {}),
    ]
    result = backend(url).structured(MESSAGES, Answer, max_tokens=100)
    assert result.value is not None
    assert len(script.requests) == 3
    assert script.times[1] - script.times[0] >= 0.45
    assert result.stats.calls == 1  # one logical call; its transport retries are not re-asks


def test_validation_failure_is_reasked_with_the_error(server: tuple[str, Script]) -> None:
    url, script = server
    bad = {"city": "Hasakah", "points": [{"text": "x", "sentences": []}]}
    script.answers = [(200, completion(json.dumps(bad)), {}), (200, completion(json.dumps(GOOD)), {})]
    result = backend(url).structured(MESSAGES, Answer, max_tokens=100)
    assert result.value is not None and result.stats.calls == 2
    reask = script.requests[1]["messages"]
    assert reask[: len(MESSAGES)] == MESSAGES  # the prefix is kept (prefix caches stay warm)
    assert "sentences" in reask[-1]["content"] and reask[-2]["role"] == "assistant"


def test_retries_do_not_multiply(server: tuple[str, Script]) -> None:
    url, script = server
    bad = json.dumps({"city": 3})
    script.answers = [
        (500, {"error": "x"}, {"retry-after": "0"}),
        (200, completion(bad), {}),
        (502, {"error": "x"}, {"retry-after": "0"}),
        (200, completion(json.dumps(GOOD)), {}),
    ]
    result = backend(url, max_reasks=1).structured(MESSAGES, Answer, max_tokens=100)
    assert result.value is not None
    assert len(script.requests) == 4 and result.stats.calls == 2


def test_exhausted_reasks_return_the_last_error(server: tuple[str, Script]) -> None:
    url, script = server
    script.answers = [(200, completion(json.dumps({"city": "x", "points": []})), {})] * 3
    result = backend(url, max_reasks=2).structured(MESSAGES, Answer, max_tokens=100)
    assert result.value is None and result.attempts == 3
    assert result.error and "points" in result.error
    assert result.last_text and '"city"' in result.last_text


def test_client_error_is_not_retried(server: tuple[str, Script]) -> None:
    url, script = server
    script.answers = [(401, {"error": {"message": "bad key"}}, {})]
    with pytest.raises(BackendError, match="HTTP 401"):
        backend(url).structured(MESSAGES, Answer, max_tokens=100)
    assert len(script.requests) == 1


def test_server_down_is_a_backend_error() -> None:
    with pytest.raises(BackendError, match="cannot reach"):
        backend("http://127.0.0.1:9/v1", transport_retries=0).structured(MESSAGES, Answer, max_tokens=10)


def test_api_key_is_sent_but_never_in_settings_repr(server: tuple[str, Script]) -> None:
    url, _ = server
    b = backend(url)
    assert "sk-test" not in repr(b.settings)
    assert "sk-test" not in json.dumps(b.generation_params())


def test_transport_retrying_gives_up_after_the_budget() -> None:
    import httpx2
    import openai

    calls = []

    def flaky() -> None:
        calls.append(1)
        request = httpx2.Request("POST", "http://x/v1/chat/completions")
        raise openai.InternalServerError("boom", response=httpx2.Response(500, request=request), body=None)

    with pytest.raises(openai.InternalServerError):
        transport_retrying(flaky, retries=2, sleep=lambda s: None)()
    assert len(calls) == 3
