"""Findings 11 and 12 of issue #12: the package imports on Python 3.10 (tomli in place of tomllib) and in
any module order."""

from __future__ import annotations

import re
import subprocess
import sys

from _fault_support import ROOT


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)


def test_digest_cli_imports_before_the_main_cli() -> None:
    """Finding 12: `import summarizer.digest.cli` first used to fail on a partially initialised module."""
    proc = _python(
        "import summarizer.digest.cli as d\n"
        "import summarizer.cli as c\n"
        "assert c.main.commands['digest'] is d.digest\n"
        "print('ok')\n"
    )
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr


def test_config_modules_import_without_tomllib() -> None:
    """Finding 11: on Python 3.10 there is no tomllib; the configs fall back to tomli (same API)."""
    proc = _python(
        "import sys, tomllib as real\n"
        "sys.modules['tomli'] = real\n"
        "sys.modules['tomllib'] = None  # as on 3.10: import tomllib raises ModuleNotFoundError\n"
        "import summarizer.config, summarizer.digest.config\n"
        "assert summarizer.config.tomllib is real and summarizer.digest.config.tomllib is real\n"
        "print('ok')\n"
    )
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr


def test_tomli_is_declared_for_python_310() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r"""["']tomli[^"']*;\s*python_version\s*<\s*["']3\.11["']["']""", text), (
        "pyproject.toml must declare tomli for Python < 3.11"
    )
    assert 'requires-python = ">=3.10"' in text
