"""The Python API over a real loopback HTTP server with scripted answers."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from conftest import AR, EN, EVENTS, ROOT, Script, completion

from summarizer import InputError, asummarize, asummarize_many, summarize, summarize_many
from summarizer.inputs import read_article
from summarizer.pipeline import event_windows, fit_to_context


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
    assert [r.ok for r in results] == [False, True, False]
    assert isinstance(results[0].error, InputError) and "no Arabic" in str(results[0].error)


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
