"""The real embedded model, end to end (marked ``live``; CI runs these with SUMMARIZER_REQUIRE_LIVE=1).

Skipped, with the reason, when the engine or the model is not installed, unless
``SUMMARIZER_REQUIRE_LIVE=1`` says they must be (then a missing piece is a failure).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import require_engine_and_model

from summarizer.arabic.normalize import normalize_ar
from summarizer.llm.engine_info import engine_version
from summarizer.schema import ArticleBrief, KeyPoint, Strict
from summarizer.script import is_arabic, is_english

ROOT = Path(__file__).resolve().parent.parent
SHORT = ROOT / "examples" / "short.txt"

pytestmark = pytest.mark.live


def test_step_schemas_compile_to_engine_grammars() -> None:
    """llama-cpp-python silently falls back to plain JSON when a schema does not convert: catch that."""
    if engine_version() is None:
        require_engine_and_model()
    from llama_cpp import llama_grammar

    from summarizer.brief.steps import ArabicSummaryStep, EnglishSummaryStep, events_step_model

    for model, field in (
        (ArabicSummaryStep, "key_points"),
        (EnglishSummaryStep, "key_points"),
        (events_step_model(6), "events"),
    ):
        grammar = llama_grammar.json_schema_to_gbnf(json.dumps(model.model_json_schema()))
        assert f'\\"{field}\\"' in grammar, (model.__name__, grammar[:300])


class Place(Strict):
    """A place named in a text."""

    city: str
    points: list[KeyPoint]


def test_engine_output_is_constrained_by_the_schema() -> None:
    """Asked for prose, the engine still answers with JSON of the schema, first time.

    Without the grammar, the model answers this prompt with a poem and validation fails; so this test
    fails whenever the constraint does not reach the engine.
    """
    require_engine_and_model()
    from summarizer.config import resolve_settings
    from summarizer.llm.backends import EmbeddedBackend

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
    require_engine_and_model()
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
    assert brief.meta.profile == "small" and brief.schema_version == "2"
    assert is_arabic(brief.summary.ar.text) and is_arabic(brief.summary.ar.headline)
    raw = SHORT.read_text(encoding="utf-8")
    article = normalize_ar(raw)
    # the strikes, their toll and the drone attack are read by code whatever the model answers
    assert any(e.killed == 11 or 11 in {r.killed for r in e.casualty_reports} for e in brief.events)
    en = brief.summary.en
    assert en.headline is not None and is_english(en.headline)
    # every English sentence the reader sees: no figure or name the article does not give
    from summarizer.arabic.gazetteer import default_gazetteer
    from summarizer.brief.crossscript import check_translation

    shown = [
        en.headline,
        en.text,
        *(kp.text for kp in en.key_points),
        *(e.description_en for e in brief.events),
    ]
    for text in filter(None, shown):
        assert check_translation(raw, text, default_gazetteer(), exact_figures=False) == [], text
    for event in brief.events:
        for quote in event.evidence:
            assert normalize_ar(quote) in article
    processed = brief.meta.usage.prompt_tokens_processed
    assert processed is not None and 0 < processed < brief.meta.usage.prompt_tokens


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Any:
    require_engine_and_model()
    from summarizer.config import resolve_settings
    from summarizer.llm.backends import EmbeddedBackend

    cache = tmp_path_factory.mktemp("briefs")
    return EmbeddedBackend(resolve_settings(n_ctx=2048, cache_dir=str(cache)), show_progress=False)


def _events_grammar() -> str:
    from llama_cpp import llama_grammar

    from summarizer.brief.steps import events_step_model

    return llama_grammar.json_schema_to_gbnf(json.dumps(events_step_model(6).model_json_schema()))


def test_fast_constrained_decoding_gives_llama_cpps_answer(engine: Any) -> None:
    """The engine's own greedy loop (grammar asked about the greedy token first) and llama-cpp-python's
    grammar sampler (whole vocabulary filtered every token) choose the same tokens."""
    from llama_cpp import LlamaGrammar

    from summarizer.llm.engine import generate

    llm = engine.llm
    text = SHORT.read_text(encoding="utf-8")[:400]
    prompt = engine._chat.encode([{"role": "user", "content": "List the events as JSON:\n" + text}])
    gbnf = _events_grammar()
    llm.reset()
    ours = generate(llm, prompt, gbnf, max_tokens=60, repeat_penalty=1.1)
    llm.reset()
    theirs = llm.create_completion(
        prompt, max_tokens=60, temperature=0.0, repeat_penalty=1.1, grammar=LlamaGrammar.from_string(gbnf)
    )
    assert ours.text == theirs["choices"][0]["text"]  # type: ignore[index]
    assert ours.prompt_evaluated == len(prompt)


def test_a_continued_conversation_evaluates_only_its_new_message(engine: Any) -> None:
    """The second step's prompt carries the first answer as the engine generated it, token for token,
    so only the new user message is evaluated; the system prompt's KV state is kept on disk."""
    system = {"role": "system", "content": "You read Arabic news. " * 12}
    article = {"role": "user", "content": SHORT.read_text(encoding="utf-8")[:300] + "\nWhere?"}
    first = engine.structured([system, article], Place, max_tokens=80, max_reasks=0)
    assert first.value is not None and first.last_text
    assert first.stats.prompt_tokens_processed == first.stats.prompt_tokens
    follow = [system, article, {"role": "assistant", "content": first.last_text}]
    second = engine.structured([*follow, {"role": "user", "content": "Again."}], Place, max_tokens=80)
    assert second.value is not None
    assert second.stats.prompt_tokens_processed is not None and second.stats.prompt_tokens_processed < 16
    assert list((engine.settings.cache_path / "kv").glob("prefix-*.kv"))

    engine.llm.reset()  # a new process: the system prompt comes from the file, the rest is evaluated
    again = engine.structured([system, article], Place, max_tokens=80, max_reasks=0)
    assert again.last_text == first.last_text
    system_tokens = engine._chat.system_prefix([system, article], engine._chat.encode([system, article]))
    assert len(system_tokens) > 32
    assert again.stats.prompt_tokens_processed == first.stats.prompt_tokens - len(system_tokens)


