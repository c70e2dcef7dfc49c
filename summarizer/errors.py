"""One small error hierarchy. The CLI turns any of these into one line on stderr and a non-zero exit."""

from __future__ import annotations


class SummarizerError(Exception):
    """Base class of every error this package raises on purpose.

    Its message is scrubbed when it is made (:func:`summarizer.redact.scrub`): a key that a server
    echoed back never reaches the screen, a log or a digest.
    """

    exit_code = 1

    def __init__(self, *args: object):
        from summarizer.redact import scrub

        super().__init__(*(scrub(a) if isinstance(a, str) else a for a in args))


class InputError(SummarizerError):
    """The article could not be read or is not an Arabic news article (missing, empty, binary, no Arabic)."""

    exit_code = 2


class ConfigError(SummarizerError):
    """The configuration is invalid or incomplete."""

    exit_code = 2


class ModelNotInstalledError(SummarizerError):
    """The embedded engine or model is not installed, or its file is missing or corrupt."""

    exit_code = 3


class BackendError(SummarizerError):
    """The LLM backend failed after its transport retries (server down, refused, timed out)."""

    exit_code = 4


class BriefError(SummarizerError):
    """The model never produced a valid answer for an article, even after re-asking."""

    exit_code = 5

    def __init__(self, message: str, *, article: str | None = None, last_error: str | None = None):
        super().__init__(message)
        self.article = article
        self.last_error = last_error
