"""Configuration, resolved in one place and in one documented order.

For every setting, the first of these that gives a value wins:

1. the explicit argument (a CLI option, or a keyword of :func:`summarizer.summarize`);
2. the environment (``SUMMARIZER_*``; the API key also from ``OPENAI_API_KEY``);
3. the config file, ``config.toml`` in the user's config directory (or ``$SUMMARIZER_CONFIG``);
4. the default.

The embedded model runs unless a remote backend is chosen explicitly: ``--backend openai`` (or
``SUMMARIZER_BACKEND``), or a base URL (``--base-url``, ``SUMMARIZER_BASE_URL`` or the config file).
An API key alone (say an ``OPENAI_API_KEY`` set for another tool) never sends an article anywhere.
Nothing is read at import time, and the API key is never logged, cached or recorded (it is excluded
from ``repr`` and from every cache key, and masked in every message: :mod:`summarizer.redact`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import platformdirs

from summarizer.compat import tomllib
from summarizer.errors import ConfigError

APP = "summarizer"

#: setting name -> environment variables consulted, in order.
ENV_VARS: dict[str, tuple[str, ...]] = {
    "backend": ("SUMMARIZER_BACKEND",),
    "base_url": ("SUMMARIZER_BASE_URL",),
    "api_key": ("SUMMARIZER_API_KEY", "OPENAI_API_KEY"),
    "model": ("SUMMARIZER_MODEL",),
    "model_path": ("SUMMARIZER_MODEL_PATH",),
    "structured_output": ("SUMMARIZER_STRUCTURED_OUTPUT",),
    "cache_dir": ("SUMMARIZER_CACHE_DIR",),
    "timeout": ("SUMMARIZER_TIMEOUT",),
    "breaker_threshold": ("SUMMARIZER_BREAKER_THRESHOLD",),
    "max_reasks": ("SUMMARIZER_MAX_REASKS",),
    "transport_retries": ("SUMMARIZER_TRANSPORT_RETRIES",),
    "threads": ("SUMMARIZER_THREADS",),
    "n_ctx": ("SUMMARIZER_N_CTX",),
    "cpu_variant": ("SUMMARIZER_CPU_VARIANT",),
}


@dataclass(frozen=True)
class Settings:
    """Resolved settings. Build with :func:`resolve_settings`, not directly."""

    backend: str = "embedded"
    """``embedded`` (in-process model) or ``openai`` (any OpenAI-compatible endpoint)."""
    base_url: str | None = None
    """Endpoint of the OpenAI-compatible server (e.g. ``http://localhost:8000/v1``)."""
    api_key: str | None = field(default=None, repr=False)
    """API key for the endpoint; never logged or cached."""
    model: str | None = None
    """Remote model name, or an embedded model name (``qwen2.5-coder-1.5b``, ``qwen2.5-coder-0.5b``)."""
    model_path: str | None = None
    """Any GGUF file to run on the embedded engine instead of a packaged model."""
    structured_output: str = "json_schema"
    """How the remote endpoint is asked for schema-constrained JSON: ``json_schema`` (OpenAI, vLLM,
    Ollama, llama.cpp's llama-server) or ``json_object`` (llama-cpp-python's server: a
    ``json_object`` response format carrying the schema)."""
    cache_dir: str | None = None
    """Directory of the brief cache (default: the user's cache directory)."""
    timeout: float = 120.0
    """Seconds before one remote request times out (connecting: at most 10 of them)."""
    breaker_threshold: int = 3
    """Straight failed requests (refused, timed out, 5xx) after which a run stops sending: every later
    request of the run fails at once (0: never stop)."""
    max_reasks: int = 2
    """Re-asks after an answer fails validation (per step)."""
    transport_retries: int = 4
    """Retries of one request on 429, 5xx, timeouts and connection errors."""
    threads: int | None = None
    """CPU threads for the embedded engine (default: all cores)."""
    n_ctx: int = 8192
    """Context window (tokens) for the embedded engine."""
    cpu_variant: str | None = None
    """The embedded engine's CPU kernels to load (``haswell``, ``icelake``, ...; default: the best this
    CPU can run, :mod:`summarizer.llm.kernels`)."""

    @property
    def cache_path(self) -> Path:
        """Where the brief cache lives."""
        return Path(self.cache_dir) if self.cache_dir else Path(platformdirs.user_cache_dir(APP)) / "briefs"


def destination(settings: Settings) -> str:
    """Where articles go with these settings, in words (``summarizer models`` and ``-v`` print it)."""
    if settings.backend != "openai":
        return "this machine (the embedded model; nothing is sent anywhere)"
    from summarizer.redact import scrub

    url = settings.base_url or os.environ.get("OPENAI_BASE_URL") or "https://api.openai.com/v1"
    return f"{scrub(url)} (remote: each article is sent there)"


def config_file_path() -> Path:
    """The config file consulted (it need not exist)."""
    env = os.environ.get("SUMMARIZER_CONFIG")
    return Path(env) if env else Path(platformdirs.user_config_dir(APP)) / "config.toml"


def _read_config_file(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ConfigError(f"config file {path}: {e}") from e
    section = data.get("summarizer", data)
    if not isinstance(section, dict):
        raise ConfigError(f"config file {path}: expected a table of settings")
    known = {f.name for f in fields(Settings)}
    unknown = sorted(set(section) - known)
    if unknown:
        raise ConfigError(f"config file {path}: unknown setting(s) {', '.join(unknown)}")
    return section


def resolve_value(explicit: Any, env: str | Sequence[str], file: Mapping[str, Any], key: str) -> Any:
    """One setting, in the documented order: the explicit argument (when not None), then the first
    environment variable of ``env`` that is set and not empty, then ``file[key]``; None when none gives
    a value.

    The one implementation of the order, for :func:`resolve_settings` and the digest's settings
    (:meth:`summarizer.digest.config.SmtpConfig.resolve` and the ledger, outbox, archive and recipients).
    """
    if explicit is not None:
        return explicit
    for var in (env,) if isinstance(env, str) else env:
        if os.environ.get(var):
            return os.environ[var]
    return file.get(key)


def _coerce(name: str, value: Any) -> Any:
    default = Settings.__dataclass_fields__[name].default
    try:
        if isinstance(default, int) or name in ("threads",):
            return int(value)
        if isinstance(default, float):
            return float(value)
    except (TypeError, ValueError) as e:
        raise ConfigError(f"setting {name}: {value!r} is not a number") from e
    return str(value)


def resolve_settings(**explicit: Any) -> Settings:
    """Resolve settings: explicit arguments, then environment, then config file, then defaults."""
    file_values = _read_config_file(config_file_path())
    values: dict[str, Any] = {}
    for f in fields(Settings):
        value = resolve_value(explicit.get(f.name), ENV_VARS.get(f.name, ()), file_values, f.name)
        if value is not None:
            values[f.name] = _coerce(f.name, value)
    unknown = set(explicit) - {f.name for f in fields(Settings)}
    if unknown:
        raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    if "backend" not in values:
        # Remote only when chosen: a base URL. Never because some API key happens to be set.
        values["backend"] = "openai" if values.get("base_url") else "embedded"
    settings = Settings(**values)
    if settings.api_key:
        from summarizer.redact import register_secret

        register_secret(settings.api_key)  # masked in every message from now on
    if settings.backend not in ("embedded", "openai"):
        raise ConfigError(f"backend must be 'embedded' or 'openai', not {settings.backend!r}")
    if settings.structured_output not in ("json_schema", "json_object"):
        raise ConfigError("structured_output must be 'json_schema' or 'json_object'")
    if settings.backend == "openai" and not settings.model:
        raise ConfigError(
            "a remote backend needs a model name: pass --model or set SUMMARIZER_MODEL "
            "(e.g. SUMMARIZER_MODEL=gpt-4o-mini)"
        )
    return settings
