"""One small error hierarchy, and the one way an error becomes one line of text.

Each class is a kind of failure; the command line maps kinds to exit codes in one table
(:data:`summarizer.cli_common.EXIT_CODES`) and prints :func:`one_line` of the error.
"""

from __future__ import annotations


def first_line(text: str) -> str:
    """The first line of ``text`` that is not blank, stripped; ``""`` when there is none."""
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def one_line(error: BaseException, *, with_type: bool = False) -> str:
    """An error in one line, for a status line, a warning, a report or a digest.

    The first non-blank line of its message, or its type's name when the message is empty (an empty
    message never raises); ``with_type`` puts the type's name first (``ValueError: bad value``), for
    errors no code path expected. Scrubbed (:func:`summarizer.redact.scrub`): no key-shaped text and
    no configured key, whatever the message says.
    """
    from summarizer.redact import scrub

    name = type(error).__name__
    text = first_line(str(error))
    if with_type:
        return scrub(f"{name}: {text}" if text else name)
    return scrub(text or name)


class SummarizerError(Exception):
    """Base class of every error this package raises on purpose.

    Its message is scrubbed when it is made (:func:`summarizer.redact.scrub`): a key that a server
    echoed back never reaches the screen, a log or a digest.
    """

    def __init__(self, *args: object):
        from summarizer.redact import scrub

        super().__init__(*(scrub(a) if isinstance(a, str) else a for a in args))


class InputError(SummarizerError):
    """The article could not be read or is not an Arabic news article (missing, empty, binary, no Arabic)."""


class ConfigError(SummarizerError):
    """The configuration is invalid or incomplete."""


class ModelNotInstalledError(SummarizerError):
    """The embedded engine or model is not installed, or its file is missing or corrupt."""


class BackendError(SummarizerError):
    """The LLM backend failed after its transport retries (server down, refused, timed out)."""


class BriefError(SummarizerError):
    """The model never produced a valid answer for an article, even after re-asking."""

    def __init__(self, message: str, *, article: str | None = None, last_error: str | None = None):
        super().__init__(message)
        self.article = article
        self.last_error = last_error


class DeliveryError(SummarizerError):
    """The mail server refused the digest for good (a 5xx reply, failed login, or TLS failure)."""


class TemporaryDeliveryError(SummarizerError):
    """The digest could not be sent now (server down, 4xx reply); it waits in the outbox for the next run."""


class DigestBusyError(SummarizerError):
    """Another digest run holds the lock."""
