"""Digest configuration: SMTP, recipients, ledger and outbox, resolved in one documented order.

For every setting the first of these that gives a value wins:

1. the explicit argument (a CLI option, or a keyword of the Python API);
2. the environment (``SUMMARIZER_SMTP_*``, ``SUMMARIZER_DIGEST_*``);
3. the digest config file, ``digest.toml`` in the user's config directory (or ``$SUMMARIZER_DIGEST_CONFIG``);
4. the default.

The SMTP password is never logged, printed or written anywhere: it is excluded from ``repr`` and no
error message includes it. Nothing is read at import time.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

import platformdirs

from summarizer.compat import tomllib
from summarizer.config import resolve_value
from summarizer.errors import ConfigError

APP = "summarizer"

TlsMode = Literal["starttls", "ssl", "none"]
TLS_MODES: tuple[str, ...] = ("starttls", "ssl", "none")
#: The usual port of each TLS mode.
DEFAULT_PORTS: dict[str, int] = {"starttls": 587, "ssl": 465, "none": 25}

#: SMTP setting -> (environment variable, key in the ``[smtp]`` table of digest.toml).
SMTP_SOURCES: dict[str, tuple[str, str]] = {
    "host": ("SUMMARIZER_SMTP_HOST", "host"),
    "port": ("SUMMARIZER_SMTP_PORT", "port"),
    "tls": ("SUMMARIZER_SMTP_TLS", "tls"),
    "username": ("SUMMARIZER_SMTP_USER", "user"),
    "password": ("SUMMARIZER_SMTP_PASSWORD", "password"),
    "sender": ("SUMMARIZER_SMTP_FROM", "from"),
    "timeout": ("SUMMARIZER_SMTP_TIMEOUT", "timeout"),
    "ca_file": ("SUMMARIZER_SMTP_CA_FILE", "ca_file"),
}

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d|w)?\s*$", re.I)
_UNIT_SECONDS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(value: str | dt.timedelta) -> dt.timedelta:
    """Parse ``24h``, ``90m``, ``2d``, ``1w`` or ``3600`` (seconds) into a positive timedelta."""
    if isinstance(value, dt.timedelta):
        delta = value
    else:
        m = _DURATION.match(value)
        if not m:
            raise ConfigError(f"{value!r} is not a duration; use a number and a unit, e.g. 24h, 90m, 2d")
        delta = dt.timedelta(seconds=float(m.group(1)) * _UNIT_SECONDS[(m.group(2) or "s").lower()])
    if delta.total_seconds() < 0:
        raise ConfigError(f"duration {value!r} must not be negative")
    return delta


def digest_config_path() -> Path:
    """The digest config file consulted (it need not exist)."""
    env = os.environ.get("SUMMARIZER_DIGEST_CONFIG")
    return Path(env) if env else Path(platformdirs.user_config_dir(APP)) / "digest.toml"


def read_digest_config(path: Path | None = None) -> dict[str, Any]:
    """The digest config file as a dict (empty when it does not exist)."""
    path = path or digest_config_path()
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ConfigError(f"digest config file {path}: {e}") from e
    known = {"inbox", "to", "from", "ledger", "outbox", "late", "smtp", "outlets", "archive", "archive_url"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(f"digest config file {path}: unknown setting(s) {', '.join(unknown)}")
    smtp = data.get("smtp", {})
    if not isinstance(smtp, dict):
        raise ConfigError(f"digest config file {path}: [smtp] must be a table")
    unknown = sorted(set(smtp) - {key for _, key in SMTP_SOURCES.values()})
    if unknown:
        raise ConfigError(f"digest config file {path}: unknown [smtp] setting(s) {', '.join(unknown)}")
    outlets = data.get("outlets", {})
    if not isinstance(outlets, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in outlets.items()
    ):
        raise ConfigError(
            f"digest config file {path}: [outlets] maps file patterns to outlet names, "
            'e.g. "afp-*.txt" = "AFP"'
        )
    return data


def data_dir() -> Path:
    """Where the digest keeps its ledger, lock and outbox by default."""
    return Path(platformdirs.user_data_dir(APP)) / "digest"


def resolve_ledger_path(explicit: str | Path | None = None, file: dict[str, Any] | None = None) -> Path:
    """The ledger's SQLite file: argument, ``$SUMMARIZER_DIGEST_LEDGER``, digest.toml, data dir."""
    value = resolve_value(explicit, "SUMMARIZER_DIGEST_LEDGER", file or {}, "ledger")
    return Path(value).expanduser() if value else data_dir() / "ledger.sqlite3"


def resolve_outbox_dir(explicit: str | Path | None = None, file: dict[str, Any] | None = None) -> Path:
    """The outbox folder: argument, ``$SUMMARIZER_DIGEST_OUTBOX``, digest.toml, data dir."""
    value = resolve_value(explicit, "SUMMARIZER_DIGEST_OUTBOX", file or {}, "outbox")
    return Path(value).expanduser() if value else data_dir() / "outbox"


