"""Print the README's "Real output": the brief of the example article, the embedded model's answers
replayed from the small-profile cassette through this release, rendered as Markdown.

    .venv/bin/python scripts/readme_example.py
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import vcr

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.api import Briefer  # noqa: E402
from summarizer.config import resolve_settings  # noqa: E402
from summarizer.inputs import read_article  # noqa: E402
from summarizer.pipeline import PipelineOptions  # noqa: E402
from summarizer.render import to_markdown  # noqa: E402

CASSETTE = (
    ROOT / "cassettes/test_pipeline_cassettes/test_small_profile_brief_of_the_hasakah_strikes_article.yaml"
)


def main() -> int:
    settings = resolve_settings(
        base_url="http://127.0.0.1:8765/v1",
        model="qwen2.5-coder-1.5b",
        structured_output="json_object",
        timeout=60,
    )
    article = read_article(ROOT / "examples/hasakah-strikes-2023-03-24.txt", published=dt.date(2023, 3, 24))
    recorder = vcr.VCR(
        record_mode="none", match_on=["method", "path", "body"], decode_compressed_response=True
    )
    with recorder.use_cassette(str(CASSETTE)):
        brief = Briefer(settings, use_cache=False, options=PipelineOptions(profile="small")).brief(article)
    print(to_markdown(brief))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
