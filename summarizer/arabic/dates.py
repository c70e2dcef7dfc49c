"""Resolving Arabic date phrases («الخميس», «صباح الجمعة», «أمس», «23 أكتوبر 2023») to dates.

:func:`resolve_date` turns the phrase an event's date was given in into an
:class:`~summarizer.schema.EventDate`, resolved against the article's publication date.

Rules (decisions, with the reason for each):

* **Absolute dates** resolve with or without a publication date: ``2023/10/23``, ``23-10-2023``
  (day first, as Arabic outlets write it), ``23 أكتوبر/تشرين الأول 2023``, with Egyptian/Gulf
  (يناير…ديسمبر) or Levantine/Iraqi (كانون الثاني…كانون الأول) month names and Arabic-Indic digits.
  A day and month without a year take the latest year that puts them on or before publication
  (none without a publication date). A month with a year («أغسطس / آب 2022») has precision month.
* **Weekdays** («الخميس», «يوم الجمعة», «صباح الجمعة», «فجر الجمعة», «مساء الخميس», «والجمعة») are the most
  recent such day on or before publication: a Friday article's «الجمعة» is that Friday. With «الماضي»
  («الخميس الماضي») the day is strictly before publication.
* **Nights spanning two days** («ليل الخميس والجمعة», «ليلة الخميس إلى الجمعة») are dated to the *first*
  day, the evening the night began: an overnight strike is one event, dated to the day it started,
  as ACLED dates an event to the day it began. A night with one weekday («ليلة الجمعة») is that day.
* **Relative words**: «اليوم», «الليلة», «صباح اليوم» = publication day; «أمس», «الأمس», «البارحة»,
  «الليلة الماضية», «ليلة أمس» = the day before; «أول أمس», «أول من أمس» = two days before;
  «قبل يومين», «قبل ثلاثة أيام» = that many days before. All precision day.
* **Weeks and months** use the start of the period as the value: «الأسبوع الماضي» = the Sunday that
  began the previous week (the Arab working week starts on Sunday), «مطلع الأسبوع», «هذا الأسبوع» =
  the Sunday of the publication week, precision week; «الشهر الماضي» = the 1st of the previous month,
  «هذا الشهر» = the 1st of the publication month, precision month; «فبراير/شباط الماضي» = the most
  recent February before the publication month.
* **Never later than publication**: a date after the publication date (a typo, a future plan) is
  not returned; the result is unknown.
* Relative phrases without a publication date, a bare year («عام 2019») and anything not understood
  give ``value=None``, ``precision="unknown"``, with the phrase kept.
"""

from __future__ import annotations

import datetime as dt
import re

from summarizer.arabic import lexicon as lx
from summarizer.arabic.normalize import MONTHS_AR, WEEKDAYS_AR, find_span, normalize_ar, split_proclitics
from summarizer.arabic.numbers import numbers_in_text
from summarizer.schema import DatePrecision, EventDate

__all__ = ["find_date", "resolve_date"]

