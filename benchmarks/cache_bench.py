"""Cache benchmark: 1,000 cached articles re-briefed, against reading the same rows straight from SQLite.

    python benchmarks/cache_bench.py [--n 1000]

Both measurements run in this one process, side by side, on the same rows. "re-brief" is the full
public path a user takes (``Briefer.brief``: key computation over the normalized text, prompt and
schema hashes, SQLite lookup, JSON parsing and Pydantic validation of the whole brief); "raw SQLite"
is ``SELECT brief FROM briefs WHERE key = ?`` for the same keys, no parsing.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.api import Briefer  # noqa: E402
from summarizer.config import resolve_settings  # noqa: E402
from summarizer.inputs import article_from_text  # noqa: E402
from summarizer.schema import ArticleBrief  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    args = parser.parse_args()
    base_text = (ROOT / "examples" / "hasakah-strikes-2023-03-24.txt").read_text(encoding="utf-8")
    brief_json = (ROOT / "tests" / "data" / "briefs" / "002_d47aa0b70ac3c6f1.json").read_text(
        encoding="utf-8"
    )
    template = ArticleBrief.model_validate_json(brief_json)

    with tempfile.TemporaryDirectory() as tmp:
        settings = resolve_settings(cache_dir=tmp, backend="embedded")
        briefer = Briefer(settings)
        assert briefer.cache is not None
        articles = [article_from_text(f"{base_text}\nالنسخة رقم {i}.") for i in range(args.n)]
        keys = []
        for article in articles:
            key = briefer.key(article)
            brief = template.model_copy(deep=True)
            brief.article.id = article.id
            briefer.cache.put(key, brief)
            keys.append(key)

        t0 = time.perf_counter()
        for article in articles:
            b = briefer.brief(article)
            assert b.meta.cached
        rebrief = time.perf_counter() - t0

        conn = sqlite3.connect(briefer.cache.path)
        t0 = time.perf_counter()
        for key in keys:
            row = conn.execute("SELECT brief FROM briefs WHERE key = ?", (key,)).fetchone()
            assert row is not None
        raw = time.perf_counter() - t0
        conn.close()
        briefer.cache.close()

    n = args.n
    print(f"articles:                 {n}")
    print(f"re-brief from cache:      {n / rebrief:10,.0f} articles/s  ({rebrief * 1e3 / n:.3f} ms each)")
    print(f"raw SQLite row reads:     {n / raw:10,.0f} rows/s      ({raw * 1e3 / n:.3f} ms each)")
    print(
        f"ratio raw/re-brief:       {rebrief / raw:10.1f}x (time of a cached re-brief over a bare row read)"
    )


if __name__ == "__main__":
    main()
