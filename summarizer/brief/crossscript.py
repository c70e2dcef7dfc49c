"""Checks that an English text says what its Arabic source says: figures, key terms and names.

A free translation by the 1.5B model is shown only when :func:`check_translation` finds no problem:

- **figures**: every figure of the Arabic is in the English, and no other;
- **terms**: every :data:`~summarizer.arabic.lexicon.TRANSLATION_TERMS` phrase found in the Arabic appears in
  one of its English forms, and never in a form it forbids («موالياً لإيران» is "pro-Iran", never
  "Americans"; «دمرنا مسيرتين» is "destroyed", never "killed");
- **claim words**: every English word of :data:`~summarizer.arabic.lexicon.GROUNDED_WORDS` (people, places,
  events, weekdays: "opposition", "villages", "Tuesday") has one of its Arabic words in the source;
- **names across scripts**: every capitalised name in the English is a gazetteer name (or a
  nationality) whose Arabic form is in the source, or transliterates back to a word of the source
  (:func:`latin_skeleton` against :func:`arabic_skeleton`: "Lloyd Austin" is «لويد أوستن»; "Shimon
  Peres" matches nothing in an article that never names him).

No library checks names across scripts in this direction (English out, Arabic in) offline and light:
``arabnamer`` needs xgboost and a 40 MB model, ``arabic-name-romanizer`` onnxruntime, and both answer
"how is this name written", not "is this English name one of these Arabic words". A consonant skeleton
is enough for that question, and it is tested on the corpus's names.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from summarizer.arabic import lexicon as lx
from summarizer.arabic.gazetteer import ActorEntry, Gazetteer, Place
from summarizer.arabic.normalize import normalize_ar, split_proclitics
from summarizer.arabic.numbers import figures_in_text, numbers_in_text

__all__ = [
    "arabic_skeleton",
    "check_translation",
    "english_names",
    "glossary",
    "latin_skeleton",
    "name_in_source",
]

# Consonant classes shared by both scripts: letters a transliteration may render either way share one.
_AR_CLASS = {
    "ب": "B", "ت": "T", "ط": "T", "ث": "S", "ج": "J", "ح": "H", "ه": "H", "ة": "", "خ": "K",
    "د": "D", "ض": "D", "ذ": "Z", "ظ": "Z", "ر": "R", "ز": "Z", "س": "S", "ص": "S", "ش": "X",
    "ف": "F", "ق": "K", "ك": "K", "ل": "L", "م": "M", "ن": "N", "غ": "G", "ع": "",
    "ا": "", "و": "W", "ي": "Y", "ى": "", "ء": "", "ئ": "", "ؤ": "",
    "پ": "B", "چ": "J", "گ": "K", "ڤ": "F",
}  # fmt: skip
_LATIN_DIGRAPHS = (
    ("sh", "X"), ("kh", "K"), ("th", "S"), ("dh", "Z"), ("gh", "G"),
    ("ch", "X"), ("ph", "F"), ("ou", "W"), ("oo", "W"), ("ee", "Y"),
)  # fmt: skip
_LATIN_CLASS = {
    "b": "B", "p": "B", "t": "T", "j": "J", "g": "J", "h": "H", "d": "D", "r": "R", "z": "Z", "s": "S",
    "f": "F", "v": "F", "q": "K", "k": "K", "c": "K", "x": "KS", "l": "L", "m": "M", "n": "N", "w": "W",
    "y": "Y", "a": "", "e": "", "i": "Y", "o": "W", "u": "W",
}  # fmt: skip


def _squeeze(s: str) -> str:
    return re.sub(r"(.)\1+", r"\1", s)


def _consonants(s: str) -> str:
    """The skeleton without the letters that also write vowels (W, Y): both scripts drop or keep
    them inconsistently («لويد» for Lloyd, «أوستن» for Austin)."""
    return s.replace("W", "").replace("Y", "")


def latin_skeleton(name: str) -> str:
    """A Latin word's consonant skeleton («Austin» → ``STN``), without a leading "al-"."""
    word = re.sub(r"^(al|el|ad|ar|as|ash|at|az|an|ed|es|ez)-", "", name.lower())
    word = re.sub(r"^abd[eu]l-?", "abd", word)  # «عبد الحميد» is "Abdul Hamid": the article joins the first
    word = re.sub(r"[^a-z]", "", word)
    for digraph, cls in _LATIN_DIGRAPHS:
        word = word.replace(digraph, cls.lower() if cls in "WY" else "#" + cls)
    out = []
    i = 0
    while i < len(word):
        if word[i] == "#":
            out.append(word[i + 1])
            i += 2
            continue
        out.append(_LATIN_CLASS.get(word[i], "").upper() if word[i] not in "wy" else word[i].upper())
        i += 1
    return _consonants(_squeeze("".join(out)))


