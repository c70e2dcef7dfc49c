"""The width of parallel sequences kept per machine, without a model (the calibration itself, on the
real model, is in test_live.py)."""

from __future__ import annotations

from typing import Any

from summarizer.llm.parallel import WidthStore, best_width


def test_the_widest_width_must_beat_a_narrower_one_by_the_margin() -> None:
    assert best_width({1: 10.0, 2: 12.0, 4: 14.5, 8: 14.6}) == 4
    assert best_width({1: 10.0, 2: 10.2, 4: 10.4, 8: 9.0}) == 1
    assert best_width({1: 36.0, 2: 46.0, 4: 58.0, 8: 52.0}) == 4
    assert best_width({1: 39.0, 2: 48.0, 4: 64.5, 8: 73.6}) == 8


def test_the_calibrated_width_is_kept_per_engine_cpu_model_and_threads(tmp_path: Any) -> None:
    store = WidthStore(tmp_path, model="m.gguf|1", threads=2)
    assert store.load() is None
    saved = store.save({1: 10.0, 2: 13.0, 4: 12.0})
    assert saved["width"] == 2
    assert WidthStore(tmp_path, model="m.gguf|1", threads=2).load() == saved
    assert WidthStore(tmp_path, model="m.gguf|1", threads=4).load() is None
    assert WidthStore(tmp_path, model="other.gguf|1", threads=2).load() is None
    assert [d["width"] for d in WidthStore.found(tmp_path)] == [2]
    store.path.write_text("{not json")
    assert store.load() is None


def test_summarizer_models_shows_the_width_calibrated_on_this_machine(tmp_path: Any) -> None:
    from click.testing import CliRunner

    from summarizer.cli import main
    from summarizer.config import resolve_settings

    before = CliRunner().invoke(main, ["models"])
    assert before.exit_code == 0
    assert "parallel sequences: not calibrated on this machine yet" in before.output
    kv = resolve_settings().cache_path / "kv"
    WidthStore(kv, model="qwen.gguf|1117320768", threads=2).save({1: 9.5, 2: 12.0, 4: 13.9, 8: 12.1})
    after = CliRunner().invoke(main, ["models"])
    assert "parallel sequences: width 4 for qwen.gguf on 2 threads" in after.output
    assert "1: 9.5, 2: 12.0, 4: 13.9, 8: 12.1" in after.output
