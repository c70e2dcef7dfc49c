"""Code reads the incidents of an article: who did what to whom, where, when, how many killed.

The embedded 1.5B model turned «قُتل 11 مقاتلاً موالياً لإيران» into "11 Americans were killed" and
«دمرنا مسيرتين» into "two soldiers were killed". So the brief's events are read by code, with Arabic
patterns over the words of each sentence (:mod:`summarizer.arabic.lexicon`), and the model is asked only what
a pattern leaves open, as a constrained choice that code checks (:mod:`summarizer.brief.questions`).

A sentence is read as *mentions*: each weapon word («غارات», «بطائرة مسيرة», «صواريخ»), attack word
followed by a weapon («هجوم بطائرة مسيرة» is one mention), interception («دمرنا مسيرتين»), arrest or
statement. The words from one mention to the next are that mention's *segment*: its casualty figures
(«أسفر عن مقتل أميركي وإصابة ستة آخرين» belongs to the drone attack before it), its date phrase and its
places. Patterns read:

- «قُتل N X في غارات Y»: N killed, X the victims, Y (a nationality after the weapon) the attacker;
- the subject of «استهدف», «هاجم», «قصف», «شن», «نفذ» (a gazetteer actor right after or right before
  the verb) is the attacker, as is the actor after «شنها», «نفذها», «من قبل»;
- «أسقط», «دمّر», «اعترض» + a drone or missile is an interception (ACLED: disrupted weapons use);
- «تبنى» is a claim, «نفى» a denial, «هدد»/«توعد» a threat, «اتهم»/«استنكر» an accusation;
- «بحسب X», «وفق X», «قال X»: X gives the figures.

Mentions of one incident across sentences are grouped by type, date, place and attacker: a later
sentence that adds the toll («وقتل في الضربات الأميركية 14 مسلحاً») joins the incident it names. Headings
(fewer than four words), sentences about what happens often («وكثيراً ما يُستهدَفون») and tallies
since a date («78 مرة منذ بداية عام 2021») report no incident.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from summarizer.arabic import lexicon as lx
from summarizer.arabic.dates import find_date
from summarizer.arabic.gazetteer import ActorEntry, Gazetteer, Place
from summarizer.arabic.numbers import numbers_in_text
from summarizer.brief.grounding import place_rank, strip_dateline, zero_supported
from summarizer.schema import EventDate, add_up

__all__ = ["ActorRef", "Figure", "Incident", "attacker_candidates", "read_incidents"]

#: Quotation marks: the words between two of them are what someone said.
_QUOTES = re.compile(r'[“”"«»]')
#: Where a sentence's clauses end; «1:38» and «2.5» are figures, not ends.
_CLAUSES = re.compile(r"(?<!\d)[:.](?!\d)|[،,؛;!?؟\n]+")


@dataclass(frozen=True)
class ActorRef:
    """An actor the article names: its stable English name, Arabic as written, and PLOVER sector."""

    name_en: str
    name_ar: str | None
    sector: str
    adjective_en: str | None = None
    """"US", "Israeli": how a nationality adjective named it («غارات أمريكية»)."""

    @classmethod
    def of(cls, entry: ActorEntry, name_ar: str | None = None, adjective: str | None = None) -> ActorRef:
        return cls(entry.name_en, name_ar or entry.name_ar, entry.sector, adjective)


@dataclass
class Figure:
    """One casualty figure as a sentence gives it."""

    kind: str  # "killed" | "injured"
    count: int
    group_en: str | None
    sentence: int
    source: ActorRef | None = None
    adds: bool = False
    """«خمسة مقاتلين آخرين قتلوا»: the count adds to the figure of the same kind told before it."""


@dataclass
class Incident:
    """What code read of one incident (or one statement) across the sentences that report it."""

    sub_event_type: str
    status: str
    sentences: list[int]
    date: EventDate | None = None
    place: Place | None = None
    place_ar: str | None = None
    places: list[Place] = field(default_factory=list)
    """Every town, site or district its sentences name for it, in the article's order (strikes on a
    depot in Deir ez-Zor and on sites near al-Mayadin)."""
    attacker: ActorRef | None = None
    targets: list[ActorRef] = field(default_factory=list)
    side: ActorRef | None = None
    """A clash's second side (the first is ``attacker``)."""
    figures: list[Figure] = field(default_factory=list)
    sources: list[ActorRef] = field(default_factory=list)
    weapon_en: str | None = None
    what_en: str = ""
    """The noun phrase for it: "air strike", "drone attack", "threat"."""
    count: int | None = None
    """For an interception: how many drones or missiles («مسيرتين» = 2)."""
    object_en: str | None = None
    """For an interception: what was brought down ("drones")."""
    origin: Place | None = None
    """For an interception: where it was launched from («أُطلق من اليمن»)."""
    within: Place | None = None
    """The city its neighbourhood is in, when a sentence names both («حي الشابورة وسط مدينة رفح»)."""
    open_fields: list[str] = field(default_factory=list)
    """Fields a pattern left open, for the model's constrained questions."""

    @property
    def is_statement(self) -> bool:
        return self.sub_event_type in {
            "threat",
            "accusation",
            "denial",
            "claim_of_responsibility",
            "policy_statement",
            "agreement",
        }

    def tolls(self, kind: str) -> list[int]:
        """The whole tolls of one kind, in the order told: a figure that adds to the one before it
        («ستة» at a depot, then «خمسة آخرين» elsewhere) is summed into it (11)."""
        told = sorted((f for f in self.figures if f.kind == kind), key=lambda f: f.sentence)
        return add_up((f.count, f.adds) for f in told)


# --- one sentence -----------------------------------------------------------------------------------------


@dataclass
class _Mention:
    start: int  # word index
    sub_event_type: str
    what_en: str
    weapon_en: str | None
    status: str = "occurred"
    count: int | None = None
    object_en: str | None = None
    attacker: ActorRef | None = None
    target: ActorRef | None = None
    """Who it was done to, where the words say so («تعرضت القوات الأمريكية لهجوم»)."""
    side: ActorRef | None = None
    """The other side of a clash («اشتباكات بين جهاز الردع واللواء 444»): the attacker is the first."""
    by_speaker: bool = False
    """«دمرنا مسيرتين»: the verb says the one speaking did it (first person plural)."""
    passive: bool = False
    """«مسيّرة مفخخة أُسقطت»: brought down, by whom the words do not say."""
    origin: Place | None = None


def _is_heading(words: list[str]) -> bool:
    return len(words) < 4


def _background(words: list[str], sentence: str, published: dt.date | None) -> bool:
    """What happens often («وكثيراً ما»), a tally since a date («78 مرة منذ», «خمسة هجمات … منذ
    أبريل»), or attacks counted vaguely with no date and no toll («شنت الميليشيات بالفعل عدة هجمات»):
    no incident."""
    if any(lx.word_is(w, lx.HABITUAL_WORDS) for w in words):
        return True
    if any(lx.word_is(w, lx.SINCE_WORDS) for w in words) and any(
        lx.word_is(w, lx.TALLY_NOUNS) for w in words
    ):
        return True
    vague = any(
        lx.word_is(w, lx.VAGUE_QUANTIFIERS)
        and any(lx.word_is(x, lx.TALLY_NOUNS) for x in words[k + 1 : k + 3])
        for k, w in enumerate(words)
    )
    if not vague:
        return False
    tolled = any(lx.word_is(w, lx.KILL_WORDS + lx.INJURE_WORDS) for w in words)
    return not tolled and find_date(sentence, published) is None


def _weapon_at(words: list[str], i: int) -> tuple[lx.Weapon, int] | None:
    """The weapon whose word starts at ``i`` (and the index after it), the longest phrase first; none
    where the word starts a phrase that names no weapon («الطيران المدني», «ضربة جزاء»)."""
    if lx.find_phrase(words[i : i + 3], lx.NOT_WEAPONS) == (0, 2):
        return None
    best: tuple[lx.Weapon, int] | None = None
    for weapon in lx.WEAPONS:
        span = lx.find_phrase(words[i : i + 3], weapon.words)
        if span is not None and span[0] == 0 and (best is None or span[1] > best[1] - i):
            best = (weapon, i + span[1])
    return best


