"""Tests for summarizer.arabic.dates: Arabic date phrases resolved against the publication date.

Publication dates of the seed corpus: 000 and 002 on Friday 2023-03-24, 003 on Monday 2021-06-28,
004 on Monday 2023-10-23.
"""

from __future__ import annotations

import datetime as dt

import pytest

from summarizer.arabic.dates import find_date, resolve_date
from summarizer.schema import EventDate

FRIDAY = dt.date(2023, 3, 24)  # articles 000 and 002
MONDAY_2021 = dt.date(2021, 6, 28)  # article 003
MONDAY_2023 = dt.date(2023, 10, 23)  # article 004


def test_publication_dates_are_the_weekdays_the_articles_say() -> None:
    assert FRIDAY.weekday() == 4
    assert MONDAY_2021.weekday() == 0
    assert MONDAY_2023.weekday() == 0


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        # Article 002: «قُتل 11 مقاتلاً … ليل الخميس والجمعة»: the night is dated to the day it began.
        ("ليل الخميس والجمعة", dt.date(2023, 3, 23)),
        ("ليلة الخميس إلى الجمعة", dt.date(2023, 3, 23)),
        # Article 000: «تعرضت لهجوم صاروخي صباح الجمعة»: the publication day itself.
        ("صباح الجمعة", dt.date(2023, 3, 24)),
        ("يوم الجمعة", dt.date(2023, 3, 24)),
        ("فجر الجمعة", dt.date(2023, 3, 24)),
        ("في وقت متأخر الجمعة", dt.date(2023, 3, 24)),
        ("في وقت مبكر من صباح الجمعة", dt.date(2023, 3, 24)),
        ("والجمعة", dt.date(2023, 3, 24)),
        # «هجوم بطائرة مسيرة الخميس», «مساء الخميس»: the day before.
        ("الخميس", dt.date(2023, 3, 23)),
        ("مساء الخميس", dt.date(2023, 3, 23)),
        ("يوم الخميس", dt.date(2023, 3, 23)),
        # Other weekdays: the most recent one on or before publication.
        ("السبت", dt.date(2023, 3, 18)),
        ("الأحد", dt.date(2023, 3, 19)),
        ("يوم الإثنين", dt.date(2023, 3, 20)),
        ("الاثنين", dt.date(2023, 3, 20)),
        ("الثلاثاء", dt.date(2023, 3, 21)),
        ("الأربعاء", dt.date(2023, 3, 22)),
        # «الماضي» right after the weekday: strictly before publication.
        ("الجمعة الماضية", dt.date(2023, 3, 17)),
        ("الخميس الماضي", dt.date(2023, 3, 23)),
        # Relative words.
        ("اليوم", dt.date(2023, 3, 24)),
        ("صباح اليوم", dt.date(2023, 3, 24)),
        ("الليلة", dt.date(2023, 3, 24)),
        ("أمس", dt.date(2023, 3, 23)),
        ("الأمس", dt.date(2023, 3, 23)),
        ("مساء أمس", dt.date(2023, 3, 23)),
        ("البارحة", dt.date(2023, 3, 23)),
        ("الليلة الماضية", dt.date(2023, 3, 23)),
        ("أول أمس", dt.date(2023, 3, 22)),
        ("أول من أمس", dt.date(2023, 3, 22)),
        ("قبل يومين", dt.date(2023, 3, 22)),
        ("قبل ثلاثة أيام", dt.date(2023, 3, 21)),
        ("قبل ٣ أيام", dt.date(2023, 3, 21)),
    ],
)
def test_day_phrases_against_a_friday(phrase: str, expected: dt.date) -> None:
    assert resolve_date(phrase, FRIDAY) == EventDate(value=expected, precision="day", phrase_ar=phrase)