def arabic_skeleton(word: str) -> str:
    """An Arabic word's consonant skeleton («أوستن» → ``STN``), without a leading «ال»."""
    w = normalize_ar(word)
    if w.startswith("ال") and len(w) > 3:
        w = w[2:]
    return _consonants(_squeeze("".join(_AR_CLASS.get(ch, "") for ch in w)))


def _close(a: str, b: str) -> bool:
    if not a or not b:
        return False
    if a == b:
        return True
    if min(len(a), len(b)) < 3 or abs(len(a) - len(b)) > 1:
        return False
    # one substitution, insertion or deletion
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


#: Capitalised words that are not names: sentence openers, months, weekdays and the like. The common
#: words of institutions' names ("Ministry", "Council", "Bank") are not here: each must be grounded by
#: its Arabic (:data:`~summarizer.arabic.lexicon.INSTITUTION_WORDS`).
_NOT_NAMES = frozenset(
    " ".join(
        [
            "a an the in on at of to for from by with and or but as after before during since",
            "while when where",
            "this that these those there their they he she it its his her we our us i you one",
            "two three four five",
            "six seven eight nine ten eleven twelve fourteen fifteen twenty hundreds dozens",
            "several many some",
            "january february march april may june july august september october november",
            "december monday tuesday",
            "wednesday thursday friday saturday sunday according said says reported report",
            "reports earlier later",
            "meanwhile also however following amid air drone drones rocket rockets strike",
            "strikes attack attacks",
            "shelling clashes fighters gunmen civilians soldiers forces people police army",
            "militia militias",
            "killed wounded injured more most no new last first second third other another",
            "his president minister",
            "spokesman officials official statement group groups government security local",
            "sources source",
            "observatory monitor accusation interception threat denial claim responsibility",
            "bombing clash arrests",
            "mortar suicide grenade chemical abduction property destruction claimed denied",
            "threatened planned",
            "against armed military republic nations",
            "news secretary prime chief commander spokesperson office department",
            "backed aligned led based agreement statement protest protests abduction",
            "governorate province district region city town village camp border strip north",
            "south east west northern southern eastern western desert countryside field",
            "airport international base",
            "am pm a.m p.m",
        ]
    ).split()
) - frozenset(lx.INSTITUTION_WORDS)
_NAME = re.compile(r"(?<![\w\-])[A-Z][A-Za-z'’\-]+(?:\s+(?:al-|el-|bin\s+|ibn\s+|de\s+)?[A-Z][A-Za-z'’\-]+)*")


def english_names(text: str) -> list[str]:
    """The capitalised names of an English text (runs of capitalised words), common words left out."""
    from summarizer.brief.compose import TEMPLATE_WORDS

    out = []
    for m in _NAME.finditer(text):
        words = [w for w in m.group().split() if w.lower().strip("'’-:") not in _NOT_NAMES | TEMPLATE_WORDS]
        if words:
            out.append(" ".join(words))
    return out


def _gazetteer_forms(name: str, gaz: Gazetteer) -> list[str]:
    """The Arabic forms of a gazetteer entry (place or actor) one of whose English names is ``name``,
    or that contains it as a word ("Pentagon" in "the Pentagon")."""
    forms: list[str] = []
    for entry in (gaz.place(name), gaz.actor(name)):
        if entry is not None:
            forms += [entry.name_ar, *entry.variants_ar]
    return forms


#: A nationality's country: its Arabic name grounds the adjective too («تدعمها إيران»: Iranian-backed).
_COUNTRY_OF = {
    "US": "United States", "Israeli": "Israel", "Russian": "Russia", "Turkish": "Turkey",
    "Saudi": "Saudi Arabia", "Iranian": "Iran", "Syrian": "Syria", "Iraqi": "Iraq", "Lebanese": "Lebanon",
    "Palestinian": "Palestine", "Yemeni": "Yemen", "Sudanese": "Sudan", "Libyan": "Libya",
    "Egyptian": "Egypt", "Jordanian": "Jordan", "Qatari": "Qatar",
}  # fmt: skip


