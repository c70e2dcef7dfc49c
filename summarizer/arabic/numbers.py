"""Which numbers an article states: digits, Arabic number words, duals, and ACLED conventions.

Used to check a model's figures (killed, injured…) against the article: a figure the article does not
state is suspect. :func:`numbers_in_text` collects every count the text states;
:func:`supports_number` asks about one.

What counts as stated (decisions, with the reason for each):

* **Digits**, Western or Arabic-Indic (``14``, ``١٤``), thousands separators allowed (``15,000``).
  A number followed by ألف/آلاف/مليون/ملايين/مليار is stated both as written and multiplied
  (``15 ألف`` → 15 and 15000). Digits that are not counts are left out: clock times
  (``09:00``, ``الساعة 11``), numeric dates (``2023/10/23``) and the day of a month (``23 أكتوبر``).
  Decimals count only with a multiplier (``2.5 مليون``). Percentages are kept as written
  (``50 في المئة`` → 50; «المئة» there is not 100).
* **Number words** in every form, gender and case, with or without the proclitics و ف ب ل ك and the
  article: واحد/أحد/إحدى, اثنان/اثنين/اثنتان, ثلاثة/ثلاث … عشرة/عشر, the teens (أحد عشر, إحدى عشرة,
  اثنا/اثني عشر, ثلاثة عشر … تسعة عشر), the tens (عشرون/عشرين … تسعون/تسعين), compounds
  (خمسة وعشرين = 25, مئة وخمسة = 105), مئة/مائة, مئتان, ثلاثمئة…, ألف, ألفان, ثلاثة آلاف, مليون.
  «الأحد عشر» is 11, but «الأحد» alone is Sunday and «الاثنين» alone is Monday: neither is a number.
  «أحد» after a negation («لم يصب أحد») is not 1. Plurals of magnitude (مئات, آلاف) are not numbers.
* **ACLED conventions**: «عشرات»/«العشرات» (tens) = 10; in English text «dozens»/«a dozen» = 12 and
  «tens of» = 10. English number words (one … ninety, hundred, thousand) are read too.
* **Duals** mean 2, but only for nouns in a closed list where the dual cannot be mistaken for a
  plural: nouns with a broken plural (جنديين, صاروخين, انفجاران; plural جنود, صواريخ, انفجارات),
  feminine nouns (مسيرتين, طائرتين; plural -ات), and sound-plural nouns only in the nominative dual
  -ان (مسؤولان, مقاتلان), because unvocalized مقاتلين is almost always the plural, not the dual.
* **An indefinite singular victim** after a casualty word implies 1: «مقتل جندي», «مقتل أميركي»
  («the killing of an American»), «إصابة آخر», «جندياً أميركياً آخر أصيب». Only nouns in a closed list
  of people (soldier, fighter, civilian, contractor, nationality adjectives…) count.
* **Zero**: a negated casualty word («دون وقوع إصابات», «لا توجد إصابات», «لم تسفر عن سقوط ضحايا»,
  «لم يصب أحد») states 0.
"""

from __future__ import annotations

import functools
import itertools
import re
from typing import NamedTuple

from summarizer.arabic import lexicon as lx
from summarizer.arabic.normalize import MONTHS_AR, normalize_ar, split_proclitics

__all__ = ["figures_in_text", "numbers_in_text", "supports_number"]

_UNITS: dict[str, int] = {}
for _value, _forms in {
    1: ("واحد", "واحدا", "واحده", "احد", "احدي"),
    2: ("اثنان", "اثنين", "اثنتان", "اثنتين", "اثنا", "اثني", "اثنتا", "اثنتي", "ثنتان", "ثنتين"),
    3: ("ثلاثه", "ثلاث"),
    4: ("اربعه", "اربع"),
    5: ("خمسه", "خمس"),
    6: ("سته", "ست"),
    7: ("سبعه", "سبع"),
    8: ("ثمانيه", "ثماني", "ثمان"),
    9: ("تسعه", "تسع"),
}.items():
    for _f in _forms:
        _UNITS[_f] = _value

