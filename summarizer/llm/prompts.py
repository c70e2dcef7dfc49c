"""Prompt templates: Jinja2 files in ``prompts/``, sandboxed, strict about undefined variables.

Article text is passed to templates as a *variable*, never as template source, so braces or Jinja
syntax inside an article are printed, not executed. The prompt version is the ``VERSION`` file plus
a hash of every template, and it is part of every cache key: editing a prompt never serves a stale
brief.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from summarizer.errors import ConfigError


def _resource_dir(name: str) -> Path:
    """A top-level data folder: bundled inside the installed package, or at the repository root."""
    here = Path(__file__).resolve().parent.parent  # the package folder, summarizer/
    for candidate in (here / "_bundled" / name, here.parent / name):
        if candidate.is_dir():
            return candidate
    raise ConfigError(f"cannot find the {name}/ folder (looked in {here / '_bundled'} and {here.parent})")


def prompts_dir() -> Path:
    return _resource_dir("prompts")


@functools.lru_cache(maxsize=1)
def _env() -> SandboxedEnvironment:
    return SandboxedEnvironment(
        loader=FileSystemLoader(str(prompts_dir())),
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
        trim_blocks=False,
    )


def render(name: str, **variables: Any) -> str:
    """Render ``prompts/{name}.j2`` with ``variables`` (a missing variable is an error)."""
    return _env().get_template(f"{name}.j2").render(**variables).strip()


@functools.lru_cache(maxsize=1)
def prompt_hash() -> str:
    """BLAKE2b of every template's name and bytes."""
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(prompts_dir().iterdir()):
        if path.is_file():
            h.update(path.name.encode())
            h.update(b"\0")
            h.update(path.read_bytes())
            h.update(b"\0")
    return h.hexdigest()


@functools.lru_cache(maxsize=1)
def prompt_version() -> str:
    """``VERSION`` of the templates plus the first 12 hex digits of their hash, e.g. ``1+3fa2…``."""
    version_file = prompts_dir() / "VERSION"
    version = version_file.read_text(encoding="utf-8").strip() if version_file.is_file() else "0"
    return f"{version}+{prompt_hash()[:12]}"
