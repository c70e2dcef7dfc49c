"""A bilingual gazetteer and actor lexicon for the Syria/Iraq conflict and the actors around it.

Place names and actors come in many spellings in both scripts (البوكمال / البو كمال / أبو كمال;
Albu Kamal / Abu Kamal / Al Bukamal). The gazetteer maps every listed spelling to one entry with one
stable English name (``name_en``), so that events name the same place and the same actor the same way.

Lookups (:meth:`Gazetteer.place`, :meth:`Gazetteer.actor`) accept Arabic or English:

* Arabic is compared after :func:`~summarizer.arabic.normalize.normalize_ar_loose`, with «أميركي» folded into
  «أمريكي» and «ميليشيا» into «مليشيا» (both spellings are everywhere); a leading conjunction or
  preposition («والبوكمال», «بدير الزور») is tried off when the whole word is not known.
* English is compared case-, accent-, hyphen- and punctuation-insensitively, without the articles
  al/el/the/ad/ar/as/ash/at/az/an/ed/es/ez («al-Mayadin» = «Mayadin» = «Al Mayadin»), and with
  initials joined («U.S.» = «US»).

The module is also the one home of place and actor identity outside those lookups: the keys
(:func:`ar_key`, :func:`en_key`, :func:`name_key`, :func:`place_key`, :func:`actor_key`), a place
resolved to keys (:func:`resolve_place`, :class:`ResolvedPlace`) and :func:`names_match`. The gold
scorer (``summarizer.evaluation``) and the digest's merge (``summarizer.digest.merge``) both use them,
each with its own strictness (``loose``); they need only a :class:`PlaceLookup`, which
:class:`Gazetteer` is.

A bare name that is both a city and its governorate («دير الزور», «Deir ez-Zor») is the city; the
governorate is «محافظة دير الزور» / «Deir ez-Zor Governorate» (its ``admin1_en`` is «Deir ez-Zor»).

JSON format (``summarizer/data/gazetteer.json``; a user file has the same format; the ``#`` comments
below explain the fields and are not part of the file)::

    {
      "version": 1,
      "places": [
        {"name_en": "Albu Kamal",          # stable English name, unique among places
         "name_ar": "البوكمال",             # usual Arabic name
         "kind": "city",                    # country|governorate|region|city|town|village|
                                            #   neighborhood|base|airport|oil_field|gas_field
         "admin1_en": "Deir ez-Zor",        # governorate / province (null for countries, wide regions)
         "country_en": "Syria",             # null only for regions spanning countries
         "precision": 1,                    # ACLED geo precision: 1 the place itself, 2 part of a
                                            #   region, 3 a governorate, country or larger region
         "variants_ar": ["البو كمال", "أبو كمال"],      # optional: other Arabic spellings
         "variants_en": ["Abu Kamal", "Al Bukamal"],  # optional: other English spellings
         "needs_context": false}            # optional: the name is also a common word («تدمر»
                                            #   "destroys", «القائم» "existing"): find it in running
                                            #   text only after a place word (مدينة, في, قرب…)
      ],
      "actors": [
        {"name_en": "Syrian Democratic Forces (SDF)", "name_ar": "قوات سوريا الديمقراطية",
         "sector": "REB",                   # PLOVER: MIL GOV REB PRM UAF CVL IMG OTHER
         "kind": "rebel_group",             # optional free text: armed_force, government, militia,
                                            #   rebel_group, tribal_force, ngo, media, person…
         "country_en": "Syria",             # optional
         "variants_ar": ["قسد"], "variants_en": ["SDF"],
         "generic_ar": []}                  # optional: generic words («قوات التحالف») that name
                                            #   this actor in an article that names it by a name
                                            #   of its own, though another entry owns them
      ]
    }

A user file (:meth:`Gazetteer.load` ``extra``, or the path in ``SUMMARIZER_GAZETTEER``) adds entries
and replaces shipped entries with the same ``name_en``; its spellings win over shipped ones.

Sector decisions: armed forces of states and their commands (the Pentagon, CENTCOM, IRGC, the
coalition) are MIL; states, ministries and civilian officials (Biden, Austin) are GOV; the SDF and
Arab tribal fighters are REB (armed non-state groups fighting the local authority; ACLED would call the
tribes an identity militia, which PLOVER has no code for); Iraq's Popular Mobilization Forces, a
state-sanctioned paramilitary, and Syria's National Defence Forces are PRM; Iran-backed militias
operating across borders (Hezbollah, Kataib Hezbollah, the Islamic Resistance in Iraq, Fatemiyoun, the
generic «pro-Iran militias») and ISIS are IMG, transnational militarized groups; NGOs, news agencies and
SOHR's director are OTHER.
"""

from __future__ import annotations

import functools
import json
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Generic, Literal, Protocol, TypeVar, cast, get_args, overload

