"""Finding 2 of issue #12: the cache is an optimisation. A corrupt file, a read-only file or a read-only
folder gives one warning on stderr, the brief is made without the cache and printed, never a traceback;
``cache stats`` reports a corrupt file and ``cache clear`` recreates it."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _fault_support import (
    ARTICLE_002,
    FakeLLM,
    article_variants,
    corrupt_pages,
    file_modes_apply,
    no_traceback,
    remote,
    run_cli,
    run_cli_honouring_modes,
)


@pytest.fixture
def llm() -> Iterator[FakeLLM]:
    with FakeLLM("ok").running() as fake:
        yield fake


def cache_dir() -> Path:
    return Path(os.environ["SUMMARIZER_CACHE_DIR"])


def seed(url: str, article: Path) -> dict[str, Any]:
    """Brief ``article`` through the fake server once (the real command), so that the cache holds it;
    then checkpoint the WAL into the main file, as the last connection's close does."""
    proc = run_cli("summarize", str(article), "--format", "json", *remote(url))
    assert proc.returncode == 0, proc.stderr
    brief: dict[str, Any] = json.loads(proc.stdout)
    assert brief["meta"]["cached"] is False
    conn = sqlite3.connect(cache_dir() / "briefs.sqlite3")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode=DELETE")  # the WAL files go; WAL mode comes back on the next open
    conn.close()
    return brief


def warnings_in(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "warning" in line and "cache" in line]


def test_corrupt_cache_file_warns_once_and_still_briefs(llm: FakeLLM, corpus: Path, tmp_path: Path) -> None:
    articles = article_variants(corpus, tmp_path / "in", 2)
    seed(llm.url, articles[0])
    db = cache_dir() / "briefs.sqlite3"
    assert db.stat().st_size > 4096 and not (cache_dir() / "briefs.sqlite3-wal").exists()
    header = db.read_bytes()[:100]
    corrupt_pages(db)
    assert db.read_bytes()[:100] == header  # an intact header, garbage pages

    proc = run_cli("summarize", *map(str, articles), "--format", "json", *remote(llm.url))
    no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    assert [b["meta"]["cached"] for b in json.loads(proc.stdout)] == [False, False]
    assert len(warnings_in(proc.stderr)) == 1, proc.stderr
    assert "without the cache" in proc.stderr

    stats = run_cli("cache", "stats")
    no_traceback(stats)
    assert stats.returncode == 1 and "corrupt" in stats.stdout + stats.stderr, stats
    assert "cache clear" in stats.stdout + stats.stderr

    cleared = run_cli("cache", "clear", "--yes")
    no_traceback(cleared)
    assert cleared.returncode == 0 and "recreated" in cleared.stdout, cleared
    after = run_cli("cache", "stats")
    assert after.returncode == 0 and "briefs:   0" in after.stdout, after

    # the recreated cache works again: a brief is stored, then served
    first = run_cli("summarize", str(articles[1]), *remote(llm.url))
    served = llm.count()
    again = run_cli("summarize", str(articles[1]), "--format", "json", *remote(llm.url))
    assert first.returncode == again.returncode == 0 and '"cached": true' in again.stdout
    assert llm.count() == served and not warnings_in(first.stderr + again.stderr)


needs_modes = pytest.mark.skipif(not file_modes_apply(), reason="file modes cannot be enforced here")


@needs_modes
def test_read_only_cache_file_serves_hits_and_keeps_new_briefs(
    llm: FakeLLM, corpus: Path, tmp_path: Path
) -> None:
    articles = article_variants(corpus, tmp_path / "in", 3)
    seeded = seed(llm.url, articles[0])
    db = cache_dir() / "briefs.sqlite3"
    db.chmod(0o444)
    try:
        proc = run_cli_honouring_modes("summarize", *map(str, articles), "--format", "json", *remote(llm.url))
    finally:
        db.chmod(0o644)
    no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    briefs = json.loads(proc.stdout)
    assert [b["meta"]["cached"] for b in briefs] == [True, False, False]  # the hit from the read-only file
    assert briefs[0]["summary"]["en"]["headline"] == seeded["summary"]["en"]["headline"]
    assert len(warnings_in(proc.stderr)) == 1, proc.stderr


@needs_modes
def test_read_only_cache_folder_still_briefs(llm: FakeLLM, corpus: Path) -> None:
    article = corpus / ARTICLE_002
    seed(llm.url, article)
    folder = cache_dir()
    mode = folder.stat().st_mode
    (folder / "briefs.sqlite3").chmod(0o444)
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP)
    try:
        hit = run_cli_honouring_modes("summarize", str(article), *remote(llm.url))
        miss = run_cli_honouring_modes("summarize", str(article), "--no-cache", *remote(llm.url))
        stats = run_cli_honouring_modes("cache", "stats")
    finally:
        folder.chmod(mode)
        (folder / "briefs.sqlite3").chmod(0o644)
    for proc in (hit, miss, stats):
        no_traceback(proc)
    assert hit.returncode == 0, hit.stderr
    assert "# " in hit.stdout and len(warnings_in(hit.stderr)) <= 1, hit.stderr
    assert miss.returncode == 0 and miss.stdout.startswith("# ")
    assert stats.returncode in (0, 1) and "cache" in stats.stdout + stats.stderr
