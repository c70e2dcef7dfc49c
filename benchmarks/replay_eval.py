"""Quality of the pipeline's code on fixed model answers: the gold-set scores of the recorded cassettes.

    python benchmarks/replay_eval.py [--json]

The cassettes in ``cassettes/test_pipeline_cassettes/`` hold the embedded model's real answers for the
corpus articles (recorded against llama-cpp-python's server). Replaying them through the pipeline and
scoring the briefs with ``summarizer eval``'s scorer measures what the deterministic checks and
completions (``summarizer/brief/grounding.py``, ``summarizer/brief/pipeline.py``) make of the same answers, in
a
few seconds and without the model: run it at two commits to compare them. No network, no engine.
The articles, their publication dates (from ``gold/``), the record URL and the replay are
``summarizer.replay``'s.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.evaluation import evaluate, format_report  # noqa: E402
from summarizer.replay import GOLD, SHARED_CORPUS, recorded_cassettes, replayed_brief  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the full report as JSON")
    parser.add_argument("--corpus", default=str(SHARED_CORPUS), help="corpus folder")
    args = parser.parse_args()
    files = list(recorded_cassettes())
    report = evaluate(
        GOLD, corpus=args.corpus, files=files, brief_fn=lambda path, _gold: replayed_brief(path)
    )
    print(report.model_dump_json(indent=2) if args.json else format_report(report))
    return 1 if report.overall.failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
