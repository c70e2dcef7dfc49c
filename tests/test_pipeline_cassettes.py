"""The whole pipeline over real HTTP, replayed from cassettes.

The cassettes in ``cassettes/test_pipeline_cassettes/`` were recorded against llama-cpp-python's
OpenAI-compatible server running the embedded model (Qwen2.5-Coder-1.5B-Instruct Q4_K_M): real model
output, real HTTP. Re-record with ``bash scripts/record-cassettes.sh``. Requests are matched on their
body too, so a changed prompt or schema fails here until the cassettes are re-recorded.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from conftest import PUBLISHED, corpus_dir

from summarizer.api import Briefer
from summarizer.arabic import normalize_ar
from summarizer.config import resolve_settings
from summarizer.inputs import read_article
from summarizer.numbers import numbers_in_text
from summarizer.schema import ArticleBrief
from summarizer.script import is_arabic, is_english

RECORD_URL = os.environ.get("SUMMARIZER_RECORD_URL", "http://127.0.0.1:8765/v1")

pytestmark = [pytest.mark.cassette, pytest.mark.vcr]


@pytest.fixture(autouse=True)
def _every_interaction_played(vcr):  # type: ignore[no-untyped-def]
    """A replayed test must use every recorded request: a skipped step is a failure, not a pass."""
    yield
    if vcr.record_mode == "none":
        assert vcr.all_played, f"{len(vcr.data) - vcr.play_count} recorded interaction(s) never replayed"


def brief_of(name: str) -> ArticleBrief:
    settings = resolve_settings(
        base_url=RECORD_URL, model="qwen2.5-coder-1.5b", structured_output="json_object", timeout=1800
    )
    article = read_article(corpus_dir() / name, published=dt.date.fromisoformat(PUBLISHED[name]))
    return Briefer(settings, use_cache=False).brief(article)


def check_brief(brief: ArticleBrief, path: Path) -> None:
    text = normalize_ar(path.read_text(encoding="utf-8"))
    n = len(brief.article.sentences)
    assert is_english(brief.summary.en.text) and is_english(brief.summary.en.headline)
    assert is_arabic(brief.summary.ar.text) and is_arabic(brief.summary.ar.headline)
    for kp in [*brief.summary.en.key_points, *brief.summary.ar.key_points]:
        assert all(1 <= s <= n for s in kp.sentences)
    numbers = numbers_in_text(path.read_text(encoding="utf-8"))
    for event in brief.events:
        assert event.evidence
        for quote in event.evidence:
            assert normalize_ar(quote) in text
        for figure in (event.killed, event.injured):
            assert figure is None or figure in numbers
        assert event.killed == min(
            (r.killed for r in event.casualty_reports if r.killed is not None), default=None
        )
    assert brief.meta.backend == "openai" and brief.meta.usage.calls >= 3
    assert brief.meta.usage.prompt_tokens > 0 and brief.meta.usage.completion_tokens > 0


def test_brief_of_the_hasakah_strikes_article() -> None:
    name = "002_d47aa0b70ac3c6f1.txt"
    brief = brief_of(name)
    check_brief(brief, corpus_dir() / name)
    assert brief.article.published is not None and brief.article.published.isoformat() == "2023-03-24"
    # events the model got wrong are dropped, never silently: an empty list must come with the reasons
    assert brief.events or any("dropped" in w or "events" in w for w in brief.meta.warnings)


def test_brief_of_the_biden_ottawa_article() -> None:
    name = "000_8449cddc9f5e7774.txt"
    brief = brief_of(name)
    check_brief(brief, corpus_dir() / name)


def test_brief_of_the_2021_rocket_attack_article() -> None:
    name = "003_1aacc9b910f4f0d9.txt"
    brief = brief_of(name)
    check_brief(brief, corpus_dir() / name)
    assert brief.article.published is not None and brief.article.published.isoformat() == "2021-06-28"


def test_brief_of_the_omar_oil_field_article() -> None:
    name = "004_acd604f23db3c241.txt"
    brief = brief_of(name)
    check_brief(brief, corpus_dir() / name)
    assert brief.article.published is not None and brief.article.published.isoformat() == "2023-10-23"
