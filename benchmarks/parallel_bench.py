"""Parallel sequences on the embedded model: one article's translate questions at several widths.

    python benchmarks/parallel_bench.py [--article NAME] [--widths 1,2,4,8] [--digest]

Runs the embedded model. The questions are the ones the small profile asks of one corpus article
(recorded by briefing it with a backend that answers nothing: :func:`summarizer.testing.
recorded_requests`), put to the engine as they are, grammar and all:

- once one at a time through :func:`~summarizer.llm.engine.generate` (the path every brief takes
  today): the reference answers, and its rate;
- then through :func:`~summarizer.llm.engine.generate_many` at each width, in the same process on the
  same loaded model. The shared system prompt is evaluated before the clock starts (every call after
  the first finds it in sequence 0); each question's own prompt tokens are in the wall time.

The machine is shared with other work: the widths run in turn ``--reps`` times (forwards, then
backwards) and each keeps its fastest run; every run's generation rate is printed too. For each width:
generated tokens, the generation rate (tokens chosen in one-token-per-sequence decodes,
over the time of those decodes and of choosing each token, grammar checks included), the wall rate
(every generated token over the whole call, prompts included), the mean sequences per decode, how many
answers parse and validate, and how many are token for token the reference's. The last line is one
JSON object; ``embedded_parallel_speedup`` is the best width's generation rate over width 1's.

With ``--digest``, also the four corpus articles briefed end to end (small profile, no cache) the way
the digest briefs them (``summarize_many``), once one article at a time (``concurrency=1``) and once
through the batched executor at the best width measured above: articles per hour of each.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.inputs import read_article  # noqa: E402
from summarizer.llm.parallel import cpu_model  # noqa: E402
from summarizer.replay import corpus_dir, corpus_published  # noqa: E402

DEFAULT_ARTICLE = "000_8449cddc9f5e7774.txt"


def _valid(text: str, model: type[Any]) -> bool:
    from pydantic import ValidationError

    try:
        model.model_validate_json(text)
    except ValidationError:
        return False
    return True


def run(article_name: str, widths: list[int], reps: int = 2) -> dict[str, Any]:
    from summarizer.brief.questions import Translation
    from summarizer.config import resolve_settings
    from summarizer.llm.backends import REPEAT_PENALTY, EmbeddedBackend
    from summarizer.llm.engine import Job, ParallelContext, generate, generate_many
    from summarizer.testing import recorded_requests

    published = corpus_published()
    article = read_article(corpus_dir() / article_name, published=published.get(article_name))
    requests = [r for r in recorded_requests(article) if r.step == "translate"]
    backend = EmbeddedBackend(resolve_settings(), show_progress=False)
    llm = backend.llm
    jobs = [
        Job(
            prompt=backend._chat.encode([dict(m) for m in r.messages]),
            gbnf=backend._gbnf(r.schema),
            max_tokens=r.max_tokens,
        )
        for r in requests
    ]
    print(
        f"{article_name}: {len(jobs)} questions, prompts {[len(j.prompt) for j in jobs]} tokens", flush=True
    )

    # the reference: one at a time, the system prompt already in the KV cache
    shared = min(len(j.prompt) for j in jobs) - 1
    while shared and any(j.prompt[:shared] != jobs[0].prompt[:shared] for j in jobs):
        shared -= 1
    llm.reset()
    llm.eval(jobs[0].prompt[:shared])
    t0 = time.perf_counter()
    reference = [
        generate(llm, j.prompt, j.gbnf, max_tokens=j.max_tokens, repeat_penalty=REPEAT_PENALTY) for j in jobs
    ]
    ref_wall = time.perf_counter() - t0
    ref_tokens = sum(len(g.tokens) for g in reference)
    single = {
        "tokens": ref_tokens,
        "wall_s": round(ref_wall, 2),
        "wall_tok_s": round(ref_tokens / ref_wall, 2),
        "valid": sum(_valid(g.text, Translation) for g in reference),
    }
    print(f"generate, one at a time: {json.dumps(single)}", flush=True)

    results: dict[str, Any] = {}
    # the machine is shared: the widths run in turn, forwards then backwards, and each keeps its best run
    order = [w for rep in range(reps) for w in (widths if rep % 2 == 0 else widths[::-1])]
    for width in order:
        context = ParallelContext(llm, width)
        try:
            context.set_prefix(jobs[0].prompt[:shared])
            context.fill_seconds = 0.0
            t0 = time.perf_counter()
            gens = generate_many(llm, context, jobs, repeat_penalty=REPEAT_PENALTY)
            wall = time.perf_counter() - t0
        finally:
            context.close()
        tokens = sum(len(g.tokens) for g in gens)
        rate = round(context.step_tokens / context.step_seconds, 2) if context.step_seconds else 0.0
        row = {
            "tokens": tokens,
            "wall_s": round(wall, 2),
            "wall_tok_s": round(tokens / wall, 2),
            "generation_tok_s": rate,
            "prompt_s": round(context.fill_seconds, 2),
            "sequences_per_decode": round(context.step_tokens / context.steps, 2) if context.steps else None,
            "valid": sum(_valid(g.text, Translation) for g in gens),
            "identical": sum(g.tokens == r.tokens for g, r in zip(gens, reference, strict=True)),
            "questions": len(gens),
        }
        print(f"width {width}: {json.dumps(row)}", flush=True)
        kept = results.get(str(width))
        if kept is None:
            for k, (g, r) in enumerate(zip(gens, reference, strict=True)):
                if g.tokens != r.tokens:
                    print(f"  question {k + 1} differs:\n    one:  {r.text}\n    many: {g.text}", flush=True)
        runs = [*(kept or {}).get("generation_tok_s_runs", []), rate]
        if kept is None or rate > kept["generation_tok_s"]:
            kept = row
        kept["generation_tok_s_runs"] = runs
        results[str(width)] = kept

    base = results[str(widths[0])]["generation_tok_s"] if widths and widths[0] == 1 else None
    best = max(widths, key=lambda w: results[str(w)]["generation_tok_s"] or 0.0)
    best_rate = results[str(best)]["generation_tok_s"]
    base_wall = results["1"]["wall_tok_s"] if "1" in results else None
    return {
        "article": article_name,
        "cpu": cpu_model(),
        "threads": backend.threads,
        "questions": len(jobs),
        "generate": single,
        "widths": results,
        "best_width": best,
        "embedded_parallel_speedup": round(best_rate / base, 2) if base and best_rate else None,
        "embedded_parallel_speedup_wall": (
            round(results[str(best)]["wall_tok_s"] / base_wall, 2) if base_wall else None
        ),
    }


def digest(width: int) -> dict[str, Any]:
    """Articles per hour through ``summarize_many``: one at a time, then batched at ``width``."""
    import tempfile

    from summarizer.api import get_summarizer

    published = corpus_published()
    items = [read_article(corpus_dir() / name, published=published[name]) for name in sorted(published)]
    out: dict[str, Any] = {"articles": len(items), "width": width}
    with tempfile.TemporaryDirectory() as tmp:
        summarizer = get_summarizer(backend="embedded", cache=False, cache_dir=tmp, profile="small")
        for label, concurrency in (("one_at_a_time", 1), ("batched", width)):
            t0 = time.perf_counter()
            results = list(summarizer.summarize_many(items, concurrency=concurrency))
            wall = time.perf_counter() - t0
            failed = [r.name for r in results if r.error is not None]
            out[label] = {
                "wall_s": round(wall, 1),
                "articles_per_hour": round(3600 * len(items) / wall, 1),
                "failed": failed,
            }
            print(f"digest, {label}: {json.dumps(out[label])}", flush=True)
    out["speedup"] = round(out["one_at_a_time"]["wall_s"] / out["batched"]["wall_s"], 2)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--article", default=DEFAULT_ARTICLE, help="a corpus article's file name")
    parser.add_argument("--widths", default="1,2,4,8", help="comma-separated widths; 1 first")
    parser.add_argument("--reps", type=int, default=2, help="runs of each width (the best is kept)")
    parser.add_argument(
        "--digest", action="store_true", help="also brief the corpus one at a time and batched"
    )
    args = parser.parse_args()
    widths = [int(w) for w in args.widths.split(",")]
    result = run(args.article, widths, args.reps)
    if args.digest:
        result["digest"] = digest(result["best_width"])
    print(json.dumps(result))


if __name__ == "__main__":
    main()
