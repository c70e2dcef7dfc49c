"""summarizer.progress: steps reported by the work, a status line on a terminal, nothing elsewhere."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from summarizer import progress


def test_a_step_with_nobody_listening_does_nothing() -> None:
    progress.step("reading 1,234 tokens")
    with progress.step("Arabic summary"):
        pass


def test_listeners_get_each_step_and_a_block_restores_the_previous_one() -> None:
    seen: list[str] = []
    with progress.listen(seen.append):
        progress.step("reading 1,234 tokens")
        with progress.step("events 1/2"):
            pass
    progress.step("after")  # nobody listens any more
    assert seen == ["reading 1,234 tokens", "events 1/2", "reading 1,234 tokens"]


def test_steps_from_worker_threads_reach_the_open_status_line() -> None:
    stream = io.StringIO()  # not a terminal: nothing is shown, but the line still follows the steps
    with progress.status(total=2, stream=stream) as line:
        with ThreadPoolExecutor(1) as pool:
            pool.submit(progress.step, "checks").result()
        assert line.label == "checks"
        bound_seen: list[str] = []
        with progress.listen(bound_seen.append):
            worker = progress.bind(lambda: progress.step("bound"))
        threading.Thread(target=worker).start()
    assert stream.getvalue() == ""


def test_not_a_terminal_prints_nothing_extra() -> None:
    stream = io.StringIO()
    with progress.status(total=3, stream=stream) as line:
        line.article(1, "a.txt")
        progress.step("Arabic summary")
        assert line.text().startswith("article 1/3 · a.txt · Arabic summary · 0:0")
    assert stream.getvalue() == ""


def test_a_forced_terminal_shows_the_step_and_the_elapsed_time() -> None:
    stream = io.StringIO()
    with progress.status(total=1, stream=stream, enabled=True) as line:
        line.article(1, "004.txt")
        progress.step("Arabic summary")
        line._live.refresh()  # what rich draws 4 times a second
    shown = stream.getvalue()
    assert "004.txt · Arabic summary · 0:00" in shown
    assert "article 1/1" not in shown  # one article: no count


SCRIPT = """
import sys, time
from summarizer import progress
with progress.status(total=2) as line:
    line.article(2, "b.txt")
    progress.step("events 1/3")
    time.sleep(0.6)
print("done", file=sys.stderr)
"""


def _run(script: str, *, tty: bool) -> str:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    if not tty:
        done = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60
        )
        return done.stderr
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-c", script], stderr=follower, env=env)
    os.close(follower)
    out = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    proc.wait(timeout=60)
    os.close(leader)
    return out.decode("utf-8", "replace")


def test_on_a_real_terminal_the_line_shows_and_goes_and_off_it_nothing() -> None:
    assert _run(SCRIPT, tty=False) == "done\n"
    shown = _run(SCRIPT, tty=True)
    assert "article 2/2 · b.txt · events 1/3 · 0:00" in shown
    assert shown.rstrip().endswith("done")
