"""Which outlet an article comes from, when nothing but its text says so.

Feeds and web pages name their outlet in their metadata (the feed's title, the page's site name); a
plain-text article does not. It often still carries the outlet's mark: a news agency's credit at the
head or the foot of the story («بيروت (أ ف ب) -», «(رويترز)», «المصدر: الأناضول»), the outlet's
own name on a line of its own above the story («عربي بوست»), or at least a dateline that tells
where the story was filed («(بيروت)», «دمشق -»).

:func:`detect_outlet` reads those marks through a small table, :data:`MARKS`, that is easy to extend
(``detect_outlet(text, marks=MARKS + (Mark("Al-Quds Al-Arabi", ("القدس العربي",)),))``). Only marks
in a credit position count: a body sentence that cites an agency («ذكرت وكالة رويترز ...») says
where a fact came from, not who published the article.

>>> detect_outlet("بيروت (أ ف ب) - قتل 11 مقاتلاً في غارات جوية.").name
'AFP'
>>> guess = detect_outlet("(بيروت) قتل 11 مقاتلاً في غارات جوية.")
>>> (guess.name, guess.dateline, guess.label())
(None, 'Beirut', 'unnamed outlet, Beirut dateline')
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import Literal


@dataclass(frozen=True)
class Mark:
    """An outlet and the Arabic (or Latin) spellings of its credit mark."""

    outlet: str
    """The name the digest shows."""
    spellings: tuple[str, ...]
    """How the mark is written in the article (matched whole, spaces and dots tolerated)."""
    agency: bool = True
    """A news agency (its mark credits a wire story); False for an outlet that names itself."""


#: Agencies and outlets recognised in credit positions. Extend it by passing ``marks=`` to
#: :func:`detect_outlet`; earlier entries win when two match at the same place.
MARKS: tuple[Mark, ...] = (
    Mark("AFP", ("أ ف ب", "ا ف ب", "أ.ف.ب", "فرانس برس", "فرانس بريس", "AFP")),
    Mark("Reuters", ("رويترز", "Reuters")),
    Mark("Anadolu", ("الأناضول", "الاناضول", "وكالة الأناضول")),
    Mark("SANA", ("سانا", "SANA")),
    Mark("AP", ("أ ب", "أسوشيتد برس", "اسوشيتد برس", "AP")),
    Mark("dpa", ("د ب أ", "د.ب.أ", "dpa")),
    Mark("Xinhua", ("شينخوا",)),
    Mark("KUNA", ("كونا",)),
    Mark("QNA", ("قنا",)),
    Mark("WAM", ("وام",)),
    Mark("SPA", ("واس",)),
    Mark("Petra", ("بترا",)),
    Mark("MENA", ("أ ش أ", "أ.ش.أ")),
    Mark("IRNA", ("إرنا", "ارنا")),
    Mark("NNA", ("الوكالة الوطنية للإعلام",)),
    Mark("Arabi Post", ("عربي بوست",), agency=False),
    Mark("Independent Arabia", ("اندبندنت عربية", "إندبندنت عربية"), agency=False),
    Mark("Al Jazeera", ("الجزيرة نت", "الجزيرة"), agency=False),
    Mark("Al Arabiya", ("العربية نت", "العربية.نت"), agency=False),
    Mark("Sky News Arabia", ("سكاي نيوز عربية",), agency=False),
    Mark("BBC Arabic", ("بي بي سي عربي",), agency=False),
    Mark("Asharq Al-Awsat", ("الشرق الأوسط",), agency=False),
    Mark("Enab Baladi", ("عنب بلدي",), agency=False),
    Mark("Al-Quds Al-Arabi", ("القدس العربي",), agency=False),
)

#: Cities that open a dateline, in English. A dateline in parentheses at the very start of the
#: article counts even for a city not listed (it is then shown in Arabic).
DATELINE_CITIES: dict[str, str] = {
    "بيروت": "Beirut",
    "دمشق": "Damascus",
    "بغداد": "Baghdad",
    "القاهرة": "Cairo",
    "عمان": "Amman",
    "عمّان": "Amman",
    "القدس": "Jerusalem",
    "غزة": "Gaza",
    "رام الله": "Ramallah",
    "الرياض": "Riyadh",
    "جدة": "Jeddah",
    "طهران": "Tehran",
    "أنقرة": "Ankara",
    "إسطنبول": "Istanbul",
    "اسطنبول": "Istanbul",
    "واشنطن": "Washington",
    "نيويورك": "New York",
    "باريس": "Paris",
    "لندن": "London",
    "موسكو": "Moscow",
    "الدوحة": "Doha",
    "دبي": "Dubai",
    "أبوظبي": "Abu Dhabi",
    "أبو ظبي": "Abu Dhabi",
    "الكويت": "Kuwait",
    "المنامة": "Manama",
    "مسقط": "Muscat",
    "صنعاء": "Sanaa",
    "عدن": "Aden",
    "الخرطوم": "Khartoum",
    "طرابلس": "Tripoli",
    "بنغازي": "Benghazi",
    "تونس": "Tunis",
    "الجزائر": "Algiers",
    "الرباط": "Rabat",
    "حلب": "Aleppo",
    "حمص": "Homs",
    "إدلب": "Idlib",
    "الحسكة": "Hasakah",
    "القامشلي": "Qamishli",
    "دير الزور": "Deir ez-Zor",
    "الرقة": "Raqqa",
    "أربيل": "Erbil",
    "الموصل": "Mosul",
    "البصرة": "Basra",
    "كركوك": "Kirkuk",
}

How = Literal["metadata", "config", "link", "agency mark", "outlet name", "dateline", "file name"]

#: Words right before a mark that make it a citation inside a sentence, not a credit.
_CITING = re.compile(r"(?:وكالة|وكالات|بحسب|حسب|وفق|وفقا|وفقاً|ذكرت|قالت|أفادت|نقلت|أوردت|لـ|ل)\s*[«\"“]?\s*$")
_CITING_WORD = re.compile(
    r"(?<![\w])(?:وكالة|بحسب|حسب|وفق|ذكرت|قالت|أفادت|نقلت|أوردت|أعلنت|قال|ذكر|أفاد|نقل)(?![\w])"
)
_DASH = r"[-–—:]"
_HEAD_CHARS = 160
_TAIL_LINES = 3


def _pattern(spelling: str) -> str:
    """A spelling as a regex: whole word, any run of spaces or dots between its letters' groups."""
    parts = [re.escape(p) for p in re.split(r"[\s.]+", spelling) if p]
    return r"(?<![\w])" + r"[\s.]*".join(parts) + r"(?![\w])"


