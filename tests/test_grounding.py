"""Tests for summarizer.brief.grounding and dates.find_date: event fields checked against, and completed
from, the sentences an event cites. Real sentences of the seed corpus throughout."""

from __future__ import annotations

import datetime as dt

import pytest

from summarizer.arabic.dates import find_date
from summarizer.arabic.gazetteer import default_gazetteer
from summarizer.brief.grounding import (
    background_only,
    checked_sub_event_type,
    figure_in_evidence,
    names_a_weapon,
    place_from_evidence,
    strip_dateline,
    unnamed_sources,
    zero_supported,
)

FRIDAY = dt.date(2023, 3, 24)  # 000 and 002
MONDAY_2021 = dt.date(2021, 6, 28)  # 003
MONDAY_2023 = dt.date(2023, 10, 23)  # 004

# 002, sentence 1 (with its dateline)
S002_1 = (
    "(بيروت) قُتل 11 مقاتلاً موالياً لإيران في غارات جوية أمريكية شرقي سوريا ليل الخميس والجمعة ، "
    "رداً على هجوم بطائرة مسيرة أسفر عن مقتل أميركي وإصابة ستة آخرين."
)
# 000
S000_PENTAGON = (
    'وقال البنتاغون في بيان، إن هجوم الخميس استهدف "منشأة صيانة في قاعدة لقوات التحالف قرب الحسكة '
    'في شمال شرقي سوريا".'
)
S000_KILLED = "وقتل في الضربات الأميركية 14 مسلحاً موالياً لإيران."
S000_ROCKETS = (
    'وقال مدير "المرصد السوري لحقوق الإنسان" رامي عبد الرحمن، لوكالة الصحافة الفرنسية، إن "مجموعات موالية '
    "لطهران، متمركزة قرب مدينة الميادين، أطلقت ثلاثة صواريخ صباح الجمعة، سقط اثنان منها في حرم حقل العمر، "
    'من دون أضرار، فيما سقط الثالث على منزل مدني" قرب الحقل الذي يضم قاعدة للقوات الأميركية.'
)
S000_TROOPS = (
    "ينتشر مئات من الجنود الأميركيين في #سوريا في إطار تحالف يقاتل فلول تنظيم #داعش وكثيراً ما "
    "يُستهدَفون بهجمات تشنها مجموعات مسلحة"
)
# 003
S003_7 = (
    "واشنطن/دمشق - تعرضت القوات الأميركية لنيران صواريخ في سوريا اليوم الاثنين دون وقوع إصابات، ردا على "
    "ما يبدو على ضربات جوية شنتها الولايات المتحدة في مطلع الأسبوع على فصائل متحالفة مع إيران "
    "في العراق وسوريا"
)
S003_15 = (
    "ودافع وزير الخارجية الأميركي أنتوني بلينكن والبيت الأبيض قبل ساعات عن الضربات الأميركية في العراق "
    "وسوريا أمس الأحد باعتبارها سبيلا لكبح التصعيد."
)
# 004
S004_8 = (
    'دوى انفجاران في أكبر قاعدة لـ"التحالف الدولي" في سوريا والمتمركزة  في حقل العمر النفطي شرقي دير '
    'الزور، نتيجة استهداف "ميليشيات" إيران بطائرات مسيّرة مركزاً للذخيرة، تزامناً مع ذلك، حلقت طائرات '
    "حربية ومسيرة في أجواء المنطقة، وذلك وفق بيان نشره المرصد السوري لحقوق الإنسان يوم الإثنين 23 "
    "أكتوبر/تشرين الأول 2023."
)


# --- find_date ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "published", "value", "phrase"),
    [
        (S002_1, FRIDAY, dt.date(2023, 3, 23), "ليل الخميس والجمعة"),  # a night: the day it began
        (S000_PENTAGON, FRIDAY, dt.date(2023, 3, 23), "الخميس"),
        (S000_ROCKETS, FRIDAY, dt.date(2023, 3, 24), "صباح الجمعة"),
        (S003_7, MONDAY_2021, dt.date(2021, 6, 28), "اليوم الاثنين"),
        (S003_15, MONDAY_2021, dt.date(2021, 6, 27), "أمس الأحد"),
        (S004_8, MONDAY_2023, dt.date(2023, 10, 23), "23 أكتوبر/تشرين الأول 2023"),  # explicit date wins
    ],
)
def test_find_date_takes_the_sentences_own_words(
    sentence: str, published: dt.date, value: dt.date, phrase: str
) -> None:
    found = find_date(sentence, published)
    assert found is not None
    assert found.value == value
    assert found.phrase_ar == phrase
    assert found.phrase_ar in sentence  # the article's own words, verbatim


