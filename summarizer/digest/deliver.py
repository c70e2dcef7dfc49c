"""Delivering a digest so that nothing is lost and nothing is sent twice.

The order of a run, under one lock (``filelock``, next to the ledger) so two runs never overlap:

1. **Retry the outbox.** Every digest the ledger still lists as pending is sent again from its
   ``.eml`` file, byte for byte (same Message-ID), to the recipients that have not received it.
2. **Build** the new digest (articles already taken by a sent *or pending* digest are left out).
3. **Keep, record, send.** The ``.eml`` is written to the outbox, the digest and its articles are
   recorded as pending in the ledger, then the message goes to the SMTP server.

Outcomes: accepted by the server -> *sent*, the ``.eml`` is removed from the outbox. Server down,
connection refused or timed out, or a temporary 4xx reply -> still *pending*: the ``.eml`` stays in
the outbox and the next run retries it before building its own digest (exit code 75). A permanent
5xx reply -> *failed*: the ``.eml`` moves to ``outbox/failed/`` for inspection, the ledger releases
its articles so the next digest carries them, and the error is reported with exit code 6. When the
server accepts some recipients and refuses others, the accepted ones are never sent it again; the
temporarily refused ones are retried, the permanently refused ones reported.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import email.policy
import ipaddress
import os
import smtplib
import ssl
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import filelock

from summarizer.arabic.gazetteer import PlaceLookup
from summarizer.digest.archive import write_archive
from summarizer.digest.build import DEFAULT_LATE, Briefer, build_digest
from summarizer.digest.config import SmtpConfig, check_addresses, resolve_ledger_path, resolve_outbox_dir
from summarizer.digest.ledger import DigestRecord, Ledger, LedgerArticle
from summarizer.digest.types import Digest
from summarizer.errors import ConfigError

# The digest's errors live in summarizer.errors with the others (the CLI's exit-code table names them);
# they stay importable from here.
from summarizer.errors import DeliveryError as DeliveryError
from summarizer.errors import DigestBusyError as DigestBusyError
from summarizer.errors import TemporaryDeliveryError as TemporaryDeliveryError

if TYPE_CHECKING:
    from summarizer.config import Settings

DeliveryStatus = Literal["sent", "pending", "failed", "dry-run"]


class _Temporary(Exception):
    """Worth retrying later."""


class _Unreachable(_Temporary):
    """The server could not be reached at all (down, refused, timed out)."""


class _Permanent(Exception):
    """Retrying the same message will fail the same way."""


@dataclass
class Delivery:
    """What became of one digest's delivery attempt."""

    digest_id: str
    subject: str
    status: DeliveryStatus
    delivered: list[str] = field(default_factory=list)
    """Recipients the server accepted in this attempt."""
    pending: list[str] = field(default_factory=list)
    """Recipients still to be sent it (retried on the next run)."""
    refused: dict[str, str] = field(default_factory=dict)
    """Recipients the server refused for good, with its reply."""
    error: str | None = None
    eml_path: Path | None = None
    retry: bool = False
    """True when this was a retry of a digest kept in the outbox."""
    unreachable: bool = False
    """True when the server could not be reached at all."""

    def describe(self) -> str:
        """One line for the terminal."""
        what = f"{'retried ' if self.retry else ''}digest {self.digest_id}"
        if self.status == "dry-run":
            return f"{what}: dry run, not sent" + (f"; written to {self.eml_path}" if self.eml_path else "")
        if self.status == "sent":
            line = f"{what}: sent to {len(self.delivered)} recipient{'s' * (len(self.delivered) != 1)}"
            if self.refused:
                line += "; refused for good by the server for " + "; ".join(
                    f"{a} ({r})" for a, r in self.refused.items()
                )
            return line
        if self.status == "pending":
            done = f"sent to {', '.join(self.delivered)}; " if self.delivered else ""
            return (
                f"{what}: {done}not sent to {', '.join(self.pending)} ({self.error}); kept in the outbox as "
                f"{self.eml_path}, it will be retried on the next run"
            )
        return (
            f"{what}: the mail server refused it for good ({self.error}); the message is kept as "
            f"{self.eml_path} and its articles will go into the next digest once the cause is fixed"
        )

    def raise_for_status(self) -> None:
        """Raise :class:`DeliveryError` if refused for good, :class:`TemporaryDeliveryError` if pending."""
        if self.status == "failed" or self.refused:
            raise DeliveryError(self.describe())
        if self.status == "pending":
            raise TemporaryDeliveryError(self.describe())


