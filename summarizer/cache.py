"""The brief cache: SQLite in the user's cache directory, safe with several processes at once.

The key is the BLAKE2b hash of the canonical JSON (``sort_keys=True, separators=(",", ":")``) of
everything that changes a brief: the normalized article text and its metadata, the backend, the model
and its generation parameters, the hash of every prompt template, the hash of the output and step
schemas, the pipeline's options, and the fingerprint of the package's own code and data
(:func:`code_fingerprint`: every ``summarizer/**/*.py``, ``summarizer/data/*`` and prompt file), so a
changed check, gazetteer or rule makes briefs again without anyone bumping a version by hand. That
layout is a contract: a changed prompt, schema, model, check or data file never serves a stale brief.
The API key is never part of it.

Concurrency: WAL journal, a busy timeout, and ``INSERT OR REPLACE`` of whole rows, so two processes
briefing the same article at once both succeed and the cache keeps one row.

Faults: every SQLite or file-system error is raised as :class:`CacheError`, never as ``sqlite3``'s own;
the API then warns once and goes on without the cache (a brief is never lost to the cache). A file that
cannot be opened for writing (a read-only file or folder) is opened read-only, so hits are still served.
A corrupt file is reported by :meth:`BriefCache.stats` and recreated by :meth:`BriefCache.clear`.
"""

from __future__ import annotations

import datetime as dt
import errno
import functools
import hashlib
import json
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from summarizer.errors import SummarizerError, one_line
from summarizer.schema import ArticleBrief

_SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS briefs (
    key TEXT PRIMARY KEY,
    article_id TEXT NOT NULL,
    backend TEXT NOT NULL,
    model TEXT NOT NULL,
    created TEXT NOT NULL,
    brief TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS briefs_article ON briefs(article_id);
"""


class CacheError(SummarizerError):
    """The brief cache cannot be read or written (corrupt file, read-only file or folder, full disk)."""

    def __init__(self, message: str, *, corrupt: bool = False):
        super().__init__(message)
        self.corrupt = corrupt


def is_corrupt(e: BaseException) -> bool:
    """Whether a SQLite error says the file is damaged or not a database at all."""
    if not isinstance(e, sqlite3.DatabaseError):
        return False
    name = getattr(e, "sqlite_errorname", "")
    if name in ("SQLITE_CORRUPT", "SQLITE_NOTADB"):
        return True
    text = str(e).lower()
    return "malformed" in text or "not a database" in text


def canonical_json(value: Any) -> str:
    """Canonical JSON: sorted keys, no whitespace, UTF-8 kept."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


@functools.lru_cache(maxsize=1)
def schema_hash() -> str:
    """Hash of the public output schema and the step schemas the model sees."""
    from summarizer.brief.steps import ArabicSummaryStep, EnglishSummaryStep, EventsStep

    schemas = [
        m.model_json_schema() for m in (ArticleBrief, EnglishSummaryStep, ArabicSummaryStep, EventsStep)
    ]
    return hashlib.blake2b(canonical_json(schemas).encode(), digest_size=16).hexdigest()


def fingerprint_files(package: Path, prompts: Path | None = None) -> str:
    """BLAKE2b of the code and data files that make a brief: every ``*.py`` under ``package`` (caches
    such as ``__pycache__`` left out), every file under ``package/data``, and every file in ``prompts``;
    each by its path relative to its folder, then its bytes."""
    h = hashlib.blake2b(digest_size=16)

    def add(root: Path, files: list[Path], label: str) -> None:
        for path in sorted(files, key=lambda p: p.relative_to(root).as_posix()):
            h.update(f"{label}/{path.relative_to(root).as_posix()}".encode())
            h.update(b"\0")
            h.update(path.read_bytes())
            h.update(b"\0")

    add(package, [p for p in package.rglob("*.py") if "__pycache__" not in p.parts], "code")
    data = package / "data"
    if data.is_dir():
        add(data, [p for p in data.rglob("*") if p.is_file() and "__pycache__" not in p.parts], "data")
    if prompts is not None and prompts.is_dir():
        add(prompts, [p for p in prompts.iterdir() if p.is_file()], "prompts")
    return h.hexdigest()


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """The fingerprint of this installed package (:func:`fingerprint_files`), computed once per process."""
    from summarizer.llm.prompts import prompts_dir

    return fingerprint_files(Path(__file__).resolve().parent, prompts_dir())


def cache_key(
    *,
    text: str,
    metadata: dict[str, Any],
    backend: str,
    model: str,
    params: dict[str, Any],
    prompt_hash: str,
    options: dict[str, Any],
    code: str | None = None,
) -> str:
    """The cache key of a brief (see the module docstring for what goes in). ``code`` is the package's
    fingerprint (default: :func:`code_fingerprint`)."""
    payload = {
        "text": text,
        "metadata": metadata,
        "backend": backend,
        "model": model,
        "params": params,
        "prompt_hash": prompt_hash,
        "schema_hash": schema_hash(),
        "options": options,
        "code": code or code_fingerprint(),
    }
    return hashlib.blake2b(canonical_json(payload).encode(), digest_size=20).hexdigest()


@dataclass
class CacheStats:
    """What ``summarizer cache stats`` prints."""

    path: str
    entries: int
    articles: int
    size_bytes: int
    oldest: str | None
    newest: str | None
    by_model: dict[str, int] = field(default_factory=dict)
    error: str | None = None
    """Why the cache could not be read (e.g. a corrupt file), else None."""
    corrupt: bool = False
    """The file is damaged: ``summarizer cache clear`` recreates it."""


def _busy(e: BaseException) -> bool:
    text = str(e).lower()
    return isinstance(e, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def _denied(e: BaseException) -> bool:
    """Whether an error says the file or its folder cannot be written (and only that)."""
    if isinstance(e, OSError):
        return e.errno in (errno.EACCES, errno.EPERM, errno.EROFS)
    text = str(e).lower()
    return any(w in text for w in ("readonly", "read-only", "unable to open database file", "permission"))


class BriefCache:
    """A SQLite file of briefs keyed by :func:`cache_key`."""

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)
        self.path = self.directory / "briefs.sqlite3"
        self._local = threading.local()
        self.recreated = False
        """Set by :meth:`clear` when it found a corrupt file and made it anew."""

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = self._open()
            except (OSError, sqlite3.Error) as e:
                raise self._error(e) from e
            self._local.conn = conn
        return conn

    def _open(self) -> sqlite3.Connection:
        for attempt in range(50):
            conn: sqlite3.Connection | None = None
            try:
                self.directory.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
                conn.execute("PRAGMA busy_timeout=30000")
                conn.execute("PRAGMA journal_mode=WAL")
                conn.executescript(_SCHEMA_SQL)
                return conn
            except (OSError, sqlite3.Error) as e:
                if conn is not None:
                    conn.close()
                if _busy(e) and attempt < 49:
                    # another process is creating the file or switching it to WAL: wait, never fall
                    # back to read-only for that (its writes would then all fail)
                    time.sleep(0.1)
                    continue
                if is_corrupt(e) or not self.path.is_file() or not _denied(e):
                    raise
                break
        # The file exists but cannot be written (read-only file or folder): serve hits from it read-only.
        conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
        try:
            conn.execute("SELECT 1 FROM briefs LIMIT 1").fetchall()
        except sqlite3.Error:
            conn.close()
            raise
        return conn

    def _error(self, e: BaseException) -> CacheError:
        reason = getattr(e, "strerror", None) or one_line(e)
        return CacheError(f"cache {self.path}: {reason}", corrupt=is_corrupt(e))

    def get(self, key: str) -> ArticleBrief | None:
        """The cached brief for ``key`` (marked ``meta.cached``), or None. Raises :class:`CacheError`."""
        try:
            row = self._conn().execute("SELECT brief FROM briefs WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error as e:
            raise self._error(e) from e
        if row is None:
            return None
        try:
            brief = ArticleBrief.model_validate_json(row[0])
        except ValueError:
            return None  # written by an incompatible version: treat as a miss, it will be replaced
        brief.meta.cached = True
        return brief

    def put(self, key: str, brief: ArticleBrief) -> None:
        """Store ``brief`` under ``key`` (replacing any previous row). Raises :class:`CacheError`."""
        stored = brief.model_copy(deep=True)
        stored.meta.cached = False
        try:
            self._conn().execute(
                "INSERT OR REPLACE INTO briefs (key, article_id, backend, model, created, brief) "
                "VALUES (?,?,?,?,?,?)",
                (
                    key,
                    brief.article.id,
                    brief.meta.backend,
                    brief.meta.model,
                    dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                    stored.model_dump_json(),
                ),
            )
        except sqlite3.Error as e:
            raise self._error(e) from e

    def _size(self) -> int:
        try:
            return sum(p.stat().st_size for p in self.directory.glob("briefs.sqlite3*") if p.is_file())
        except OSError:
            return 0

    def stats(self) -> CacheStats:
        """What the cache holds. A cache that cannot be read sets ``error`` (and ``corrupt``): no raise."""
        try:
            conn = self._conn()
            entries, articles, oldest, newest = conn.execute(
                "SELECT COUNT(*), COUNT(DISTINCT article_id), MIN(created), MAX(created) FROM briefs"
            ).fetchone()
            by_model = {
                f"{b}:{m}": n
                for b, m, n in conn.execute(
                    "SELECT backend, model, COUNT(*) FROM briefs GROUP BY backend, model"
                )
            }
        except (CacheError, sqlite3.Error) as e:
            err = e if isinstance(e, CacheError) else self._error(e)
            return CacheStats(
                str(self.path), 0, 0, self._size(), None, None, {}, error=str(err), corrupt=err.corrupt
            )
        return CacheStats(str(self.path), entries, articles, self._size(), oldest, newest, by_model)

    def clear(self) -> int:
        """Delete every brief; return how many there were. A corrupt file is deleted and made anew
        (then 0 is returned and :attr:`recreated` is set)."""
        self.recreated = False
        try:
            conn = self._conn()
            n = int(conn.execute("SELECT COUNT(*) FROM briefs").fetchone()[0])
            conn.execute("DELETE FROM briefs")
            conn.execute("VACUUM")
            return n
        except CacheError as e:
            if not e.corrupt:
                raise
        except sqlite3.Error as e:
            if not is_corrupt(e):
                raise self._error(e) from e
        self.close()
        try:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        except OSError as e:
            raise self._error(e) from e
        self._conn()
        self.recreated = True
        return 0

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