def _shelling_name(words: list[str], i: int) -> tuple[str, str]:
    for cues, what, weapon in lx.SHELLING_EN:
        if lx.find_phrase(words[i : i + 3], cues) is not None:
            return what, weapon
    return "rocket or shelling attack", "rockets or shells"


def _nationality_after(words: list[str], i: int) -> lx.Nationality | None:
    """A nationality adjective right after a weapon, or after one modifier («غارات جوية أمريكية»), unless
    it names an origin («مسيرة إيرانية المنشأ»). «قصف يطال قاعدة أمريكية» names no attacker."""
    for j in range(i, min(i + 2, len(words))):
        for nat in lx.NATIONALITIES:
            if lx.word_is(words[j], nat.stems):
                if j + 1 < len(words) and lx.word_is(words[j + 1], lx.ORIGIN_WORDS):
                    return None
                return nat if nat.force_en else None
        if words[j] not in lx.WEAPON_MODIFIERS:
            return None
    return None


def _force(nat: lx.Nationality, gaz: Gazetteer) -> ActorRef:
    entry = gaz.actor(nat.force_ar) if nat.force_ar else None
    if entry is not None:
        return ActorRef.of(entry, adjective=nat.adjective_en)
    return ActorRef(nat.force_en, None, "MIL", nat.adjective_en)


def _launched_from(words: list[str], gaz: Gazetteer) -> Place | None:
    """Where what was intercepted was launched from: the place right after «أُطلق من»."""
    for i, w in enumerate(words[:-2]):
        if lx.word_is(w, lx.LAUNCH_VERBS) and words[i + 1] == "من":
            found = gaz.place_mentions(" ".join(words[i + 2 : i + 5]))
            if found:
                return found[0][0]
    return None


def _outlet_words(words: list[str], gaz: Gazetteer) -> set[int]:
    """Word indices inside an outlet's name («قناة المسيرة»: a channel, not a drone)."""
    out: set[int] = set()
    for at, n, entry in gaz.actor_spans(" ".join(words)):
        if _is_media(entry):
            out.update(range(at, at + n))
    return out


def _mentions(words: list[str], gaz: Gazetteer) -> list[_Mention]:
    out: list[_Mention] = []
    outlets = _outlet_words(words, gaz)
    i = 0
    while i < len(words):
        w = words[i]
        if i in outlets:
            i += 1
            continue
        if lx.word_is(w, lx.INTERCEPT_VERBS):
            window = words[i + 1 : i + 5]
            hit = lx.find_phrase(window, lx.INTERCEPTED_OBJECTS)
            last = out[-1] if out else None
            if (
                hit is None
                and last is not None
                and last.weapon_en in {"drone", "rockets"}
                and i - last.start <= 4
            ):
                # «طائرة مسيّرة مفخخة أُسقطت»: the drone told before the passive verb was brought down
                last.object_en = "drones" if last.weapon_en == "drone" else "missiles"
                last.count = 1 if lx.word_is(words[last.start], lx.SINGLE_PROJECTILES) else None
                last.sub_event_type, last.what_en, last.weapon_en = (
                    "disrupted_weapons_use",
                    "interception",
                    None,
                )
                last.passive = True
                i += 1
                continue
            if hit is not None:
                obj = window[hit[0]]
                count = _count(window[: hit[1]])
                if count is None and lx.word_is(obj, lx.SINGLE_PROJECTILES):
                    count = 1  # «اعترضت صاروخاً»: one missile
                is_missile = "صاروخ" in obj
                out.append(
                    _Mention(
                        i,
                        "disrupted_weapons_use",
                        "interception",
                        None,
                        count=count,
                        object_en="missiles" if is_missile else "drones",
                        by_speaker=w.endswith("نا"),
                    )
                )
                i += 1 + hit[1]
                continue
        if any(lx.word_is(x, lx.FLEEING_WORDS) for x in words[max(0, i - 2) : i]):
            i += 1  # «هرباً من المعارك»: what people fled, not an incident told
            continue
        weapon = _weapon_at(words, i)
        if weapon is not None and i >= 2 and lx.find_phrase(words[i - 2 : i], lx.AIR_FORCE_UNITS) == (0, 2):
            weapon = None  # «سلاح الجو المسيّر»: a group's drone unit, the subject of what it did
        attack_word = lx.word_is(w, lx.ATTACK_WORDS)
        if attack_word and weapon is None:
            # «هجوم بطائرة مسيرة», «هجوم صاروخي»: the weapon word right after names the attack; after
            # «استهداف» its object comes first («استهداف موقع المطلة بالصواريخ»)
            reach = 7 if lx.word_is(w, lx.TARGETING_NOUNS) else 4
            for j in range(i + 1, min(i + reach, len(words))):
                if lx.word_is(words[j], lx.KILL_WORDS + lx.INJURE_WORDS + lx.ATTACK_WORDS):
                    break
                weapon = _weapon_at(words, j)
                if weapon is not None:
                    break
        if weapon is not None and i > 0 and lx.word_is(words[i - 1], lx.ANY_WORDS):
            i = max(weapon[1], i + 1)  # «أي ضربات أميركية أخرى»: strikes that may come, none told
            continue
        if weapon is None and lx.word_is(w, lx.ATTACK_NOUNS):
            # «هجوم الخميس»: an attack with no weapon named, only ever one already told of that day
            out.append(_Mention(i, "", "attack", None))
        if weapon is not None:
            kind, end = weapon
            what, weapon_en = kind.en, kind.weapon_en
            if kind.sub_event_type == "shelling_artillery_missile_attack":
                what, weapon_en = _shelling_name(words, end - 1 if end > i else i)
            nat = _nationality_after(words, end)
            attacker = _force(nat, gaz) if nat is not None else None
            if out and kind.sub_event_type == "remote_explosive_landmine_ied" and i - out[-1].start <= 2:
                i = max(end, i + 1)  # «طائرة مسيرة مفخخة»: a drone laden with explosives, one weapon
                continue
            if out and out[-1].sub_event_type == kind.sub_event_type and i - out[-1].start <= 4:
                if out[-1].attacker is None:
                    out[-1].attacker = attacker
                if kind.weapon_en == "drone":  # «ضربة بطائرة مسيّرة»: the strike was a drone's
                    out[-1].what_en, out[-1].weapon_en = what, weapon_en
            else:
                out.append(_Mention(i, kind.sub_event_type, what, weapon_en or None, attacker=attacker))
            i = max(end, i + 1)
            continue
        if lx.word_is(w, lx.ARREST_WORDS):
            out.append(_Mention(i, "arrests", "arrests", None))
        i += 1
    return out


def _count(words: list[str]) -> int | None:
    found = numbers_in_text(" ".join(words))
    if found:
        return max(found)
    if any(w.endswith(("تين", "تان", "ين")) for w in words[-1:]):
        return 2  # a dual: «مسيرتين»
    return None


def _victims(words: list[str]) -> str | None:
    """Who the casualties were, in English, from the words after the figure («مقاتلاً موالياً لإيران»)."""
    noun = None
    nationality = None
    # who is among them («بينهم طفلان») is not who they were
    words = words[: next((k for k, x in enumerate(words) if x in lx.AMONG_WORDS), len(words))]
    for j, w in enumerate(words[:5]):
        for stems, singular, plural in lx.VICTIM_NOUNS:
            if noun is None and lx.word_is(w, stems):
                noun = (singular, plural, j)
        for nat in lx.NATIONALITIES:
            if nationality is None and lx.word_is(w, nat.stems) and noun is not None and j == noun[2] + 1:
                nationality = nat.adjective_en
    if noun is None:
        if words and any(lx.word_is(words[0], nat.stems) for nat in lx.NATIONALITIES):
            # «مقتل أميركي»: an indefinite nationality is one person of it
            nat = next(n for n in lx.NATIONALITIES if lx.word_is(words[0], n.stems))
            name = nat.adjective_en if nat.adjective_en != "US" else "American"
            # «فلسطينيين», «أميركيين»: a plural is "Palestinians", "Americans"
            many = words[0].endswith(("يين", "يون")) and not name.endswith(("s", "ese"))
            return name + "s" if many else name
        return None
    text = " ".join(words[:8])
    allegiance = next((en for cues, en in lx.ALLEGIANCES if lx.has_phrase(text, cues)), None)
    parts = [p for p in (allegiance, nationality, noun[1]) if p]
    return " ".join(parts)


