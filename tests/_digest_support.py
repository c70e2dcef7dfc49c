"""Shared pieces of the digest tests: fixture briefs, a briefer that serves them, a real SMTP server.

The briefs under ``tests/data/briefs/`` are written by hand from the corpus articles (000, 002, 004):
the summaries, events, figures and attributions are what each article says, and every evidence quote
is copied verbatim from the article (``test_digest_merge`` checks that). They stand in for the
pipeline's output until recorded cassettes exist; ``meta.backend`` is ``"hand-written"``.

The SMTP server is aiosmtpd on 127.0.0.1 (a real server on loopback, with AUTH), started per test.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email
import email.policy
import os
import shutil
import socket
import ssl
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from summarizer.digest.config import SmtpConfig
from summarizer.inputs import Article
from summarizer.schema import ArticleBrief

BRIEFS = Path(__file__).resolve().parent / "data" / "briefs"
CORPUS_000 = "000_8449cddc9f5e7774"
CORPUS_002 = "002_d47aa0b70ac3c6f1"
CORPUS_004 = "004_acd604f23db3c241"
USER, PASSWORD = "editor-bot", "s3cret-Pa55word"


def load_brief(stem: str) -> ArticleBrief:
    """A hand-written fixture brief (see the module docstring)."""
    return ArticleBrief.model_validate_json((BRIEFS / f"{stem}.json").read_text(encoding="utf-8"))


def fixture_briefs() -> dict[str, ArticleBrief]:
    return {p.stem: load_brief(p.stem) for p in sorted(BRIEFS.glob("*.json"))}


def simple_brief(
    article: Article,
    *,
    headline: str = "A short English headline about the article",
    text: str = "An English summary of the article in two sentences. It is made up for a test.",
    source: str | None = None,
    events: list[dict[str, Any]] | None = None,
) -> ArticleBrief:
    """A valid brief for a test article (English fields may carry hostile text such as markup)."""
    kp_en = [{"text": f"English key point number {i}.", "sentences": [1]} for i in range(1, 4)]
    kp_ar = [{"text": f"نقطة رئيسية رقم {i} باللغة العربية.", "sentences": [1]} for i in range(1, 4)]
    return ArticleBrief.model_validate(
        {
            "article": {
                "id": article.id,
                "title": article.title,
                "source": source or article.source,
                "url": article.url,
                "published": article.published.isoformat() if article.published else None,
                "sentences": [{"id": i, "text": s} for i, s in enumerate(article.sentences(), 1)],
            },
            "summary": {
                "en": {"headline": headline, "text": text, "key_points": kp_en},
                "ar": {
                    "headline": "عنوان عربي قصير للمقال",
                    "text": "ملخص عربي للمقال في جملتين للاختبار.",
                    "key_points": kp_ar,
                },
            },
            "events": events or [],
            "meta": {
                "backend": "hand-written",
                "model": "test",
                "prompt_version": "test",
                "created": "2024-01-01T00:00:00Z",
            },
        }
    )


class FixtureBriefer:
    """A ``Briefer`` serving the hand-written briefs by corpus file name, else ``extra`` by file stem.

    ``fail`` maps a file stem to the exception to raise; ``calls`` records every article briefed.
    """

    def __init__(
        self, extra: dict[str, ArticleBrief] | None = None, fail: dict[str, Exception] | None = None
    ) -> None:
        self.briefs = fixture_briefs()
        self.extra = extra or {}
        self.fail = fail or {}
        self.calls: list[str] = []

    def __call__(self, article: Article) -> ArticleBrief:
        stem = Path(article.name.split("#", 1)[0]).stem
        self.calls.append(article.name)
        if stem in self.fail:
            raise self.fail[stem]
        if stem in self.briefs:
            return self.briefs[stem].model_copy(deep=True)
        if article.name in self.extra:
            return self.extra[article.name]
        return self.extra.get(stem) or simple_brief(article)


def make_inbox(root: Path, corpus: Path, stems: list[str], *, mtime: dt.datetime | None = None) -> Path:
    """An inbox folder holding copies of corpus articles (with ``mtime`` as their arrival time)."""
    inbox = root / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    for stem in stems:
        target = inbox / f"{stem}.txt"
        shutil.copy(corpus / f"{stem}.txt", target)
        if mtime is not None:
            stamp = mtime.timestamp()
            os.utime(target, (stamp, stamp))
    return inbox


def set_mtime(path: Path, when: dt.datetime) -> None:
    os.utime(path, (when.timestamp(), when.timestamp()))


def parse_email(data: bytes) -> EmailMessage:
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def parts(message: EmailMessage) -> tuple[str, str]:
    """(plain text, HTML) of a digest: multipart/alternative, alone or first in multipart/mixed."""
    assert message.get_content_type() in ("multipart/alternative", "multipart/mixed")
    if message.get_content_type() == "multipart/mixed":
        first = next(iter(message.iter_parts()))
        assert first.get_content_type() == "multipart/alternative"
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert plain is not None and html is not None
    return str(plain.get_content()), str(html.get_content())


def attachment(message: EmailMessage) -> tuple[str, str]:
    """(file name, HTML) of the digest's attached page."""
    [attached] = list(message.iter_attachments())
    assert attached.get_content_type() == "text/html"
    return str(attached.get_filename()), str(attached.get_content())


