"""Keep secrets out of every message: anything key-shaped, and the configured keys themselves.

A server may echo the key it was sent (``Incorrect API key provided: Bearer sk-…``); an error message,
a log line or a warning built from its answer would then print it. :func:`scrub` replaces

* ``Bearer …`` and ``Basic …`` credentials, ``sk-…``/``pk-…``/``rk-…`` style keys,
  ``api_key=…``/``token: …``/``password=…`` pairs and the password in ``scheme://user:password@host``;
* every secret registered with :func:`register_secret` (the configured API key: see
  :func:`summarizer.config.resolve_settings`), wherever it appears.

:class:`~summarizer.errors.SummarizerError` scrubs its message when it is made, the CLI scrubs each line
it prints, and :class:`ScrubFilter` scrubs log records.
"""

from __future__ import annotations

import logging
import re
import threading

MASK = "***"

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(Bearer|Basic|Token)(\s+)[A-Za-z0-9._~+/=:-]{6,}", re.IGNORECASE), r"\1\2" + MASK),
    (re.compile(r"\b(sk|pk|rk|ak)-[A-Za-z0-9_\-]{8,}"), MASK),
    (
        re.compile(
            r"\b(api[_-]?key|apikey|access[_-]?token|auth[_-]?token|token|secret|password|passwd)"
            r"(\"?'?\s*[:=]\s*\"?'?)[^\s\"',;&)}]{4,}",
            re.IGNORECASE,
        ),
        r"\1\2" + MASK,
    ),
    (re.compile(r"(://[^/\s:@]+:)[^@\s/]+@"), r"\1" + MASK + "@"),
]

_secrets: set[str] = set()
_lock = threading.Lock()

#: Shorter values are not registered: masking them would garble ordinary words.
MIN_SECRET_LENGTH = 6


def register_secret(value: str | None) -> None:
    """Mask ``value`` wherever it appears in a scrubbed message from now on (this process)."""
    if value and len(value.strip()) >= MIN_SECRET_LENGTH:
        with _lock:
            _secrets.add(value.strip())


def scrub(text: str) -> str:
    """``text`` with every registered secret and anything key-shaped masked."""
    if not text:
        return text
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class ScrubFilter(logging.Filter):
    """A logging filter that scrubs each record's message (arguments merged in first)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the handler
            return True
        cleaned = scrub(message)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        if record.exc_info and record.exc_info[1] is not None and not record.exc_text:
            record.exc_text = scrub(logging.Formatter().formatException(record.exc_info))
        return True


__all__ = ["MASK", "ScrubFilter", "register_secret", "scrub"]