def group_en(figure: Figure) -> str | None:
    """The victims of a figure in English, singular for one («مقتل جندي» is "1 soldier")."""
    if figure.group_en is None or figure.count != 1:
        return figure.group_en
    for _stems, singular, plural in lx.VICTIM_NOUNS:
        if figure.group_en.endswith(plural):
            return figure.group_en[: -len(plural)] + singular
    return figure.group_en


def _is_count(word: str) -> bool:
    """A number word or digits, not a dual noun or nationality («جنديان», «عراقيان» read as 2)."""
    if not numbers_in_text(word) or _victims([word]) is not None:
        return False
    return not any(lx.word_is(word, n.stems) for n in lx.NATIONALITIES)


def _counted_before(words: list[str]) -> tuple[int, str | None] | None:
    """«أسماء أربعة أعضاء … قالت إنهم قُتلوا»: the last count of people in ``words``, and who they were."""
    for j in range(len(words) - 1, -1, -1):
        found = numbers_in_text(words[j])
        group = _victims(words[j + 1 : j + 3])
        if found and group is not None:
            return max(found), group
    return None


def _among(words: list[str]) -> str | None:
    """Who is among the victims, from the words after «بينهم»: «ستة أطفال» is "6 children", «طفل» is
    "a child", «طفلان» "2 children"; None when they name no victim noun."""
    noun_first = bool(words) and any(lx.word_is(words[0], stems) for stems, _s, _p in lx.VICTIM_NOUNS)
    count = _count(words[:1]) if words and not noun_first and numbers_in_text(words[0]) else None
    nouns = words[1:3] if count is not None else words[:2]
    for w in nouns[:1]:
        for stems, singular, plural in lx.VICTIM_NOUNS:
            if lx.word_is(w, stems):
                if count is None:
                    # a dual («طفلان», «طفلين») is 2; a sound plural («مدنيين») has no count and is skipped
                    dual = w.endswith("ان") or (
                        w.endswith("ين") and w[:-2] in stems and not w.endswith("يين")
                    )
                    count = 2 if dual and w[:-2] in stems else None if w.endswith(("ين", "ون")) else 1
                    if count is None:
                        return None
                return f"a {singular}" if count == 1 else f"{count} {plural}"
    return None


def _with_among(group: str | None, words: list[str]) -> str | None:
    """The victims with who is among them: "civilians (including a child)"."""
    at = next((k for k, x in enumerate(words) if x in lx.AMONG_WORDS), None)
    among = _among(words[at + 1 : at + 4]) if at is not None else None
    if group is None or among is None:
        return group
    return f"{group} (including {among})"


def _figures(words: list[str], sentence: int) -> list[Figure]:
    """Casualty figures of a segment: each kill or injury word with the number next to it."""
    out: list[Figure] = []
    for i, w in enumerate(words):
        kind = (
            "killed"
            if lx.word_is(w, lx.KILL_WORDS)
            else "injured"
            if lx.word_is(w, lx.INJURE_WORDS)
            else None
        )
        if kind is None:
            continue
        if w.startswith(("ال", "وال")) and lx.word_is(w, lx.CASUALTY_NOUNS):
            continue  # «اثنين من القتلى الأحد عشر»: the dead already counted, not a new figure
        after = words[i + 1 : i + 8]
        before = words[max(0, i - 4) : i]
        # the toll ends at the next casualty word, and at a weapon («في غارتين»: two strikes, not two dead)
        stop = next(
            (
                k
                for k, x in enumerate(after)
                if lx.word_is(x, lx.KILL_WORDS + lx.INJURE_WORDS) or _weapon_at(after, k) is not None
            ),
            len(after),
        )
        if (
            w.endswith(("ى", "ي", "ا"))
            and before
            and numbers_in_text(before[-1])
            and not lx.word_is(w, lx.PLURAL_CASUALTY_VERBS)
        ):
            stop = 0  # «11 قتيلاً و20 جريحاً»: the number before a casualty noun is its toll
        weapon = _weapon_at(words, i + 1 + stop) if stop < len(after) else None
        if weapon is None and 1 < stop < len(after) and _is_count(after[stop - 1]):
            stop -= 1  # «قتل 3 و5 جرحى»: the number before the next casualty word is that word's
        after = after[:stop]
        found = numbers_in_text(" ".join([w, *after[:3]]))
        group = _victims(after[1:] if found and after and numbers_in_text(after[0]) else after)
        if found and after and _victims(after[:1]) is not None:
            group = _victims(after)  # «جنديان عراقيان»: a dual is its own count and its own noun
        if not found and weapon is not None:
            # «وقتل في الضربات الأميركية 14 مسلحاً»: the toll after the weapon, when people follow it
            end = weapon[1] + (1 if _nationality_after(words, weapon[1]) is not None else 0)
            tail = words[end : end + 4]
            if tail and numbers_in_text(tail[0]) and _victims(tail[1:]) is not None:
                found, group = numbers_in_text(tail[0]), _victims(tail[1:])
        if found:
            group = _with_among(group, after[:6])
        if not found and before and numbers_in_text(" ".join([before[-1], w])) == {1}:
            found = {1}  # «جندياً قُتل»: an indefinite singular victim, then the passive verb
            group = _victims(before[-1:])
        if not found and before and before[-1] in lx.THAT_THEY:
            counted = _counted_before(words[max(0, i - 14) : i - 1])
            if counted is not None:
                found, group = {counted[0]}, counted[1]
        if not found and w.endswith(("ى", "ي", "ا")) and before:  # «قتلى» is «قتلي» normalized
            # «11 قتيلاً», «خمسة مقاتلين آخرين قتلوا»; «14 شخصاً بينهم ستة أطفال قُتلوا»: the whole toll
            among = next((k for k, x in enumerate(before) if x in lx.AMONG_WORDS), None)
            whole = before
            if among is not None:
                whole = words[max(0, i - len(before) - 3) : i - len(before) + among]
            found = numbers_in_text(" ".join(whole))
            if found:
                group = _victims(whole[1:])
                if among is not None:
                    group = _with_among(group, before[among:])
        found = {n for n in found if n < 100_000}
        if not found:
            continue
        n = max(found)
        if any(f.kind == kind and f.count == n for f in out):
            continue
        # «تسعة آخرين», the first figure told: in addition to a toll told before
        adds = not out and any(lx.word_is(x, lx.OTHERS_WORDS) for x in [*before[-2:], *after[:4]])
        out.append(Figure(kind, n, group, sentence, adds=adds))
    return out