def test_parallel_sequences_answer_the_translate_questions(engine: Any) -> None:
    """The small profile's translate questions of a corpus article, decoded as parallel sequences
    (:func:`~summarizer.llm.engine.generate_many`): every answer parses and validates at every width,
    the shared system prompt is evaluated once, and the same batch gives the same answers again. How
    many answers are :func:`~summarizer.llm.engine.generate`'s token for token is printed, not asserted:
    a different split of the prompt's evaluation or a batched matrix product rounds differently, and
    greedy decoding on this model follows such differences (measured: docs/benchmarks.md)."""
    from summarizer.brief.questions import Translation
    from summarizer.inputs import read_article
    from summarizer.llm.backends import REPEAT_PENALTY
    from summarizer.llm.engine import Job, ParallelContext, generate, generate_many
    from summarizer.replay import corpus_dir, corpus_published
    from summarizer.testing import recorded_requests

    name = "002_d47aa0b70ac3c6f1.txt"
    article = read_article(corpus_dir() / name, published=corpus_published()[name])
    requests = [r for r in recorded_requests(article) if r.step == "translate"]
    assert len(requests) >= 4
    llm = engine.llm
    jobs = [
        Job(engine._chat.encode([dict(m) for m in r.messages]), engine._gbnf(r.schema), r.max_tokens)
        for r in requests
    ]
    llm.reset()
    reference = [
        generate(llm, j.prompt, j.gbnf, max_tokens=j.max_tokens, repeat_penalty=REPEAT_PENALTY) for j in jobs
    ]
    runs = {}
    for width in (1, 4, 4):
        context = ParallelContext(llm, width)
        try:
            answers = generate_many(llm, context, jobs, repeat_penalty=REPEAT_PENALTY)
        finally:
            context.close()
        assert len(answers) == len(jobs)
        for answer in answers:
            assert answer.finish_reason == "stop", answer.text
            Translation.model_validate_json(answer.text)  # parses and validates (the schema's checks)
        # the shared prefix (at least the system prompt) evaluated once: counted with the first answer
        assert answers[0].prompt_evaluated == answers[0].prompt_tokens
        assert all(a.prompt_tokens - a.prompt_evaluated >= 32 for a in answers[1:])
        same = sum(a.tokens == r.tokens for a, r in zip(answers, reference, strict=True))
        print(f"width {width}: {same}/{len(jobs)} answers token-identical to generate's")
        if width in runs:
            assert [a.tokens for a in answers] == runs[width]  # the same batch, the same answers
        runs[width] = [a.tokens for a in answers]


def test_the_parallel_width_is_calibrated_once_and_kept(engine: Any) -> None:
    """The first use times a few decode steps at each width and keeps the best next to the prefix
    states; the next use reads it."""
    from summarizer.llm.parallel import CALIBRATION_WIDTHS, best_width

    width = engine.parallel_width()
    assert width in CALIBRATION_WIDTHS
    kept = list((engine.settings.cache_path / "kv").glob("width-*.json"))
    assert len(kept) == 1
    data = json.loads(kept[0].read_text(encoding="utf-8"))
    rates = {int(w): r for w, r in data["rates"].items()}
    assert set(rates) == set(CALIBRATION_WIDTHS) and all(r > 0 for r in rates.values())
    assert best_width(rates) == width
    written = kept[0].stat().st_mtime_ns
    assert engine.parallel_width() == width
    assert kept[0].stat().st_mtime_ns == written  # read, not calibrated again


def test_summarize_many_decodes_the_articles_questions_together(
    engine: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two articles through ``summarize_many`` on the embedded model: the batched executor answers
    their questions together (batches of two), and both briefs are whole, checked briefs."""
    from summarizer import api
    from summarizer.llm.parallel import EmbeddedBatchedExecutor

    made: list[EmbeddedBatchedExecutor] = []

    class Kept(EmbeddedBatchedExecutor):
        def __init__(self, width: int | None = None, **kw: Any) -> None:
            super().__init__(width, **kw)
            made.append(self)

    monkeypatch.setattr(api, "EmbeddedBatchedExecutor", Kept)
    text = SHORT.read_text(encoding="utf-8")
    items = [text, text + "\nوقالت مصادر محلية إن الهدوء عاد إلى المنطقة صباح الجمعة."]
    summarizer = api.get_summarizer(backend=engine, cache=False, profile="small")
    results = list(summarizer.summarize_many(items, concurrency=2, published="2023-03-24"))
    assert all(r.ok for r in results), [r.error for r in results]
    for r in results:
        assert r.brief is not None and is_arabic(r.brief.summary.ar.text)
        assert any(e.killed == 11 or 11 in {c.killed for c in e.casualty_reports} for e in r.brief.events)
    assert made and 2 in made[0].gatherer.batches
