"""summarizer: structured bilingual briefs and typed event lists from Arabic news articles.

>>> from summarizer import summarize
>>> brief = summarize("article.txt", published="2023-03-24")   # doctest: +SKIP
>>> brief.summary.en.headline                                    # doctest: +SKIP
"""

from __future__ import annotations

__version__ = "0.1.0"

from summarizer.api import (
    BriefResult,
    Summarizer,
    asummarize,
    asummarize_many,
    get_summarizer,
    summarize,
    summarize_many,
)
from summarizer.errors import (
    BackendError,
    BriefError,
    ConfigError,
    InputError,
    ModelNotInstalledError,
    SummarizerError,
)
from summarizer.schema import ArticleBrief, Event

__all__ = [
    "ArticleBrief",
    "BackendError",
    "BriefError",
    "BriefResult",
    "ConfigError",
    "Event",
    "InputError",
    "ModelNotInstalledError",
    "Summarizer",
    "SummarizerError",
    "__version__",
    "asummarize",
    "asummarize_many",
    "get_summarizer",
    "summarize",
    "summarize_many",
]
