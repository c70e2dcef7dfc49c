"""Quality of the briefs on the gold set, both splits, side by side in one run.

    python benchmarks/quality_bench.py [--no-model] [--files NAME ...]

Columns, each scored by ``summarizer eval``'s scorer on ``gold/`` (23 articles: tune and held out):

- ``code only``: the small profile with a model that never answers: what code reads and composes
  alone (seconds, no engine);
- ``perfect answers``: the large profile's parsing and checks fed the answers a strong model would
  give (:func:`summarizer.testing.gold_answers`): what the checks keep of a perfect reading;
- ``embedded``: the default, the small profile on the embedded model, cache off (about a minute an
  article on 2 cores; skipped with ``--no-model``).

Rows, per split: event precision and recall, casualty figures right on matched events (killed and
injured), key facts in each language, no-violence stories with zero events, English sentences with a
figure or name their cited sentences do not give (must be 0), output tokens per brief, the model's
translations shown of those asked (the rest failed the checks and are left out). The last line
is one JSON object with every figure. Never run it beside another llama.cpp process.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.arabic.gazetteer import default_gazetteer  # noqa: E402
from summarizer.brief.crossscript import check_translation  # noqa: E402
from summarizer.brief.pipeline import PipelineOptions, brief_article  # noqa: E402
from summarizer.evaluation import EvalReport, GoldArticle, evaluate  # noqa: E402
from summarizer.inputs import read_article  # noqa: E402
from summarizer.schema import ArticleBrief  # noqa: E402
from summarizer.testing import ScriptedBackend, gold_answers  # noqa: E402


def _code_only(path: Path, gold: GoldArticle) -> ArticleBrief:
    article = read_article(path, published=gold.published)
    return brief_article(article, ScriptedBackend(lambda m, r: None), PipelineOptions(profile="small"))


def _perfect(path: Path, gold: GoldArticle) -> ArticleBrief:
    article = read_article(path, published=gold.published)
    backend = gold_answers(article.sentences(), gold)
    return brief_article(article, backend, PipelineOptions(profile="large", max_events=20))


def _embedded() -> Any:
    from summarizer.api import Briefer
    from summarizer.config import resolve_settings

    briefer = Briefer(
        resolve_settings(backend="embedded"), use_cache=False, options=PipelineOptions(profile="small")
    )

    def brief(path: Path, gold: GoldArticle) -> ArticleBrief:
        return briefer.brief(read_article(path, published=gold.published))

    return brief


def ungrounded(brief: ArticleBrief) -> list[str]:
    """English sentences of a brief with a figure or name their cited sentences do not give."""
    gaz = default_gazetteer()
    text = {s.id: s.text for s in brief.article.sentences}
    bad = []
    en = brief.summary.en
    for kp in en.key_points:
        if check_translation(
            " ".join(text.get(n, "") for n in kp.sentences), kp.text, gaz, exact_figures=False
        ):
            bad.append(kp.text)
    for event in brief.events:
        if check_translation(" ".join(event.evidence), event.description_en, gaz, exact_figures=False):
            bad.append(event.description_en)
    whole = " ".join(text.values())
    for part in (en.headline, en.text):
        if part and check_translation(whole, part, gaz, exact_figures=False):
            bad.append(part)
    return bad


_SHOWN = re.compile(r"translates sentence\(s\) ([\d, ]+)")


def _rows(
    report: EvalReport, briefs: dict[str, ArticleBrief], gold: dict[str, GoldArticle]
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for split in ("tune", "heldout"):
        scores = [a for a in report.articles if a.split == split]
        if not scores:
            continue
        overall = report.splits.get(split, report.overall)
        names = [a.article for a in scores]
        quiet = [n for n in names if gold[n].events == []]
        tokens = [briefs[n].meta.usage.completion_tokens for n in names if n in briefs]
        warnings = [w for n in names if n in briefs for w in briefs[n].meta.warnings]
        shown = sum(len(m.group(1).split(",")) for w in warnings if (m := _SHOWN.search(w)))
        shown += sum(1 for w in warnings if "the quote is the model's translation" in w)
        failed_tr = sum(1 for w in warnings if "failed the checks" in w)
        silent = sum(1 for n in quiet if n in briefs and not briefs[n].events)
        out[split] = {
            "articles": len(names),
            "precision": overall.precision.value,
            "recall": overall.recall.value,
            "killed": overall.fields["killed"].value,
            "injured": overall.fields["injured"].value,
            "facts_en": overall.facts_en.value,
            "facts_ar": overall.facts_ar.value,
            "quiet_zero_events": f"{silent}/{len(quiet)}",
            "ungrounded_sentences": sum(len(ungrounded(briefs[n])) for n in names if n in briefs),
            "output_tokens_per_brief": round(sum(tokens) / len(tokens)) if tokens else None,
            "translations_shown": f"{shown}/{shown + failed_tr}",
            "failed": overall.failed,
        }
    return out


def run(name: str, fn: Any, corpus: str, files: list[str] | None = None) -> tuple[dict[str, Any], float]:
    briefs: dict[str, ArticleBrief] = {}
    gold: dict[str, GoldArticle] = {}

    def keep(path: Path, g: GoldArticle) -> ArticleBrief:
        brief = fn(path, g)
        briefs[path.name] = brief
        gold[path.name] = g
        return brief

    def said(i: int, n: int, score: Any) -> None:
        print(f"  {name}: {i}/{n} {score.article}", file=sys.stderr)

    started = time.perf_counter()
    report = evaluate(ROOT / "gold", corpus=corpus, files=files, brief_fn=keep, on_article=said)
    return _rows(report, briefs, gold), time.perf_counter() - started


def _fmt(v: Any) -> str:
    if v is None:
        return "-"
    return f"{v:.2f}" if isinstance(v, float) else str(v)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-model", action="store_true", help="skip the embedded model's column")
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"), help="corpus folder")
    parser.add_argument("--files", nargs="*", help="only these articles (file names), e.g. the corpus's four")
    args = parser.parse_args()
    columns: dict[str, Any] = {"code only": _code_only, "perfect answers": _perfect}
    if not args.no_model:
        columns["embedded (small)"] = _embedded()
    results: dict[str, Any] = {}
    seconds: dict[str, float] = {}
    for name, fn in columns.items():
        results[name], seconds[name] = run(name, fn, args.corpus, args.files)
    metrics = list(next(iter(next(iter(results.values())).values())).keys())
    for split in ("tune", "heldout"):
        print(f"\n{split}")
        print(f"{'':26}" + "".join(f"{c:>20}" for c in results))
        for m in metrics:
            print(f"{m:26}" + "".join(f"{_fmt(results[c].get(split, {}).get(m)):>20}" for c in results))
    print(f"{'seconds (all articles)':26}" + "".join(f"{seconds[c]:>20.1f}" for c in results))
    print(json.dumps({"columns": results, "seconds": {k: round(v, 1) for k, v in seconds.items()}}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
