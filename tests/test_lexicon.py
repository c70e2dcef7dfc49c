"""Issue #13, step 3: the Arabic cue words live in :mod:`summarizer.arabic.lexicon`, in one convention.

Every table there holds normalized words (built with ``_norm``), lists a word once, and means something
no other table means; no other module of the package defines a list of Arabic words of its own (the
tables of values that stay where they are used are named below, with the reason). The time words of a
date phrase have one predicate, :func:`summarizer.arabic.lexicon.names_time`.
"""

from __future__ import annotations

import ast
import dataclasses
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from summarizer.arabic import lexicon as lx
from summarizer.arabic.normalize import normalize_ar

PACKAGE = Path(__file__).resolve().parent.parent / "summarizer"
_ARABIC = re.compile("[\u0600-\u06ff]")

#: Module-level tables of Arabic words that stay outside the lexicon, (module, name) -> why: tables of
#: values or of names, not cue lists.
_TABLES_ELSEWHERE = {
    ("arabic.normalize", "_REPLACE"): "the letters normalization folds",
    ("arabic.normalize", "WEEKDAYS_AR"): "weekday names and their numbers",
    ("arabic.normalize", "MONTHS_AR"): "month names and their numbers",
    ("brief.crossscript", "_AR_CLASS"): "a transliteration table of letters",
    ("arabic.dates", "_ORDINAL_UNITS"): "ordinal day words and their values",
    ("arabic.dates", "_ORDINAL_DAYS"): "ordinal day words and their values",
    ("arabic.dates", "_AGO_UNITS"): "period words and the span each means",
    ("arabic.gazetteer", "_AR_FOLDS"): "spelling folds of names",
    ("arabic.numbers", "_TEN"): "number words and their values",
    ("arabic.numbers", "_TENS_STEMS"): "number words and their values",
    ("arabic.numbers", "_HUNDREDS"): "number words and their values",
    ("arabic.numbers", "_MULTIPLIERS"): "number words and their values",
    ("arabic.numbers", "_WHOLE"): "number words and their values",
    ("arabic.numbers", "_NO_PREPOSITION"): "number words a preposition makes ambiguous",
    ("arabic.outlets", "MARKS"): "outlet names",
    ("arabic.outlets", "DATELINE_CITIES"): "dateline city names",
}
#: Arabic words, one or several, or several joined by «|» (a regular expression is not a word list).
_WORDS = re.compile("[\u0621-\u064a\u0671-\u06d3]+(?:[ |][\u0621-\u064a\u0671-\u06d3]+)*")


def _tables() -> Iterator[tuple[str, object]]:
    """Every public table of the lexicon: (name, value)."""
    for name, value in vars(lx).items():
        if name.isupper() and not name.startswith("_"):
            yield name, value


def _arabic_entries(value: object, where: str) -> Iterator[tuple[str, str]]:
    """(where, entry) for every Arabic string a table holds, through tuples, sets, dicts and dataclasses
    (a nationality's ``force_ar`` is a name the gazetteer looks up, not a cue)."""
    if isinstance(value, str):
        if _ARABIC.search(value):
            yield where, value
    elif isinstance(value, (tuple, list, frozenset, set)):
        for item in value:
            yield from _arabic_entries(item, where)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _arabic_entries(item, f"{where}[{key}]")
    elif dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            if field.name != "force_ar":
                yield from _arabic_entries(getattr(value, field.name), f"{where}.{field.name}")