def _verb_attackers(words: list[str], mentions: list[_Mention], gaz: Gazetteer) -> None:
    """Attackers named by verbs: the actor right after an active verb («نفذت القوات الأمريكية ضربات»)
    did the first mention after it; the actor after «شنها», «نفذها», «من قبل» did the mention before."""
    for i, w in enumerate(words):
        if lx.word_is(w, lx.RESPONSE_VERBS):
            doers = [a for a in gaz.find_actors(" ".join(words[max(0, i - 6) : i])) if not _is_media(a)]
            nxt = next((m for m in mentions if 0 < m.start - i <= 3), None)
            if doers and nxt is not None and nxt.attacker is None:
                nxt.attacker = ActorRef.of(doers[0])
                if len(doers) > 1 and nxt.side is None:
                    nxt.side = ActorRef.of(doers[1])  # «القوات الأميركية وقوات سوريا الديمقراطية ردت»
            continue
        after = lx.word_is(w, lx.ATTACK_VERBS)
        before = lx.word_is(w, lx.CARRIED_OUT_BY)
        if not (after or before):
            continue
        found = [a for a in gaz.find_actors(" ".join(words[i + 1 : i + 5])) if not _is_media(a)]
        if not found:
            continue
        if after:
            # «ضربات جوية ... استهدفت جماعات»: after a weapon the verb's actor is its target; a verb with
            # no «و» before it goes on describing that weapon further back («ضربات جوية أميركية في
            # سوريا في وقت مبكر من صباح الجمعة استهدفت جماعات متحالفة مع إيران»)
            reach = 4 if w.startswith(("و", "ف")) else 14
            if any(0 < i - m.start <= reach for m in mentions):
                continue
            target = next((m for m in mentions if m.start > i), None)
        else:
            target = next((m for m in reversed(mentions) if m.start < i and i - m.start <= 6), None)
        if (
            target is not None
            and target.attacker is None
            and target.sub_event_type != "disrupted_weapons_use"
        ):
            target.attacker = ActorRef.of(found[0])


def _on_targets(words: list[str], mentions: list[_Mention], gaz: Gazetteer) -> None:
    """«ضربات جوية شنتها الولايات المتحدة … على فصائل متحالفة مع إيران»: the actor after «على» in a
    mention's words is whom it was done to (not the one who did it, nor a media outlet)."""
    for k, m in enumerate(mentions):
        if m.target is not None or m.sub_event_type in {"disrupted_weapons_use", "arrests", ""}:
            continue
        end = mentions[k + 1].start if k + 1 < len(mentions) else len(words)
        # only after «على»: what follows «استهداف» may be its doer as well as its object («استهداف
        # "ميليشيات" إيران بطائرات مسيّرة مركزاً للذخيرة»: the militias did it)
        for j in range(m.start + 1, min(end, m.start + 10)):
            if not lx.word_is(words[j], lx.ON_WORDS):
                continue
            if lx.word_is(words[j - 1], lx.NOT_ON_BEFORE) or (
                j + 1 < len(words) and lx.word_is(words[j + 1], lx.NOT_ON_AFTER)
            ):
                break
            window = words[j + 1 : j + 5]
            found = [a for a in gaz.find_actors(" ".join(window)) if not _is_media(a)]
            found = [a for a in found if m.attacker is None or a.name_en != m.attacker.name_en]
            if any(w.startswith(lx.ALLIED_PREFIXES) for w in window):
                # only a name that carries the allegiance itself («فصائل متحالفة مع إيران»)
                found = [
                    a
                    for a in found
                    if any(x.startswith(lx.ALLIED_PREFIXES) for x in lx.words_of(a.name_ar or ""))
                    or any(
                        any(x.startswith(lx.ALLIED_PREFIXES) for x in lx.words_of(v)) for v in a.variants_ar
                    )
                ]
            if found:
                m.target = ActorRef.of(found[0])
            break


def _clash_sides(words: list[str], mentions: list[_Mention], gaz: Gazetteer) -> None:
    """«اشتباكات … بين "جهاز الردع" و"اللواء 444 قتال"»: the two actors after «بين» are a clash's
    sides (both actors, as ACLED codes a battle), in the order the sentence names them."""
    for m in mentions:
        if m.sub_event_type != "armed_clash":
            continue
        at = next(
            (k for k in range(m.start + 1, min(m.start + 6, len(words))) if words[k] in lx.BETWEEN_WORDS),
            None,
        )
        if at is None:
            continue
        found: list[ActorEntry] = []
        for _pos, entry in gaz.actor_mentions(" ".join(words[at + 1 : at + 14])):
            if not _is_media(entry) and all(e.name_en != entry.name_en for e in found):
                found.append(entry)
        if len(found) >= 2:
            m.attacker, m.side = ActorRef.of(found[0]), ActorRef.of(found[1])


def _passive_targets(words: list[str], mentions: list[_Mention], gaz: Gazetteer) -> None:
    """«تعرضت القوات الأمريكية لهجوم صاروخي»: the actor just before or after «تعرض» is what the
    attack after it was done to, never who did it."""
    for i, w in enumerate(words):
        if not lx.word_is(w, lx.SUBJECTED_VERBS):
            continue
        mention = next((m for m in mentions if 0 < m.start - i <= 4), None)
        if mention is None:
            continue
        near = " ".join(words[max(0, i - 4) : i + 3])
        found = [a for a in gaz.find_actors(near) if not _is_media(a)]
        if found:
            mention.target = ActorRef.of(found[0])
            if mention.attacker is not None and mention.attacker.name_en == found[0].name_en:
                mention.attacker = None


def _is_media(entry: ActorEntry) -> bool:
    return (entry.kind or "") in {"media", "outlet", "news_agency"}


def _sources(words: list[str], gaz: Gazetteer) -> list[ActorRef]:
    """Who a sentence credits: the actor that starts right after «بحسب», «وفق ما ذكر», «قال» (within
    two words), not one named further on («قالت إن انفجاراً دوى بقاعدة التحالف» credits no coalition)."""
    out: list[ActorRef] = []
    for i, w in enumerate(words):
        if not lx.word_is(w, lx.SOURCE_CUES):
            continue
        if i + 1 < len(words) and lx.word_is(words[i + 1], lx.THAT_WORDS):
            continue  # «مسيّرة قال إنها تابعة لقوات الدعم السريع»: what was said follows, not who said it
        tail = " ".join(words[i + 1 : i + 8])
        for at, entry in gaz.actor_mentions(tail):
            if at > 2:
                break
            place = gaz.place(entry.name_en)
            if place is not None and place.kind == "country":
                break  # «أعلنت واشنطن تنفيذها»: a government announcing, not a source of figures
            ref = ActorRef.of(entry)
            if ref not in out:
                out.append(ref)
            break
    return out


_SPEAKER_KINDS = frozenset({"person", "government", "igo", "armed_force", "militia", "rebel_group"})


def named_speaker(sentence: str, gaz: Gazetteer) -> ActorEntry | None:
    """The person, government or armed group a sentence quotes, when a verb of saying comes right before
    its name («قال الرئيس الأميركي جو بايدن إن», «ودافع بلينكن عن»); None for media, monitors and
    sentences that quote nobody the gazetteer knows."""
    words = lx.words_of(strip_dateline(sentence))
    for i, w in enumerate(words):
        if not lx.word_is(w, lx.SPEECH_VERBS):
            continue
        for at, entry in gaz.actor_mentions(" ".join(words[i + 1 : i + 6])):
            if at > 3:
                break
            if (entry.kind or "") in _SPEAKER_KINDS:
                return entry
    return None


def _place(text: str, gaz: Gazetteer, *, locative_only: bool = False) -> Place | None:
    """The most specific place a text names where something happened, or None (``locative_only``:
    only places a preposition such as «في», «قرب», «داخل» introduces)."""
    mentions = gaz.place_mentions(text.replace("بالقرب من ", "قرب ").replace("بالقرب من", "قرب"))
    # a country named without «في» or the like is a party («إيران تقدم»), not where it happened
    here = [p for p, locative in mentions if locative or (p.kind != "country" and not locative_only)]
    if not here:
        return None
    return min(here, key=place_rank)  # min keeps the first of equals


@dataclass
class _Fact:
    mention: _Mention
    sentence: int
    date: EventDate | None
    place: Place | None
    figures: list[Figure]
    sources: list[ActorRef]
    said_only: bool = False
    """Inside a quotation, with no toll: joins an incident already read, never starts one."""
    refers_back: bool = False
    """«الغارات» with no toll: the strikes already told of, when there are any."""
    also: list[Place] = field(default_factory=list)
    """«بلدتي كفركلا والعديسة»: the places a dual place noun names together."""