from summarizer.arabic import lexicon as lx
from summarizer.arabic.normalize import normalize_ar_loose, split_proclitics
from summarizer.errors import ConfigError
from summarizer.schema import Actor, Location, Role, Sector
from summarizer.script import has_arabic

__all__ = [
    "ENV_VAR",
    "ActorEntry",
    "Gazetteer",
    "Place",
    "PlaceLike",
    "PlaceLookup",
    "ResolvedPlace",
    "actor_key",
    "actor_tokens",
    "ar_key",
    "canonical_actor",
    "default_gazetteer",
    "en_key",
    "name_key",
    "names_match",
    "place_key",
    "resolve_place",
]

#: Environment variable naming a user gazetteer file, read by :meth:`Gazetteer.load`.
ENV_VAR = "SUMMARIZER_GAZETTEER"

PlaceKind = Literal[
    "country",
    "governorate",
    "region",
    "city",
    "town",
    "village",
    "neighborhood",
    "base",
    "airport",
    "oil_field",
    "gas_field",
]
_PLACE_KINDS = frozenset(get_args(PlaceKind))
_SECTORS = frozenset(get_args(Sector))


@dataclass(frozen=True)
class Place:
    """A place, with its names in both scripts and where it lies."""

    name_en: str
    """Stable English name, e.g. ``"Albu Kamal"``."""
    name_ar: str
    """Usual Arabic name, e.g. ``"البوكمال"``."""
    kind: PlaceKind
    """What sort of place it is."""
    admin1_en: str | None
    """Governorate/province it lies in (for a governorate, its own name), or None."""
    country_en: str | None
    """Country it lies in (for a country, its own name), or None for regions spanning countries."""
    precision: Literal[1, 2, 3]
    """ACLED geo precision the place implies: 1 the place itself, 2 part of a region, 3 larger."""
    variants_ar: tuple[str, ...] = ()
    """Other Arabic spellings."""
    variants_en: tuple[str, ...] = ()
    """Other English spellings."""
    needs_context: bool = False
    """The name is also a common word: :meth:`Gazetteer.find_places` wants a place word before it."""

    def to_location(self, name_ar: str | None = None) -> Location:
        """This place as the schema's :class:`~summarizer.schema.Location`.

        Args:
            name_ar: The Arabic name as the article writes it (defaults to :attr:`name_ar`).
        """
        return Location(
            name_en=self.name_en,
            name_ar=name_ar or self.name_ar,
            admin1_en=self.admin1_en,
            country_en=self.country_en,
            precision=self.precision,
        )


@dataclass(frozen=True)
class ActorEntry:
    """An actor (force, agency, group, outlet or person), with its names in both scripts."""

    name_en: str
    """Stable English name, e.g. ``"Syrian Democratic Forces (SDF)"``."""
    name_ar: str
    """Usual Arabic name."""
    sector: Sector
    """PLOVER sector code."""
    kind: str | None = None
    """Free-text kind: armed_force, government, militia, rebel_group, ngo, media, person…"""
    country_en: str | None = None
    """Country the actor belongs to, when there is one."""
    variants_ar: tuple[str, ...] = ()
    """Other Arabic names and spellings."""
    variants_en: tuple[str, ...] = ()
    """Other English names, abbreviations and spellings."""
    generic_ar: tuple[str, ...] = ()
    """Generic words that name this actor in an article that names it by a name of its own, though
    another entry owns them elsewhere: «قوات التحالف» is the US-led coalition, except in an article
    that names «تحالف دعم الشرعية في اليمن» (see :meth:`Gazetteer.generic_aliases`)."""

    def to_actor(self, role: Role, name_ar: str | None = None) -> Actor:
        """This actor as the schema's :class:`~summarizer.schema.Actor`.

        Args:
            role: ``"actor"`` or ``"target"``.
            name_ar: The Arabic name as the article writes it (defaults to :attr:`name_ar`).
        """
        return Actor(name_en=self.name_en, name_ar=name_ar or self.name_ar, role=role, sector=self.sector)


# --- keys -------------------------------------------------------------------------------------------------

_AR_FOLDS = (("اميرك", "امريك"), ("ميليش", "مليش"))
_EN_ARTICLES = frozenset({"al", "el", "the", "ad", "ar", "as", "ash", "at", "az", "an", "ed", "es", "ez"})
_EN_SPLIT = re.compile(r"[^a-z0-9]+")


def ar_key(text: str) -> str:
    """The key under which the gazetteer files an Arabic name:
    :func:`~summarizer.arabic.normalize.normalize_ar_loose`
    with «أميركي» folded into «أمريكي» and «ميليشيا» into «مليشيا». Words stay apart, so the key of a
    running text can be split into the keys of its words."""
    key = normalize_ar_loose(text)
    for old, new in _AR_FOLDS:
        key = key.replace(old, new)
    return key


