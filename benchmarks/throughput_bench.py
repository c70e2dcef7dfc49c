"""Throughput benchmark: many articles through the concurrent and the batch executors, no model.

    python benchmarks/throughput_bench.py [--articles 1000] [--concurrency 64] [--delay 0.5] [--embedded]

Both parts run against ``summarizer.fake_openai`` in a process of its own (so its CPU is not the
client's), answering with the embedded model's recorded answers (the cassettes; an article never
recorded gets a recorded answer to the same schema), and each part runs in a child process of its own
so that its peak RSS is its own:

- **concurrent**: every article briefed through the concurrent executor at ``--concurrency``, each
  chat completion answered after ``--delay`` seconds. The ideal wall time is calls x delay /
  concurrency (the server's delay is the only cost); ``wall_over_ideal`` is how far the client is
  from it. Also the client's CPU seconds per article and its peak RSS.
- **batch**: the same articles through the batch executor against the fake Batch API (each batch
  completes at the first poll): rounds, lines, wall time, peak RSS.

- **embedded** (only with ``--embedded``: it runs the embedded model, minutes on 2 cores):
  ``benchmarks/parallel_bench.py`` in a child process, one corpus article's translate questions decoded
  one at a time and as parallel sequences at widths 1, 2, 4 and 8; ``embedded_parallel_speedup`` is the
  best width's aggregate generation rate over width 1's.

The articles are the four corpus articles repeated, each copy given a last sentence of its own
("هذا نص كتب لقياس الأداء، النسخة رقم N."): text written for this benchmark, so that no two copies
make the same requests. The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.inputs import Article, read_article  # noqa: E402
from summarizer.replay import RECORD_MODEL, RECORDED, corpus_dir, corpus_published  # noqa: E402

#: Why there is no embedded figure without ``--embedded``.
EMBEDDED_REASON = "not measured: run with --embedded (it runs the embedded model)"


def articles(n: int) -> list[Article]:
    """``n`` articles: the corpus articles in turn, each copy with a last sentence of its own."""
    published = corpus_published()
    base = [read_article(corpus_dir() / name, published=published[name]) for name in sorted(RECORDED)]
    out = []
    for i in range(n):
        a = base[i % len(base)]
        text = f"{a.text}\nهذا نص كتب لقياس الأداء، النسخة رقم {i + 1}."
        out.append(Article(text=text, name=f"bench-{i + 1:05d}-{Path(a.name).name}", published=a.published))
    return out


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def part_concurrent(url: str, n: int, concurrency: int, delay: float) -> dict[str, Any]:
    from summarizer.brief.pipeline import PipelineOptions, brief_article
    from summarizer.config import resolve_settings
    from summarizer.errors import SummarizerError
    from summarizer.llm.backends import OpenAIBackend
    from summarizer.llm.calls import article_scope
    from summarizer.llm.executors import ConcurrentExecutor

    items = articles(n)
    settings = resolve_settings(
        base_url=url, model=RECORD_MODEL, structured_output="json_object", api_key="k"
    )
    backend = OpenAIBackend(settings)
    options = PipelineOptions()
    calls = 0
    failed = 0

    def work(article: Article) -> int:
        try:
            with article_scope(article.id[:16]):
                return brief_article(article, backend, options).meta.usage.calls
        except SummarizerError:
            return -1

    cpu0, t0 = _cpu(), time.perf_counter()
    for result in ConcurrentExecutor(concurrency).map(work, items):
        if result < 0:
            failed += 1
        else:
            calls += result
    wall = time.perf_counter() - t0
    cpu = _cpu() - cpu0
    ideal = calls * delay / concurrency
    return {
        "articles": n,
        "failed": failed,
        "calls": calls,
        "concurrency": concurrency,
        "delay_s": delay,
        "wall_s": round(wall, 2),
        "ideal_s": round(ideal, 2),
        "wall_over_ideal": round(wall / ideal, 3) if ideal else None,
        "client_cpu_ms_per_article": round(1000 * cpu / n, 1),
        "rss_mb": round(_peak_rss_mb(), 1),
    }


def part_batch(url: str, n: int) -> dict[str, Any]:
    from summarizer.batch import BatchRun, make_engine
    from summarizer.brief.pipeline import PipelineOptions
    from summarizer.config import resolve_settings
    from summarizer.llm.batch_state import BatchState

    items = articles(n)
    with tempfile.TemporaryDirectory() as tmp:
        settings = resolve_settings(base_url=url, model=RECORD_MODEL, api_key="k", cache_dir=tmp)
        options = PipelineOptions()
        state = BatchState(settings.cache_path)
        cpu0, t0 = _cpu(), time.perf_counter()
        job = BatchRun.create(state, "openai", items, settings, options)
        run = BatchRun(state, make_engine("openai", settings), job, settings, options, cache=False)
        status = run.run(poll=0.0)
        wall = time.perf_counter() - t0
        cpu = _cpu() - cpu0
    return {
        "articles": n,
        "done": status.articles.get("done", 0),
        "failed": status.articles.get("failed", 0),
        "rounds": status.rounds,
        "batches": len(status.batches),
        "lines": status.lines,
        "wall_s": round(wall, 2),
        "client_cpu_ms_per_article": round(1000 * cpu / n, 1),
        "rss_mb": round(_peak_rss_mb(), 1),
    }


def _child(part: str, url: str, args: argparse.Namespace) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--part", part, "--url", url, "--articles", str(args.articles)]
    cmd += ["--concurrency", str(args.concurrency), "--delay", str(args.delay)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False, env={**os.environ})
    if out.returncode != 0:
        raise SystemExit(f"{part} part failed:\n{out.stderr[-3000:]}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _server(delay: float) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "summarizer.fake_openai", "--delay", str(delay)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert proc.stdout is not None
    return proc, proc.stdout.readline().strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--delay", type=float, default=0.5, help="seconds the server takes per chat answer")
    parser.add_argument(
        "--embedded", action="store_true", help="also measure parallel sequences on the embedded model"
    )
    parser.add_argument("--part", choices=["concurrent", "batch"], help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("SUMMARIZER_CACHE_DIR", tempfile.mkdtemp(prefix="throughput-bench-"))
    if args.part == "concurrent":
        print(json.dumps(part_concurrent(args.url, args.articles, args.concurrency, args.delay)))
        return
    if args.part == "batch":
        print(json.dumps(part_batch(args.url, args.articles)))
        return

    server, url = _server(args.delay)
    try:
        concurrent = _child("concurrent", url, args)
        print(f"concurrent: {json.dumps(concurrent)}", flush=True)
        batch = _child("batch", url, args)
        print(f"batch:      {json.dumps(batch)}", flush=True)
    finally:
        server.terminate()
        server.wait()
    embedded: dict[str, Any] | None = None
    if args.embedded:
        out = subprocess.run(
            [sys.executable, str(ROOT / "benchmarks" / "parallel_bench.py")],
            capture_output=True,
            text=True,
            check=False,
        )
        if out.returncode != 0:
            raise SystemExit(f"embedded part failed:\n{out.stderr[-3000:]}")
        embedded = dict(json.loads(out.stdout.strip().splitlines()[-1]))
        print(f"embedded:   {json.dumps(embedded)}", flush=True)
    summary: dict[str, Any] = {
        "wall_over_ideal": concurrent["wall_over_ideal"],
        "rss_mb": concurrent["rss_mb"],
        "batch_rss_mb": batch["rss_mb"],
        "embedded_parallel_speedup": embedded["embedded_parallel_speedup"] if embedded else None,
        "concurrent": concurrent,
        "batch": batch,
    }
    if embedded:
        summary["embedded"] = embedded
    else:
        summary["embedded_parallel_speedup_reason"] = EMBEDDED_REASON
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
