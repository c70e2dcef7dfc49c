"""CPU kernels benchmark: the engine's raw rates with the portable AVX2 kernels against the kernels
chosen for this CPU at run time, side by side from one run on this machine.

    python benchmarks/kernels_bench.py [FILE] [--variants haswell,auto,...] [--rounds N] [--reps N]

FILE defaults to corpus article 002. Each variant runs in its own process (one process can load one
set of CPU kernels), one after the other, never two at once, and the variants take turns for
``--rounds`` rounds, so that a burst of load from elsewhere on a shared machine does not fall on one
variant only:

- ``haswell``: the portable x86-64-v3 kernels (AVX2, FMA, F16C, BMI2), what scripts/install.sh built
  before every variant was built;
- ``auto``: the variant :func:`summarizer.llm.kernels.load` chooses for this CPU and its OS;
- ``ggml``: the variant ggml's own ``ggml_backend_load_all_from_path`` picks from CPUID alone;
- any variant name (``skylakex``, ``icelake``, ``zen4``, ``sapphirerapids``, ...), forced.

For each: prompt tokens/s (the article's tokens evaluated on an empty KV cache) and generation tokens/s
(64 greedy tokens after it, only the engine's decode timed), the best of all its runs (``--reps``
per process), the variant the process really mapped (read from /proc/self/maps), and each rate's ratio
to the first variant's. A process killed by a signal (SIGILL: an instruction this CPU or OS refuses) is
reported as such. The last line is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _mapped_variant() -> str | None:
    """The CPU variant library this process has mapped."""
    text = Path("/proc/self/maps").read_text(encoding="utf-8", errors="replace")
    found = set(re.findall(r"libggml-cpu-([A-Za-z0-9_.]+?)\.so", text))
    return ",".join(sorted(found)) or None


def child(variant: str, path: Path, reps: int) -> dict[str, Any]:
    """Load ``variant``'s kernels and the default model in this process and measure the raw rates."""
    from benchmarks.embedded_bench import raw_rates
    from summarizer.config import resolve_settings
    from summarizer.llm.backends import EmbeddedBackend
    from summarizer.llm.kernels import engine_lib_dir

    forced = None if variant in ("auto", "ggml") else variant
    if variant == "ggml":
        from summarizer.llm.kernels import _libggml

        lib_dir = engine_lib_dir()
        _libggml(lib_dir).ggml_backend_load_all_from_path(str(lib_dir).encode())
    t0 = time.perf_counter()
    backend = EmbeddedBackend(resolve_settings(backend="embedded", cpu_variant=forced), show_progress=False)
    load_s = time.perf_counter() - t0
    text = path.read_text(encoding="utf-8")
    rates = [raw_rates(backend, text) for _ in range(reps)]
    return {
        "variant": variant,
        "mapped": _mapped_variant(),
        "reason": backend.kernels.reason,
        "threads": backend.threads,
        "prompt_tokens": backend.count_tokens(text),
        "load_s": round(load_s, 1),
        "pp_tok_s": round(max(r[0] for r in rates), 1),
        "tg_tok_s": round(max(r[1] for r in rates), 1),
        "pp_runs": [round(r[0], 1) for r in rates],
        "tg_runs": [round(r[1], 1) for r in rates],
    }


def run_variant(variant: str, path: Path, reps: int) -> dict[str, Any]:
    """One variant in a fresh process; a crash is a result, not an exception."""
    proc = subprocess.run(
        [sys.executable, __file__, str(path), "--child", variant, "--reps", str(reps)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if proc.returncode == 0:
        result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
        return result
    if proc.returncode < 0:
        died = f"killed by {signal.Signals(-proc.returncode).name}"
    else:
        lines = [line for line in proc.stderr.splitlines() if line.strip()]
        died = f"exit {proc.returncode}: {lines[-1] if lines else ''}"
    return {"variant": variant, "died": died}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path)
    parser.add_argument(
        "--variants", default="haswell,auto", help="comma-separated; the first is the baseline"
    )
    parser.add_argument(
        "--reps", type=int, default=2, help="runs per variant on one loaded model (best kept)"
    )
    parser.add_argument("--rounds", type=int, default=3, help="fresh processes per variant, taking turns")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    from summarizer.replay import corpus_dir

    path = args.file or next(iter(sorted(corpus_dir().glob("002_*.txt"))))
    if args.child:
        print(json.dumps(child(args.child, path, args.reps)), flush=True)
        return
    from summarizer.llm.kernels import available_variants, choose_variant, engine_lib_dir, usable_features

    lib_dir = engine_lib_dir()
    cpu = usable_features()
    model = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    cpu_name = next(
        (ln.split(":", 1)[1].strip() for ln in model.splitlines() if ln.startswith("model name")), "?"
    )
    print(f"CPU: {cpu_name}; usable: {' '.join(sorted(cpu.usable))}")
    for note in cpu.notes:
        print(f"  not usable: {note}")
    available = available_variants(lib_dir)
    if available:
        chosen = choose_variant(available, cpu).variant
        print(f"variants built: {', '.join(sorted(available))}; chosen: {chosen}")
    print(f"article: {path.name}; {args.rounds} rounds, the variants taking turns", flush=True)
    variants = args.variants.split(",")
    runs: dict[str, list[dict[str, Any]]] = {v: [] for v in variants}
    died: dict[str, str] = {}
    for round_ in range(1, args.rounds + 1):
        for variant in variants:
            if variant in died:
                continue
            result = run_variant(variant, path, args.reps)
            if "died" in result:
                died[variant] = result["died"]
                print(f"  round {round_} {variant:<16}{result['died']}", flush=True)
                continue
            runs[variant].append(result)
            print(
                f"  round {round_} {variant:<16}{result['mapped'] or '(built in)':<16}"
                f"pp {result['pp_tok_s']:>6}  tg {result['tg_tok_s']:>6}",
                flush=True,
            )
    header = f"{'variant':<16}{'mapped':<16}{'pp tok/s':>10}{'tg tok/s':>10}{'pp ratio':>10}{'tg ratio':>10}"
    print(f"best of the rounds (a shared machine only ever slows a run down):\n{header}", flush=True)
    summary = []
    base: dict[str, Any] | None = None
    for variant in variants:
        if variant in died:
            summary.append({"variant": variant, "died": died[variant]})
            print(f"{variant:<16}{died[variant]}", flush=True)
            continue
        result = {
            "variant": variant,
            "mapped": runs[variant][0]["mapped"],
            "reason": runs[variant][0]["reason"],
            "pp_tok_s": max(r["pp_tok_s"] for r in runs[variant]),
            "tg_tok_s": max(r["tg_tok_s"] for r in runs[variant]),
            "pp_runs": [x for r in runs[variant] for x in r["pp_runs"]],
            "tg_runs": [x for r in runs[variant] for x in r["tg_runs"]],
        }
        if base is None:
            base = result
        result["pp_ratio"] = round(result["pp_tok_s"] / base["pp_tok_s"], 2)
        result["tg_ratio"] = round(result["tg_tok_s"] / base["tg_tok_s"], 2)
        summary.append(result)
        mapped = result["mapped"] or "(built in)"
        print(
            f"{variant:<16}{mapped:<16}{result['pp_tok_s']:>10}{result['tg_tok_s']:>10}"
            f"{result['pp_ratio']:>10}{result['tg_ratio']:>10}",
            flush=True,
        )
    print(json.dumps({"cpu": cpu_name, "article": path.name, "results": summary}))


if __name__ == "__main__":
    main()
