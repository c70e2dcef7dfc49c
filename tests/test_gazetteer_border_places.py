"""The gazetteer knows the places and actors of Lebanon-Israel border, Yemen-Saudi border and northern
Syria news: south Lebanese villages, north Israeli settlements and barracks, Jazan and Asir border
towns, Saada and Hajjah districts, and the names Saudi and Turkish media give the Houthis and the PKK/YPG."""

from __future__ import annotations

import pytest

from summarizer.arabic.gazetteer import ENV_VAR, Gazetteer


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv(ENV_VAR, raising=False)
        return Gazetteer.load()


@pytest.mark.parametrize(
    ("text", "name_en", "country_en", "admin1_en"),
    [
        ("غارة على بلدة عيترون الجنوبية", "Aitaroun", "Lebanon", "Nabatieh"),
        ("استهدفت دراجة نارية على طريق بلدة مجدل زون", "Majdal Zoun", "Lebanon", "South"),
        ("قصف مدفعي على أطراف ميس الجبل", "Mais al-Jabal", "Lebanon", "Nabatieh"),
        ("غارة على بلدة مارون الراس", "Maroun al-Ras", "Lebanon", "Nabatieh"),
        ("قصف أطراف بلدة طير حرفا", "Tayr Harfa", "Lebanon", "South"),
        ("استهدف موقعا في مزارع شبعا اللبنانية المحتلة", "Shebaa Farms", "Lebanon", "Nabatieh"),
        ('استهدفوا ثكنة "زرعيت" الإسرائيلية', "Zar'it", "Israel", "Northern District"),
        ("استهدفوا ثكنة برانيت بالصواريخ", "Biranit barracks", "Israel", "Northern District"),
        ("سقط صاروخ في مستعمرة المنارة", "Manara", "Israel", "Northern District"),
        ("دوت صفارات الإنذار في نهاريا", "Nahariya", "Israel", "Northern District"),
        ("استهدف الحوثيون مطار جازان بطائرتين مسيرتين", "Jazan Airport", "Saudi Arabia", "Jazan"),
        ("سقط مقذوف في محافظة صامطة", "Samtah", "Saudi Arabia", "Jazan"),
        ("قصف على مديرية باقم الحدودية", "Baqim", "Yemen", "Saada"),
        ("اشتباكات في مدينة حجة", "Hajjah", "Yemen", "Hajjah"),
        ("قصف تركي على مدينة مارع", "Marea", "Syria", "Aleppo"),
    ],
)
def test_border_places_resolve(
    gaz: Gazetteer, text: str, name_en: str, country_en: str, admin1_en: str
) -> None:
    found = gaz.find_places(text)
    assert [p.name_en for p in found] == [name_en]
    assert found[0].country_en == country_en
    assert found[0].admin1_en == admin1_en


@pytest.mark.parametrize(
    "text",
    [
        "النوايا الطيبة بين البلدين",  # «الطيبة»: good (intentions), not the village
        "سهر طوال الليل في الساعات الطوال",  # «طوال»: throughout, long
        "رفض الاتهام بحجة أن الأدلة ناقصة",  # «بحجة»: on the pretext
        "مسح العرق عن الجبين",  # «الجبين»: the forehead
    ],
)
def test_common_words_are_not_places(gaz: Gazetteer, text: str) -> None:
    assert gaz.find_places(text) == []


def test_abha_airport_is_the_airport_and_abha_the_city(gaz: Gazetteer) -> None:
    assert [p.name_en for p in gaz.find_places("استهدف مطار أبها الدولي")] == ["Abha International Airport"]
    assert [p.name_en for p in gaz.find_places("سقطت شظايا في مدينة أبها")] == ["Abha"]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("أطلقتها الميليشيا الحوثية الإرهابية باتجاه جازان", ["Houthis (Ansar Allah)"]),
        ("تصدت الدفاعات لهجوم الميليشيات الحوثية", ["Houthis (Ansar Allah)"]),
        ("صرح المتحدث الرسمي العميد الركن تركي المالكي", ["Turki al-Maliki"]),
        (
            'تحييد سبعة من عناصر تنظيم "بي كا كا/ واي بي جي" الإرهابي',
            ["Kurdistan Workers' Party (PKK)", "People's Protection Units (YPG)"],
        ),
        ("بحسب وزارة الصحة العامة اللبنانية", ["Lebanese health ministry"]),
        ("بحسب وزارة الصحة العامة في لبنان", ["Lebanese health ministry"]),
    ],
)
def test_border_actors_resolve(gaz: Gazetteer, text: str, names: list[str]) -> None:
    assert [a.name_en for a in gaz.find_actors(text)] == names


def test_turki_al_maliki_is_the_coalition_spokesman(gaz: Gazetteer) -> None:
    maliki = gaz.actor("تركي المالكي")
    assert maliki is not None
    assert (maliki.sector, maliki.kind, maliki.country_en) == ("MIL", "person", "Saudi Arabia")


def test_bare_public_health_ministry_is_not_lebanons(gaz: Gazetteer) -> None:
    # Several countries have a «وزارة الصحة العامة»; only «اللبنانية» / «في لبنان» makes it Lebanon's.
    assert gaz.actor("وزارة الصحة العامة") is None
    assert all(a.name_en != "Lebanese health ministry" for a in gaz.find_actors("أفادت وزارة الصحة العامة"))