def _nationality_stems(word: str, gaz: Gazetteer | None = None) -> tuple[str, ...]:
    for nat in lx.NATIONALITIES:
        if word.lower() in {nat.adjective_en.lower(), nat.adjective_en.lower() + "s"} or (
            nat.adjective_en == "US" and word.lower() in {"american", "americans", "u.s.", "united"}
        ):
            country = (
                gaz.place(_COUNTRY_OF[nat.adjective_en]) if gaz and nat.adjective_en in _COUNTRY_OF else None
            )
            forms = (country.name_ar, *country.variants_ar) if country is not None else ()
            return nat.stems + tuple(normalize_ar(f) for f in forms)
    return ()


def name_in_source(name: str, source_ar: str, gaz: Gazetteer) -> bool:
    """Whether an English name is grounded in an Arabic source: a gazetteer entry whose Arabic form
    the source holds, a nationality whose adjective it holds, or every word transliterating back to
    a word of the source."""
    norm = normalize_ar(source_ar)
    for form in _gazetteer_forms(name, gaz):
        if normalize_ar(form) and normalize_ar(form) in norm:
            return True
    words = lx.words_of(source_ar)
    skeletons = {arabic_skeleton(w) for w in words} | {
        arabic_skeleton(stem) for w in words for _p, stem in split_proclitics(w)
    }
    for part in re.split(r"[\s\-]+", name):
        part = re.sub(r"['’]s$", "", part).strip("'’-.,()")
        if not part or part.lower() in _NOT_NAMES:
            continue
        institution = lx.INSTITUTION_WORDS.get(part.lower())
        if institution is not None:
            if lx.has_stem(source_ar, institution):
                continue
            return False
        stems = _nationality_stems(part, gaz)
        # «فلسطينياً» (accusative, tanwin written as alef) is the adjective too
        if stems and any(lx.word_is(w, stems) or lx.word_is(w.removesuffix("ا"), stems) for w in words):
            continue
        if any(normalize_ar(f) in norm for f in _gazetteer_forms(part, gaz) if normalize_ar(f)):
            continue
        sk = latin_skeleton(part)
        # a short skeleton matches only exactly: "Shannah" (XNH) is not «شنّته» (XNTH, "launched it")
        if not any(sk == a if len(sk) <= 3 else _close(sk, a) for a in skeletons):
            return False
    return True


_MONTH_NAMES = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATE_EN = re.compile(rf"\b(?:the week of )?(?:\d{{1,2}} )?(?:{_MONTH_NAMES}) \d{{4}}\b")


#: English words of violence and the Arabic words one of which the source must hold for each: an
#: English text never tells of a death, a wound, a bomb or a destruction its Arabic does not.
_VIOLENCE: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("kill", lx.KILL_WORDS),
    ("dead", lx.KILL_WORDS),
    ("death", lx.KILL_WORDS),
    ("died", lx.KILL_WORDS),
    ("wound", lx.INJURE_WORDS),
    ("injur", lx.INJURE_WORDS),
    ("destroy", lx.DESTROY_WORDS),
    ("bomb", lx.BOMB_WORDS),
    ("arrest", lx.ARREST_WORDS),
    ("shot down", lx.INTERCEPT_VERBS),
)


def _year(n: int) -> bool:
    """Years are dates, checked as dates, not as figures."""
    return 1900 <= n <= 2100


#: Clock times in English: "09:00", "11 am", "1:38 p.m.", "6 o'clock".
_CLOCK_EN = re.compile(
    r"\b\d{1,2}(?::\d{2})?\s*(?:[ap]\.?m\b\.?|o['’]clock)|\b\d{1,2}:\d{2}\b", re.IGNORECASE
)


def _english_numbers(text: str) -> set[int]:
    # years and clock times are not figures; numbers_in_text reads English number words too
    return numbers_in_text(_CLOCK_EN.sub(" ", text))


