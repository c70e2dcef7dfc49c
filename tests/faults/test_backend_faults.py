"""Findings 5 and 6 of issue #12: a server fault is reported as one (HTTP 200 with an HTML page is exit 4,
not a re-asked "invalid answer"), and no key ever shows in what is printed or logged."""

from __future__ import annotations

from pathlib import Path

from _fault_support import ARTICLE_002, FakeLLM, child_env, no_traceback, remote, run_cli


def test_http_200_with_an_html_page_is_a_backend_fault(corpus: Path) -> None:
    with FakeLLM("html").running() as llm:
        proc = run_cli("summarize", str(corpus / ARTICLE_002), "--no-cache", *remote(llm.url))
        sent = llm.count()
    no_traceback(proc)
    assert proc.returncode == 4, proc.stderr
    assert sent == 1, f"{sent} requests: an HTML page must not be re-asked"
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "HTTP 200 with an HTML page" in lines[0], proc.stderr


def test_a_key_echoed_by_the_server_is_never_printed_or_logged(corpus: Path) -> None:
    """Finding 6: the server echoes the key in its 401 message, as `Bearer KEY` and bare."""
    shaped = "sk-test-Abc123456789SECRETxyz"
    unshaped = "hunter2-corporate-gateway-pass"
    with FakeLLM("echo401").running() as llm:
        by_option = run_cli(
            "-v", "summarize", str(corpus / ARTICLE_002), "--no-cache", *remote(llm.url), "--api-key", shaped
        )
        by_env = run_cli(
            "-v",
            "summarize",
            str(corpus / ARTICLE_002),
            "--no-cache",
            *remote(llm.url),
            env=child_env(SUMMARIZER_API_KEY=unshaped),
        )
    for proc, key in ((by_option, shaped), (by_env, unshaped)):
        no_traceback(proc)
        assert proc.returncode == 4, proc.stderr
        assert "HTTP 401" in proc.stderr and "Incorrect API key provided" in proc.stderr
        out = proc.stdout + proc.stderr
        assert key not in out and key[-10:] not in out, out
        assert "***" in proc.stderr
