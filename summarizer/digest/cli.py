"""``summarizer digest``: the nightly email digest, a thin layer over :func:`summarizer.digest.run_digest`."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import click

from summarizer.cli_common import backend_options, handle_errors, parse_date, settings_from, show_progress
from summarizer.errors import ConfigError


@click.command("digest")
@click.option(
    "--inbox",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="SUMMARIZER_DIGEST_INBOX",
    help="Folder of .txt/.html/.htm articles and .xml/.rss/.atom feeds [SUMMARIZER_DIGEST_INBOX].",
)
@click.option(
    "--since", metavar="DURATION", help="Cover this span up to now, e.g. 24h, 90m, 2d (default 24h)."
)
@click.option(
    "--date", "day", metavar="YYYY-MM-DD", callback=parse_date, help="Cover this local calendar day instead."
)
@click.option(
    "--to",
    "to",
    multiple=True,
    metavar="ADDR",
    help="Recipient; repeat it or separate addresses with commas [SUMMARIZER_DIGEST_TO].",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Build the email and write it to stdout (or to OUTBOX/dry-run/) without sending it, "
    "retrying the outbox or writing the ledger.",
)
@click.option(
    "--outbox",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where unsent digests wait for the next run [SUMMARIZER_DIGEST_OUTBOX].",
)
@click.option(
    "--ledger",
    type=click.Path(dir_okay=False, path_type=Path),
    help="SQLite file recording what went out [SUMMARIZER_DIGEST_LEDGER].",
)
@click.option(
    "--late",
    metavar="DURATION",
    help="Also take items up to this much older than the window that no digest has sent (default 48h).",
)
@click.option("--from", "sender", metavar="ADDR", help="Sender address [SUMMARIZER_SMTP_FROM].")
@click.option(
    "--concurrency",
    type=click.IntRange(1, 256),
    help="Articles in flight at once: behind a server (default 8), or on the embedded engine, decoded "
    "together as parallel sequences (default: the width calibrated for this CPU; 1: one at a time).",
)
@click.option(
    "--batch",
    type=click.Choice(["openai", "vllm"]),
    help="Brief through a batch engine (summarizer batch): the OpenAI Batch API at --base-url, or "
    "vllm run-batch (the command to run is printed each round); the digest waits for the last round.",
)
@click.option(
    "--batch-poll",
    type=float,
    default=30.0,
    show_default=True,
    help="Seconds between polls of the batch engine.",
)
@click.option(
    "--retry-only",
    is_flag=True,
    help="Only retry the digests waiting in the outbox (no new digest): for a timer that retries often.",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Status line on stderr: step, article i/n, elapsed time (default: when a terminal).",
)
@click.option(
    "--send-empty",
    is_flag=True,
    help='With nothing new, still send a one-line "nothing new since ..." email (default: send nothing).',
)
@click.option(
    "--archive",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also write each digest's full page into this folder, with an index.html "
    "[SUMMARIZER_DIGEST_ARCHIVE].",
)
@click.option(
    "--archive-url",
    metavar="URL",
    help="Where the archive folder is served; the email links its page [SUMMARIZER_DIGEST_ARCHIVE_URL].",
)
@backend_options
@handle_errors
def digest(
    inbox: Path | None,
    since: str | None,
    day: dt.date | None,
    to: tuple[str, ...],
    dry_run: bool,
    outbox: Path | None,
    ledger: Path | None,
    late: str | None,
    sender: str | None,
    concurrency: int | None,
    batch: str | None,
    batch_poll: float,
    retry_only: bool,
    progress: bool | None,
    send_empty: bool,
    archive: Path | None,
    archive_url: str | None,
    **backend_kwargs: Any,
) -> None:
    """Email editors a digest of the inbox: an incidents table merged across outlets, then every brief.

    Each article is briefed through the cache (a re-run costs no LLM call); an article that cannot be
    processed is listed with the reason and never stops the digest. A ledger makes sure no article goes
    out twice; a digest the mail server cannot take now waits in the outbox and is retried first on
    the next run. SMTP settings come from SUMMARIZER_SMTP_HOST, _PORT, _TLS (starttls|ssl|none), _USER,
    _PASSWORD and _FROM, or from digest.toml (see docs/digest.md).

    The email holds the incidents, the statements and one line per article (under 100 KB); every brief
    in full is in the attached digest-YYYY-MM-DD.html (and in --archive DIR). With nothing new, nothing
    is sent (--send-empty: a one-line email); when every item failed, nothing is sent and the run
    exits with the failure's code.

    Exit codes: 0 sent (or nothing new); 6 the server refused it for good; 75 it waits in the outbox,
    or another run holds the lock; 2 a configuration error; every item failed: its code, as for
    summarize (4 the backend is down).
    """
    from summarizer.digest.config import (
        SmtpConfig,
        read_digest_config,
        resolve_archive,
        resolve_recipients,
    )
    from summarizer.digest.deliver import RunReport, retry_pending, run_digest

    if since is not None and day is not None:
        raise click.UsageError("give either --since or --date, not both")
    file_config = read_digest_config()
    if retry_only:
        smtp_config = SmtpConfig.resolve(file=file_config, sender=sender)
        retried = retry_pending(smtp=smtp_config, ledger=ledger or file_config.get("ledger"))
        for delivery in retried:
            click.echo(f"summarizer: {delivery.describe()}", err=True)
        if not retried:
            click.echo("summarizer: the outbox is empty: nothing to retry", err=True)
        code = RunReport(retried, None, None).exit_code
        if code:
            sys.exit(code)
        return
    inbox = inbox or (Path(file_config["inbox"]).expanduser() if file_config.get("inbox") else None)
    if inbox is None:
        raise click.UsageError("no inbox: pass --inbox DIR or set SUMMARIZER_DIGEST_INBOX")
    recipients = resolve_recipients(to, file_config)
    if not recipients and not dry_run:
        raise ConfigError("no recipients: pass --to ADDR or set SUMMARIZER_DIGEST_TO")
    smtp = None
    if not dry_run:  # check the mail settings before the (long) briefing, not after it
        smtp = SmtpConfig.resolve(file=file_config, sender=sender)
    if batch:  # a batch engine speaks the OpenAI API, whatever the default backend
        backend_kwargs = {**backend_kwargs, "backend": "openai"}
    settings = settings_from(**backend_kwargs)
    archive_dir, archive_link = resolve_archive(archive, file_config, archive_url)
    report = run_digest(
        inbox,
        recipients,
        since=since,
        date=day,
        late=late or file_config.get("late") or "48h",
        smtp=smtp,
        outbox=outbox or file_config.get("outbox"),
        ledger=ledger or file_config.get("ledger"),
        dry_run=dry_run,
        sender=sender,
        settings=settings,
        concurrency=concurrency,
        batch=batch,
        batch_poll=batch_poll,
        progress=show_progress(progress),
        send_empty=send_empty,
        outlets=file_config.get("outlets"),
        archive=archive_dir,
        archive_url=archive_link,
    )
    for delivery in report.retried:
        click.echo(f"summarizer: {delivery.describe()}", err=True)
    built = report.digest
    if built is not None and built.empty:
        s = built.stats
        what = "sending the nothing-new email" if report.delivery is not None else "nothing to send"
        click.echo(
            f"summarizer: {what} for {built.date.isoformat()}: no new article in the inbox "
            f"({s.already_sent} already sent, {s.outside} outside the window)",
            err=True,
        )
    elif built is not None and report.withheld:
        for failure in built.failures[:10]:
            click.echo(f"summarizer: error: {failure.reason}", err=True)
        if len(built.failures) > 10:
            click.echo(f"summarizer: error: ... and {len(built.failures) - 10} more", err=True)
        n = len(built.failures)
        click.echo(
            f"summarizer: error: every item failed ({n} of {n}): no digest sent; they stay pending and "
            "are tried again on the next run",
            err=True,
        )
    elif built is not None:
        for warning in built.warnings:
            click.echo(f"summarizer: warning: {warning}", err=True)
        click.echo(f"summarizer: {built.summary_line(report.elapsed_s)}", err=True)
    if report.archived is not None:
        click.echo(f"summarizer: archived as {report.archived}", err=True)
    if report.eml is not None and report.delivery is not None and report.delivery.eml_path is None:
        sys.stdout.buffer.write(report.eml)
        sys.stdout.flush()
    if report.delivery is not None:
        prefix = "error: " if report.delivery.status == "failed" or report.delivery.refused else ""
        click.echo(f"summarizer: {prefix}{report.delivery.describe()}", err=True)
    if report.exit_code:
        sys.exit(report.exit_code)