def test_find_date_none_without_a_date_or_a_publication_date() -> None:
    assert find_date(S000_KILLED, FRIDAY) is None
    assert find_date(S000_PENTAGON, None) is None  # a weekday needs the publication date
    assert find_date("قتل الأحد عشر مقاتلا", FRIDAY) is None  # eleven, not Sunday
    assert find_date("في اليوم الذي وصلت فيه القوات", FRIDAY) is None  # "the day that", not today
    # an explicit date resolves without a publication date
    found = find_date(S004_8, None)
    assert found is not None and found.value == dt.date(2023, 10, 23)


def test_find_date_never_after_publication() -> None:
    # 23 October 2023 is after a 24 March 2023 publication: the explicit date is refused, and the
    # weekday before it («يوم الإثنين») resolves to the Monday before publication
    found = find_date(S004_8, FRIDAY)
    assert found is not None and found.value == dt.date(2023, 3, 20)


# --- datelines and places ------------------------------------------------------------------------------


def test_strip_dateline() -> None:
    assert strip_dateline(S002_1).startswith("قُتل 11")
    assert strip_dateline(S003_7).startswith("تعرضت القوات")
    assert strip_dateline("دمشق ـ أعلن المرصد") == "أعلن المرصد"
    # not datelines: a caption's credit at the end, a two-word clause before a dash
    assert strip_dateline("قوات أمريكية في سوريا - رويترز") == "قوات أمريكية في سوريا - رويترز"
    assert strip_dateline("قال مسؤول - في تصريح") == "قال مسؤول - في تصريح"
    # wire datelines with the agency in brackets (written for the tests)
    assert strip_dateline("صنعاء (أ ف ب) - قُتل ثلاثة") == "قُتل ثلاثة"
    assert strip_dateline("دير الزور (سانا) - استهدف") == "استهدف"
    assert strip_dateline("قُتل 11 مقاتلاً - في غارات") == "قُتل 11 مقاتلاً - في غارات"


def test_place_from_evidence_skips_the_dateline_and_narrows_a_country() -> None:
    gaz = default_gazetteer()
    syria = gaz.place("سوريا")
    place, why = place_from_evidence(syria, [S002_1], gaz)
    assert place is not None and place.name_en == "Eastern Syria"  # not Beirut, where AFP filed
    assert why is not None and "narrowed" in why


def test_place_from_evidence_replaces_a_place_the_sentences_do_not_name() -> None:
    gaz = default_gazetteer()
    damascus = gaz.place("دمشق")
    place, why = place_from_evidence(damascus, [S000_PENTAGON], gaz)
    assert place is not None and place.name_en == "Hasakah"
    assert why is not None and "not named" in why


def test_place_from_evidence_most_specific_first_mention() -> None:
    gaz = default_gazetteer()
    place, why = place_from_evidence(None, [S000_ROCKETS], gaz)  # al-Mayadin (city), al-Omar (field)
    assert place is not None and place.name_en == "al-Omar oil field"
    assert why is not None and "no place given" in why


def test_place_from_evidence_ties_go_to_the_first_mention() -> None:
    # Two countries, both named after «في»; Iraq is named first and again last (written for the tests).
    # The first mention wins the tie, however often the other place is named after it.
    gaz = default_gazetteer()
    said = "شنت الفصائل هجمات على منشآت في العراق، وقال مسؤول في سوريا إن الهجمات في العراق مستمرة."
    place, _ = place_from_evidence(None, [said], gaz)
    assert place is not None and place.name_en == "Iraq"


def test_place_from_evidence_keeps_a_model_place_the_sentences_name() -> None:
    gaz = default_gazetteer()
    mayadin = gaz.place("الميادين")
    assert place_from_evidence(mayadin, [S000_ROCKETS], gaz) == (mayadin, None)
    # and with no place in the sentences, the model's place stands
    assert place_from_evidence(mayadin, [S000_KILLED], gaz) == (mayadin, None)
    assert place_from_evidence(None, [S000_KILLED], gaz) == (None, None)


# --- types ---------------------------------------------------------------------------------------------


