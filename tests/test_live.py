"""The real embedded model, end to end (marked ``live``; CI runs these with SUMMARIZER_REQUIRE_LIVE=1).

Skipped, with the reason, when the engine or the model is not installed, unless
``SUMMARIZER_REQUIRE_LIVE=1`` says they must be (then a missing piece is a failure).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from summarizer import models
from summarizer.arabic import normalize_ar
from summarizer.engine_info import engine_version
from summarizer.schema import ArticleBrief, KeyPoint, Strict
from summarizer.script import is_arabic, is_english

ROOT = Path(__file__).resolve().parent.parent
SHORT = ROOT / "examples" / "short.txt"

pytestmark = pytest.mark.live


def _require_engine_and_model() -> None:
    missing = []
    if engine_version() is None:
        missing.append("llama-cpp-python is not installed")
    elif models.model_status(models.get_model(None)) == "missing":
        missing.append("the default model's packages are not installed")
    if missing:
        if os.environ.get("SUMMARIZER_REQUIRE_LIVE") == "1":
            pytest.fail("; ".join(missing) + " (SUMMARIZER_REQUIRE_LIVE=1)")
        pytest.skip("; ".join(missing) + ": run bash scripts/install.sh")


def test_step_schemas_compile_to_engine_grammars() -> None:
    """llama-cpp-python silently falls back to plain JSON when a schema does not convert: catch that."""
    if engine_version() is None:
        _require_engine_and_model()
    from llama_cpp import llama_grammar

    from summarizer.steps import ArabicSummaryStep, EnglishSummaryStep, events_step_model

    for model in (ArabicSummaryStep, EnglishSummaryStep, events_step_model(6)):
        grammar = llama_grammar.json_schema_to_gbnf(json.dumps(model.model_json_schema()))
        assert "key_points" in grammar or "events" in grammar


class Place(Strict):
    """A place named in a text."""

    city: str
    points: list[KeyPoint]


def test_engine_output_is_constrained_by_the_schema() -> None:
    """Asked for prose, the engine still answers with JSON of the schema, first time.

    Without the grammar, the model answers this prompt with a poem and validation fails; so this test
    fails whenever the constraint does not reach the engine.
    """
    _require_engine_and_model()
    from summarizer.backends import EmbeddedBackend
    from summarizer.config import resolve_settings

    backend = EmbeddedBackend(resolve_settings(n_ctx=2048), show_progress=False)
    backend.max_reasks = 0
    messages = [
        {"role": "system", "content": "You are a poet."},
        {
            "role": "user",
            "content": "Write a four-line poem about the sea. Plain text only, no JSON, no braces.",
        },
    ]
    result = backend.structured(messages, Place, max_tokens=120)
    assert result.error is None, result.last_text
    assert result.value is not None and result.attempts == 1
    assert result.stats.prompt_tokens_processed and result.stats.prompt_tokens_processed > 0


def test_cli_brief_of_a_short_article_on_the_embedded_model() -> None:
    _require_engine_and_model()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "summarizer",
            "summarize",
            str(SHORT),
            "--published",
            "2023-03-24",
            "--format",
            "json",
            "--no-cache",
        ],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert proc.returncode == 0, proc.stderr
    brief = ArticleBrief.model_validate_json(proc.stdout)
    assert brief.meta.backend == "embedded" and brief.meta.model == "qwen2.5-coder-1.5b"
    assert is_arabic(brief.summary.ar.text) and is_arabic(brief.summary.ar.headline)
    assert is_english(brief.summary.en.text) and is_english(brief.summary.en.headline)
    article = normalize_ar(SHORT.read_text(encoding="utf-8"))
    # events the model got wrong are dropped, never silently: an empty list must come with the reasons
    assert brief.events or any("dropped" in w or "events" in w for w in brief.meta.warnings)
    for event in brief.events:
        for quote in event.evidence:
            assert normalize_ar(quote) in article
    processed = brief.meta.usage.prompt_tokens_processed
    assert processed is not None and 0 < processed < brief.meta.usage.prompt_tokens