def check_translation(
    source_ar: str,
    english: str,
    gaz: Gazetteer,
    *,
    exact_figures: bool = True,
    roles: dict[str, str] | None = None,
    tolls: dict[str, set[int]] | None = None,
) -> list[str]:
    """Why ``english`` is not a faithful rendering of ``source_ar`` (empty when it passes).

    Args:
        source_ar: The Arabic unit (a sentence, or the sentences a summary cites).
        english: The English text to check.
        gaz: The gazetteer names are grounded in.
        exact_figures: Every figure of the Arabic must be in the English too (a translation); when
            False, only the English's figures are checked (a summary may leave figures out).
        roles: English name -> "attacker" or "target": the role code read first for each actor of
            the source's attacks; the English may not give an actor another role first.
        tolls: "killed" and "injured" -> the figures code read in the source for each; the English
            may not give a figure of the one as the other ("two soldiers were killed" for «جندياً
            قُتل وأصيب اثنان آخران»).
    """
    problems: list[str] = []
    if not exact_figures:
        # a date rendered by code («on 23 March 2023») was resolved from the Arabic's date words
        english = _DATE_EN.sub(" ", english)
    untimed = re.sub(r"\d{1,2}:\d{2}", " ", source_ar)
    ar_numbers = {n for n in numbers_in_text(untimed) if not _year(n)}
    en_numbers = {n for n in _english_numbers(english) if not _year(n)}
    extra = {n for n in figures_in_text(_CLOCK_EN.sub(" ", english)) if not _year(n)}
    extra -= ar_numbers
    if extra:
        problems.append(f"figures {sorted(extra)} are not in the Arabic")
    # an indefinite singular («مقتل أميركي», read as 1) is "an American" in English, with no figure;
    # a part of a larger number (the 15 of «15 ألف») is rendered only in the whole
    ar_figures = {n for n in figures_in_text(untimed) if not _year(n)}
    # and a negated casualty word («دون إصابات», read as 0) is "no casualties", with no figure either
    missing = ar_figures - en_numbers - {0, 1} if exact_figures else set()
    if missing:
        problems.append(f"figures {sorted(missing)} of the Arabic are missing")
    low = english.lower()
    for term in lx.TRANSLATION_TERMS if exact_figures else ():
        if not lx.has_phrase(source_ar, term.ar):
            continue
        if not any(form in low for form in term.forms_en):
            problems.append(f"«{_first(term.ar, source_ar)}» must be rendered as {term.forms_en[0]!r}")
        bad = [w for w in term.never_en if w in low]
        if bad:
            problems.append(f"«{_first(term.ar, source_ar)}» is never {bad[0]!r}")
    for stem, cues in _VIOLENCE:
        if re.search(rf"\b{stem}", low) and not lx.has_phrase(source_ar, cues):
            problems.append(f"{stem!r}: the Arabic says nothing of the kind")
    seen: set[str] = set()
    for token in re.findall(r"[A-Za-z]+(?:['’][a-z]+)?", english):
        word = re.sub(r"['’]s$", "", token.lower())
        if word in seen:
            continue
        seen.add(word)
        for words, stems in lx.GROUNDED_WORDS:
            if word in words and not lx.has_stem(source_ar, stems):
                problems.append(f"{word!r}: the Arabic has no word for it")
    problems += wrong_speakers(source_ar, english, gaz)
    if roles is not None:
        problems += _reversed_roles(english, gaz, roles)
    if tolls is not None:
        problems += _swapped_tolls(english, tolls)
    if exact_figures:
        # one Arabic sentence is one English sentence: a second one, or a cut-off answer, is not a
        # translation of it (the model goes on past what the sentence says, or stops mid-way)
        body = english.strip().rstrip("\"'”’)]»")
        if not body.endswith((".", "!", "?")):
            problems.append("the English does not end as a sentence (cut off?)")
        if len(re.findall(r"[a-z0-9)][.!?]\s+[A-Z]", body)) >= 1:
            problems.append("the English is more than one sentence; give one")
    for name in english_names(_known_names_out(english, source_ar, gaz)):
        if not name_in_source(name, source_ar, gaz):
            problems.append(f"the name {name!r} is not in the Arabic")
    return problems


@functools.lru_cache(maxsize=4)
def _english_index(gaz: Gazetteer) -> list[tuple[str, tuple[str, ...]]]:
    """Every English name and spelling of the gazetteer, longest first, with the Arabic forms of its entry."""
    out: list[tuple[str, tuple[str, ...]]] = []
    entries: list[Place | ActorEntry] = [*gaz.places, *gaz.actors]
    for entry in entries:
        arabic = (entry.name_ar, *entry.variants_ar)
        for name in (entry.name_en, *entry.variants_en):
            if any(ch.isupper() for ch in name):
                out.append((name, arabic))
    out.sort(key=lambda x: -len(x[0]))
    return out