_MONTH_RE = "|".join(sorted((re.escape(k) for k in MONTHS_AR), key=len, reverse=True))
#: A month name, optionally followed by its other name: «أكتوبر/تشرين الأول», «آب (أغسطس)».
_MONTH_PAIR = rf"({_MONTH_RE})(?!\w)(\s*[/\-(]\s*(?:{_MONTH_RE})(?!\w)\s*\)?)?"
_YEAR = r"(?:\s*(?:من\s+)?(?:عام\s+|العام\s+|سنه\s+)?(\d{4})(?!\d))"
_YMD = re.compile(r"(?<!\d)(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})(?!\d)")
_DMY = re.compile(r"(?<!\d)(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?!\d)")
_DAY_MONTH = re.compile(rf"(?<!\d)(\d{{1,2}})\s*(?:من\s+)?(?:شهر\s+)?{_MONTH_PAIR}{_YEAR}?")
#: «السابع من تشرين الأول»: the day as an ordinal word («الحادي والعشرين» is 21), then «من» and the month.
_ORDINAL_UNITS = ("الحادي", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع", "الثامن", "التاسع")
_ORDINAL_DAYS: dict[str, int] = {"الاول": 1, "العاشر": 10, "العشرين": 20, "الثلاثين": 30}
for _n, _w in enumerate(_ORDINAL_UNITS, 1):
    if _n > 1:
        _ORDINAL_DAYS[_w] = _n
    _ORDINAL_DAYS[f"{_w} عشر"] = 10 + _n
    _ORDINAL_DAYS[f"{_w} والعشرين"] = 20 + _n
_ORDINAL_DAYS["الحادي والثلاثين"] = 31
_ORDINAL_RE = "|".join(sorted((re.escape(k) for k in _ORDINAL_DAYS), key=len, reverse=True))
_ORDINAL_DAY_MONTH = re.compile(
    rf"(?:^|(?<=[\s/(]))[وفب]?({_ORDINAL_RE})\s+من\s+(?:شهر\s+)?{_MONTH_PAIR}{_YEAR}?"
)
_MONTH_YEAR = re.compile(
    rf"(?:^|(?<=[\s/(]))[وفبل]?(?:(شهر)\s+)?{_MONTH_PAIR}"
    rf"(?:{_YEAR}|\s+(الماضي|المنصرم|الفائت|السابق)(?!\w))?"
)
#: «قبل …»: the unit word → (period, count it implies without a number word).
_AGO_UNITS: dict[str, tuple[str, int | None]] = {
    "يوم": ("day", 1),
    "يوما": ("day", None),
    "يومين": ("day", 2),
    "ايام": ("day", None),
    "اسبوع": ("week", 1),
    "اسبوعين": ("week", 2),
    "اسابيع": ("week", None),
    "شهر": ("month", 1),
    "شهرين": ("month", 2),
    "اشهر": ("month", None),
    "شهور": ("month", None),
}
_AGO = re.compile(rf"\bقبل (?:(\S+) )?({'|'.join(sorted(_AGO_UNITS, key=len, reverse=True))})\b")


def _unknown(phrase: str | None) -> EventDate:
    return EventDate(value=None, precision="unknown", phrase_ar=phrase)


def _result(
    value: dt.date | None, precision: DatePrecision, phrase: str, published: dt.date | None
) -> EventDate:
    if value is None or (published is not None and value > published):
        return _unknown(phrase)
    return EventDate(value=value, precision=precision, phrase_ar=phrase)


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _absolute(norm: str, phrase: str, published: dt.date | None) -> EventDate | None:
    """An explicit calendar date in the phrase, or None when there is none."""
    m = _YMD.search(norm)
    if m:
        return _result(_safe_date(int(m[1]), int(m[2]), int(m[3])), "day", phrase, published)
    m = _DMY.search(norm)
    if m:
        return _result(_safe_date(int(m[3]), int(m[2]), int(m[1])), "day", phrase, published)
    m = _DAY_MONTH.search(norm) or _ORDINAL_DAY_MONTH.search(norm)
    if m:
        day = _ORDINAL_DAYS[m[1]] if m[1] in _ORDINAL_DAYS else int(m[1])
        month, year = MONTHS_AR[m[2]], m[4]
        if year:
            return _result(_safe_date(int(year), month, day), "day", phrase, published)
        if published is None:
            return _unknown(phrase)
        value = _safe_date(published.year, month, day)
        if value is None or value > published:
            value = _safe_date(published.year - 1, month, day)
        return _result(value, "day", phrase, published)
    for m in _MONTH_YEAR.finditer(norm):
        said_month, month, pair, year, past = m[1], MONTHS_AR[m[2]], m[3], m[4], m[5]
        if year:
            return _result(dt.date(int(year), month, 1), "month", phrase, published)
        # A bare month name is ambiguous («اب» is also "father", «مارس» "he practised"): it counts
        # only with its other name, «شهر» before it or «الماضي» after it.
        if not (said_month or pair or past):
            continue
        if published is None:
            return _unknown(phrase)
        year_n = published.year
        if month > published.month or (past and month == published.month):
            year_n -= 1
        return _result(dt.date(year_n, month, 1), "month", phrase, published)
    return None


def _words(norm: str) -> list[str]:
    return re.findall(r"[^\W_]+", norm)


def _stems(word: str) -> list[str]:
    """The word and its readings without conjunctions/prepositions (keeping the article)."""
    return [stem for prefix, stem in split_proclitics(word) if not prefix.endswith("ال")]


def _weekdays(words: list[str]) -> list[tuple[int, int]]:
    """(position, weekday) of each weekday name in ``words``; «الأحد عشر» (eleven) is not Sunday."""
    found: list[tuple[int, int]] = []
    for i, w in enumerate(words):
        for stem in _stems(w):
            if stem in WEEKDAYS_AR:
                if stem == "الاحد" and i + 1 < len(words) and words[i + 1] in ("عشر", "عشره"):
                    break
                found.append((i, WEEKDAYS_AR[stem]))
                break
    return found


def _last_weekday(weekday: int, published: dt.date, strictly_before: bool) -> dt.date:
    back = (published.weekday() - weekday) % 7
    if back == 0 and strictly_before:
        back = 7
    return published - dt.timedelta(days=back)


def _week_start(day: dt.date) -> dt.date:
    """The Sunday that starts the (Sunday-to-Saturday) week containing ``day``."""
    return day - dt.timedelta(days=(day.weekday() + 1) % 7)


def _has(words: list[str], *wanted: str) -> bool:
    return any(stem in wanted for w in words for stem in _stems(w))


#: «في اليوم الذي…»: "on the day that…", not today.
_NOT_TODAY = re.compile(rf"\bاليوم (?:{'|'.join(sorted(lx.NOT_TODAY_AFTER))})\b")


def _relative(norm: str, phrase: str, published: dt.date) -> EventDate | None:
    words = _words(norm)
    joined = " ".join(words)

    def day(offset: int) -> EventDate:
        return _result(published - dt.timedelta(days=offset), "day", phrase, published)

    if re.search(r"\bاول (?:من )?(?:امس|الامس)\b", joined):
        return day(2)
    weekdays = _weekdays(words)
    past = bool(set(words) & lx.PAST_WORDS)
    if weekdays:
        pos, weekday = weekdays[0]
        # «الخميس الماضي»: «الماضي» right after the weekday means strictly before publication.
        strictly = pos + 1 < len(words) and words[pos + 1] in lx.PAST_WORDS
        if _has(words, *lx.YESTERDAY_WORDS) and not strictly:
            yesterday = published - dt.timedelta(days=1)
            if yesterday.weekday() == weekday:
                return day(1)
        return _result(_last_weekday(weekday, published, strictly), "day", phrase, published)
    if _has(words, *lx.YESTERDAY_WORDS):
        return day(1)
    if _has(words, *lx.NIGHT_WORDS) and past:
        return day(1)  # «الليلة الماضية»: last night
    m = _AGO.search(joined)
    if m:
        period, implied = _AGO_UNITS[m[2]]
        if m[1]:
            counts = numbers_in_text(m[1])
            n = min(counts) if counts else None
        else:
            n = implied  # «قبل يومين» = 2; «قبل أيام» (a few days) stays unknown
        if not n:
            return None
        if period == "day":
            return day(n)
        if period == "week":
            return _result(published - dt.timedelta(weeks=n), "week", phrase, published)
        month_index = published.year * 12 + published.month - 1 - n
        return _result(dt.date(month_index // 12, month_index % 12 + 1, 1), "month", phrase, published)
    if _has(words, "الاسبوع"):
        if past:
            return _result(_week_start(published) - dt.timedelta(days=7), "week", phrase, published)
        return _result(_week_start(published), "week", phrase, published)
    if _has(words, "الشهر"):
        if past:
            first = published.replace(day=1) - dt.timedelta(days=1)
            return _result(first.replace(day=1), "month", phrase, published)
        return _result(published.replace(day=1), "month", phrase, published)
    if _NOT_TODAY.search(joined):
        return None  # «في اليوم الذي…»: "on the day that…", not today
    if _has(words, *lx.TODAY_WORDS):
        return day(0)
    return None


def resolve_date(phrase_ar: str | None, published: dt.date | None) -> EventDate:
    """Resolve an Arabic date phrase against the publication date.

    See the module docstring for the phrases understood and the conventions applied.

    Args:
        phrase_ar: The phrase as the article gives it, e.g. «صباح الجمعة», «ليل الخميس والجمعة»,
            «يوم الإثنين 23 أكتوبر/تشرين الأول 2023»; ``None`` when the article gives none.
        published: The article's publication date, when known.

    Returns:
        An :class:`EventDate` whose ``value`` is never later than ``published``; ``value=None`` and
        precision ``"unknown"`` when the phrase cannot be resolved. ``phrase_ar`` is kept as given.

    Example:
        >>> resolve_date("الخميس", dt.date(2023, 3, 24)).value
        datetime.date(2023, 3, 23)
    """
    if phrase_ar is None or not phrase_ar.strip():
        return _unknown(None)
    norm = normalize_ar(phrase_ar)
    absolute = _absolute(norm, phrase_ar, published)
    if absolute is not None:
        return absolute
    if published is None:
        return _unknown(phrase_ar)
    relative = _relative(norm, phrase_ar, published)
    return relative if relative is not None else _unknown(phrase_ar)


def find_date(text: str, published: dt.date | None) -> EventDate | None:
    """The first date a sentence names, resolved against the publication date, or None.

    Used when the model gave an event no usable date: the cited sentences often carry one («قُتل 11
    مقاتلاً ... ليل الخميس والجمعة»). An explicit calendar date wins; otherwise the first relative
    phrase (a weekday, «أمس», «الليلة», «الأسبوع الماضي»...) with the words around it that belong to
    it («ليل الخميس والجمعة», «الخميس الماضي»). ``phrase_ar`` is the sentence's own words.

    Returns:
        An :class:`EventDate` with a value, or None when the sentence names no date that resolves
        (no date at all, a bare year, or a relative phrase without a publication date).

    Example:
        >>> find_date("قتل 11 مقاتلا في غارات شرقي سوريا ليل الخميس والجمعة، رداً على هجوم",
        ...           dt.date(2023, 3, 24)).value
        datetime.date(2023, 3, 23)
    """
    norm = normalize_ar(text)
    since: list[tuple[int, int]] = []  # spans of «منذ ...» dates, and any match inside them
    for regex in (_YMD, _DMY, _DAY_MONTH, _ORDINAL_DAY_MONTH, _MONTH_YEAR):
        for m in regex.finditer(norm):
            if norm[: m.start()].split()[-1:] in (["منذ"], ["مذ"]) or any(
                a <= m.start() < b for a, b in since
            ):
                since.append(m.span())
                continue
            phrase = find_span(m.group(0), text) or m.group(0)
            found = _absolute(normalize_ar(phrase), phrase, published)
            if found is not None and found.value is not None:
                return found
    if published is None:
        return None
    words = _words(norm)
    for i, word in enumerate(words):
        if not lx.is_time_head(word):
            continue
        after = words[i + 1] if i + 1 < len(words) else ""
        if after in ("عشر", "عشره") or (word == "اليوم" and after in lx.NOT_TODAY_AFTER):
            continue  # «الأحد عشر» is eleven; «اليوم الذي» is "the day that", not today
        start, end = i, i + 1
        while start > 0 and words[start - 1] in lx.TIME_BEFORE:
            start -= 1
        while end < len(words) and (words[end] in lx.TIME_AFTER or lx.is_time_head(words[end])):
            end += 1
        while start < i and words[start] == "من":
            start += 1
        if start > 0 and words[start - 1] in lx.SINCE_DATE_WORDS:
            continue  # «منذ أبريل»: a period the events fall in, not the date of one
        joined = " ".join(words[start:end])
        phrase = find_span(joined, text) or joined
        found = resolve_date(phrase, published)
        if found.value is not None:
            return found
    return None
