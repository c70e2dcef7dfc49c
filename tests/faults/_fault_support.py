"""Real parts for the fault suite: a loopback fake OpenAI-compatible server with a mode per fault, the
installed ``summarizer`` command run as a subprocess, and helpers to corrupt SQLite files.

Every wait is bounded in count and time; every address is loopback.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from conftest import AR, EN, EVENTS, completion

ROOT = Path(__file__).resolve().parents[2]
BRIEFS = ROOT / "tests" / "data" / "briefs"
ARTICLE_002 = "002_d47aa0b70ac3c6f1.txt"


#: Longest a fake server holds a request in the hang modes, whatever the test does.
MAX_HOLD_S = 60.0


def step_answer(messages: list[dict[str, Any]]) -> dict[str, Any]:
    """The valid answer to one step of the pipeline, told apart by its conversation."""
    last = str(messages[-1].get("content", "")) if messages else ""
    if "events" in last.lower() and len(messages) > 2:
        return EVENTS
    return AR if len(messages) <= 2 else EN


@dataclass
class FakeLLM:
    """An OpenAI-compatible server on 127.0.0.1 that behaves as ``mode`` says.

    Modes: ``ok`` (valid answers), ``slow`` (valid answers after ``delay`` s), ``hang`` (reads the
    request, never answers), ``html`` (HTTP 200 with an nginx HTML page), ``echo401`` (401 whose
    message echoes the Authorization header), ``503`` (service unavailable).
    """

    mode: str = "ok"
    delay: float = 0.0
    requests: int = 0
    times: list[float] = field(default_factory=list)
    url: str = ""
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self) -> int:
        with self._lock:
            return self.requests

    @contextmanager
    def running(self) -> Iterator[FakeLLM]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                with fake._lock:
                    fake.requests += 1
                    fake.times.append(time.monotonic())
                mode = fake.mode
                if mode == "hang":
                    fake._stop.wait(MAX_HOLD_S)
                    self.close_connection = True
                    return
                if mode == "slow" and fake._stop.wait(min(fake.delay, MAX_HOLD_S)):
                    self.close_connection = True
                    return
                if mode == "html":
                    page = b"<html><head><title>Welcome to nginx!</title></head><body>Welcome</body></html>"
                    self._send(200, page, "text/html")
                elif mode == "echo401":
                    auth = self.headers.get("authorization", "")
                    key = auth.removeprefix("Bearer ")
                    text = f"Incorrect API key provided: {auth}. You sent {key}; see your dashboard."
                    msg = {"error": {"message": text, "type": "invalid_request"}}
                    self._send(401, json.dumps(msg).encode(), "application/json")
                elif mode == "503":
                    self._send(503, b'{"error": {"message": "overloaded"}}', "application/json")
                else:
                    answer = step_answer(body.get("messages", []))
                    data = json.dumps(completion(json.dumps(answer, ensure_ascii=False))).encode()
                    self._send(200, data, "application/json")

            def _send(self, status: int, data: bytes, ctype: str) -> None:
                try:
                    self.send_response(status)
                    self.send_header("content-type", ctype)
                    self.send_header("content-length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args: Any) -> None:
                pass

        httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        httpd.daemon_threads = True
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        self.url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
        try:
            yield self
        finally:
            self._stop.set()
            httpd.shutdown()
            httpd.server_close()
            thread.join(timeout=10)


def remote(url: str) -> list[str]:
    """The options that send articles to ``url``."""
    return ["--backend", "openai", "--base-url", url, "--model", "x"]


def summarizer_command() -> list[str]:
    """The installed console script next to this Python (the venv's), else ``python -m summarizer``."""
    script = Path(sys.executable).parent / "summarizer"
    return [str(script)] if script.exists() else [sys.executable, "-m", "summarizer"]


def child_env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "200"}
    env.update(extra)
    return env


def run_cli(
    *args: str, timeout: float = 120, env: dict[str, str] | None = None, stdin: Any = None
) -> subprocess.CompletedProcess[str]:
    """Run ``summarizer ARGS`` to its end (bounded by ``timeout``)."""
    return subprocess.run(
        [*summarizer_command(), *args],
        capture_output=True,
        text=True,
        env=env or child_env(),
        timeout=timeout,
        stdin=stdin if stdin is not None else subprocess.DEVNULL,
    )


def interrupt_after(
    proc: subprocess.Popen[str], seconds: float, sig: int = signal.SIGINT, timeout: float = 30
) -> tuple[str, str, float]:
    """Send ``sig`` after ``seconds``; return stdout, stderr and how long the process took to end after it."""
    time.sleep(seconds)
    sent = time.monotonic()
    proc.send_signal(sig)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate(timeout=10)
        return out, err, float("inf")
    return out, err, time.monotonic() - sent


def no_traceback(proc: subprocess.CompletedProcess[str] | str) -> None:
    text = proc if isinstance(proc, str) else proc.stdout + proc.stderr
    assert "Traceback" not in text, text


def article_variants(corpus: Path, folder: Path, n: int) -> list[Path]:
    """``n`` (at most 9) distinct articles (different cache keys) made from article 002."""
    text = (corpus / ARTICLE_002).read_text(encoding="utf-8")
    words = [
        "الأول",
        "الثاني",
        "الثالث",
        "الرابع",
        "الخامس",
        "السادس",
        "السابع",
        "الثامن",
        "التاسع",
        "العاشر",
    ]
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        p = folder / f"article_{i:02d}.txt"
        p.write_text(text + f"\n\nهذا هو التقرير {words[i]} من السلسلة.\n", encoding="utf-8")
        paths.append(p)
    return paths


def copy_cache_dir(src: Path, dst: Path) -> None:
    shutil.copytree(src, dst)


def corrupt_pages(path: Path, keep_header: int = 100) -> None:
    """Overwrite every byte after SQLite's 100-byte header with garbage (the header stays intact)."""
    size = path.stat().st_size
    with path.open("r+b") as f:
        f.seek(keep_header)
        pattern = bytes((i * 37 + 11) % 256 for i in range(4096))
        left = size - keep_header
        while left > 0:
            chunk = pattern[: min(left, len(pattern))]
            f.write(chunk)
            left -= len(chunk)


def _drop_root_powers() -> None:  # pragma: no cover - runs in the child between fork and exec
    """As root, drop the capabilities that ignore file modes, so that chmod is honoured in the child."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            os._exit(97)


def file_modes_apply() -> bool:
    """Whether a child run with :func:`honour_file_modes` cannot write a read-only file."""
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "ro"
        f.write_text("x")
        f.chmod(0o444)
        proc = subprocess.run(
            ["sh", "-c", f"echo y >> {f}"], preexec_fn=honour_file_modes(), capture_output=True, timeout=30
        )
        f.chmod(0o644)
        return proc.returncode not in (0, 97)


def honour_file_modes() -> Any:
    """``preexec_fn`` for a child that must be refused writes that its file modes refuse (also as root)."""
    return _drop_root_powers if os.geteuid() == 0 else None


def run_cli_honouring_modes(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*summarizer_command(), *args],
        capture_output=True,
        text=True,
        env=child_env(),
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        preexec_fn=honour_file_modes(),
    )