def _two_places(words: list[str], gaz: Gazetteer) -> list[Place]:
    """The two places after a dual place noun in ``words`` («بلدتي كفركلا والعديسة»), or two of a kind
    joined by «و» after «في» («في العراق وسوريا»), or none."""
    for i, w in enumerate(words):
        if lx.word_is(w, lx.DUAL_PLACE_NOUNS):
            found = [p for p, _loc in gaz.place_mentions(" ".join(["في", *words[i + 1 : i + 7]]))]
            # «مدينتي البوكمال الحدودية مع العراق ودير الزور»: the two cities, not the country between
            same = [p for p in found[1:] if found and p.kind == found[0].kind]
            if same:
                return [found[0], same[0]]
        if w in lx.IN_WORDS and i + 2 < len(words):
            mentions = gaz.place_mentions(" ".join(words[i : i + 6]))
            if len(mentions) >= 2 and all(here for _p, here in mentions[:2]):
                first, second = mentions[0][0], mentions[1][0]
                joined = any(x.startswith("و") for x in words[i + 2 : i + 5])
                if joined and first.kind == second.kind and first.name_en != second.name_en:
                    return [first, second]
    return []


def _by_its_fighters(words: list[str]) -> bool:
    return any(
        lx.word_is(w, lx.ITS_FIGHTERS) and any(lx.word_is(x, lx.FIGHTERS_DID) for x in words[i + 1 : i + 3])
        for i, w in enumerate(words)
    )


#: Sectors whose announcement of an attack is a claim (a non-state armed group's), not a report.
_CLAIMING_SECTORS = frozenset({"IMG", "REB", "UAF", "PRM"})
#: Sectors whose announcement of an attack names its author (a ministry's or an outlet's does not).
_ARMED_SECTORS = _CLAIMING_SECTORS | {"MIL"}


def _said_by_other(said: tuple[str, str, str, ActorRef] | None) -> bool:
    """A denial, a threat or an accusation: the speaker does not announce an attack of its own."""
    return said is not None and said[0] in {"denial", "threat", "accusation"}


def _announced_attack(words: list[str], gaz: Gazetteer, sectors: frozenset[str]) -> ActorRef | None:
    """The armed force or group of ``sectors`` that announces an attack of its own («أعلنت المقاومة
    الإسلامية في العراق استهداف قاعدة عين الأسد»), or None."""
    for i, w in enumerate(words):
        if not lx.word_is(w, lx.ANNOUNCE_VERBS):
            continue
        at = next(
            (j for j in range(i + 1, min(i + 9, len(words))) if lx.word_is(words[j], lx.TARGETING_NOUNS)),
            None,
        )
        if at is None or any(lx.word_is(x, lx.ITS_OWN_FORCES) for x in words[at + 1 : at + 3]):
            continue  # «أعلن الجيش استهداف قواته»: its own forces were the target
        found = [a for a in gaz.find_actors(" ".join(words[i + 1 : at])) if not _is_media(a)]
        if found and found[0].sector in sectors:
            return ActorRef.of(found[0])
    return _said_it_attacked(words, gaz, sectors)


def _said_it_attacked(words: list[str], gaz: Gazetteer, sectors: frozenset[str]) -> ActorRef | None:
    """An armed force or group of ``sectors`` (or its spokesman) saying an attack verb with no other
    actor as its subject: «قال المتحدث العسكري باسم الحوثيين … إن سلاح الجو المسيّر استهدف مطار
    جازان»: its own unit did it. «قال … إن طائرات التحالف استهدفت» names another doer: None."""
    for i, w in enumerate(words):
        if not lx.word_is(w, lx.CLAIM_SPEECH_VERBS):
            continue
        that = next(
            (k for k in range(i + 1, min(i + 14, len(words))) if lx.word_is(words[k], lx.THAT_WORDS)), None
        )
        if that is None:
            continue
        speakers = [a for a in gaz.find_actors(" ".join(words[i + 1 : that])) if not _is_media(a)]
        if not speakers or speakers[0].sector not in sectors:
            continue
        verb = next(
            (k for k in range(that + 1, min(that + 6, len(words))) if lx.word_is(words[k], lx.ATTACK_VERBS)),
            None,
        )
        if verb is None:
            continue
        if [a for a in gaz.find_actors(" ".join(words[that + 1 : verb])) if a.name_en != speakers[0].name_en]:
            continue
        if any(
            _weapon_at(words, k) or lx.word_is(words[k], lx.ATTACK_WORDS + lx.ATTACK_NOUNS)
            for k in range(that + 1, verb)
        ):
            continue  # «إن طائرات مسيرة استهدفت», «إن هجوم الخميس استهدف»: whose, it does not say
        return ActorRef.of(speakers[0])
    return None


def _denial_scope(words: list[str]) -> int:
    """Where what a denial denies ends: at the first verb of saying after the denial's verb (the words
    after it are what the speaker asserts), else at the end of the sentence."""
    cues = next(c for c, sub, _s, _w in lx.STATEMENT_CUES if sub == "denial")
    span = lx.find_phrase(words, cues)
    if span is None:
        return len(words)
    return next(
        (j for j in range(span[1], len(words)) if lx.word_is(words[j], lx.ASSERTING_WORDS)), len(words)
    )


#: Who may announce it «neutralised» people: a military, a ministry, an armed group.
_NEUTRALIZING_SECTORS = _ARMED_SECTORS | {"GOV"}


def _neutralized(words: list[str], gaz: Gazetteer) -> tuple[ActorRef, int | None, list[ActorRef]] | None:
    """«أعلنت وزارة الدفاع التركية "تحييد" سبعة من عناصر تنظيم بي كا كا»: who says it «neutralised» how
    many of whom (its claim: killed, wounded or captured, never a killed figure), or None."""
    at = next((i for i, w in enumerate(words) if lx.word_is(w, lx.NEUTRALIZE_WORDS)), None)
    if at is None:
        return None
    before = [a for a in gaz.find_actors(" ".join(words[max(0, at - 8) : at])) if not _is_media(a)]
    speakers = [a for a in before[::-1] if a.sector in _NEUTRALIZING_SECTORS]
    if not speakers:
        return None
    found = numbers_in_text(" ".join(words[at + 1 : at + 3]))
    count = max(found) if found else None
    whom = [a for a in gaz.find_actors(" ".join(words[at + 1 : at + 10])) if not _is_media(a)]
    return ActorRef.of(speakers[0]), count, [ActorRef.of(whom[0])] if whom else []


def _interceptor(words: list[str], at: int, gaz: Gazetteer) -> ActorRef | None:
    """Who brought it down, by an active verb: the armed force named last in the eight words before
    the verb («قوات التحالف تمكنت … من اعتراض», «أعلن الجيش الإسرائيلي أن منظومة … اعترضت»)."""
    found = [
        e for _i, e in gaz.actor_mentions(" ".join(words[max(0, at - 8) : at])) if e.sector in _ARMED_SECTORS
    ]
    return ActorRef.of(found[-1]) if found else None


def _accused(words: list[str], speaker: ActorRef, gaz: Gazetteer) -> list[ActorRef]:
    """Whom an accusation names after its verb («اتهمت "قسد" تركيا بمواصلة …»): the first actor after the
    speaker, neither the speaker nor an outlet."""
    at = next((i for i, w in enumerate(words) if lx.word_is(w, lx.ACCUSE_WORDS)), None)
    if at is None:
        return []
    found = [a for a in gaz.find_actors(" ".join(words[at + 1 : at + 8])) if not _is_media(a)]
    found = [a for a in found if a.name_en != speaker.name_en]
    return [ActorRef.of(found[0])] if found else []


