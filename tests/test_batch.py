"""The batch executor against a fake OpenAI Batch API on loopback, driven through the real ``openai``
client (``summarizer.fake_openai``), answering with the embedded model's recorded answers: the same
briefs as the direct executor, every failure shape users meet, vLLM's run-batch output, and a client
killed mid-submit then run again."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_executors import backend, comparable, corpus_articles

from summarizer.batch import BatchRun, make_engine
from summarizer.brief.pipeline import PipelineOptions, brief_article
from summarizer.config import Settings, resolve_settings
from summarizer.fake_openai import FakeOpenAI, RecordedAnswers, completion_body
from summarizer.inputs import Article, read_article
from summarizer.llm.batch_engines import VLLMEngine, parse_output_line
from summarizer.llm.batch_state import BatchState
from summarizer.replay import CASSETTES, RECORD_MODEL
from summarizer.schema import ArticleBrief


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(RecordedAnswers(sorted(CASSETTES.glob("*.yaml")))) as server:
        yield server


def settings(url: str) -> Settings:
    return resolve_settings(base_url=url, model=RECORD_MODEL, api_key="k")


def batch_run(
    url: str, articles: list[Article], options: PipelineOptions, **kw: object
) -> tuple[BatchRun, BatchState]:
    s = settings(url)
    state = BatchState(s.cache_path)
    job = BatchRun.create(state, "openai", articles, s, options)
    return BatchRun(state, make_engine("openai", s), job, s, options, **kw), state  # type: ignore[arg-type]


def briefs_of(state: BatchState, job: str) -> dict[str, ArticleBrief]:
    return {
        name: ArticleBrief.model_validate_json(brief)
        for _, name, brief, _, _ in state.results(job)
        if brief is not None
    }


def direct_briefs(url: str, articles: list[Article], options: PipelineOptions) -> dict[str, ArticleBrief]:
    be = backend(url)
    return {a.name: brief_article(a, be, options) for a in articles}


def sent_lines(fake: FakeOpenAI) -> list[dict]:
    out = []
    for b in fake.batches.values():
        text = fake.files[b["input_file_id"]].decode()
        out += [json.loads(line) for line in text.splitlines() if line.strip()]
    return out


@pytest.mark.parametrize("profile", ["auto", "small"])
def test_batch_briefs_are_the_direct_briefs(fake: FakeOpenAI, profile: str) -> None:
    articles = corpus_articles()
    options = PipelineOptions(profile=profile)
    run, state = batch_run(fake.url, articles, options)
    status = run.run(poll=0)
    assert status.articles == {"done": len(articles)}
    got = briefs_of(state, run.job)
    want = direct_briefs(fake.url, articles, options)
    assert {n: comparable(b) for n, b in got.items()} == {n: comparable(b) for n, b in want.items()}
    lines = sent_lines(fake)
    # one round per step: a round holds at most one line per article
    assert (
        status.rounds
        == len(status.batches)
        == max(Counter(line["custom_id"].split("-")[0] for line in lines).values())
    )
    for line in lines:
        assert line["method"] == "POST" and line["url"] == "/v1/chat/completions"
        fmt = line["body"]["response_format"]
        assert fmt["type"] == "json_schema" and fmt["json_schema"]["strict"] is True
        assert "minLength" not in json.dumps(fmt) and "maxLength" not in json.dumps(fmt)  # OpenAI's subset
    # no request sent twice
    assert len({json.dumps(line["body"], sort_keys=True) for line in lines}) == len(lines)
    if profile == "small":  # the recorded translations fail their checks: re-asked in later rounds
        assert any("reask1" in line["custom_id"] for line in lines)


def test_answers_already_cached_are_never_sent_again(fake: FakeOpenAI) -> None:
    articles = corpus_articles()[:2]
    run, _ = batch_run(fake.url, articles, PipelineOptions(), cache=False)
    run.run(poll=0)
    first = fake.batch_lines
    again, _ = batch_run(fake.url, articles, PipelineOptions(), cache=False)
    status = again.run(poll=0)
    assert status.articles == {"done": 2} and status.lines == 0 and fake.batch_lines == first


def test_the_brief_cache_serves_a_second_job_without_any_round(fake: FakeOpenAI) -> None:
    articles = corpus_articles()[:1]
    run, _ = batch_run(fake.url, articles, PipelineOptions())
    run.run(poll=0)
    again, state = batch_run(fake.url, articles, PipelineOptions())
    status = again.run(poll=0)
    assert status.articles == {"done": 1} and status.batches == []
    assert briefs_of(state, again.job)


def test_error_file_lines_counted_as_zero_failed_are_sent_again(fake: FakeOpenAI) -> None:
    articles = corpus_articles()[:2]
    faulted: set[str] = set()

    def fault(custom_id: str) -> str | None:
        if custom_id.endswith("-000-summary_ar") and custom_id not in faulted:
            faulted.add(custom_id)
            return "error_file_uncounted"
        return None

    fake.line_fault = fault
    run, state = batch_run(fake.url, articles, PipelineOptions())
    status = run.run(poll=0)
    assert status.articles == {"done": 2}
    first = next(iter(fake.batches.values()))
    assert first["request_counts"]["failed"] == 0 and first["error_file_id"] and not first["output_file_id"]
    assert len(briefs_of(state, run.job)) == 2
    ids = Counter(line["custom_id"] for line in sent_lines(fake))
    assert all(ids[cid] == 2 for cid in faulted)  # each failed line sent once more, no more


def test_a_batch_whose_every_line_failed_has_no_output_file_and_is_sent_again(fake: FakeOpenAI) -> None:
    rounds = {"n": 0}

    def fault(custom_id: str) -> str | None:
        return "failed" if "-000-" in custom_id and rounds["n"] < 2 else None

    fake.line_fault = fault
    articles = corpus_articles()[:2]
    run, _ = batch_run(fake.url, articles, PipelineOptions())
    first = run.step()
    assert first.lines == 2
    while not run.step().finished:
        rounds["n"] += 1
    batch = next(iter(fake.batches.values()))
    assert batch["status"] == "completed" and batch["output_file_id"] is None and batch["error_file_id"]
    assert run.status().articles == {"done": 2}


def test_a_4xx_inside_the_response_body_fails_that_article_only(fake: FakeOpenAI) -> None:
    articles = corpus_articles()
    refused = articles[0]
    run, state = batch_run(fake.url, articles, PipelineOptions())
    aid = next(a for a, name, *_ in state.articles(run.job) if name == refused.name)
    fake.line_fault = lambda custom_id: "body_4xx" if custom_id == f"{aid}-000-summary_ar" else None
    status = run.run(poll=0)
    assert status.articles == {"done": len(articles) - 1, "failed": 1}
    failed = [(name, error, kind) for _, name, brief, error, kind in state.results(run.job) if brief is None]
    assert failed[0][0] == refused.name and failed[0][2] == "BackendError"
    assert "HTTP 400" in failed[0][1] and "Invalid schema" in failed[0][1]
    assert sum(1 for line in sent_lines(fake) if line["custom_id"].startswith(aid)) == 1  # never resent


def test_a_line_that_keeps_failing_fails_its_article_after_the_limit(fake: FakeOpenAI) -> None:
    articles = corpus_articles()[:2]
    fake.line_fault = lambda custom_id: "failed" if custom_id.endswith("-000-summary_ar") else None
    run, state = batch_run(fake.url, articles, PipelineOptions(), max_line_failures=2)
    status = run.run(poll=0)
    assert status.articles == {"failed": 2}
    results = state.results(run.job)
    assert all(
        kind == "BackendError" and "failed (2 times)" in str(error) for _, _, _, error, kind in results
    )
    assert fake.batch_lines == 4


def fake_vllm_run_batch(fake: FakeOpenAI, src: Path, dst: Path, *, error_for: str = "") -> None:
    """What `vllm run-batch -i src -o dst` writes: one output line per input line, in order, errors
    inline."""
    out = []
    for i, line in enumerate(src.read_text().splitlines()):
        item = json.loads(line)
        if error_for and error_for in item["custom_id"]:
            response = {
                "status_code": 500,
                "request_id": f"r{i}",
                "body": {"object": "error", "message": "engine died"},
            }
            out.append(
                {
                    "id": f"vllm-{i}",
                    "custom_id": item["custom_id"],
                    "response": response,
                    "error": "engine died",
                }
            )
        else:
            body = completion_body(fake.answer(item["body"]))
            response = {"status_code": 200, "request_id": f"r{i}", "body": body}
            out.append(
                {"id": f"vllm-{i}", "custom_id": item["custom_id"], "response": response, "error": None}
            )
    dst.write_text("".join(json.dumps(x) + "\n" for x in out))


def test_vllm_engine_says_the_command_and_reads_its_output(fake: FakeOpenAI) -> None:
    articles = corpus_articles()[:2]
    options = PipelineOptions()
    s = settings(fake.url)
    state = BatchState(s.cache_path)
    job = BatchRun.create(state, "vllm", articles, s, options)
    said: list[str] = []
    run = BatchRun(state, VLLMEngine(RECORD_MODEL, echo=said.append), job, s, options)
    rounds = 0
    while not (status := run.step()).finished:
        row = state.batches(job, open_only=True)[0]
        out = Path(row.input_path).with_suffix(".out.jsonl")
        assert said[-1] == f"run: vllm run-batch -i {row.input_path} -o {out} --model {RECORD_MODEL}"
        fake_vllm_run_batch(
            fake, Path(row.input_path), VLLMEngine.output_path(row), error_for="-000-" if rounds == 0 else ""
        )
        rounds += 1
    assert status.articles == {"done": 2}
    got = {n: comparable(b) for n, b in briefs_of(state, job).items()}
    assert got == {n: comparable(b) for n, b in direct_briefs(fake.url, articles, options).items()}
    assert rounds == status.rounds


def test_output_lines_of_every_shape() -> None:
    ok = parse_output_line(
        {
            "custom_id": "a",
            "response": {"status_code": 200, "body": completion_body('{"x": 1}')},
            "error": None,
        }
    )
    assert ok.answer is not None and ok.answer.text == '{"x": 1}'
    zero = parse_output_line({"custom_id": "b", "response": {"status_code": 0, "body": None}, "error": None})
    assert zero.answer is None and not zero.permanent
    refused = parse_output_line(
        {
            "custom_id": "c",
            "response": {"status_code": 400, "body": {"error": {"message": "bad schema"}}},
            "error": None,
        }
    )
    assert refused.answer is None and refused.permanent and refused.error == "HTTP 400: bad schema"
    busy = parse_output_line(
        {"custom_id": "d", "response": {"status_code": 429, "body": {"error": {"message": "slow"}}}}
    )
    assert not busy.permanent
    failed = parse_output_line(
        {"custom_id": "e", "response": None, "error": {"code": "server_error", "message": "x"}}
    )
    assert failed.answer is None and failed.error == "failed: server_error: x"


def test_a_client_killed_while_its_batch_is_created_loses_nothing(fake: FakeOpenAI, tmp_path: Path) -> None:
    """The batch exists at the API, the client dies before it learns its id: the next run finds it
    (by the id in its metadata) instead of sending its lines again."""
    articles = corpus_articles()
    fake.create_reply.clear()
    env = {**os.environ, "SUMMARIZER_CACHE_DIR": str(settings(fake.url).cache_path)}
    cmd = [sys.executable, "-m", "summarizer", "batch", "submit", *(a.name for a in articles)]
    cmd += ["--base-url", fake.url, "--model", RECORD_MODEL, "--api-key", "k", "--published", "2023-03-24"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not fake.batches and time.monotonic() < deadline:
            time.sleep(0.05)
        assert fake.batches, proc.stderr.read().decode() if proc.poll() is not None else "no batch created"
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    finally:
        fake.create_reply.set()
    s = settings(fake.url)
    state = BatchState(s.cache_path)
    job, _, _ = state.job()
    assert [b.state for b in state.batches(job)] == ["uploaded"]
    options = PipelineOptions()
    run = BatchRun(state, make_engine("openai", s), job, s, options)
    status = run.run(poll=0)
    assert status.articles == {"done": len(articles)}
    lines = sent_lines(fake)
    assert len({json.dumps(line["body"], sort_keys=True) for line in lines}) == len(lines)  # none twice
    assert len(fake.batches) == len(status.batches)  # the first batch was adopted, not made again
    want = direct_briefs(fake.url, as_submitted(articles), options)
    assert {n: comparable(b) for n, b in briefs_of(state, job).items()} == {
        n: comparable(b) for n, b in want.items()
    }


def test_a_client_killed_between_submit_and_collect_then_run_again(fake: FakeOpenAI) -> None:
    articles = corpus_articles()[:2]
    env = {**os.environ, "SUMMARIZER_CACHE_DIR": str(settings(fake.url).cache_path)}
    cmd = [sys.executable, "-m", "summarizer", "batch", "submit", *(a.name for a in articles)]
    cmd += ["--base-url", fake.url, "--model", RECORD_MODEL, "--api-key", "k", "--published", "2023-03-24"]
    fake.polls_to_complete = 10**6  # nothing completes while the first client lives
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.wait(timeout=120)
    assert proc.returncode == 0, proc.stderr.read().decode()
    fake.polls_to_complete = 1
    run_cmd = [
        sys.executable,
        "-m",
        "summarizer",
        "batch",
        "run",
        "--poll",
        "0",
        "--api-key",
        "k",
        "--format",
        "jsonl",
    ]
    done = subprocess.run(run_cmd, env=env, capture_output=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr.decode()
    briefs = [ArticleBrief.model_validate_json(line) for line in done.stdout.decode().splitlines()]
    want = direct_briefs(fake.url, as_submitted(articles), PipelineOptions())
    assert [comparable(b) for b in briefs] == [comparable(want[a.name]) for a in articles]
    lines = sent_lines(fake)
    assert len({json.dumps(line["body"], sort_keys=True) for line in lines}) == len(lines)


def as_submitted(articles: list[Article]) -> list[Article]:
    """The articles as `summarizer batch submit FILES --published 2023-03-24` reads them."""
    return [read_article(a.name, published=dt.date(2023, 3, 24)) for a in articles]


def test_the_cli_exits_4_when_an_article_failed_for_the_engine(fake: FakeOpenAI, tmp_path: Path) -> None:
    articles = corpus_articles()[:2]
    fake.line_fault = lambda custom_id: "body_4xx" if custom_id.endswith("-000-summary_ar") else None
    env = {**os.environ, "SUMMARIZER_CACHE_DIR": str(settings(fake.url).cache_path)}
    cmd = [sys.executable, "-m", "summarizer", "batch", "run", *(a.name for a in articles), "--poll", "0"]
    cmd += ["--base-url", fake.url, "--model", RECORD_MODEL, "--api-key", "k", "-o", str(tmp_path / "out.md")]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 4, done.stderr
    assert "2 of 2 article(s) failed" in done.stderr and "HTTP 400" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_round_larger_than_a_file_may_hold_goes_as_several_batches(fake: FakeOpenAI) -> None:
    articles = corpus_articles()
    run, _ = batch_run(fake.url, articles, PipelineOptions(), max_lines=3)
    first = run.step()
    assert first.lines == 4 and [r for _, r, _, _ in first.batches] == [1, 1]  # 3 lines + 1 line
    assert run.run(poll=0).articles == {"done": 4}


def test_the_digest_briefs_through_a_batch_engine(fake: FakeOpenAI, tmp_path: Path) -> None:
    from _digest_support import CORPUS_000, CORPUS_002, make_inbox

    from summarizer.digest import build_digest
    from summarizer.replay import corpus_dir

    inbox = make_inbox(
        tmp_path, corpus_dir(), [CORPUS_000, CORPUS_002], mtime=dt.datetime.now(dt.timezone.utc)
    )
    digest = build_digest(
        inbox, settings=settings(fake.url), batch="openai", batch_poll=0, ledger=tmp_path / "ledger.sqlite3"
    )
    assert len(digest.articles) == 2 and digest.failures == []
    assert fake.chat_requests == 0 and fake.batch_lines > 0  # every call went through batches
    assert {Path(a.item.origin).name for a in digest.articles} == {f"{CORPUS_000}.txt", f"{CORPUS_002}.txt"}


def test_openai_lines_carry_the_schema_in_openais_strict_subset() -> None:
    from summarizer.llm.batch_engines import openai_strict_schema

    schema = {
        "type": "object",
        "properties": {
            "minLength": {"type": "string", "minLength": 3, "maxLength": 9},  # a field, not a keyword
            "n": {"type": "integer", "minimum": 0},
            "tags": {"type": "array", "items": {"type": "string", "maxLength": 5}, "maxItems": 4},
        },
        "required": ["minLength", "n", "tags"],
        "additionalProperties": False,
    }
    out = openai_strict_schema(schema)
    assert out["properties"]["minLength"] == {"type": "string"}
    assert out["properties"]["n"] == {"type": "integer", "minimum": 0}
    assert out["properties"]["tags"] == {"type": "array", "items": {"type": "string"}, "maxItems": 4}
    assert schema["properties"]["minLength"]["minLength"] == 3  # the request's own schema is untouched


@pytest.mark.parametrize(
    "args", [["status", "--job", "no-such-job"], ["collect", "--job", "no-such-job"], ["status"]]
)
def test_an_unknown_or_missing_job_is_bad_input(tmp_path: Path, args: list[str]) -> None:
    """Naming a job that does not exist (or asking before any submit) is the user's mistake: one line,
    exit 2, as for any bad input; not exit 1, which says a damaged state file or failed articles."""
    env = {**os.environ, "SUMMARIZER_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run(
        [sys.executable, "-m", "summarizer", "batch", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("summarizer: error: no batch job") and done.stderr.count("\n") == 1
