"""The replay harness (summarizer.replay): the record URL, the corpus dates from gold/, the cassettes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import test_pipeline_cassettes

from summarizer import replay


def test_one_record_url_default_or_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SUMMARIZER_RECORD_URL", raising=False)
    assert replay.record_url() == "http://127.0.0.1:8765/v1"
    assert replay.replay_settings().base_url == "http://127.0.0.1:8765/v1"
    monkeypatch.setenv("SUMMARIZER_RECORD_URL", "http://127.0.0.1:9999/v1")
    assert replay.record_url() == "http://127.0.0.1:9999/v1"
    settings = replay.replay_settings()
    assert settings.base_url == "http://127.0.0.1:9999/v1" and settings.model == replay.RECORD_MODEL


def test_record_cassettes_serves_the_model_at_the_record_url() -> None:
    script = (replay.ROOT / "scripts" / "record-cassettes.sh").read_text(encoding="utf-8")
    assert "SUMMARIZER_RECORD_URL=" in script and f"--model_alias {replay.RECORD_MODEL}" in script
    assert "PORT=${SUMMARIZER_RECORD_PORT:-8765}" in script  # the default record URL's port


def test_the_corpus_dates_come_from_the_gold_files_of_corpus_articles(tmp_path: Path) -> None:
    def gold(name: str, article: str, published: str) -> None:
        data = json.loads((replay.GOLD / "000_8449cddc9f5e7774.json").read_text(encoding="utf-8"))
        data.update(article=article, published=published)
        (tmp_path / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    gold("000_8449cddc9f5e7774.json", "../../shared/corpus/000_8449cddc9f5e7774.txt", "2023-03-25")
    gold("w99.json", "articles/w99.txt", "2024-01-01")  # kept with the gold set: not a corpus article
    assert replay.corpus_published(tmp_path) == {"000_8449cddc9f5e7774.txt": dt.date(2023, 3, 25)}
    assert all(name.endswith(".txt") and "/" not in name for name in replay.corpus_published())


def test_without_a_gold_set_no_article_has_a_date(tmp_path: Path) -> None:
    assert replay.corpus_published(tmp_path) == {}  # no gold files
    assert replay.corpus_published(tmp_path / "missing") == {}  # installed without gold/


def test_each_recorded_article_names_the_test_that_records_its_cassette() -> None:
    assert set(replay.RECORDED) <= set(replay.corpus_published())
    for test in replay.RECORDED.values():
        assert callable(getattr(test_pipeline_cassettes, test, None)), test
    assert set(replay.recorded_cassettes()) <= set(replay.RECORDED)
    for name, cassette in replay.recorded_cassettes().items():
        assert cassette == replay.CASSETTES / f"{replay.RECORDED[name]}.yaml" and cassette.is_file()
