"""Finding 7 of issue #12: "offline by default" stays offline. An unrelated OPENAI_API_KEY never selects
the remote backend; only --backend openai, --base-url or SUMMARIZER_BASE_URL (or the config file's
base_url) do. `summarizer models` and `-v` say where articles go."""

from __future__ import annotations

from pathlib import Path

import pytest
from _fault_support import ARTICLE_002, FakeLLM, child_env, no_traceback, remote, run_cli

from summarizer.config import resolve_settings


def test_an_api_key_alone_never_selects_the_remote_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-unrelated-key-from-another-project")
    monkeypatch.setenv("SUMMARIZER_MODEL", "small")
    assert resolve_settings().backend == "embedded"
    monkeypatch.setenv("SUMMARIZER_API_KEY", "sk-another-unrelated-key-0000")
    assert resolve_settings().backend == "embedded"
    monkeypatch.setenv("SUMMARIZER_BASE_URL", "http://127.0.0.1:8000/v1")
    assert resolve_settings().backend == "openai"
    monkeypatch.delenv("SUMMARIZER_BASE_URL")
    assert resolve_settings(backend="openai").backend == "openai"


def test_models_says_where_articles_go() -> None:
    env = child_env(OPENAI_API_KEY="sk-unrelated-key-from-another-project", SUMMARIZER_MODEL="small")
    offline = run_cli("models", env=env)
    no_traceback(offline)
    assert offline.returncode == 0, offline.stderr
    assert "active backend: embedded" in offline.stdout and "openai" not in offline.stdout.split("engine:")[0]
    assert "articles go to: this machine" in offline.stdout
    online = run_cli("models", *remote("http://127.0.0.1:8000/v1"))
    assert online.returncode == 0, online.stderr
    assert "articles go to: http://127.0.0.1:8000/v1" in online.stdout


def test_a_key_and_a_base_url_for_another_tool_send_nothing(corpus: Path, tmp_path: Path) -> None:
    """OPENAI_API_KEY and OPENAI_BASE_URL set for another tool: the article stays on this machine (here
    the embedded model file is missing, so the run stops with exit 3 and the server sees nothing)."""
    with FakeLLM("ok").running() as llm:
        env = child_env(OPENAI_API_KEY="sk-unrelated-key-from-another-project", OPENAI_BASE_URL=llm.url)
        env["SUMMARIZER_MODEL"] = "x"
        proc = run_cli(
            "summarize",
            str(corpus / ARTICLE_002),
            "--no-cache",
            "--model-path",
            str(tmp_path / "none.gguf"),
            env=env,
        )
        sent = llm.count()
    no_traceback(proc)
    assert sent == 0, "an article was sent to a remote server nobody chose"
    assert proc.returncode == 3, proc.stderr


def test_verbose_says_where_articles_go(corpus: Path) -> None:
    with FakeLLM("ok").running() as llm:
        proc = run_cli("-v", "summarize", str(corpus / ARTICLE_002), "--no-cache", *remote(llm.url))
    assert proc.returncode == 0, proc.stderr
    assert f"articles go to: {llm.url}" in proc.stderr