def test_article_003_monday() -> None:
    # «تعرضت القوات الأميركية لنيران صواريخ في سوريا اليوم الاثنين»
    assert resolve_date("اليوم الاثنين", MONDAY_2021).value == dt.date(2021, 6, 28)
    # «الضربات الأميركية في العراق وسوريا أمس الأحد»
    assert resolve_date("أمس الأحد", MONDAY_2021).value == dt.date(2021, 6, 27)
    # «ضربات جوية شنتها الولايات المتحدة في مطلع الأسبوع»: the week that began on Sunday 27 June.
    assert resolve_date("في مطلع الأسبوع", MONDAY_2021) == EventDate(
        value=dt.date(2021, 6, 27), precision="week", phrase_ar="في مطلع الأسبوع"
    )
    # «فقد أمر في فبراير/شباط الماضي»
    assert resolve_date("فبراير/شباط الماضي", MONDAY_2021) == EventDate(
        value=dt.date(2021, 2, 1), precision="month", phrase_ar="فبراير/شباط الماضي"
    )
    # «منذ أبريل/نيسان»: the latest April on or before publication.
    assert resolve_date("منذ أبريل/نيسان", MONDAY_2021).value == dt.date(2021, 4, 1)


def test_article_004_absolute_date() -> None:
    phrase = "يوم الإثنين 23 أكتوبر/تشرين الأول 2023"
    expected = EventDate(value=dt.date(2023, 10, 23), precision="day", phrase_ar=phrase)
    assert resolve_date(phrase, MONDAY_2023) == expected
    # An absolute date needs no publication date.
    assert resolve_date(phrase, None) == expected
    assert resolve_date("مساء الإثنين", MONDAY_2023).value == dt.date(2023, 10, 23)


def test_weeks_and_months() -> None:
    assert resolve_date("الأسبوع الماضي", FRIDAY) == EventDate(
        value=dt.date(2023, 3, 12), precision="week", phrase_ar="الأسبوع الماضي"
    )
    assert resolve_date("هذا الأسبوع", FRIDAY).value == dt.date(2023, 3, 19)
    assert resolve_date("الشهر الماضي", FRIDAY) == EventDate(
        value=dt.date(2023, 2, 1), precision="month", phrase_ar="الشهر الماضي"
    )
    assert resolve_date("الشهر الماضي", dt.date(2023, 1, 10)).value == dt.date(2022, 12, 1)
    assert resolve_date("هذا الشهر", FRIDAY).value == dt.date(2023, 3, 1)
    assert resolve_date("قبل أسبوعين", FRIDAY) == EventDate(
        value=dt.date(2023, 3, 10), precision="week", phrase_ar="قبل أسبوعين"
    )
    assert resolve_date("قبل شهرين", FRIDAY).value == dt.date(2023, 1, 1)


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("2023/10/23", dt.date(2023, 10, 23)),
        ("2023-10-23", dt.date(2023, 10, 23)),
        ("23-10-2023", dt.date(2023, 10, 23)),
        ("23/10/2023", dt.date(2023, 10, 23)),
        ("تم النشر: 2023/10/23 الساعة 21:31 بتوقيت غرينتش", dt.date(2023, 10, 23)),
        ("٢٣ أكتوبر ٢٠٢٣", dt.date(2023, 10, 23)),
        ("۲۳ تشرين الأول ۲۰۲۳", dt.date(2023, 10, 23)),
        ("في 5 من شهر كانون الثاني عام 2023", dt.date(2023, 1, 5)),
        ("الخميس 23 مارس/آذار 2023", dt.date(2023, 3, 23)),
    ],
)
def test_absolute_dates(phrase: str, expected: dt.date) -> None:
    assert resolve_date(phrase, MONDAY_2023) == EventDate(value=expected, precision="day", phrase_ar=phrase)


@pytest.mark.parametrize(
    ("egyptian", "levantine", "month"),
    [
        ("يناير", "كانون الثاني", 1),
        ("فبراير", "شباط", 2),
        ("مارس", "آذار", 3),
        ("أبريل", "نيسان", 4),
        ("مايو", "أيار", 5),
        ("يونيو", "حزيران", 6),
        ("يوليو", "تموز", 7),
        ("أغسطس", "آب", 8),
        ("سبتمبر", "أيلول", 9),
        ("أكتوبر", "تشرين الأول", 10),
        ("نوفمبر", "تشرين الثاني", 11),
        ("ديسمبر", "كانون الأول", 12),
    ],
)
def test_month_names(egyptian: str, levantine: str, month: int) -> None:
    expected = dt.date(2022, month, 15)
    for phrase in (f"15 {egyptian} 2022", f"15 {levantine} 2022", f"15 {egyptian}/{levantine} 2022"):
        assert resolve_date(phrase, None).value == expected, phrase
    assert resolve_date(f"في {egyptian} / {levantine} 2022", None) == EventDate(
        value=dt.date(2022, month, 1), precision="month", phrase_ar=f"في {egyptian} / {levantine} 2022"
    )


