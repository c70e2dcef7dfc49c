"""The direct and concurrent executors against a fake OpenAI server on loopback (real HTTP, the real
``openai`` client), answering with the embedded model's recorded answers (the cassettes)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from summarizer.brief.pipeline import PipelineOptions, brief_article
from summarizer.config import resolve_settings
from summarizer.errors import BackendError, SummarizerError
from summarizer.fake_openai import FakeOpenAI, RecordedAnswers
from summarizer.inputs import Article, read_article
from summarizer.llm.backends import OpenAIBackend
from summarizer.llm.calls import article_scope
from summarizer.llm.executors import ConcurrentExecutor, DirectExecutor, executor_for
from summarizer.replay import CASSETTES, RECORD_MODEL, RECORDED, corpus_dir, corpus_published
from summarizer.schema import ArticleBrief


def comparable(brief: ArticleBrief) -> dict:
    """A brief without what differs between two runs of the same answers (time taken, when made)."""
    data = brief.model_dump(mode="json")
    data["meta"].pop("elapsed_s")
    data["meta"].pop("created")
    return data


def corpus_articles() -> list[Article]:
    published = corpus_published()
    return [read_article(corpus_dir() / name, published=published[name]) for name in sorted(RECORDED)]


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(RecordedAnswers(sorted(CASSETTES.glob("*.yaml")))) as server:
        yield server


def backend(url: str, **kw: object) -> OpenAIBackend:
    settings = resolve_settings(
        base_url=url, model=RECORD_MODEL, structured_output="json_object", api_key="k", **kw
    )
    return OpenAIBackend(settings)


def briefer(be: OpenAIBackend, options: PipelineOptions):  # type: ignore[no-untyped-def]
    def work(article: Article) -> ArticleBrief | SummarizerError:
        try:
            with article_scope(article.id[:16]):
                return brief_article(article, be, options)
        except SummarizerError as e:
            return e

    return work


def test_direct_and_concurrent_briefs_are_the_same(fake: FakeOpenAI) -> None:
    articles = corpus_articles()
    options = PipelineOptions(profile="auto")
    direct = list(DirectExecutor().map(briefer(backend(fake.url), options), articles))
    sent = fake.chat_requests
    concurrent = list(ConcurrentExecutor(4).map(briefer(backend(fake.url), options), articles))
    assert fake.chat_requests == 2 * sent
    by_id = {b.article.id: comparable(b) for b in concurrent if isinstance(b, ArticleBrief)}
    assert len(by_id) == len(articles)
    for brief in direct:
        assert isinstance(brief, ArticleBrief)
        assert comparable(brief) == by_id[brief.article.id]


def test_a_429_holds_every_worker(fake: FakeOpenAI) -> None:
    fake.delay = 0.05
    articles = corpus_articles() * 2
    fake.replies = [(429, {"error": {"message": "slow down"}}, {"retry-after": "0.6"})]
    results = list(ConcurrentExecutor(8).map(briefer(backend(fake.url), PipelineOptions()), articles))
    assert all(isinstance(r, ArticleBrief) for r in results)
    first = fake.chat_times[0]
    # once the 429 is answered (give the client 0.1 s to read it), nothing is sent until it expires
    held = [t for t in fake.chat_times[1:] if first + 0.1 < t < first + 0.55]
    assert held == []
    assert any(t >= first + 0.55 for t in fake.chat_times)


def test_one_breaker_for_the_run_fails_the_rest_fast(fake: FakeOpenAI) -> None:
    fake.replies = [(503, {"error": {"message": "down"}}, {"retry-after": "0"})] * 200
    articles = corpus_articles() * 3
    started = time.monotonic()
    be = backend(fake.url, breaker_threshold=3, transport_retries=4)
    results = list(ConcurrentExecutor(4).map(briefer(be, PipelineOptions()), articles))
    assert all(isinstance(r, BackendError) for r in results)
    # each article alone would make 5 attempts; a server not yet proven gets one request at a time,
    # so the run stops after 3 straight failures, 3 requests in all
    assert fake.chat_requests == 3
    assert any("stopped sending" in str(r) for r in results)
    assert time.monotonic() - started < 10


def test_executor_for_picks_threads_unless_the_backend_runs_one_at_a_time() -> None:
    assert isinstance(executor_for(8), ConcurrentExecutor)
    assert isinstance(executor_for(8, one_at_a_time=True), DirectExecutor)
    assert isinstance(executor_for(1), DirectExecutor)


def test_results_come_as_they_complete_and_the_input_is_read_lazily() -> None:
    taken: list[int] = []

    def items() -> Iterator[int]:
        for i in range(100):
            taken.append(i)
            yield i

    def work(i: int) -> int:
        time.sleep(0.2 if i == 0 else 0.0)
        return i

    results = ConcurrentExecutor(2).map(work, items())
    first = next(results)
    assert first != 0 and len(taken) <= 2 * 2 + 2
    assert sorted([first, *results]) == list(range(100))


def test_summarize_many_keeps_several_articles_in_flight_behind_a_server_by_default(fake: FakeOpenAI) -> None:
    from summarizer.api import summarize_many

    fake.delay = 0.1
    articles = corpus_articles() * 2
    started = time.monotonic()
    results = list(
        summarize_many(
            articles, base_url=fake.url, model=RECORD_MODEL, structured_output="json_object", cache=False
        )
    )
    wall = time.monotonic() - started
    assert all(r.ok for r in results)
    one_at_a_time = fake.chat_requests * fake.delay
    assert wall < one_at_a_time / 2
