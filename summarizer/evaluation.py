"""Quality evaluation: brief the articles of a hand-written gold set and score the briefs.

The gold format, the matching rules and every metric are documented in ``docs/eval.md``; in short:

* :func:`load_gold` and :func:`load_gold_dir` read and validate gold files (:class:`GoldArticle`), one
  JSON file per article, named after the article. Every problem is a :class:`GoldError` naming the
  file and the field.
* :func:`score` compares one brief with its gold article. It needs no model: events are matched one
  to one (place and category must agree), then field accuracy, key-fact coverage of each summary,
  grounded evidence, warnings, time and tokens are measured.
* :func:`evaluate` briefs every article of a gold directory through :mod:`summarizer.api` (the brief
  cache is used unless ``cache=False``) or a ``brief_fn`` of your own, scores each brief, and sums up
  (micro averages). An article that fails is reported and the others go on.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    computed_field,
    field_validator,
    model_validator,
)

from summarizer.arabic.gazetteer import Gazetteer, ResolvedPlace, actor_key, default_gazetteer, resolve_place
from summarizer.arabic.normalize import normalize_ar, normalize_ar_loose, split_proclitics
from summarizer.errors import InputError, SummarizerError, one_line
from summarizer.schema import (
    ArticleBrief,
    Event,
    EventType,
    Location,
    Role,
    Status,
    SubEventType,
    Usage,
    event_type_of,
)
from summarizer.script import has_arabic

if TYPE_CHECKING:
    from summarizer.config import Settings
    from summarizer.llm.backends import Backend

__all__ = [
    "FIELDS",
    "SPLITS",
    "ArticleScore",
    "EvalReport",
    "EventMatch",
    "GoldActor",
    "GoldArticle",
    "GoldError",
    "GoldEvent",
    "GoldFact",
    "GoldFigure",
    "GoldPlace",
    "Overall",
    "Ratio",
    "Split",
    "article_path",
    "evaluate",
    "fact_covered",
    "format_report",
    "load_gold",
    "load_gold_dir",
    "score",
]

GOLD_VERSION = 1
MatchOn = Literal["event_type", "sub_event_type"]
#: Which part of the gold set an article belongs to: ``tune`` (look at it while improving the pipeline)
#: or ``heldout`` (kept aside to check that improvements generalize).
Split = Literal["tune", "heldout"]
#: The splits, in report order.
SPLITS: tuple[Split, ...] = ("tune", "heldout")

#: Fields scored on matched events, in report order (``actors_any`` and ``figures`` are extras).
FIELDS: tuple[str, ...] = (
    "sub_event_type",
    "status",
    "date",
    "place",
    "killed",
    "injured",
    "actors",
    "actors_any",
    "figures",
)


class GoldError(InputError):
    """A gold directory or gold file is missing or invalid (the message names the file and the field)."""


# --- the gold format --------------------------------------------------------------------------------------


def _as_list(value: Any) -> Any:
    """``null`` → ``[]``, a single value → ``[value]``, a list stays a list."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    return [value]


def _drop_only_nulls(values: list[Any]) -> list[Any]:
    return [] if all(v is None for v in values) else values


_Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
_Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]
_DATE_RE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
_Count = Annotated[int, Field(ge=0)]


class _Gold(BaseModel):
    model_config = ConfigDict(extra="forbid")


class GoldPlace(_Gold):
    """Where a gold event happened: a gazetteer place, and other places that are as right."""

    name_en: _Text | None = Field(default=None, description="English name, as in the gazetteer.")
    name_ar: _Text | None = Field(default=None, description="The article's Arabic words for the place.")
    also: list[_Text] = Field(
        default_factory=list,
        description="Other places (English or Arabic) that are as right: the event happened at several.",
    )

    @model_validator(mode="after")
    def _named(self) -> GoldPlace:
        if not self.name_en and not self.name_ar:
            raise ValueError("a place needs name_en or name_ar")
        return self

    def names(self) -> list[str]:
        return [n for n in (self.name_en, self.name_ar) if n] + list(self.also)


class GoldActor(_Gold):
    """A party to a gold event (role is informative: roles are not scored)."""

    name_en: _Text = Field(description="English name, as in the gazetteer's actors.")
    name_ar: _Text | None = Field(default=None, description="The article's Arabic words for the actor.")
    role: Role | None = Field(default=None, description="'actor' or 'target'.")
    also: list[_Text] = Field(default_factory=list, description="Other names that count as this actor.")

    def names(self) -> list[str]:
        return [n for n in (self.name_en, self.name_ar) if n] + list(self.also)


class GoldFigure(_Gold):
    """One casualty figure the article gives, with who gave it."""

    killed: _Count | None = None
    injured: _Count | None = None
    group: _Text | None = Field(default=None, description="Who the casualties were.")
    according_to: _Text | None = Field(default=None, description="Who gave the figure (English name).")
    via: _Text | None = Field(default=None, description="Who relayed it (e.g. 'AFP').")
    superseded: bool = Field(default=False, description="An earlier toll the article replaces: not scored.")

    @model_validator(mode="after")
    def _some_figure(self) -> GoldFigure:
        if self.killed is None and self.injured is None:
            raise ValueError("a casualty report needs killed or injured")
        return self