def _known_names_out(english: str, source_ar: str, gaz: Gazetteer) -> str:
    """The English with every grounded gazetteer name taken out (its Arabic form is in the source);
    what remains, ungrounded gazetteer names included, is checked word by word."""
    norm = normalize_ar(source_ar)
    for name, arabic in _english_index(gaz):
        if name not in english:
            continue
        pattern = re.compile(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])")
        if not pattern.search(english):
            continue
        if any(normalize_ar(a) and normalize_ar(a) in norm for a in arabic) or name_in_source(
            name, source_ar, gaz
        ):
            english = pattern.sub(" ", english)  # grounded; one that is not is left to the word check
    return english


_SAID_EN = re.compile(
    r"([A-Z][^.;:!?\"“”]{0,120}?)\s+(?:has\s+|had\s+)?(?:said|says|declared|announced|stated|reported|"
    r"added|claimed|denied|confirmed|told|warned|threatened|accused|condemned)\b"
)
_ACCORDING_EN = re.compile(r"according to ((?:the\s+)?[A-Z][\w\-’' ()]{0,80})")


def _speakers_ar(source_ar: str, gaz: Gazetteer) -> set[str]:
    """Who the Arabic says spoke: the actor or place named right after a verb of saying or «بحسب»
    (within two words), or right before a verb of saying («بايدن قال»)."""
    words = lx.words_of(source_ar)
    out: set[str] = set()
    for i, w in enumerate(words):
        if not lx.word_is(w, lx.SPEECH_WORDS):
            continue
        after = " ".join(words[i + 1 : i + 9])
        found = [(at, 0, e.name_en) for at, e in gaz.actor_mentions(after)]
        for place in gaz.find_places(after):
            at = after.find(normalize_ar(place.name_ar))
            if at >= 0:
                found.append((after.count(" ", 0, at), 1, place.name_en))  # an actor first at a tie
        first = min(found, default=None)
        if first is not None and first[0] <= 2:
            out.add(first[2])
        before = " ".join(words[max(0, i - 4) : i])
        out |= {e.name_en for at, e in gaz.actor_mentions(before)}
    return out


def _noun_phrase(before_verb: str) -> str:
    """The noun phrase right before a verb: after the last comma, at most eight words."""
    return " ".join(re.split(r"[,;]", before_verb)[-1].split()[-8:])


def _named(phrase: str, gaz: Gazetteer) -> list[tuple[str, ActorEntry | Place]]:
    """(the name as written, its gazetteer entry) for each conjunct of a noun phrase ("the US military",
    "X and Y") that is a gazetteer name as a whole, with or without a parenthesis ("(SOHR)")."""
    out: list[tuple[str, ActorEntry | Place]] = []
    for part in re.split(r",|\band\b", phrase):
        name = re.sub(r"^(?:the|The)\s+", "", part.strip()).rstrip(".")
        bare = re.sub(r"\s*\([^)]*\)$", "", name)
        entry = next(
            (e for n in (name, bare) if n for e in (gaz.actor(n), gaz.place(n)) if e is not None), None
        )
        if entry is not None:
            out.append((name, entry))
    return out


def wrong_speakers(source_ar: str, english: str, gaz: Gazetteer) -> list[str]:
    """Names an English text makes speak ("X said", "X and Y said", "according to X") that the Arabic
    does not: «وقال المرصد السوري لحقوق الإنسان ومقره المملكة المتحدة إن» is the Observatory
    speaking, not the United Kingdom. Only a subject that is a gazetteer name as a whole is checked
    ("the Central Bank of Egypt said" names a speaker the gazetteer does not know: left alone)."""
    subjects = [_noun_phrase(m.group(1)) for m in _SAID_EN.finditer(english)]
    subjects += [m.group(1) for m in _ACCORDING_EN.finditer(english)]
    speakers: set[str] | None = None
    problems = []
    for subject in subjects:
        for name, entry in _named(subject, gaz):
            if speakers is None:
                speakers = _speakers_ar(source_ar, gaz)
            if entry.name_en not in speakers:
                problems.append(f"{name!r} is not who the Arabic says spoke")
    return problems


_DID_EN = re.compile(
    r"([A-Z][^.;:!?\"“”]{0,120}?)\s+(?:has\s+|had\s+|have\s+)?(?:launched|fired|carried out|conducted|"
    r"attacked|struck|shelled|bombed|targeted|raided|killed|shot down|downed|hit)\b"
)
_SUFFERED_EN = re.compile(
    r"([A-Z][^.;:!?\"“”]{0,120}?)\s+(?:has\s+|had\s+|have\s+)?(?:came|come|was|were|been)\s+(?:under|"
    r"attacked|targeted|hit|struck|shelled|bombed)\b"
)


