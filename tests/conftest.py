"""Test configuration: offline by default, isolated from the user's cache, config and keys.

Like pydantic-ai's ``ALLOW_MODEL_REQUESTS = False``: no test reaches a real model by accident. The
network is blocked (pytest-recording's ``--block-network``, loopback allowed for the test SMTP and
recording servers), cassettes replay HTTP, and the embedded engine is only loaded by tests marked
``live``.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from summarizer.replay import MATCH_ON, corpus_dir

ROOT = Path(__file__).resolve().parent.parent
CASSETTES = ROOT / "cassettes"


def require_engine_and_model() -> None:
    """Skip a live test when the engine or the default model is missing; fail it instead when
    ``SUMMARIZER_REQUIRE_LIVE=1`` (CI), so a live test never passes by being skipped there."""
    from summarizer.llm import weights
    from summarizer.llm.engine_info import engine_version

    missing = []
    if engine_version() is None:
        missing.append("llama-cpp-python is not installed")
    elif weights.model_status(weights.get_model(None)) == "missing":
        missing.append("the default model's packages are not installed")
    if missing:
        if os.environ.get("SUMMARIZER_REQUIRE_LIVE") == "1":
            pytest.fail("; ".join(missing) + " (SUMMARIZER_REQUIRE_LIVE=1)")
        pytest.skip("; ".join(missing) + ": run bash scripts/install.sh")


@pytest.fixture
def corpus() -> Path:
    """The corpus (:func:`summarizer.replay.corpus_dir`); publication dates: ``corpus_published()``."""
    return corpus_dir()


@pytest.fixture(autouse=True)
def _isolated(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    """Every test gets its own cache and config dirs and no API keys from the developer's shell."""
    base = tmp_path_factory.mktemp("home")
    for var in (
        "OPENAI_API_KEY",
        "SUMMARIZER_API_KEY",
        "SUMMARIZER_BASE_URL",
        "SUMMARIZER_MODEL",
        "SUMMARIZER_BACKEND",
        "SUMMARIZER_MODEL_PATH",
        "SUMMARIZER_STRUCTURED_OUTPUT",
        "SUMMARIZER_CPU_VARIANT",
        "OPENAI_BASE_URL",
        "OPENAI_ORG_ID",
        "OPENAI_PROJECT_ID",
    ):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(base / "cache"))
    monkeypatch.setenv("SUMMARIZER_CONFIG", str(base / "config.toml"))
    if "live" not in request.keywords:
        # Non-live tests must never assemble or load the real model.
        monkeypatch.setenv("SUMMARIZER_MODELS_DIR", str(base / "models"))


# --- cassettes ---------------------------------------------------------------------------------------

_DROP_REQUEST_HEADERS = [
    "authorization",
    "cookie",
    "openai-organization",
    "openai-project",
    "api-key",
    "x-api-key",
    "user-agent",
]


def _scrub_response(response: dict) -> dict:
    headers = response.get("headers", {})
    for name in list(headers):
        low = name.lower()
        if low in (
            "set-cookie",
            "cookie",
            "openai-organization",
            "openai-project",
            "authorization",
        ) or low.startswith(("x-", "openai-", "cf-")):
            del headers[name]
    return response


def _scrub_request(request):  # type: ignore[no-untyped-def]
    for name in list(request.headers):
        low = name.lower()
        if low in _DROP_REQUEST_HEADERS or low.startswith(("x-stainless", "openai-", "x-")):
            del request.headers[name]
    return request


@pytest.fixture(scope="module")
def vcr_config() -> dict:
    return {
        "filter_headers": _DROP_REQUEST_HEADERS,
        "before_record_request": _scrub_request,
        "before_record_response": _scrub_response,
        "decode_compressed_response": True,
        "match_on": list(MATCH_ON),
    }


@pytest.fixture(scope="module")
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    return str(CASSETTES / request.module.__name__.split(".")[-1])


# --- a scripted OpenAI-compatible server on loopback ------------------------------------------------


#: Valid answers for every step of a brief of article 002 (its sentences 1-3 are cited).
AR = {
    "headline": "غارات أمريكية شرقي سوريا",
    "text": "قُتل 11 مقاتلاً موالياً لإيران في غارات جوية أمريكية شرقي سوريا.",
    "key_points": [
        {"text": "غارات جوية أمريكية شرقي سوريا", "sentences": [1]},
        {"text": "هجوم بطائرة مسيرة قرب الحسكة", "sentences": [2]},
        {"text": "المرصد السوري أحصى القتلى", "sentences": [3]},
    ],
}
EN = {
    "headline": "US strikes in eastern Syria",
    "text": "US air strikes killed 11 pro-Iran fighters in eastern Syria.",
    "key_points": [
        {"text": "US air strikes in eastern Syria.", "sentences": [1]},
        {"text": "A drone attack near Hasakah preceded them.", "sentences": [2]},
        {"text": "SOHR counted the dead.", "sentences": [3]},
    ],
}
EVENTS: dict[str, Any] = {"events": []}


def completion(content: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 0,
        "model": "test-model",
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}
        ],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }


class Script:
    """Answers to give, in order: (status, body, headers)."""

    def __init__(self, answers: list[tuple[int, Any, dict[str, str]]]):
        self.answers = answers
        self.default: tuple[int, Any, dict[str, str]] | None = None
        """The answer once ``answers`` are spent (e.g. the same events answer for every window)."""
        self.requests: list[dict[str, Any]] = []
        self.times: list[float] = []


@pytest.fixture
def server() -> Iterator[tuple[str, Script]]:
    script = Script([])

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", 0))
            script.requests.append(json.loads(self.rfile.read(length)))
            script.times.append(time.monotonic())
            status, body, headers = (
                script.answers.pop(0)
                if script.answers
                else script.default or (500, {"error": "no answer"}, {})
            )
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1", script
    httpd.shutdown()
    httpd.server_close()