class GoldEvent(_Gold):
    """One incident or statement of the article, as an editor would code it."""

    id: _Slug = Field(description="Short name for reports, e.g. 'hasakah-drone-attack'.")
    optional: bool = Field(
        default=False, description="Background or minor: matching it is fine, missing it is not an error."
    )
    event_type: EventType
    sub_event_type: Annotated[list[SubEventType], BeforeValidator(_as_list)] = Field(min_length=1)
    status: Annotated[list[Status], BeforeValidator(_as_list)] = Field(min_length=1)
    date: Annotated[list[str | None], BeforeValidator(_as_list)] = Field(default_factory=list)
    place: GoldPlace | None = None
    actors: list[GoldActor] = Field(default_factory=list)
    killed: Annotated[list[_Count | None], BeforeValidator(_as_list)] = Field(default_factory=list)
    injured: Annotated[list[_Count | None], BeforeValidator(_as_list)] = Field(default_factory=list)
    casualty_reports: list[GoldFigure] = Field(default_factory=list)
    according_to: list[_Text] = Field(default_factory=list)
    evidence: list[_Text] = Field(min_length=1)
    note: str | None = None

    @field_validator("date")
    @classmethod
    def _dates(cls, values: list[str | None]) -> list[str | None]:
        for value in values:
            if value is None:
                continue
            m = _DATE_RE.match(value)
            try:
                if m is None:
                    raise ValueError
                dt.date(int(m[1]), int(m[2]), int(m[3] or 1))
            except ValueError:
                raise ValueError(f"date {value!r} is not YYYY-MM-DD or YYYY-MM") from None
        return _drop_only_nulls(values)

    @field_validator("killed", "injured")
    @classmethod
    def _figures(cls, values: list[int | None]) -> list[int | None]:
        return _drop_only_nulls(values)

    @model_validator(mode="after")
    def _consistent(self) -> GoldEvent:
        expected = event_type_of(self.sub_event_type[0])
        if self.event_type != expected:
            raise ValueError(
                f"event_type {self.event_type!r} does not fit sub_event_type {self.sub_event_type[0]!r} "
                f"(which belongs to {expected!r})"
            )
        return self


_Concept = Annotated[list[_Text], Field(min_length=1)]


class GoldFact(_Gold):
    """A fact an editor must see, with keywords that find it in each summary."""

    id: _Slug
    fact: _Text = Field(description="The fact in one English sentence, for people.")
    en: list[_Concept] = Field(min_length=1, description="Concepts, each a list of English alternatives.")
    ar: list[_Concept] = Field(min_length=1, description="Concepts, each a list of Arabic alternatives.")


class GoldArticle(_Gold):
    """The gold annotation of one article."""

    gold_version: Literal[1] = 1
    article: _Text = Field(description="Path of the article, relative to the gold file's folder.")
    published: dt.date
    source: _Text | None = None
    split: Split = Field(
        default="tune", description="'tune' (default) or 'heldout': reported apart (docs/eval.md, Splits)."
    )
    notes: str | None = None
    events: list[GoldEvent] = Field(default_factory=list)
    key_facts: list[GoldFact] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_ids(self) -> GoldArticle:
        for kind, ids in (
            ("event", [e.id for e in self.events]),
            ("key fact", [f.id for f in self.key_facts]),
        ):
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            if dupes:
                raise ValueError(f"{kind} id {dupes[0]!r} is used twice")
        return self

    @property
    def required_events(self) -> list[GoldEvent]:
        return [e for e in self.events if not e.optional]