# --- SMTP ----------------------------------------------------------------------------------------------


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_smtp(config: SmtpConfig) -> None:
    """Refuse settings that would leak the password: login over plain text to a non-loopback host."""
    if config.tls == "none" and config.username and not _is_loopback(config.host):
        raise ConfigError(
            f"refusing to send the SMTP password unencrypted to {config.host}: set SUMMARIZER_SMTP_TLS to "
            "starttls or ssl (plain text is allowed only to a relay on this machine)"
        )


def _reply(code: int, message: bytes | str) -> str:
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)
    return f"{code} {' '.join(text.split())}"


def _by_code(code: int, message: bytes | str, stage: str) -> Exception:
    reply = _reply(code, message)
    return _Temporary(f"{stage}: {reply}") if 400 <= code < 500 else _Permanent(f"{stage}: {reply}")


@contextlib.contextmanager
def _session(config: SmtpConfig) -> Iterator[smtplib.SMTP]:
    """A logged-in SMTP session; errors become :class:`_Temporary` or :class:`_Permanent`."""
    where = f"{config.host}:{config.port}"
    client: smtplib.SMTP | None = None
    try:
        context = ssl.create_default_context(cafile=config.ca_file) if config.tls != "none" else None
        if config.tls == "ssl":
            client = smtplib.SMTP_SSL(config.host, config.port, timeout=config.timeout, context=context)
        else:
            client = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
        client.ehlo()
        if config.tls == "starttls":
            client.starttls(context=context)
            client.ehlo()
        if config.username:
            client.login(config.username, config.password or "")
    except smtplib.SMTPAuthenticationError as e:
        _close(client)
        raise _Permanent(
            f"login as {config.username} at {where} failed: {_reply(e.smtp_code, e.smtp_error)}"
        ) from None
    except smtplib.SMTPNotSupportedError as e:
        _close(client)
        raise _Permanent(f"{where}: {e} (check SUMMARIZER_SMTP_TLS and the login settings)") from None
    except (smtplib.SMTPConnectError, smtplib.SMTPHeloError) as e:
        _close(client)
        raise _by_code(e.smtp_code, e.smtp_error, f"{where} refused the connection") from None
    except smtplib.SMTPResponseException as e:
        _close(client)
        raise _by_code(e.smtp_code, e.smtp_error, f"{where}") from None
    except ssl.SSLCertVerificationError as e:
        _close(client)
        raise _Permanent(
            f"{where}: the server's TLS certificate did not verify ({e.verify_message}); "
            "set SUMMARIZER_SMTP_CA_FILE to its CA"
        ) from None
    except smtplib.SMTPServerDisconnected as e:
        _close(client)
        raise _Temporary(f"{where} closed the connection ({e or 'no reason given'})") from None
    except smtplib.SMTPException as e:
        _close(client)
        raise _Permanent(f"{where}: {e}") from None
    except (TimeoutError, OSError) as e:
        _close(client)
        raise _Unreachable(f"cannot reach the mail server {where} ({e.strerror or e})") from None
    try:
        yield client
    finally:
        _close(client, polite=True)


def _close(client: smtplib.SMTP | None, polite: bool = False) -> None:
    if client is None:
        return
    try:
        if polite:
            client.quit()
        else:
            client.close()
    except (smtplib.SMTPException, OSError):
        client.close()