@pytest.fixture
def digest_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No SMTP or digest settings from the developer's shell; ledger and outbox under ``tmp_path``."""
    for name in list(os.environ):
        if name.startswith(("SUMMARIZER_SMTP_", "SUMMARIZER_DIGEST_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("SUMMARIZER_DIGEST_CONFIG", str(tmp_path / "digest.toml"))
    monkeypatch.setenv("SUMMARIZER_DIGEST_LEDGER", str(tmp_path / "state" / "ledger.sqlite3"))
    monkeypatch.setenv("SUMMARIZER_DIGEST_OUTBOX", str(tmp_path / "state" / "outbox"))
    return tmp_path


# --- a real SMTP server on loopback ------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    authenticated: bool | None

    @property
    def message(self) -> EmailMessage:
        return parse_email(self.data)


@dataclass
class RecordingHandler:
    """Accepts mail, or answers with ``data_reply`` / per-recipient ``rcpt_replies`` when they are set."""

    messages: list[Received] = field(default_factory=list)
    data_reply: str | None = None
    rcpt_replies: dict[str, str] = field(default_factory=dict)
    attempts: int = 0

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        reply = self.rcpt_replies.get(address)
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.attempts += 1
        if self.data_reply:
            return self.data_reply
        content = envelope.content if isinstance(envelope.content, bytes) else envelope.content.encode()
        self.messages.append(
            Received(
                envelope.mail_from, list(envelope.rcpt_tos), content, getattr(session, "authenticated", None)
            )
        )
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    host: str
    port: int
    handler: RecordingHandler
    tls: str = "none"
    ca_file: str | None = None

    def config(self, **overrides: Any) -> SmtpConfig:
        values: dict[str, Any] = {
            "host": self.host,
            "port": self.port,
            "tls": self.tls,
            "username": USER,
            "password": PASSWORD,
            "sender": "digest@newsroom.test",
            "timeout": 10.0,
            "ca_file": self.ca_file,
        }
        values.update(overrides)
        return SmtpConfig(**values)

    def env(self, monkeypatch: pytest.MonkeyPatch, **overrides: str) -> None:
        """Point the SUMMARIZER_SMTP_* variables at this server."""
        values = {
            "SUMMARIZER_SMTP_HOST": self.host,
            "SUMMARIZER_SMTP_PORT": str(self.port),
            "SUMMARIZER_SMTP_TLS": self.tls,
            "SUMMARIZER_SMTP_USER": USER,
            "SUMMARIZER_SMTP_PASSWORD": PASSWORD,
            "SUMMARIZER_SMTP_FROM": "digest@newsroom.test",
        }
        if self.ca_file:
            values["SUMMARIZER_SMTP_CA_FILE"] = self.ca_file
        values.update(overrides)
        for key, value in values.items():
            monkeypatch.setenv(key, value)


def _authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> Any:
    from aiosmtpd.smtp import AuthResult, LoginPassword

    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == USER.encode()
        and (auth_data.password == PASSWORD.encode())
    )
    return AuthResult(success=ok, handled=False)


@contextlib.contextmanager
def run_smtp_server(
    *, tls: str = "none", cert: tuple[str, str] | None = None, port: int | None = None
) -> Iterator[SmtpServer]:
    """Start aiosmtpd on 127.0.0.1 with AUTH required (plain text allowed only on loopback)."""
    from aiosmtpd.controller import Controller

    handler = RecordingHandler()
    kwargs: dict[str, Any] = {
        "authenticator": _authenticator,
        "auth_required": True,
        "auth_require_tls": False,
    }
    if tls != "none":
        assert cert is not None
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*cert)
        if tls == "ssl":
            kwargs["ssl_context"] = context
        else:
            kwargs["tls_context"] = context
            kwargs["require_starttls"] = True
    port = port or free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    try:
        yield SmtpServer("127.0.0.1", port, handler, tls=tls, ca_file=cert[0] if cert else None)
    finally:
        controller.stop()


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    with run_smtp_server() as server:
        yield server


@pytest.fixture(scope="session")
def self_signed_cert(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A certificate for 127.0.0.1 made with the openssl command (skips when it is missing)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl command is not installed; TLS delivery tests need it to make a certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return str(cert), str(key)