def test_day_and_month_without_year_take_the_year_before_publication() -> None:
    assert resolve_date("23 آذار", FRIDAY).value == dt.date(2023, 3, 23)
    assert resolve_date("24 آذار", FRIDAY).value == dt.date(2023, 3, 24)
    # 25 March 2023 would be after publication: the year before.
    assert resolve_date("25 آذار", FRIDAY).value == dt.date(2022, 3, 25)
    assert resolve_date("31 ديسمبر", FRIDAY).value == dt.date(2022, 12, 31)
    # Without a publication date there is no year to take.
    assert resolve_date("23 آذار", None) == EventDate(value=None, precision="unknown", phrase_ar="23 آذار")


def test_never_later_than_published() -> None:
    phrases = [
        "الجمعة",
        "السبت",
        "الأحد",
        "الاثنين",
        "الثلاثاء",
        "الأربعاء",
        "الخميس",
        "اليوم",
        "الليلة",
        "أمس",
        "الأسبوع الماضي",
        "مطلع الأسبوع",
        "هذا الأسبوع",
        "الشهر الماضي",
        "هذا الشهر",
        "ديسمبر/كانون الأول الماضي",
        "ليل الجمعة والسبت",
        "2023/10/23",
        "25 مارس 2023",
        "31 ديسمبر",
    ]
    for published in (FRIDAY, MONDAY_2021, dt.date(2023, 1, 1), dt.date(2024, 2, 29)):
        for phrase in phrases:
            value = resolve_date(phrase, published).value
            assert value is None or value <= published, (phrase, published, value)
    # A date after publication is not returned at all.
    assert resolve_date("2023/10/23", FRIDAY) == EventDate(
        value=None, precision="unknown", phrase_ar="2023/10/23"
    )


def test_relative_phrases_need_a_publication_date() -> None:
    for phrase in ("الخميس", "صباح الجمعة", "أمس", "الأسبوع الماضي", "ليل الخميس والجمعة"):
        assert resolve_date(phrase, None) == EventDate(value=None, precision="unknown", phrase_ar=phrase)


@pytest.mark.parametrize(
    "phrase",
    [
        "في وقت لاحق",
        "قبل أيام",
        "عام 2019",
        "منذ بداية عام 2021",
        "الأحد عشر",
        # Article 002: «وجاء الهجوم في اليوم الذي أعلنت فيه وسائل إعلام رسمية إيرانية…»
        "في اليوم الذي أعلنت فيه وسائل إعلام رسمية إيرانية",
    ],
)
def test_unknown_phrases_are_kept(phrase: str) -> None:
    assert resolve_date(phrase, FRIDAY) == EventDate(value=None, precision="unknown", phrase_ar=phrase)


def test_no_phrase() -> None:
    assert resolve_date(None, FRIDAY) == EventDate(value=None, precision="unknown", phrase_ar=None)
    assert resolve_date("   ", FRIDAY) == EventDate(value=None, precision="unknown", phrase_ar=None)


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        (
            "اندلعت الحرب إثر هجوم شنّته حماس على جنوب إسرائيل في السابع من تشرين الأول/أكتوبر",
            dt.date(2023, 10, 7),
        ),
        ("الأول من مارس 2021", dt.date(2021, 3, 1)),
        ("في الحادي والعشرين من آذار/مارس", dt.date(2023, 3, 21)),
        ("الحادي عشر من سبتمبر", dt.date(2023, 9, 11)),
    ],
)
def test_a_day_told_as_an_ordinal_word(phrase: str, expected: dt.date) -> None:
    found = find_date(phrase, dt.date(2024, 2, 13))
    assert found is not None and (found.value, found.precision) == (expected, "day")


def test_since_an_ordinal_day_dates_nothing() -> None:
    # «منذ الثامن من تشرين الأول»: a period the events fall in, not the date of one
    assert find_date("يتبادل حزب الله وإسرائيل القصف منذ الثامن من تشرين الأول", dt.date(2024, 1, 14)) is None
