"""The batch engines: the OpenAI Batch API and vLLM's ``run-batch``, behind one small interface.

Both take the same JSONL (``{custom_id, method, url, body}`` a line, the body a chat completion with
a strict ``json_schema`` response format) and give back lines ``{id, custom_id, response:
{status_code, request_id, body}, error}``. :func:`parse_output_line` reads one such line into an
answer or a failure; a failure is *permanent* (the request itself is refused, a 4xx) or not (sent
again in the next round). The failure shapes users meet with the OpenAI Batch API are handled
(``../shared/docs/batch-engines.md``):

- the error file is read whatever ``request_counts.failed`` says (it may say 0 while the error file
  holds lines with ``status_code`` 0);
- a ``completed`` batch whose every line failed has no ``output_file_id``: only the error file is read;
- a 4xx inside ``response.body`` with ``error: null`` is a failure, not an answer;
- a line in neither file (an expired or failed batch) is a failure to send again.

OpenAI's strict mode accepts a subset of JSON Schema: its lines carry the response model's schema
without the string lengths (:func:`openai_strict_schema`), which validation still checks.

vLLM's ``run-batch`` writes errors inline and keeps the input's order; this package does not run it:
:class:`VLLMEngine` writes the input, says the command to run, and reads the output file once it is
complete.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from summarizer.errors import BackendError, ConfigError
from summarizer.llm.batch_state import BatchRow, BatchState, LineResult
from summarizer.llm.calls import Answer, Request

__all__ = [
    "ENDPOINT",
    "ENGINES",
    "Engine",
    "OpenAIEngine",
    "VLLMEngine",
    "batch_line",
    "openai_strict_schema",
    "parse_output_line",
]

ENDPOINT = "/v1/chat/completions"
#: Batch statuses after which nothing more will be answered.
TERMINAL = ("completed", "failed", "expired", "cancelled")
ENGINES = ("openai", "vllm")


def batch_line(custom_id: str, request: Request, *, schema: dict[str, Any] | None = None) -> str:
    """One line of a batch file: the request as a chat completion with a strict JSON Schema
    (``schema`` in place of the request's own, when the engine needs another dialect)."""
    body = request.body("json_schema", strict=True)
    if schema is not None:
        body["response_format"]["json_schema"]["schema"] = schema
    line = {"custom_id": custom_id, "method": "POST", "url": ENDPOINT, "body": body}
    return json.dumps(line, ensure_ascii=False)


#: String keywords OpenAI's strict structured outputs refuse (the whole request fails with a 400).
_OPENAI_UNSUPPORTED = ("minLength", "maxLength")


def openai_strict_schema(schema: Any) -> Any:
    """``schema`` in the subset OpenAI's strict mode accepts: string lengths dropped. Every field of
    the response models is already required and ``additionalProperties`` false; the lengths are
    still checked when the answer is validated (and re-asked when they fail)."""
    if isinstance(schema, list):
        return [openai_strict_schema(x) for x in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: openai_strict_schema(v) for k, v in schema.items()}
    if out.get("type") == "string":
        for key in _OPENAI_UNSUPPORTED:
            out.pop(key, None)
    return out


def _message(value: Any) -> str | None:
    if isinstance(value, str):
        return value[:300]
    if isinstance(value, dict):
        inner = value.get("error")
        if isinstance(inner, dict | str):
            return _message(inner)
        msg = value.get("message")
        code = value.get("code")
        if msg:
            return f"{code}: {msg}"[:300] if code else str(msg)[:300]
    return None


def parse_output_line(data: dict[str, Any]) -> LineResult:
    """An output or error line of a batch, as an answer or a failure."""
    custom_id = str(data.get("custom_id"))
    response = data.get("response") if isinstance(data.get("response"), dict) else {}
    assert isinstance(response, dict)
    status = response.get("status_code")
    body = response.get("body")
    error = data.get("error")
    if not error and status == 200 and isinstance(body, dict) and body.get("choices"):
        return LineResult(custom_id, Answer.from_completion(body))
    reason = _message(error) or _message(body) or "no answer"
    permanent = isinstance(status, int) and 400 <= status < 500 and status not in (408, 409, 429)
    where = f"HTTP {status}" if isinstance(status, int) and status else "failed"
    return LineResult(custom_id, None, f"{where}: {reason}", permanent=permanent)


def _parse_jsonl(text: str) -> list[LineResult]:
    out = []
    for line in text.splitlines():
        if line.strip():
            try:
                out.append(parse_output_line(json.loads(line)))
            except (json.JSONDecodeError, AttributeError):
                continue  # a torn line: its request has no result and is sent again
    return out


class Engine(Protocol):
    """Runs a round's batch file."""

    name: str

    def line(self, custom_id: str, request: Request) -> str:
        """The batch file's line for ``request``."""
        ...

    def submit(self, row: BatchRow, state: BatchState) -> None:
        """Send a ``prepared`` (or half-sent) batch, recording each id in ``state`` as it comes; a batch
        already sent before a crash is found again, never sent twice."""
        ...

    def poll(self, row: BatchRow) -> tuple[str, bool]:
        """(the engine's status, whether it is finished)."""
        ...

    def results(self, row: BatchRow) -> list[LineResult]:
        """The result of every line the engine reports for a finished batch."""
        ...


class OpenAIEngine:
    """The OpenAI Batch API (or any server implementing ``/v1/files`` and ``/v1/batches``), through
    the ``openai`` client: upload with purpose ``batch``, create with completion window ``24h``,
    retrieve, then read the output *and* the error file."""

    name = "openai"

    def __init__(self, client: Any):
        self.client = client
        self._schemas: dict[str, Any] = {}

    def line(self, custom_id: str, request: Request) -> str:
        key = request.schema_name + json.dumps(request.schema, sort_keys=True)
        schema = self._schemas.get(key)
        if schema is None:
            schema = self._schemas[key] = openai_strict_schema(request.schema)
        return batch_line(custom_id, request, schema=schema)

    @classmethod
    def from_settings(cls, settings: Any) -> OpenAIEngine:
        import openai

        return cls(
            openai.OpenAI(
                base_url=settings.base_url,
                api_key=settings.api_key or "not-needed",
                timeout=openai.Timeout(settings.timeout, connect=min(10.0, settings.timeout)),
                max_retries=settings.transport_retries,
            )
        )

    def _call(self, what: str, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        import openai

        try:
            return func(*args, **kwargs)
        except openai.APIStatusError as e:
            raise BackendError(
                f"batch API: {what}: HTTP {e.status_code}: {_message(e.body) or e.message}"
            ) from e
        except openai.APIError as e:
            raise BackendError(f"batch API: {what}: {e}") from e

    def _find(self, local_id: str) -> Any:
        """The batch created for ``local_id`` before a crash, if the API has it (newest first)."""
        for seen, batch in enumerate(self._call("list batches", self.client.batches.list, limit=100)):
            if (batch.metadata or {}).get("summarizer_batch") == local_id:
                return batch
            if seen >= 1000:
                break
        return None

    def submit(self, row: BatchRow, state: BatchState) -> None:
        if row.remote_id is None:
            found = self._find(row.local_id)
            if found is not None:
                state.update_batch(
                    row.local_id, state="submitted", remote_id=found.id, remote_status=found.status
                )
                return
        file_id = row.file_id
        if file_id is None:
            data = Path(row.input_path).read_bytes()
            uploaded = self._call(
                "upload", self.client.files.create, file=(Path(row.input_path).name, data), purpose="batch"
            )
            file_id = uploaded.id
            state.update_batch(row.local_id, state="uploaded", file_id=file_id)
        batch = self._call(
            "create batch",
            self.client.batches.create,
            input_file_id=file_id,
            endpoint=ENDPOINT,
            completion_window="24h",
            metadata={"summarizer_batch": row.local_id, "summarizer_job": row.job},
        )
        state.update_batch(row.local_id, state="submitted", remote_id=batch.id, remote_status=batch.status)

    def poll(self, row: BatchRow) -> tuple[str, bool]:
        batch = self._call("retrieve batch", self.client.batches.retrieve, row.remote_id)
        return str(batch.status), batch.status in TERMINAL

    def results(self, row: BatchRow) -> list[LineResult]:
        batch = self._call("retrieve batch", self.client.batches.retrieve, row.remote_id)
        out: list[LineResult] = []
        # Both files, whatever the counts say: the error file may hold lines the counts call 0 failed,
        # and a batch whose every line failed has an error file and no output file.
        for file_id in (batch.output_file_id, batch.error_file_id):
            if file_id:
                content = self._call("download results", self.client.files.content, file_id)
                out.extend(_parse_jsonl(content.text))
        if batch.status != "completed":
            errors = getattr(batch, "errors", None)
            data = getattr(errors, "data", None) or []
            reason = "; ".join(str(getattr(e, "message", e)) for e in data[:2]) or batch.status
            answered = {r.custom_id for r in out}
            keys = {cid for cid in _custom_ids(Path(row.input_path)) if cid not in answered}
            out.extend(LineResult(cid, None, f"batch {batch.status}: {reason}") for cid in sorted(keys))
        return out


def _custom_ids(path: Path) -> list[str]:
    ids = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            ids.append(str(json.loads(line)["custom_id"]))
    return ids


class VLLMEngine:
    """vLLM's ``run-batch`` on the newsroom's own GPUs: the input file is written, the command to run
    is said (``echo``), and the output file next to the input is read once it holds a line for every
    input line (errors inline, in input order)."""

    name = "vllm"

    def __init__(self, model: str, *, echo: Callable[[str], None] = print, vllm: str = "vllm"):
        if not model:
            raise ConfigError("the vllm engine needs a model name (--model or SUMMARIZER_MODEL)")
        self.model = model
        self.echo = echo
        self.vllm = vllm

    def line(self, custom_id: str, request: Request) -> str:
        return batch_line(custom_id, request)  # vLLM's grammar backends take the schema as it is

    @staticmethod
    def output_path(row: BatchRow) -> Path:
        return Path(row.input_path).with_suffix(".out.jsonl")

    def command(self, row: BatchRow) -> str:
        import shlex

        return " ".join(
            [
                self.vllm,
                "run-batch",
                "-i",
                shlex.quote(row.input_path),
                "-o",
                shlex.quote(str(self.output_path(row))),
                "--model",
                shlex.quote(self.model),
            ]
        )

    def submit(self, row: BatchRow, state: BatchState) -> None:
        self.echo(f"run: {self.command(row)}")
        state.update_batch(
            row.local_id,
            state="submitted",
            remote_id=str(self.output_path(row)),
            remote_status="waiting for output",
        )

    def poll(self, row: BatchRow) -> tuple[str, bool]:
        out = self.output_path(row)
        if not out.is_file():
            return "waiting for output", False
        want = len(_custom_ids(Path(row.input_path)))
        have = sum(1 for line in out.read_text(encoding="utf-8").splitlines() if line.strip())
        return ("completed", True) if have >= want else (f"{have}/{want} lines", False)

    def results(self, row: BatchRow) -> list[LineResult]:
        return _parse_jsonl(self.output_path(row).read_text(encoding="utf-8"))
