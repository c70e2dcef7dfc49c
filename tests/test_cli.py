"""The CLI through its real entry point (a subprocess running ``python -m summarizer``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from summarizer.api import Briefer
from summarizer.config import resolve_settings
from summarizer.inputs import read_article
from summarizer.schema import ArticleBrief

BRIEFS = Path(__file__).resolve().parent / "data" / "briefs"
DOWN = ["--base-url", "http://127.0.0.1:9/v1", "--model", "test-model"]


def run(
    *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {}), "SUMMARIZER_TRANSPORT_RETRIES": "0"}
    return subprocess.run(
        [sys.executable, "-m", "summarizer", *args],
        input=stdin.decode() if stdin is not None else None,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=120,
    )


def one_clean_error(proc: subprocess.CompletedProcess[str], code: int, fragment: str) -> None:
    assert proc.returncode == code, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("summarizer: error:") and fragment in lines[0]
    assert "Traceback" not in proc.stderr


def test_version_and_help() -> None:
    assert run("--version").stdout.startswith("summarizer, version ")
    for cmd in ([], ["summarize"], ["cache"], ["cache", "stats"], ["cache", "clear"], ["models"], ["digest"]):
        proc = run(*cmd, "--help")
        assert proc.returncode == 0, cmd
        assert len(proc.stdout.splitlines()) > 3


@pytest.mark.parametrize(
    ("content", "fragment"),
    [(b"", "empty"), (b"  \n ", "empty"), (b"\x00\x01\x02" * 100, "binary"), (b"Hello, world.", "no Arabic")],
)
def test_bad_file_is_one_line_and_exit_2(tmp_path: Path, content: bytes, fragment: str) -> None:
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    one_clean_error(run("summarize", str(p)), 2, fragment)


def test_missing_file(tmp_path: Path) -> None:
    one_clean_error(run("summarize", str(tmp_path / "missing.txt")), 2, "no such file")


def test_empty_directory(tmp_path: Path) -> None:
    one_clean_error(run("summarize", str(tmp_path)), 2, "no .txt or .html articles")


def test_bad_stdin() -> None:
    one_clean_error(run("summarize", "-", stdin=b"just english"), 2, "no Arabic")


def test_bad_date_option(corpus: Path) -> None:
    proc = run("summarize", str(corpus / "002_d47aa0b70ac3c6f1.txt"), "--published", "24/03/2023")
    assert proc.returncode == 2 and "YYYY-MM-DD" in proc.stderr and "Traceback" not in proc.stderr


def test_unreachable_endpoint_is_one_line(corpus: Path) -> None:
    proc = run("summarize", str(corpus / "002_d47aa0b70ac3c6f1.txt"), "--no-cache", *DOWN)
    one_clean_error(proc, 4, "cannot reach")


def test_missing_engine_or_model_is_one_line(corpus: Path, tmp_path: Path) -> None:
    proc = run(
        "summarize", str(corpus / "002_d47aa0b70ac3c6f1.txt"), "--model-path", str(tmp_path / "none.gguf")
    )
    one_clean_error(proc, 3, "not")


def _seed_cache(corpus: Path) -> ArticleBrief:
    """Put the hand-written 002 brief in the cache under the key the CLI will compute."""
    settings = resolve_settings(base_url=DOWN[1], model=DOWN[3])
    article = read_article(corpus / "002_d47aa0b70ac3c6f1.txt")
    brief = ArticleBrief.model_validate_json(
        (BRIEFS / "002_d47aa0b70ac3c6f1.json").read_text(encoding="utf-8")
    )
    briefer = Briefer(settings)
    assert briefer.cache is not None
    briefer.cache.put(briefer.key(article), brief)
    return brief


def test_multi_file_run_keeps_going_past_a_bad_file(corpus: Path, tmp_path: Path) -> None:
    brief = _seed_cache(corpus)
    bad = tmp_path / "bad.txt"
    bad.write_text("no arabic here")
    proc = run("summarize", str(corpus / "002_d47aa0b70ac3c6f1.txt"), str(bad), "--format", "json", *DOWN)
    assert proc.returncode == 1
    assert "bad.txt: no Arabic" in proc.stderr and "1 of 2 article(s) failed" in proc.stderr
    assert "Traceback" not in proc.stderr
    out = json.loads(proc.stdout)
    assert len(out) == 1 and out[0]["article"]["id"] == brief.article.id and out[0]["meta"]["cached"] is True


def test_markdown_output_and_cache_commands(corpus: Path, tmp_path: Path) -> None:
    brief = _seed_cache(corpus)
    out = tmp_path / "brief.md"
    proc = run("summarize", str(corpus / "002_d47aa0b70ac3c6f1.txt"), "-o", str(out), *DOWN)
    assert proc.returncode == 0, proc.stderr
    md = out.read_text(encoding="utf-8")
    assert md.startswith(f"# {brief.summary.en.headline}")
    assert brief.summary.ar.headline in md and "| # | date | type |" in md
    stats = run("cache", "stats", "--json")
    assert json.loads(stats.stdout)["entries"] == 1
    cleared = run("cache", "clear", "--yes")
    assert "deleted 1 brief" in cleared.stdout
    assert json.loads(run("cache", "stats", "--json").stdout)["entries"] == 0


def test_models_lists_both_models() -> None:
    proc = run("models")
    assert proc.returncode == 0
    assert "qwen2.5-coder-1.5b" in proc.stdout and "qwen2.5-coder-0.5b" in proc.stdout
    assert "active backend: embedded" in proc.stdout


def test_models_says_which_cpu_kernels_the_engine_runs_and_why() -> None:
    """Issue #11 step 4: the variant the engine loads for this CPU, or the one forced, and why."""
    from summarizer.llm.engine_info import engine_version
    from summarizer.llm.kernels import available_variants, plan

    def kernels_line(proc: subprocess.CompletedProcess[str]) -> str:
        assert proc.returncode == 0, proc.stderr
        return next(line for line in proc.stdout.splitlines() if line.startswith("cpu kernels: "))

    line = kernels_line(run("models"))
    if engine_version() is None:
        assert line == "cpu kernels: none (the engine is not installed)"
        return
    assert line == f"cpu kernels: {plan().describe()}"
    if "x64" in available_variants():
        forced = kernels_line(run("models", env={"SUMMARIZER_CPU_VARIANT": "x64"}))
        assert forced.startswith("cpu kernels: x64 (forced")
        refused = kernels_line(run("models", env={"SUMMARIZER_CPU_VARIANT": "pentium"}))
        assert refused.startswith("cpu kernels: cannot load: CPU variant 'pentium' is not built here")


