"""The state of batch runs, in SQLite next to the brief cache (``batch.sqlite3``).

What a crash must not lose, each written in one transaction at the moment it becomes true:

- ``jobs``: a run (``summarizer batch submit``): its engine, model and options;
- ``articles``: each article of a job, the step it waits at, and its brief or error once it has one;
- ``batches``: each round's batch file, from ``prepared`` (lines chosen, file written) through
  ``uploaded`` and ``submitted`` (the engine's ids) to ``collected``;
- ``lines``: which batch holds which request (``custom_id``, request key), and what became of it;
- ``answers``: the answer cache, keyed by :meth:`summarizer.llm.calls.Request.key`, shared by every job:
  an answered request is never sent again.

A batch is recorded as ``prepared`` with its lines before anything is sent, so a crash between
upload and the engine's reply leaves a row to reconcile (the engine is asked for a batch carrying
its id in the metadata) rather than a line that might be sent twice.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summarizer.errors import InputError, SummarizerError
from summarizer.llm.calls import Answer

__all__ = ["BatchRow", "BatchState", "BatchStateError", "LineResult"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY, engine TEXT NOT NULL, created REAL NOT NULL, config TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS articles (
    job TEXT NOT NULL, aid TEXT NOT NULL, seq INTEGER NOT NULL, name TEXT NOT NULL,
    article TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'pending', step TEXT,
    brief TEXT, error TEXT, kind TEXT,
    PRIMARY KEY (job, aid)
);
CREATE TABLE IF NOT EXISTS batches (
    local_id TEXT PRIMARY KEY, job TEXT NOT NULL, round INTEGER NOT NULL, state TEXT NOT NULL,
    input_path TEXT NOT NULL, file_id TEXT, remote_id TEXT, remote_status TEXT, created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS lines (
    local_id TEXT NOT NULL, custom_id TEXT NOT NULL, job TEXT NOT NULL, key TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'sent', error TEXT, permanent INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (local_id, custom_id)
);
CREATE INDEX IF NOT EXISTS lines_key ON lines (job, key);
CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, answer TEXT NOT NULL, created REAL NOT NULL);
"""

#: Batch states in which its lines may still be answered.
OPEN = ("prepared", "uploaded", "submitted")


class BatchStateError(SummarizerError):
    """The batch state file cannot be read or written."""


@dataclass
class BatchRow:
    """One round's batch."""

    local_id: str
    job: str
    round: int
    state: str
    input_path: str
    file_id: str | None
    remote_id: str | None
    remote_status: str | None


@dataclass
class LineResult:
    """What an engine said about one line: an answer, or why there is none."""

    custom_id: str
    answer: Answer | None
    error: str | None = None
    permanent: bool = False
    """A failure that sending the line again cannot mend (a 4xx: the request itself is refused)."""


