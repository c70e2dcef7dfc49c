"""Quality of the pipeline's code on fixed model answers: the gold-set scores of the recorded cassettes.

    python benchmarks/replay_eval.py [--json]

The cassettes in ``cassettes/test_pipeline_cassettes/`` hold the embedded model's real answers for the
corpus articles (recorded against llama-cpp-python's server). Replaying them through the pipeline and
scoring the briefs with ``summarizer eval``'s scorer measures what the deterministic checks and
completions (``summarizer/grounding.py``, ``summarizer/pipeline.py``) make of the same answers, in a
few seconds and without the model: run it at two commits to compare them. No network, no engine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
from pathlib import Path

import vcr

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.api import Briefer  # noqa: E402
from summarizer.config import resolve_settings  # noqa: E402
from summarizer.evaluation import evaluate, format_report  # noqa: E402
from summarizer.inputs import read_article  # noqa: E402
from summarizer.schema import ArticleBrief  # noqa: E402

CASSETTES = ROOT / "cassettes" / "test_pipeline_cassettes"
#: Corpus article -> (publication date, the cassette recorded for it).
ARTICLES = {
    "000_8449cddc9f5e7774.txt": ("2023-03-24", "test_brief_of_the_biden_ottawa_article"),
    "002_d47aa0b70ac3c6f1.txt": ("2023-03-24", "test_brief_of_the_hasakah_strikes_article"),
    "003_1aacc9b910f4f0d9.txt": ("2021-06-28", "test_brief_of_the_2021_rocket_attack_article"),
    "004_acd604f23db3c241.txt": ("2023-10-23", "test_brief_of_the_omar_oil_field_article"),
}
#: The URL and model the cassettes were recorded with (requests are matched on their body).
RECORD_URL = "http://127.0.0.1:8765/v1"


def replayed_brief(path: Path) -> ArticleBrief:
    """The brief of a corpus article, its model answers replayed from the article's cassette."""
    published, test = ARTICLES[path.name]
    settings = resolve_settings(
        base_url=RECORD_URL, model="qwen2.5-coder-1.5b", structured_output="json_object", timeout=1800
    )
    article = read_article(path, published=dt.date.fromisoformat(published))
    with vcr.use_cassette(
        str(CASSETTES / f"{test}.yaml"),
        record_mode="none",
        match_on=["method", "scheme", "host", "port", "path", "query", "body"],
        allow_playback_repeats=True,
    ):
        return Briefer(settings, use_cache=False).brief(article)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the full report as JSON")
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"), help="corpus folder")
    args = parser.parse_args()
    logging.getLogger("instructor").setLevel(logging.CRITICAL)  # the pipeline says what failed in warnings
    files = [name for name, (_, test) in ARTICLES.items() if (CASSETTES / f"{test}.yaml").is_file()]
    report = evaluate(
        ROOT / "gold", corpus=args.corpus, files=files, brief_fn=lambda path, _gold: replayed_brief(path)
    )
    print(report.model_dump_json(indent=2) if args.json else format_report(report))
    return 1 if report.overall.failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
