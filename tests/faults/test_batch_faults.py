"""Finding 3 of issue #12: HTML input needs lxml_html_clean (lxml 6 no longer ships lxml.html.clean), and
an unexpected exception inside one article of a batch is that article's one-line failure while the
others complete and print."""

from __future__ import annotations

import json
import re
from pathlib import Path

from _fault_support import ROOT, FakeLLM, article_variants, child_env, no_traceback, remote, run_cli

from summarizer.compat import tomllib


def test_lxml_html_clean_is_a_declared_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {
        re.split(r"[<>=!~;\[ ]", dep, maxsplit=1)[0].lower().replace("-", "_")
        for dep in project["dependencies"]
    }
    assert "lxml_html_clean" in names, project["dependencies"]
    import lxml.html.clean  # noqa: F401  (what trafilatura's justext imports)


def test_an_unexpected_error_in_one_article_fails_that_article_only(corpus: Path, tmp_path: Path) -> None:
    """A real install without lxml_html_clean: the .html article fails in one line, the .txt ones print."""
    shadow = tmp_path / "shadow" / "lxml_html_clean"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text('raise ImportError("lxml_html_clean is not installed (simulated)")\n')
    inbox = tmp_path / "inbox"
    article_variants(corpus, inbox, 2)
    text = (corpus / "002_d47aa0b70ac3c6f1.txt").read_text(encoding="utf-8")
    (inbox / "article_01b.html").write_text(
        "<html><body><article>"
        + "".join(f"<p>{p}</p>" for p in text.split("\n") if p)
        + "</article></body></html>",
        encoding="utf-8",
    )
    with FakeLLM("ok").running() as llm:
        proc = run_cli(
            "summarize",
            str(inbox),
            "--format",
            "json",
            *remote(llm.url),
            env=child_env(PYTHONPATH=str(shadow.parent)),
        )
    no_traceback(proc)
    assert proc.returncode == 1, proc.stderr
    briefs = json.loads(proc.stdout)
    assert len(briefs) == 2 and all(b["summary"]["en"]["headline"] for b in briefs)
    errors = [line for line in proc.stderr.splitlines() if line.startswith("summarizer: error:")]
    assert len(errors) == 1 and "article_01b.html" in errors[0] and "ImportError" in errors[0], proc.stderr
    assert "1 of 3 article(s) failed" in proc.stderr