def smtp_send(
    data: bytes, sender: str, recipients: Sequence[str], config: SmtpConfig
) -> tuple[list[str], dict[str, tuple[int, str]]]:
    """Send the raw message; return the accepted recipients and the refused ones with the server's reply.

    Raises:
        _Temporary: nothing was sent and retrying later may work.
        _Permanent: nothing was sent and retrying will fail the same way.
    """
    check_smtp(config)
    with _session(config) as client:
        try:
            refused_raw = client.sendmail(sender, list(recipients), data)
        except smtplib.SMTPRecipientsRefused as e:
            refused = {a: (code, _reply(code, msg)) for a, (code, msg) in e.recipients.items()}
            if all(400 <= code < 500 for code, _ in refused.values()):
                raise _Temporary(
                    "every recipient was refused for now: "
                    + "; ".join(f"{a} ({r})" for a, (_, r) in refused.items())
                ) from None
            return [], refused
        except smtplib.SMTPSenderRefused as e:
            raise _by_code(e.smtp_code, e.smtp_error, f"sender {sender} refused") from None
        except smtplib.SMTPDataError as e:
            raise _by_code(e.smtp_code, e.smtp_error, "message refused") from None
        except smtplib.SMTPServerDisconnected as e:
            raise _Temporary(f"the server closed the connection while sending ({e})") from None
        except smtplib.SMTPResponseException as e:
            raise _by_code(e.smtp_code, e.smtp_error, "send failed") from None
        except (TimeoutError, OSError) as e:
            raise _Temporary(f"connection lost while sending ({e.strerror or e})") from None
    refused = {a: (code, _reply(code, msg)) for a, (code, msg) in refused_raw.items()}
    return [r for r in recipients if r not in refused], refused


# --- outbox --------------------------------------------------------------------------------------------


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".eml", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _move_to_failed(eml: Path | None) -> Path | None:
    if eml is None or not eml.is_file():
        return eml
    target = eml.parent / "failed" / eml.name
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(eml, target)
    return target


def message_bytes(digest: Digest, sender: str, to: Sequence[str], *, for_smtp: bool = True) -> bytes:
    """The digest's email as bytes: CRLF line ends for SMTP and the outbox, LF for reading on a terminal."""
    message = digest.to_message(sender=sender, to=to)
    return message.as_bytes(policy=email.policy.SMTP if for_smtp else email.policy.default)


def _attempt(record: DigestRecord, data: bytes, config: SmtpConfig, ledger: Ledger, retry: bool) -> Delivery:
    eml = Path(record.eml_path) if record.eml_path else None
    base: dict[str, Any] = {"digest_id": record.id, "subject": record.subject, "retry": retry}
    sender = record.sender or config.sender or ""
    try:
        accepted, refused_now = smtp_send(data, sender, record.pending_to, config)
    except _Temporary as e:
        ledger.mark_attempt(record.id, pending_to=record.pending_to, refused=record.refused, error=str(e))
        return Delivery(
            **base,
            status="pending",
            pending=list(record.pending_to),
            error=str(e),
            eml_path=eml,
            unreachable=isinstance(e, _Unreachable),
        )
    except _Permanent as e:
        moved = _move_to_failed(eml)
        ledger.mark_failed(record.id, error=str(e), eml_path=str(moved) if moved else None)
        return Delivery(**base, status="failed", error=str(e), eml_path=moved)
    later = [a for a, (code, _) in refused_now.items() if 400 <= code < 500]
    refused = dict(record.refused)
    refused.update({a: reply for a, (code, reply) in refused_now.items() if not 400 <= code < 500})
    if later:
        error = "; ".join(f"{a} ({refused_now[a][1]})" for a in later)
        ledger.mark_attempt(record.id, pending_to=later, refused=refused, error=error)
        return Delivery(
            **base,
            status="pending",
            delivered=accepted,
            pending=later,
            refused=refused,
            error=error,
            eml_path=eml,
        )
    if not set(record.recipients) - set(refused):
        moved = _move_to_failed(eml)
        error = "every recipient was refused: " + "; ".join(f"{a} ({r})" for a, r in refused.items())
        ledger.mark_failed(record.id, error=error, eml_path=str(moved) if moved else None)
        return Delivery(**base, status="failed", refused=refused, error=error, eml_path=moved)
    ledger.mark_sent(record.id, refused=refused)
    if eml is not None:
        with contextlib.suppress(FileNotFoundError):
            eml.unlink()
    return Delivery(**base, status="sent", delivered=accepted, refused=refused, eml_path=None)