def en_key(text: str) -> str:
    """The key under which the gazetteer files an English name: lower case, accents, punctuation and
    non-Latin letters off, initials joined («U.S.» → ``us``) and the articles al/el/the/… dropped
    («al-Mayadin» → ``mayadin``), unless the name is nothing but articles."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    plain = plain.replace("'", "").replace("’", "")
    tokens = [t for t in _EN_SPLIT.split(plain) if t]
    # Initials: «U.S.» → «u s» → «us».
    out: list[str] = []
    run: list[str] = []
    for tok in tokens:
        if len(tok) == 1 and tok.isalpha():
            run.append(tok)
            continue
        if run:
            out.append("".join(run))
            run = []
        out.append(tok)
    if run:
        out.append("".join(run))
    kept = [t for t in out if t not in _EN_ARTICLES]
    return " ".join(kept or out)


def name_key(name: str) -> str:
    """:func:`ar_key` of a name with Arabic letters, else :func:`en_key`."""
    return ar_key(name) if has_arabic(name) else en_key(name)


# --- the gazetteer ----------------------------------------------------------------------------------------

_E = TypeVar("_E", Place, ActorEntry)


class _Index(Generic[_E]):
    """Spellings → entries, plus a first-word index for scanning running text."""

    def __init__(self) -> None:
        self.by_key: dict[str, _E] = {}
        self.by_first: dict[str, list[tuple[tuple[str, ...], _E]]] = {}
        self.outlets: set[tuple[str, ...]] = set()
        """Word keys of media outlets' Arabic names: after «موقع» they name a website, not a place."""

    def add(self, entry: _E, override: bool) -> None:
        for name in (entry.name_en, *entry.variants_en):
            self._put(en_key(name), entry, override)
        for name in (entry.name_ar, *entry.variants_ar):
            key = ar_key(name)
            self._put(key, entry, override)
            if key.startswith("ال") and " " not in key and len(key) > 4:
                self._put(key[2:], entry, override=False)  # «الميادين» also «ميادين»
            words = tuple(key.split(" "))
            bucket = self.by_first.setdefault(words[0], [])
            bucket[:] = [(w, e) for w, e in bucket if not (w == words and override)]
            if all(w != words for w, _ in bucket):
                bucket.append((words, entry))
                bucket.sort(key=lambda item: -len(item[0]))

    def _put(self, key: str, entry: _E, override: bool) -> None:
        if key and (override or key not in self.by_key):
            self.by_key[key] = entry

    def lookup(self, name: str) -> _E | None:
        name = name.strip()
        if not name:
            return None
        if not has_arabic(name):
            return self.by_key.get(en_key(name))
        key = ar_key(name)
        found = self.by_key.get(key)
        if found is not None:
            return found
        first, _, rest = key.partition(" ")
        for prefix, stem in split_proclitics(first)[1:]:
            if prefix.endswith("ال") and not prefix.endswith("لل"):
                continue
            found = self.by_key.get(f"{stem} {rest}".strip())
            if found is not None:
                return found
        return None

    def scan(self, text: str) -> Iterator[tuple[int, _E]]:
        """Entries mentioned in ``text`` (longest match at each word), with their word positions."""
        for i, _n, entry in self.spans(text):
            yield i, entry

    def spans(self, text: str) -> Iterator[tuple[int, int, _E]]:
        """Entries mentioned in ``text`` (longest match at each word): word position, length, entry."""
        words = ar_key(text).split(" ")
        i = 0
        while i < len(words):
            best: tuple[int, _E] | None = None
            for prefix, stem in split_proclitics(words[i]):
                if prefix.endswith("ال") and not prefix.endswith("لل"):
                    continue
                for key_words, entry in self.by_first.get(stem, ()):
                    n = len(key_words)
                    if best is not None and n <= best[0]:
                        break
                    if tuple(words[i + 1 : i + n]) != key_words[1:]:
                        continue
                    if not self._context_ok(words, i, prefix, key_words, entry):
                        continue
                    best = (n, entry)
            if best is None:
                i += 1
                continue
            yield i, best[0], best[1]
            i += best[0]

    def _context_ok(
        self, words: list[str], i: int, prefix: str, key_words: tuple[str, ...], entry: _E
    ) -> bool:
        """Whether the words around a match make it a mention of ``entry`` (see ``find_places``)."""
        before = words[i - 1] if i > 0 else ""
        if isinstance(entry, ActorEntry):
            # «مدينة الميادين» is the town, not the channel.
            return not (len(key_words) == 1 and not prefix and before in lx.PLACE_NOUNS)
        # «قناة الميادين» is the channel; «موقع» is a website only before an outlet's name («موقع
        # الميادين»), elsewhere a post or site («استهداف موقع المطلة»)
        if not prefix and before in lx.MEDIA_NOUNS and (before != "موقع" or key_words in self.outlets):
            return False
        # «موالين لطهران», «مدعومة من إيران»: an allegiance, not a place.
        if before.startswith(lx.ALLEGIANCE_PREFIXES) or (
            before in ("من", "مع") and i > 1 and words[i - 2].startswith(lx.ALLEGIANCE_PREFIXES)
        ):
            return False
        if not entry.needs_context or key_words[0] in lx.PLACE_CUES:
            return True
        return any(stem in lx.PLACE_CUES for _, stem in split_proclitics(before)) if before else False


