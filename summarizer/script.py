"""Which script a text is written in: Arabic fields must be Arabic, English fields Latin."""

from __future__ import annotations

import re

_ARABIC_LETTER = re.compile(
    r"[\u0620-\u064A\u066E-\u06D3\u06FA-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]"
)
_LATIN_LETTER = re.compile(r"[A-Za-z\u00C0-\u024F]")


def script_counts(text: str) -> tuple[int, int]:
    """Return (Arabic letters, Latin letters) in ``text``."""
    return len(_ARABIC_LETTER.findall(text)), len(_LATIN_LETTER.findall(text))


def has_arabic(text: str) -> bool:
    """True when ``text`` contains at least one Arabic letter."""
    return _ARABIC_LETTER.search(text) is not None


def is_arabic(text: str, min_share: float = 0.6) -> bool:
    """True when most letters of ``text`` are Arabic (names in Latin script may appear)."""
    ar, la = script_counts(text)
    return ar > 0 and ar / (ar + la) >= min_share


def is_english(text: str, max_arabic_share: float = 0.05) -> bool:
    """True when ``text`` is in Latin script, with at most a trace of Arabic."""
    ar, la = script_counts(text)
    return la > 0 and ar / (ar + la) <= max_arabic_share


def check_arabic(text: str, field: str) -> None:
    """Raise ``ValueError`` (a validation error for Pydantic) unless ``text`` is Arabic."""
    if not is_arabic(text):
        raise ValueError(f"{field} must be written in Arabic script, got {text[:60]!r}")


def check_english(text: str, field: str) -> None:
    """Raise ``ValueError`` unless ``text`` is English in Latin script."""
    if not is_english(text):
        raise ValueError(f"{field} must be written in English (Latin script), got {text[:60]!r}")