def retry_outbox(config: SmtpConfig, ledger: Ledger) -> list[Delivery]:
    """Send again every digest the ledger lists as pending, oldest first (one attempt each)."""
    out: list[Delivery] = []
    server_down: str | None = None
    for record in ledger.pending():
        eml = Path(record.eml_path) if record.eml_path else None
        base: dict[str, Any] = {"digest_id": record.id, "subject": record.subject, "retry": True}
        if eml is None or not eml.is_file():
            error = f"its outbox file {eml} is missing"
            ledger.mark_failed(record.id, error=error)
            out.append(
                Delivery(**base, status="failed", error=error + "; its articles go into the next digest")
            )
            continue
        if server_down:  # do not knock on a door that just did not open: keep it for the next run
            ledger.mark_attempt(
                record.id, pending_to=record.pending_to, refused=record.refused, error=server_down
            )
            out.append(
                Delivery(
                    **base,
                    status="pending",
                    pending=record.pending_to,
                    error=server_down,
                    eml_path=eml,
                    unreachable=True,
                )
            )
            continue
        delivery = _attempt(record, eml.read_bytes(), config, ledger, retry=True)
        if delivery.unreachable:
            server_down = delivery.error
        out.append(delivery)
    return out


def _lock(ledger_path: Path, timeout: float) -> filelock.BaseFileLock:
    ledger_path.parent.mkdir(parents=True, exist_ok=True)
    return filelock.FileLock(str(ledger_path) + ".lock", timeout=timeout)


@contextlib.contextmanager
def digest_lock(ledger_path: Path, timeout: float = 0.0) -> Iterator[None]:
    """Hold the digest lock, or raise :class:`DigestBusyError` after ``timeout`` seconds."""
    lock = _lock(ledger_path, timeout)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise DigestBusyError(
            f"another digest run is in progress (lock {lock.lock_file} is held); this run sends nothing"
        ) from None
    try:
        yield
    finally:
        lock.release()


def _send_new(
    digest: Digest,
    to: list[str],
    config: SmtpConfig,
    ledger: Ledger,
    outbox: Path,
    *,
    skip: str | None = None,
) -> Delivery:
    sender = config.sender or ""
    data = message_bytes(digest, sender, to)
    eml = outbox / f"{digest.id}.eml"
    _write_atomic(eml, data)
    record = DigestRecord(
        id=digest.id,
        digest_date=digest.date.isoformat(),
        created=digest.created.astimezone(dt.timezone.utc).isoformat(timespec="seconds"),
        subject=digest.subject,
        status="pending",
        eml_path=str(eml),
        sender=sender,
        recipients=list(to),
        pending_to=list(to),
        refused={},
    )
    articles = [
        LedgerArticle(
            key=b.item.key,
            article_id=b.brief.article.id,
            origin=b.item.origin,
            title=b.brief.article.title or b.item.article.title,
            source=b.outlet,
            url=b.brief.article.url or b.item.article.url,
        )
        for b in digest.articles
    ]
    try:
        ledger.add_pending(record, articles)
    except BaseException:
        eml.unlink(missing_ok=True)
        raise
    if skip:
        ledger.mark_attempt(record.id, pending_to=record.pending_to, refused={}, error=skip)
        return Delivery(
            digest.id, digest.subject, "pending", pending=list(to), error=skip, eml_path=eml, unreachable=True
        )
    return _attempt(record, data, config, ledger, retry=False)


def _dry_run(digest: Digest, to: list[str], sender: str, outbox: Path | None) -> tuple[Delivery, bytes]:
    data = message_bytes(digest, sender, to or ["editors@localhost"], for_smtp=outbox is not None)
    path = None
    if outbox is not None:
        path = outbox / "dry-run" / f"{digest.id}.eml"
        _write_atomic(path, data)
    return Delivery(digest.id, digest.subject, "dry-run", eml_path=path), data


def _dry_sender(sender: str | None, smtp: SmtpConfig | None) -> str:
    return (
        sender
        or (smtp.sender if smtp else None)
        or os.environ.get("SUMMARIZER_SMTP_FROM")
        or "summarizer@localhost"
    )


