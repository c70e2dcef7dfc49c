"""Embedded-model benchmark: per-article wall time against the engine's floor, tokens, memory.

    python benchmarks/embedded_bench.py [FILES...]      (default: every article of ../shared/corpus)

For each article, in this one run:
- the engine's raw rates, measured first on the same loaded model: prompt tokens/s (evaluating the
  article's tokens on an empty KV cache) and generation tokens/s (64 greedy tokens after it, timing
  only the engine's decode of each token: no sampler, no grammar, no Python around it);
- a full brief (no cache): wall time, prompt tokens the engine actually evaluated (prefix-cache hits
  excluded), completion tokens;
- floor = article tokens / prompt rate + completion tokens / generation rate, and wall / floor
  (target <= 1.25);
- processed prompt tokens / article tokens (target <= 1.2); the system prompt, the same for every
  article, is evaluated once per installation (its KV state is kept on disk) and not counted per article;
- peak RSS of this process.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import llama_cpp
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.brief.pipeline import brief_article, prepare  # noqa: E402
from summarizer.config import resolve_settings  # noqa: E402
from summarizer.inputs import read_article  # noqa: E402
from summarizer.llm.backends import EmbeddedBackend  # noqa: E402
from summarizer.replay import SHARED_CORPUS, corpus_published  # noqa: E402


def raw_rates(backend: EmbeddedBackend, text: str) -> tuple[float, float]:
    """(prompt tokens/s, generation tokens/s) of the bare engine on this text."""
    llm = backend.llm
    tokens = llm.tokenize(text.encode("utf-8"), add_bos=True)
    llm.reset()
    t0 = time.perf_counter()
    llm.eval(tokens)
    prompt_s = time.perf_counter() - t0
    generated = 64
    gen_s = 0.0
    n_vocab = llm.n_vocab()
    for _ in range(generated):  # greedy, one token at a time after the prompt: only the decode is timed
        logits = np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(llm._ctx.ctx, -1), shape=(n_vocab,))
        token = int(np.argmax(logits))
        t0 = time.perf_counter()
        llm.eval([token])
        gen_s += time.perf_counter() - t0
    llm.reset()
    return len(tokens) / prompt_s, generated / gen_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--model", default=None, help="embedded model name (default: the default model)")
    parser.add_argument(
        "--save-briefs",
        type=Path,
        help="write each brief to DIR/ARTICLE_STEM.json (score: summarizer eval gold/ --briefs DIR)",
    )
    args = parser.parse_args()
    files = args.files or sorted(SHARED_CORPUS.glob("*.txt"))
    published = corpus_published()  # the corpus articles' dates, from gold/
    backend = EmbeddedBackend(resolve_settings(backend="embedded", model=args.model), show_progress=True)
    print(f"model {backend.model}, {backend.threads} threads, engine: {backend.llm.n_ctx()} ctx", flush=True)
    # The system prompt is the same for every article: its KV state is evaluated once and kept on disk
    # (as `summarizer models --prepare` does at install time), so no brief below pays for it.
    t0 = time.perf_counter()
    evaluated = prepare(backend)
    state = f"evaluated {evaluated} tokens and saved" if evaluated else "loaded"
    print(f"system prompt KV state: {state} ({time.perf_counter() - t0:.1f} s)", flush=True)
    columns = [
        ("article", 28),
        ("art tok", 8),
        ("processed", 10),
        ("proc/art", 9),
        ("out tok", 8),
        ("calls", 6),
        ("pp tok/s", 9),
        ("tg tok/s", 9),
        ("floor s", 8),
        ("wall s", 8),
        ("wall/floor", 11),
        ("events", 7),
        ("RSS MB", 8),
    ]
    print("".join(f"{name:<{w}}" if i == 0 else f"{name:>{w}}" for i, (name, w) in enumerate(columns)))
    for path in files:
        article = read_article(path, published=published.get(path.name))
        raw_text = path.read_text(encoding="utf-8")
        art_tokens = backend.count_tokens(raw_text) or 0
        pp_rate, tg_rate = raw_rates(backend, raw_text)
        t0 = time.perf_counter()
        brief = brief_article(article, backend)
        wall = time.perf_counter() - t0
        usage = brief.meta.usage
        floor = art_tokens / pp_rate + usage.completion_tokens / tg_rate
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        processed = usage.prompt_tokens_processed or 0
        values = [
            path.name[:27],
            art_tokens,
            processed,
            f"{processed / art_tokens:.2f}",
            usage.completion_tokens,
            usage.calls,
            f"{pp_rate:.1f}",
            f"{tg_rate:.1f}",
            f"{floor:.1f}",
            f"{wall:.1f}",
            f"{wall / floor:.2f}",
            len(brief.events),
            f"{rss:.0f}",
        ]
        print(
            "".join(
                f"{v!s:<{w}}" if i == 0 else f"{v!s:>{w}}"
                for i, (v, (_, w)) in enumerate(zip(values, columns, strict=True))
            ),
            flush=True,
        )
        for w in brief.meta.warnings:
            print(f"    warning: {w}", flush=True)
        if args.save_briefs:
            args.save_briefs.mkdir(parents=True, exist_ok=True)
            (args.save_briefs / f"{path.stem}.json").write_text(
                brief.model_dump_json(indent=2), encoding="utf-8"
            )


if __name__ == "__main__":
    main()
