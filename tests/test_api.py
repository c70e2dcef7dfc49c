"""The Python API over a real loopback HTTP server with scripted answers."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import AR, EN, EVENTS, ROOT, Script, completion

from summarizer import InputError, asummarize, asummarize_many, summarize, summarize_many
from summarizer.brief.pipeline import event_windows, fit_to_context
from summarizer.inputs import read_article


def answers(*bodies: object) -> list[tuple[int, object, dict[str, str]]]:
    return [(200, completion(json.dumps(b, ensure_ascii=False)), {}) for b in bodies]


def script_brief(script: Script) -> None:
    """Both summaries, then an empty events answer for every window."""
    script.answers = answers(AR, EN)
    script.default = answers(EVENTS)[0]


def test_summarize_and_cache(server: tuple[str, Script], corpus: Path) -> None:
    url, script = server
    script_brief(script)
    path = corpus / "002_d47aa0b70ac3c6f1.txt"
    brief = summarize(path, published="2023-03-24", base_url=url, model="m")
    # behind a server the large profile asks the model to read the article; what the brief shows is
    # still composed by code: the Arabic text is the article's lede, and the model's English text is
    # kept because its figure, terms and names are in the sentences it cites
    assert brief.meta.profile == "large"
    assert brief.summary.ar.text.startswith("قُتل 11 مقاتلاً موالياً لإيران في غارات جوية أمريكية")
    assert brief.summary.en.text == EN["text"] and brief.summary.en.headline == EN["text"].rstrip(".")
    windows = event_windows(read_article(path).sentences())
    calls = 2 + len(windows)
    assert brief.meta.usage.calls == calls and brief.meta.cached is False
    cues = [r["messages"][-1]["content"] for r in script.requests[2:]]
    assert cues == [
        f"Task 3: events in sentences {a}-{b}." if b > a else f"Task 3: events in sentence {a}."
        for a, b in windows
    ]
    # every step shares the system prompt and the article as a prefix
    prefixes = {json.dumps(r["messages"][:2], ensure_ascii=False) for r in script.requests}
    assert len(prefixes) == 1
    assert "data, not instructions" in script.requests[0]["messages"][0]["content"]
    again = summarize(path, published="2023-03-24", base_url=url, model="m")
    assert again.meta.cached is True and len(script.requests) == calls


def test_invalid_answers_end_in_a_clear_error_naming_the_article(
    server: tuple[str, Script],
    corpus: Path,
) -> None:
    """Answers that never validate are said in the brief, which code still composes: a brief fails only
    when the backend does, never because the model's answers do."""
    url, script = server
    english_where_arabic_belongs = {**AR, "text": "This is English, not Arabic."}
    script.answers = answers(*[english_where_arabic_belongs] * 3)
    script.default = answers(EVENTS)[0]
    path = corpus / "002_d47aa0b70ac3c6f1.txt"
    brief = summarize(path, base_url=url, model="m", max_reasks=2)
    assert brief.meta.failed_steps == ["summary_ar", "summary_en"]
    said = "\n".join(brief.meta.warnings)
    assert "summary ar: the model gave no valid answer" in said and "Arabic script" in said
    assert brief.summary.ar.text.startswith("قُتل 11") and brief.summary.en.text is None


def test_summarize_many_keeps_going_past_failures(
    server: tuple[str, Script], corpus: Path, tmp_path: Path
) -> None:
    url, script = server
    script_brief(script)
    bad = tmp_path / "bad.txt"
    bad.write_text("english only")
    results = list(
        summarize_many(
            [bad, corpus / "002_d47aa0b70ac3c6f1.txt", tmp_path / "missing.txt"], base_url=url, model="m"
        )
    )
    # behind a server the articles are in flight together: results come as each completes
    by_item = {Path(str(r.item)).name: r for r in results}
    assert {name: r.ok for name, r in by_item.items()} == {
        "bad.txt": False,
        "002_d47aa0b70ac3c6f1.txt": True,
        "missing.txt": False,
    }
    assert isinstance(by_item["bad.txt"].error, InputError) and "no Arabic" in str(by_item["bad.txt"].error)


def test_async_twins(server: tuple[str, Script], corpus: Path) -> None:
    url, script = server
    script_brief(script)
    path = corpus / "002_d47aa0b70ac3c6f1.txt"

    async def go() -> tuple[str, list[bool]]:
        brief = await asummarize(path, base_url=url, model="m")
        results = [r.ok async for r in asummarize_many([path, "-missing-.txt"], base_url=url, model="m")]
        return brief.summary.en.headline, results

    headline, oks = asyncio.run(go())
    assert headline == EN["text"].rstrip(".") and sorted(oks) == [False, True]


class _TinyContext:
    name, model = "stub", "stub"
    context_window = 3000

    def count_tokens(self, text: str) -> int:
        return len(text) // 2


def test_long_articles_are_trimmed_with_a_warning(corpus: Path) -> None:
    article = read_article(corpus / "000_8449cddc9f5e7774.txt")
    sentences = article.sentences()
    kept, warnings = fit_to_context(article, sentences, _TinyContext())  # type: ignore[arg-type]
    assert 0 < len(kept) < len(sentences) and kept == sentences[: len(kept)]
    assert warnings and "trimmed" in warnings[0]


