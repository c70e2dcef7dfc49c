"""Finding 10 of issue #12: the cache key carries a fingerprint of the package's own code and data files
(summarizer/**/*.py, summarizer/data/*, prompts/*), so any change to them makes briefs again, with no
hand-bumped version."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from _fault_support import ARTICLE_002, ROOT, FakeLLM

import summarizer.api
from summarizer.api import Briefer
from summarizer.cache import code_fingerprint, fingerprint_files
from summarizer.config import resolve_settings
from summarizer.inputs import read_article
from summarizer.llm.prompts import prompts_dir


@pytest.fixture
def package_copy(tmp_path: Path) -> tuple[Path, Path]:
    package = tmp_path / "summarizer"
    shutil.copytree(ROOT / "summarizer", package, ignore=shutil.ignore_patterns("__pycache__"))
    prompts = tmp_path / "prompts"
    shutil.copytree(prompts_dir(), prompts)
    return package, prompts


def test_fingerprint_is_the_installed_package_and_computed_once() -> None:
    code_fingerprint.cache_clear()  # computed now, beside the recomputation below
    assert code_fingerprint() == fingerprint_files(ROOT / "summarizer", prompts_dir())
    assert code_fingerprint.cache_info().currsize == 1  # once per process


@pytest.mark.parametrize(
    "change",
    ["gazetteer", "a check's code", "a prompt", "a new module"],
)
def test_any_change_to_code_or_data_changes_the_fingerprint(
    change: str, package_copy: tuple[Path, Path]
) -> None:
    package, prompts = package_copy
    before = fingerprint_files(package, prompts)
    (package / "__pycache__").mkdir(exist_ok=True)
    (package / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"compiled")
    assert fingerprint_files(package, prompts) == before  # bytecode caches do not count
    if change == "gazetteer":
        data = next(p for p in sorted((package / "data").rglob("*")) if p.is_file())
        data.write_bytes(data.read_bytes() + b" ")
    elif change == "a check's code":
        (package / "brief" / "grounding.py").write_text(
            (package / "brief" / "grounding.py").read_text() + "\n# changed\n"
        )
    elif change == "a prompt":
        template = next(p for p in sorted(prompts.iterdir()) if p.suffix == ".j2")
        template.write_text(template.read_text() + "\n")
    else:
        (package / "new_rule.py").write_text("RULE = 1\n")
    assert fingerprint_files(package, prompts) != before


def test_a_changed_fingerprint_makes_the_brief_again(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    article = read_article(corpus / ARTICLE_002)
    with FakeLLM("ok").running() as llm:
        settings = resolve_settings(backend="openai", base_url=llm.url, model="x")
        first = Briefer(settings).brief(article)
        calls = llm.count()
        again = Briefer(settings).brief(article)
        assert not first.meta.cached and again.meta.cached and llm.count() == calls
        # the same article after an upgrade that changed, say, the gazetteer
        monkeypatch.setattr(summarizer.api, "code_fingerprint", lambda: "another-release")
        upgraded = Briefer(settings).brief(article)
        assert not upgraded.meta.cached and llm.count() == 2 * calls