_TEN = frozenset({"عشره", "عشر"})
_TENS: dict[str, int] = {}
_TENS_STEMS = {20: "عشر", 30: "ثلاث", 40: "اربع", 50: "خمس", 60: "ست", 70: "سبع", 80: "ثمان", 90: "تسع"}
for _value, _stem in _TENS_STEMS.items():
    _TENS[_stem + "ون"] = _value
    _TENS[_stem + "ين"] = _value

_HUNDREDS: dict[str, int] = {"مئه": 100, "مائه": 100, "مايه": 100}
for _f in ("مئتان", "مئتين", "مائتان", "مائتين", "مئتا", "مئتي", "مائتا", "مائتي"):
    _HUNDREDS[_f] = 200
for _value, _stems in {
    3: ("ثلاث",),
    4: ("اربع",),
    5: ("خمس",),
    6: ("ست",),
    7: ("سبع",),
    8: ("ثمان", "ثماني"),
    9: ("تسع",),
}.items():
    for _stem in _stems:
        for _h in ("مئه", "مائه"):
            _HUNDREDS[_stem + _h] = _value * 100

#: Multipliers: (factor, whether the word alone is a number). «آلاف» alone is "thousands": not a number.
_MULTIPLIERS: dict[str, tuple[int, bool]] = {
    "الف": (1000, True),
    "الفا": (1000, True),
    "الاف": (1000, False),
    "مليون": (1_000_000, True),
    "مليونا": (1_000_000, True),
    "ملايين": (1_000_000, False),
    "مليار": (1_000_000_000, True),
    "مليارا": (1_000_000_000, True),
    "مليارات": (1_000_000_000, False),
    "تريليون": (1_000_000_000_000, True),
    "تريليونات": (1_000_000_000_000, False),
}
_WHOLE: dict[str, int] = {
    "الفان": 2000,
    "الفين": 2000,
    "مليونان": 2_000_000,
    "مليونين": 2_000_000,
    "عشرات": 10,  # ACLED: "tens" = 10
}

#: Short stems that a preposition makes ambiguous: «لست» is "you are not", not ل + ست.
_NO_PREPOSITION = frozenset({"ست", "احد", "احدي"})

# fmt: off
_ENGLISH: dict[str, int] = {
    w: i for i, w in enumerate((
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    ))
}
_ENGLISH.update({
    w: 10 * i
    for i, w in enumerate(("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"), 2)
})
_ENGLISH_DIGIT_MULT = {
    "thousand": 1000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
}
_ENGLISH_MULT = {"hundred": 100, **_ENGLISH_DIGIT_MULT}
#: Multipliers after digits, in English: "1.21 million", "11 billion" (above).

#: Accusative indefinite forms (tanwin written as alef: «جندياً» → «جنديا»), plus «امراه», «اخر» and
#: «ثالث» (a third: «قُتل جنديان وأصيب ثالث»).
_PERSON_FORMS = frozenset({p + "ا" for p in lx.PERSON_NOUNS} | lx.PERSON_NOUNS | lx.ONE_MORE_PERSON)

#: Duals that cannot be read as plurals (see the module docstring).
_DUAL: dict[str, int] = {}
for _stem in (  # broken plurals (جنود, صواريخ…): -ان and -ين are both dual
    "جندي", "شخص", "طفل", "رجل", "ضابط", "عنصر", "صاروخ", "انفجار", "هجوم", "مستودع", "حقل", "قائد", "شهيد",
    "قتيل", "جريح",
):
    _DUAL[_stem + "ان"] = 2
    _DUAL[_stem + "ين"] = 2
for _stem in (  # feminine nouns in ة (plural -ات): -تان and -تين are dual
    "طائره", "مسيره", "قذيفه", "قاعده", "سياره", "ضربه", "غاره", "دبابه", "عبوه", "مروحيه", "مدينه", "قريه",
    "امراه", "دوريه", "شاحنه", "منشاه", "هجمه",
):
    _DUAL[_stem[:-1] + "تان"] = 2
    _DUAL[_stem[:-1] + "تين"] = 2
for _stem in (  # sound plurals (مقاتلين is plural): only the nominative dual -ان
    "مقاتل", "مسلح", "مدني", "مسؤول", "عسكري", "مقاول", "متعاقد", "مصاب", "اميركي", "امريكي", "سوري", "عراقي",
    "ايراني", "اسرائيلي", "روسي", "مستشار", "مواطن", "فلسطيني", "لبناني", "يمني", "سوداني", "ليبي", "كردي",
    "تركي", "صحفي", "مسعف", "موظف", "شرطي",
):
    _DUAL[_stem + "ان"] = 2
