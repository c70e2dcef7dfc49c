"""The checks never destroy what a good model says: the large profile's parsing and checks, fed the
answers a strong model would give (derived from the gold files by :func:`summarizer.testing.gold_answers`),
keep the gold events.
"""

from __future__ import annotations

from pathlib import Path

from summarizer.brief.pipeline import PipelineOptions, brief_article
from summarizer.evaluation import evaluate
from summarizer.inputs import read_article
from summarizer.testing import gold_answers

GOLD = Path(__file__).resolve().parent.parent / "gold"


def _perfect(path: Path, gold):  # type: ignore[no-untyped-def]
    article = read_article(path, published=gold.published)
    return brief_article(
        article, gold_answers(article.sentences(), gold), PipelineOptions(profile="large", max_events=20)
    )


def test_perfect_answers_keep_their_events(corpus: Path) -> None:
    report = evaluate(GOLD, corpus=corpus, brief_fn=_perfect)
    overall = report.overall
    assert overall.failed == 0
    assert overall.recall.value is not None and overall.recall.value >= 0.95
    assert overall.precision.value is not None and overall.precision.value >= 0.95
    # a brief shows no English figure or name its events' sentences do not give, whatever the answers
    assert overall.grounded.value == 1.0
