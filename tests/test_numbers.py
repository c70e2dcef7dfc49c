"""Tests for summarizer.arabic.numbers: the counts an article states, in digits, words, duals and conventions.

Sentences are copied from the seed corpus (articles 000, 002, 003 and 004).
"""

from __future__ import annotations

import pytest

from summarizer.arabic.numbers import numbers_in_text, supports_number


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # Digits, Western and Arabic-Indic.
        ("(بيروت) قُتل 11 مقاتلاً موالياً لإيران في غارات جوية أمريكية شرقي سوريا", {11}),
        ("وقتل في الضربات الأميركية 14 مسلحاً موالياً لإيران.", {14}),
        ("قُتل ١١ مقاتلاً موالياً لإيران", {11}),
        ('ويقدّر "المرصد" وجود نحو 15 ألف مسلح من المجموعات العراقية', {15, 15000}),
        ("نحو 15,000 مسلح", {15000}),
        # Number words, both genders, with and without proclitics.
        ("الضربات الأمريكية استهدفت مستودع أسلحة في بلدة دير الزور وقتلت ستة مقاتلين موالين لإيران.", {6}),
        ("وأضافت المنظمة غير الحكومية أن “خمسة مقاتلين آخرين قتلوا في قصف", {5}),
        ("أطلقت ثلاثة صواريخ صباح الجمعة، سقط اثنان منها في حرم حقل العمر", {2, 3}),
        ('وكانت حصيلة سابقة لـ"المرصد" أفادت بمقتل ثمانية مسلحين موالين لطهران.', {8}),
        ("وذكرت قوات الحشد الشعبي الموالية لإيران في بيان أسماء أربعة أعضاء في 'كتائب سيد الشهداء'", {4}),
        ("بينما تم إجلاء الجنود الثلاثة الآخرين ومقاول أمريكي إلى العراق", {3}),
        ("إلى ستة بالإضافة إلى مقتل متعاقد أميركي", {1, 6}),
        ("بثلاث طائرات", {3}),
        ("ولسبعة مقاتلين", {7}),
        ("تسع نساء وتسعة رجال", {9}),
        ("عشرة جنود", {10}),
        ("إحدى القواعد", {1}),
        ("وقال أحد المسؤولين إن إيران تقدم توجيهات إلى الميليشيات", {1}),
        # «اثنين من القتلى الأحد عشر»: «الأحد عشر» is eleven, not Sunday.
        ("وذكرت أن اثنين من القتلى الأحد عشر سوريان.", {2, 11}),
        # Teens.
        ("أحد عشر مقاتلا", {11}),
        ("إحدى عشرة غارة", {11}),
        ("اثنا عشر جنديا", {12}),
        ("اثني عشر مسلحا", {12}),
        ("ثلاثة عشر قتيلا", {13}),
        ("تسع عشرة طائرة", {19}),
        # Tens and compounds.
        ("عشرون صاروخا", {20}),
        ("تسعين يوما", {90}),
        ("خمسة وعشرين مقاتلا", {25}),
        ("واحد وثلاثون", {31}),
        ("مئة وخمسة وعشرون", {125}),
        ("مائة جندي", {100}),
        ("مئتا جندي", {200}),
        ("ثلاثمئة", {300}),
        ("ثلاث مئة", {300}),
        ("ألف ومئتان", {1200}),
        ("ثلاثة آلاف", {3000}),
        ("خمسة وعشرين ألفا", {25000}),
        # Two numbers side by side are not a compound.
        ("ثلاثة وأربعة", {3, 4}),
    ],
)
def test_numbers_in_text(sentence: str, expected: set[int]) -> None:
    assert numbers_in_text(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        # Weekdays: «الأحد» is Sunday, «الاثنين»/«الإثنين» Monday.
        "ودافع وزير الخارجية الأميركي أنتوني بلينكن والبيت الأبيض عن الضربات الأميركية أمس الأحد",
        "تعرضت القوات الأميركية لنيران صواريخ في سوريا اليوم الاثنين",
        "وذلك وفق بيان نشره المرصد السوري لحقوق الإنسان يوم الإثنين",
        # Plurals of magnitude are not numbers.
        "ينتشر مئات من الجنود الأميركيين في #سوريا",
        "آلاف المقاتلين",
        # Plural, not dual: unvocalized «مقاتلين» is the plural.
        "أسفرت عن مقتل مقاتلين موالين لإيران",
        # A preposition glued to a short stem: «لست» is "you are not".
        "لست أدري",
        # Clock times and numeric dates are not counts.
        "وقع حوالى الساعة 11 صباحاً (09:00 بتوقيت غرينتش)",
        "تم النشر: 2023/10/23 الساعة 21:31 بتوقيت غرينتش",
        "وقع الهجوم عند الساعة الواحدة ظهرا",
        # «في المئة»/«بالمئة» is percent, not 100.
        "ارتفعت الأسعار بالمئة",
        # Vague quantities.
        "إن الضربات الأميركية خلفت عدة قتلى وجرحى من المقاتلين",
    ],
)
def test_not_numbers(sentence: str) -> None:
    assert numbers_in_text(sentence) == set()