def _statement(words: list[str], gaz: Gazetteer) -> tuple[str, str, str, ActorRef] | None:
    claimant = _announced_attack(words, gaz, _CLAIMING_SECTORS)
    if claimant is not None:
        return "claim_of_responsibility", "claimed", "claim of responsibility", claimant
    cues_found = [(cues, sub, status, what) for cues, sub, status, what in lx.STATEMENT_CUES]
    if _by_its_fighters(words):
        # «أعلن حزب الله أن مقاتليه استهدفوا»: a claim, its speaker the group named before
        cues_found.insert(
            0, (lx.ITS_FIGHTERS, "claim_of_responsibility", "claimed", "claim of responsibility")
        )
    for cues, sub, status, what in cues_found:
        span = lx.find_phrase(words, cues)
        if span is None:
            continue
        # the speaker: a gazetteer actor in the sentence, the nearest before the cue, else after it
        before = gaz.find_actors(" ".join(words[: span[0]]))
        after = gaz.find_actors(" ".join(words[span[1] : span[1] + 5]))
        speakers = [a for a in [*after[:1], *before[::-1], *after[1:]] if not _is_media(a)]
        if not speakers:
            continue
        return sub, status, what, ActorRef.of(speakers[0])
    return _agreement(words, gaz)


def _agreement(words: list[str], gaz: Gazetteer) -> tuple[str, str, str, ActorRef] | None:
    """«أعلن رئيس حكومة الوحدة الوطنية … التوصل إلى وقف لإطلاق النار»: a ceasefire or an agreement reached
    or announced (ACLED's agreement), by the first actor the sentence names; «إحياء الاتفاق النووي»
    (reviving an agreement) is none."""
    span = lx.find_phrase(words, lx.AGREEMENT_WORDS)
    if span is None or not any(
        lx.word_is(w, lx.AGREEMENT_VERBS) for w in words[max(0, span[0] - 4) : span[0]]
    ):
        return None
    actors = [a for a in gaz.find_actors(" ".join(words)) if not _is_media(a)]
    if not actors:
        return None
    ceasefire = lx.find_phrase(words[span[0] : span[1]], lx.CEASEFIRE_WORDS) is not None
    what = "ceasefire announced" if ceasefire else "agreement announced"
    return "agreement", "occurred", what, ActorRef.of(actors[0])


def read_incidents(
    sentences: Sequence[str],
    published: dt.date | None,
    gazetteer: Gazetteer,
    *,
    skip: set[int] | None = None,
) -> list[Incident]:
    """The incidents and statements an article reports, read by code from its sentences (1-based ids).

    Args:
        sentences: The article's sentences, in order.
        published: The publication date relative dates are resolved against.
        gazetteer: Places and actors.
        skip: Sentence ids to leave unread (for example text addressed to a model).
    """
    facts: list[_Fact] = []
    statements: list[Incident] = []
    for sid, raw in enumerate(sentences, 1):
        if skip and sid in skip:
            continue
        sentence = strip_dateline(raw)
        words: list[str] = []
        starts: list[int] = []  # word index where each clause starts
        quoted: set[int] = set()  # word indices inside quotation marks
        inside = False
        for clause in _CLAUSES.split(sentence):
            starts.append(len(words))
            for k, part in enumerate(_QUOTES.split(clause)):
                if k:
                    inside = not inside
                new = lx.words_of(part)
                if inside:
                    quoted.update(range(len(words), len(words) + len(new)))
                words += new
        if _is_heading(words) or _background(words, sentence, published):
            continue
        sentence_sources = _sources(words, gazetteer)
        said = _statement(words, gazetteer)
        denied_upto = _denial_scope(words) if said is not None and said[0] == "denial" else 0
        if said is not None:
            sub, status, what, speaker = said
            spoken = sentence
            if sub == "denial":
                # what it denies, not what it then asserts («نفت … سقوط قتلى، وقالت إن القصف …»)
                spoken = " ".join(words[:denied_upto])
                if any(lx.word_is(w, lx.KILL_WORDS) for w in words[:denied_upto]):
                    what = "denial of deaths"
            statements.append(
                Incident(
                    sub,
                    status,
                    [sid],
                    date=find_date(sentence, published),
                    place=_place(spoken, gazetteer),
                    attacker=speaker,
                    targets=_accused(words, speaker, gazetteer) if sub == "accusation" else [],
                    what_en=what,
                    sources=sentence_sources,
                )
            )
        neutral = _neutralized(words, gazetteer) if said is None else None
        if neutral is not None:
            speaker, count, whom = neutral
            what = f'claimed "neutralization" of {count}' if count else 'claimed "neutralization"'
            statements.append(
                Incident(
                    "claim_of_responsibility",
                    "claimed",
                    [sid],
                    date=find_date(sentence, published),
                    place=_place(sentence, gazetteer),
                    attacker=speaker,
                    targets=whom,
                    what_en=what,
                    count=count,
                    sources=[speaker],
                )
            )
            continue  # its attack words («يستعدون لشن هجوم») are the claim's, not an incident told
        mentions = _mentions(words, gazetteer)
        if not mentions:
            continue
        _verb_attackers(words, mentions, gazetteer)
        _passive_targets(words, mentions, gazetteer)
        _on_targets(words, mentions, gazetteer)
        _clash_sides(words, mentions, gazetteer)
        by_its_fighters = _by_its_fighters(words)
        # «أعلن الجيش الإسرائيلي استهداف مواقع …», «أعلن الحوثيون استهداف سفينة»: its own attack
        announcer = None if _said_by_other(said) else _announced_attack(words, gazetteer, _ARMED_SECTORS)
        for k, mention in enumerate(mentions):
            lo = 0 if k == 0 else mention.start
            hi = mentions[k + 1].start if k + 1 < len(mentions) else len(words)
            segment = words[lo:hi]
            seg_text = " ".join(segment)
            clause_end = next((b for b in starts if b > mention.start), len(words))
            clause_start = max(b for b in starts if b <= mention.start)
            if k > 0 and mentions[k - 1].start >= clause_start:
                clause_start = mention.start  # the words between two mentions belong to the earlier one
            own = " ".join(words[clause_start : min(hi, clause_end)])
            prefix = " ".join(words[lo : mention.start])
            figures = _figures(segment, sid)
            sources = sentence_sources
            if zero_supported([seg_text]) and not figures:
                figures = [Figure("killed", 0, None, sid), Figure("injured", 0, None, sid)]
            for f in figures:
                # a figure is credited only where the sentence credits one source for one incident
                f.source = sentence_sources[0] if len(sentence_sources) == 1 and len(mentions) == 1 else None
            date = find_date(own, published) or (find_date(prefix, published) if prefix else None)
            # where the words after the mention say it was, before where its clause was spoken from
            # («قال المتحدث في مؤتمر صحافي في صنعاء إن الغارات استهدفت حياً قرب ميناء الحديدة»)
            after = " ".join(words[mention.start : min(hi, clause_end)])
            place = (
                _place(after, gazetteer)
                or _place(own, gazetteer)
                or (_place(prefix, gazetteer) if prefix else None)
                # a later clause of its own, where a preposition says it is where («داخل مدينة دير الزور»)
                or _place(" ".join(words[mention.start : hi]), gazetteer, locative_only=True)
            )
            if mention.sub_event_type == "disrupted_weapons_use":
                mention.origin = _launched_from(words[mention.start : hi], gazetteer)
            if (
                mention.sub_event_type == "disrupted_weapons_use"
                and mention.attacker is None
                and mention.by_speaker
            ):
                # «قالت القيادة المركزية: "دمرنا مسيرتين"»: the speaker brought them down; «أُسقطت»
                # (passive) or «اعترضت منظومة» says who reports it, not who did it
                speakers = [ref for ref in sentence_sources if ref.sector in {"MIL", "GOV"}]
                mention.attacker = speakers[0] if speakers else None
            elif (
                mention.sub_event_type == "disrupted_weapons_use"
                and mention.attacker is None
                and not mention.passive
            ):
                mention.attacker = _interceptor(words, mention.start, gazetteer)
            if said is not None and said[0] == "claim_of_responsibility":
                mention.status = "claimed"
                if mention.attacker is None and by_its_fighters:
                    mention.attacker = said[3]  # «أعلن حزب الله أن مقاتليه استهدفوا»: the claimant did it
            elif said is not None and said[0] == "denial" and mention.start < denied_upto:
                mention.status = "denied"
            elif said is not None and said[0] == "denial":
                # «نفت قسد سقوط قتلى، وقالت إن القصف التركي أدى إلى إصابة أربعة»: what the denier asserts
                sources = sources or [said[3]]
                for f in figures:
                    f.source = f.source or said[3]
            if mention.attacker is None:
                mention.attacker = announcer
            # what someone says («فوضت بشن ضربات») is no report of an incident, unless the speaker
            # says what they did («دمرنا مسيرتين») or it gives a toll: it only adds to one already read
            # «الغارات», «الضربات»: the strikes already told of, unless a toll comes with them
            definite = words[mention.start].startswith(lx.ARTICLE_PREFIXES)
            said_only = (
                mention.start in quoted
                and not figures
                and mention.sub_event_type != "disrupted_weapons_use"
                and not any(w.endswith("نا") for w in words[max(0, mention.start - 2) : mention.start + 1])
            )
            # «الغارات», «القصف»: the attack already told; «المدفعية الإسرائيلية» names who fired, not
            # an attack told before
            refers_back = (
                definite and not figures and lx.word_is(words[mention.start], lx.DEFINITE_ATTACK_NOUNS)
            )
            fact = _Fact(mention, sid, date, place, figures, sources, said_only, refers_back)
            pair = _two_places(words[clause_start:clause_end], gazetteer)
            if place is not None and any(p.name_en == place.name_en for p in pair):
                fact.also = pair
            facts.append(fact)
        # «آخرين» adds to a toll told before only as the sentence's first figure («قُتل جندي وأصيب اثنان
        # آخران»: the two are others than the soldier); «كذلك استهدف القصف … مقتل خمسة»: the bombing
        # already told of, and its toll adds to the one told before
        mine = facts[len(facts) - len(mentions) :]
        tolls = [f for fact in mine for f in fact.figures]
        for f in tolls[1:]:
            f.adds = False
        also = bool(words) and lx.word_is(words[0], lx.ALSO_WORDS)
        for fact in mine:
            start = fact.mention.start
            named = range(start, min(start + 4, len(words)))  # «استهدف القصف»: the weapon word after the verb
            definite = any(words[j].startswith(lx.ARTICLE_PREFIXES) and _weapon_at(words, j) for j in named)
            if also and fact.figures and definite:
                fact.figures[0].adds = True
        # a mention that says neither when nor where shares the date of the sentence's dated one
        # («في أغسطس 2022 ... بعد أن تعرضت قاعدة لهجوم من قبل طائرات بدون طيار»)
        dated = next((x.date for x in mine if x.date is not None and x.date.value is not None), None)
        for fact in mine:
            if dated is not None and _weak(fact.date, fact.place):
                fact.date = dated
    incidents = _group(facts, sentences, gazetteer)
    statements = _merge_statements(statements)
    # a claim or denial whose sentence tells the attack itself is that attack's status, not a second event
    told = {(inc.status, sid) for inc in incidents for sid in inc.sentences}
    statements = [
        st
        for st in statements
        if not (
            st.sub_event_type in {"claim_of_responsibility", "denial"}
            and all((st.status, sid) in told for sid in st.sentences)
        )
    ]
    for st in statements:
        _claimed_where(st, incidents, sentences, gazetteer)
    incidents += statements
    incidents.sort(key=lambda inc: inc.sentences[0])
    read = [s for k, s in enumerate(sentences, 1) if not (skip and k in skip)]
    _resolve_generic(incidents, read, gazetteer)
    for inc in incidents:
        if inc.attacker is None and not inc.is_statement:
            inc.open_fields.append("attacker")
    return incidents