def test_exit_codes_come_from_the_clis_table_not_from_the_exceptions() -> None:
    """README "Exit codes" and `summarizer digest --help`: one table in the CLI layer decides them."""
    from summarizer import errors
    from summarizer.cache import CacheError
    from summarizer.cli_common import EXIT_CODES, exit_code
    from summarizer.digest.ledger import LedgerError
    from summarizer.evaluation import GoldError

    documented: dict[type[BaseException], int] = {
        errors.InputError: 2,
        GoldError: 2,
        errors.ConfigError: 2,
        errors.ModelNotInstalledError: 3,
        errors.BackendError: 4,
        errors.BriefError: 5,
        errors.DeliveryError: 6,
        errors.TemporaryDeliveryError: 75,
        errors.DigestBusyError: 75,
        CacheError: 1,
        LedgerError: 1,
        errors.SummarizerError: 1,
        KeyboardInterrupt: 130,
        ValueError: 1,  # anything else
    }
    assert {kind: exit_code(kind) for kind in documented} == documented
    assert exit_code(errors.BackendError("down")) == 4  # an instance or its class
    # the exceptions are kinds: none carries an exit code of its own
    assert not [kind for kind in documented if hasattr(kind, "exit_code")]
    assert set(EXIT_CODES) <= set(documented)


@pytest.mark.parametrize(
    ("message", "plain", "typed"),
    [
        ("", "BriefError", "BriefError"),
        ("  \n\t\n", "BriefError", "BriefError"),
        ("\n  the model never answered  \nsecond line", "the model never answered", None),
        ("HTTP 401: Bearer abcdefghijkl\nmore", "HTTP 401: Bearer ***", None),
    ],
)
def test_one_line_of_an_error(message: str, plain: str, typed: str | None) -> None:
    from summarizer.errors import BriefError, one_line

    assert one_line(BriefError(message)) == plain
    assert one_line(ValueError(message), with_type=True) == (
        typed.replace("BriefError", "ValueError") if typed else f"ValueError: {plain}"
    )


@pytest.mark.parametrize("files", [1, 2])
def test_an_error_with_an_empty_message_is_one_line_not_a_crash(
    corpus: Path, monkeypatch: pytest.MonkeyPatch, files: int
) -> None:
    """`summarize` printed `str(error).splitlines()[0]`, an IndexError for an empty message (#13 step 8)."""
    from click.testing import CliRunner

    import summarizer.api as api
    from summarizer.cli import main
    from summarizer.errors import BriefError

    def no_brief(*args: object) -> ArticleBrief:
        raise BriefError("")

    monkeypatch.setattr(api, "brief_article", no_brief)
    paths = [str(p) for p in sorted(corpus.glob("*.txt"))[:files]]
    result = CliRunner().invoke(main, ["summarize", *paths, "--no-cache", *DOWN])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == (5 if files == 1 else 1)
    errors = [line for line in result.stderr.splitlines() if line.startswith("summarizer: error:")]
    assert len(errors) == files and all(line.endswith("BriefError") for line in errors), result.stderr