def test_attack_on_civilians_needs_civilians_and_no_remote_weapon() -> None:
    # «غارات جوية» comes first: an air strike, whatever the model called it
    assert checked_sub_event_type("attack", [S002_1], civilian_target=False) == "air_drone_strike"
    # rockets that hit a civilian house are shelling (ACLED: remote violence), not an attack on civilians
    assert checked_sub_event_type("attack", [S000_ROCKETS], civilian_target=True) == (
        "shelling_artillery_missile_attack"
    )
    # no weapon and no civilians: nothing to retype to, the model's type stands
    assert checked_sub_event_type("attack", [S000_TROOPS], civilian_target=False) is None
    assert (
        checked_sub_event_type("attack", ["قتل مسلحون ثلاثة مدنيين في قرية"], civilian_target=False) is None
    )


def test_weapon_types_need_their_weapon_words() -> None:
    assert checked_sub_event_type("air_drone_strike", [S002_1], False) is None
    rockets = "وذكر متحدث عسكري أميركي أن قوات بلاده تعرضت لهجوم بعدة صواريخ."  # 003
    assert checked_sub_event_type("air_drone_strike", [rockets], False) == "shelling_artillery_missile_attack"
    # its own words anywhere in the sentences keep the model's type («ضربات جوية» of the weekend)
    assert checked_sub_event_type("air_drone_strike", [S003_7], False) is None
    assert checked_sub_event_type("shelling_artillery_missile_attack", [S004_8], False) == "air_drone_strike"
    assert checked_sub_event_type("arrests", [S002_1], False) == "air_drone_strike"
    assert checked_sub_event_type("arrests", ["واعتقلت القوات خمسة أشخاص"], False) is None
    # statements and types without weapon words are the model's reading
    assert checked_sub_event_type("threat", [S002_1], False) is None
    assert checked_sub_event_type("disrupted_weapons_use", [S004_8], False) is None


# --- figures and sources -------------------------------------------------------------------------------


def test_figures_must_be_in_the_cited_sentences() -> None:
    assert figure_in_evidence(11, [S002_1])
    assert figure_in_evidence(6, [S002_1])  # «ستة»
    assert not figure_in_evidence(14, [S002_1])  # the other outlet's figure
    assert figure_in_evidence(14, [S000_PENTAGON, S000_KILLED])
    assert not figure_in_evidence(14, [S000_PENTAGON])
    # 004: «انفجاران قويان يهزان أكبر قاعدة ...»: two explosions, nobody reported killed
    assert not figure_in_evidence(2, ["انفجاران قويان يهزان أكبر قاعدة أمريكية في دير الزور بسوريا"])
    # a number in another clause than the casualty word is not a casualty figure
    assert not figure_in_evidence(3, ["أطلقت ثلاثة صواريخ صباح الجمعة، وقتل مدني"])


def test_a_zero_needs_words_saying_nobody_was_hurt() -> None:
    assert zero_supported([S003_7])  # «دون وقوع إصابات»
    assert zero_supported(['وقال الكولونيل وين ماروتو "لا توجد إصابات ونعكف على تقييم الأضرار"'])
    assert not zero_supported([S000_KILLED])
    assert figure_in_evidence(0, [S003_7])
    assert not figure_in_evidence(0, [S002_1])


def test_sources_the_article_never_names() -> None:
    gaz = default_gazetteer()
    article = S000_ROCKETS + "\n" + S000_PENTAGON
    sources = ["Reuters", "AFP", "the Pentagon", "SOHR", "CNN", "local sources"]
    # AFP is «وكالة الصحافة الفرنسية»; "local sources" is not an entry, so it cannot be checked
    assert unnamed_sources(sources, article, gaz) == ["Reuters", "CNN"]


def test_habitual_sentences_report_no_incident() -> None:
    assert background_only([S000_TROOPS])  # «وكثيراً ما يُستهدَفون بهجمات»
    assert background_only(["ملخص", S000_TROOPS])  # a heading does not count
    assert not background_only(["ملخص"])
    assert not background_only([S000_TROOPS, S000_KILLED])  # one incident sentence is enough
    assert not background_only([S002_1])
    assert not background_only([])


def test_a_period_since_a_date_dates_no_event() -> None:
    # 003: «... خمسة هجمات بطائرات مسيرة على منشآت ... في العراق منذ أبريل/نيسان»: five attacks since April
    s003 = (
        "وقال مسؤولان أميركيان إن الفصائل المدعومة من إيران شنت ما لا يقل عن خمسة هجمات بطائرات مسيرة "
        "على منشآت تستخدمها عناصر من الولايات المتحدة والتحالف في العراق منذ أبريل/نيسان."
    )
    assert find_date(s003, MONDAY_2021) is None
    later = find_date("هجمات منذ 23 أكتوبر/تشرين الأول 2023 آخرها الخميس", dt.date(2023, 10, 28))
    assert later is not None and later.phrase_ar == "الخميس"  # nor any part of the «منذ» date