def _resolve_generic(incidents: list[Incident], sentences: Sequence[str], gaz: Gazetteer) -> None:
    """«قوات التحالف» in an article that names «تحالف دعم الشرعية في اليمن»: the Saudi-led coalition,
    not the US-led one the words name elsewhere (:meth:`Gazetteer.generic_aliases`)."""
    aliases = gaz.generic_aliases(sentences)
    if not aliases:
        return

    def fix(ref: ActorRef | None) -> ActorRef | None:
        if ref is None or ref.name_en not in aliases:
            return ref
        return ActorRef.of(aliases[ref.name_en], adjective=ref.adjective_en)

    for inc in incidents:
        inc.attacker = fix(inc.attacker)
        inc.side = fix(inc.side)
        inc.targets = [r for r in map(fix, inc.targets) if r is not None]
        inc.sources = [r for r in map(fix, inc.sources) if r is not None]
        for f in inc.figures:
            f.source = fix(f.source)


def _claimed_where(st: Incident, incidents: list[Incident], sentences: Sequence[str], gaz: Gazetteer) -> None:
    """A claim or denial of «الهجوم» (the attack told before) that says no place happened where that
    attack did: the last incident told before it, whose sentence naming the place then backs the
    claim's place too. A ceasefire is where the fighting told before it was."""
    if st.sub_event_type not in {"claim_of_responsibility", "denial", "agreement"} or st.place is not None:
        return
    words = lx.words_of(sentences[st.sentences[0] - 1])
    # a ceasefire stops the fighting told before it («بين الطرفين»)
    if st.sub_event_type != "agreement" and not any(lx.word_is(w, lx.THE_ATTACK) for w in words):
        return
    told = [inc for inc in incidents if inc.place is not None and inc.sentences[0] < st.sentences[0]]
    if st.sub_event_type == "agreement":
        told = [inc for inc in told if inc.sub_event_type == "armed_clash"]
    if told:
        last = max(told, key=lambda inc: max(s for s in inc.sentences if s < st.sentences[0]))
        place = st.place = last.place
        assert place is not None
        named = [
            sid
            for sid in last.sentences
            if any(p.name_en == place.name_en for p, _ in gaz.place_mentions(sentences[sid - 1]))
        ]
        st.sentences.append(named[0] if named else last.sentences[0])


def _weak(date: EventDate | None, place: Place | None) -> bool:
    return (date is None or date.value is None) and place is None


def _compatible(inc: Incident, fact: _Fact) -> bool:
    """Whether a mention belongs to an incident already read: same type, status and weapon, nothing
    that differs (date, attacker, place), and something that agrees (date, place or attacker), unless
    one of them says neither when nor where (a later sentence naming the same attack again)."""
    m = fact.mention
    if inc.sub_event_type != m.sub_event_type or inc.status != m.status or inc.what_en != m.what_en:
        return False
    if fact.sentence in inc.sentences:
        return False  # two mentions one sentence keeps apart are two incidents («تعرضت لهجوم ... ردت برشقات»)
    agree = _weak(inc.date, inc.place) or _weak(fact.date, fact.place)
    if inc.date is not None and fact.date is not None and inc.date.value is not None:
        if inc.date.value != fact.date.value:
            return False
        agree = True
    if inc.attacker is not None and m.attacker is not None:
        if inc.attacker.name_en != m.attacker.name_en:
            return False
        agree = True
    if _crossed(inc, m):
        return False
    if inc.place is not None and fact.place is not None:
        a, b = inc.place, fact.place
        if a.name_en != b.name_en and not (_inside(a, b) or _inside(b, a)):
            return False
        agree = True
    return agree


def _crossed(inc: Incident, m: _Mention) -> bool:
    """One did it where the other had it done to them: two incidents, not one."""
    targets = {t.name_en for t in inc.targets}
    return (m.attacker is not None and m.attacker.name_en in targets) or (
        m.target is not None and inc.attacker is not None and m.target.name_en == inc.attacker.name_en
    )


def _no_conflict(inc: Incident, fact: _Fact) -> bool:
    """Nothing differs: a date, an attacker or a place both give and that disagree."""
    if inc.date and inc.date.value and fact.date and fact.date.value and inc.date.value != fact.date.value:
        return False
    m = fact.mention
    if _crossed(inc, m):
        return False
    return inc.attacker is None or m.attacker is None or inc.attacker.name_en == m.attacker.name_en