def test_percentages_are_kept_as_written() -> None:
    assert numbers_in_text("نحو 50 في المئة من المقاتلين") == {50}
    assert numbers_in_text("خمسون في المائة") == {50}


def test_day_of_month_is_not_a_count_but_the_year_is_stated() -> None:
    assert numbers_in_text("يوم الإثنين 23 أكتوبر/تشرين الأول 2023") == {2023}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("انفجاران قويان يهزان أكبر قاعدة أمريكية في دير الزور", {2}),
        ("دمرنا مسيَّرتين قبل أن تصلا لأهدافهما", {2}),
        ("الانفجارين ناتجان عن طائرتين مسيرتين ضربتا القاعدة", {2}),
        ("وقال مسؤولان أميركيان، تحدثا شريطة عدم الكشف عن هويتهما", {2}),
        ("أصيب جنديين", {2}),
    ],
)
def test_duals_mean_two(sentence: str, expected: set[int]) -> None:
    assert numbers_in_text(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "رداً على هجوم بطائرة مسيرة أسفر عن مقتل أميركي وإصابة ستة آخرين.",
        "أدى إلى مقتل مقاول أميركي وإصابة آخر وخمسة جنود أميركيين.",
        "وفي وقت لاحق، قال مسؤولون أميركيون إن جندياً أميركياً آخر أصيب بجروح يوم الجمعة.",
        "أعلنت وسائل إعلام رسمية إيرانية مقتل لواء في الحرس الثوري",
    ],
)
def test_an_indefinite_singular_victim_is_one(sentence: str) -> None:
    assert 1 in numbers_in_text(sentence)


def test_a_counted_singular_after_a_number_is_not_one() -> None:
    # Numbers 11-99 take a singular noun («14 مسلحاً»): it is the counted noun, not one more victim.
    assert numbers_in_text("وقتل في الضربات الأميركية 14 مسلحاً موالياً لإيران") == {14}


@pytest.mark.parametrize(
    "sentence",
    [
        "تعرضت القوات الأميركية لنيران صواريخ في سوريا اليوم الاثنين دون وقوع إصابات",
        'وقال الكولونيل وين ماروتو "لا توجد إصابات ونعكف على تقييم الأضرار"',
        "بعد أن تعرضت قاعدة تابعة للتحالف لهجوم من قبل طائرات بدون طيار متعددة لم تسفر عن سقوط ضحايا.",
        "لم يصب أحد بأذى",
        # the plurals «قتلى» and «جرحى» (written for the tests): their entries were once unnormalized
        "انفجرت عبوة ناسفة دون سقوط قتلى أو جرحى",
        "لا جرحى في الحادث",
    ],
)
def test_a_negated_casualty_word_states_zero(sentence: str) -> None:
    assert numbers_in_text(sentence) == {0}


