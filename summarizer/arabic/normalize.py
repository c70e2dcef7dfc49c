"""Arabic text normalization for matching, and locating quotes in an article.

Two things live here:

* :func:`normalize_ar` folds the spelling variation that does not change meaning (diacritics,
  tatweel, alef/yeh/teh-marbuta forms, quote marks, commas, digit shapes, Latin case, spacing) so
  that two writings of the same words compare equal. It is for *matching* only: never show its
  output to a reader.
* :func:`find_span` checks an evidence quote from the model against the article and returns the
  article's own words: exactly (after normalization) or, for a near miss, the most similar span of
  the article of about the same length.

Both work character by character so that every normalized character can be traced back to the
original character it came from; :func:`find_span` relies on that to cut the original text.
"""

from __future__ import annotations

import difflib
import functools
import unicodedata
from dataclasses import dataclass

__all__ = [
    "MONTHS_AR",
    "WEEKDAYS_AR",
    "find_span",
    "normalize_ar",
    "normalize_ar_loose",
    "split_proclitics",
]

# Harakat, tanwin, shadda, sukun, hamza above/below as combining marks, and other marks (U+064B-065F);
# superscript (dagger) alef U+0670; Quranic annotation signs; tatweel U+0640.
_DELETE: frozenset[str] = frozenset(
    [chr(c) for c in range(0x064B, 0x0660)]
    + [chr(c) for c in range(0x0610, 0x061B)]
    + [chr(c) for c in range(0x06D6, 0x06DD)]
    + [chr(c) for c in range(0x06DF, 0x06E9)]
    + [chr(c) for c in range(0x06EA, 0x06EE)]
    + ["\u0670", "\u0640"]
    # Invisible formatting characters: zero-width (non-)joiners, direction marks, BOM, soft hyphen.
    + ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u061c", "\ufeff", "\u00ad"]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
)

#: Characters that join words in the original but only separate them for matching: quote marks,
#: Arabic and Latin commas and semicolons. They become a space (then spaces collapse).
_QUOTES_AND_COMMAS: frozenset[str] = frozenset("\"“”«»„‟'‘’‚‛‹›`´″،,؛;")

_REPLACE: dict[str, str] = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ى": "ي",
    "ة": "ه",
    "ی": "ي",  # Farsi yeh, common in text copied from Persian keyboards
    "ک": "ك",  # Keheh
    "٫": ".",  # Arabic decimal separator
    "٬": ",",  # Arabic thousands separator (then treated as a comma)
    "٪": "%",
}
for _i in range(10):
    _REPLACE[chr(0x0660 + _i)] = str(_i)  # Arabic-Indic digits
    _REPLACE[chr(0x06F0 + _i)] = str(_i)  # Extended Arabic-Indic (Persian/Urdu) digits


@functools.lru_cache(maxsize=4096)
def _fold_char(ch: str, loose: bool) -> str:
    """What one original character becomes: ``""`` (dropped), ``" "`` (a separator) or its folded form."""
    if ch in _DELETE:
        return ""
    if ch.isspace():
        return " "
    ch = _REPLACE.get(ch, ch)
    if ch in _QUOTES_AND_COMMAS:
        return " "
    if ord(ch) > 0x7F:
        # Presentation forms (ﻻ, ﺍ…), full-width Latin, ligatures: fold to their plain letters.
        decomposed = unicodedata.normalize("NFKC", ch)
        if decomposed != ch:
            return "".join(_fold_char(c, loose) for c in decomposed)
    if loose and unicodedata.category(ch)[0] in "PS" and ch != "%":
        return " "
    return ch.lower()


def _fold(text: str, loose: bool) -> tuple[str, list[int]]:
    """Normalize ``text`` and return it with, for each output character, the index it came from."""
    out: list[str] = []
    origin: list[int] = []
    pending_space = False
    for i, ch in enumerate(text):
        folded = _fold_char(ch, loose)
        if not folded:
            continue
        for f in folded:
            if f == " ":
                pending_space = bool(out)
                continue
            if pending_space:
                out.append(" ")
                origin.append(i)
                pending_space = False
            out.append(f)
            origin.append(i)
    return "".join(out), origin


def normalize_ar(text: str) -> str:
    """Normalize Arabic text for matching (never for display).

    Removes diacritics (harakat, tanwin, shadda, sukun, superscript alef) and tatweel; unifies
    alef forms (أ إ آ ٱ → ا), alef maqsura (ى → ي) and ta marbuta (ة → ه); turns quote marks
    (" “ ” « » „ ' ‘ ’), Arabic and Latin commas and semicolons into spaces; converts Arabic-Indic
    and Extended Arabic-Indic digits to ASCII; lowercases Latin letters; collapses whitespace.

    Args:
        text: Any text.

    Returns:
        The normalized text, stripped.

    Example:
        >>> normalize_ar("قُتل ١١ مقاتلاً «موالياً» لإيران")
        'قتل 11 مقاتلا مواليا لايران'
    """
    return _normalize_short(text) if len(text) <= _SHORT else _normalize_long(text)