@dataclass(frozen=True)
class OutletGuess:
    """What the article's own text says about its outlet."""

    name: str | None
    """The outlet (or agency) named by a credit mark, when one is found."""
    dateline: str | None = None
    """The dateline's city (in English when known, else as written)."""
    how: How | None = None
    """Which kind of mark gave the name (or the dateline)."""

    def label(self) -> str | None:
        """What the digest shows: the name, else ``unnamed outlet, Beirut dateline``, else None."""
        if self.name:
            return self.name
        if self.dateline:
            return f"unnamed outlet, {self.dateline} dateline"
        return None


def _find_mark(text: str, marks: Iterable[Mark], credit: str) -> Mark | None:
    """The mark found earliest in ``text`` where ``credit`` (a regex whose ``MARK`` stands for the
    mark, inside a group named ``mark``) matches, and no citing word comes right before it."""
    best: tuple[int, Mark] | None = None
    for mark in marks:
        for spelling in mark.spellings:
            for m in re.finditer(credit.replace("MARK", _pattern(spelling)), text):
                before = text[: m.start("mark")]
                if _CITING.search(before) or (m.start() == 0 and _CITING_WORD.search(before)):
                    continue
                if best is None or m.start("mark") < best[0]:
                    best = (m.start("mark"), mark)
                break
    return best[1] if best else None