class Gazetteer:
    """Places and actors, looked up by any listed spelling in Arabic or English.

    Build one with :meth:`load` (or use :func:`default_gazetteer`).
    """

    def __init__(
        self,
        places: Iterable[Place] = (),
        actors: Iterable[ActorEntry] = (),
        *,
        preferred: Iterable[str] = (),
    ) -> None:
        """Index ``places`` and ``actors``.

        Args:
            places: The places.
            actors: The actors.
            preferred: ``name_en`` of entries (a user file's) whose spellings win when two entries
                claim the same spelling; otherwise the first entry listed keeps it.
        """
        self._places: tuple[Place, ...] = tuple(places)
        self._actors: tuple[ActorEntry, ...] = tuple(actors)
        wins = {name.casefold() for name in preferred}
        self._place_index: _Index[Place] = _Index()
        self._actor_index: _Index[ActorEntry] = _Index()
        for place in self._places:
            self._place_index.add(place, override=place.name_en.casefold() in wins)
        for actor in self._actors:
            self._actor_index.add(actor, override=actor.name_en.casefold() in wins)
        self._place_index.outlets = {
            tuple(ar_key(name).split(" "))
            for actor in self._actors
            if actor.kind == "media"
            for name in (actor.name_ar, *actor.variants_ar)
        }

    @property
    def places(self) -> tuple[Place, ...]:
        """Every place, shipped entries first."""
        return self._places

    @property
    def actors(self) -> tuple[ActorEntry, ...]:
        """Every actor, shipped entries first."""
        return self._actors

    @classmethod
    def from_data(
        cls, data: dict[str, Any], extra: dict[str, Any] | None = None, *, source: str = "<data>"
    ) -> Gazetteer:
        """Build a gazetteer from parsed JSON (see the module docstring), ``extra`` overriding ``data``."""
        places = _parse_places(data, source)
        actors = _parse_actors(data, source)
        extra_places: list[Place] = []
        extra_actors: list[ActorEntry] = []
        if extra is not None:
            extra_places = _parse_places(extra, "extra")
            extra_actors = _parse_actors(extra, "extra")
        return cls(
            _merge(places, extra_places),
            _merge(actors, extra_actors),
            preferred=[p.name_en for p in extra_places] + [a.name_en for a in extra_actors],
        )

    @classmethod
    def load(cls, extra: str | Path | None = None) -> Gazetteer:
        """The shipped gazetteer, extended and overridden by a user file.

        Args:
            extra: A JSON file in the same format. When None, the file named by the environment
                variable ``SUMMARIZER_GAZETTEER`` is used, if it is set.

        Raises:
            ConfigError: The user file is missing, not JSON, or not in the documented format.
        """
        shipped = resources.files("summarizer").joinpath("data/gazetteer.json").read_text(encoding="utf-8")
        data = json.loads(shipped)
        if extra is None:
            extra = os.environ.get(ENV_VAR) or None
        extra_data: dict[str, Any] | None = None
        if extra is not None:
            path = Path(extra).expanduser()
            try:
                extra_data = json.loads(path.read_text(encoding="utf-8"))
            except OSError as e:
                raise ConfigError(f"cannot read gazetteer file {path}: {e.strerror or e}") from e
            except json.JSONDecodeError as e:
                raise ConfigError(f"gazetteer file {path} is not valid JSON: {e}") from e
            if not isinstance(extra_data, dict):
                raise ConfigError(
                    f"gazetteer file {path} must hold a JSON object with 'places' and/or 'actors'"
                )
        try:
            return cls.from_data(data, extra_data)
        except ConfigError as e:
            if extra is not None:
                raise ConfigError(f"{e} (in {extra})") from e
            raise

    def place(self, name: str) -> Place | None:
        """The place called ``name`` (any listed spelling, Arabic or English), or None."""
        return self._place_index.lookup(name)

    def actor(self, name: str) -> ActorEntry | None:
        """The actor called ``name`` (any listed name or spelling, Arabic or English), or None."""
        return self._actor_index.lookup(name)

    def find_places(self, text: str) -> list[Place]:
        """Places mentioned in an Arabic text, in order of first mention, each once.

        At each word the longest listed name wins («ريف دير الزور الشرقي» over «دير الزور», «محافظة
        دير الزور» over «دير الزور»). Names that are also common words (``needs_context``) count only
        after a place word (مدينة, في, قرب…); a name right after «قناة»/«وكالة» is an outlet, not a place.
        """
        return _unique(entry for _, entry in self._place_index.scan(text))

    def place_mentions(self, text: str) -> list[tuple[Place, bool]]:
        """Every place mention of an Arabic text in order, with whether it is locative: after «في»,
        «قرب», «داخل», a direction («شرقي»…) or with «ب» attached («بدير الزور»). «من الولايات المتحدة»
        (from the United States) names an origin, «في العراق» a place where something happens, and so
        does «سوريا» in «في العراق وسوريا»."""
        words = ar_key(text).split(" ")
        out: list[tuple[Place, bool]] = []
        last = -9  # word position of the previous mention
        # a place inside an actor's name («المقاومة الإسلامية في العراق») is part of the name
        named = {k for at, n, _a in self._actor_index.spans(text) for k in range(at + 1, at + n)}
        for i, entry in self._place_index.scan(text):
            if i in named:
                continue
            readings = split_proclitics(words[i])[1:]
            attached = any(prefix.startswith(("ب", "وب", "فب")) for prefix, _ in readings)
            before = split_proclitics(words[i - 1]) if i > 0 else []
            here = attached or any(stem in lx.LOCATIVE_WORDS for _, stem in before)
            # «ضربات جوية محدودة على سوريا»: «على» after a strike is where it landed
            if not here and i > 1 and words[i - 1] in lx.ON_WORDS:
                here = any(
                    stem in lx.STRIKES_ON
                    for w in words[max(0, i - 5) : i - 1]
                    for _, stem in split_proclitics(w)
                )
            # «في العراق وسوريا»: a place joined by «و» to a locative one right before it is locative too
            if not here and out and out[-1][1] and i - last <= 3 and words[i].startswith("و"):
                here = True
            out.append((entry, here))
            last = i
        return out

    def actor_spans(self, text: str) -> list[tuple[int, int, ActorEntry]]:
        """Every actor mention of an Arabic text in order: word position, length in words, entry."""
        return list(self._actor_index.spans(text))

    def actor_mentions(self, text: str) -> list[tuple[int, ActorEntry]]:
        """Every actor mention of an Arabic text in order, with the word position it starts at."""
        return list(self._actor_index.scan(text))

    def find_actors(self, text: str) -> list[ActorEntry]:
        """Actors named in an Arabic text, in order of first mention, each once (longest name wins)."""
        return _unique(entry for _, entry in self._actor_index.scan(text))

    def generic_aliases(self, texts: Iterable[str]) -> dict[str, ActorEntry]:
        """Which actors an article's generic words stand for: ``name_en`` of the actor a generic word
        finds («قوات التحالف»: the US-led coalition) → the actor the article means by it, when the
        article names that actor by a name of its own («تحالف دعم الشرعية في اليمن») and names the
        other only by the generic words the first lists in ``generic_ar``."""
        said: dict[str, set[str]] = {}
        entries: dict[str, ActorEntry] = {}
        for text in texts:
            words = ar_key(text).split(" ")
            for i, n, entry in self._actor_index.spans(text):
                said.setdefault(entry.name_en, set()).add(" ".join(words[i : i + n]))
                entries[entry.name_en] = entry
        out: dict[str, ActorEntry] = {}
        for owner in entries.values():
            generic = {ar_key(g) for g in owner.generic_ar}
            if not generic or said[owner.name_en] <= generic:
                continue  # named only by generic words itself: nothing to go on
            for name, forms in said.items():
                if name != owner.name_en and forms <= generic:
                    out[name] = owner
        return out