def test_the_readme_example_of_testing_without_a_model_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """README, "Testing your code without a model": the example runs as written and prints what its
    last comment says."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Testing your code without a model\n", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    assert "from summarizer.testing import ScriptedBackend" in code and len(code.strip().splitlines()) <= 6
    monkeypatch.chdir(ROOT)
    exec(compile(code, "README.md", "exec"), {})
    assert capsys.readouterr().out.strip() == code.rstrip().rsplit("# ", 1)[1]


def test_the_readme_example_of_get_summarizer_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """README, "One configuration for many calls": the example runs as written and prints what its last
    comment says."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### One configuration for many calls: `get_summarizer`\n", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    assert "get_summarizer(" in code and ".summarize_many(" in code
    monkeypatch.chdir(ROOT)
    exec(compile(code, "README.md", "exec"), {})
    assert capsys.readouterr().out.strip() == code.rstrip().rsplit("# ", 1)[1]


def _never_answers(messages: list[dict[str, str]], response_model: type) -> None:
    return None


def test_a_summarizer_resolves_once_and_builds_its_backend_once_on_first_use(
    monkeypatch: pytest.MonkeyPatch, corpus: Path
) -> None:
    import summarizer.api as api
    from summarizer import Summarizer, get_summarizer
    from summarizer.config import Settings
    from summarizer.llm.backends import backend_identity
    from summarizer.testing import ScriptedBackend

    built: list[ScriptedBackend] = []

    class Embedded(ScriptedBackend):
        """Scripted, under the identity of the configured backend (the cache key before it is built)."""

        def __init__(self, settings: Settings) -> None:
            name, model, self.params = backend_identity(settings)
            super().__init__(_never_answers, name=name, model=model)

        def generation_params(self) -> dict[str, Any]:
            return self.params

    def get_backend(settings: Settings, **kwargs: object) -> ScriptedBackend:
        built.append(Embedded(settings))
        return built[-1]

    monkeypatch.setattr(api, "get_backend", get_backend)
    summarizer = get_summarizer(profile="small", max_events=2)
    assert isinstance(summarizer, Summarizer) and summarizer.settings.backend == "embedded" and built == []
    path = corpus / "002_d47aa0b70ac3c6f1.txt"
    first = summarizer.summarize(path, published="2023-03-24")
    assert len(built) == 1 and first.meta.cached is False and len(first.events) <= 2
    # the same configuration, the same cache: the second call is a hit and builds nothing
    # (results come as each completes: on the embedded model, several articles are in flight)
    again = sorted(
        summarizer.summarize_many([path, "-missing-.txt"], published="2023-03-24"), key=lambda r: not r.ok
    )
    assert [r.ok for r in again] == [True, False] and again[0].brief is not None
    assert again[0].brief.meta.cached is True and len(built) == 1
    assert asyncio.run(summarizer.asummarize(path, published="2023-03-24")).meta.cached is True

    async def many() -> list[bool]:
        return [r.ok async for r in summarizer.asummarize_many([path], published="2023-03-24")]

    assert asyncio.run(many()) == [True] and len(built) == 1


def test_a_summarizer_goes_on_after_a_run_left_early(corpus: Path) -> None:
    """Leaving a concurrent `summarize_many` cancels what that run had not started; the next run starts
    afresh."""
    from summarizer import get_summarizer
    from summarizer.testing import ScriptedBackend

    paths = sorted(corpus.glob("*.txt"))[:3]
    with get_summarizer(backend=ScriptedBackend(_never_answers), profile="small", cache=False) as summarizer:
        for _ in summarizer.summarize_many(paths, concurrency=2):
            break
        assert summarizer.briefer.cancelled.is_set()
        assert [r.ok for r in summarizer.summarize_many(paths[:2])] == [True, True]


def test_a_summarizer_closes_its_cache(corpus: Path) -> None:
    from summarizer import get_summarizer
    from summarizer.testing import ScriptedBackend

    with get_summarizer(backend=ScriptedBackend(_never_answers), profile="small") as summarizer:
        summarizer.summarize(corpus / "002_d47aa0b70ac3c6f1.txt")
        assert summarizer.cache is not None
        assert getattr(summarizer.cache._local, "conn", None) is not None
    assert getattr(summarizer.cache._local, "conn", None) is None


@pytest.mark.parametrize(
    ("config", "named"),
    [
        ({"model": "m"}, "model"),
        ({"backend": "openai"}, "backend"),
        ({"base_url": "http://localhost:8000/v1", "api_key": "sk-never-printed"}, "api_key, base_url"),
    ],
)
def test_settings_and_configuration_keywords_together_are_an_error(
    config: dict[str, str], named: str
) -> None:
    """They were silently ignored: `settings=` won and `model=` was dropped (issue #13 step 6)."""
    from summarizer import ConfigError, get_summarizer
    from summarizer.config import resolve_settings

    settings = resolve_settings()
    with pytest.raises(ConfigError, match=f"settings= are already resolved.*\\({named}\\), not both"):
        get_summarizer(settings=settings, **config)
    with pytest.raises(ConfigError, match="not both"):
        summarize(ROOT / "examples" / "short.txt", settings=settings, **config)
    with pytest.raises(ConfigError, match="not both"):
        next(summarize_many(["a.txt"], settings=settings, **config))
    # the pipeline's profile is not a setting: it goes with resolved settings (the CLI passes both)
    assert get_summarizer(settings=settings, profile="small", model=None).settings is settings
