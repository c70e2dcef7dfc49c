"""Tests for summarizer.arabic.gazetteer: places and actors in both scripts, one stable English name each."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarizer.arabic.gazetteer import ENV_VAR, ActorEntry, Gazetteer, Place, default_gazetteer
from summarizer.errors import ConfigError
from summarizer.schema import Actor, Location


@pytest.fixture
def gaz(monkeypatch: pytest.MonkeyPatch) -> Gazetteer:
    monkeypatch.delenv(ENV_VAR, raising=False)
    return Gazetteer.load()


# --- places ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name_en", "spellings"),
    [
        (
            "Deir ez-Zor",
            [
                "دير الزور",
                "ديرالزور",
                "بدير الزور",
                "Deir ez-Zor",
                "Deir al-Zour",
                "Dayr az Zawr",
                "Deir Ezzor",
                "deir ez zor",
                "DEIR-EZ-ZOR",
            ],
        ),
        (
            "Albu Kamal",
            [
                "البوكمال",
                "البو كمال",
                "أبو كمال",
                "والبوكمال",
                "Albu Kamal",
                "Abu Kamal",
                "Al Bukamal",
                "al-Bukamal",
            ],
        ),
        ("Hasakah", ["الحسكة", "الحسكه", "Hasakah", "Al-Hasakah", "Hassakeh", "al hasakah"]),
        (
            "al-Mayadin",
            ["الميادين", "ميادين", "بالميادين", "al-Mayadin", "Mayadin", "Mayadeen", "Al Mayadin"],
        ),
        ("Qamishli", ["القامشلي", "Qamishli", "Qamishlo", "Kamishli"]),
        (
            "al-Omar oil field",
            ["حقل العمر", "حقل العمر النفطي", "al-Omar oil field", "Omar oil field", "Al-Omar oilfield"],
        ),
        ("Conoco gas field", ["حقل كونيكو", "Conoco", "Conoco gas field"]),
        ("al-Shaddadi", ["الشدادي", "Shaddadi", "al-Shaddadi", "Ash Shaddadah"]),
        ("al-Tanf", ["التنف", "قاعدة التنف", "al-Tanf", "At-Tanf", "Tanf"]),
        ("Rmelan", ["رميلان", "Rmeilan"]),
        ("Kharab al-Jir", ["خراب الجير", "Kharab al-Jir"]),
        ("Tal Baydar", ["تل بيدر", "Tal Baydar"]),
        ("Hajin", ["هجين", "Hajin"]),
        ("al-Quriyah", ["القورية", "Quriyah"]),
        ("Raqqa", ["الرقة", "Raqqa", "Ar-Raqqah"]),
        ("Tabqa", ["الطبقة", "Tabqa", "al-Tabqa"]),
        ("Palmyra", ["تدمر", "Palmyra", "Tadmur"]),
        ("Damascus", ["دمشق", "Damascus"]),
        ("Aleppo", ["حلب", "Aleppo"]),
        ("Homs", ["حمص", "Homs"]),
        ("Baghdad", ["بغداد", "Baghdad"]),
        ("Erbil", ["أربيل", "اربيل", "Erbil", "Arbil", "Irbil"]),
        ("Ain al-Asad Air Base", ["عين الأسد", "قاعدة عين الأسد", "Ain al-Asad", "Al Asad Airbase"]),
        ("al-Qaim", ["القائم", "al-Qaim", "Al Qaim"]),
        ("Anbar Governorate", ["الأنبار", "محافظة الأنبار", "Anbar", "Al Anbar", "Anbar Governorate"]),
        ("Ottawa", ["أوتاوا", "Ottawa"]),
        ("Syria", ["سوريا", "سورية", "Syria"]),
        ("United States", ["الولايات المتحدة", "أمريكا", "أميركا", "US", "U.S.", "USA", "United States"]),
        ("United Kingdom", ["المملكة المتحدة", "بريطانيا", "UK", "Britain"]),
        ("Iran", ["إيران", "ايران", "Iran"]),
        ("Iraq", ["العراق", "Iraq"]),
        ("Israel", ["إسرائيل", "Israel"]),
        ("Lebanon", ["لبنان", "Lebanon"]),
        ("Turkey", ["تركيا", "Turkey", "Türkiye"]),
        ("Jordan", ["الأردن", "Jordan"]),
        ("Russia", ["روسيا", "Russia"]),
        ("Canada", ["كندا", "Canada"]),
    ],
)
def test_place_spellings_map_to_one_english_name(gaz: Gazetteer, name_en: str, spellings: list[str]) -> None:
    for spelling in spellings:
        place = gaz.place(spelling)
        assert place is not None, spelling
        assert place.name_en == name_en, spelling


def test_english_lookup_ignores_case_hyphens_articles_and_initials(gaz: Gazetteer) -> None:
    # None of these spellings is listed as such in the data file.
    cases = {
        "Deir az-Zor": "Deir ez-Zor",
        "DEIR EZ ZOR": "Deir ez-Zor",
        "al-Hajin": "Hajin",
        "El Mayadin": "al-Mayadin",
        "the Qamishli": "Qamishli",
        "Shaddadi": "al-Shaddadi",
        "al Shaddadi": "al-Shaddadi",
        "U. S. A.": "United States",
        "Dar’a": "Daraa",
    }
    for spelling, name_en in cases.items():
        place = gaz.place(spelling)
        assert place is not None and place.name_en == name_en, spelling
    actor = gaz.actor("U. S. Central Command")
    assert actor is not None and actor.name_en == "US Central Command (CENTCOM)"
    assert gaz.actor("kataib hezbollah") is gaz.actor("Kata’ib Hezbollah")


def test_city_and_governorate_of_the_same_name(gaz: Gazetteer) -> None:
    city = gaz.place("دير الزور")
    governorate = gaz.place("محافظة دير الزور")
    assert city is not None and governorate is not None
    assert (city.kind, city.admin1_en, city.country_en, city.precision) == ("city", "Deir ez-Zor", "Syria", 1)
    assert (governorate.name_en, governorate.kind, governorate.admin1_en, governorate.precision) == (
        "Deir ez-Zor Governorate",
        "governorate",
        "Deir ez-Zor",
        3,
    )
    assert gaz.place("Deir ez-Zor Governorate") is governorate
    assert gaz.place("Deir ez-Zor province") is governorate


SYRIAN_GOVERNORATES = [
    "Damascus",
    "Rif Dimashq",
    "Aleppo",
    "Homs",
    "Hama",
    "Latakia",
    "Tartus",
    "Idlib",
    "Raqqa",
    "Deir ez-Zor",
    "Hasakah",
    "Daraa",
    "As-Suwayda",
    "Quneitra",
]


def test_every_syrian_governorate(gaz: Gazetteer) -> None:
    governorates = [p for p in gaz.places if p.kind == "governorate" and p.country_en == "Syria"]
    assert sorted(p.admin1_en or "" for p in governorates) == sorted(SYRIAN_GOVERNORATES)
    for p in governorates:
        assert p.name_en == f"{p.admin1_en} Governorate"
        assert p.precision == 3
        assert gaz.place(p.name_ar) is p
        assert p.name_ar.startswith("محافظة ")


def test_precision_follows_the_kind(gaz: Gazetteer) -> None:
    expected = {"country": 3, "governorate": 3, "city": 1, "town": 1, "village": 1, "base": 1, "oil_field": 1}
    for p in gaz.places:
        if p.kind in expected:
            assert p.precision == expected[p.kind], p.name_en
        if p.kind == "country":
            assert p.country_en == p.name_en and p.admin1_en is None


def test_places_in_syria_and_iraq_have_a_known_governorate(gaz: Gazetteer) -> None:
    admin1 = {p.admin1_en for p in gaz.places if p.kind == "governorate"}
    for p in gaz.places:
        if p.country_en in ("Syria", "Iraq") and p.kind in ("city", "town", "village", "base", "oil_field"):
            assert p.admin1_en in admin1, p.name_en


def test_every_listed_spelling_finds_its_own_entry(gaz: Gazetteer) -> None:
    # No two entries claim the same spelling (after normalization).
    for place in gaz.places:
        for spelling in (place.name_en, place.name_ar, *place.variants_ar, *place.variants_en):
            assert gaz.place(spelling) is place, (spelling, place.name_en)
    for actor in gaz.actors:
        for spelling in (actor.name_en, actor.name_ar, *actor.variants_ar, *actor.variants_en):
            assert gaz.actor(spelling) is actor, (spelling, actor.name_en)


def test_unknown_names(gaz: Gazetteer) -> None:
    assert gaz.place("كوكب المريخ") is None
    assert gaz.place("Atlantis") is None
    assert gaz.place("") is None
    assert gaz.actor("جماعة لا وجود لها") is None


def test_find_places_in_corpus_sentences(gaz: Gazetteer) -> None:
    sentence = (
        "كذلك استهدف القصف مواقع في بادية مدينة الميادين وريف البوكمال، "
        "ما أدى إلى مقتل خمسة مسلحين موالين لطهران"
    )
    assert [p.name_en for p in gaz.find_places(sentence)] == ["al-Mayadin desert", "Albu Kamal countryside"]

    sentence = (
        "ونقل الموقع عن مصادر محلية في ريف دير الزور، أن انفجارين قويين سُمعا في أرجاء ريف دير الزور الشرقي"
    )
    assert [p.name_en for p in gaz.find_places(sentence)] == [
        "Deir ez-Zor countryside",
        "Eastern Deir ez-Zor countryside",
    ]

    sentence = "مجاهدونا استهدفوا قاعدتي حقل العمر والشدادي الأمريكيتين في سوريا بطائرات مسيرة"
    assert [p.name_en for p in gaz.find_places(sentence)] == ["al-Omar oil field", "al-Shaddadi", "Syria"]

    sentence = "ويوجدون في قواعد عدة في محافظة الحسكة (شمال شرق) والرقة (شمال) ودير الزور (شرق)."
    assert [p.name_en for p in gaz.find_places(sentence)] == ["Hasakah Governorate", "Raqqa", "Deir ez-Zor"]


def test_find_places_skips_outlets_and_common_words(gaz: Gazetteer) -> None:
    # «قناة الميادين» is a TV channel, not the town.
    sentence = 'ذكرت قناة "الميادين" اللبنانية ومصدر أمني أن قاعدة أميركية في حقل العمر النفطي تعرضت لهجوم'
    assert [p.name_en for p in gaz.find_places(sentence)] == ["al-Omar oil field"]
    # «تدمر» "destroys", «القائم» "existing": places only after a place word.
    assert gaz.find_places("إسرائيل تدمر المنازل في ظل الصراع القائم") == [gaz.place("Israel")]
    assert [p.name_en for p in gaz.find_places("قصفت مدينة تدمر ثم بلدة في القائم")] == ["Palmyra", "al-Qaim"]


# --- actors ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name_en", "sector", "spellings"),
    [
        (
            "US military",
            "MIL",
            [
                "القوات الأمريكية",
                "القوات الأميركية",
                "الجيش الأميركي",
                "US forces",
                "U.S. forces",
                "US military",
                "American troops",
            ],
        ),
        (
            "the Pentagon",
            "MIL",
            ["البنتاغون", "البنتاجون", "وزارة الدفاع الأميركية", "Pentagon", "the Pentagon"],
        ),
        (
            "US Central Command (CENTCOM)",
            "MIL",
            ["القيادة المركزية الأمريكية", "القيادة المركزية الأميركية", "CENTCOM", "US Central Command"],
        ),
        ("International coalition", "MIL", ["التحالف الدولي", "قوات التحالف", "US-led coalition"]),
        (
            "Syrian Observatory for Human Rights (SOHR)",
            "OTHER",
            ["المرصد السوري لحقوق الإنسان", "المرصد", "SOHR"],
        ),
        (
            "IRGC",
            "MIL",
            ["الحرس الثوري", "الحرس الثوري الإيراني", "Islamic Revolutionary Guard Corps", "IRGC"],
        ),
        ("Syrian Democratic Forces (SDF)", "REB", ["قوات سوريا الديمقراطية", "قسد", "SDF"]),
        ("Popular Mobilization Forces (PMF)", "PRM", ["الحشد الشعبي", "قوات الحشد الشعبي", "PMF", "PMU"]),
        ("Islamic Resistance in Iraq", "IMG", ["المقاومة الإسلامية في العراق", "Islamic Resistance in Iraq"]),
        ("Hezbollah", "IMG", ["حزب الله", "حزب الله اللبناني", "Hizballah"]),
        ("Kataib Hezbollah", "IMG", ["كتائب حزب الله", "Kata'ib Hezbollah", "Kataib Hizballah"]),
        (
            "Islamic State (ISIS)",
            "IMG",
            ["داعش", "تنظيم داعش", "تنظيم الدولة الإسلامية", "ISIS", "ISIL", "Daesh"],
        ),
        ("Syrian government forces", "MIL", ["قوات النظام", "القوات الحكومية السورية", "Syrian Arab Army"]),
        ("Syrian government", "GOV", ["النظام السوري", "الحكومة السورية", "Syrian regime"]),
        ("Russian forces", "MIL", ["القوات الروسية", "Russian military"]),
        ("Israel", "GOV", ["إسرائيل", "Israel"]),
        (
            "Pro-Iran militias",
            "IMG",
            [
                "الميليشيات الإيرانية",
                "مجموعات موالية لإيران",
                "قوات موالية لإيران",
                "مجموعات موالية لطهران",
                "الميليشيات المدعومة من إيران",
                "المليشيات المدعومة من إيران",
                "Iran-backed militias",
                "pro-Iranian militias",
            ],
        ),
        ("Arab tribes", "REB", ["أبناء العشائر العربية", "Arab tribal fighters"]),
        ("AFP", "OTHER", ["وكالة الصحافة الفرنسية", "فرانس برس", "AFP", "Agence France-Presse"]),
        ("Reuters", "OTHER", ["رويترز", "وكالة رويترز", "Reuters"]),
        ("al-Mayadeen TV", "OTHER", ["قناة الميادين", "al-Mayadeen"]),
        ("Sputnik", "OTHER", ["سبوتنيك", "موقع سبوتنيك"]),
        ("SANA", "OTHER", ["سانا", "SANA", "Syrian Arab News Agency"]),
        ("Independent Arabia", "OTHER", ["إندبندنت عربية", "Independent Arabia"]),
        ("Arabi Post", "OTHER", ["عربي بوست", "Arabi Post"]),
        ("Joe Biden", "GOV", ["جو بايدن", "بايدن", "الرئيس الأمريكي جو بايدن", "Biden", "President Biden"]),
        ("Lloyd Austin", "GOV", ["لويد أوستن", "أوستن", "Lloyd Austin"]),
        ("Rami Abdel Rahman", "OTHER", ["رامي عبد الرحمن", "Rami Abdulrahman"]),
        ("Justin Trudeau", "GOV", ["جاستن ترودو", "ترودو", "Trudeau"]),
    ],
)
def test_actor_spellings_map_to_one_english_name(
    gaz: Gazetteer, name_en: str, sector: str, spellings: list[str]
) -> None:
    for spelling in spellings:
        actor = gaz.actor(spelling)
        assert actor is not None, spelling
        assert (actor.name_en, actor.sector) == (name_en, sector), spelling


def test_find_actors_in_a_corpus_sentence(gaz: Gazetteer) -> None:
    sentence = (
        'وقال مدير "المرصد السوري لحقوق الإنسان" رامي عبد الرحمن، لوكالة الصحافة الفرنسية، '
        'إن "مجموعات موالية لطهران، متمركزة قرب مدينة الميادين، أطلقت ثلاثة صواريخ صباح الجمعة'
    )
    assert [a.name_en for a in gaz.find_actors(sentence)] == [
        "Syrian Observatory for Human Rights (SOHR)",
        "Rami Abdel Rahman",
        "AFP",
        "Pro-Iran militias",
    ]


def test_schema_conversions(gaz: Gazetteer) -> None:
    place = gaz.place("البو كمال")
    assert place is not None
    assert place.to_location("البو كمال") == Location(
        name_en="Albu Kamal", name_ar="البو كمال", admin1_en="Deir ez-Zor", country_en="Syria", precision=1
    )
    actor = gaz.actor("قسد")
    assert actor is not None
    assert actor.to_actor("target") == Actor(
        name_en="Syrian Democratic Forces (SDF)",
        name_ar="قوات سوريا الديمقراطية",
        role="target",
        sector="REB",
    )


def test_entries_are_frozen(gaz: Gazetteer) -> None:
    place = gaz.place("Hasakah")
    assert isinstance(place, Place)
    with pytest.raises(AttributeError):
        place.name_en = "X"  # type: ignore[misc]
    actor = gaz.actor("SDF")
    assert isinstance(actor, ActorEntry)
    with pytest.raises(AttributeError):
        actor.sector = "MIL"  # type: ignore[misc]


# --- user files ------------------------------------------------------------------------------------------


def _write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_user_file_adds_and_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    extra = _write(
        tmp_path / "extra.json",
        {
            "places": [
                {
                    "name_en": "al-Salihiyah",
                    "name_ar": "الصالحية",
                    "kind": "village",
                    "admin1_en": "Deir ez-Zor",
                    "country_en": "Syria",
                    "precision": 1,
                    "variants_en": ["Salhiyeh"],
                },
                # Replaces the shipped entry of the same name_en.
                {
                    "name_en": "Hajin",
                    "name_ar": "هجين",
                    "kind": "city",
                    "admin1_en": "Deir ez-Zor",
                    "country_en": "Syria",
                    "precision": 1,
                },
            ],
            "actors": [
                {
                    "name_en": "Liwa al-Baqir",
                    "name_ar": "لواء الباقر",
                    "sector": "PRM",
                    "variants_en": ["Baqir Brigade"],
                },
                # Claims a spelling of a shipped entry: the user's entry wins.
                {
                    "name_en": "Hezbollah Syria",
                    "name_ar": "حزب الله السوري",
                    "sector": "PRM",
                    "variants_ar": ["حزب الله"],
                },
            ],
        },
    )
    gaz = Gazetteer.load(extra)
    salihiyah = gaz.place("Salhiyeh")
    assert salihiyah is not None and salihiyah.name_en == "al-Salihiyah"
    assert gaz.place("الصالحية") is salihiyah
    hajin = gaz.place("هجين")
    assert hajin is not None and hajin.kind == "city"
    assert [p.name_en for p in gaz.places].count("Hajin") == 1
    baqir = gaz.actor("Baqir Brigade")
    assert baqir is not None and baqir.sector == "PRM"
    claimed = gaz.actor("حزب الله")
    assert claimed is not None and claimed.name_en == "Hezbollah Syria"
    # Shipped entries are all still there.
    assert gaz.place("البوكمال") is not None
    assert gaz.actor("Hizballah") is not None


def test_user_file_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    extra = _write(
        tmp_path / "env.json",
        {
            "places": [
                {
                    "name_en": "Khasham oil field",
                    "name_ar": "حقل خشام",
                    "kind": "oil_field",
                    "admin1_en": "Deir ez-Zor",
                    "country_en": "Syria",
                    "precision": 1,
                }
            ]
        },
    )
    monkeypatch.setenv(ENV_VAR, str(extra))
    assert Gazetteer.load().place("حقل خشام") is not None
    monkeypatch.delenv(ENV_VAR)
    assert Gazetteer.load().place("حقل خشام") is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[]", "JSON object"),
        (
            json.dumps({"places": [{"name_en": "X", "name_ar": "س", "kind": "planet", "precision": 1}]}),
            "kind",
        ),
        (
            json.dumps({"places": [{"name_en": "X", "name_ar": "س", "kind": "town", "precision": 5}]}),
            "precision",
        ),
        (json.dumps({"actors": [{"name_en": "X", "name_ar": "س", "sector": "ARMY"}]}), "sector"),
        (json.dumps({"actors": [{"name_ar": "س", "sector": "MIL"}]}), "name_en"),
        (
            json.dumps({"actors": [{"name_en": "X", "name_ar": "س", "sector": "MIL", "variants_ar": "س"}]}),
            "variants_ar",
        ),
    ],
)
def test_bad_user_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str, message: str) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        Gazetteer.load(path)


def test_missing_user_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        Gazetteer.load(tmp_path / "nope.json")


def test_default_gazetteer_is_cached(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    default_gazetteer.cache_clear()
    try:
        assert default_gazetteer() is default_gazetteer()
        assert default_gazetteer().place("الحسكة") is not None
    finally:
        default_gazetteer.cache_clear()


# --- Yemen, Lebanon, Palestine, Libya, Sudan, northern Syria and Turkey ------------------------------------


@pytest.mark.parametrize(
    ("name_en", "admin1", "country", "spellings"),
    [
        ("Yemen", None, "Yemen", ["اليمن", "Yemen"]),
        ("Sanaa", "Amanat al-Asimah", "Yemen", ["صنعاء", "Sanaa", "Sana'a"]),
        ("Hodeidah", "Hodeidah", "Yemen", ["الحديدة", "والحديدة", "Hodeidah", "Hudaydah", "al-Hudaydah"]),
        ("Hodeidah Governorate", "Hodeidah", "Yemen", ["محافظة الحديدة", "Al Hudaydah Governorate"]),
        ("Marib", "Marib", "Yemen", ["مأرب", "مارب", "Marib", "Ma'rib"]),
        ("Aden", "Aden", "Yemen", ["عدن", "Aden"]),
        ("Khamis Mushait", "Asir", "Saudi Arabia", ["خميس مشيط", "Khamis Mushait"]),
        ("Naqoura", "South", "Lebanon", ["الناقورة", "بلدة الناقورة", "Naqoura", "Naqura"]),
        (
            "Ras al-Naqoura",
            "South",
            "Lebanon",
            ["رأس الناقورة", "راس الناقورة", "Ras al-Naqoura", "Ras Naqoura"],
        ),
        ("Bint Jbeil", "Nabatieh", "Lebanon", ["بنت جبيل", "Bint Jbeil", "Bint Jbail"]),
        ("South Lebanon", None, "Lebanon", ["جنوب لبنان", "الجنوب اللبناني", "southern Lebanon"]),
        ("Metula", "Northern District", "Israel", ["المطلة", "Metula"]),
        ("Gaza Strip", "Gaza Strip", "Palestine", ["قطاع غزة", "Gaza Strip"]),
        ("Gaza City", "Gaza Strip", "Palestine", ["غزة", "مدينة غزة", "Gaza"]),
        ("Khan Younis", "Gaza Strip", "Palestine", ["خان يونس", "خانيونس", "Khan Younis", "Khan Yunis"]),
        ("Rafah", "Gaza Strip", "Palestine", ["رفح", "برفح", "Rafah"]),
        ("Tripoli", "Tripoli", "Libya", ["طرابلس", "العاصمة الليبية", "Tripoli"]),
        ("Tripoli (Lebanon)", "North", "Lebanon", ["طرابلس اللبنانية", "Tripoli, Lebanon"]),
        ("Mitiga International Airport", "Tripoli", "Libya", ["مطار معيتيقة", "معيتيقة", "Mitiga"]),
        ("Benghazi", "Benghazi", "Libya", ["بنغازي", "Benghazi"]),
        ("Sudan", None, "Sudan", ["السودان", "Sudan"]),
        ("Khartoum", "Khartoum", "Sudan", ["الخرطوم", "Khartoum"]),
        ("Omdurman", "Khartoum", "Sudan", ["أم درمان", "ام درمان", "Omdurman"]),
        ("El Fasher", "North Darfur", "Sudan", ["الفاشر", "بالفاشر", "El Fasher", "al-Fashir"]),
        ("Darfur", None, "Sudan", ["دارفور", "إقليم دارفور", "Darfur"]),
        ("Northern Syria", None, "Syria", ["شمال سوريا", "شمالي سوريا", "Northern Syria"]),
        ("Jabal al-Zawiya", "Idlib", "Syria", ["جبل الزاوية", "Jabal al-Zawiya"]),
        ("Afrin", "Aleppo", "Syria", ["عفرين", "Afrin"]),
        ("Azaz", "Aleppo", "Syria", ["أعزاز", "إعزاز", "Azaz"]),
        ("Kobani countryside", "Aleppo", "Syria", ["ريف عين العرب", "ريف كوباني"]),
        ("Istanbul", "Istanbul", "Turkey", ["إسطنبول", "اسطنبول", "Istanbul"]),
    ],
)
def test_places_of_other_conflicts(
    gaz: Gazetteer, name_en: str, admin1: str | None, country: str, spellings: list[str]
) -> None:
    for spelling in spellings:
        place = gaz.place(spelling)
        assert place is not None, spelling
        assert (place.name_en, place.admin1_en, place.country_en) == (name_en, admin1, country), spelling


@pytest.mark.parametrize(
    ("name_en", "sector", "spellings"),
    [
        (
            "Houthis (Ansar Allah)",
            "REB",
            ["الحوثيون", "الحوثيين", "أنصار الله", "ميليشيا الحوثي", "Houthis", "Ansar Allah"],
        ),
        ("Saudi-led coalition", "MIL", ["التحالف بقيادة السعودية", "التحالف العربي", "Saudi-led coalition"]),
        ("Houthi-run health ministry", "GOV", ["وزارة الصحة التابعة للحوثيين"]),
        ("Yemeni government forces", "MIL", ["القوات الحكومية اليمنية", "الجيش اليمني"]),
        ("Hezbollah", "IMG", ["المقاومة الإسلامية في لبنان"]),
        ("Israeli military", "MIL", ["الجيش الإسرائيلي", "طائرة مسيرة إسرائيلية", "IDF"]),
        ("Hamas", "REB", ["حماس", "حركة حماس", "Hamas"]),
        (
            "Izz al-Din al-Qassam Brigades",
            "REB",
            ["كتائب القسام", "كتائب عز الدين القسام", "Qassam Brigades"],
        ),
        (
            "Palestinian health ministry",
            "GOV",
            ["وزارة الصحة في غزة", "وزارة الصحة الفلسطينية", "Gaza health ministry"],
        ),
        ("Government of National Unity (GNU)", "GOV", ["حكومة الوحدة الوطنية", "GNU"]),
        ("Radaa Deterrence Force", "PRM", ["جهاز الردع", "قوة الردع الخاصة", "Radaa"]),
        ("444th Combat Brigade", "MIL", ["اللواء 444", "اللواء 444 قتال", "444 Brigade"]),
        ("Libyan armed groups", "PRM", ["الجماعات المسلحة الليبية", "Libyan militias"]),
        ("Sudanese Armed Forces (SAF)", "MIL", ["الجيش السوداني", "القوات المسلحة السودانية", "SAF"]),
        ("Rapid Support Forces (RSF)", "REB", ["قوات الدعم السريع", "الدعم السريع", "RSF"]),
        ("Turkish military", "MIL", ["الجيش التركي", "مسيرة تركية", "Turkish army"]),
        ("Turkish Defence Ministry", "MIL", ["وزارة الدفاع التركية"]),
        ("Kurdistan Workers' Party (PKK)", "REB", ["حزب العمال الكردستاني", "PKK"]),
        ("Russian forces", "MIL", ["الطائرات الروسية", "طائرات حربية روسية", "Russian air force"]),
        ("Syrian Democratic Forces (SDF)", "REB", ["قسد", "SDF"]),
    ],
)
def test_actors_of_other_conflicts(gaz: Gazetteer, name_en: str, sector: str, spellings: list[str]) -> None:
    for spelling in spellings:
        actor = gaz.actor(spelling)
        assert actor is not None, spelling
        assert (actor.name_en, actor.sector) == (name_en, sector), spelling


def test_find_places_and_actors_in_sentences_of_other_conflicts(gaz: Gazetteer) -> None:
    sentence = (
        "قُتل عنصران من حزب الله الثلاثاء في غارة بطائرة مسيّرة إسرائيلية استهدفت سيارة على مدخل بلدة "
        "الناقورة في جنوب لبنان"
    )
    assert [p.name_en for p in gaz.find_places(sentence)] == ["Naqoura", "South Lebanon"]
    assert [a.name_en for a in gaz.find_actors(sentence)] == ["Hezbollah", "Israeli military"]
    sentence = "أعلن حزب الله في بيان أنه استهدف موقع رأس الناقورة البحري التابع للجيش الإسرائيلي"
    assert [p.name_en for p in gaz.find_places(sentence)] == ["Ras al-Naqoura"]
    sentence = "قصف مدفعي شنّته قوات الدعم السريع على أحياء سكنية وسط مدينة الفاشر في شمال دارفور"
    assert [p.name_en for p in gaz.find_places(sentence)] == ["El Fasher", "Darfur"]
    assert [a.name_en for a in gaz.find_actors(sentence)] == ["Rapid Support Forces (RSF)"]


def test_names_that_are_also_common_words_need_a_place_word(gaz: Gazetteer) -> None:
    # «الخيام» tents, «صور» pictures, «الباب» the door, «الجنينة» the garden: places only after a place word.
    assert gaz.find_places("نصب النازحون الخيام ونشروا صور الأطفال أمام الباب") == []
    assert [p.name_en for p in gaz.find_places("غارة على بلدة الخيام ثم على مدينة صور")] == ["Khiam", "Tyre"]
    # «الأبيض» (white) is not El Obeid: «البيت الأبيض» stays the White House.
    assert gaz.place("الأبيض") is None and gaz.find_places("أعلن البيت الأبيض") == []
    # «مدني» (civilian) is not Wad Madani; «القوات الحكومية» alone stays Syria's.
    assert gaz.place("مدني") is None and gaz.place("ود مدني") is not None
    actor = gaz.actor("القوات الحكومية")
    assert actor is not None and actor.name_en == "Syrian government forces"
