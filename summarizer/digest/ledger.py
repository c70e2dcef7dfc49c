"""The ledger: which articles went out in which digest, and which digests still wait in the outbox.

One SQLite file (in the user's data directory unless overridden). A digest is recorded as *pending*
before the first attempt to send it, together with its articles, so its articles are taken from that
moment: a second run never puts them in another digest, whether the first one is delivered now or
retried from the outbox later. A delivered digest becomes *sent*. A digest the server refused for good
becomes *failed*, which releases its articles for the next digest. Schema changes are numbered
migrations (``PRAGMA user_version``).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from summarizer.errors import SummarizerError


class LedgerError(SummarizerError):
    """The ledger cannot be opened or written, or a digest would send an article a second time."""


def _run_statements(conn: sqlite3.Connection, script: str) -> None:
    # One statement at a time: executescript() would commit the migration's transaction half-way.
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


def _migration_1(conn: sqlite3.Connection) -> None:
    _run_statements(
        conn,
        """
        CREATE TABLE digests (
            id TEXT PRIMARY KEY,
            digest_date TEXT NOT NULL,
            created TEXT NOT NULL,
            subject TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
            eml_path TEXT,
            sender TEXT,
            recipients TEXT NOT NULL,      -- JSON list: everyone the digest is for
            pending_to TEXT NOT NULL,      -- JSON list: who has not received it yet
            refused TEXT NOT NULL DEFAULT '{}',  -- JSON object: address -> server's permanent refusal
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            sent_at TEXT
        );
        CREATE TABLE digest_articles (
            digest_id TEXT NOT NULL REFERENCES digests(id),
            key TEXT NOT NULL,             -- collect.dedupe_key: whitespace-insensitive text id
            article_id TEXT NOT NULL,      -- ArticleBrief.article.id
            origin TEXT,
            title TEXT,
            source TEXT,
            url TEXT,
            PRIMARY KEY (digest_id, key)
        );
        CREATE INDEX digest_articles_key ON digest_articles(key);
        CREATE INDEX digests_status ON digests(status);
        """,
    )


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_migration_1]


@dataclass
class LedgerArticle:
    """One article as the ledger records it."""

    key: str
    article_id: str
    origin: str | None = None
    title: str | None = None
    source: str | None = None
    url: str | None = None


@dataclass
class DigestRecord:
    """One digest as the ledger records it."""

    id: str
    digest_date: str
    created: str
    subject: str
    status: str
    eml_path: str | None
    sender: str | None
    recipients: list[str]
    pending_to: list[str]
    refused: dict[str, str]
    attempts: int = 0
    last_error: str | None = None
    sent_at: str | None = None


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


class Ledger:
    """The ledger file. ``readonly`` opens an existing file without writing (a missing one reads as empty)."""

    def __init__(self, path: str | Path, *, readonly: bool = False):
        self.path = Path(path)
        self.readonly = readonly
        self._conn: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection | None:
        if self._conn is not None:
            return self._conn
        try:
            if self.readonly:
                if not self.path.is_file():
                    return None
                conn = sqlite3.connect(
                    f"file:{self.path}?mode=ro", uri=True, timeout=30, isolation_level=None
                )
                if conn.execute("PRAGMA user_version").fetchone()[0] < len(MIGRATIONS):
                    conn.close()
                    return None
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA foreign_keys=ON")
                self._migrate(conn)
        except (OSError, sqlite3.Error) as e:
            raise LedgerError(f"ledger {self.path}: {e}") from e
        self._conn = conn
        return conn

    @staticmethod
    def _migrate(conn: sqlite3.Connection) -> None:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        for number, migration in enumerate(MIGRATIONS, 1):
            if number > version:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    migration(conn)
                    conn.execute(f"PRAGMA user_version = {number}")
                    conn.execute("COMMIT")
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- reading ---------------------------------------------------------------------------------

    def taken(self, key: str) -> bool:
        """True when a sent or pending digest holds the article with this dedupe key."""
        conn = self._connect()
        if conn is None:
            return False
        row = conn.execute(
            "SELECT 1 FROM digest_articles a JOIN digests d ON d.id = a.digest_id "
            "WHERE a.key = ? AND d.status IN ('pending', 'sent') LIMIT 1",
            (key,),
        ).fetchone()
        return row is not None

    def taken_by(self, keys: Iterable[str]) -> dict[str, str]:
        """Which of ``keys`` a sent or pending digest holds, and which digest."""
        conn = self._connect()
        if conn is None:
            return {}
        out: dict[str, str] = {}
        for key in keys:
            row = conn.execute(
                "SELECT d.id FROM digest_articles a JOIN digests d ON d.id = a.digest_id "
                "WHERE a.key = ? AND d.status IN ('pending', 'sent') LIMIT 1",
                (key,),
            ).fetchone()
            if row is not None:
                out[key] = row[0]
        return out

    def _record(self, row: tuple[object, ...]) -> DigestRecord:
        (
            id_,
            date,
            created,
            subject,
            status,
            eml,
            sender,
            rcpts,
            pending,
            refused,
            attempts,
            err,
            sent_at,
        ) = row
        return DigestRecord(
            id=str(id_),
            digest_date=str(date),
            created=str(created),
            subject=str(subject),
            status=str(status),
            eml_path=str(eml) if eml else None,
            sender=str(sender) if sender else None,
            recipients=json.loads(str(rcpts)),
            pending_to=json.loads(str(pending)),
            refused=json.loads(str(refused)),
            attempts=int(str(attempts)),
            last_error=str(err) if err else None,
            sent_at=str(sent_at) if sent_at else None,
        )

    _COLUMNS = (
        "id, digest_date, created, subject, status, eml_path, sender, recipients, pending_to, refused, "
        "attempts, last_error, sent_at"
    )

    def get(self, digest_id: str) -> DigestRecord | None:
        conn = self._connect()
        if conn is None:
            return None
        row = conn.execute(f"SELECT {self._COLUMNS} FROM digests WHERE id = ?", (digest_id,)).fetchone()
        return self._record(row) if row else None

    def pending(self) -> list[DigestRecord]:
        """Digests still waiting in the outbox, oldest first."""
        conn = self._connect()
        if conn is None:
            return []
        rows = conn.execute(
            f"SELECT {self._COLUMNS} FROM digests WHERE status = 'pending' ORDER BY created, id"
        ).fetchall()
        return [self._record(r) for r in rows]

    def history(self, limit: int = 20) -> list[DigestRecord]:
        """The latest digests, newest first."""
        conn = self._connect()
        if conn is None:
            return []
        rows = conn.execute(
            f"SELECT {self._COLUMNS} FROM digests ORDER BY created DESC, id DESC LIMIT ?", (limit,)
        ).fetchall()
        return [self._record(r) for r in rows]

    def articles(self, digest_id: str) -> list[LedgerArticle]:
        conn = self._connect()
        if conn is None:
            return []
        rows = conn.execute(
            "SELECT key, article_id, origin, title, source, url FROM digest_articles WHERE digest_id = ? "
            "ORDER BY rowid",
            (digest_id,),
        ).fetchall()
        return [LedgerArticle(*r) for r in rows]

    # --- writing ---------------------------------------------------------------------------------

    def _writable(self) -> sqlite3.Connection:
        if self.readonly:
            raise LedgerError(f"ledger {self.path} is open read-only")
        conn = self._connect()
        assert conn is not None  # a writable ledger always connects or raises
        return conn

    def add_pending(self, record: DigestRecord, articles: list[LedgerArticle]) -> None:
        """Record a digest about to be sent, and take its articles; refuse if another digest holds one."""
        conn = self._writable()
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                held = self.taken_by(a.key for a in articles)
                if held:
                    raise LedgerError(
                        f"{len(held)} article(s) of digest {record.id} already went out in digest "
                        f"{sorted(set(held.values()))[0]}; build the digest again"
                    )
                conn.execute(
                    f"INSERT INTO digests ({self._COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        record.id,
                        record.digest_date,
                        record.created,
                        record.subject,
                        "pending",
                        record.eml_path,
                        record.sender,
                        json.dumps(record.recipients),
                        json.dumps(record.pending_to),
                        json.dumps(record.refused),
                        0,
                        None,
                        None,
                    ),
                )
                conn.executemany(
                    "INSERT INTO digest_articles (digest_id, key, article_id, origin, title, source, url) "
                    "VALUES (?,?,?,?,?,?,?)",
                    [(record.id, a.key, a.article_id, a.origin, a.title, a.source, a.url) for a in articles],
                )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as e:
            raise LedgerError(f"ledger {self.path}: {e}") from e

    def _update(self, sql: str, args: tuple[object, ...]) -> None:
        try:
            self._writable().execute(sql, args)
        except sqlite3.Error as e:
            raise LedgerError(f"ledger {self.path}: {e}") from e

    def mark_attempt(
        self, digest_id: str, *, pending_to: list[str], refused: dict[str, str], error: str | None
    ) -> None:
        """After an attempt that left some recipients to retry: who is left, who refused, and why."""
        self._update(
            "UPDATE digests SET attempts = attempts + 1, pending_to = ?, refused = ?, last_error = ? "
            "WHERE id = ?",
            (json.dumps(pending_to), json.dumps(refused), error, digest_id),
        )

    def mark_sent(self, digest_id: str, *, refused: dict[str, str], eml_path: str | None = None) -> None:
        """The digest reached every recipient that will ever get it: its articles are sent."""
        self._update(
            "UPDATE digests SET status = 'sent', attempts = attempts + 1, pending_to = '[]', refused = ?, "
            "sent_at = ?, eml_path = COALESCE(?, eml_path) WHERE id = ?",
            (json.dumps(refused), _now(), eml_path, digest_id),
        )

    def mark_failed(self, digest_id: str, *, error: str, eml_path: str | None = None) -> None:
        """The server refused the digest for good: release its articles for the next digest."""
        self._update(
            "UPDATE digests SET status = 'failed', attempts = attempts + 1, last_error = ?, "
            "eml_path = COALESCE(?, eml_path) WHERE id = ?",
            (error, eml_path, digest_id),
        )