def test_a_capital_standing_for_its_government_is_no_place() -> None:
    gaz = default_gazetteer()
    # 003: «... وسيلة لحرمان طهران من الأسلحة النووية»: Tehran is Iran's government here
    psaki = "لكنها دافعت عن انتهاج الدبلوماسية باعتبارها وسيلة لحرمان طهران من الأسلحة النووية."
    assert place_from_evidence(None, [psaki], gaz) == (None, None)
    place, _ = place_from_evidence(None, ["وصل الوفد إلى طهران"], gaz)
    assert place is not None and place.name_en == "Tehran"


def test_among_equally_specific_places_a_locative_mention_wins() -> None:
    gaz = default_gazetteer()
    # 003: facilities used by personnel «من الولايات المتحدة» (from the US) «في العراق» (in Iraq)
    s003 = (
        "شنت ما لا يقل عن خمسة هجمات بطائرات مسيرة على منشآت تستخدمها عناصر من الولايات المتحدة "
        "والتحالف في العراق"
    )
    assert [(p.name_en, here) for p, here in gaz.place_mentions(s003)] == [
        ("United States", False),
        ("Iraq", True),
    ]
    place, _ = place_from_evidence(None, [s003], gaz)
    assert place is not None and place.name_en == "Iraq"
    mentions = gaz.place_mentions("قصف بدير الزور وقرب الحسكة")  # «ب» attached; «و» + «قرب»
    assert [here for _, here in mentions] == [True, True]
    mentions = gaz.place_mentions("هجمات على القوات الأمريكية في العراق وسوريا")  # «و» joins «سوريا» to «في»
    assert [(p.name_en, here) for p, here in mentions] == [("Iraq", True), ("Syria", True)]
    mentions = gaz.place_mentions("تحالف مع إيران وسوريا")  # nothing locative to join
    assert [here for _, here in mentions] == [False, False]


def test_a_country_named_only_as_a_party_is_not_the_place() -> None:
    gaz = default_gazetteer()
    iran = gaz.place("إيران")
    # 004: «وقال أحد المسؤولين إن إيران تقدم توجيهات إلى الميليشيات ...»
    s004 = "وقال أحد المسؤولين إن إيران تقدم توجيهات إلى الميليشيات بأنه لن تتم معاقبتها"
    place, why = place_from_evidence(iran, [s004], gaz)
    assert place is None and why is not None and "as a party" in why
    place, _ = place_from_evidence(iran, [s004, "وسقطت الصواريخ في العراق"], gaz)
    assert place is not None and place.name_en == "Iraq"
    assert place_from_evidence(iran, ["وقع الانفجار في إيران"], gaz) == (iran, None)
    # nor does a party-country replace a place the sentences do not name, or fill a missing one
    syria = gaz.place("سوريا")
    assert place_from_evidence(syria, [s004], gaz) == (syria, None)
    assert place_from_evidence(None, [s004], gaz) == (None, None)


def test_a_statement_takes_only_a_locative_place() -> None:
    gaz = default_gazetteer()
    # 002: «وتقول إيران إنها نشرت قواتها في سوريا بدعوة من دمشق وكمستشارين فقط.»
    s002 = "وتقول إيران إنها نشرت قواتها في سوريا بدعوة من دمشق وكمستشارين فقط."
    place, _ = place_from_evidence(None, [s002], gaz)
    assert place is not None and place.name_en == "Damascus"  # the most specific mention
    place, _ = place_from_evidence(None, [s002], gaz, locative_only=True)
    assert place is not None and place.name_en == "Syria"
    assert place_from_evidence(None, ["وقالت طهران إن واشنطن تتحمل المسؤولية"], gaz, locative_only=True) == (
        None,
        None,
    )


@pytest.mark.parametrize(
    ("weapon", "named"),
    [
        ("drone", True),
        ("air and drone strikes", True),
        ("missiles", True),
        ("Rockets", True),
        ("artillery shelling", True),
        ("IED", True),
        ("Unidentified armed group", False),  # recorded on 000: an actor in the weapon field
        ("Eastern Syria", False),
    ],
)
def test_a_weapon_field_must_name_a_weapon(weapon: str, named: bool) -> None:
    assert names_a_weapon(weapon) is named
