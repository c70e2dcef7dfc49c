"""``summarizer batch``: brief many articles through a batch engine (:mod:`summarizer.batch`)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any

import click

from summarizer.cli_common import (
    EXIT_CODES,
    backend_options,
    check_output_path,
    handle_errors,
    parse_date,
    settings_from,
    write_atomically,
)
from summarizer.errors import InputError

#: Seconds between polls of `run` (the OpenAI Batch API takes minutes to hours).
DEFAULT_POLL = 30.0

_job = click.option("--job", help="The job (default: the latest one).")
_cache_dir = click.option(
    "--cache-dir", help="Where the brief cache and the batch state live [SUMMARIZER_CACHE_DIR]."
)
_api_key = click.option("--api-key", help="API key of the batch engine [SUMMARIZER_API_KEY, OPENAI_API_KEY].")
_output = [
    click.option(
        "--format",
        "fmt",
        type=click.Choice(["markdown", "json", "jsonl"]),
        default="markdown",
        show_default=True,
        help="How the briefs are printed once every article is finished.",
    ),
    click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the briefs to a file."),
]


def _output_options(func: Any) -> Any:
    for option in reversed(_output):
        func = option(func)
    return func


@click.group("batch")
def batch() -> None:
    """Brief many articles through a batch engine: the OpenAI Batch API (half the price, results within
    24 h) or vLLM's run-batch on your own GPUs.

    Each round is one JSONL file holding the next call of every article; `collect` reads a finished
    round and sends the next, `run` does that until every article has its brief. The state lives in
    SQLite next to the brief cache: after a crash, `collect` or `run` goes on where it stopped, never
    sending a line twice or briefing an article twice.
    """


def _echo_status(status: Any) -> None:
    parts = [f"{n} {state}" for state, n in sorted(status.articles.items())]
    steps = ", ".join(f"{step}: {n}" for step, n in sorted(status.steps.items()))
    rounds = status.rounds
    line = (
        f"job {status.job} ({status.engine}): {', '.join(parts)}; {rounds} round(s), {status.lines} line(s)"
    )
    click.echo(line + (f"; waiting at {steps}" if steps else ""), err=True)


def _open(job: str | None, *, api_key: str | None, cache_dir: str | None, echo: Any = None) -> Any:
    from summarizer.batch import BatchRun, make_engine
    from summarizer.brief.pipeline import PipelineOptions
    from summarizer.llm.batch_state import BatchState

    base = settings_from(cache_dir=cache_dir)
    state = BatchState(base.cache_path)
    job_id, engine, config = state.job(job)
    settings = settings_from(
        backend="openai",
        base_url=config.get("base_url"),
        model=config.get("model"),
        max_reasks=config.get("max_reasks"),
        api_key=api_key,
        cache_dir=cache_dir,
    )
    options = PipelineOptions(profile=config.get("profile") or "auto", max_events=int(config["max_events"]))
    return BatchRun(state, make_engine(engine, settings, echo=echo or _say), job_id, settings, options)


def _say(line: str) -> None:
    click.echo(line, err=True)


def _finish(run: Any, fmt: str, output: str | None) -> None:
    """Print (or write) the briefs of a finished job; one line per failed article; the exit code."""
    from summarizer.brief.markdown import to_markdown
    from summarizer.schema import ArticleBrief

    codes_by_kind = {kind.__name__: code for kind, code in EXIT_CODES.items()}
    briefs = []
    codes = []
    for _, _, brief, error, kind in run.state.results(run.job):
        if brief is not None:
            briefs.append(ArticleBrief.model_validate_json(brief))
        else:
            codes.append(codes_by_kind.get(kind or "", 1))
            click.echo(f"summarizer: error: {error}", err=True)
    if fmt == "json":
        text = json.dumps([b.model_dump(mode="json") for b in briefs], ensure_ascii=False, indent=2) + "\n"
    elif fmt == "jsonl":
        text = "".join(b.model_dump_json() + "\n" for b in briefs)
    else:
        text = "\n---\n\n".join(to_markdown(b) for b in briefs)
    if output:
        write_atomically(output, text)
    elif text:
        click.echo(text, nl=False)
    if codes:
        click.echo(f"summarizer: {len(codes)} of {len(briefs) + len(codes)} article(s) failed", err=True)
        sys.exit(4 if 4 in codes else 1)


def _submit(
    files: tuple[str, ...],
    engine: str,
    published: dt.date | None,
    max_events: int,
    profile: str | None,
    backend_kwargs: dict[str, Any],
) -> str:
    from summarizer.batch import BatchRun
    from summarizer.brief.pipeline import PipelineOptions
    from summarizer.inputs import expand_paths, read_article
    from summarizer.llm.batch_state import BatchState

    paths = [p for p in expand_paths(files) if p != "-"]
    if not paths:
        raise InputError(f"no .txt or .html articles found in {', '.join(files)}")
    articles = [read_article(p, published=published) for p in paths]  # a bad file stops here, before any cost
    backend_kwargs = {**backend_kwargs, "backend": "openai"}
    settings = settings_from(**backend_kwargs)
    options = PipelineOptions(profile=profile or "auto", max_events=max_events)
    return BatchRun.create(BatchState(settings.cache_path), engine, articles, settings, options)


def _submit_options(func: Any) -> Any:
    from summarizer.brief.pipeline import DEFAULT_MAX_EVENTS, PROFILES
    from summarizer.llm.batch_engines import ENGINES

    for option in reversed(
        [
            click.option(
                "--engine",
                type=click.Choice(ENGINES),
                default="openai",
                show_default=True,
                help="openai: the Batch API at --base-url (default OpenAI's); vllm: write the files and say "
                "the `vllm run-batch` command to run.",
            ),
            click.option(
                "--published",
                callback=parse_date,
                help="Publication date (YYYY-MM-DD) of articles that do not give one.",
            ),
            click.option("--max-events", type=int, default=DEFAULT_MAX_EVENTS, show_default=True),
            click.option(
                "--profile", type=click.Choice(PROFILES), help="The pipeline's profile (default: auto)."
            ),
        ]
    ):
        func = option(func)
    return func


@batch.command("submit")
@click.argument("files", nargs=-1, required=True)
@_submit_options
@backend_options
@handle_errors
def submit(
    files: tuple[str, ...],
    engine: str,
    published: dt.date | None,
    max_events: int,
    profile: str | None,
    **backend_kwargs: Any,
) -> None:
    """Record a job over FILES (.txt/.html files or directories) and send its first round."""
    job = _submit(files, engine, published, max_events, profile, backend_kwargs)
    click.echo(job)
    run = _open(job, api_key=backend_kwargs.get("api_key"), cache_dir=backend_kwargs.get("cache_dir"))
    _echo_status(run.step())


@batch.command("status")
@_job
@_cache_dir
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@handle_errors
def status(job: str | None, cache_dir: str | None, as_json: bool) -> None:
    """Where a job stands: articles by state, the step each waits at, its batches."""
    from summarizer.batch import BatchRun
    from summarizer.llm.batch_state import BatchState

    state = BatchState(settings_from(cache_dir=cache_dir).cache_path)
    job_id, _, _ = state.job(job)
    report = BatchRun.status_of(state, job_id)
    if as_json:
        click.echo(json.dumps(report.__dict__, indent=2))
    else:
        _echo_status(report)
        for local_id, round_no, batch_state, remote in report.batches:
            click.echo(
                f"  round {round_no}: {local_id} {batch_state}" + (f" ({remote})" if remote else ""), err=True
            )


@batch.command("collect")
@_job
@_cache_dir
@_api_key
@_output_options
@handle_errors
def collect(
    job: str | None, cache_dir: str | None, api_key: str | None, fmt: str, output: str | None
) -> None:
    """Read the finished batches of a job, advance its articles and send the next round; once every
    article is finished, print the briefs."""
    if output:
        check_output_path(output)
    run = _open(job, api_key=api_key, cache_dir=cache_dir)
    status = run.step()
    _echo_status(status)
    if status.finished:
        _finish(run, fmt, output)


@batch.command("run")
@click.argument("files", nargs=-1)
@_job
@click.option(
    "--poll", type=float, default=DEFAULT_POLL, show_default=True, help="Seconds between polls of the engine."
)
@_submit_options
@_output_options
@backend_options
@handle_errors
def run_command(
    files: tuple[str, ...],
    job: str | None,
    poll: float,
    engine: str,
    published: dt.date | None,
    max_events: int,
    profile: str | None,
    fmt: str,
    output: str | None,
    **backend_kwargs: Any,
) -> None:
    """Run a job until every article is finished, then print the briefs: a new job over FILES, or
    (without FILES) the job given by --job or the latest one, where it stopped."""
    if output:
        check_output_path(output)
    if files:
        job = _submit(files, engine, published, max_events, profile, backend_kwargs)
        click.echo(job, err=True)
    run = _open(job, api_key=backend_kwargs.get("api_key"), cache_dir=backend_kwargs.get("cache_dir"))
    run.run(poll=poll, on_step=_echo_status)
    _finish(run, fmt, output)
