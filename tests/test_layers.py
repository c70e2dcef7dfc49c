"""Issue #13, step 4: the import cycles between the two CLIs, between the digest's build and render, and
between the pipeline and its questions are gone, and stay gone: the package has no import cycle.

The import graph is read from the source with :mod:`ast`, not from an interpreter's ``sys.modules``:
every ``import`` counts, at module level, inside a function (a lazy import that only dodges a cycle is
still a cycle) or under ``if TYPE_CHECKING:``. Each module is then imported first, alone, in a fresh
interpreter.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "summarizer"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py") if "_bundled" not in p.parts}


@cache
def _imports(module: str) -> dict[str, list[tuple[int, bool]]]:
    """The package's modules that ``module`` imports: name -> [(line, at module level?), ...].

    ``from summarizer.digest import build`` imports ``summarizer.digest.build``; ``from
    summarizer.digest.build import Digest`` imports ``summarizer.digest.build``.
    """
    modules = _modules()
    tree = ast.parse(modules[module].read_text(encoding="utf-8"))
    found: dict[str, list[tuple[int, bool]]] = {}

    def visit(node: ast.AST, top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            names: list[str] = []
            if isinstance(child, ast.Import):
                names = [alias.name for alias in child.names]
            elif isinstance(child, ast.ImportFrom):
                assert child.level == 0, f"{module}:{child.lineno}: relative import"
                base = child.module or ""
                subs = [f"{base}.{a.name}" for a in child.names if f"{base}.{a.name}" in modules]
                names = subs + ([base] if len(subs) < len(child.names) else [])
            for name in names:
                if name in modules and name != module:
                    found.setdefault(name, []).append((child.lineno, top))
            nested = isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            visit(child, top and not nested)

    visit(tree, True)
    return found


def _reachable(module: str) -> set[str]:
    """Every module of the package that importing ``module``'s code can import, directly or not."""
    seen: set[str] = set()
    todo = [module]
    while todo:
        for name in _imports(todo.pop()):
            if name not in seen:
                seen.add(name)
                todo.append(name)
    return seen


def _cycles(modules: set[str]) -> list[list[str]]:
    """The import cycles among ``modules`` (strongly connected components of more than one)."""
    components = {
        tuple(sorted(m for m in modules if a in _reachable(m) and m in _reachable(a)))
        for a in modules
        if a in _reachable(a)
    }
    return [list(c) for c in sorted(components)]


def test_the_graph_sees_every_kind_of_import() -> None:
    # a TYPE_CHECKING import and a function-level one are both found
    assert "summarizer.config" in _imports("summarizer.digest.build")
    assert any(not top for _, top in _imports("summarizer.cli")["summarizer.api"])


@pytest.mark.parametrize(
    "module", ["summarizer.digest.types", "summarizer.digest.render", "summarizer.digest.archive"]
)
def test_what_reads_a_digest_never_imports_its_builder(module: str) -> None:
    assert "summarizer.digest.build" not in _reachable(module), _imports(module)


def test_the_digest_types_live_in_their_own_module() -> None:
    import summarizer.digest as package
    from summarizer.digest import build, types

    for name in ("Digest", "BriefedArticle", "DigestStats", "outlet_name"):
        assert getattr(build, name) is getattr(types, name)  # the old import path still works
    for name in ("Digest", "BriefedArticle", "DigestStats"):
        assert getattr(package, name) is getattr(types, name)
    assert {"summarizer.digest.build", "summarizer.digest.render"}.isdisjoint(
        _reachable("summarizer.digest.types")
    )


def test_the_two_clis_do_not_import_each_other() -> None:
    assert "summarizer.cli" not in _reachable("summarizer.digest.cli")
    shared = _reachable("summarizer.cli_common")
    assert {"summarizer.cli", "summarizer.digest.cli"}.isdisjoint(shared), shared
    # the main CLI registers the digest command with a plain module-level import, not a lazy one
    assert all(top for _, top in _imports("summarizer.cli")["summarizer.digest.cli"])


def test_the_shared_cli_pieces_are_defined_once() -> None:
    import summarizer.cli as cli
    import summarizer.digest.cli as digest_cli
    from summarizer import cli_common

    for name in ("backend_options", "handle_errors", "parse_date", "settings_from", "show_progress"):
        assert getattr(cli, name) is getattr(cli_common, name)
    for name in ("backend_options", "handle_errors", "parse_date", "settings_from", "show_progress"):
        assert getattr(digest_cli, name) is getattr(cli_common, name)
    assert cli.main.commands["digest"] is digest_cli.digest
    for path in (PACKAGE / "cli.py", PACKAGE / "digest" / "cli.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        defined = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
        assert not defined & {"_parse_date", "_parse_day", "parse_date", "handle_errors"}, path


def test_no_import_cycle_in_the_clis_or_the_digest() -> None:
    layer = {m for m in _modules() if m.startswith("summarizer.digest")} | {
        "summarizer.cli",
        "summarizer.cli_common",
    }
    assert _cycles(layer) == []


@pytest.mark.parametrize(
    "module",
    [
        "summarizer.digest.types",
        "summarizer.digest.render",
        "summarizer.digest.archive",
        "summarizer.digest.build",
        "summarizer.cli_common",
        "summarizer.digest.cli",
        "summarizer.cli",
    ],
)
def test_each_module_imports_first_in_a_fresh_interpreter(module: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", f"import {module}; print('ok')"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr


def test_the_package_has_no_import_cycle() -> None:
    # the questions read the pipeline's run state through a protocol, not by importing the pipeline
    assert "summarizer.brief.pipeline" not in _imports("summarizer.brief.questions")
    assert _cycles(set(_modules())) == []


# --- #13 step 5: folders that show the layers ----------------------------------------------------------

#: Top-level modules every layer may import: errors, configuration, the input (`Article`) and output
#: (`ArticleBrief`) contracts.
BASE = {
    "summarizer.compat",
    "summarizer.config",
    "summarizer.errors",
    "summarizer.inputs",
    "summarizer.progress",
    "summarizer.redact",
    "summarizer.schema",
    "summarizer.script",
}
#: Each folder, and the folders it may import besides :data:`BASE` and itself (lowest first).
LAYERS = {
    "summarizer.arabic": set(),
    "summarizer.llm": set(),
    "summarizer.brief": {"summarizer.arabic", "summarizer.llm"},
}


def _layer(module: str) -> str | None:
    return next((layer for layer in LAYERS if module == layer or module.startswith(layer + ".")), None)


def test_the_base_modules_import_only_each_other() -> None:
    for module in BASE:
        assert set(_imports(module)) <= BASE, (module, set(_imports(module)) - BASE)


@pytest.mark.parametrize("layer", list(LAYERS))
def test_each_folder_imports_only_the_layers_below_it(layer: str) -> None:
    allowed = LAYERS[layer] | {layer}
    members = [m for m in _modules() if _layer(m) == layer]
    assert members, layer
    for module in members:
        above = {m for m in _imports(module) if m not in BASE and _layer(m) not in allowed}
        assert not above, f"{module} imports {sorted(above)}"


def test_nothing_in_llm_imports_the_brief() -> None:
    for module in (m for m in _modules() if _layer(m) == "summarizer.llm"):
        assert not {m for m in _reachable(module) if _layer(m) == "summarizer.brief"}, module


def test_the_public_imports_still_work() -> None:
    import summarizer

    for name in summarizer.__all__:
        assert getattr(summarizer, name) is not None, name
