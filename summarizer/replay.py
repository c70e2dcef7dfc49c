"""The replay harness: briefs of the corpus articles with the embedded model's recorded answers replayed,
no model and no network. The tests (``tests/test_pipeline_cassettes.py``,
``tests/test_cassette_replays.py``), ``benchmarks/replay_eval.py`` and ``scripts/readme_example.py``
brief through it; one place for what they share:

- :func:`record_url`: the URL the cassettes are recorded at and replayed from
  (``SUMMARIZER_RECORD_URL``, default ``http://127.0.0.1:8765/v1``: ``scripts/record-cassettes.sh`` sets
  it). Requests are matched on it, so replay with the URL you recorded with.
- :func:`corpus_dir` and :func:`corpus_published`: the corpus articles, and their publication dates as
  the gold files in ``gold/`` give them.
- :data:`RECORDED` and :func:`recorded_cassettes`: the cassette recorded for each corpus article.
- The recipe of a replayed brief: :func:`replay_settings`, :func:`recorded_brief` (the caller holds the
  cassette, as pytest-recording's ``vcr`` marker does when it records) and :func:`replayed_brief` (under
  the article's cassette, replayed only).

It reads the repository's ``gold/``, ``cassettes/`` and ``../shared/corpus``: installed without them, no
article has a date or a cassette. ``vcr`` (the ``test`` extra) is imported only by
:func:`replayed_brief`.
"""

from __future__ import annotations

import datetime as dt
import os
from functools import cache
from pathlib import Path

from summarizer.api import Briefer
from summarizer.brief.pipeline import PipelineOptions
from summarizer.config import Settings, resolve_settings
from summarizer.evaluation import load_gold_dir
from summarizer.inputs import read_article
from summarizer.schema import ArticleBrief

__all__ = [
    "CASSETTES",
    "DEFAULT_RECORD_URL",
    "GOLD",
    "MATCH_ON",
    "RECORDED",
    "RECORD_MODEL",
    "SHARED_CORPUS",
    "corpus_dir",
    "corpus_published",
    "record_url",
    "recorded_brief",
    "recorded_cassettes",
    "replay_settings",
    "replayed_brief",
]

#: The repository this package is checked out in (installed, a folder without gold/ or cassettes/).
ROOT = Path(__file__).resolve().parent.parent
#: The gold set: each corpus article's gold file gives its publication date.
GOLD = ROOT / "gold"
#: The pipeline cassettes (``tests/test_pipeline_cassettes.py`` records them, one a test).
CASSETTES = ROOT / "cassettes" / "test_pipeline_cassettes"
SHARED_CORPUS = ROOT.parent / "shared" / "corpus"
#: Copies of the corpus articles, for a checkout without ../shared.
LOCAL_CORPUS = ROOT / "tests" / "data" / "corpus"

DEFAULT_RECORD_URL = "http://127.0.0.1:8765/v1"
#: The model name the recording server answers as (``--model_alias`` in scripts/record-cassettes.sh).
RECORD_MODEL = "qwen2.5-coder-1.5b"
#: What a replayed request must share with a recorded one: all of it but its headers.
MATCH_ON = ("method", "scheme", "host", "port", "path", "query", "body")

#: Corpus article -> the test of ``tests/test_pipeline_cassettes.py`` that recorded its cassette
#: (the cassette is named after the test).
RECORDED = {
    "000_8449cddc9f5e7774.txt": "test_brief_of_the_biden_ottawa_article",
    "002_d47aa0b70ac3c6f1.txt": "test_brief_of_the_hasakah_strikes_article",
    "003_1aacc9b910f4f0d9.txt": "test_brief_of_the_2021_rocket_attack_article",
    "004_acd604f23db3c241.txt": "test_brief_of_the_omar_oil_field_article",
}


def record_url() -> str:
    """The URL the cassettes are recorded at and replayed from: ``SUMMARIZER_RECORD_URL``, default
    ``http://127.0.0.1:8765/v1``."""
    return os.environ.get("SUMMARIZER_RECORD_URL", DEFAULT_RECORD_URL)


def corpus_dir() -> Path:
    """The corpus: ../shared/corpus when present, else the copies kept under tests/data/corpus."""
    return SHARED_CORPUS if SHARED_CORPUS.is_dir() else LOCAL_CORPUS


def corpus_published(gold: Path | None = None) -> dict[str, dt.date]:
    """Corpus article file name -> its publication date, from the gold files of ``gold`` (default: the
    repository's ``gold/``) whose article is a corpus article (not one kept in the gold set's own
    ``articles/``). Empty when there is no gold set."""
    return dict(_corpus_published((GOLD if gold is None else gold).resolve()))


@cache
def _corpus_published(gold: Path) -> tuple[tuple[str, dt.date], ...]:
    if not gold.is_dir() or not any(gold.glob("*.json")):
        return ()
    out = []
    for _, g in load_gold_dir(gold):
        article = Path(g.article)
        if article.is_absolute() or ".." in article.parts:
            out.append((article.name, g.published))
    return tuple(out)


def recorded_cassettes() -> dict[str, Path]:
    """Corpus article -> its cassette, for the articles whose cassette is there."""
    return {name: path for name, test in RECORDED.items() if (path := CASSETTES / f"{test}.yaml").is_file()}


def replay_settings() -> Settings:
    """The settings the cassettes are recorded and replayed with: the OpenAI-compatible backend at
    :func:`record_url`, answering as :data:`RECORD_MODEL`, in JSON mode."""
    return resolve_settings(
        base_url=record_url(), model=RECORD_MODEL, structured_output="json_object", timeout=1800
    )


def recorded_brief(path: Path, *, published: dt.date | None = None, profile: str = "auto") -> ArticleBrief:
    """The brief of an article over HTTP at :func:`record_url`, no cache; the caller holds the cassette
    that records or replays it.

    Args:
        path: The article.
        published: Its publication date; default: its gold file's (a corpus article's).
        profile: The pipeline's profile.
    """
    if published is None:
        published = corpus_published()[path.name]
    article = read_article(path, published=published)
    briefer = Briefer(replay_settings(), use_cache=False, options=PipelineOptions(profile=profile))
    return briefer.brief(article)


def replayed_brief(
    path: Path, cassette: Path | None = None, *, published: dt.date | None = None, profile: str = "auto"
) -> ArticleBrief:
    """:func:`recorded_brief` under a cassette, replayed only: every request must have been recorded
    (matched on :data:`MATCH_ON`), and a recorded answer may be played again.

    Args:
        path: The article.
        cassette: The cassette; default: the corpus article's (:data:`RECORDED`).
        published: Its publication date; default: its gold file's.
        profile: The pipeline's profile.
    """
    import vcr

    if cassette is None:
        cassette = CASSETTES / f"{RECORDED[path.name]}.yaml"
    with vcr.use_cassette(
        str(cassette),
        record_mode="none",
        match_on=list(MATCH_ON),
        decode_compressed_response=True,
        allow_playback_repeats=True,
    ):
        return recorded_brief(path, published=published, profile=profile)