# fmt: on

_TABLES: tuple[tuple[str, dict[str, int]], ...] = (
    ("unit", _UNITS),
    ("ten", dict.fromkeys(_TEN, 10)),
    ("tens", _TENS),
    ("hundred", _HUNDREDS),
    ("mult", {k: v[0] for k, v in _MULTIPLIERS.items()}),
    ("whole", _WHOLE),
    ("dual", _DUAL),
)

_THOUSANDS_SEP = re.compile(r"(?<=\d)[,٬](?=\d\d\d(?!\d))")
_TOKEN = re.compile(r"\d+(?:\.\d+)?|[^\W\d_]+")
_CLOCK = re.compile(r"\d{1,2}:\d{2}")
_NUMERIC_DATE = re.compile(r"\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}")
_MONTH_FIRST_WORDS = frozenset(k.split()[0] for k in MONTHS_AR)


class _Word(NamedTuple):
    """One word read as a number word."""

    kind: str
    value: int
    article: bool
    stem: str


def _lookup(token: str) -> _Word | None:
    """Read one word as a number word, or None.

    Kinds: ``unit`` 1-9, ``ten`` 10, ``tens`` 20-90, ``hundred`` 100-900, ``mult`` a multiplier,
    ``whole`` a complete value (ألفان, عشرات), ``dual`` a dual noun (2).
    """
    for prefix, stem in split_proclitics(token):
        if stem in _NO_PREPOSITION and _has_preposition(prefix):
            continue
        article = prefix.endswith("ال") or prefix.endswith("لل")
        for kind, table in _TABLES:
            if stem in table:
                return _Word(kind, table[stem], article, stem)
    return None


def _has_preposition(prefix: str) -> bool:
    """True when the proclitics ``prefix`` include one of the prepositions ب ل ك."""
    if prefix.endswith("لل"):
        return True
    if prefix.endswith("ال"):
        prefix = prefix[:-2]
    return prefix[-1:] in ("ب", "ل", "ك")


def _has_conjunction(token: str) -> bool:
    """True when the word starts with the conjunction و that joins parts of a compound number."""
    return token.startswith("و") and not token.startswith("واحد")


def _parse_words(words: list[str], i: int) -> tuple[int | None, int]:
    """Parse the number written in words starting at ``words[i]``.

    Returns:
        (value or None, index of the first word after it). ``None`` with ``i + 1`` when the word at
        ``i`` starts no number (e.g. «الأحد» meaning Sunday).
    """
    first = _lookup(words[i])
    if first is None:
        return None, i + 1
    kind, value = first.kind, first.value
    nxt = _lookup(words[i + 1]) if i + 1 < len(words) else None
    teen_follows = nxt is not None and nxt.kind == "ten" and not _has_conjunction(words[i + 1])

    if kind in ("dual", "whole"):
        return value, i + 1
    if kind == "mult" and not _MULTIPLIERS[first.stem][1]:
        return None, i + 1  # «آلاف» alone: thousands, not a number
    if first.article and first.stem in ("احد", "اثنين") and not teen_follows:
        # «الأحد» is Sunday and «الاثنين» Monday unless «عشر» follows («الأحد عشر» = the eleven).
        return None, i + 1
    if kind == "unit" and value == 1 and i > 0 and any(w in lx.NEGATIONS for w in words[max(0, i - 2) : i]):
        return None, i + 1  # «لم يصب أحد»: no one
    if kind == "hundred" and first.article:
        return None, i + 1  # «في المئة», «بالمئة»: percent
    if i > 0 and words[i - 1] in lx.CLOCK_WORDS:
        return None, i + 1  # «الساعة الواحدة»: a time of day

    total = 0
    group = 0
    place = 0  # magnitude of the last part added; the next part must be smaller
    j = i
    while j < len(words):
        look = _lookup(words[j]) if j > i else first
        if look is None:
            break
        kind, value = look.kind, look.value
        conj = j > i and _has_conjunction(words[j])
        if j > i and not conj and kind not in ("ten", "hundred", "mult"):
            break
        if kind == "unit":
            if j > i and (place == 1 or place == 10):
                break
            group += value
            place = 1
            after = _lookup(words[j + 1]) if j + 1 < len(words) else None
            if after and not _has_conjunction(words[j + 1]):
                if after.kind == "ten":
                    group += 10
                    place = 10
                    j += 1
                elif after.kind == "hundred" and after.value == 100:
                    group = group - value + value * 100
                    place = 100
                    j += 1
        elif kind == "ten":
            if j > i and not conj:
                break
            if place and place <= 10:
                break
            group += 10
            place = 10
        elif kind == "tens":
            if (place == 1 and conj) or (j == i) or (place >= 100 and conj):
                group += value
                place = 10
            else:
                break
        elif kind == "hundred":
            if j > i and (not conj or place < 1000):
                break
            group += value
            place = 100
        elif kind == "mult":
            if conj:
                break
            factor = value
            total += (group or 1) * factor
            group = 0
            place = factor
        else:
            break
        j += 1
    result = total + group
    return (result if result else None), max(j, i + 1)