def _unique(entries: Iterable[_E]) -> list[_E]:
    seen: set[str] = set()
    out: list[_E] = []
    for e in entries:
        if e.name_en not in seen:
            seen.add(e.name_en)
            out.append(e)
    return out


def _merge(base: list[_E], extra: list[_E]) -> list[_E]:
    replaced = {e.name_en.casefold() for e in extra}
    return [e for e in base if e.name_en.casefold() not in replaced] + extra


# --- identity: one place or one actor under different names -------------------------------------------
#
# Two callers compare names outside the gazetteer's own lookups, each with its own rule of how strict
# to be. The gold scorer (``summarizer.evaluation``) compares the gazetteer's keys: «Deir ez-Zor
# Governorate» and «Deir ez-Zor» are two places there. The digest (``summarizer.digest.merge``) merges
# what outlets wrote about one incident and is spelling-tolerant: kind words («governorate»,
# «city») and articles are dropped, and it also works with a minimal gazetteer (:class:`PlaceLookup`)
# or none. ``loose`` selects the digest's rule where the two differ.


class PlaceLike(Protocol):
    """What name matching reads from a place entry (:class:`Place` has it)."""

    @property
    def name_en(self) -> str: ...

    @property
    def admin1_en(self) -> str | None: ...


class PlaceLookup(Protocol):
    """What name matching needs from a gazetteer: a place looked up by any of its names.

    :class:`Gazetteer` is one. A lookup that also has ``actor(name)`` returning an entry with a
    ``name_en`` (as :class:`Gazetteer` does) is used to recognize one actor under different names too
    (:func:`canonical_actor`); one whose place entries also have ``country_en`` and ``kind`` (as
    :class:`Place` does) tells :func:`resolve_place` which country a place lies in.
    """

    def place(self, name: str) -> PlaceLike | None: ...


