"""The words code reads incidents by, and the English each may be rendered as.

One table per question the reader (:mod:`summarizer.reading`) asks of a sentence, in normalized Arabic
(:func:`~summarizer.arabic.normalize_ar`), matched on word starts after proclitics («وقُتل», «بغارة»):

- :data:`KILL_WORDS`, :data:`INJURE_WORDS`: a casualty figure's kind;
- :data:`WEAPONS`: the weapon words, the ACLED sub-event type each implies and its English;
- :data:`INTERCEPT_VERBS`: «أسقط», «دمّر», «اعترض» before a drone or missile: an interception, never a
  killing;
- :data:`NATIONALITIES`: «أمريكية» after a weapon names the attacker; after a victim, who they were;
- :data:`VICTIM_NOUNS`: who the casualties were («مقاتلاً» fighters, «مدنيين» civilians);
- :data:`STATEMENT_CUES`: threats, accusations, denials and claims of responsibility;
- :data:`SOURCE_CUES`: «بحسب», «وفق», «قال»: who gives a figure.

:data:`TRANSLATION_TERMS` is what a free translation must keep: each Arabic phrase found in a unit
must appear in the English in one of its forms, and some forbid words a small model wrongly writes
(«موالياً لإيران» is never "Americans"; «دمرنا مسيرتين» is never "killed").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from summarizer.arabic import normalize_ar


def _norm(words: str) -> tuple[str, ...]:
    return tuple(normalize_ar(w) for w in words.split("|") if w)


KILL_WORDS = _norm("قتل|قتلت|قتلوا|مقتل|قتيل|قتيلا|قتيلاً|قتلى|مصرع|حتف|استشهد|استشهاد|شهيد|شهيدا|شهداء|لقي")
INJURE_WORDS = _norm("أصيب|اصيب|أصيبوا|إصابة|اصابة|إصابات|جرح|جرحى|جريح|جريحا|مصاب|مصابين|مصابا|بجروح")


@dataclass(frozen=True)
class Weapon:
    """A weapon word: the sub-event type it implies and how the English names it."""

    words: tuple[str, ...]
    sub_event_type: str
    en: str
    """Noun for an attack with it: "air strike", "drone attack", "rocket attack"."""
    weapon_en: str
    """The weapon itself: "aircraft", "drone", "rocket"."""


#: In priority order: a drone before the general "air strike" (a drone strike is both).
WEAPONS: tuple[Weapon, ...] = (
    Weapon(
        _norm("مسيرة|مسيرات|مسيرتين|مسيرتان|مسيّرة|بدون طيار|درون|درونز"),
        "air_drone_strike",
        "drone attack",
        "drone",
    ),
    Weapon(
        _norm(
            "غارة|غارات|الغارة|الغارات|غارتين|غارتان|ضربة جوية|ضربات جوية|ضربتين جويتين|قصف جوي|"
            "ضربات|ضربة|ضربتين|ضربتان|الطيران|مقاتلات|طائرات حربية|طائرة حربية|الطائرات الحربية|"
            "الطيران الحربي|مقاتلة حربية"
        ),
        "air_drone_strike",
        "air strike",
        "aircraft",
    ),
    Weapon(
        _norm("عبوة ناسفة|عبوات ناسفة|لغم|ألغام|مفخخة|مفخخ"),
        "remote_explosive_landmine_ied",
        "bombing",
        "explosive device",
    ),
    Weapon(_norm("انتحاري|انتحارية"), "suicide_bomb", "suicide bombing", "suicide bomber"),
    Weapon(
        _norm(
            "صاروخ|صواريخ|صاروخين|صاروخان|صاروخا|كاتيوشا|صاروخي|صاروخية|قذيفة|قذائف|قذيفتين|قذيفتان|"
            "مدفعي|مدفعية|هاون|راجمات|قصف"
        ),
        "shelling_artillery_missile_attack",
        "rocket or shelling attack",
        "rockets or shells",
    ),
    Weapon(_norm("اشتباك|اشتباكات|معارك|مواجهات|اقتتال|اشتبك|اشتبكت"), "armed_clash", "armed clash", ""),
)

#: Phrases that start with a weapon word and name no weapon: civil aviation, a penalty kick, a free kick,
#: a corner, a penalty shoot-out.
NOT_WEAPONS = _norm("الطيران المدني|ضربة جزاء|ضربة حرة|ضربة ركنية|ضربات الترجيح|ضربات جزاء|الضربة الحرة")

#: The rocket/shelling nouns, to name that attack by its word: "rocket attack", "shelling", "mortar attack".
SHELLING_EN = (
    (_norm("صاروخ|صواريخ|صاروخين|صاروخان|صاروخا|كاتيوشا|صاروخي|صاروخية|راجمات"), "rocket attack", "rockets"),
    (_norm("هاون"), "mortar attack", "mortars"),
    (_norm("قذيفة|قذائف|قذيفتين|قذيفتان|مدفعي|مدفعية"), "shelling", "shells"),
    (_norm("قصف"), "bombardment", "bombardment"),  # «قصف» is shelling or bombing from the air: say no more
)

#: Words of a generic attack: the weapon word after them, if any, says which.
ATTACK_WORDS = _norm("هجوم|هجوما|هجمات|الهجوم|هجومين|استهداف|استهدف|استهدفت|هاجم|هاجمت|اعتداء")

#: Verbs of an interception when a drone or missile word follows within a few words.
INTERCEPT_VERBS = _norm(
    "أسقط|أسقطت|اسقط|اسقاط|إسقاط|أسقطنا|اعترض|اعترضت|اعتراض|اعترضنا|دمرنا|دمرت|دمر|تدمير|أحبط|أحبطت"
)
INTERCEPTED_OBJECTS = _norm(
    "مسيرة|مسيرات|مسيرتين|مسيرتان|طائرة|طائرات|صاروخ|صواريخ|صاروخين|صاروخا|صاروخاً|بدون طيار"
)

ARREST_WORDS = _norm("اعتقل|اعتقلت|اعتقال|احتجز|احتجزت|احتجاز|القبض|توقيف|اعتقالات")
CIVILIAN_WORDS = _norm("مدني|مدنيين|مدنيون|مدنية|أطفال|طفل|طفلا|نساء|امرأة|سكان|عائلة|أهالي|مواطن|مواطنين")
#: Words that make a sentence background, not an incident: what happens often, or a tally since a date.
HABITUAL_WORDS = _norm(
    "كثيرا|كثيراً|غالبا|غالباً|عادة|مرارا|مراراً|دائما|بانتظام|مناسبات|أحيانا|أحياناً|يوميا|يومياً|يومي"
)
SINCE_WORDS = _norm("منذ")
#: «هرباً من المعارك»: words before a weapon or battle word that make it a cause of flight, not an incident.
FLEEING_WORDS = _norm("هربا|هرباً|فرارا|فراراً|هروبا|هروباً|نزوحا|نزوحاً")


@dataclass(frozen=True)
class Nationality:
    """A nationality adjective: the attacker it names after a weapon, and its English adjective."""

    stems: tuple[str, ...]
    adjective_en: str
    force_ar: str
    """The Arabic name of the armed force it stands for (looked up in the gazetteer)."""
    force_en: str
    """The English name used when the gazetteer does not know the force."""


NATIONALITIES: tuple[Nationality, ...] = (
    Nationality(
        _norm(
            "امريكي|أمريكي|أميركي|اميركي|امريكية|أمريكية|أميركية|اميركية|الأمريكية|الأميركية|الامريكية|الاميركية|أمريكيين|أميركيين|أمريكيون|أميركيون|الأمريكي|الأميركي"
        ),
        "US",
        "القوات الأمريكية",
        "US military",
    ),
    Nationality(
        _norm(
            "إسرائيلي|اسرائيلي|إسرائيلية|اسرائيلية|الإسرائيلي|الإسرائيلية|الاسرائيلي|الاسرائيلية|إسرائيليين"
        ),
        "Israeli",
        "الجيش الإسرائيلي",
        "Israeli military",
    ),
    Nationality(_norm("روسي|روسية|الروسي|الروسية|روس"), "Russian", "القوات الروسية", "Russian military"),
    Nationality(_norm("تركي|تركية|التركي|التركية|أتراك"), "Turkish", "الجيش التركي", "Turkish military"),
    Nationality(
        _norm("سعودي|سعودية|السعودي|السعودية"), "Saudi", "التحالف بقيادة السعودية", "Saudi-led coalition"
    ),
    Nationality(
        _norm("إيراني|ايراني|إيرانية|ايرانية|الإيراني|الإيرانية"),
        "Iranian",
        "الحرس الثوري الإيراني",
        "Iranian forces",
    ),
    Nationality(
        _norm("سوري|سورية|السوري|السورية|سوريين"),
        "Syrian",
        "القوات الحكومية السورية",
        "Syrian government forces",
    ),
    Nationality(
        _norm("عراقي|عراقية|العراقي|العراقية|عراقيين|عراقيان"), "Iraqi", "القوات العراقية", "Iraqi forces"
    ),
    Nationality(
        _norm("لبناني|لبنانية|اللبناني|اللبنانية|لبنانيين"), "Lebanese", "الجيش اللبناني", "Lebanese army"
    ),
    Nationality(_norm("فلسطيني|فلسطينية|فلسطينيين|فلسطينيون|الفلسطيني|الفلسطينية"), "Palestinian", "", ""),
    Nationality(_norm("يمني|يمنية|يمنيين|اليمني|اليمنية"), "Yemeni", "", ""),
    Nationality(_norm("سوداني|سودانية|سودانيين|السوداني|السودانية"), "Sudanese", "", ""),
    Nationality(_norm("ليبي|ليبية|ليبيين|الليبي|الليبية"), "Libyan", "", ""),
    Nationality(_norm("كردي|كردية|أكراد|الكردية"), "Kurdish", "", ""),
    Nationality(_norm("مصري|مصرية|المصري|المصرية|مصريين"), "Egyptian", "", ""),
    Nationality(_norm("أردني|أردنية|الأردني|الأردنية"), "Jordanian", "", ""),
    Nationality(_norm("قطري|قطرية|القطري|القطرية"), "Qatari", "", ""),
    Nationality(_norm("عربي|عربية|العربي|العربية|عرب"), "Arab", "", ""),
)

#: Words after a nationality that make it an origin, not the attacker («مسيرة إيرانية المنشأ»).
ORIGIN_WORDS = _norm("المنشأ|الأصل|الصنع")

#: Who the casualties were: (stems, English singular, English plural), longest phrases first.
VICTIM_NOUNS: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (_norm("مقاتل|مقاتلا|مقاتلاً|مقاتلين|مقاتلون|المقاتلين|مقاتلان"), "fighter", "fighters"),
    (_norm("مسلح|مسلحا|مسلحاً|مسلحين|مسلحون|المسلحين|مسلحان"), "gunman", "gunmen"),
    (_norm("عنصر|عنصرا|عناصر|عناصرها|عناصره|عضو|عضوا|أعضاء|عنصران|عنصرين"), "member", "members"),
    (_norm("مدني|مدنيا|مدنيين|مدنيون|المدنيين|مدنيان"), "civilian", "civilians"),
    (_norm("جندي|جنديا|جنود|الجنود|جنديين|جنديان"), "soldier", "soldiers"),
    (_norm("عسكري|عسكريا|عسكريين|عسكريون|العسكريين"), "serviceman", "servicemen"),
    (_norm("شرطي|شرطيا|شرطيين|الشرطة"), "police officer", "police officers"),
    (_norm("طفل|طفلا|أطفال|الأطفال|طفلين|طفلان|طفلة|طفلتين|طفلتان"), "child", "children"),
    (_norm("امرأة|نساء|سيدة"), "woman", "women"),
    (_norm("شخص|شخصا|أشخاص|شخصين|الأشخاص|شخصان"), "person", "people"),
    (_norm("مقاول|متعاقد|متعاقدا|مقاولا"), "contractor", "contractors"),
    (_norm("صياد|صيادين"), "fisherman", "fishermen"),
    (_norm("مواطن|مواطنا|مواطنين|مواطنون|المواطنين|مواطنان"), "citizen", "citizens"),
    (
        _norm("صحفي|صحفيا|صحفيين|صحفيون|الصحفيين|صحفيان|صحافي|صحافيا|صحافيين|صحافيان"),
        "journalist",
        "journalists",
    ),
    (_norm("مسعف|مسعفا|مسعفين|مسعفون|المسعفين|مسعفان"), "paramedic", "paramedics"),
    (_norm("مهاجر|مهاجرين"), "migrant", "migrants"),
)
#: «موالٍ لإيران»: the allegiance a victim group is named with, and its English.
ALLEGIANCES: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        _norm(
            "موال لإيران|موالين لإيران|موالياً لإيران|موالية لإيران|موالون لإيران|موالي لإيران|"
            "الموالين لإيران|الموالية لإيران|موالين لطهران|موالية لطهران|موالياً لطهران|الموالين لطهران|"
            "المدعومة من إيران|مدعومة من إيران|متحالفة مع إيران|المتحالفة مع إيران"
        ),
        "pro-Iran",
    ),
    (
        _norm("الموالين لواشنطن|موالين لواشنطن|الموالية لواشنطن|موالية لواشنطن|الموالين للولايات المتحدة"),
        "pro-US",
    ),
    (
        _norm(
            "الموالين للحكومة|موالين للحكومة|الموالية للحكومة|موالية للحكومة|الموالين للنظام|موالين للنظام"
        ),
        "pro-government",
    ),
)

#: Statement kinds: (cues, sub-event type, status, English noun).
#: «اتهمت قسد تركيا»: verbs of accusing (whom follows the speaker).
ACCUSE_WORDS = _norm("اتهم|اتهمت|اتهمتها|اتهمه")
STATEMENT_CUES: tuple[tuple[tuple[str, ...], str, str, str], ...] = (
    (
        _norm("تبنى|تبنت|تبنيه|أعلنت مسؤوليتها|أعلن مسؤوليته|مسؤوليتها عن|مسؤوليته عن"),
        "claim_of_responsibility",
        "claimed",
        "claim of responsibility",
    ),
    (_norm("نفى|نفت|ينفي|تنفي|نفي"), "denial", "denied", "denial"),
    (
        _norm("هدد|هددت|تهدد|يهدد|توعد|توعدت|تعهدت بالانتقام|تعهد بالانتقام|للرد على|سنرد|بالرد"),
        "threat",
        "threatened",
        "threat",
    ),
    (ACCUSE_WORDS, "accusation", "occurred", "accusation"),
    # PLOVER's DISAPPROVE: coded as an accusation, told as what it is
    (
        _norm("استنكر|استنكرت|ندد|نددت|أدان|أدانت|تدين|يدين|شجب|شجبت"),
        "accusation",
        "occurred",
        "condemnation",
    ),
)

#: «تحييد»: "neutralising" (killed, wounded or captured: Turkey's word); never a killed figure.
NEUTRALIZE_WORDS = _norm("تحييد|حيدت|حيدنا|حيد|يحيد|تحيد|بتحييد")

#: A ceasefire or truce (ACLED's agreement), and the verbs that make it reached or announced.
CEASEFIRE_WORDS = _norm("وقف لإطلاق النار|وقف إطلاق النار|وقفا لإطلاق النار|وقفاً لإطلاق النار|هدنة|الهدنة")
AGREEMENT_WORDS = CEASEFIRE_WORDS + _norm("اتفاق|اتفاقا|اتفاقاً|اتفاقية")
AGREEMENT_VERBS = _norm("التوصل|توصل|توصلت|توصلا|اتفق|اتفقت|اتفقا|وقع|وقعت|وقعا|توقيع|أعلن|أعلنت|اعلن|اعلنت")

#: Words before who gives a figure or a report.
SOURCE_CUES = _norm(
    "بحسب|حسب|وفق|وفقا|وفقاً|قال|قالت|أفاد|أفادت|ذكر|ذكرت|أعلن|أعلنت|أكد|أكدت|أوضح|أوضحت|نقلت|أورد|أوردت|قاله"
)


#: Verbs of saying that put a named speaker's words in a report: said, stressed, announced, defended…
SPEECH_VERBS = _norm(
    "قال|قالت|أكد|أكدت|أعلن|أعلنت|صرح|صرحت|أوضح|أوضحت|أضاف|أضافت|دافع|دافعت|ندد|نددت|أدان|أدانت|توعد|"
    "توعدت|هدد|هددت|حذر|حذرت|نفى|نفت|دعا|دعت|اتهم|اتهمت|وصف|وصفت|تبنى|تبنت"
)
#: Every word next to which a speaker stands (a translation may make only them speak): the verbs of
#: saying, the words that credit a source, and «بيان», «تابع», «أشار», «يقول», «كشف».
SPEECH_WORDS = SPEECH_VERBS + SOURCE_CUES + _norm("بيان|تابعت|تابع|أشار|أشارت|يقول|تقول|كشف|كشفت")


@dataclass(frozen=True)
class Term:
    """An Arabic phrase a translation must render in one of ``forms_en``, and may never as ``never_en``."""

    ar: tuple[str, ...]
    forms_en: tuple[str, ...]
    never_en: tuple[str, ...] = ()
    hint_en: str = ""
    """How the question asks for it to be written (``forms_en[0]`` when empty)."""


TRANSLATION_TERMS: tuple[Term, ...] = (
    Term(
        ALLEGIANCES[0][0],
        (
            "pro-iran",
            "pro-iranian",
            "iran-backed",
            "iran-aligned",
            "loyal to iran",
            "allied with iran",
            "backed by iran",
        ),
        ("americans", "american soldiers", "us soldiers"),
        "pro-Iran",
    ),
    Term(
        _norm("مسيرة|مسيرات|مسيرتين|طائرة بدون طيار|طائرات بدون طيار"),
        ("drone", "uav", "unmanned", "aerial vehicle"),
    ),
    Term(
        INTERCEPT_VERBS,
        ("shot down", "shoot down", "downed", "destroy", "intercept", "foil", "thwart"),
        ("killed", "kill ", "deaths", "died"),
        "shot down or destroyed (never killed)",
    ),
    Term(
        _norm("رأس الناقورة"),
        ("ras al-naqoura", "ras al-naqura", "ras naqoura", "naqoura"),
        (),
        "Ras al-Naqoura",
    ),
    Term(_norm("غارة|غارات|ضربة جوية|ضربات جوية"), ("strike", "raid", "air attack", "bombing")),
    Term(
        _norm("قتل|مقتل|قتلى|قتيل|مصرع|استشهد|شهداء"),
        ("kill", "dead", "death", "died", "lives", "fatal"),
        (),
        "killed",
    ),
    Term(_norm("أصيب|إصابة|جرحى|جرح|مصابين|بجروح"), ("wound", "injur", "hurt"), (), "wounded"),
    Term(_norm("صاروخ|صواريخ|صاروخي"), ("rocket", "missile")),
)


#: Common English words written capitalised inside the name of an institution ("Council of Ministers",
#: "Central Bank", "National Oil Corporation"), and time zones ("GMT"), with the Arabic stems that ground
#: each: a translation may capitalise one only where the Arabic holds a word beginning with one of its
#: stems (proclitics off).
INSTITUTION_WORDS: dict[str, tuple[str, ...]] = {
    word: _norm(stems)
    for words, stems in (
        ("ministry ministries minister ministers ministerial", "وزار|وزير|وزراء|الوزار|الوزير|الوزراء"),
        ("cabinet", "مجلس الوزراء|حكوم|وزراء|الحكوم|الوزراء"),
        ("council", "مجلس|المجلس"),
        ("finance financial", "مالي|المالي"),
        ("central", "مركزي|المركزي"),
        ("bank", "بنك|مصرف|البنك|المصرف"),
        ("corporation company", "مؤسس|شرك|المؤسس|الشرك"),
        ("fund", "صندوق|الصندوق"),
        ("guard guards", "حرس|الحرس"),
        ("center centre", "مركز|المركز"),
        ("support", "دعم|الدعم|اسناد|الاسناد"),
        ("emergency", "طوارئ|الطوارئ|اسعاف|الاسعاف"),
        ("medicine medical", "طب|الطب|طبي|الطبي|طبية|الطبية"),
        ("network", "شبك|الشبك"),
        ("doctors", "اطباء|الاطباء"),
        ("union", "اتحاد|الاتحاد"),
        ("federal", "اتحادي|الاتحادي|فيدرالي|الفيدرالي"),
        ("petroleum oil", "نفط|النفط|بترول|البترول"),
        ("national", "وطني|الوطني|قومي|القومي"),
        ("health", "صحة|الصحة|صحي|الصحي|صحية|الصحية"),
        ("interior", "داخلي|الداخلي"),
        ("defense defence", "دفاع|الدفاع"),
        ("foreign", "خارجي|الخارجي"),
        ("affairs", "شؤون|الشؤون"),
        ("committee", "لجن|اللجن"),
        ("court", "محكم|المحكم"),
        ("parliament parliamentary", "برلمان|البرلمان|مجلس النواب|النواب"),
        ("party", "حزب|الحزب"),
        ("league", "دوري|الدوري|جامع|الجامع"),
        ("authority", "هيئ|سلط|الهيئ|السلط"),
        ("agency", "وكال|الوكال"),
        ("organization organisation", "منظم|المنظم"),
        ("human", "انسان|الانسان"),
        ("rights", "حقوق|الحقوق"),
        ("brigades", "كتائب|الكتائب|الوي|الالوي"),
        ("resistance", "مقاوم|المقاوم"),
        ("islamic", "اسلامي|الاسلامي"),
        ("revolutionary", "ثوري|الثوري"),
        ("republican", "جمهوري|الجمهوري"),
        ("presidential presidency", "رئاس|الرئاس"),
        ("general", "عام|العام"),
        ("command", "قياد|القياد"),
        ("coalition", "تحالف|التحالف"),
        ("cup", "كاس|الكاس"),
        ("club", "نادي|النادي"),
        ("stadium", "ملعب|الملعب|استاد|الاستاد"),
        ("exchange", "بورص|البورص|صرف|الصرف"),
        ("budget", "موازن|الموازن|ميزاني|الميزاني"),
        # time zones: «بتوقيت غرينتش» is GMT, «بالتوقيت الشرقي» Eastern Time, never UTC
        ("utc gmt greenwich", "غرينتش|جرينتش|غرينيتش|غرينتش|جرينيتش"),
        ("et est edt", "الشرقي"),
    )
    for word in words.split()
}


#: English words that carry a claim (who, what, where, of what kind) and the Arabic stems one of which the
#: source must hold for a translation to use them (:func:`has_stem`): "Iran launched airstrikes on
#: opposition groups" fails on a sentence without «معارض», "two villages" on one that says two houses,
#: "Tuesday" on one that says «الاثنين». The words are whole English words (plural forms listed).
GROUNDED_WORDS: tuple[tuple[frozenset[str], tuple[str, ...]], ...] = tuple(
    (frozenset(english.split()), _norm(arabic))
    for english, arabic in (
        # people
        (
            "child children kid kids boy boys girl girls minor minors",
            "طفل|طفلا|اطفال|الاطفال|طفله|طفلين|طفلان|طفلتين|طفلتان|قاصر|صبي|فتاه|فتيات|اطفالا",
        ),
        ("woman women", "امراه|نساء|النساء|سيده|سيدات"),
        ("civilian civilians", "مدني|المدني|مدنيين|مدنيا"),
        (
            "soldier soldiers troop troops servicemen serviceman",
            "جند|جنود|الجنود|جندي|عسكري|العسكري|قوات|القوات",
        ),
        ("militant militants gunman gunmen", "مسلح|المسلح|مقاتل|المقاتل|عناصر|عنصر"),
        ("rebel rebels insurgent insurgents", "متمرد|المتمرد|معارض|المعارض|فصائل|الفصائل|فصيل|ثوار"),
        ("opposition", "معارض|المعارض"),
        ("refugee refugees displaced", "لاجئ|اللاجئ|نازح|النازح|مهجر|المهجر|نزوح|النزوح"),
        ("commander commanders", "قائد|القائد|قاده|القاده|قيادي|القيادي|امر|الامر"),
        (
            "prisoner prisoners detainee detainees hostage hostages captive captives",
            "اسير|اسري|الاسري|معتقل|المعتقل|محتجز|المحتجز|رهين|رهائن|الرهائن",
        ),
        ("journalist journalists reporter reporters", "صحفي|الصحفي|صحافي|الصحافي|مراسل|المراسل|اعلامي"),
        ("doctor doctors physician physicians", "طبيب|اطباء|الاطباء|الطبيب"),
        ("protester protesters demonstrator demonstrators", "متظاهر|المتظاهر|محتج|المحتج"),
        ("king", "ملك|الملك|العاهل"),
        ("prince", "امير|الامير"),
        ("sultan", "سلطان|السلطان"),
        ("president", "رئيس|الرئيس|رئاس|الرئاس"),
        # places and things
        ("village villages", "قريه|قري|القريه|القري|بلده|بلدات|البلده|البلدات|قريتي|قريتين"),
        ("house houses home homes", "منزل|منازل|المنزل|المنازل|منزلين|بيت|بيوت|البيت|مسكن|مساكن"),
        ("market markets marketplace", "سوق|اسواق|السوق"),
        ("hospital hospitals", "مستشفي|المستشفي|مستشفيات|مشفي|المشفي"),
        ("school schools", "مدرسه|مدارس|المدرسه|المدارس"),
        ("mosque mosques", "مسجد|مساجد|المسجد|جامع|الجامع"),
        ("church churches", "كنيسه|كنائس|الكنيسه"),
        ("prison prisons jail", "سجن|سجون|السجن"),
        ("port harbour harbor", "ميناء|مرفا|الميناء|المرفا"),
        ("bridge", "جسر|الجسر"),
        ("checkpoint checkpoints", "حاجز|حواجز|الحاجز|تفتيش"),
        ("convoy convoys", "قافله|القافله|رتل|الرتل|ارتال"),
        ("tank tanks", "دبابه|دبابات|الدبابه|الدبابات"),
        ("ship ships vessel vessels boat boats", "سفينه|سفن|السفينه|زورق|زوارق|قارب|قوارب|مركب|مراكب"),
        ("helicopter helicopters", "مروحيه|مروحيات|المروحيه"),
        ("mortar mortars", "هاون"),
        ("artillery", "مدفعي|المدفعي|مدفعيه|المدفعيه|مدافع"),
        ("depot depots warehouse warehouses storage", "مستودع|مستودعات|المستودع|مخزن|مخازن|المخزن"),
        # events
        ("operation operations", "عمليه|عمليات|العمليه|العمليات"),
        ("explosion explosions blast blasts", "انفجار|انفجارات|الانفجار|انفجاران|انفجارين|تفجير|تفجيرات|دوي"),
        ("ceasefire truce", "وقف اطلاق النار|وقف لاطلاق النار|وقفا لاطلاق النار|هدنه|الهدنه|تهدئه|التهدئه"),
        ("negotiation negotiations talks", "مفاوض|المفاوض|محادث|المحادث|حوار|الحوار"),
        ("election elections", "انتخاب|الانتخاب"),
        ("siege", "حصار|الحصار|محاصر"),
        ("invasion", "غزو|اجتياح|الاجتياح"),
        ("kidnapped kidnapping abducted abduction", "خطف|اختطاف|الخطف|الاختطاف|مخطوف"),
        ("assassination assassinated", "اغتيال|الاغتيال|اغتال"),
        ("massacre massacres", "مجزره|مجازر|المجزره"),
        ("executed execution executions", "اعدام|الاعدام|اعدم"),
        ("sanction sanctions", "عقوبات|العقوبات"),
        ("condemned condemns condemn condemnation", "ادان|ادانه|ادانت|تدين|يدين|ندد|نددت|استنكر|استنكرت|شجب"),
        ("denied denies deny denial", "نفي|نفت|ينفي|تنفي|نفيه"),
        # economy
        ("economy economic", "اقتصاد|الاقتصاد"),
        ("import imports imported", "واردات|الواردات|استيراد|الاستيراد|مستورد"),
        ("export exports exported", "صادرات|الصادرات|تصدير|التصدير"),
        ("revenue revenues income", "ايراد|الايراد|ايرادات|الايرادات|عائدات|العائدات|دخل|الدخل"),
        ("deficit", "عجز|العجز"),
        ("debt debts", "دين|ديون|الديون|مديونيه"),
        ("inflation", "تضخم|التضخم"),
        ("reserve reserves", "احتياطي|الاحتياطي|احتياطات|الاحتياطات|احتياط"),
        ("currency", "عمله|العمله|صرف|الصرف"),
        ("investment investments", "استثمار|الاستثمار"),
        ("tax taxes", "ضريب|الضريب"),
        ("salary salaries wages", "راتب|رواتب|الرواتب|اجور|الاجور"),
        ("unemployment", "بطاله|البطاله"),
        ("production output", "انتاج|الانتاج"),
        # sport
        ("match", "مباراه|المباراه|لقاء|اللقاء"),
        ("coach", "مدرب|المدرب"),
        ("player players", "لاعب|لاعبين|اللاعب"),
        ("season", "موسم|الموسم"),
        # directions
        ("north northern northward", "شمال|شمالي|الشمال|الشمالي|شماليه|الشماليه|شمالا"),
        ("south southern southward", "جنوب|جنوبي|الجنوب|الجنوبي|جنوبيه|الجنوبيه|جنوبا"),
        ("east eastern eastward", "شرق|شرقي|الشرق|الشرقي|شرقيه|الشرقيه|شرقا"),
        ("west western westward", "غرب|غربي|الغرب|الغربي|غربيه|الغربيه|غربا"),
        ("northeast northeastern northwest northwestern", "شمال|شمالي|الشمال|الشمالي|شماليه|الشماليه"),
        ("southeast southeastern southwest southwestern", "جنوب|جنوبي|الجنوب|الجنوبي|جنوبيه|الجنوبيه"),
        ("northeast northeastern southeast southeastern", "شرق|شرقي|الشرق|الشرقي|شرقيه|الشرقيه"),
        ("northwest northwestern southwest southwestern", "غرب|غربي|الغرب|الغربي|غربيه|الغربيه"),
        # time: weekdays and spans
        ("monday", "الاثنين|اثنين"),
        ("tuesday", "الثلاثاء|ثلاثاء"),
        ("wednesday", "الاربعاء|اربعاء"),
        ("thursday", "الخميس|خميس"),
        ("friday", "الجمعه|جمعه"),
        ("saturday", "السبت|سبت"),
        ("sunday", "الاحد"),
        ("week weeks weekly", "اسبوع|اسابيع|الاسبوع|الاسابيع|اسبوعي"),
        ("month months monthly", "شهر|اشهر|شهور|الشهر|الاشهر|الشهور|شهري"),
        ("decade decades", "عقد|عقود|العقد|سنوات|اعوام"),
        ("yesterday", "امس"),
    )
)


def has_stem(text: str, stems: tuple[str, ...]) -> bool:
    """Whether a word of an Arabic text, proclitics off, is one of ``stems`` or begins with one of four
    letters or more (single words), or the text holds one of the multi-word ``stems`` as a phrase."""
    words = words_of(text)
    singles = tuple(s for s in stems if " " not in s)
    phrases = tuple(s for s in stems if " " in s)
    if phrases and find_phrase(words, phrases) is not None:
        return True
    long_ = tuple(s for s in singles if len(s) >= 4)
    return any(form in singles or form.startswith(long_) for w in words for form in _stem_forms(w))


@functools.lru_cache(maxsize=4096)
def _stem_forms(word: str) -> tuple[str, ...]:
    from summarizer.arabic import split_proclitics

    return tuple({stem for _prefix, stem in split_proclitics(word)} | {word})


def words_of(text: str) -> list[str]:
    """The normalized words of an Arabic text."""
    return [w for w in re.split(r"[^\w]+", normalize_ar(text)) if w]


def word_is(word: str, cues: tuple[str, ...]) -> bool:
    """Whether a normalized word is one of the single-word ``cues``, with or without proclitics."""
    return any(form in cues for form in _stem_forms(word))


def find_phrase(words: list[str], cues: tuple[str, ...], start: int = 0) -> tuple[int, int] | None:
    """The first (start, end) word span from ``start`` that is one of ``cues`` (single words with
    proclitics off, multi-word phrases with proclitics off their first word)."""
    for i in range(start, len(words)):
        for cue in cues:
            parts = cue.split(" ")
            if i + len(parts) > len(words):
                continue
            if word_is(words[i], (parts[0],)) and all(words[i + k] == parts[k] for k in range(1, len(parts))):
                return i, i + len(parts)
    return None


def has_phrase(text: str, cues: tuple[str, ...]) -> bool:
    """Whether a text holds one of ``cues`` as words (see :func:`find_phrase`)."""
    return find_phrase(words_of(text), cues) is not None
