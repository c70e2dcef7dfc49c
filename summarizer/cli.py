"""The ``summarizer`` command line: a thin layer over :mod:`summarizer.api`.

Every error a user can cause becomes one line on stderr and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

import click

from summarizer import __version__
from summarizer.batch_cli import batch
from summarizer.cli_common import (
    backend_options,
    check_output_path,
    exit_code,
    fail,
    handle_errors,
    parse_date,
    settings_from,
    show_progress,
    write_atomically,
)
from summarizer.digest.cli import digest
from summarizer.errors import BackendError, InputError, SummarizerError, one_line

# The shared pieces live in cli_common (so that summarizer.digest.cli never imports this module);
# they are re-exported here under their old names.
_fail = fail
_settings = settings_from


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="summarizer")
@click.option("-v", "--verbose", is_flag=True, help="Log each LLM answer and validation error to stderr.")
def main(verbose: bool) -> None:
    """Structured bilingual briefs of Arabic news articles.

    Turns each article into an English and an Arabic summary with cited key points and a typed event
    list (who did what to whom, where, when, how many killed and injured, according to whom, with
    verbatim Arabic evidence). Runs offline on an embedded model by default; any OpenAI-compatible
    endpoint is one option away (--base-url, --model).
    """
    if verbose:
        from summarizer.redact import ScrubFilter

        logging.basicConfig(level=logging.WARNING, format="%(name)s: %(message)s")
        logging.getLogger("summarizer").setLevel(logging.DEBUG)
        for handler in logging.getLogger().handlers:
            handler.addFilter(ScrubFilter())  # no key in any log line


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "json", "jsonl"]),
    default="markdown",
    show_default=True,
    help="markdown for reading; json prints the ArticleBrief (an array for several files); "
    "jsonl one per line.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    help="Write to this file instead of stdout.",
)
@click.option(
    "--published", callback=parse_date, help="Publication date YYYY-MM-DD, when the article lacks it."
)
@click.option("--source", help="Outlet that published the article.")
@click.option("--url", help="Where the article was published.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the brief cache.")
@click.option(
    "--max-events", type=click.IntRange(0, 20), default=6, show_default=True, help="Most events to extract."
)
@click.option(
    "--profile",
    type=click.Choice(["auto", "small", "large"]),
    default=None,
    help="small: code reads the article and the model answers narrow checked questions (default on the "
    "embedded model); large: the model reads the whole article, then the same checks (default behind "
    "a server). [env: SUMMARIZER_PROFILE]",
)
@click.option(
    "--concurrency",
    type=click.IntRange(1, 256),
    help="Articles in flight at once: behind a server (default 8), or on the embedded engine, decoded "
    "together as parallel sequences (default: the width calibrated for this CPU; 1: one at a time).",
)
@backend_options
@handle_errors
def summarize(
    files: tuple[str, ...],
    fmt: str,
    output: str | None,
    published: dt.date | None,
    source: str | None,
    url: str | None,
    no_cache: bool,
    max_events: int,
    profile: str | None,
    concurrency: int | None,
    **backend_kwargs: Any,
) -> None:
    """Brief Arabic news articles: FILES are .txt or .html files, directories of them, or - for stdin.

    Plain text may be UTF-8 (with or without BOM) or Windows-1256. Several files are briefed in turn
    (a status line shows the step on a terminal); a file that fails is reported on stderr and the
    others still complete (the exit code is then 1).
    """
    from summarizer.api import summarize_many
    from summarizer.brief.markdown import to_markdown
    from summarizer.inputs import expand_paths

    paths = list(expand_paths(files))
    if not paths:
        raise InputError(f"no .txt or .html articles found in {', '.join(files)}")
    if paths.count("-") > 1:
        raise InputError("stdin (-) can be given only once")
    if output:
        check_output_path(output)  # before any LLM call is paid for
    settings = _settings(**backend_kwargs)
    from summarizer.config import destination

    logging.getLogger("summarizer.cli").info("articles go to: %s", destination(settings))

    briefs = []
    failures = 0
    last_error: SummarizerError | None = None
    exit_codes: set[int] = set()
    interrupted = False
    results: Any = None
    from summarizer import progress as progress_line

    # on a terminal: one status line (article i/n, file, the pipeline's step, elapsed time); else nothing
    progress = progress_line.Status(total=len(paths), enabled=show_progress())
    progress.article(1, "stdin" if paths[0] == "-" else Path(paths[0]).name)
    order = {p: i for i, p in enumerate(paths)}
    if progress:
        progress.start()
    try:
        results = summarize_many(
            paths,
            concurrency=concurrency,
            published=published,
            source=source,
            url=url,
            settings=settings,
            cache=not no_cache,
            max_events=max_events,
            profile=profile,
        )
        for result in results:
            if result.error is not None:
                failures += 1
                last_error = result.error
                exit_codes.add(exit_code(result.error))
                msg = one_line(result.error)
                if len(paths) > 1 and result.name not in msg:
                    msg = f"{result.name}: {msg}"
                line = f"summarizer: error: {msg}"
                progress.print(line)  # above the status line, one line, never wrapped
            else:
                briefs.append((order.get(str(result.item), 0), result.brief))
            done = len(briefs) + failures
            if done < len(paths):
                progress.article(done + 1, "stdin" if paths[done] == "-" else Path(paths[done]).name)
    except KeyboardInterrupt:
        # Ctrl-C: queued articles are cancelled at once; the briefs already finished are kept.
        interrupted = True
        if results is not None:
            results.close()
    finally:
        if progress:
            progress.stop()

    briefs.sort(key=lambda pair: pair[0])
    ordered = [b for _, b in briefs if b is not None]
    if fmt == "json":
        if len(paths) == 1 and ordered:
            text = ordered[0].model_dump_json(indent=2) + "\n"
        else:
            text = (
                json.dumps([b.model_dump(mode="json") for b in ordered], ensure_ascii=False, indent=2) + "\n"
            )
    elif fmt == "jsonl":
        text = "".join(b.model_dump_json() + "\n" for b in ordered)
    else:
        text = "\n---\n\n".join(to_markdown(b) for b in ordered)
    if output:
        if ordered or not (failures or interrupted):  # a failed run leaves an existing file as it was
            write_atomically(output, text)
    elif text:
        click.echo(text, nl=False)
    if interrupted:
        kept = f"{len(ordered)} finished brief(s) kept" + (f" in {output}" if output and ordered else "")
        click.echo(f"summarizer: error: interrupted: {kept}", err=True)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(exit_code(KeyboardInterrupt))  # requests still in flight are abandoned, not waited for
    if failures:
        if len(paths) > 1:
            click.echo(f"summarizer: {failures} of {len(paths)} article(s) failed", err=True)
            backend_down = exit_code(BackendError)
            sys.exit(backend_down if backend_down in exit_codes else 1)  # the backend is down or refusing
        sys.exit(exit_code(last_error) if last_error else 1)


@main.group()
def cache() -> None:
    """Inspect or clear the brief cache."""


@cache.command("stats")
@click.option(
    "--cache-dir", type=click.Path(file_okay=False), help="Brief cache directory [SUMMARIZER_CACHE_DIR]."
)
@click.option("--json", "as_json", is_flag=True, help="Print the statistics as JSON.")
@handle_errors
def cache_stats(cache_dir: str | None, as_json: bool) -> None:
    """Show how many briefs the cache holds, for which models, and its size."""
    from dataclasses import asdict

    from summarizer.cache import BriefCache

    settings = _settings(cache_dir=cache_dir, backend="embedded")
    stats = BriefCache(settings.cache_path).stats()
    if as_json:
        click.echo(json.dumps(asdict(stats), indent=2))
        if stats.error:
            sys.exit(1)
        return
    click.echo(f"cache:    {stats.path}")
    if stats.error:
        state = "corrupt" if stats.corrupt else "unreadable"
        hint = "; `summarizer cache clear` recreates it" if stats.corrupt else ""
        click.echo(f"status:   {state}: {stats.error}{hint}")
        sys.exit(1)
    click.echo(f"briefs:   {stats.entries} ({stats.articles} distinct articles)")
    click.echo(f"size:     {stats.size_bytes / 1e6:.2f} MB")
    if stats.entries:
        click.echo(f"oldest:   {stats.oldest}")
        click.echo(f"newest:   {stats.newest}")
        for model, n in sorted(stats.by_model.items()):
            click.echo(f"  {model}: {n}")


@cache.command("clear")
@click.option(
    "--cache-dir", type=click.Path(file_okay=False), help="Brief cache directory [SUMMARIZER_CACHE_DIR]."
)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@handle_errors
def cache_clear(cache_dir: str | None, yes: bool) -> None:
    """Delete every cached brief."""
    from summarizer.cache import BriefCache

    settings = _settings(cache_dir=cache_dir, backend="embedded")
    if not yes and sys.stdin.isatty() and not click.confirm(f"Delete every brief in {settings.cache_path}?"):
        return
    brief_cache = BriefCache(settings.cache_path)
    n = brief_cache.clear()
    if brief_cache.recreated:
        click.echo(f"the cache file was corrupt: recreated {brief_cache.path} (empty)")
    else:
        click.echo(f"deleted {n} brief(s) from {settings.cache_path}")


def _engine_installed() -> bool:
    from summarizer.llm.engine_info import engine_version

    return engine_version() is not None


@main.command()
@click.option(
    "--prepare",
    is_flag=True,
    help="Assemble and verify the active embedded model now, and keep the system prompt's KV state (once).",
)
@backend_options
@handle_errors
def models(prepare: bool, **backend_kwargs: Any) -> None:
    """List the embedded models, whether each is installed, and which backend is active."""
    from summarizer.llm import weights as m
    from summarizer.llm.engine_info import engine_status, kernels_status

    settings = _settings(**backend_kwargs)
    if prepare and settings.backend == "embedded" and not settings.model_path:
        path = m.ensure_model(m.get_model(settings.model), show_progress=True)
        click.echo(f"model ready: {path}", err=True)
    if prepare and settings.backend == "embedded" and _engine_installed():
        from summarizer.brief.pipeline import prepare as prepare_pipeline
        from summarizer.llm.backends import get_backend

        backend = get_backend(settings, show_progress=True)
        evaluated = prepare_pipeline(backend)
        state = f"evaluated {evaluated} tokens and saved" if evaluated else "already saved"
        click.echo(f"system prompt KV state: {state} under {settings.cache_path / 'kv'}", err=True)
        width = getattr(backend, "parallel_width", None)
        if width is not None:
            click.echo(f"parallel sequences: width {width()} (calibrated on this machine)", err=True)
    from summarizer.config import destination

    if settings.backend == "openai":
        click.echo(f"active backend: openai (model {settings.model})")
    elif settings.model_path:
        click.echo(f"active backend: embedded ({settings.model_path})")
    else:
        click.echo(f"active backend: embedded ({m.get_model(settings.model).name})")
    click.echo(f"articles go to: {destination(settings)}")
    click.echo(f"engine: {engine_status(settings.cpu_variant)}")
    click.echo(f"cpu kernels: {kernels_status(settings.cpu_variant)}")
    click.echo(f"models directory: {m.models_dir()}")
    if settings.backend == "embedded":
        click.echo(f"parallel sequences: {_calibrations(settings)}")
    active = None if settings.model_path or settings.backend == "openai" else m.get_model(settings.model).name
    for model in m.MODELS.values():
        mark = "*" if model.name == active else " "
        status = m.model_status(model)
        hint = f"  (install: {m.install_hint(model)})" if status == "missing" else ""
        click.echo(
            f"{mark} {model.name:<22} {status:<9} {model.size / 1e6:,.0f} MB  {model.description}{hint}"
        )


def _calibrations(settings: Any) -> str:
    """The parallel-sequence widths calibrated on this CPU and engine build, in one line."""
    from summarizer.llm.parallel import WidthStore, cpu_model, engine_build

    cpu, engine = cpu_model(), engine_build()
    found = [
        d
        for d in WidthStore.found(settings.cache_path / "kv")
        if d["identity"].get("cpu") == cpu and d["identity"].get("engine") == engine
    ]
    if not found:
        return "not calibrated on this machine yet (the first run of several articles does it; or --prepare)"
    parts = []
    for d in found:
        rates = ", ".join(f"{w}: {r}" for w, r in d.get("rates", {}).items())
        model = str(d["identity"].get("model", "")).split("|")[0]
        parts.append(
            f"width {d['width']} for {model} on {d['identity'].get('threads')} threads "
            f"(tokens/s by width {rates}; {d.get('calibrated')})"
        )
    return "; ".join(parts)


@main.command("eval")
@click.argument("gold_dir")
@click.option(
    "--corpus",
    help="Folder holding the articles (each gold file's article is looked up there by file name). "
    "Default: the path in the gold file, relative to it.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the full report as JSON.")
@click.option("--no-cache", is_flag=True, help="Brief every article again; do not read or write the cache.")
@click.option(
    "--briefs",
    type=click.Path(file_okay=False),
    help="Score the briefs in this folder (ARTICLE_STEM.json, e.g. saved by benchmarks/embedded_bench.py "
    "--save-briefs) instead of briefing.",
)
@click.option(
    "--max-events", type=click.IntRange(0, 20), default=6, show_default=True, help="Most events to extract."
)
@click.option(
    "--match-on",
    type=click.Choice(["event_type", "sub_event_type"]),
    default="event_type",
    show_default=True,
    help="What 'the same category' means when matching a brief's events to the gold events.",
)
@backend_options
@handle_errors
def eval_command(
    gold_dir: str,
    corpus: str | None,
    as_json: bool,
    no_cache: bool,
    max_events: int,
    match_on: str,
    briefs: str | None,
    **backend_kwargs: Any,
) -> None:
    """Score briefs against a gold set: GOLD_DIR holds one JSON gold file per article (docs/eval.md).

    Each article is briefed as `summarize --published DATE` would (cache first) and scored: event
    precision and recall, field accuracy on matched events, key facts found in each summary, evidence
    found in the article, warnings, time and tokens. A failed article is reported and the others go on;
    the exit code is 0 when the evaluation ran (1 when no article could be briefed at all).
    """
    from summarizer.evaluation import ArticleScore, evaluate, format_report

    settings = _settings(**backend_kwargs)
    brief_fn = None
    if briefs is not None:
        from summarizer.schema import ArticleBrief

        folder = Path(briefs)
        if not folder.is_dir():
            raise InputError(f"--briefs {briefs}: not a folder")

        def brief_fn(article: Path, gold: Any) -> ArticleBrief:
            path = folder / f"{Path(article).stem}.json"
            if not path.is_file():
                raise InputError(f"no brief {path} for {Path(article).name}")
            return ArticleBrief.model_validate_json(path.read_bytes())

    def progress(done: int, total: int, score: ArticleScore) -> None:
        state = f"failed: {score.error}" if not score.ok else f"{score.wall_s:.1f} s"
        click.echo(f"eval: [{done}/{total}] {score.article}: {state}", err=True)

    report = evaluate(
        gold_dir,
        corpus=corpus,
        settings=settings,
        cache=not no_cache,
        max_events=max_events,
        match_on="sub_event_type" if match_on == "sub_event_type" else "event_type",
        on_article=progress,
        brief_fn=brief_fn,
    )
    click.echo(report.model_dump_json(indent=2) + "\n" if as_json else format_report(report), nl=False)
    if report.articles and not any(a.ok for a in report.articles):
        sys.exit(1)


# summarizer.digest.cli imports cli_common, never this module: the import goes one way only.
main.add_command(digest)
main.add_command(batch)


if __name__ == "__main__":  # pragma: no cover
    main()