#: Arabic articles and connectives in transliterated names, and words that only say what kind of place.
# fmt: off
_PLACE_NOISE = frozenset([
    "al", "el", "an", "ad", "ar", "as", "ash", "at", "az", "ez", "es", "the", "of",
    "governorate", "province", "city", "town", "district",
])
# fmt: on
_AR_DIACRITICS = re.compile(r"[\u064B-\u065F\u0670\u0640]")


def _fold_latin(text: str) -> str:
    """Lower case, accents and the apostrophes and ayn/hamza marks of transliterations off."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[’'`ʿʾ‘]", "", text.lower())


def _loose_ar_key(text: str) -> str:
    """An Arabic name with diacritics, hamza seats, «ال» and spaces off: «الـحسكة» = «حسكه»."""
    text = _AR_DIACRITICS.sub("", unicodedata.normalize("NFKC", text))
    text = re.sub("[إأآٱ]", "ا", text).replace("ة", "ه").replace("ى", "ي")
    words = [
        w[2:] if w.startswith("ال") and len(w) > 3 else w for w in re.split(r"[^\u0621-\u064A0-9]+", text)
    ]
    return "".join(w for w in words if w)


def place_key(name: str | None) -> str | None:
    """A spelling-tolerant key of an English place name, or None when nothing of it is left.

    Case, accents, spacing, hyphens, articles (al-, ez-…) and words that only say what kind of place
    it is (governorate, city…) do not count: ``al-Omar Oil Field`` = ``Omar oilfield``, ``Deir ez-Zor
    governorate`` = ``Deir ez-Zor``. Arabic letters are not part of it (see :func:`resolve_place`).
    """
    if not name:
        return None
    tokens = [t for t in re.split(r"[^0-9a-z]+", _fold_latin(name)) if t and t not in _PLACE_NOISE]
    return "".join(tokens) or None


@dataclass(frozen=True)
class ResolvedPlace:
    """Where an event happened, as keys to compare with another event's place (see :func:`resolve_place`)."""

    key: str | None
    """Key of the place: of the gazetteer's name when it knows the place, else of the name as
    written. None only with ``loose`` (no name gives a key)."""
    admin1: str | None = None
    """Key of the governorate/province it lies in (for a governorate, its own), or None."""
    country: str | None = None
    """Key of the country it lies in (for a country, its own), or None."""
    is_country: bool = False
    """The place is a whole country."""
    region: bool = False
    """Placed only at governorate level or wider (ACLED precision 3)."""
    name_en: str | None = None
    """English name: the gazetteer's when it knows the place, else as written."""
    name_ar: str | None = None
    """Arabic name as written."""
    admin1_en: str | None = None
    """Governorate/province, as the key :attr:`admin1` was made from."""


@overload
def resolve_place(
    gazetteer: PlaceLookup | None,
    name_en: str | None,
    name_ar: str | None = ...,
    *,
    admin1_en: str | None = ...,
    country_en: str | None = ...,
    precision: int | None = ...,
    loose: Literal[True],
) -> ResolvedPlace: ...


@overload
def resolve_place(
    gazetteer: PlaceLookup | None,
    name_en: str | None,
    name_ar: str | None = ...,
    *,
    admin1_en: str | None = ...,
    country_en: str | None = ...,
    precision: int | None = ...,
    loose: bool = ...,
) -> ResolvedPlace | None: ...


