"""Finding 4 of issue #12: failing is fast, interruptible and loses nothing.

* a circuit breaker per run: after a few straight outage failures (refused, timed out, 5xx) the run
  stops sending and the other articles fail at once, exit 4; the default timeout is not 600 s;
* Ctrl-C (SIGINT) with --concurrency 4 cancels the queued work at once and prints the finished briefs;
* ``-o`` is written to a temporary file and renamed: a failed run never truncates it, and a folder
  that cannot take it is refused before any LLM call;
* stdin is refused past the size limit while it is read (20 MB never sit in memory);
* a refused port: exit 4, fast.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest
from _fault_support import (
    ARTICLE_002,
    FakeLLM,
    article_variants,
    child_env,
    no_traceback,
    remote,
    run_cli,
    summarizer_command,
)

from summarizer.api import Briefer
from summarizer.config import Settings, resolve_settings
from summarizer.inputs import read_article

CONCURRENT_JSONL = ["--concurrency", "4", "--format", "jsonl"]


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_refused_port_exits_4_fast(corpus: Path, tmp_path: Path) -> None:
    articles = article_variants(corpus, tmp_path / "in", 3)
    url = f"http://127.0.0.1:{closed_port()}/v1"
    started = time.monotonic()
    proc = run_cli("summarize", *map(str, articles), "--no-cache", *remote(url), timeout=120)
    elapsed = time.monotonic() - started
    no_traceback(proc)
    assert proc.returncode == 4, proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("summarizer: error:")]
    # the articles are in flight together (the default behind a server): one error line each, in any order
    assert len(errors) == 3 and all(sum(a.name in e for e in errors) == 1 for a in articles), proc.stderr
    assert "stopped sending" in proc.stderr
    assert elapsed < 15, f"refused port took {elapsed:.1f} s to exit 4"


def test_default_timeout_is_sane() -> None:
    assert Settings().timeout <= 120 and resolve_settings().timeout <= 120
    assert Settings().breaker_threshold >= 1


@pytest.mark.parametrize("mode", ["hang", "503"])
def test_circuit_breaker_stops_sending_for_the_whole_run(mode: str, corpus: Path, tmp_path: Path) -> None:
    """A hung server (1 s timeout here) or one answering 503: at most the breaker's requests, then exit 4."""
    articles = article_variants(corpus, tmp_path / "in", 4)
    with FakeLLM(mode).running() as llm:
        started = time.monotonic()
        proc = run_cli(
            "summarize",
            *map(str, articles),
            "--no-cache",
            *remote(llm.url),
            env=child_env(SUMMARIZER_TIMEOUT="1"),
            timeout=150,
        )
        elapsed = time.monotonic() - started
        sent = llm.count()
    no_traceback(proc)
    assert proc.returncode == 4, proc.stderr
    assert sent <= Settings().breaker_threshold, f"{sent} requests reached a server that is down"
    assert "4 of 4 article(s) failed" in proc.stderr
    assert elapsed < 30, f"{mode}: {elapsed:.1f} s to give up"


