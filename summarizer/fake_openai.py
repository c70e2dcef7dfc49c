"""A fake OpenAI API on loopback, for tests and benchmarks: chat completions, files and batches.

:class:`FakeOpenAI` serves ``/v1/chat/completions``, ``/v1/files``, ``/v1/files/{id}``,
``/v1/files/{id}/content``, ``/v1/batches`` (create and list) and ``/v1/batches/{id}`` over real HTTP,
so the real ``openai`` client drives it. Every chat completion (sent directly, or a line of a batch)
is answered by one function of the request body; :class:`RecordedAnswers` answers from the cassettes
(the embedded model's real answers).

Faults are injected the way users meet them (``../shared/docs/batch-engines.md``):

- chat completions: :attr:`FakeOpenAI.replies` is a queue of raw replies (status, body, headers)
  given before any answer, e.g. a 429 with ``Retry-After`` or a 503;
- batch lines: :attr:`FakeOpenAI.line_fault` names, for a line's ``custom_id``, one of
  :data:`LINE_FAULTS`: ``error_file_uncounted`` (the line is in the error file with
  ``status_code`` 0 while ``request_counts.failed`` says 0), ``body_4xx`` (a 400 inside
  ``response.body`` with ``error: null``, in the output file), ``failed`` (in the error file, counted);
  when every line of a batch fails, the batch is ``completed`` with ``output_file_id`` null.

A batch completes after :attr:`FakeOpenAI.polls_to_complete` retrievals; clearing
:attr:`FakeOpenAI.create_reply` holds the reply to a batch's creation (the batch exists, its creator
does not know its id). ``python -m
summarizer.fake_openai --delay 0.5`` runs one in its own process (the throughput benchmark measures
the client alone that way) and prints its URL.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from collections.abc import Callable, Iterable
from email.parser import BytesParser
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

__all__ = ["LINE_FAULTS", "FakeOpenAI", "RecordedAnswers", "completion_body", "request_key"]

#: What a batch line can be made to suffer (see the module docstring).
LINE_FAULTS = ("error_file_uncounted", "body_4xx", "failed")

#: Answers a chat completion body with the answer's content (a string).
AnswerFn = Callable[[dict[str, Any]], str]


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def request_key(body: dict[str, Any]) -> str:
    """What identifies a chat request whatever the form of its response format: the conversation, the
    schema's title and the budget (a ``json_object`` recording answers a strict ``json_schema`` batch
    line, whose schema an engine may have trimmed to its dialect)."""
    return _canonical(
        {
            "messages": body.get("messages"),
            "schema": _schema_title(body),
            "max_tokens": body.get("max_tokens"),
        }
    )


def completion_body(content: str, model: str = "fake-model", *, n: int = 0) -> dict[str, Any]:
    """A chat completion's JSON body answering ``content``."""
    return {
        "id": f"chatcmpl-fake-{n}",
        "object": "chat.completion",
        "created": 0,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }


class RecordedAnswers:
    """Answers from recorded cassettes: the recorded answer of the same conversation; else (an
    article never recorded) the first recorded answer asking for the same schema, else ``{}``."""

    def __init__(self, cassettes: Iterable[Path]):
        import yaml

        self.exact: dict[str, str] = {}
        self.by_schema: dict[str, str] = {}
        for path in cassettes:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            for interaction in data.get("interactions", []):
                body = json.loads(interaction["request"]["body"])
                reply = json.loads(interaction["response"]["body"]["string"])
                content = reply["choices"][0]["message"]["content"]
                self.exact.setdefault(request_key(body), content)
                self.by_schema.setdefault(_schema_title(body), content)
        self.misses = 0

    def __call__(self, body: dict[str, Any]) -> str:
        found = self.exact.get(request_key(body))
        if found is not None:
            return found
        self.misses += 1
        return self.by_schema.get(_schema_title(body), "{}")


def _schema_title(body: dict[str, Any]) -> str:
    fmt = body.get("response_format") or {}
    schema = (
        fmt.get("schema")
        if fmt.get("type") == "json_object"
        else (fmt.get("json_schema") or {}).get("schema")
    )
    return str((schema or {}).get("title", ""))