def resolve_place(
    gazetteer: PlaceLookup | None,
    name_en: str | None,
    name_ar: str | None = None,
    *,
    admin1_en: str | None = None,
    country_en: str | None = None,
    precision: int | None = None,
    loose: bool = False,
) -> ResolvedPlace | None:
    """A place named in English and/or Arabic, looked up in ``gazetteer`` (English name first), as keys.

    Args:
        gazetteer: Where to look the names up; None compares the names as written.
        name_en: The English name (or a name in either script, e.g. one of a gold place's ``also``).
        name_ar: The Arabic name.
        admin1_en: The governorate the event gives.
        country_en: The country the event gives.
        precision: The event's ACLED geo precision (3: placed only at governorate level or wider).
        loose: The rule of the caller (see the section comment above). False (the gold scorer): keys
            are :func:`en_key` of the gazetteer's names, governorate and country those of the
            gazetteer's entry; an unknown place is keyed by its first name (:func:`name_key`, either
            script) with the governorate and country given; with no name, the place is the country
            given, else None. True (the digest): keys are :func:`place_key` of the English name (the
            gazetteer's when it knows either name) or, failing that, ``"ar:"`` and the Arabic name
            without diacritics, «ال» and spaces; the governorate is the gazetteer's, else the one
            given; the place is a country when its key is the given country's; never None.
    """
    lookup = gazetteer.place if gazetteer is not None else None
    found: PlaceLike | None = None
    for candidate in (name_en, name_ar):
        found = lookup(candidate) if lookup is not None and candidate else None
        if found is not None:
            break
    region = precision == 3
    if loose:
        if found is not None:
            name_en, admin1_en = found.name_en, found.admin1_en or admin1_en
        key = place_key(name_en)
        if key is None and name_ar:
            folded = _loose_ar_key(name_ar)
            key = "ar:" + folded if folded else None
        country = place_key(country_en)
        return ResolvedPlace(
            key,
            place_key(admin1_en),
            country,
            key is not None and key == country,
            region,
            name_en,
            name_ar,
            admin1_en,
        )
    if found is not None:
        found_country: str | None = getattr(found, "country_en", None)
        return ResolvedPlace(
            en_key(found.name_en),
            en_key(found.admin1_en) if found.admin1_en else None,
            en_key(found_country) if found_country else None,
            getattr(found, "kind", None) == "country",
            region,
            found.name_en,
            name_ar,
            found.admin1_en,
        )
    first = name_en or name_ar
    if first:
        return ResolvedPlace(
            name_key(first),
            en_key(admin1_en) if admin1_en else None,
            en_key(country_en) if country_en else None,
            False,
            region,
            name_en,
            name_ar,
            admin1_en,
        )
    if country_en:
        return resolve_place(gazetteer, country_en)
    return None


_ACTOR_REWRITES = (
    (re.compile(r"\bu\.\s?s\.(?:\s?a\.)?"), "us "),
    (re.compile(r"\bunited states(?: of america)?\b"), "us"),
    (re.compile(r"\bcentral command\b"), "centcom"),
)
_ACTOR_ALIASES = {
    "american": "us",
    "america": "us",
    "usa": "us",
    "pentagon": "us",
    "centcom": "us",
    "iranian": "iran",
    "irgc": "iran",
    "syrian": "syria",
    "iraqi": "iraq",
    "israeli": "israel",
    "russian": "russia",
    "turkish": "turkey",
    "kurdish": "kurd",
    "kurds": "kurd",
}
#: Words that say what kind of party, not which one.
# fmt: off
_ACTOR_NOISE = frozenset([
    "the", "of", "and", "in", "for", "on", "to", "by", "a", "an", "al", "el",
    "pro", "backed", "affiliated", "aligned", "allied", "linked", "led", "supported", "loyal", "sponsored",
    "force", "forces", "group", "groups", "fighter", "fighters", "militia", "militias", "militiamen",
    "member", "members", "troop", "troops", "soldier", "soldiers", "personnel", "unit", "units",
    "faction", "factions", "armed", "military",
])
# fmt: on
_ACRONYM_SKIP = frozenset(["of", "for", "the", "and", "in", "on", "al", "el"])


def actor_tokens(name: str) -> frozenset[str]:
    """The significant words of an actor's English name, with national variants unified: «U.S.
    forces» and «American troops» are both ``{"us"}``, «IRGC-affiliated groups» is ``{"iran"}``."""
    text = _fold_latin(name)
    for pattern, repl in _ACTOR_REWRITES:
        text = pattern.sub(repl, text)
    out = set()
    for token in re.split(r"[^0-9a-z]+", text):
        token = _ACTOR_ALIASES.get(token, token)
        if token and token not in _ACTOR_NOISE:
            out.add(token)
    return frozenset(out)


def _acronym(name: str) -> str:
    words = [w for w in re.split(r"[^0-9A-Za-z]+", _fold_latin(name)) if w and w not in _ACRONYM_SKIP]
    return "".join(w[0] for w in words)


def _is_acronym_of(short: str, long: str) -> bool:
    short = short.strip()
    return 2 <= len(short) <= 8 and short.isupper() and short.isalpha() and short.lower() == _acronym(long)


def canonical_actor(name: str, gazetteer: PlaceLookup | None) -> str | None:
    """The gazetteer's stable English name of the actor called ``name``, when it knows the actor (a
    lookup without ``actor(name)`` knows none)."""
    lookup = getattr(gazetteer, "actor", None)
    if lookup is None:
        return None
    entry = lookup(name)
    value = getattr(entry, "name_en", None)
    return value if isinstance(value, str) else None