def test_sigint_cancels_queued_work_and_prints_finished_briefs(corpus: Path, tmp_path: Path) -> None:
    articles = article_variants(corpus, tmp_path / "in", 8)
    with FakeLLM("ok").running() as llm:
        # the first article is briefed (and cached) before the server hangs
        Briefer(resolve_settings(backend="openai", base_url=llm.url, model="x")).brief(
            read_article(articles[0])
        )
        llm.mode = "hang"
        before = llm.count()
        proc = subprocess.Popen(
            [*summarizer_command(), "summarize", *map(str, articles), *CONCURRENT_JSONL, *remote(llm.url)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            env=child_env(SUMMARIZER_TIMEOUT="50"),
        )
        # a server no request of this run has proven gets at most the breaker's threshold of attempts
        # in flight (backends.CircuitBreaker.attempt): 3 here, of the 4 articles running
        in_flight = Settings().breaker_threshold
        deadline = time.monotonic() + 30
        while llm.count() < before + in_flight and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        assert llm.count() >= before + in_flight, f"{in_flight} requests should be in flight"
        proc.send_signal(signal.SIGINT)
        sent_at_sigint = llm.count()
        signalled = time.monotonic()
        try:
            out, err = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate(timeout=10)
            pytest.fail(f"still running 30 s after SIGINT; {llm.count() - sent_at_sigint} more requests sent")
        took = time.monotonic() - signalled
        time.sleep(1.0)
        after = llm.count()
    no_traceback(err)
    assert proc.returncode == 130, err
    assert took < 3, f"{took:.1f} s from SIGINT to exit"
    assert after == sent_at_sigint, f"{after - sent_at_sigint} requests sent after SIGINT"
    briefs = [json.loads(line) for line in out.splitlines() if line.strip()]
    assert len(briefs) == 1 and briefs[0]["meta"]["cached"] is True
    assert "interrupted" in err and "1 finished brief(s) kept" in err


def test_failed_run_leaves_the_existing_output_file(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "briefs.json"
    out.write_text('["yesterday\'s briefs"]\n', encoding="utf-8")
    url = f"http://127.0.0.1:{closed_port()}/v1"
    for args in (
        [str(corpus / ARTICLE_002)],
        [str(corpus / ARTICLE_002), str(corpus / "000_8449cddc9f5e7774.txt")],
    ):
        proc = run_cli("summarize", *args, "--no-cache", "--format", "json", "-o", str(out), *remote(url))
        no_traceback(proc)
        assert proc.returncode == 4, proc.stderr
        assert out.read_text(encoding="utf-8") == '["yesterday\'s briefs"]\n'
    assert [p.name for p in tmp_path.iterdir()] == ["briefs.json"]  # no temporary file left behind


def test_output_is_replaced_whole_on_success(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "brief.json"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o640)
    with FakeLLM("ok").running() as llm:
        proc = run_cli(
            "summarize", str(corpus / ARTICLE_002), "--format", "json", "-o", str(out), *remote(llm.url)
        )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["summary"]["en"]["headline"]
    assert out.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["brief.json"]


def test_output_folder_is_checked_before_any_llm_call(corpus: Path, tmp_path: Path) -> None:
    with FakeLLM("ok").running() as llm:
        missing = run_cli(
            "summarize", str(corpus / ARTICLE_002), "-o", str(tmp_path / "nowhere" / "b.md"), *remote(llm.url)
        )
        folder = run_cli("summarize", str(corpus / ARTICLE_002), "-o", str(tmp_path), *remote(llm.url))
        assert llm.count() == 0
    for proc in (missing, folder):
        no_traceback(proc)
        assert proc.returncode == 2, proc.stderr
    assert len(missing.stderr.strip().splitlines()) == 1 and "no such folder" in missing.stderr
    assert "is a directory" in folder.stderr  # click refuses it before the command runs


def test_stdin_is_refused_while_read(tmp_path: Path) -> None:
    """20 MB on stdin: refused once the limit is read, and the process never holds the 20 MB."""
    big = tmp_path / "big.txt"
    line = ("قتل عشرة أشخاص في غارة جوية على مدينة الحسكة شمال شرقي سوريا. " * 20 + "\n").encode("utf-8")
    with big.open("wb") as f:
        while f.tell() < 20_000_000:
            f.write(line)
    err_file = tmp_path / "stderr.txt"
    with big.open("rb") as stdin, err_file.open("wb") as stderr:
        proc = subprocess.Popen(
            [*summarizer_command(), "summarize", "-", *remote("http://127.0.0.1:9/v1")],
            stdin=stdin,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env=child_env(),
        )
        watchdog = threading.Timer(120, proc.kill)
        watchdog.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)  # its peak memory (ru_maxrss, KiB)
        finally:
            watchdog.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
    err = err_file.read_text(encoding="utf-8")
    peak_mb = usage.ru_maxrss / 1024
    assert proc.returncode == 2, err
    assert "too large" in err and "Traceback" not in err
    assert peak_mb < 200, f"peak memory {peak_mb:.0f} MB for 20 MB on stdin"