class BatchState:
    """The state file of batch runs: one connection, shared by the threads of a run under a lock (a
    run may have a thousand article threads; a connection each would run out of file handles)."""

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)
        self.path = self.directory / "batch.sqlite3"
        self._lock = threading.RLock()
        self._connection: sqlite3.Connection | None = None

    def _conn(self) -> sqlite3.Connection:
        if self._connection is None:
            try:
                self.directory.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
                conn.execute("PRAGMA busy_timeout=30000")
                conn.execute("PRAGMA journal_mode=WAL")
                conn.executescript(_SCHEMA)
            except (OSError, sqlite3.Error) as e:
                raise BatchStateError(f"batch state {self.path}: {e}") from e
            self._connection = conn
        return self._connection

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    def _write(self, statements: Iterable[tuple[str, tuple[Any, ...]]]) -> None:
        """Run ``statements`` in one transaction: all of them or none."""
        with self._lock:
            conn = self._conn()
            try:
                conn.execute("BEGIN IMMEDIATE")
                for sql, args in statements:
                    conn.execute(sql, args)
                conn.execute("COMMIT")
            except sqlite3.Error as e:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise BatchStateError(f"batch state {self.path}: {e}") from e

    def _rows(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            try:
                return self._conn().execute(sql, args).fetchall()
            except sqlite3.Error as e:
                raise BatchStateError(f"batch state {self.path}: {e}") from e

    # --- jobs and articles -----------------------------------------------------------------------

    def create_job(self, engine: str, config: dict[str, Any], articles: list[tuple[str, str, str]]) -> str:
        """A new job over ``articles`` ((article id, name, article JSON), in order); returns its id."""
        job = time.strftime("%Y%m%d-%H%M%S-") + uuid.uuid4().hex[:6]
        statements: list[tuple[str, tuple[Any, ...]]] = [
            (
                "INSERT INTO jobs (id, engine, created, config) VALUES (?,?,?,?)",
                (job, engine, time.time(), json.dumps(config)),
            )
        ]
        for seq, (aid, name, data) in enumerate(articles):
            statements.append(
                (
                    "INSERT OR IGNORE INTO articles (job, aid, seq, name, article) VALUES (?,?,?,?,?)",
                    (job, aid, seq, name, data),
                )
            )
        self._write(statements)
        return job

    def unfinished_job(self, engine: str, config: dict[str, Any], aids: list[str]) -> str | None:
        """The newest job with this engine and configuration over exactly these articles that still
        has articles pending, if any."""
        rows = self._rows(
            "SELECT j.id FROM jobs j WHERE j.engine = ? AND j.config = ? AND EXISTS "
            "(SELECT 1 FROM articles a WHERE a.job = j.id AND a.state = 'pending') ORDER BY j.created DESC",
            (engine, json.dumps(config)),
        )
        want = set(aids)
        for (job,) in rows:
            have = {str(r[0]) for r in self._rows("SELECT aid FROM articles WHERE job = ?", (job,))}
            if have == want:
                return str(job)
        return None

    def job(self, job: str | None = None) -> tuple[str, str, dict[str, Any]]:
        """(id, engine, config) of ``job``, or of the latest job; :class:`InputError` when there is none."""
        if job:
            rows = self._rows("SELECT id, engine, config FROM jobs WHERE id = ?", (job,))
        else:
            rows = self._rows("SELECT id, engine, config FROM jobs ORDER BY created DESC LIMIT 1")
        if not rows:
            # the user named no job that exists: bad input (exit 2), not a damaged state file
            raise InputError(
                f"no batch job {job}" if job else "no batch job yet: run `summarizer batch submit`"
            )
        return rows[0][0], rows[0][1], json.loads(rows[0][2])

    def articles(self, job: str, state: str | None = None) -> list[tuple[str, str, str, str, str | None]]:
        """(article id, name, article JSON, state, step) of a job's articles, in submission order."""
        sql = "SELECT aid, name, article, state, step FROM articles WHERE job = ?"
        args: tuple[Any, ...] = (job,)
        if state is not None:
            sql += " AND state = ?"
            args = (job, state)
        return [tuple(r) for r in self._rows(sql + " ORDER BY seq", args)]

    def results(self, job: str) -> list[tuple[str, str, str | None, str | None, str | None]]:
        """(article id, name, brief JSON, error, error kind) of a job's finished articles, in order; the
        kind is the error's class name (``BackendError``), which the CLI maps to an exit code."""
        rows = self._rows(
            "SELECT aid, name, brief, error, kind FROM articles "
            "WHERE job = ? AND state != 'pending' ORDER BY seq",
            (job,),
        )
        return [tuple(r) for r in rows]

    def set_steps(self, job: str, steps: dict[str, str]) -> None:
        """Record the step each waiting article waits at."""
        self._write(
            ("UPDATE articles SET step = ? WHERE job = ? AND aid = ?", (s, job, a)) for a, s in steps.items()
        )

    def finish(
        self,
        job: str,
        aid: str,
        *,
        brief: str | None = None,
        error: str | None = None,
        kind: str | None = None,
    ) -> None:
        """Record an article's brief, or the error that ended it (once: a finished article stays)."""
        self._write(
            [
                (
                    "UPDATE articles SET state = ?, brief = ?, error = ?, kind = ?, step = NULL "
                    "WHERE job = ? AND aid = ? AND state = 'pending'",
                    ("done" if brief is not None else "failed", brief, error, kind, job, aid),
                )
            ]
        )

    def counts(self, job: str) -> dict[str, int]:
        rows = self._rows("SELECT state, COUNT(*) FROM articles WHERE job = ? GROUP BY state", (job,))
        return {str(s): int(n) for s, n in rows}

    def step_counts(self, job: str) -> dict[str, int]:
        rows = self._rows(
            "SELECT COALESCE(step, '-'), COUNT(*) FROM articles "
            "WHERE job = ? AND state = 'pending' GROUP BY step",
            (job,),
        )
        return {str(s): int(n) for s, n in rows}

    # --- answers ---------------------------------------------------------------------------------

    def answer(self, key: str) -> Answer | None:
        rows = self._rows("SELECT answer FROM answers WHERE key = ?", (key,))
        return Answer.from_json(json.loads(rows[0][0])) if rows else None

    # --- batches and lines ------------------------------------------------------------------------

    def next_round(self, job: str) -> int:
        """The number of a job's next round."""
        return int(self._rows("SELECT COALESCE(MAX(round), 0) FROM batches WHERE job = ?", (job,))[0][0]) + 1

    def prepare_batch(
        self, job: str, input_path: Path, lines: list[tuple[str, str]], *, local_id: str, round_no: int
    ) -> BatchRow:
        """Record a round's batch and its lines ((custom_id, request key)) before anything is sent."""
        row = BatchRow(
            local_id=local_id,
            job=job,
            round=round_no,
            state="prepared",
            input_path=str(input_path),
            file_id=None,
            remote_id=None,
            remote_status=None,
        )
        statements: list[tuple[str, tuple[Any, ...]]] = [
            (
                "INSERT INTO batches (local_id, job, round, state, input_path, created) VALUES (?,?,?,?,?,?)",
                (row.local_id, job, row.round, row.state, row.input_path, time.time()),
            )
        ]
        statements += [
            (
                "INSERT INTO lines (local_id, custom_id, job, key) VALUES (?,?,?,?)",
                (row.local_id, cid, job, key),
            )
            for cid, key in lines
        ]
        self._write(statements)
        return row

    def update_batch(self, local_id: str, **fields: Any) -> None:
        allowed = {"state", "file_id", "remote_id", "remote_status"}
        if not fields or set(fields) - allowed:
            raise ValueError(f"unknown batch fields {sorted(set(fields) - allowed)}")
        sets = ", ".join(f"{k} = ?" for k in fields)
        self._write([(f"UPDATE batches SET {sets} WHERE local_id = ?", (*fields.values(), local_id))])

    def batches(self, job: str, *, open_only: bool = False) -> list[BatchRow]:
        sql = (
            "SELECT local_id, job, round, state, input_path, file_id, remote_id, remote_status "
            "FROM batches WHERE job = ?"
        )
        if open_only:
            sql += f" AND state IN ({','.join('?' * len(OPEN))})"
        rows = self._rows(sql + " ORDER BY round", (job, *OPEN) if open_only else (job,))
        return [BatchRow(*r) for r in rows]

    def line_keys(self, local_id: str) -> dict[str, str]:
        """custom_id -> request key of a batch's lines."""
        return {
            str(c): str(k)
            for c, k in self._rows("SELECT custom_id, key FROM lines WHERE local_id = ?", (local_id,))
        }

    def open_keys(self, job: str) -> set[str]:
        """Request keys in a batch not collected yet: never sent again meanwhile."""
        rows = self._rows(
            f"SELECT l.key FROM lines l JOIN batches b ON b.local_id = l.local_id "
            f"WHERE l.job = ? AND b.state IN ({','.join('?' * len(OPEN))})",
            (job, *OPEN),
        )
        return {str(r[0]) for r in rows}

    def failures(self, job: str, key: str) -> tuple[int, bool, str | None]:
        """(failed lines, whether one failed for good, the last error) of a request in a job."""
        rows = self._rows(
            "SELECT COUNT(*), MAX(permanent), MAX(rowid) FROM lines "
            "WHERE job = ? AND key = ? AND state = 'failed'",
            (job, key),
        )
        n, permanent, last = rows[0]
        error = (
            self._rows("SELECT error FROM lines WHERE rowid = ?", (last,))[0][0] if last is not None else None
        )
        return int(n or 0), bool(permanent), error

    def collect(self, row: BatchRow, results: list[LineResult], remote_status: str) -> tuple[int, int]:
        """Store a finished batch's results in one transaction: answers into the cache, each line's
        fate, the batch collected. A line with no result is failed (to be sent again). Returns
        (answered, failed)."""
        keys = self.line_keys(row.local_id)
        by_id = {r.custom_id: r for r in results}
        statements: list[tuple[str, tuple[Any, ...]]] = []
        answered = failed = 0
        now = time.time()
        for cid, key in keys.items():
            result = by_id.get(cid)
            if result is not None and result.answer is not None:
                answered += 1
                statements.append(
                    (
                        "INSERT OR REPLACE INTO answers (key, answer, created) VALUES (?,?,?)",
                        (key, json.dumps(result.answer.to_json()), now),
                    )
                )
                statements.append(
                    (
                        "UPDATE lines SET state = 'answered' WHERE local_id = ? AND custom_id = ?",
                        (row.local_id, cid),
                    )
                )
            else:
                failed += 1
                error = (
                    result.error if result is not None else f"no result for this line (batch {remote_status})"
                )
                permanent = int(bool(result is not None and result.permanent))
                statements.append(
                    (
                        "UPDATE lines SET state = 'failed', error = ?, permanent = ? "
                        "WHERE local_id = ? AND custom_id = ?",
                        (error, permanent, row.local_id, cid),
                    )
                )
        statements.append(
            (
                "UPDATE batches SET state = 'collected', remote_status = ? WHERE local_id = ?",
                (remote_status, row.local_id),
            )
        )
        self._write(statements)
        return answered, failed

    def line_count(self, job: str) -> int:
        return int(self._rows("SELECT COUNT(*) FROM lines WHERE job = ?", (job,))[0][0])
