"""Parallel sequences without a model: how the batched executor gathers requests, and the width kept.

The engine side (:func:`summarizer.llm.engine.generate_many` on the real model) is in test_live.py.
Here a small in-process engine stands in for ``EmbeddedBackend``: it answers each request with the
text of its last message, and records which requests it was asked together.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest

from summarizer.llm.calls import Answer, Request, article_scope
from summarizer.llm.parallel import (
    EmbeddedBatchedExecutor,
    WidthStore,
    best_width,
    current_gatherer,
)


class Engine:
    """Answers like an engine would (one text per request), recording single and batched calls."""

    def __init__(self, width: int = 4, fail: bool = False) -> None:
        self.width = width
        self.fail = fail
        self.single: list[str] = []
        self.together: list[list[str]] = []
        self.calibrated = 0
        self._lock = threading.Lock()

    def parallel_width(self) -> int:
        self.calibrated += 1
        return self.width

    def complete(self, request: Request, guard: Any = None) -> Answer:
        with self._lock:
            self.single.append(request.messages[-1]["content"])
        return Answer(text=f"answer to {request.messages[-1]['content']}")

    def complete_many(self, requests: list[Request], guards: list[Any] | None = None) -> list[Answer]:
        assert guards is not None and len(requests) == len(guards)
        with self._lock:
            self.together.append([r.messages[-1]["content"] for r in requests])
        if self.fail:
            raise RuntimeError("the engine failed")
        return [Answer(text=f"answer to {r.messages[-1]['content']}") for r in requests]


def _request(text: str) -> Request:
    return Request(
        messages=({"role": "user", "content": text},), schema_name="T", schema={}, max_tokens=8, model="m"
    )


def _article(engine: Engine, questions: int, in_flight: int = 1):  # type: ignore[no-untyped-def]
    """One article's work: ``questions`` requests in turn, the first once ``in_flight`` articles have
    started (a real article reads its text first, so the others are in flight by then)."""
    started = threading.Barrier(in_flight)

    def work(name: str) -> list[str]:
        started.wait(10)
        with article_scope(name):
            gatherer = current_gatherer()
            assert gatherer is not None
            out = []
            for q in range(questions):
                out.append(gatherer.complete(engine, _request(f"{name} q{q}")).text)
            return out

    return work


def _run(executor: EmbeddedBatchedExecutor, work: Any, items: list[str]) -> list[Any]:
    results: list[Any] = []
    done = threading.Event()

    def go() -> None:
        results.extend(executor.map(work, items))
        done.set()

    threading.Thread(target=go, daemon=True).start()
    assert done.wait(20), "the executor deadlocked"
    return results


def test_the_requests_of_articles_in_flight_are_answered_together() -> None:
    engine = Engine()
    executor = EmbeddedBatchedExecutor(4)
    results = _run(executor, _article(engine, 3, in_flight=4), ["a", "b", "c", "d"])
    # every article got its own answers, in its own order
    assert sorted(results) == [[f"answer to {n} q{q}" for q in range(3)] for n in "abcd"]
    # four articles in flight, three questions each: three batches of four, nothing alone
    assert [sorted(batch) for batch in engine.together] == [[f"{n} q{q}" for n in "abcd"] for q in range(3)]
    assert engine.single == []
    assert executor.gatherer.batches == [4, 4, 4]


def test_more_articles_than_the_width_wait_for_a_batch_of_their_own() -> None:
    engine = Engine()
    executor = EmbeddedBatchedExecutor(2)
    results = _run(executor, _article(engine, 2), ["a", "b", "c", "d", "e"])
    assert len(results) == 5
    assert all(len(batch) <= 2 for batch in engine.together)
    asked = [q for batch in engine.together for q in batch] + engine.single
    assert sorted(asked) == sorted(f"{n} q{q}" for n in "abcde" for q in range(2))


def test_one_article_goes_through_the_single_sequence_path_and_never_calibrates() -> None:
    engine = Engine()
    executor = EmbeddedBatchedExecutor()  # the calibrated width, asked only when two could go together
    results = _run(executor, _article(engine, 3), ["only"])
    assert results == [[f"answer to only q{q}" for q in range(3)]]
    assert engine.single == ["only q0", "only q1", "only q2"]
    assert engine.together == [] and engine.calibrated == 0


def test_articles_that_ask_different_numbers_of_questions_do_not_wait_for_each_other() -> None:
    engine = Engine(width=8)
    executor = EmbeddedBatchedExecutor()
    counts = {"a": 1, "b": 4, "c": 2}
    started = threading.Barrier(3)

    def work(name: str) -> int:
        started.wait(10)
        gatherer = current_gatherer()
        assert gatherer is not None
        for q in range(counts[name]):
            gatherer.complete(engine, _request(f"{name} q{q}"))
        return counts[name]

    assert sorted(_run(executor, work, list(counts))) == [1, 2, 4]
    assert engine.calibrated == 1
    # the article left alone finishes through the single-sequence path
    assert engine.single[-2:] == ["b q2", "b q3"]
    assert [len(b) for b in engine.together] == [3, 2]


def test_a_failed_batch_fails_every_request_in_it() -> None:
    engine = Engine(fail=True)
    executor = EmbeddedBatchedExecutor(3)
    started = threading.Barrier(3)

    def work(name: str) -> str:
        started.wait(10)
        gatherer = current_gatherer()
        assert gatherer is not None
        try:
            gatherer.complete(engine, _request(name))
        except RuntimeError as e:
            return str(e)
        return "answered"

    assert _run(executor, work, ["a", "b", "c"]) == ["the engine failed"] * 3


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


@pytest.mark.parametrize("concurrency", [None, 3])
def test_summarize_many_on_the_embedded_model_uses_the_batched_executor(
    concurrency: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from summarizer import api

    made: list[Any] = []

    class Recording(EmbeddedBatchedExecutor):
        def __init__(self, width: int | None = None, **kw: Any) -> None:
            made.append(width)
            super().__init__(width, **kw)

    monkeypatch.setattr(api, "EmbeddedBatchedExecutor", Recording)
    summarizer = api.get_summarizer(backend="embedded", cache=False)
    list(summarizer.summarize_many([], concurrency=concurrency))
    assert made == [concurrency]
    list(summarizer.summarize_many([], concurrency=1))  # one at a time: the direct executor
    assert made == [concurrency]


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