def _word_lists(value: object, where: str) -> Iterator[tuple[str, tuple[str, ...]]]:
    """(where, words) for every tuple of words a table holds, however deep."""
    if isinstance(value, tuple) and value and all(isinstance(x, str) for x in value):
        yield where, value
    elif isinstance(value, (tuple, list)):
        for i, item in enumerate(value):
            yield from _word_lists(item, f"{where}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _word_lists(item, f"{where}[{key}]")
    elif dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            yield from _word_lists(getattr(value, field.name), f"{where}.{field.name}")


def test_every_lexicon_entry_is_normalized() -> None:
    """A table holds what ``normalize_ar`` makes of text: an entry written «قتلى» would never match
    (normalized text says «قتلي»), as «قتلى», «جرحى», «إلى» and «حتى» did not in the lists the lexicon
    took over."""
    entries = [(where, e) for name, value in _tables() for where, e in _arabic_entries(value, name)]
    assert len(entries) > 1000
    unnormalized = [(where, e) for where, e in entries if normalize_ar(e) != e]
    assert unnormalized == []


def test_no_table_lists_a_word_twice() -> None:
    """One spelling per word: «قتيلا» and «قتيلاً» are one entry once normalized."""
    lists = [(where, words) for name, value in _tables() for where, words in _word_lists(value, name)]
    assert len(lists) > 100
    twice = {where: [w for w, n in Counter(words).items() if n > 1] for where, words in lists}
    assert {where: words for where, words in twice.items() if words} == {}


def test_no_two_tables_hold_the_same_words() -> None:
    """Two tables that mean the same thing are one: no two top-level tables hold the same set of words."""
    seen: dict[frozenset[str], str] = {}
    same = []
    for name, value in _tables():
        if isinstance(value, (tuple, frozenset)) and value and all(isinstance(x, str) for x in value):
            words = frozenset(value)
            if words in seen:
                same.append((seen[words], name))
            seen.setdefault(words, name)
    assert same == []


def _word_strings(node: ast.AST) -> int:
    return sum(
        1 + n.value.count("|")
        for n in ast.walk(node)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and _WORDS.fullmatch(n.value)
    )


def _cue_lists_outside_the_lexicon() -> list[tuple[str, str]]:
    """(module, name) of each module-level assignment outside the lexicon whose value holds two Arabic
    words or more (as strings of their own or joined by «|»)."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
        if module == "arabic.lexicon":
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and _word_strings(node.value) >= 2:
                found += [(module, t.id) for t in node.targets if isinstance(t, ast.Name)]
            elif (
                isinstance(node, ast.AnnAssign) and node.value is not None and _word_strings(node.value) >= 2
            ):
                found += [(module, node.target.id)] if isinstance(node.target, ast.Name) else []
    return found


def test_no_module_but_the_lexicon_lists_arabic_cue_words() -> None:
    """A cue list written in a second module drifts from the lexicon's (issue #13 found the same words in
    five modules and two spellings). Tables of values and of names stay where they are used."""
    outside = _cue_lists_outside_the_lexicon()
    assert set(outside) - set(_TABLES_ELSEWHERE) == set()


def test_the_tables_kept_elsewhere_still_exist() -> None:
    """The list of exceptions names only tables that exist (a stale exception would hide a new list)."""
    assert set(_TABLES_ELSEWHERE) <= set(_cue_lists_outside_the_lexicon())


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("الخميس", True),
        ("والجمعة", True),
        ("أمس", True),
        ("البارحة", True),
        ("الليلة", True),
        ("الأسبوع", True),
        ("صباح", False),  # part of a date phrase, never its start
        ("أغسطس", False),  # a month is read by the calendar patterns, not as a relative head
        ("الاحد", True),
        ("قتل", False),
    ],
)
def test_is_time_head(word: str, expected: bool) -> None:
    assert lx.is_time_head(normalize_ar(word)) is expected
    assert lx.names_time(normalize_ar(word), head=True) is expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("الخميس", True),
        ("صباح", True),  # a time, though not the start of a date phrase
        ("أغسطس", True),
        ("وآب", True),
        ("بالأمس", True),
        ("العام", True),
        # words that merely hold a time word's letters: «إصابة» holds «اب» (August), «قليل» holds «ليل»
        ("إصابة", False),
        ("قليل", False),
        ("قتل", False),
    ],
)
def test_names_time(word: str, expected: bool) -> None:
    """One predicate for the time words: grounding asks it of a model's date words, word by word."""
    assert lx.names_time(normalize_ar(word)) is expected
