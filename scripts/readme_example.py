"""Print the README's "Real output": the brief of the example article, the embedded model's answers
replayed from the small-profile cassette through this release, rendered as Markdown.

    .venv/bin/python scripts/readme_example.py
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.brief.markdown import to_markdown  # noqa: E402
from summarizer.replay import CASSETTES, replayed_brief  # noqa: E402

CASSETTE = CASSETTES / "test_small_profile_brief_of_the_hasakah_strikes_article.yaml"


def main() -> int:
    brief = replayed_brief(
        ROOT / "examples/hasakah-strikes-2023-03-24.txt",
        CASSETTE,
        published=dt.date(2023, 3, 24),
        profile="small",
    )
    print(to_markdown(brief))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