def _smtp_config(recipients: list[str], smtp: SmtpConfig | None, sender: str | None) -> SmtpConfig:
    if not recipients:
        raise ConfigError("no recipients: pass --to ADDR or set SUMMARIZER_DIGEST_TO")
    config = smtp or SmtpConfig.resolve(sender=sender)
    if sender:
        config = dataclasses.replace(config, sender=check_addresses([sender], "sender")[0])
    if not config.sender:
        raise ConfigError("no sender address: set SUMMARIZER_SMTP_FROM or pass --from")
    check_smtp(config)
    return config


def send_digest(
    digest: Digest,
    to: Sequence[str],
    *,
    smtp: SmtpConfig | None = None,
    outbox: str | Path | None = None,
    ledger: str | Path | None = None,
    dry_run: bool = False,
    sender: str | None = None,
    lock_timeout: float = 0.0,
    send_empty: bool = False,
) -> Delivery | None:
    """Send a built digest to ``to``; None when it is not sent: it holds no article (with
    ``send_empty``, a digest with nothing new is sent: a one-line "nothing new since ..." email).

    The digest is written to the outbox and recorded in the ledger before the first attempt, so a
    failure never loses it (see the module docstring). ``dry_run`` writes the ``.eml`` to
    ``outbox/dry-run/`` (when an outbox is given) without sending it or touching the ledger.

    Raises:
        LedgerError: an article of the digest already went out in another digest (build it again).
        DigestBusyError: another run holds the lock.
    """
    recipients = check_addresses(list(to))
    if not should_send(digest, send_empty=send_empty):
        return None
    if dry_run:
        return _dry_run(digest, recipients, _dry_sender(sender, smtp), Path(outbox) if outbox else None)[0]
    config = _smtp_config(recipients, smtp, sender)
    ledger_path = resolve_ledger_path(ledger)
    with digest_lock(ledger_path, lock_timeout), Ledger(ledger_path) as book:
        return _send_new(digest, recipients, config, book, resolve_outbox_dir(outbox))


def should_send(digest: Digest, *, send_empty: bool = False) -> bool:
    """Whether a built digest goes out: never when every item failed (the outage is the operator's,
    the run exits with the failure's code); when nothing is new, only with ``send_empty``."""
    if digest.all_failed:
        return False
    if digest.empty:
        return send_empty
    return True


def retry_pending(
    *, smtp: SmtpConfig | None = None, ledger: str | Path | None = None, lock_timeout: float = 0.0
) -> list[Delivery]:
    """Retry the outbox alone, under the lock (for a timer that retries more often than digests go out)."""
    config = smtp or SmtpConfig.resolve()
    check_smtp(config)
    ledger_path = resolve_ledger_path(ledger)
    with digest_lock(ledger_path, lock_timeout), Ledger(ledger_path) as book:
        return retry_outbox(config, book)


@dataclass
class RunReport:
    """What a digest run did: retries of the outbox, the new digest, and its delivery."""

    retried: list[Delivery]
    digest: Digest | None
    delivery: Delivery | None
    eml: bytes | None = None
    """The message of a dry run (for stdout)."""
    elapsed_s: float = 0.0
    archived: Path | None = None
    """The digest's page in the archive folder, when one was written."""

    @property
    def withheld(self) -> bool:
        """True when the new digest was not sent because every item failed."""
        return self.digest is not None and self.digest.all_failed

    @property
    def deliveries(self) -> list[Delivery]:
        return self.retried + ([self.delivery] if self.delivery else [])

    @property
    def exit_code(self) -> int:
        """The exit code ``summarizer digest`` gives this run, from the CLI's table
        (:data:`summarizer.cli_common.EXIT_CODES`): 0 when everything went out (or nothing was new);
        :class:`DeliveryError`'s when the server refused something for good; when every item failed,
        the most frequent code among the briefing failures, else among the items that could not be read
        (``BackendError``'s with the backend down);
        :class:`TemporaryDeliveryError`'s when some digest waits in the outbox."""
        from summarizer.cli_common import exit_code

        if any(d.status == "failed" or d.refused for d in self.deliveries):
            return exit_code(DeliveryError)
        if self.withheld and self.digest is not None:
            failures = self.digest.failures
            briefing = [exit_code(f.kind) for f in failures if f.stage == "brief"]
            codes = briefing or [exit_code(f.kind) for f in failures]
            return max(set(codes), key=lambda c: (codes.count(c), c)) if codes else 1
        if any(d.status == "pending" for d in self.deliveries):
            return exit_code(TemporaryDeliveryError)
        return 0