def _dateline(head: str) -> str | None:
    head = head.lstrip(' \t«"“')
    for city_ar, city_en in sorted(DATELINE_CITIES.items(), key=lambda kv: -len(kv[0])):
        if re.match(rf"\(?\s*{re.escape(city_ar)}\s*\)?\s*(?:{_DASH}|\()", head) or re.match(
            rf"\(\s*{re.escape(city_ar)}\s*\)", head
        ):
            return city_en
    m = re.match(r"\(\s*([\u0621-\u064A]{2,}(?:\s[\u0621-\u064A]{2,})?)\s*\)\s", head)
    return m.group(1) if m else None


def detect_outlet(text: str, marks: Iterable[Mark] = MARKS) -> OutletGuess:
    """The outlet an article's text names in a credit position, and its dateline.

    Looked for, in this order:

    1. an agency's credit at the head of the story: «بيروت (أ ف ب) -», «دمشق - سانا:», «(رويترز) -»;
    2. a credit at its foot: a last line «(رويترز)» or «المصدر: الأناضول», or a last sentence
       ending in «(أ ف ب)»;
    3. the outlet's name alone on one of the first lines, above or below the headline («عربي بوست»);
    4. else the dateline alone: «(بيروت)», «بيروت -».
    """
    marks = tuple(marks)
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if not lines:
        return OutletGuess(None)
    # the story's first line: skip a headline (no final punctuation) and self-standing outlet lines
    story = next(
        (ln for ln in lines[:6] if ln.endswith((".", ".»", "»", '"', "”")) or len(ln) > 200), lines[0]
    )
    head = story[:_HEAD_CHARS]
    dateline = _dateline(head)
    # a dateline of at most three words (no verb), then the mark in parentheses or after a dash
    head_credit = rf"^(?:[^\s.!?؟()]+\s*){{0,3}}?(?:\(\s*|(?:^|{_DASH})\s*)(?P<mark>MARK)\s*(?:\)|{_DASH})"
    found = _find_mark(head, marks, head_credit)
    if found:
        return OutletGuess(found.outlet, dateline, "agency mark" if found.agency else "outlet name")
    tail = lines[-_TAIL_LINES:]
    for line in reversed(tail):
        for credit in (
            r"^[(\[]?\s*(?:(?:المصدر|المصادر|source)\s*[:：]\s*)?(?P<mark>MARK)\s*[)\]]?\s*[.]?$",
            r"\(\s*(?P<mark>MARK)\s*\)\s*[.]?$",
            r"(?:المصدر|المصادر)\s*[:：]\s*(?P<mark>MARK)\s*[.]?$",
        ):
            found = _find_mark(line, marks, credit)
            if found:
                return OutletGuess(found.outlet, dateline, "agency mark" if found.agency else "outlet name")
    for line in lines[:4]:
        found = _find_mark(line, marks, r"^\s*(?P<mark>MARK)\s*$")
        if found:
            return OutletGuess(found.outlet, dateline, "outlet name")
    return OutletGuess(None, dateline, "dateline" if dateline else None)


def outlet_from_patterns(origin: str, patterns: Mapping[str, str] | None) -> str | None:
    """The outlet a configured file pattern gives an inbox item (``{"afp-*.txt": "AFP"}``).

    Patterns are shell-style (``fnmatch``), matched against the file name, case-insensitively; the
    first that matches wins. A feed entry (``wire.xml#3``) is matched by its feed's file name.
    """
    if not patterns:
        return None
    name = PurePath(origin.split("#", 1)[0]).name
    for pattern, outlet in patterns.items():
        if fnmatch.fnmatch(name.casefold(), pattern.casefold()):
            return outlet
    return None


__all__ = [
    "DATELINE_CITIES",
    "MARKS",
    "Mark",
    "OutletGuess",
    "detect_outlet",
    "outlet_from_patterns",
]
