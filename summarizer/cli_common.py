"""What every command shares: the exit-code table, one-line errors, the backend options, settings from
options, the date option's check and the status line's default.

Kept apart from :mod:`summarizer.cli` so that command modules (``summarizer.digest.cli``) import it
without importing the main command group: either can be imported first.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from summarizer.errors import (
    BackendError,
    BriefError,
    ConfigError,
    DeliveryError,
    DigestBusyError,
    InputError,
    ModelNotInstalledError,
    SummarizerError,
    TemporaryDeliveryError,
    one_line,
)

F = TypeVar("F", bound=Callable[..., Any])

#: The exit code of each kind of error, the one place they are decided (the README's "Exit codes"
#: and ``summarizer digest --help``). An error takes the code of the nearest class of its MRO here.
EXIT_CODES: dict[type[BaseException], int] = {
    SummarizerError: 1,
    InputError: 2,  # bad input (and GoldError, an InputError)
    ConfigError: 2,
    ModelNotInstalledError: 3,
    BackendError: 4,
    BriefError: 5,
    DeliveryError: 6,  # the mail server refused the digest for good
    TemporaryDeliveryError: 75,  # EX_TEMPFAIL: the digest waits in the outbox
    DigestBusyError: 75,  # another digest run holds the lock
    KeyboardInterrupt: 130,
}


def exit_code(error: BaseException | type[BaseException]) -> int:
    """The exit code of an error (or of an error class), from :data:`EXIT_CODES`; 1 for any other."""
    kind = error if isinstance(error, type) else type(error)
    return next((EXIT_CODES[c] for c in kind.__mro__ if c in EXIT_CODES), 1)


def fail(message: str, code: int = 1) -> None:
    """Print ``summarizer: error: MESSAGE`` on stderr and exit with ``code``."""
    from summarizer.redact import scrub

    click.echo(f"summarizer: error: {scrub(message)}", err=True)
    sys.exit(code)


def handle_errors(func: F) -> F:
    """Turn package errors (and a few OS ones) into one line on stderr and an exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except SummarizerError as e:
            fail(one_line(e), exit_code(e))
        except KeyboardInterrupt as e:
            fail("interrupted", exit_code(e))
        except BrokenPipeError:
            sys.exit(0)

    return wrapper  # type: ignore[return-value]


def backend_options(func: F) -> F:
    """Options that choose and configure the LLM backend (shared by every command that briefs)."""
    options = [
        click.option(
            "--backend",
            type=click.Choice(["embedded", "openai"]),
            help="LLM backend. Default: 'openai' when a base URL is configured (--base-url, "
            "SUMMARIZER_BASE_URL, config file), else 'embedded'; an API key alone never selects 'openai'.",
        ),
        click.option(
            "--base-url",
            help="OpenAI-compatible endpoint, e.g. http://localhost:8000/v1 [SUMMARIZER_BASE_URL].",
        ),
        click.option("--api-key", help="API key for the endpoint [SUMMARIZER_API_KEY, OPENAI_API_KEY]."),
        click.option(
            "--model",
            help="Remote model name, or embedded model: qwen2.5-coder-1.5b (default), small (0.5B) "
            "[SUMMARIZER_MODEL].",
        ),
        click.option(
            "--model-path",
            type=click.Path(dir_okay=False),
            help="Run any GGUF file on the embedded engine [SUMMARIZER_MODEL_PATH].",
        ),
        click.option(
            "--structured-output",
            type=click.Choice(["json_schema", "json_object"]),
            help="How a remote endpoint is asked for schema-constrained JSON: "
            "json_schema (OpenAI, vLLM, Ollama, "
            "llama-server) or json_object (llama-cpp-python's server) [SUMMARIZER_STRUCTURED_OUTPUT].",
        ),
        click.option(
            "--max-reasks", type=click.IntRange(0, 10), help="Re-asks per step after a validation failure."
        ),
        click.option(
            "--cache-dir",
            type=click.Path(file_okay=False),
            help="Brief cache directory [SUMMARIZER_CACHE_DIR].",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def parse_date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    """Click callback of a ``YYYY-MM-DD`` option (``summarize --published``, ``digest --date``)."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form") from None


def show_progress(flag: bool | None = None) -> bool:
    """Whether to show the status line (:mod:`summarizer.progress`): as asked, else when stderr is a
    terminal."""
    return sys.stderr.isatty() if flag is None else flag


def settings_from(**kwargs: Any) -> Any:
    """Resolve settings from command options (None means 'not given')."""
    from summarizer.config import resolve_settings

    return resolve_settings(**{k: v for k, v in kwargs.items() if v is not None})


def check_output_path(output: str) -> None:
    """Refuse an ``-o`` file that cannot be written, before any LLM call is paid for."""
    import tempfile
    from pathlib import Path

    from summarizer.errors import InputError

    path = Path(output)
    folder = path.parent
    if path.is_dir():
        raise InputError(f"-o {output}: is a folder")
    if not folder.is_dir():
        raise InputError(f"-o {output}: no such folder {folder}")
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=f".{path.name}.", suffix=".check"):
            pass
    except OSError as e:
        raise InputError(f"-o {output}: cannot write in {folder} ({e.strerror or e})") from e


def write_atomically(output: str, text: str) -> None:
    """Write ``text`` to a temporary file beside ``output``, then rename it over ``output``: a reader
    (or a failed run) never sees a half-written or truncated file."""
    import os
    import tempfile
    from pathlib import Path

    from summarizer.errors import InputError

    path = Path(output)
    tmp: str | None = None
    try:
        mode = path.stat().st_mode & 0o7777 if path.exists() else None
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, path)
        tmp = None
    except OSError as e:
        raise InputError(f"{output}: cannot write ({e.strerror or e})") from e
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