def _inside(inner: Place, outer: Place) -> bool:
    if outer.kind == "country":
        return inner.country_en == outer.name_en
    if outer.kind in {"governorate", "region"} and outer.admin1_en is not None:
        return inner.admin1_en == outer.admin1_en
    if outer.kind == "region":
        return inner.country_en is not None and inner.country_en == outer.country_en
    return False


def _group(facts: list[_Fact], sentences: Sequence[str], gaz: Gazetteer) -> list[Incident]:
    incidents: list[Incident] = []
    for fact in facts:
        m = fact.mention
        if not m.sub_event_type:
            target = _same_day(incidents, fact)
            if target is None:
                continue
        else:
            target = _added_to(incidents, fact)
        if target is None:
            target = next((inc for inc in incidents if _compatible(inc, fact)), None)
        if target is None and fact.said_only:
            continue
        if target is None and fact.refers_back:
            earlier = [inc for inc in incidents if inc.sub_event_type == m.sub_event_type]
            if earlier:
                target = earlier[-1] if _no_conflict(earlier[-1], fact) else None
                if target is None:
                    continue
        if target is None:
            target = Incident(
                m.sub_event_type,
                m.status,
                [],
                weapon_en=m.weapon_en,
                what_en=m.what_en,
                count=m.count,
                object_en=m.object_en,
                origin=m.origin,
            )
            incidents.append(target)
        if fact.sentence not in target.sentences:
            target.sentences.append(fact.sentence)
        if (
            target.date is None
            or (target.date.value is None and fact.date is not None)
            or (
                fact.date is not None
                and target.date.value is not None
                and fact.date.precision == "day"
                and target.date.precision != "day"
            )
        ):
            target.date = fact.date
        if fact.place is not None and (
            target.place is None or place_rank(fact.place) < place_rank(target.place)
        ):
            target.place = fact.place
        _add_place(target, fact.place)
        for p in fact.also:  # two named together, countries too («في العراق وسوريا»)
            if all(q.name_en != p.name_en for q in target.places):
                target.places.append(p)
        if target.attacker is None:
            target.attacker = m.attacker
            target.side = m.side
        if m.target is not None and m.target.name_en not in {t.name_en for t in target.targets}:
            target.targets.append(m.target)
        for f in fact.figures:
            if f.adds or not any(g.kind == f.kind and g.count == f.count for g in target.figures):
                target.figures.append(f)
        for s in fact.sources:
            if s not in target.sources:
                target.sources.append(s)
    out = [inc for inc in _join_parts(incidents) if _reportable(inc)]
    for inc in out:
        inc.within = _city_of(inc, sentences, gaz)
    return out


def _city_of(inc: Incident, sentences: Sequence[str], gaz: Gazetteer) -> Place | None:
    """A neighbourhood's city, when one of the incident's sentences names a city of its governorate."""
    if inc.place is None or inc.place.kind != "neighborhood" or inc.places[1:]:
        return None
    for sid in inc.sentences:
        for place, _locative in gaz.place_mentions(sentences[sid - 1]):
            if place.kind == "city" and place.admin1_en == inc.place.admin1_en:
                return place
    return None


def _same_day(incidents: list[Incident], fact: _Fact) -> Incident | None:
    """The one incident told before on the day an attack with no weapon named happened («هجوم
    الخميس»); None when there is no such day, or none or several incidents on it."""
    day = fact.date
    if day is None or day.value is None or day.precision != "day":
        return None
    same = [inc for inc in incidents if inc.date is not None and inc.date.value == day.value]
    same = [inc for inc in same if inc.date is not None and inc.date.precision == "day"]
    return same[0] if len(same) == 1 and _no_conflict(same[0], fact) else None


def _add_place(inc: Incident, place: Place | None) -> None:
    if place is not None and place.precision <= 2 and all(p.name_en != place.name_en for p in inc.places):
        inc.places.append(place)


def _added_to(incidents: list[Incident], fact: _Fact) -> Incident | None:
    """The incident whose toll a figure adds to («وأضافت أن تسعة آخرين قُتلوا»): the one holding the
    last figure of its kind told in the two sentences before, when nothing (date, attacker) differs."""
    f = next((f for f in fact.figures if f.adds), None)
    if f is None:
        return None
    told = [(g.sentence, inc) for inc in incidents for g in inc.figures if g.kind == f.kind]
    told = [(sid, inc) for sid, inc in told if sid < fact.sentence]
    if not told:
        f.adds = False
        return None
    sid, inc = max(told, key=lambda x: x[0])
    if fact.sentence - sid > 2 or not _no_conflict(inc, fact):
        f.adds = False
        return None
    return inc


def _join_parts(incidents: list[Incident]) -> list[Incident]:
    """Parts told one by one that add up to a toll an earlier incident gave whole are that incident: 14
    killed at Bani Suheila and 9 others at Tal al-Sultan are the 23 of the night's strikes."""
    out: list[Incident] = []
    for inc in incidents:
        whole = next((w for w in out if _sums_to(inc, w)), None)
        if whole is None:
            out.append(inc)
            continue
        whole.sentences = sorted({*whole.sentences, *inc.sentences})
        whole.figures += inc.figures
        whole.date = whole.date if whole.date is not None and whole.date.value else inc.date or whole.date
        whole.place = whole.place or inc.place
        for p in inc.places:
            _add_place(whole, p)
        whole.attacker = whole.attacker or inc.attacker
        whole.targets += [t for t in inc.targets if t not in whole.targets]
        whole.sources += [s for s in inc.sources if s not in whole.sources]
    return out


def _sums_to(part: Incident, whole: Incident) -> bool:
    if part.sub_event_type != whole.sub_event_type or part.status != whole.status:
        return False
    if (
        part.date
        and part.date.value
        and whole.date
        and whole.date.value
        and part.date.value != whole.date.value
    ):
        return False
    if part.attacker and whole.attacker and part.attacker.name_en != whole.attacker.name_en:
        return False
    for kind in ("killed", "injured"):
        if not any(f.adds for f in part.figures if f.kind == kind):
            continue
        given = {f.count for f in whole.figures if f.kind == kind and not f.adds}
        if given & set(part.tolls(kind)):
            return True
    return False


def _reportable(inc: Incident) -> bool:
    """An incident needs more than a passing weapon word: a toll, a date, a place or an attacker."""
    return bool(inc.figures or (inc.date and inc.date.value) or inc.place or inc.attacker or inc.count)


def _merge_statements(statements: list[Incident]) -> list[Incident]:
    out: list[Incident] = []
    for st in statements:
        same = next(
            (o for o in out if o.sub_event_type == st.sub_event_type and o.attacker == st.attacker), None
        )
        if same is None:
            out.append(st)
        else:
            same.sentences += [s for s in st.sentences if s not in same.sentences]
            same.date = same.date or st.date
            same.place = same.place or st.place
    return out


def attacker_candidates(inc: Incident, sentences: Sequence[str], gaz: Gazetteer) -> list[ActorRef]:
    """The actors an incident's sentences name that could have done it: not an outlet, and not one named
    as a victim, a target or an allegiance (the words before it say so), nor one whose figures the
    incident counts as victims (pro-Iran fighters killed: the pro-Iran side did not strike itself)."""
    victims = " ".join(f.group_en or "" for f in inc.figures).lower()
    seen: list[ActorRef] = []
    for sid in inc.sentences:
        sentence = strip_dateline(sentences[sid - 1])
        words = lx.words_of(sentence)
        for at, entry in gaz.actor_mentions(sentence):
            if _is_media(entry) or entry.sector == "OTHER":
                continue
            if any(lx.word_is(w, lx.NOT_DOER_BEFORE) for w in words[max(0, at - 2) : at]):
                continue
            if "pro-iran" in victims and "iran" in entry.name_en.lower():
                continue
            ref = ActorRef.of(entry)
            if ref.name_en not in {r.name_en for r in seen}:
                seen.append(ref)
    return seen
