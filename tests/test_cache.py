from __future__ import annotations

import multiprocessing
from pathlib import Path

from summarizer.api import Briefer
from summarizer.cache import BriefCache, cache_key, canonical_json
from summarizer.config import resolve_settings
from summarizer.inputs import read_article
from summarizer.schema import ArticleBrief

BRIEF = Path(__file__).resolve().parent / "data" / "briefs" / "002_d47aa0b70ac3c6f1.json"


def brief() -> ArticleBrief:
    return ArticleBrief.model_validate_json(BRIEF.read_text(encoding="utf-8"))


def key(**changes: object) -> str:
    parts: dict = {
        "text": "نص",
        "metadata": {"published": "2023-03-24"},
        "backend": "embedded",
        "model": "m",
        "params": {"temperature": 0.0},
        "prompt_hash": "p1",
        "options": {"max_events": 8},
    }
    parts.update(changes)
    return cache_key(**parts)


def test_canonical_json_is_order_independent() -> None:
    assert canonical_json({"b": 1, "a": "ع"}) == canonical_json({"a": "ع", "b": 1}) == '{"a":"ع","b":1}'


def test_everything_that_changes_a_brief_changes_the_key() -> None:
    base = key()
    assert key() == base
    for change in (
        {"text": "نص آخر"},
        {"metadata": {"published": "2023-03-25"}},
        {"backend": "openai"},
        {"model": "other"},
        {"params": {"temperature": 0.5}},
        {"prompt_hash": "p2"},
        {"options": {"max_events": 3}},
    ):
        assert key(**change) != base, change


def test_prompt_change_never_serves_a_stale_brief(tmp_path: Path, corpus: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from summarizer.llm import prompts

    settings = resolve_settings(cache_dir=str(tmp_path))
    briefer = Briefer(settings)
    article = read_article(corpus / "002_d47aa0b70ac3c6f1.txt")
    assert briefer.cache is not None
    briefer.cache.put(briefer.key(article), brief())
    assert briefer.cache.get(briefer.key(article)) is not None
    monkeypatch.setattr(prompts, "prompt_hash", lambda: "a-different-template-hash")
    assert briefer.cache.get(briefer.key(article)) is None


def test_get_put_marks_cached_and_stats_and_clear(tmp_path: Path) -> None:
    cache = BriefCache(tmp_path)
    assert cache.get("k") is None
    cache.put("k", brief())
    got = cache.get("k")
    assert got is not None and got.meta.cached is True
    stats = cache.stats()
    assert stats.entries == 1 and stats.articles == 1 and stats.size_bytes > 0
    assert cache.clear() == 1 and cache.stats().entries == 0


def _writer(directory: str, start: int, n: int) -> None:
    cache = BriefCache(directory)
    b = brief()
    for i in range(start, start + n):
        cache.put(f"key-{i % 30}", b)
        cache.get(f"key-{(i * 7) % 30}")


def test_two_processes_at_once(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(tmp_path), k * 100, 60)) for k in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert all(p.exitcode == 0 for p in procs)
    assert BriefCache(tmp_path).stats().entries == 30