#: The checks of one brief normalize the same few hundred sentences, and the article itself, hundreds
#: of times: each is normalized once and remembered. Short texts (a sentence, a phrase, a name) get a
#: large memo, long ones (whole articles: one or two per brief in flight) a small one, so that the
#: memory they hold stays at a few MB whatever the run.
_SHORT = 1000


@functools.lru_cache(maxsize=8192)
def _normalize_short(text: str) -> str:
    return _fold(text, loose=False)[0]


@functools.lru_cache(maxsize=256)
def _normalize_long(text: str) -> str:
    return _fold(text, loose=False)[0]


def normalize_ar_loose(text: str) -> str:
    """Like :func:`normalize_ar`, and every other punctuation mark or symbol becomes a space too.

    Used to compare quotes, where a dropped full stop, dash or bracket should not matter.
    """
    return _fold(text, loose=True)[0]


#: Weekday names, normalized (:func:`normalize_ar`), to Python's ``date.weekday()`` (Monday = 0).
WEEKDAYS_AR: dict[str, int] = {
    "الاثنين": 0,
    "الثلاثاء": 1,
    "الاربعاء": 2,
    "الخميس": 3,
    "الجمعه": 4,
    "السبت": 5,
    "الاحد": 6,
}

#: Month names, normalized: Egyptian/Gulf (يناير…) and Levantine/Iraqi (كانون الثاني…), to 1-12.
MONTHS_AR: dict[str, int] = {
    "يناير": 1, "كانون الثاني": 1,
    "فبراير": 2, "شباط": 2,
    "مارس": 3, "اذار": 3,
    "ابريل": 4, "نيسان": 4,
    "مايو": 5, "ايار": 5,
    "يونيو": 6, "يونيه": 6, "حزيران": 6,
    "يوليو": 7, "يوليه": 7, "تموز": 7,
    "اغسطس": 8, "اب": 8,
    "سبتمبر": 9, "ايلول": 9,
    "اكتوبر": 10, "تشرين الاول": 10,
    "نوفمبر": 11, "تشرين الثاني": 11,
    "ديسمبر": 12, "كانون الاول": 12,
}  # fmt: skip


def split_proclitics(token: str) -> list[tuple[str, str]]:
    """Ways to read a normalized Arabic word as proclitics + stem, the unsplit reading first.

    Proclitics are the conjunctions و ف, the prepositions ب ل ك and the article ال, e.g.
    ``"والجمعه"`` → ``[("", "والجمعه"), ("و", "الجمعه"), ("وال", "جمعه")]``; ``"للميادين"`` (ل + ال)
    gives ``("لل", "الميادين")`` and ``("لل", "ميادين")``. Stems shorter than two letters are skipped.

    Args:
        token: One word, already normalized with :func:`normalize_ar`.

    Returns:
        ``(prefix, stem)`` pairs; ``prefix + stem == token`` except for ل + ال, written «لل».
    """
    out: list[tuple[str, str]] = [("", token)]

    def add(prefix: str, stem: str) -> None:
        if len(stem) >= 2 and (prefix, stem) not in out:
            out.append((prefix, stem))
        if stem.startswith("ال") and len(stem) >= 4:
            out.append((prefix + "ال", stem[2:]))

    if token.startswith("ال") and len(token) >= 4:
        out.append(("ال", token[2:]))
    rests: list[tuple[str, str]] = []
    if token[:1] in ("و", "ف") and len(token) > 2:
        rests.append((token[0], token[1:]))
    rests.append(("", token))
    for conj, rest in rests:
        if conj:
            add(conj, rest)
        if rest.startswith("لل") and len(rest) > 3:
            # ل + ال is written «لل»: «للميادين» = ل + الميادين.
            out.append((conj + "لل", "ال" + rest[2:]))
            out.append((conj + "لل", rest[2:]))
        elif rest[:1] in ("ب", "ل", "ك") and len(rest) > 2:
            add(conj + rest[0], rest[1:])
    return out


@dataclass(frozen=True)
class _Folded:
    """A text folded for matching, with its tokens and the way back to the original."""

    original: str
    norm: str
    origin: list[int]
    tokens: list[str]
    starts: list[int]
    """Start offset of each token in ``norm``."""
    ends: list[int]
    """End offset (exclusive) of each token in ``norm``."""


@functools.lru_cache(maxsize=16)
def _folded(text: str) -> _Folded:
    # Cached: a pipeline checks about ten quotes against the same article.
    norm, origin = _fold(text, loose=True)
    tokens: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for tok in norm.split(" "):
        if tok:
            tokens.append(tok)
            starts.append(pos)
            ends.append(pos + len(tok))
        pos += len(tok) + 1
    return _Folded(text, norm, origin, tokens, starts, ends)


def _original_span(f: _Folded, norm_start: int, norm_end: int) -> str:
    """The original text behind ``f.norm[norm_start:norm_end]``, with trailing diacritics kept."""
    start = f.origin[norm_start]
    end = f.origin[norm_end - 1] + 1
    # Marks after the last letter (tanwin in «مقاتلاً», a shadda) belong to it.
    while end < len(f.original) and f.original[end] in _DELETE:
        end += 1
    return f.original[start:end].strip()


