"""#12 finding 3: the declared dependencies alone read an HTML article (lxml 6 moved ``lxml.html.clean``
to ``lxml_html_clean``; an undeclared module worked only where something else had installed it).

A fresh virtual environment gets the package with no extras (pip's cache makes it a minute), and reads
an HTML page through the real code path.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGE = """<html><head><title>غارة على الحديدة</title></head><body><article>
<h1>غارة على الحديدة</h1>
<p>صنعاء (أ ف ب) - قُتل ثلاثة مدنيين في غارة جوية على مدينة الحديدة غربي اليمن يوم الثلاثاء،
وفق ما أفاد مسؤول محلي.</p>
<p>وقال المسؤول إن الغارة استهدفت حياً سكنياً قرب الميناء، وإن فرق الإسعاف نقلت الجرحى إلى المستشفى.</p>
<script>alert(1)</script></article></body></html>
"""  # written for the tests, not real reporting


def test_an_html_article_reads_with_the_declared_dependencies_alone(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(ROOT)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    if install.returncode != 0 and "Could not find a version" in install.stderr + install.stdout:
        pytest.skip(f"no package index reachable: {install.stderr.strip().splitlines()[-1]}")
    assert install.returncode == 0, install.stderr
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    code = (
        "import sys; from summarizer.inputs import read_article; a = read_article(sys.argv[1]); "
        "print(len(a.sentences())); print('alert' in a.text)"
    )
    run = subprocess.run([str(python), "-c", code, str(page)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    sentences, script_kept = run.stdout.split()
    assert int(sentences) >= 2 and script_kept == "False"