def resolve_archive(
    explicit: str | Path | None = None, file: dict[str, Any] | None = None, url: str | None = None
) -> tuple[Path | None, str | None]:
    """The archive folder and the URL it is served at: argument, ``$SUMMARIZER_DIGEST_ARCHIVE`` (and
    ``_ARCHIVE_URL``), digest.toml's ``archive`` (and ``archive_url``); no archive by default."""
    folder = resolve_value(explicit, "SUMMARIZER_DIGEST_ARCHIVE", file or {}, "archive")
    url = resolve_value(url, "SUMMARIZER_DIGEST_ARCHIVE_URL", file or {}, "archive_url")
    if url and not re.match(r"^https?://[^/\s]+", str(url)):
        raise ConfigError(f"archive URL {url!r} must be an http(s) URL")
    return (Path(folder).expanduser() if folder else None), (str(url) if url else None)


def split_addresses(values: str | list[str] | tuple[str, ...] | None) -> list[str]:
    """Addresses given as a list, or as one string separated by commas, semicolons or spaces."""
    if not values:
        return []
    items = [values] if isinstance(values, str) else list(values)
    out: list[str] = []
    for item in items:
        for addr in re.split(r"[,;\s]+", str(item)):
            if addr and addr not in out:
                out.append(addr)
    return out


_ADDRESS = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+$")


def check_addresses(addresses: list[str], what: str = "recipient") -> list[str]:
    """Raise :class:`ConfigError` unless every address looks like ``name@domain``."""
    for addr in addresses:
        if not _ADDRESS.match(addr):
            raise ConfigError(f"{what} {addr!r} is not an email address (name@domain)")
    return addresses


def resolve_recipients(
    explicit: list[str] | tuple[str, ...] | None, file: dict[str, Any] | None = None
) -> list[str]:
    """Recipients: arguments, ``$SUMMARIZER_DIGEST_TO``, ``to`` in digest.toml."""
    value = resolve_value(list(explicit) if explicit else None, "SUMMARIZER_DIGEST_TO", file or {}, "to")
    return check_addresses(split_addresses(value))


@dataclass(frozen=True)
class SmtpConfig:
    """How to reach the mail server. Build with :meth:`resolve` to read the environment and config file."""

    host: str
    """Mail server host name."""
    port: int = 587
    """Mail server port (587 for STARTTLS, 465 for implicit TLS, 25 for none)."""
    tls: TlsMode = "starttls"
    """``starttls`` (upgrade a plain connection), ``ssl`` (implicit TLS) or ``none`` (plain text)."""
    username: str | None = None
    """Login for SMTP AUTH; no login when None."""
    password: str | None = field(default=None, repr=False)
    """Password for SMTP AUTH; never logged or printed."""
    sender: str | None = None
    """The From address."""
    timeout: float = 30.0
    """Seconds before a connection or a command times out."""
    ca_file: str | None = None
    """A CA bundle to verify the server's certificate with (e.g. an internal relay's CA)."""

    @classmethod
    def resolve(
        cls, *, file: dict[str, Any] | None = None, require_sender: bool = True, **explicit: Any
    ) -> SmtpConfig:
        """Resolve each setting from ``explicit`` keywords, the environment, then digest.toml's ``[smtp]``."""
        unknown = set(explicit) - set(SMTP_SOURCES)
        if unknown:
            raise ConfigError(f"unknown SMTP setting(s): {', '.join(sorted(unknown))}")
        section: dict[str, Any] = dict((read_digest_config() if file is None else file).get("smtp", {}))
        if file is not None and "from" in file and "from" not in section:
            section["from"] = file["from"]
        values = {
            name: resolve_value(explicit.get(name), env, section, key)
            for name, (env, key) in SMTP_SOURCES.items()
        }
        host = values["host"]
        if not host:
            raise ConfigError(
                "no SMTP server configured: set SUMMARIZER_SMTP_HOST (and _PORT, _TLS, _USER, _PASSWORD, "
                "_FROM) or add an [smtp] table to " + str(digest_config_path())
            )
        tls = str(values["tls"] or "starttls").lower()
        if tls not in TLS_MODES:
            raise ConfigError(f"SMTP TLS mode must be one of {', '.join(TLS_MODES)}, not {tls!r}")
        try:
            port = int(values["port"]) if values["port"] is not None else DEFAULT_PORTS[tls]
            timeout = float(values["timeout"]) if values["timeout"] is not None else 30.0
        except (TypeError, ValueError) as e:
            raise ConfigError(f"SMTP port and timeout must be numbers ({e})") from None
        if not 0 < port < 65536:
            raise ConfigError(f"SMTP port {port} is out of range")
        username = values["username"] or None
        password = values["password"]
        if password and not username:
            raise ConfigError("an SMTP password is set but no user: set SUMMARIZER_SMTP_USER too")
        sender = values["sender"] or (username if username and "@" in str(username) else None)
        if sender:
            check_addresses([str(sender)], "sender (SUMMARIZER_SMTP_FROM)")
        elif require_sender:
            raise ConfigError("no sender address: set SUMMARIZER_SMTP_FROM or pass --from")
        return cls(
            host=str(host),
            port=port,
            tls=cast(TlsMode, tls),
            username=str(username) if username else None,
            password=str(password) if password else None,
            sender=str(sender) if sender else None,
            timeout=timeout,
            ca_file=str(values["ca_file"]) if values["ca_file"] else None,
        )

    def describe(self) -> str:
        """The server as it may appear in messages: never the password."""
        who = f"{self.username}@" if self.username else ""
        return f"{who}{self.host}:{self.port} ({self.tls})"