def test_unclear_casualties_are_not_zero() -> None:
    sentence = "ولم يتضح إذا ما كان تسبب في سقوط خسائر بشرية."
    assert 0 not in numbers_in_text(sentence)


@pytest.mark.parametrize(
    ("sentence", "n"),
    [
        ("عشرات القتلى", 10),  # ACLED: "tens" = 10
        ("سقط العشرات من المسلحين", 10),
        ("dozens of fighters were killed", 12),  # ACLED: "dozens" = 12, English only
        ("a dozen soldiers", 12),
        ("tens of people", 10),
        ("twenty-five soldiers", 25),
        ("one hundred and five", 105),
    ],
)
def test_acled_conventions_and_english(sentence: str, n: int) -> None:
    assert supports_number(n, sentence)


def test_supports_number_on_the_seed_articles() -> None:
    # Article 000 gives 14 killed (and an earlier toll of 8); the 11 of article 002 is not in it:
    # its only «11» is a clock time.
    article_000 = (
        'وغداة مقتل 14 مسلحاً موالياً لإيران جراء ضربات جوية "دقيقة" أعلنت واشنطن تنفيذها في شرق سوريا، '
        'ذكرت قناة "الميادين" اللبنانية ومصدر أمني أن قاعدة أميركية في حقل العمر النفطي في شمال شرقي سوريا '
        "تعرضت لهجوم صاروخي صباح الجمعة.\n"
        'وقال المصدر لوكالة "رويترز"، إن الهجوم وقع حوالى الساعة 11 صباحاً (09:00 بتوقيت غرينتش).\n'
        'وكانت حصيلة سابقة لـ"المرصد" أفادت بمقتل ثمانية مسلحين موالين لطهران.'
    )
    assert supports_number(14, article_000)
    assert supports_number(8, article_000)
    assert not supports_number(11, article_000)
    assert not supports_number(9, article_000)

    article_002 = (
        "(بيروت) قُتل 11 مقاتلاً موالياً لإيران في غارات جوية أمريكية شرقي سوريا ليل الخميس والجمعة ، "
        "رداً على هجوم بطائرة مسيرة أسفر عن مقتل أميركي وإصابة ستة آخرين.\n"
        "والقتيل مقاول أمريكي ، والمصابين خمسة جنود ومقاول آخر أمريكي ، بحسب المصدر ذاته."
    )
    assert supports_number(11, article_002)
    assert supports_number(6, article_002)
    assert supports_number(1, article_002)
    assert supports_number(5, article_002)
    assert not supports_number(14, article_002)
    assert not supports_number(7, article_002)


def test_numbers_in_text_returns_a_fresh_set() -> None:
    found = numbers_in_text("ستة مقاتلين")
    found.add(99)
    assert numbers_in_text("ستة مقاتلين") == {6}


# Written for the tests, not real reporting.
@pytest.mark.parametrize(
    ("text", "numbers", "figures"),
    [
        ("بلغ الإنتاج مليوناً و210 آلاف برميل يومياً", {1_000_000, 210, 210_000, 1_210_000}, {1_210_000}),
        ("بلغ الإنفاق نحو 187 تريليون دينار", {187, 187_000_000_000_000}, {187_000_000_000_000}),
        ("output reached 1.21 million barrels a day", {1_210_000}, {1_210_000}),
        ("revenue above 11 billion dollars", {11, 11_000_000_000}, {11_000_000_000}),
        ("قُتل 14 شخصاً", {14}, {14}),
    ],
)
def test_a_compound_figure_is_one_figure_for_a_translation(
    text: str, numbers: set[int], figures: set[int]
) -> None:
    from summarizer.arabic.numbers import figures_in_text

    assert numbers_in_text(text) == numbers  # every reading, for checking a model's figure
    assert figures_in_text(text) == figures  # the wholes a translation must render