def _english(words: list[str], i: int) -> tuple[int | None, int]:
    """Parse an English number (``twenty five``, ``a dozen``, ``dozens``, ``tens of``) at ``words[i]``."""
    w = words[i]
    if w in ("dozen", "dozens"):
        return 12, i + 1
    if w == "tens" and i + 1 < len(words) and words[i + 1] == "of":
        return 10, i + 1
    if w not in _ENGLISH and w not in _ENGLISH_MULT:
        return None, i + 1
    total = group = 0
    j = i
    while j < len(words):
        w = words[j]
        if w in _ENGLISH:
            group += _ENGLISH[w]
        elif w in _ENGLISH_MULT:
            factor = _ENGLISH_MULT[w]
            if factor == 100:
                group = (group or 1) * 100
            else:
                total += (group or 1) * factor
                group = 0
        elif w == "and" and j + 1 < len(words) and words[j + 1] in _ENGLISH and (group or total):
            pass
        else:
            break
        j += 1
    return total + group, j


def _digit_numbers(text: str, parts: set[int] | None = None) -> set[int]:
    """Counts written in digits (see the module docstring for what is left out). ``parts``, when
    given, collects the numbers that are only parts of a larger one: 15 of «15 ألف», 210 thousand and
    the million of «مليوناً و210 آلاف»."""
    s = normalize_ar(_THOUSANDS_SEP.sub("", text))
    skip: set[tuple[int, int]] = set()
    for pattern in (_CLOCK, _NUMERIC_DATE):
        for m in pattern.finditer(s):
            skip.add((m.start(), m.end()))
    tokens = list(_TOKEN.finditer(s))
    found: set[int] = set()
    for k, m in enumerate(tokens):
        tok = m.group()
        if not tok[0].isdigit():
            continue
        if any(a <= m.start() and m.end() <= b for a, b in skip):
            continue
        prev = tokens[k - 1].group() if k > 0 else ""
        nxt = tokens[k + 1].group() if k + 1 < len(tokens) else ""
        if prev in lx.CLOCK_WORDS or nxt in _MONTH_FIRST_WORDS:
            continue
        number = float(tok)
        mult = _MULTIPLIERS.get(nxt, _ENGLISH_DIGIT_MULT.get(nxt.lower(), 0))
        mult = mult[0] if isinstance(mult, tuple) else mult
        if mult:
            found.add(round(number * mult))
            if parts is not None and "." not in tok:
                parts.add(int(tok))
            # «مليوناً و210 آلاف»: a million and 210 thousand is 1,210,000
            before = tokens[k - 2].group() if k > 1 and prev == "و" else ""
            if before and _MULTIPLIERS.get(before, (0, False))[0] > mult:
                head = tokens[k - 3].group() if k > 2 else ""
                base = float(head) if head[:1].isdigit() else 1.0
                found.add(round(base * _MULTIPLIERS[before][0] + number * mult))
                if parts is not None:
                    parts |= {round(base * _MULTIPLIERS[before][0]), round(number * mult)}
                    parts |= {int(head)} if head.isdigit() else set()
        if "." not in tok:
            found.add(int(tok))
    return found


