"""One small error hierarchy. Each class is a kind of failure; the command line maps kinds to exit
codes in one table (:data:`summarizer.cli_common.EXIT_CODES`) and prints the message in one line."""

from __future__ import annotations


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