def run_digest(
    inbox: str | Path,
    to: Sequence[str],
    *,
    since: dt.timedelta | str | None = None,
    date: dt.date | str | None = None,
    late: dt.timedelta | str = DEFAULT_LATE,
    smtp: SmtpConfig | None = None,
    outbox: str | Path | None = None,
    ledger: str | Path | None = None,
    dry_run: bool = False,
    sender: str | None = None,
    briefer: Briefer | None = None,
    settings: Settings | None = None,
    concurrency: int | None = None,
    batch: str | None = None,
    batch_poll: float = 30.0,
    gazetteer: PlaceLookup | None = None,
    progress: bool = False,
    now: dt.datetime | None = None,
    lock_timeout: float = 0.0,
    templates_dir: str | Path | None = None,
    send_empty: bool = False,
    outlets: Mapping[str, str] | None = None,
    archive: str | Path | None = None,
    archive_url: str | None = None,
) -> RunReport:
    """The nightly job: retry the outbox, build the new digest, keep it, record it, send it.

    Everything happens under the digest lock. ``dry_run`` builds and renders without retrying, sending
    or writing the ledger or the archive; the message is in the report's ``eml`` (and in
    ``outbox/dry-run/`` when an outbox is given). Delivery problems do not raise: they are in the
    report (see :attr:`RunReport.exit_code` and :meth:`Delivery.raise_for_status`).

    Nothing new: nothing is sent, unless ``send_empty`` (a one-line "nothing new since ..." email).
    Every item failed (the backend is down, say): nothing is sent, the items stay untaken for the next
    run, and :attr:`RunReport.exit_code` is the failure's (4 for the backend). With ``archive``, the
    digest's full page is written to that folder (with an index) before it is sent; ``archive_url``
    is where the folder is served, for the email's link.
    """
    started = time.monotonic()
    recipients = check_addresses(list(to))
    ledger_path = resolve_ledger_path(ledger)

    def build(book: Ledger) -> Digest:
        return build_digest(
            inbox,
            since=since,
            date=date,
            late=late,
            briefer=briefer,
            settings=settings,
            concurrency=concurrency,
            batch=batch,
            batch_poll=batch_poll,
            ledger=book,
            gazetteer=gazetteer,
            progress=progress,
            now=now,
            templates_dir=templates_dir,
            outlets=outlets,
            archive=archive,
            archive_url=archive_url,
        )

    if dry_run:
        with Ledger(ledger_path, readonly=True) as book:
            digest = build(book)
        if not should_send(digest, send_empty=send_empty):
            return RunReport([], digest, None, elapsed_s=time.monotonic() - started)
        delivery, data = _dry_run(
            digest, recipients, _dry_sender(sender, smtp), Path(outbox) if outbox else None
        )
        return RunReport([], digest, delivery, eml=data, elapsed_s=time.monotonic() - started)
    config = _smtp_config(recipients, smtp, sender)
    outbox_dir = resolve_outbox_dir(outbox)
    with digest_lock(ledger_path, lock_timeout), Ledger(ledger_path) as book:
        retried = retry_outbox(config, book)
        down = next((d.error for d in retried if d.unreachable), None)
        digest = build(book)
        sent, archived = None, None
        if should_send(digest, send_empty=send_empty):
            if archive is not None and digest.page:
                archived = write_archive(archive, digest)
            sent = _send_new(digest, recipients, config, book, outbox_dir, skip=down)
    return RunReport(retried, digest, sent, elapsed_s=time.monotonic() - started, archived=archived)