def _loc(loc: Sequence[int | str]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _first_error(error: ValidationError) -> str:
    """One line for a validation error: where, what, and how many more."""
    errors = error.errors()
    first = errors[0]
    where = _loc([p for p in first["loc"] if not str(p).startswith(("function-", "list["))])
    msg = str(first["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    more = f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})" if len(errors) > 1 else ""
    return f"{where + ': ' if where else ''}{msg}{more}"


def load_gold(path: str | Path) -> GoldArticle:
    """Read and validate one gold file.

    Raises:
        GoldError: the file is missing, not JSON, not in the gold format, or not named after its
            article; the message names the file and the first problem.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise GoldError(f"{p}: no such gold file") from None
    except UnicodeDecodeError:
        raise GoldError(f"{p}: not UTF-8 text") from None
    except OSError as e:
        raise GoldError(f"{p}: cannot read ({e.strerror or e})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise GoldError(f"{p}: not valid JSON: {e.msg} (line {e.lineno}, column {e.colno})") from None
    if not isinstance(data, dict):
        raise GoldError(f"{p}: a gold file holds one JSON object")
    try:
        gold = GoldArticle.model_validate(data)
    except ValidationError as e:
        raise GoldError(f"{p}: {_first_error(e)}") from None
    if Path(gold.article).stem != p.stem:
        raise GoldError(
            f"{p}: names article {gold.article!r}, but a gold file is named after its article "
            f"({Path(gold.article).stem}.json)"
        )
    return gold


def load_gold_dir(gold_dir: str | Path, files: Iterable[str] | None = None) -> list[tuple[Path, GoldArticle]]:
    """Read and validate every ``*.json`` gold file of ``gold_dir`` (sorted by name).

    Args:
        gold_dir: The folder of gold files.
        files: Only these articles: gold file names, article file names or their common stem.

    Raises:
        GoldError: the folder is missing or has no gold file, a requested file has no gold file, or a
            gold file is invalid.
    """
    d = Path(gold_dir)
    if not d.exists():
        raise GoldError(f"{d}: no such gold directory")
    if not d.is_dir():
        raise GoldError(f"{d}: not a directory (give the folder of gold files)")
    paths = sorted(p for p in d.iterdir() if p.suffix.lower() == ".json" and p.is_file())
    if files is not None:
        wanted = {Path(f).stem: f for f in files}
        missing = [f for stem, f in wanted.items() if stem not in {p.stem for p in paths}]
        if missing:
            raise GoldError(f"{d}: no gold file for {missing[0]}")
        paths = [p for p in paths if p.stem in wanted]
    if not paths:
        raise GoldError(f"{d}: no gold files (*.json) in this directory")
    return [(p, load_gold(p)) for p in paths]


def article_path(gold_path: str | Path, gold: GoldArticle, corpus: str | Path | None = None) -> Path:
    """Where the article of a gold file is: ``corpus/<its file name>``, else relative to the gold file.

    An article kept with the gold set (a relative path inside the gold file's folder, such as
    ``articles/w01_....txt``) is read from there when ``corpus`` does not hold it.

    Raises:
        GoldError: the article is not there.
    """
    gold_path = Path(gold_path)
    rel = Path(gold.article)
    local = rel if rel.is_absolute() else gold_path.parent / rel
    p = local
    if corpus is not None:
        p = Path(corpus) / rel.name
        kept_with_gold = not rel.is_absolute() and ".." not in rel.parts
        if not p.is_file() and kept_with_gold and local.is_file():
            p = local
    if not p.is_file():
        hint = "" if corpus is not None else " (give the folder that holds it with --corpus DIR)"
        raise GoldError(f"{gold_path}: article {p} not found{hint}")
    return p


# --- scores -----------------------------------------------------------------------------------------------


class Ratio(BaseModel):
    """A fraction with its counts: ``value`` is ``hit / total``, or None when there is nothing to count."""

    hit: float = 0.0
    total: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def value(self) -> float | None:
        return round(self.hit / self.total, 4) if self.total else None

    def add(self, other: Ratio) -> Ratio:
        return Ratio(hit=self.hit + other.hit, total=self.total + other.total)


class EventMatch(BaseModel):
    """A gold event and the brief event matched to it, with the field scores (None: not scored)."""

    gold_id: str
    brief_index: int = Field(description="1-based position of the event in the brief.")
    optional: bool
    fields: dict[str, float | None]


class ArticleScore(BaseModel):
    """The scores of one article."""

    article: str
    gold_file: str | None = None
    split: Split = Field(default="tune", description="The gold file's split.")
    ok: bool = Field(default=True, description="A brief came back (False: the article failed).")
    error: str | None = None
    schema_valid: bool = False
    cached: bool | None = None
    events_gold: int = Field(default=0, description="Required gold events.")
    events_gold_optional: int = 0
    events_brief: int = 0
    precision: Ratio = Field(default_factory=Ratio, description="Matched brief events / brief events.")
    recall: Ratio = Field(default_factory=Ratio, description="Matched required gold events / required.")
    fields: dict[str, Ratio] = Field(default_factory=lambda: {f: Ratio() for f in FIELDS})
    facts_en: Ratio = Field(default_factory=Ratio)
    facts_ar: Ratio = Field(default_factory=Ratio)
    grounded: Ratio = Field(default_factory=Ratio, description="Evidence strings found in the article.")
    matches: list[EventMatch] = Field(default_factory=list)
    missed_events: list[str] = Field(default_factory=list, description="Required gold events not matched.")
    extra_events: list[str] = Field(default_factory=list, description="Brief events matching no gold event.")
    missing_facts_en: list[str] = Field(default_factory=list)
    missing_facts_ar: list[str] = Field(default_factory=list)
    ungrounded_evidence: list[str] = Field(default_factory=list)
    warnings: int = 0
    failed_steps: list[str] = Field(default_factory=list)
    elapsed_s: float | None = Field(default=None, description="meta.elapsed_s of the brief.")
    wall_s: float | None = Field(default=None, description="Seconds this evaluation spent on the article.")
    usage: Usage | None = None


class Overall(BaseModel):
    """Totals over all articles: ratios are micro averages (sums of hits over sums of totals)."""

    articles: int = 0
    briefed: int = 0
    failed: int = 0
    cached: int = 0
    schema_valid: Ratio = Field(default_factory=Ratio)
    precision: Ratio = Field(default_factory=Ratio)
    recall: Ratio = Field(default_factory=Ratio)
    fields: dict[str, Ratio] = Field(default_factory=lambda: {f: Ratio() for f in FIELDS})
    facts_en: Ratio = Field(default_factory=Ratio)
    facts_ar: Ratio = Field(default_factory=Ratio)
    grounded: Ratio = Field(default_factory=Ratio)
    warnings: int = 0
    elapsed_s: float = 0.0
    wall_s: float = 0.0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    calls: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def f1(self) -> float | None:
        p, r = self.precision.value, self.recall.value
        if p is None or r is None or p + r == 0:
            return None
        return round(2 * p * r / (p + r), 4)


class EvalReport(BaseModel):
    """What :func:`evaluate` returns: every article's scores and the overall ones."""

    gold_dir: str
    corpus: str | None = None
    match_on: MatchOn = "event_type"
    backend: str | None = None
    model: str | None = None
    prompt_version: str | None = None
    articles: list[ArticleScore]
    overall: Overall
    splits: dict[str, Overall] = Field(
        default_factory=dict,
        description="The overall scores of each split present ('tune', 'heldout'), in that order.",
    )


# --- places and actors ------------------------------------------------------------------------------------


def _brief_place(gaz: Gazetteer, loc: Location) -> ResolvedPlace | None:
    return resolve_place(gaz, loc.name_en, loc.name_ar, admin1_en=loc.admin1_en, country_en=loc.country_en)


def _gold_places(gaz: Gazetteer, place: GoldPlace | None) -> list[ResolvedPlace]:
    if place is None:
        return []
    primary = resolve_place(gaz, place.name_en, place.name_ar)
    others = [resolve_place(gaz, n) for n in place.also]
    return [p for p in [primary, *others] if p is not None]


def _place_agrees(gold: list[ResolvedPlace], brief: ResolvedPlace | None) -> bool:
    """Matching rule: the same place, the same governorate, or one side is the other's country."""
    if not gold:
        return True
    if brief is None:
        return False
    for g in gold:
        if g.key == brief.key or (g.admin1 is not None and g.admin1 == brief.admin1):
            return True
        if g.is_country and brief.country == g.key:
            return True
        if brief.is_country and g.country == brief.key:
            return True
    return False


# --- key facts --------------------------------------------------------------------------------------------

_INITIALS = re.compile(r"\b(?:[a-z]\.){2,}")
_LATIN_WORD = re.compile(r"[a-z0-9]+")


def _en_words(text: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    plain = _INITIALS.sub(lambda m: m.group().replace(".", ""), plain.replace("'", ""))
    return _LATIN_WORD.findall(plain)


def _ar_words(text: str) -> list[str]:
    return normalize_ar_loose(text).split()


def _word_matches(keyword: str, forms: Sequence[str]) -> bool:
    """A keyword matches a word that begins with it; numbers and very short keywords whole words only."""
    short = len(keyword) <= (2 if has_arabic(keyword) else 3)
    if keyword.isdigit() or short:
        return keyword in forms
    return any(f.startswith(keyword) for f in forms)


def _phrase_in(words: Sequence[Sequence[str]], phrase: Sequence[str]) -> bool:
    n = len(phrase)
    return n > 0 and any(
        all(_word_matches(phrase[k], words[i + k]) for k in range(n)) for i in range(len(words) - n + 1)
    )


def _en_forms(text: str) -> list[list[str]]:
    return [[w] for w in _en_words(text)]


def _ar_forms(text: str) -> list[list[str]]:
    # Each word with its proclitics (و ف ب ل ك ال) taken off: «والضربات» also reads «الضربات», «ضربات».
    return [[stem for _, stem in split_proclitics(w)] for w in _ar_words(text)]


def fact_covered(
    concepts: Sequence[Sequence[str]], parts: Sequence[str], language: Literal["en", "ar"]
) -> bool:
    """Whether every concept has an alternative in one of ``parts`` (headline, text, key points).

    English is compared lowercased, accent- and punctuation-free («U.S.» = «us»); Arabic after
    :func:`~summarizer.arabic.normalize.normalize_ar_loose`, with proclitics taken off the summary's words. A
    keyword matches a word that begins with it («strike» matches «strikes», «قتل» «قتلى»); numbers,
    and keywords of up to three Latin or two Arabic letters, match whole words only.
    """
    words_of = _en_forms if language == "en" else _ar_forms
    split = _en_words if language == "en" else _ar_words
    part_words = [words_of(p) for p in parts]
    return all(
        any(_phrase_in(words, split(alt)) for alt in alternatives for words in part_words)
        for alternatives in concepts
    )


# --- scoring ----------------------------------------------------------------------------------------------


def _date_ok(gold: str | None, value: dt.date | None) -> bool:
    if gold is None or value is None:
        return gold is None and value is None
    m = _DATE_RE.match(gold)
    if m is None:
        return False
    if m[3] is None:
        return (value.year, value.month) == (int(m[1]), int(m[2]))
    return value == dt.date(int(m[1]), int(m[2]), int(m[3]))


#: A brief event dated further than this from every gold date is another incident: it cannot match.
MAX_DATE_GAP_DAYS = 7


def _date_near(gold: Sequence[str | None], value: dt.date | None) -> bool:
    """Matching rule: no date on either side, or within :data:`MAX_DATE_GAP_DAYS` of a gold date."""
    days = [d for d in gold if d is not None]
    if value is None or not days:
        return True
    gap = dt.timedelta(days=MAX_DATE_GAP_DAYS)
    for d in days:
        m = _DATE_RE.match(d)
        if m is None:
            continue
        first = dt.date(int(m[1]), int(m[2]), int(m[3] or 1))
        if m[3] is None:
            following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
            last = following - dt.timedelta(days=1)
        else:
            last = first
        if first - gap <= value <= last + gap:
            return True
    return False


def _value_score(gold: Sequence[Any], value: Any, same: Callable[[Any, Any], bool]) -> float | None:
    """1 or 0 when the gold or the brief gives a value; None (not scored) when neither does."""
    if not gold:
        return None if value is None else 0.0
    return 1.0 if any(same(g, value) for g in gold) else 0.0


def _eq(a: Any, b: Any) -> bool:
    return bool(a == b)


def _numbers(event: Event) -> set[int]:
    out = {n for n in (event.killed, event.injured) if n is not None}
    for r in event.casualty_reports:
        out |= {n for n in (r.killed, r.injured) if n is not None}
    return out


class _Pair:
    """A gold event and a brief event: whether they may match, and how alike they are."""

    def __init__(
        self,
        gaz: Gazetteer,
        gold: GoldEvent,
        gold_places: list[ResolvedPlace],
        brief: Event,
        brief_place: ResolvedPlace | None,
        brief_actors: set[str],
        match_on: MatchOn,
    ):
        if match_on == "sub_event_type":
            same_kind = brief.sub_event_type in gold.sub_event_type
        else:
            same_kind = brief.event_type == gold.event_type or brief.sub_event_type in gold.sub_event_type
        date = _value_score(gold.date, brief.date.value, _date_ok)
        # A date far from the gold's is another incident. Optional (background) events need the very
        # date, so they do not soak up repeated brief events that belong to a required one.
        if gold.optional:
            date_ok = brief.date.value is None or not gold.date or date == 1.0
        else:
            date_ok = _date_near(gold.date, brief.date.value)
        self.admissible = same_kind and date_ok and _place_agrees(gold_places, brief_place)

        fields: dict[str, float | None] = dict.fromkeys(FIELDS)
        fields["sub_event_type"] = float(brief.sub_event_type in gold.sub_event_type)
        fields["status"] = float(brief.status in gold.status)
        fields["date"] = date
        if gold_places:
            fields["place"] = float(
                brief_place is not None and brief_place.key in {p.key for p in gold_places}
            )
        fields["killed"] = _value_score(gold.killed, brief.killed, _eq)
        fields["injured"] = _value_score(gold.injured, brief.injured, _eq)
        if gold.actors:
            found = sum(1 for a in gold.actors if {actor_key(n, gaz) for n in a.names()} & brief_actors)
            fields["actors"] = found / len(gold.actors)
            fields["actors_any"] = float(found > 0)
        figures = {
            n
            for r in gold.casualty_reports
            if not r.superseded
            for n in (r.killed, r.injured)
            if n is not None
        }
        if figures:
            fields["figures"] = len(figures & _numbers(brief)) / len(figures)
        self.fields = fields
        scored = [v for k, v in fields.items() if v is not None and k != "actors_any"]
        self.similarity = sum(scored) / len(scored) if scored else 0.0


def _assign(weight: list[list[float]]) -> list[tuple[int, int]]:
    """Maximum-weight one-to-one assignment (Hungarian algorithm); pairs of weight <= 0 are left out.

    Returns (row, column) pairs.
    """
    rows = len(weight)
    cols = len(weight[0]) if rows else 0
    if rows == 0 or cols == 0:
        return []
    transposed = rows > cols
    w = [list(c) for c in zip(*weight, strict=True)] if transposed else weight
    n, m = (cols, rows) if transposed else (rows, cols)
    inf = float("inf")
    u = [0.0] * (n + 1)
    v = [0.0] * (m + 1)
    p = [0] * (m + 1)
    way = [0] * (m + 1)
    for i in range(1, n + 1):
        p[0] = i
        j0 = 0
        minv = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = p[j0], inf, 0
            for j in range(1, m + 1):
                if not used[j]:
                    cur = -w[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(m + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
    pairs = []
    for j in range(1, m + 1):
        if p[j] and w[p[j] - 1][j - 1] > 0:
            pairs.append((j - 1, p[j] - 1) if transposed else (p[j] - 1, j - 1))
    return sorted(pairs)


def _validated(brief: ArticleBrief | Mapping[str, Any] | str | bytes) -> ArticleBrief:
    if isinstance(brief, (str, bytes)):
        return ArticleBrief.model_validate_json(brief)
    if isinstance(brief, ArticleBrief):
        with warnings.catch_warnings():
            # A brief built with model_construct may hold anything; dumping it must not warn.
            warnings.simplefilter("ignore")
            data = brief.model_dump(mode="json")
        return ArticleBrief.model_validate(data)
    return ArticleBrief.model_validate(brief)


def _unscored(gold: GoldArticle, name: str) -> ArticleScore:
    """The score of an article without a usable brief: nothing matched, nothing covered."""
    facts = [f.id for f in gold.key_facts]
    return ArticleScore(
        article=name,
        split=gold.split,
        events_gold=len(gold.required_events),
        events_gold_optional=len(gold.events) - len(gold.required_events),
        recall=Ratio(hit=0, total=len(gold.required_events)),
        facts_en=Ratio(hit=0, total=len(facts)),
        facts_ar=Ratio(hit=0, total=len(facts)),
        missed_events=[e.id for e in gold.required_events],
        missing_facts_en=facts,
        missing_facts_ar=list(facts),
    )


def _describe(i: int, event: Event) -> str:
    place = event.location.name_en or event.location.name_ar or event.location.country_en or "?"
    return f"#{i} {event.sub_event_type} at {place}"


def score(
    brief: ArticleBrief | Mapping[str, Any] | str | bytes,
    gold: GoldArticle | Mapping[str, Any],
    *,
    article_text: str | None = None,
    gazetteer: Gazetteer | None = None,
    match_on: MatchOn = "event_type",
    name: str | None = None,
) -> ArticleScore:
    """Score one brief against its gold article (no model needed).

    Args:
        brief: An :class:`~summarizer.schema.ArticleBrief`, or its JSON (text or parsed). A brief that
            does not validate scores ``schema_valid=False`` with zero recall and coverage.
        gold: The gold article (or its parsed JSON).
        article_text: The article the evidence must come from; default: the brief's sentences.
        gazetteer: Places and actors are compared through it; default: the shipped one.
        match_on: What "the same category" means when matching events: ``event_type`` (default) or
            ``sub_event_type``; a sub-event type the gold lists as acceptable always counts.
        name: The article's name in reports; default: the file name in the gold.

    Returns:
        The :class:`ArticleScore` (see ``docs/eval.md`` for every metric).
    """
    if not isinstance(gold, GoldArticle):
        gold = GoldArticle.model_validate(gold)
    gaz = gazetteer or default_gazetteer()
    result = _unscored(gold, name or Path(gold.article).name)
    try:
        valid = _validated(brief)
    except ValidationError as e:
        result.error = f"invalid brief: {_first_error(e)}"
        return result
    except (TypeError, ValueError) as e:
        result.error = f"invalid brief: {e}"
        return result
    result.schema_valid = True
    result.cached = valid.meta.cached
    result.warnings = len(valid.meta.warnings)
    result.failed_steps = list(valid.meta.failed_steps)
    result.elapsed_s = valid.meta.elapsed_s
    result.usage = valid.meta.usage

    # Events: one-to-one matching, required gold events first, then most brief events, then likeness.
    events = valid.events
    result.events_brief = len(events)
    brief_places = [_brief_place(gaz, e.location) for e in events]
    brief_actors = [
        {actor_key(n, gaz) for a in e.actors for n in (a.name_en, a.name_ar) if n} for e in events
    ]
    pairs: dict[tuple[int, int], _Pair] = {}
    weight = [[0.0] * len(events) for _ in gold.events]
    for gi, g in enumerate(gold.events):
        places = _gold_places(gaz, g.place)
        for bi, b in enumerate(events):
            pair = _Pair(gaz, g, places, b, brief_places[bi], brief_actors[bi], match_on)
            if pair.admissible:
                pairs[gi, bi] = pair
                weight[gi][bi] = (0.0 if g.optional else 1e6) + 1e3 + pair.similarity
    matched = _assign(weight)
    matched_gold = {gi for gi, _ in matched}
    matched_brief = {bi for _, bi in matched}
    for gi, bi in matched:
        g = gold.events[gi]
        result.matches.append(
            EventMatch(gold_id=g.id, brief_index=bi + 1, optional=g.optional, fields=pairs[gi, bi].fields)
        )
        for f, v in pairs[gi, bi].fields.items():
            if v is not None:
                result.fields[f] = result.fields[f].add(Ratio(hit=v, total=1))
    required = [gi for gi, g in enumerate(gold.events) if not g.optional]
    result.recall = Ratio(hit=sum(1 for gi in required if gi in matched_gold), total=len(required))
    result.precision = Ratio(hit=len(matched_brief), total=len(events))
    result.missed_events = [gold.events[gi].id for gi in required if gi not in matched_gold]
    result.extra_events = [_describe(bi + 1, e) for bi, e in enumerate(events) if bi not in matched_brief]

    # Key facts in each summary.
    for lang in ("en", "ar"):
        summary = valid.summary.en if lang == "en" else valid.summary.ar
        parts = [p for p in (summary.headline, summary.text, *(kp.text for kp in summary.key_points)) if p]
        missing = [
            f.id for f in gold.key_facts if not fact_covered(f.en if lang == "en" else f.ar, parts, lang)
        ]
        ratio = Ratio(hit=len(gold.key_facts) - len(missing), total=len(gold.key_facts))
        if lang == "en":
            result.facts_en, result.missing_facts_en = ratio, missing
        else:
            result.facts_ar, result.missing_facts_ar = ratio, missing

    # Evidence found in the article.
    text = article_text if article_text is not None else "\n".join(s.text for s in valid.article.sentences)
    haystack = normalize_ar(text)
    quotes = [q for e in events for q in e.evidence]
    ungrounded = [q for q in quotes if not normalize_ar(q) or normalize_ar(q) not in haystack]
    result.grounded = Ratio(hit=len(quotes) - len(ungrounded), total=len(quotes))
    result.ungrounded_evidence = ungrounded
    return result


# --- evaluate a gold directory ----------------------------------------------------------------------------

#: ``brief_fn(article_path, gold)`` returns the brief of one article (or its JSON).
BriefFn = Callable[[Path, GoldArticle], "ArticleBrief | Mapping[str, Any] | str"]


def _api_brief_fn(
    settings: Settings | None,
    backend: Backend | str | None,
    cache: bool,
    max_events: int | None,
    config: dict[str, Any],
) -> BriefFn:
    """Brief through :func:`summarizer.api.make_briefer`, as :func:`summarizer.summarize` does: one
    backend for every article, cache first."""
    from summarizer.api import make_briefer, to_article
    from summarizer.brief.pipeline import DEFAULT_MAX_EVENTS

    briefer = make_briefer(
        backend=backend,
        settings=settings,
        cache=cache,
        max_events=DEFAULT_MAX_EVENTS if max_events is None else max_events,
        **config,
    )

    def brief(path: Path, gold: GoldArticle) -> ArticleBrief:
        # Published as `summarizer summarize FILE --published DATE` would: the same cache entries.
        return briefer.brief(to_article(path, published=gold.published))

    return brief


def _overall(scores: list[ArticleScore]) -> Overall:
    o = Overall(articles=len(scores))
    for s in scores:
        o.briefed += int(s.ok)
        o.failed += int(not s.ok)
        o.cached += int(bool(s.cached))
        o.schema_valid = o.schema_valid.add(Ratio(hit=float(s.schema_valid), total=1))
        o.precision = o.precision.add(s.precision)
        o.recall = o.recall.add(s.recall)
        for f in FIELDS:
            o.fields[f] = o.fields[f].add(s.fields[f])
        o.facts_en = o.facts_en.add(s.facts_en)
        o.facts_ar = o.facts_ar.add(s.facts_ar)
        o.grounded = o.grounded.add(s.grounded)
        o.warnings += s.warnings
        o.elapsed_s = round(o.elapsed_s + (s.elapsed_s or 0.0), 3)
        o.wall_s = round(o.wall_s + (s.wall_s or 0.0), 3)
        if s.usage is not None:
            o.prompt_tokens += s.usage.prompt_tokens
            o.completion_tokens += s.usage.completion_tokens
            o.calls += s.usage.calls
    return o


def _split_overalls(scores: list[ArticleScore]) -> dict[str, Overall]:
    """The overall scores of each split that has articles, in :data:`SPLITS` order."""
    return {
        split: _overall([s for s in scores if s.split == split])
        for split in SPLITS
        if any(s.split == split for s in scores)
    }


def _error_line(e: BaseException) -> str:
    return one_line(e, with_type=not isinstance(e, SummarizerError))


def evaluate(
    gold_dir: str | Path,
    *,
    corpus: str | Path | None = None,
    files: Iterable[str] | None = None,
    brief_fn: BriefFn | None = None,
    settings: Settings | None = None,
    backend: Backend | str | None = None,
    cache: bool = True,
    max_events: int | None = None,
    match_on: MatchOn = "event_type",
    gazetteer: Gazetteer | None = None,
    on_article: Callable[[int, int, ArticleScore], None] | None = None,
    **config: Any,
) -> EvalReport:
    """Brief and score every article of a gold directory.

    Every gold file is read and every article found before anything is briefed, so a bad gold set
    fails at once. Then each article is briefed and scored in turn; one that fails (unreadable, the
    backend down, no valid brief, any exception of ``brief_fn``) is reported with its error, counts
    as not schema-valid with zero recall and coverage, and the others go on.

    Args:
        gold_dir: The folder of gold files (``docs/eval.md``).
        corpus: Folder holding the articles; default: the path in each gold file.
        files: Only these articles (gold or article file names, or their stem).
        brief_fn: ``brief_fn(article_path, gold)`` makes a brief; default: :mod:`summarizer.api` with
            the gold's publication date, the brief cache first.
        settings, backend, cache, max_events, config: As for :func:`summarizer.summarize`.
        match_on: See :func:`score`.
        gazetteer: See :func:`score`.
        on_article: Called as ``on_article(done, total, score)`` after each article.

    Raises:
        GoldError: the gold directory, a gold file, the corpus folder or an article is missing or invalid.
    """
    from summarizer.inputs import read_article

    if corpus is not None and not Path(corpus).is_dir():
        raise GoldError(f"{corpus}: no such corpus directory")
    golds = load_gold_dir(gold_dir, files)
    items = [(gp, g, article_path(gp, g, corpus)) for gp, g in golds]
    fn = brief_fn or _api_brief_fn(settings, backend, cache, max_events, config)
    gaz = gazetteer or default_gazetteer()
    scores: list[ArticleScore] = []
    meta: tuple[str, str, str] | None = None
    for n, (gp, g, path) in enumerate(items, 1):
        start = time.perf_counter()
        try:
            text = read_article(path, published=g.published).text
            brief = fn(path, g)
        except Exception as e:  # one failed article must not stop the others
            result = _unscored(g, path.name)
            result.ok = False
            result.error = _error_line(e)
        else:
            result = score(brief, g, article_text=text, gazetteer=gaz, match_on=match_on, name=path.name)
            if meta is None and isinstance(brief, ArticleBrief):
                meta = (brief.meta.backend, brief.meta.model, brief.meta.prompt_version)
        result.gold_file = str(gp)
        result.wall_s = round(time.perf_counter() - start, 3)
        scores.append(result)
        if on_article is not None:
            on_article(n, len(items), result)
    return EvalReport(
        gold_dir=str(gold_dir),
        corpus=str(corpus) if corpus is not None else None,
        match_on=match_on,
        backend=meta[0] if meta else None,
        model=meta[1] if meta else None,
        prompt_version=meta[2] if meta else None,
        articles=scores,
        overall=_overall(scores),
        splits=_split_overalls(scores),
    )


# --- the report for people --------------------------------------------------------------------------------


def _fmt(r: Ratio, digits: int = 2) -> str:
    return "-" if r.value is None else f"{r.value:.{digits}f}"


def _count(r: Ratio) -> str:
    return f"{r.hit:g}/{r.total}"


_COLUMNS = (
    ("article", 26),
    ("valid", 5),
    ("events", 6),
    ("P", 4),
    ("R", 4),
    ("sub", 4),
    ("status", 6),
    ("date", 4),
    ("place", 5),
    ("killed", 6),
    ("injured", 7),
    ("actors", 6),
    ("facts en", 8),
    ("facts ar", 8),
    ("grounded", 8),
    ("warn", 4),
    ("time s", 8),
    ("tokens", 7),
)


def _row(cells: Sequence[str]) -> str:
    out = []
    for (_, width), cell in zip(_COLUMNS, cells, strict=False):
        out.append(cell.ljust(width) if width == _COLUMNS[0][1] else cell.rjust(width))
    return "  ".join(out).rstrip()


#: The field-accuracy columns of the table, in order.
_TABLE_FIELDS = ("sub_event_type", "status", "date", "place", "killed", "injured", "actors")


def _overall_row(label: str, o: Overall) -> str:
    """A table row of overall scores (micro averages)."""
    f = o.fields
    return _row(
        [
            label,
            f"{o.schema_valid.hit:g}/{o.schema_valid.total}",
            f"{o.precision.total}/{o.recall.total}",
            _fmt(o.precision),
            _fmt(o.recall),
            *(_fmt(f[k]) for k in _TABLE_FIELDS),
            _fmt(o.facts_en),
            _fmt(o.facts_ar),
            _fmt(o.grounded),
            str(o.warnings),
            f"{o.elapsed_s:.1f}",
            str(o.prompt_tokens + o.completion_tokens),
        ]
    )


def _overall_line(label: str, o: Overall) -> str:
    """One line of overall scores: ``overall: 4 articles, ...`` (or a split's name)."""
    f1 = "-" if o.f1 is None else f"{o.f1:.2f}"
    return (
        f"{label}: {o.articles} articles, {o.failed} failed, schema-valid {_fmt(o.schema_valid)}; "
        f"events P {_fmt(o.precision)} R {_fmt(o.recall)} F1 {f1}; key facts en {_fmt(o.facts_en)} "
        f"ar {_fmt(o.facts_ar)}; grounded {_fmt(o.grounded)}; {o.warnings} warnings; "
        f"{o.elapsed_s:.1f} s; {o.prompt_tokens}+{o.completion_tokens} tokens in {o.calls} calls"
    )


def format_report(report: EvalReport) -> str:
    """The report as a table for a terminal: one row per article, the overall rows, then details.

    With articles of both splits, each split has its overall row and line before the overall ones.
    """
    lines = []
    if report.model:
        lines.append(f"model: {report.backend} · {report.model} · prompts {report.prompt_version}")
    lines.append(f"gold: {report.gold_dir}  (events matched on {report.match_on})")
    lines.append("")
    lines.append(_row([c for c, _ in _COLUMNS]))
    any_cached = False
    for s in report.articles:
        name = s.article if len(s.article) <= 26 else s.article[:25] + "…"
        if not s.ok:
            lines.append(_row([name, "FAIL"]))
            continue
        tokens = s.usage.prompt_tokens + s.usage.completion_tokens if s.usage else 0
        time_s = "-" if s.elapsed_s is None else f"{s.elapsed_s:.1f}" + ("*" if s.cached else "")
        any_cached = any_cached or bool(s.cached)
        f = s.fields
        lines.append(
            _row(
                [
                    name,
                    "yes" if s.schema_valid else "no",
                    f"{s.events_brief}/{s.events_gold}",
                    _fmt(s.precision),
                    _fmt(s.recall),
                    *(_fmt(f[k]) for k in _TABLE_FIELDS),
                    _count(s.facts_en),
                    _count(s.facts_ar),
                    _count(s.grounded),
                    str(s.warnings),
                    time_s,
                    str(tokens) if s.schema_valid else "-",
                ]
            )
        )
    o = report.overall
    # Each split's overall row (and line) when the report holds more than one split.
    splits = list(report.splits.items()) if len(report.splits) > 1 else []
    for split, so in splits:
        lines.append(_overall_row(f"{split} (micro)", so))
    lines.append(_overall_row("overall (micro)", o))
    lines.append("")
    lines.append(_overall_line("overall", o))
    for split, so in splits:
        lines.append(_overall_line(split, so))
    if splits:
        held = [s.article for s in report.articles if s.split == "heldout"]
        lines.append(f"held out ({len(held)}): " + ", ".join(held))
    lines.append(
        "events: brief events / required gold events; P, R: event precision and recall; sub...actors: "
        "accuracy on matched events; facts: key facts found in each summary; grounded: evidence found "
        "in the article; time: meta.elapsed_s (docs/eval.md)"
    )
    if any_cached:
        lines.append("* served from the cache: the time is the original run's")
    details = []
    for s in report.articles:
        bits = []
        if s.error:
            bits.append(("failed: " if not s.ok else "") + s.error)
        if s.missed_events and s.schema_valid:
            bits.append("missed " + ", ".join(s.missed_events))
        if s.extra_events:
            bits.append("unmatched " + ", ".join(s.extra_events))
        if s.missing_facts_en and s.schema_valid:
            bits.append("facts not in en: " + ", ".join(s.missing_facts_en))
        if s.missing_facts_ar and s.schema_valid:
            bits.append("facts not in ar: " + ", ".join(s.missing_facts_ar))
        if s.ungrounded_evidence:
            bits.append(f"{len(s.ungrounded_evidence)} evidence not in the article")
        if s.failed_steps:
            bits.append("failed steps: " + ", ".join(s.failed_steps))
        if bits:
            details.append(f"  {s.article}: " + "; ".join(bits))
    if details:
        lines += ["", "details:", *details]
    return "\n".join(lines) + "\n"