def _exact(f: _Folded, q: str) -> str | None:
    """The original span behind the first occurrence of ``q`` in the folded article, whole words first."""
    first = -1
    pos = f.norm.find(q)
    while pos != -1:
        if first == -1:
            first = pos
        end = pos + len(q)
        if (pos == 0 or f.norm[pos - 1] == " ") and (end == len(f.norm) or f.norm[end] == " "):
            return _original_span(f, pos, end)
        pos = f.norm.find(q, pos + 1)
    if first == -1:
        return None
    return _original_span(f, first, first + len(q))


#: Fuzzy matching needs at least this many words in the quote: shorter quotes match too much by chance.
MIN_FUZZY_WORDS = 3
#: How many candidate regions of the article are aligned in detail.
_CANDIDATES = 6


def _candidate_starts(f: _Folded, qtokens: list[str]) -> list[int]:
    """Article token positions where a window of the quote's length shares most words with it."""
    m = len(qtokens)
    wanted = set(qtokens)
    hits = [1 if t in wanted else 0 for t in f.tokens]
    n = len(hits)
    if n == 0:
        return []
    width = min(m, n)
    window = sum(hits[:width])
    scores = [window]
    for i in range(1, n - width + 1):
        window += hits[i + width - 1] - hits[i - 1]
        scores.append(window)
    floor = max(1, int(0.3 * m))
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    chosen: list[int] = []
    for i in order:
        if scores[i] < floor or len(chosen) >= _CANDIDATES:
            break
        if all(abs(i - c) >= max(1, m // 2) for c in chosen):
            chosen.append(i)
    return chosen


def _align(f: _Folded, qtokens: list[str], start: int) -> tuple[int, int]:
    """Token window of the article aligned with the quote around candidate ``start``."""
    m = len(qtokens)
    lo = max(0, start - m // 2)
    hi = min(len(f.tokens), start + m + m // 2)
    sm = difflib.SequenceMatcher(None, f.tokens[lo:hi], qtokens, autojunk=False)
    blocks = [b for b in sm.get_matching_blocks() if b.size]
    if not blocks:
        return start, min(len(f.tokens), start + m)
    first, last = blocks[0], blocks[-1]
    # Quote words before the first / after the last matching word were changed or dropped: widen
    # the window by as many article words, so a changed first or last word is still covered.
    a_start = max(lo, lo + first.a - first.b)
    a_end = min(hi, lo + last.a + last.size + (m - last.b - last.size))
    return a_start, max(a_end, a_start + 1)


def find_span(quote: str, article_text: str, min_ratio: float = 0.85) -> str | None:
    """Find ``quote`` in ``article_text`` and return the article's own words for it.

    The quote and the article are compared after :func:`normalize_ar_loose` (diacritics, quote
    marks, punctuation, digit shapes and spacing do not matter).

    * When the normalized quote occurs in the normalized article, the original span behind it is
      returned verbatim (original diacritics, quote marks and spelling).
    * Otherwise, for quotes of at least :data:`MIN_FUZZY_WORDS` words, the span of the article
      (whole words, about as long as the quote) most similar to it is returned when its similarity
      (``difflib`` ratio over the normalized characters) is at least ``min_ratio``: a changed
      word, a small omission or different punctuation is repaired to what the article says.
    * Otherwise ``None``: the quote is not in the article.

    Args:
        quote: The quote to check, e.g. an event's evidence string from the model.
        article_text: The article, as the model saw it.
        min_ratio: Least similarity (0-1) for a near miss to count.

    Returns:
        A substring of ``article_text``, or ``None``.
    """
    q = normalize_ar_loose(quote)
    if not q:
        return None
    f = _folded(article_text)
    exact = _exact(f, q)
    if exact is not None:
        return exact
    qtokens = q.split(" ")
    if len(qtokens) < MIN_FUZZY_WORDS or not f.tokens:
        return None

    best_ratio = 0.0
    best: tuple[int, int] | None = None
    seen: set[tuple[int, int]] = set()
    for cand in _candidate_starts(f, qtokens):
        a_start, a_end = _align(f, qtokens, cand)
        # The alignment is at word level; let the edges move by one word to find the best cut.
        for ds in (0, -1, 1):
            for de in (0, 1, -1):
                s, e = a_start + ds, a_end + de
                if s < 0 or e > len(f.tokens) or e <= s or (s, e) in seen:
                    continue
                seen.add((s, e))
                window = f.norm[f.starts[s] : f.ends[e - 1]]
                sm = difflib.SequenceMatcher(None, window, q, autojunk=False)
                floor = max(min_ratio, best_ratio)
                if sm.real_quick_ratio() < floor or sm.quick_ratio() < floor:
                    continue  # cheap upper bounds first
                ratio = sm.ratio()
                if ratio > best_ratio:
                    best_ratio, best = ratio, (s, e)
    if best is None or best_ratio < min_ratio:
        return None
    s, e = best
    return _original_span(f, f.starts[s], f.ends[e - 1])