_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    "seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred"
)
_TOLL_EN = re.compile(
    rf"\b(\d+|(?:{_NUMBER_WORDS})(?:[- ](?:{_NUMBER_WORDS}))?)\s+(?:[A-Za-z\-]+\s+){{0,4}}?"
    r"(?:were|was|have been|had been)?\s*(killed|dead|died|wounded|injured|hurt)\b",
    re.IGNORECASE,
)


def _swapped_tolls(english: str, tolls: dict[str, set[int]]) -> list[str]:
    """A figure the English gives as killed that the Arabic gives as injured only, or the reverse."""
    problems = []
    for m in _TOLL_EN.finditer(english):
        numbers = numbers_in_text(m.group(1))
        if len(numbers) != 1:
            continue
        n = next(iter(numbers))
        kind = "killed" if m.group(2).lower() in ("killed", "dead", "died") else "injured"
        other = "injured" if kind == "killed" else "killed"
        if n in tolls.get(other, set()) and n not in tolls.get(kind, set()):
            problems.append(f"{n} are {other} in the Arabic, not {kind}")
    return problems


def _reversed_roles(english: str, gaz: Gazetteer, first_role: dict[str, str]) -> list[str]:
    """An English text that makes the target of an attack its doer ("the US military launched rockets"
    for «تعرضت القوات الأميركية لنيران صواريخ»), or the doer its target. An actor both suffers and does
    in «تعرضت القوات الأميركية لنيران صواريخ … فيما أطلقت القوات الأميركية رشقات صاروخية»: the role
    the English gives it first must be the one the Arabic gives it first."""
    said: list[tuple[int, str, str]] = []
    for pattern, role in ((_DID_EN, "attacker"), (_SUFFERED_EN, "target")):
        for m in pattern.finditer(english):
            said += [(m.start(), e.name_en, role) for _n, e in _named(_noun_phrase(m.group(1)), gaz)]
    problems: list[str] = []
    seen: set[str] = set()
    for _at, name, role in sorted(said):
        if name in seen:
            continue
        seen.add(name)
        expected = first_role.get(name)
        if expected is not None and expected != role:
            problems.append(f"{name!r} is the {expected} in the Arabic, not the {role}")
    return problems


def glossary(source_ar: str, gaz: Gazetteer) -> list[tuple[str, str]]:
    """(Arabic, English) for the words of ``source_ar`` whose English :func:`check_translation` insists
    on: the lexicon's terms and the gazetteer's places and actors, each once, in the order of the
    Arabic. Given to the model with the question, so that a faithful answer passes the first time."""
    tokens = [t for t in re.split(r"[\s،,.:;!?()\[\]«»\"]+", source_ar) if t]
    # each normalized word of the source, and the original token it came from
    words: list[str] = []
    origin: list[str] = []
    for token in tokens:
        for w in lx.words_of(token):
            words.append(w)
            origin.append(token)
    found: list[tuple[int, str, str]] = []
    for term in lx.TRANSLATION_TERMS:
        span = lx.find_phrase(words, term.ar)
        if span is not None:
            arabic = " ".join(dict.fromkeys(origin[span[0] : span[1]]))
            found.append((span[0], arabic, term.hint_en or term.forms_en[0]))
    entries: list[Place | ActorEntry] = [*gaz.find_places(source_ar), *gaz.find_actors(source_ar)]
    for entry in entries:
        forms = [lx.words_of(f) for f in (entry.name_ar, *entry.variants_ar)]
        spans = [lx.find_phrase(words, (" ".join(f),)) for f in forms if f]
        at = min((sp[0] for sp in spans if sp is not None), default=len(words))
        found.append((at, entry.name_ar, entry.name_en))
    out: list[tuple[str, str]] = []
    for _at, arabic, english in sorted(found, key=lambda x: x[0]):
        if arabic and english and (arabic, english) not in out:
            out.append((arabic, english))
    return out


def _first(cues: Iterable[str], text: str) -> str:
    words = lx.words_of(text)
    span = lx.find_phrase(words, tuple(cues))
    return " ".join(words[span[0] : span[1]]) if span else ""