class FakeOpenAI:
    """The fake API, serving on ``127.0.0.1`` from :meth:`start` to :meth:`stop` (or as a context
    manager); :attr:`url` ends in ``/v1``."""

    def __init__(self, answer: AnswerFn, *, delay: float = 0.0, polls_to_complete: int = 1):
        self.answer = answer
        self.delay = delay
        """Seconds every chat completion waits before its answer (a model's time)."""
        self.polls_to_complete = polls_to_complete
        self.replies: list[tuple[int, Any, dict[str, str]]] = []
        """Raw replies given to the next chat completions, before any answer."""
        self.line_fault: Callable[[str], str | None] = lambda custom_id: None
        self.create_reply = threading.Event()
        """Cleared: a batch is created, then its creator waits for the reply until this is set (the
        moment a client may die with its batch made and its id unknown)."""
        self.create_reply.set()
        self.chat_requests = 0
        self.chat_times: list[float] = []
        """When each chat completion arrived (``time.monotonic``)."""
        self.batch_lines = 0
        self.files: dict[str, bytes] = {}
        self._meta: dict[str, tuple[str, str]] = {}
        self.batches: dict[str, dict[str, Any]] = {}
        self._polls: dict[str, int] = {}
        self._lock = threading.Lock()
        self._serial = 0
        self._httpd: ThreadingHTTPServer | None = None
        self.url = ""

    # --- serving -------------------------------------------------------------------------------

    def start(self) -> FakeOpenAI:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # headers and body leave in two writes: without TCP_NODELAY, Nagle's algorithm and the
            # client's delayed ACK hold every answer back by tens of milliseconds
            disable_nagle_algorithm = True

            def do_GET(self) -> None:
                fake._route(self, "GET")

            def do_POST(self) -> None:
                fake._route(self, "POST")

            def log_message(self, *args: Any) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 256

        self._httpd = Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _next_id(self, prefix: str) -> str:
        with self._lock:
            self._serial += 1
            return f"{prefix}-{self._serial}"

    def _route(self, h: BaseHTTPRequestHandler, method: str) -> None:
        length = int(h.headers.get("content-length") or 0)
        raw = h.rfile.read(length) if length else b""
        path = h.path.split("?")[0].rstrip("/")
        parts = path.split("/")[2:] if path.startswith("/v1/") else []
        try:
            if method == "POST" and parts == ["chat", "completions"]:
                status, body, headers = self._chat(json.loads(raw))
            elif method == "POST" and parts == ["files"]:
                status, body, headers = 200, self._upload(h.headers.get("content-type", ""), raw), {}
            elif method == "GET" and len(parts) == 3 and parts[0] == "files" and parts[2] == "content":
                return self._send(h, 200, self.files[parts[1]], {"content-type": "application/octet-stream"})
            elif method == "GET" and len(parts) == 2 and parts[0] == "files":
                status, body, headers = 200, self._file_object(parts[1]), {}
            elif method == "POST" and parts == ["batches"]:
                status, body, headers = 200, self._create_batch(json.loads(raw)), {}
            elif method == "GET" and parts == ["batches"]:
                data = sorted(self.batches.values(), key=lambda b: b["created_at"], reverse=True)
                status, body, headers = 200, {"object": "list", "data": data, "has_more": False}, {}
            elif method == "GET" and len(parts) == 2 and parts[0] == "batches":
                status, body, headers = 200, self._retrieve_batch(parts[1]), {}
            else:
                status, body, headers = 404, {"error": {"message": f"no route {method} {h.path}"}}, {}
        except KeyError as e:
            status, body, headers = 404, {"error": {"message": f"not found: {e}"}}, {}
        self._send(
            h, status, json.dumps(body).encode("utf-8"), {"content-type": "application/json", **headers}
        )

    @staticmethod
    def _send(h: BaseHTTPRequestHandler, status: int, data: bytes, headers: dict[str, str]) -> None:
        h.send_response(status)
        for k, v in headers.items():
            h.send_header(k, v)
        h.send_header("content-length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)

    # --- chat completions ----------------------------------------------------------------------

    def _chat(self, body: dict[str, Any]) -> tuple[int, Any, dict[str, str]]:
        with self._lock:
            self.chat_requests += 1
            self.chat_times.append(time.monotonic())
            n = self.chat_requests
            reply = self.replies.pop(0) if self.replies else None
        if reply is not None:
            return reply
        if self.delay:
            time.sleep(self.delay)
        return 200, completion_body(self.answer(body), str(body.get("model", "fake-model")), n=n), {}

    # --- files ---------------------------------------------------------------------------------

    def _upload(self, content_type: str, raw: bytes) -> dict[str, Any]:
        message = BytesParser(policy=default_policy).parsebytes(
            b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + raw
        )
        fields: dict[str, Any] = {}
        filename = "upload.jsonl"
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True)
            if part.get_filename():
                filename = str(part.get_filename())
            fields[str(name)] = payload
        file_id = self._store(fields["file"], filename, (fields.get("purpose") or b"").decode())
        return self._file_object(file_id)

    def _store(self, data: bytes, filename: str, purpose: str) -> str:
        file_id = self._next_id("file")
        with self._lock:
            self.files[file_id] = data
            self._meta[file_id] = (filename, purpose)
        return file_id

    def _file_object(self, file_id: str) -> dict[str, Any]:
        data = self.files[file_id]
        filename, purpose = self._meta.get(file_id, ("file.jsonl", "batch_output"))
        return {
            "id": file_id,
            "object": "file",
            "bytes": len(data),
            "created_at": int(time.time()),
            "filename": filename,
            "purpose": purpose,
            "status": "processed",
        }

    # --- batches -------------------------------------------------------------------------------

    def _create_batch(self, body: dict[str, Any]) -> dict[str, Any]:
        if body.get("completion_window") != "24h":
            raise KeyError("completion_window must be 24h")
        lines = self.files[body["input_file_id"]].decode("utf-8").splitlines()
        batch_id = self._next_id("batch")
        batch = {
            "id": batch_id,
            "object": "batch",
            "endpoint": body["endpoint"],
            "input_file_id": body["input_file_id"],
            "completion_window": "24h",
            "status": "validating",
            "created_at": time.time_ns(),
            "metadata": body.get("metadata"),
            "output_file_id": None,
            "error_file_id": None,
            "request_counts": {"total": len([x for x in lines if x.strip()]), "completed": 0, "failed": 0},
        }
        with self._lock:
            self.batches[batch_id] = batch
            self._polls[batch_id] = 0
        self.create_reply.wait()
        return batch

    def _retrieve_batch(self, batch_id: str) -> dict[str, Any]:
        batch = self.batches[batch_id]
        with self._lock:
            self._polls[batch_id] += 1
            due = self._polls[batch_id] >= self.polls_to_complete and batch["status"] != "completed"
        if due:
            self._run_batch(batch)
        elif batch["status"] == "validating":
            batch["status"] = "in_progress"
        return batch

    def _run_batch(self, batch: dict[str, Any]) -> None:
        out: list[str] = []
        err: list[str] = []
        counted_failed = 0
        for line in self.files[batch["input_file_id"]].decode("utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            cid = item["custom_id"]
            with self._lock:
                self.batch_lines += 1
            fault = self.line_fault(cid)
            rid = self._next_id("req")
            if fault == "error_file_uncounted":
                err.append(_line(cid, rid, {"status_code": 0, "request_id": "", "body": None}, None))
            elif fault == "failed":
                error = {"code": "server_error", "message": "the line failed"}
                err.append(_line(cid, rid, None, error))
                counted_failed += 1
            elif fault == "body_4xx":
                body = {
                    "error": {
                        "message": "Invalid schema for response_format",
                        "type": "invalid_request_error",
                    }
                }
                out.append(_line(cid, rid, {"status_code": 400, "request_id": rid, "body": body}, None))
            else:
                content = self.answer(item["body"])
                response = {"status_code": 200, "request_id": rid, "body": completion_body(content)}
                out.append(_line(cid, rid, response, None))
        batch["status"] = "completed"
        batch["completed_at"] = int(time.time())
        batch["request_counts"] = {
            "total": len(out) + len(err),
            "completed": len(out),
            "failed": counted_failed,
        }
        if out:
            batch["output_file_id"] = self._store(
                ("\n".join(out) + "\n").encode(), "out.jsonl", "batch_output"
            )
        if err:
            batch["error_file_id"] = self._store(
                ("\n".join(err) + "\n").encode(), "err.jsonl", "batch_output"
            )


def _line(custom_id: str, rid: str, response: dict[str, Any] | None, error: dict[str, Any] | None) -> str:
    return json.dumps(
        {"id": f"batch_req_{rid}", "custom_id": custom_id, "response": response, "error": error}
    )


def main(argv: list[str] | None = None) -> None:
    """Serve a fake API answering from the repository's cassettes until killed; print its URL."""
    from summarizer.replay import CASSETTES

    parser = argparse.ArgumentParser(prog="python -m summarizer.fake_openai")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before each chat answer")
    parser.add_argument("--polls", type=int, default=1, help="retrievals before a batch completes")
    args = parser.parse_args(argv)
    fake = FakeOpenAI(
        RecordedAnswers(sorted(CASSETTES.glob("*.yaml"))), delay=args.delay, polls_to_complete=args.polls
    )
    fake.start()
    print(fake.url, flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