def _word_numbers(words: list[str]) -> set[int]:
    found: set[int] = set()
    i = 0
    while i < len(words):
        w = words[i]
        if w.isascii() and w in _ENGLISH_DIGIT_MULT and i > 0 and words[i - 1][0].isdigit():
            value, nxt = None, i + 1  # "1.21 million": read with the digits
        elif w.isascii():
            value, nxt = _english(words, i)
        elif i > 0 and words[i - 1][0].isdigit() and (look := _lookup(w)) and look.kind == "mult":
            value, nxt = None, i + 1  # «15 ألف»: read with the digits
        else:
            value, nxt = _parse_words(words, i)
        if value is not None:
            found.add(value)
        i = nxt
    return found


def _implied(words: list[str]) -> set[int]:
    """1 for an indefinite singular victim, 0 for a negated casualty word."""
    found: set[int] = set()
    for i, w in enumerate(words):
        stems = {stem for _p, stem in split_proclitics(w) if len(stem) > 2}
        if stems & lx.CASUALTY_TRIGGERS and i + 1 < len(words) and words[i + 1] in _PERSON_FORMS:
            found.add(1)  # «مقتل جندي», «وإصابة آخر»
        if (
            w in _PERSON_FORMS
            and w.endswith("ا")
            and (i == 0 or not (words[i - 1][0].isdigit() or _lookup(words[i - 1])))
            and any(x in lx.PASSIVE_CASUALTY_VERBS for x in words[i + 1 : i + 4])
        ):
            # «جندياً أميركياً آخر أصيب»: an accusative singular, then the passive verb. After a
            # number the singular is the counted noun («قتل 14 مسلحاً»), not one person.
            found.add(1)
        if w in lx.NEGATIONS:
            window = words[i + 1 : i + 5]
            if any(x in lx.NEGATED_CASUALTY_NOUNS for x in window) or "احد" in window[:2]:
                found.add(0)
            if any(x == "خسائر" and y == "بشريه" for x, y in itertools.pairwise(window)):
                found.add(0)
    return found


@functools.lru_cache(maxsize=32)
def _numbers(text: str) -> frozenset[int]:
    words = [m.group() for m in _TOKEN.finditer(normalize_ar(text))]
    return frozenset(_digit_numbers(text) | _word_numbers(words) | _implied(words))


def numbers_in_text(text: str) -> set[int]:
    """Every non-negative integer ``text`` states, in digits or in words.

    See the module docstring for the forms read and the conventions applied (ACLED «عشرات» = 10,
    duals = 2, an indefinite singular victim = 1, a negated casualty word = 0).

    Args:
        text: Arabic (or English) text.

    Returns:
        The set of numbers; empty when the text states none.

    Example:
        >>> sorted(numbers_in_text("وذكرت أن اثنين من القتلى الأحد عشر سوريان"))
        [2, 11]
    """
    return set(_numbers(text))


#: Vague quantities, figures by ACLED's convention only: «عشرات» (10), "dozens", "tens of".
_VAGUE = re.compile(r"(?<!\w)(?:[وفب]?(?:ال)?عشرات|dozens|tens of)(?!\w)", re.IGNORECASE)


def figures_in_text(text: str) -> set[int]:
    """The numbers ``text`` states as figures of their own: :func:`numbers_in_text` without the parts
    of a larger number (15 of «15 ألف», the million and 210 thousand of «مليوناً و210 آلاف»), which
    a translation renders only as the whole ("15,000", "1.21 million"), and without vague quantities
    («عشرات», "dozens": 10 and 12 by ACLED's convention, rendered in words).

    Example:
        >>> sorted(figures_in_text("بلغ الإنتاج مليوناً و210 آلاف برميل"))
        [1210000]
    """
    # vague quantities («عشرات», "dozens") are figures by ACLED's convention, not words to render exactly
    text = _VAGUE.sub(" ", text)
    parts: set[int] = set()
    _digit_numbers(text, parts)
    return set(_numbers(text)) - parts


def supports_number(n: int, text: str) -> bool:
    """Whether ``text`` states the number ``n`` (in digits, words, a dual or by the conventions above).

    Args:
        n: The figure to check, e.g. an event's ``killed``.
        text: The article text.

    Example:
        >>> supports_number(11, "قُتل 11 مقاتلاً موالياً لإيران")
        True
    """
    return n in _numbers(text)