def names_match(a: str, b: str, gazetteer: PlaceLookup | None = None) -> bool:
    """True when two English names plausibly name the same party.

    When the gazetteer knows both names, it decides (two different entries never match). Otherwise
    one is the other's acronym (SOHR, SDF, IRGC), or the significant words of one
    (:func:`actor_tokens`) are all among the other's: «U.S. forces» = «American troops».
    """
    ca, cb = canonical_actor(a, gazetteer), canonical_actor(b, gazetteer)
    if ca is not None and cb is not None:
        return ca == cb
    if _is_acronym_of(a, b) or _is_acronym_of(b, a):
        return True
    ta, tb = actor_tokens(a), actor_tokens(b)
    return bool(ta and tb) and (ta <= tb or tb <= ta)


def actor_key(name: str, gazetteer: PlaceLookup | None = None, *, loose: bool = False) -> str:
    """A key under which the names of one actor agree, in English or Arabic.

    Args:
        name: The actor's name.
        gazetteer: When it knows the actor, the key is that of its stable English name.
        loose: False (the gold scorer): :func:`en_key` of the gazetteer's name, else :func:`name_key`
            of ``name``. True (the digest, grouping attackers, targets and speakers): ``"gazetteer:"``
            and the gazetteer's name, else the significant words of ``name`` (:func:`actor_tokens`)
            sorted, else ``name`` lower-cased without accents.
    """
    canonical = canonical_actor(name, gazetteer)
    if not loose:
        return en_key(canonical) if canonical is not None else name_key(name)
    if canonical is not None:
        return "gazetteer:" + canonical
    tokens = actor_tokens(name)
    return " ".join(sorted(tokens)) if tokens else _fold_latin(name).strip()


# --- parsing ----------------------------------------------------------------------------------------------


def _entries(data: dict[str, Any], field: str, source: str) -> list[dict[str, Any]]:
    items = data.get(field, [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ConfigError(f"gazetteer {source}: '{field}' must be a list of objects")
    return cast(list[dict[str, Any]], items)


def _str(item: dict[str, Any], field: str, where: str, *, required: bool = True) -> str | None:
    value = item.get(field)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"gazetteer {where}: '{field}' must be a non-empty string")
    return value.strip()


def _strs(item: dict[str, Any], field: str, where: str) -> tuple[str, ...]:
    value = item.get(field, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"gazetteer {where}: '{field}' must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _parse_places(data: dict[str, Any], source: str) -> list[Place]:
    places = []
    for n, item in enumerate(_entries(data, "places", source)):
        where = f"{source} places[{n}] ({item.get('name_en', '?')})"
        kind = item.get("kind")
        if kind not in _PLACE_KINDS:
            raise ConfigError(f"gazetteer {where}: 'kind' must be one of {', '.join(sorted(_PLACE_KINDS))}")
        precision = item.get("precision")
        if precision not in (1, 2, 3):
            raise ConfigError(f"gazetteer {where}: 'precision' must be 1, 2 or 3")
        places.append(
            Place(
                name_en=cast(str, _str(item, "name_en", where)),
                name_ar=cast(str, _str(item, "name_ar", where)),
                kind=cast(PlaceKind, kind),
                admin1_en=_str(item, "admin1_en", where, required=False),
                country_en=_str(item, "country_en", where, required=False),
                precision=cast(Literal[1, 2, 3], precision),
                variants_ar=_strs(item, "variants_ar", where),
                variants_en=_strs(item, "variants_en", where),
                needs_context=bool(item.get("needs_context", False)),
            )
        )
    return places


def _parse_actors(data: dict[str, Any], source: str) -> list[ActorEntry]:
    actors = []
    for n, item in enumerate(_entries(data, "actors", source)):
        where = f"{source} actors[{n}] ({item.get('name_en', '?')})"
        sector = item.get("sector")
        if sector not in _SECTORS:
            raise ConfigError(f"gazetteer {where}: 'sector' must be one of {', '.join(sorted(_SECTORS))}")
        actors.append(
            ActorEntry(
                name_en=cast(str, _str(item, "name_en", where)),
                name_ar=cast(str, _str(item, "name_ar", where)),
                sector=cast(Sector, sector),
                kind=_str(item, "kind", where, required=False),
                country_en=_str(item, "country_en", where, required=False),
                variants_ar=_strs(item, "variants_ar", where),
                variants_en=_strs(item, "variants_en", where),
                generic_ar=_strs(item, "generic_ar", where),
            )
        )
    return actors


@functools.lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The shipped gazetteer plus ``$SUMMARIZER_GAZETTEER``, loaded once and cached.

    The environment is read on the first call; call ``default_gazetteer.cache_clear()`` after
    changing it.
    """
    return Gazetteer.load()
