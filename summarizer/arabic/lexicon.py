"""The Arabic words code reads articles and checks answers by: every cue-word list of the package.

**Convention.** Every table is written in Arabic letters (never ``\\u06xx`` escapes), in everyday
spelling or already folded, and built with :func:`_norm`, which applies
:func:`~summarizer.arabic.normalize.normalize_ar`: what a table holds is always *normalized* (no diacritics or
tatweel, «ا» for «أ إ آ», «ي» for «ى», «ه» for «ة»), so «قتلى» and «قتلي» are one entry. Callers must
normalize the text before a lookup: :func:`words_of` (or ``normalize_ar`` and a split) for words,
``normalize_ar`` for a substring test. How a table is matched is part of its name:

- most tables are matched on whole words, proclitics off (:func:`word_is`, :func:`find_phrase`,
  :func:`has_stem`: «وقُتل», «بغارة»), or as whole normalized words (the ``frozenset`` tables, ``in``);
- ``*_PREFIXES`` tables are word starts (``str.startswith``);
- ``*_SUBSTRINGS`` tables are matched anywhere inside the normalized text («قتل» is in «قتلى» and
  «مقتل»): the looser test grounding uses to let a model's answer stand, and the pipeline to pick the
  sentences it asks about. A word table and a substring table of one meaning differ on purpose.

The tables, by what they answer:

- :data:`KILL_WORDS`, :data:`INJURE_WORDS`: a casualty figure's kind;
- :data:`WEAPONS`: the weapon words, the ACLED sub-event type each implies and its English;
- :data:`INTERCEPT_VERBS`: «أسقط», «دمّر», «اعترض» before a drone or missile: an interception, never a
  killing;
- :data:`NATIONALITIES`: «أمريكية» after a weapon names the attacker; after a victim, who they were;
- :data:`VICTIM_NOUNS`: who the casualties were («مقاتلاً» fighters, «مدنيين» civilians);
- :data:`STATEMENT_CUES`: threats, accusations, denials and claims of responsibility;
- :data:`SOURCE_CUES`, :data:`SPEECH_VERBS`: «بحسب», «وفق», «قال»: who gives a figure, who speaks;
- the reader's grammar words (:mod:`summarizer.brief.reading`): who did it («نفذت», «شنها», «من قبل»), to
  whom («تعرضت», «على»), what is background («منذ», «عدة»), what refers back («الهجوم»);
- the ``*_SUBSTRINGS`` checks of the model's answers (:mod:`summarizer.brief.grounding`,
  :mod:`summarizer.brief.pipeline`);
- the words around a count (:mod:`summarizer.arabic.numbers`: negations, one victim after «مقتل»), a date
  (:mod:`summarizer.arabic.dates`: :data:`TIME_HEADS`, :func:`is_time_head`) and a place
  (:mod:`summarizer.arabic.gazetteer`: «مدينة», «في», «قناة»).

Number words and month names are tables of values, not cue lists: they stay in
:mod:`summarizer.arabic.numbers` and :mod:`summarizer.arabic.normalize`.

:data:`TRANSLATION_TERMS` is what a free translation must keep: each Arabic phrase found in a unit
must appear in the English in one of its forms, and some forbid words a small model wrongly writes
(«موالياً لإيران» is never "Americans"; «دمرنا مسيرتين» is never "killed").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from summarizer.arabic.normalize import MONTHS_AR, WEEKDAYS_AR, normalize_ar, split_proclitics


def _norm(words: str) -> tuple[str, ...]:
    return tuple(normalize_ar(w) for w in words.split("|") if w)


KILL_WORDS = _norm("قتل|قتلت|قتلوا|مقتل|قتيل|قتيلا|قتلى|مصرع|حتف|استشهد|استشهاد|شهيد|شهيدا|شهداء|لقي")
INJURE_WORDS = _norm("أصيب|أصيبوا|إصابة|إصابات|جرح|جرحى|جريح|جريحا|مصاب|مصابين|مصابا|بجروح")


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
        _norm("مسيرة|مسيرات|مسيرتين|مسيرتان|بدون طيار|درون|درونز"),
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
INTERCEPT_VERBS = _norm("أسقط|أسقطت|اسقاط|أسقطنا|اعترض|اعترضت|اعتراض|اعترضنا|دمرنا|دمرت|دمر|تدمير|أحبط|أحبطت")
INTERCEPTED_OBJECTS = _norm("مسيرة|مسيرات|مسيرتين|مسيرتان|طائرة|طائرات|صاروخ|صواريخ|صاروخين|صاروخا|بدون طيار")

ARREST_WORDS = _norm("اعتقل|اعتقلت|اعتقال|احتجز|احتجزت|احتجاز|القبض|توقيف|اعتقالات")
#: Words that make the victims civilians (an attack on civilians needs one, or a civilian target).
#: Read on whole words by the reader and as substrings by grounding (the same result there: the forms
#: only a word match needs, «مدنيون» and «طفلا», hold «مدني» and «طفل»).
CIVILIAN_WORDS = _norm("مدني|مدنيين|مدنيون|مدنية|أطفال|طفل|طفلا|نساء|امرأة|سكان|عائلة|أهالي|مواطن|مواطنين")
#: Words that make a sentence background, not an incident: what happens often, or a tally since a date.
HABITUAL_WORDS = _norm("كثيرا|غالبا|عادة|مرارا|دائما|بانتظام|مناسبات|أحيانا|يوميا|يومي")
SINCE_WORDS = _norm("منذ")
#: «هرباً من المعارك»: words before a weapon or battle word that make it a cause of flight, not an incident.
FLEEING_WORDS = _norm("هربا|فرارا|هروبا|نزوحا")


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
            "امريكي|أميركي|امريكية|أميركية|الأمريكية|الأميركية|أمريكيين|أميركيين|أمريكيون|أميركيون|الأمريكي|الأميركي"
        ),
        "US",
        "القوات الأمريكية",
        "US military",
    ),
    Nationality(
        _norm("إسرائيلي|إسرائيلية|الإسرائيلي|الإسرائيلية|إسرائيليين"),
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
        _norm("إيراني|إيرانية|الإيراني|الإيرانية"),
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
    (_norm("مقاتل|مقاتلا|مقاتلين|مقاتلون|المقاتلين|مقاتلان"), "fighter", "fighters"),
    (_norm("مسلح|مسلحا|مسلحين|مسلحون|المسلحين|مسلحان"), "gunman", "gunmen"),
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
    (_norm("نفى|نفت|ينفي|تنفي"), "denial", "denied", "denial"),
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
CEASEFIRE_WORDS = _norm("وقف لإطلاق النار|وقف إطلاق النار|وقفا لإطلاق النار|هدنة|الهدنة")
AGREEMENT_WORDS = CEASEFIRE_WORDS + _norm("اتفاق|اتفاقا|اتفاقية")
AGREEMENT_VERBS = _norm("التوصل|توصل|توصلت|توصلا|اتفق|اتفقت|اتفقا|وقع|وقعت|وقعا|توقيع|أعلن|أعلنت")

#: Words before who gives a figure or a report.
SOURCE_CUES = _norm(
    "بحسب|حسب|وفق|وفقا|قال|قالت|أفاد|أفادت|ذكر|ذكرت|أعلن|أعلنت|أكد|أكدت|أوضح|أوضحت|نقلت|أورد|أوردت|قاله"
)


#: Verbs of saying that put a named speaker's words in a report: said, stressed, announced, defended…
SPEECH_VERBS = _norm(
    "قال|قالت|أكد|أكدت|أعلن|أعلنت|صرح|صرحت|أوضح|أوضحت|أضاف|أضافت|دافع|دافعت|ندد|نددت|أدان|أدانت|توعد|"
    "توعدت|هدد|هددت|حذر|حذرت|نفى|نفت|دعا|دعت|اتهم|اتهمت|وصف|وصفت|تبنى|تبنت"
)
#: Every word next to which a speaker stands (a translation may make only them speak): the verbs of
#: saying, the words that credit a source, and «بيان», «تابع», «أشار», «يقول», «كشف».
SPEECH_WORDS = tuple(
    dict.fromkeys(SPEECH_VERBS + SOURCE_CUES + _norm("بيان|تابعت|تابع|أشار|أشارت|يقول|تقول|كشف|كشفت"))
)


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
        ("utc gmt greenwich", "غرينتش|جرينتش|غرينيتش|جرينيتش"),
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
            "طفل|طفلا|اطفال|الاطفال|طفلة|طفلين|طفلان|طفلتين|طفلتان|قاصر|صبي|فتاة|فتيات|اطفالا",
        ),
        ("woman women", "امراة|نساء|النساء|سيدة|سيدات"),
        ("civilian civilians", "مدني|المدني|مدنيين|مدنيا"),
        (
            "soldier soldiers troop troops servicemen serviceman",
            "جند|جنود|الجنود|جندي|عسكري|العسكري|قوات|القوات",
        ),
        ("militant militants gunman gunmen", "مسلح|المسلح|مقاتل|المقاتل|عناصر|عنصر"),
        ("rebel rebels insurgent insurgents", "متمرد|المتمرد|معارض|المعارض|فصائل|الفصائل|فصيل|ثوار"),
        ("opposition", "معارض|المعارض"),
        ("refugee refugees displaced", "لاجئ|اللاجئ|نازح|النازح|مهجر|المهجر|نزوح|النزوح"),
        ("commander commanders", "قائد|القائد|قادة|القادة|قيادي|القيادي|امر|الامر"),
        (
            "prisoner prisoners detainee detainees hostage hostages captive captives",
            "اسير|أسرى|الأسرى|معتقل|المعتقل|محتجز|المحتجز|رهين|رهائن|الرهائن",
        ),
        ("journalist journalists reporter reporters", "صحفي|الصحفي|صحافي|الصحافي|مراسل|المراسل|اعلامي"),
        ("doctor doctors physician physicians", "طبيب|اطباء|الاطباء|الطبيب"),
        ("protester protesters demonstrator demonstrators", "متظاهر|المتظاهر|محتج|المحتج"),
        ("king", "ملك|الملك|العاهل"),
        ("prince", "امير|الامير"),
        ("sultan", "سلطان|السلطان"),
        ("president", "رئيس|الرئيس|رئاس|الرئاس"),
        # places and things
        ("village villages", "قرية|قرى|القرية|القرى|بلدة|بلدات|البلدة|البلدات|قريتي|قريتين"),
        ("house houses home homes", "منزل|منازل|المنزل|المنازل|منزلين|بيت|بيوت|البيت|مسكن|مساكن"),
        ("market markets marketplace", "سوق|اسواق|السوق"),
        ("hospital hospitals", "مستشفى|المستشفى|مستشفيات|مشفى|المشفى"),
        ("school schools", "مدرسة|مدارس|المدرسة|المدارس"),
        ("mosque mosques", "مسجد|مساجد|المسجد|جامع|الجامع"),
        ("church churches", "كنيسة|كنائس|الكنيسة"),
        ("prison prisons jail", "سجن|سجون|السجن"),
        ("port harbour harbor", "ميناء|مرفا|الميناء|المرفا"),
        ("bridge", "جسر|الجسر"),
        ("checkpoint checkpoints", "حاجز|حواجز|الحاجز|تفتيش"),
        ("convoy convoys", "قافلة|القافلة|رتل|الرتل|ارتال"),
        ("tank tanks", "دبابة|دبابات|الدبابة|الدبابات"),
        ("ship ships vessel vessels boat boats", "سفينة|سفن|السفينة|زورق|زوارق|قارب|قوارب|مركب|مراكب"),
        ("helicopter helicopters", "مروحية|مروحيات|المروحية"),
        ("mortar mortars", "هاون"),
        ("artillery", "مدفعي|المدفعي|مدفعية|المدفعية|مدافع"),
        ("depot depots warehouse warehouses storage", "مستودع|مستودعات|المستودع|مخزن|مخازن|المخزن"),
        # events
        ("operation operations", "عملية|عمليات|العملية|العمليات"),
        ("explosion explosions blast blasts", "انفجار|انفجارات|الانفجار|انفجاران|انفجارين|تفجير|تفجيرات|دوي"),
        ("ceasefire truce", "وقف اطلاق النار|وقف لاطلاق النار|وقفا لاطلاق النار|هدنة|الهدنة|تهدئة|التهدئة"),
        ("negotiation negotiations talks", "مفاوض|المفاوض|محادث|المحادث|حوار|الحوار"),
        ("election elections", "انتخاب|الانتخاب"),
        ("siege", "حصار|الحصار|محاصر"),
        ("invasion", "غزو|اجتياح|الاجتياح"),
        ("kidnapped kidnapping abducted abduction", "خطف|اختطاف|الخطف|الاختطاف|مخطوف"),
        ("assassination assassinated", "اغتيال|الاغتيال|اغتال"),
        ("massacre massacres", "مجزرة|مجازر|المجزرة"),
        ("executed execution executions", "اعدام|الاعدام|اعدم"),
        ("sanction sanctions", "عقوبات|العقوبات"),
        ("condemned condemns condemn condemnation", "ادان|ادانة|ادانت|تدين|يدين|ندد|نددت|استنكر|استنكرت|شجب"),
        ("denied denies deny denial", "نفي|نفت|ينفي|تنفي|نفيه"),
        # economy
        ("economy economic", "اقتصاد|الاقتصاد"),
        ("import imports imported", "واردات|الواردات|استيراد|الاستيراد|مستورد"),
        ("export exports exported", "صادرات|الصادرات|تصدير|التصدير"),
        ("revenue revenues income", "ايراد|الايراد|ايرادات|الايرادات|عائدات|العائدات|دخل|الدخل"),
        ("deficit", "عجز|العجز"),
        ("debt debts", "دين|ديون|الديون|مديونية"),
        ("inflation", "تضخم|التضخم"),
        ("reserve reserves", "احتياطي|الاحتياطي|احتياطات|الاحتياطات|احتياط"),
        ("currency", "عملة|العملة|صرف|الصرف"),
        ("investment investments", "استثمار|الاستثمار"),
        ("tax taxes", "ضريب|الضريب"),
        ("salary salaries wages", "راتب|رواتب|الرواتب|اجور|الاجور"),
        ("unemployment", "بطالة|البطالة"),
        ("production output", "انتاج|الانتاج"),
        # sport
        ("match", "مباراة|المباراة|لقاء|اللقاء"),
        ("coach", "مدرب|المدرب"),
        ("player players", "لاعب|لاعبين|اللاعب"),
        ("season", "موسم|الموسم"),
        # directions
        ("north northern northward", "شمال|شمالي|الشمال|الشمالي|شمالية|الشمالية|شمالا"),
        ("south southern southward", "جنوب|جنوبي|الجنوب|الجنوبي|جنوبية|الجنوبية|جنوبا"),
        ("east eastern eastward", "شرق|شرقي|الشرق|الشرقي|شرقية|الشرقية|شرقا"),
        ("west western westward", "غرب|غربي|الغرب|الغربي|غربية|الغربية|غربا"),
        ("northeast northeastern northwest northwestern", "شمال|شمالي|الشمال|الشمالي|شمالية|الشمالية"),
        ("southeast southeastern southwest southwestern", "جنوب|جنوبي|الجنوب|الجنوبي|جنوبية|الجنوبية"),
        ("northeast northeastern southeast southeastern", "شرق|شرقي|الشرق|الشرقي|شرقية|الشرقية"),
        ("northwest northwestern southwest southwestern", "غرب|غربي|الغرب|الغربي|غربية|الغربية"),
        # time: weekdays and spans
        ("monday", "الاثنين|اثنين"),
        ("tuesday", "الثلاثاء|ثلاثاء"),
        ("wednesday", "الاربعاء|اربعاء"),
        ("thursday", "الخميس|خميس"),
        ("friday", "الجمعة|جمعة"),
        ("saturday", "السبت|سبت"),
        ("sunday", "الاحد"),
        ("week weeks weekly", "اسبوع|اسابيع|الاسبوع|الاسابيع|اسبوعي"),
        ("month months monthly", "شهر|اشهر|شهور|الشهر|الاشهر|الشهور|شهري"),
        ("decade decades", "عقد|عقود|العقد|سنوات|اعوام"),
        ("yesterday", "امس"),
    )
)


# --- Reading a sentence (summarizer.brief.reading): matched on whole words, proclitics off ------------------

#: Nouns that count occurrences: «78 مرة منذ», «عدة هجمات» (with :data:`SINCE_WORDS` or a vague count, a
#: tally, not an incident).
TALLY_NOUNS = _norm("مرة|مرات|هجوما|هجمات|ضربات|غارات|عمليات")
#: Vague counts: «عدة هجمات», «عشرات الغارات».
VAGUE_QUANTIFIERS = _norm("عدة|سلسلة|العديد|عشرات|مئات")
#: Words that may stand between a weapon and the nationality that names its attacker («غارات جوية أمريكية»).
WEAPON_MODIFIERS = frozenset(
    _norm("جوية|دقيقة|صاروخية|حربية|مسيرة|انتقامية|مماثلة|عنيفة|مكثفة|متتالية|جديدة|بطائرات|مسيرات")
)
#: «أي ضربات»: any strikes, hypothetical.
ANY_WORDS = _norm("أي|أية")
#: An attack named with no weapon: «هجوم الخميس», «الهجوم».
ATTACK_NOUNS = _norm("هجوم|هجوما|الهجوم|اعتداء|الاعتداء")
#: «أُطلق من اليمن»: launched from.
LAUNCH_VERBS = _norm("أطلق|أطلقت|انطلق|انطلقت|أطلقها|أطلقه|أطلقا|أطلقتا|انطلقتا")
#: «سلاح الجو المسيّر», «القوة الصاروخية»: a unit named by its weapon.
AIR_FORCE_UNITS = _norm("سلاح الجو|القوة الجوية")
#: A drone or missile named in the singular: one was brought down.
SINGLE_PROJECTILES = _norm("مسيرة|طائرة|صاروخ|صاروخا")
#: Casualty nouns a count stands before: «11 قتيلاً», «ستة جرحى».
CASUALTY_NOUNS = _norm("قتلى|جرحى|قتيل|مصابين|ضحايا")
#: «بينهم»: among them (a subgroup of the victims counted before).
AMONG_WORDS = _norm("بينهم|منهم|بينهن|بينهما")
#: «خمسة مقاتلين آخرين»: victims in addition to those told before.
OTHERS_WORDS = _norm("آخرين|آخرون|آخران|آخرتين|أخريات")
#: Casualty verbs ending as nouns do («قتلوا»): their number is not the word before.
PLURAL_CASUALTY_VERBS = _norm("قتلوا|أصيبوا|جرحوا|استشهدوا|لقوا")
#: «قالت إنهم قُتلوا»: a pronoun for victims counted earlier in the sentence.
THAT_THEY = _norm("انهم|بانهم|انهما")
#: «القوات الأميركية ... ردت برشقات صاروخية»: the actor before these verbs did the mention after them.
RESPONSE_VERBS = _norm("ردت|رد|ردوا|ردتا")
#: «نفذت القوات الأمريكية ضربات»: the actor right after these active verbs did the first mention after it.
ATTACK_VERBS = _norm("استهدف|استهدفت|هاجم|هاجمت|قصفت|شن|شنت|نفذ|نفذت|أطلق|أطلقت|شنوا|نفذوا")
#: «شنها», «نفذها», «من قبل»: the actor after these words did the mention before them.
CARRIED_OUT_BY = _norm("شنها|شنتها|نفذها|نفذتها|أطلقها|أطلقتها|شنه|شنته|نفذه|نفذته|أطلقه|أطلقته|قبل")
#: «تعرضت القاعدة لهجوم»: verbs of being attacked: the actor before them is the target.
SUBJECTED_VERBS = _norm("تعرض|تعرضت|تتعرض|يتعرض|تعرضوا|تعرضا")
#: «على»: "on", before the target of a strike (and, in the gazetteer, before where a strike landed).
ON_WORDS = _norm("على")
#: «ردا على هجوم»: «على» after these words names no target; «على يد»: at the hands of (the doer).
NOT_ON_BEFORE = _norm("ردا|بناء|اعتمادا|علاوة|القضاء|السيطرة")
NOT_ON_AFTER = _norm("يد|أيدي|خلفية|إثر|الأقل|بعد|مقربة|أن")
#: «مواقع المسلحين الموالين لواشنطن»: the allies of the actor named after these words (word starts), not
#: the actor. Differs from :data:`ALLEGIANCE_PREFIXES` (the gazetteer's): verbs of support, no «تابع».
ALLIED_PREFIXES = _norm("موال|الموال|مدعوم|المدعوم|متحالف|المتحالف|تدعم|يدعم")
#: «بين»: between the two sides of a clash.
BETWEEN_WORDS = _norm("بين")
#: «قال إن», «ذكرت أن»: the words after a verb of saying that open what was said.
THAT_WORDS = _norm("إن|إنه|إنها|إنهم|بأن|بأنه|بأنها")
#: «بلدتي كفركلا والعديسة», «مدينتي خان يونس ورفح»: two towns, cities or villages named together.
DUAL_PLACE_NOUNS = _norm("بلدتي|بلدتا|مدينتي|مدينتا|قريتي|قريتا|منطقتي|منطقتا|محافظتي|محافظتا")
#: «في»: "in", before a place.
IN_WORDS = frozenset(_norm("في|وفي"))
#: Nouns of an attack (not of a weapon or of who fired it): definite, they refer back to one told.
DEFINITE_ATTACK_NOUNS = _norm(
    "الغارة|الغارات|الضربة|الضربات|القصف|الهجوم|الهجمات|الاشتباكات|المعارك|المواجهات|الاعتداء|الاستهداف"
)
#: «مقاتليه استهدفوا», «مجاهدونا استهدفوا»: a group's fighters did it, by its own word.
ITS_FIGHTERS = _norm(
    "مقاتليه|مقاتليها|مقاتلوه|مقاتلوها|مقاتلونا|مقاتلينا|مجاهدونا|مجاهدينا|مجاهدوه|عناصره|عناصرها|"
    "مقاوميه|مقاوموه|مقاومونا|مقاومينا|مقاوميها|مقاوموها"
)
#: Plural verbs of attacking after :data:`ITS_FIGHTERS`.
FIGHTERS_DID = _norm("استهدفوا|فجروا|هاجموا|قصفوا|أطلقوا|نفذوا|أسقطوا|دمروا|اشتبكوا|استهدفا")
#: «أعلن حزب الله استهداف …»: verbs of announcing an attack (an armed group's claims it).
ANNOUNCE_VERBS = _norm("أعلن|أعلنت|تعلن|يعلن")
#: Nouns of targeting after :data:`ANNOUNCE_VERBS`.
TARGETING_NOUNS = _norm("استهداف|مهاجمة|قصف")
#: «استهداف قواته»: the announcer's own forces, positions or patrol, targeted by someone else.
ITS_OWN_FORCES = _norm(
    "قواته|قواتها|جنوده|جنودها|مواقعه|مواقعها|قاعدته|قاعدتها|عناصره|عناصرها|مقاتليه|مقاتليها|دوريته|دوريتها"
)
#: «قال المتحدث باسم الحوثيين إن سلاح الجو المسيّر استهدف»: verbs that open what a speaker says. Narrower
#: than :data:`SPEECH_VERBS` (no threats, denials or condemnations) and with «ذكر».
CLAIM_SPEECH_VERBS = _norm("قال|قالت|أعلن|أعلنت|أكد|أكدت|أوضح|أوضحت|ذكر|ذكرت")
#: «نفت … سقوط قتلى، وقالت إن القصف أدى إلى …»: after a denial, a verb of saying opens what the speaker
#: asserts, which it does not deny.
ASSERTING_WORDS = _norm("قال|قالت|أكد|أكدت|أوضح|أوضحت|أضاف|أضافت|مؤكدة|مؤكدا|مشيرة|مشيرا|موضحة|موضحا")
#: The definite article with the proclitics it may carry, as word starts.
ARTICLE_PREFIXES = _norm("ال|وال|فال|بال")
#: «كذلك», «كما», «أيضاً» opening a sentence: more of what was just told.
ALSO_WORDS = _norm("كذلك|كما|أيضا")
#: «تبنت … الهجوم»: the attack already told of.
THE_ATTACK = _norm("الهجوم|الهجمات|الضربة|الضربات|العملية|الاستهداف")
#: Words before an actor that make it a victim, a target or an allegiance, never the doer: «موالياً
#: لإيران», «على مواقع للجماعات», «ضد المنشآت», «قاعدة للتحالف».
NOT_DOER_BEFORE = _norm(
    "موال|موالي|موالين|موالية|مواليا|الموالين|الموالية|مدعومة|المدعومة|متحالفة|المتحالفة|تابعة|التابعة|"
    "على|ضد|مواقع|موقع|قاعدة|قاعدتي|قواعد|منشآت|منشأة|مقر|استهدف|استهدفت|استهداف|مع|عناصر|مقاتلي"
)
#: «دمّر» before a weapon: the English verbs "destroy" and "bomb" a translation may use need one of these.
DESTROY_WORDS = _norm("دمر|دمرت|دمرنا|تدمير|تدميره|دمار|مدمر")
BOMB_WORDS = _norm("قنبلة|قنابل|تفجير|عبوة|مفخخة|قصف|قصفت")


# --- Checking the model's answers (summarizer.brief.grounding, summarizer.brief.pipeline): matched as substri
# A ``*_SUBSTRINGS`` table is matched anywhere inside the normalized text («قتل» is in «قتلى» and «مقتل»),
# a looser test than the word tables above: it only lets a model's answer stand or picks what to ask.

#: Weapon words → the ACLED sub-event type they imply, in the order ties are broken.
WEAPON_SUBSTRINGS: dict[str, tuple[str, ...]] = {
    "air_drone_strike": _norm(
        "طائرة مسيرة|طائرات مسيرة|بطائرة|طائرات|مسيرة|مسيرات|بدون طيار|درون|غارة|غارات|"
        "ضربة جوية|ضربات جوية|قصف جوي|الطيران|مقاتلات"
    ),
    "shelling_artillery_missile_attack": _norm("صاروخ|صواريخ|صاروخية|قذيفة|قذائف|مدفعي|مدفعية|هاون|راجمات"),
    "remote_explosive_landmine_ied": _norm("عبوة ناسفة|عبوات ناسفة|لغم|ألغام|مفخخة|مفخخ|تفجير|قنبلة"),
    "suicide_bomb": _norm("انتحاري|انتحارية"),
    "armed_clash": _norm("اشتباك|اشتباكات|معارك|مواجهات|اقتتال"),
}
#: Words of an arrest (with «أسر», capture).
ARREST_SUBSTRINGS = _norm("اعتقل|اعتقال|اعتقلت|احتجز|احتجاز|القبض|توقيف|أسر")
#: Words saying nobody was killed or hurt: the only support a figure of 0 has.
NO_CASUALTY_SUBSTRINGS = _norm(
    "دون إصابات|دون وقوع إصابات|دون سقوط ضحايا|دون ضحايا|دون خسائر بشرية|لم تسفر عن|لم يسفر عن|"
    "لا إصابات|لا توجد إصابات|لم تقع إصابات|لم يصب|لم تسجل إصابات|لم ترد تقارير عن إصابات|دون أن يسفر|"
    "عدم وقوع إصابات|عدم سقوط ضحايا|دون وقوع أضرار أو إصابات|دون أضرار أو إصابات|دون وقوع إصابات أو أضرار"
)
#: Words that make a sentence a claim, a denial, a threat or a plan.
STATUS_SUBSTRINGS: dict[str, tuple[str, ...]] = {
    "claimed": _norm("تبنى|تبنت|مسؤوليته|مسؤوليتها|المسؤولية|أعلنت|أعلن|يزعم|زعم"),
    "denied": _norm("نفى|نفت|ينفي|تنفي"),
    "threatened": _norm("هدد|هددت|يهدد|تهدد|تهديد|توعد|توعدت|سنرد|سترد|سنتخذ|سنقاوم"),
    "planned": _norm("تخطط|يخطط|تعتزم|يعتزم|خطط|تستعد|يستعد"),
}
#: Words of killing, wounding and victims (and their English, for a mixed clause).
CASUALTY_SUBSTRINGS = _norm(
    "قتل|قتيل|مصرع|حتف|جرح|جريح|إصاب|أصيب|مصاب|ضحايا|ضحية|استشهد|شهيد|شهداء|وفاة|توفي|"
    "killed|dead|wounded|injured"
)
#: An actor's Arabic name that says soldiers or forces.
STATE_FORCE_SUBSTRINGS = _norm("جندي|جنديا|جنود|الجنود|جيش|الجيش|عسكري|عسكريين|العسكريين|قوات|القوات")
#: An actor's Arabic name that says fighters, gunmen or militias.
ARMED_GROUP_SUBSTRINGS = _norm("مقاتل|مقاتلين|مقاتلون|مسلح|مسلحين|مسلحون|ميليشيا|ميليشيات|مليشيات|فصائل|فصيل")
#: Words that make a sentence background: what happens often or usually, not one incident. Phrases
#: («كثيراً ما»), unlike the single words of :data:`HABITUAL_WORDS`.
HABITUAL_SUBSTRINGS = _norm("كثيرا ما|غالبا ما|عادة ما|دائما ما|مرارا")
#: Words that mark a sentence reporting an event: killing, wounding, strikes, shelling, attacks, drones,
#: rockets, clashes, blasts, arrests, interceptions, threats, accusations, denials and claims.
EVENT_SUBSTRINGS = _norm(
    "قتل|مقتل|قتيل|قتلى|اصاب|اصيب|إصابة|جرح|جرحى|غارة|غارات|ضربة|ضربات|قصف|هجوم|هجمات|هاجم|استهدف|"
    "مسيرة|مسيرات|صاروخ|صواريخ|قذائف|قذيفة|اشتباك|اشتباكات|انفجار|تفجير|اعتقال|اعتقل|أسقط|إسقاط|اعترض|"
    "تهديد|هدد|توعد|اتهم|نفى|تبنى|مسؤولية"
)


# --- Numbers (summarizer.arabic.numbers): whole normalized words --------------------------------------------

#: Negations: «لم يصب أحد», «دون وقوع إصابات».
NEGATIONS = frozenset(_norm("لا|لم|لن|ليس|دون|بدون|عدم|ولا|ولم|ولن|بلا"))
#: Casualty nouns after a negation that make it a zero: «لا إصابات», «دون سقوط ضحايا».
NEGATED_CASUALTY_NOUNS = frozenset(_norm("اصابات|ضحايا|وفيات|اصابة|قتيل|قتلى|جرحى"))
#: Casualty words before one indefinite victim noun: «مقتل جندي» is one killed.
CASUALTY_TRIGGERS = frozenset(_norm("مقتل|قتل|مصرع|إصابة|اصيب|جرح|استشهاد|اغتيال|اعتقال|خطف|سقوط|وفاة"))
#: Passive casualty verbs after a victim noun: «جندياً أميركياً آخر أصيب».
PASSIVE_CASUALTY_VERBS = frozenset(_norm("قتل|اصيب|جرح|لقي|استشهد|اعتقل"))
#: Singular nouns and nisba adjectives for people: after a casualty word, one such noun is one victim.
PERSON_NOUNS = frozenset(
    _norm(
        "جندي|عسكري|مقاتل|مسلح|مدني|شخص|طفل|رجل|عنصر|ضابط|متعاقد|مقاول|مواطن|شرطي|قائد|قيادي|صحفي|مسعف|"
        "لواء|عقيد|جنرال|مستشار|قتيل|جريح|اميركي|امريكي|سوري|عراقي|ايراني|اسرائيلي|روسي|تركي|لبناني|كردي|"
        "افغاني|باكستاني|فلسطيني"
    )
)
#: Words for one more victim that are not in :data:`PERSON_NOUNS`: a woman, another, a third, a fourth.
ONE_MORE_PERSON = frozenset(_norm("امرأة|آخر|ثالث|ثالثا|رابع"))
#: «الساعة 11»: the hour, not a count.
CLOCK_WORDS = frozenset(_norm("الساعة|ساعة"))


# --- Dates (summarizer.arabic.dates): whole normalized words ------------------------------------------------

#: «الخميس الماضي», «فبراير الماضي»: before the publication date.
PAST_WORDS = frozenset(_norm("الماضي|الماضية|المنصرم|الفائت|السابق"))
#: Words that start a relative time phrase (with the weekday names of
#: :data:`~summarizer.arabic.normalize.WEEKDAYS_AR`).
TIME_HEADS = frozenset(_norm("أمس|الأمس|البارحة|الليلة|اليوم|الأسبوع|الشهر"))
#: «أمس», «البارحة»: yesterday.
YESTERDAY_WORDS = frozenset(_norm("أمس|الأمس|البارحة"))
#: «الليلة الماضية», «ليلة أمس»: the night (with a past word, last night).
NIGHT_WORDS = frozenset(_norm("الليلة|ليلة|ليل"))
#: «اليوم», «الليلة»: the publication day.
TODAY_WORDS = frozenset(_norm("اليوم|الليلة|الليل"))
#: Words that may come before a time word inside its phrase («ليل الخميس», «صباح الجمعة», «يوم الأحد»).
TIME_BEFORE = frozenset(_norm("ليل|ليلة|صباح|مساء|فجر|ظهر|يوم|منتصف|مطلع|أول|من|عصر|نهار"))
#: Words that may follow a time word inside its phrase («الخميس الماضي», «الخميس أمس»). Not «إلى»: listed
#: unnormalized before, it never matched, and «ليل الخميس إلى الجمعة» is found as «ليل الخميس».
TIME_AFTER = frozenset({*PAST_WORDS, *_norm("أمس|الأمس|الماضيين")})
#: Words that name a time (:func:`names_time`): time words, month and weekday names. Wider than
#: :data:`TIME_HEADS`: «صباح», a month or «عام» names a time but does not start a relative date phrase.
TIME_WORDS = frozenset(
    (
        *_norm(
            "أمس|اليوم|الليلة|ليل|ليلة|صباح|مساء|فجر|ظهر|الأسبوع|أسبوع|الشهر|شهر|العام|عام|يوم|أيام|ساعة|"
            "ساعات|الماضي|الماضية|الحالي|الجاري|مؤخرا"
        ),
        *_norm("|".join((*MONTHS_AR, *WEEKDAYS_AR))),
    )
)
#: Words before a date that make it the start of a period: «منذ أبريل/نيسان» (since April). Adds «مذ» to
#: :data:`SINCE_WORDS`.
SINCE_DATE_WORDS = frozenset(_norm("منذ|مذ"))
#: Words after «اليوم» that make it "the day (that/after/before)", not today.
NOT_TODAY_AFTER = frozenset(_norm("الذي|التالي|السابق|نفسه|ذاته"))


# --- Places (summarizer.arabic.gazetteer): whole normalized words -------------------------------------------

#: Words that make a following ambiguous name a place: «مدينة تدمر», «في القائم», «قرب الطبقة».
PLACE_CUES = frozenset(
    _norm(
        "مدينة|بلدة|قرية|قضاء|ناحية|منطقة|مناطق|قاعدة|مطار|حقل|مخيم|محافظة|ريف|بادية|حي|معبر|مدينتي|في|قرب|"
        "بالقرب|من|إلى|نحو|باتجاه|بين|داخل|محيط|شرق|غرب|شمال|جنوب|شرقي|غربي|شمالي|جنوبي"
    )
)
#: Strike words before «على» that make the place after it where the strike landed.
STRIKES_ON = frozenset(_norm("غارة|غارات|ضربة|ضربات|قصف|هجوم|هجوما|هجمات|صواريخ|قذائف|جوية|محدودة"))
#: Words after which a place is where something happens.
LOCATIVE_WORDS = frozenset(
    _norm(
        "في|وفي|قرب|بالقرب|داخل|محيط|شرق|غرب|شمال|جنوب|شرقي|غربي|شمالي|جنوبي|مدينة|بلدة|قرية|ريف|بادية|حي|"
        "مناطق|منطقة"
    )
)
#: Words after which a name is an outlet, not a place: «قناة الميادين».
MEDIA_NOUNS = frozenset(_norm("قناة|شبكة|وكالة|صحيفة|تلفزيون|إذاعة|موقع"))
#: Nouns after which a name is a place, not an outlet or group: «مدينة الميادين».
PLACE_NOUNS = frozenset(_norm("مدينة|بلدة|قرية|محافظة|ريف|بادية|حي|قرب|بالقرب|مدينتي"))
#: Word starts of allegiance: a country or capital after them names a patron, not a place («موالية
#: لإيران»). Differs from :data:`ALLIED_PREFIXES` (the reader's): «تابع», no verbs of support.
ALLEGIANCE_PREFIXES = _norm("موال|الموال|مدعوم|المدعوم|متحالف|المتحالف|تابع|التابع")


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


def names_time(word: str, *, head: bool = False) -> bool:
    """Whether a normalized word names a time, with a conjunction or preposition off: a weekday, a
    month or one of :data:`TIME_WORDS` («مساء», «والجمعة», «بالأمس»). With ``head``, whether it starts a
    relative date phrase instead: a weekday or one of :data:`TIME_HEADS`, never with the article taken
    off («الأمس» is listed itself). The one time-word predicate: :func:`summarizer.arabic.dates.find_date`
    asks
    for heads, grounding asks whether a model's date words name a time at all."""
    words = TIME_HEADS if head else TIME_WORDS
    return any(
        stem in WEEKDAYS_AR or stem in words
        for prefix, stem in split_proclitics(word)
        if not (head and prefix.endswith("ال"))
    )


def is_time_head(word: str) -> bool:
    """Whether a normalized word starts a relative date phrase (:func:`names_time` with ``head``)."""
    return names_time(word, head=True)
