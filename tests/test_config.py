from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.config import config_file_path, resolve_settings
from summarizer.errors import ConfigError


def test_no_key_and_no_url_means_embedded() -> None:
    s = resolve_settings()
    assert s.backend == "embedded"
    assert s.api_key is None


def test_order_is_argument_then_environment_then_file(monkeypatch: pytest.MonkeyPatch) -> None:
    config_file_path().write_text(
        '[summarizer]\nmodel = "from-file"\nbase_url = "http://file/v1"\nmax_reasks = 5\n'
    )
    s = resolve_settings()
    assert (s.model, s.base_url, s.max_reasks, s.backend) == ("from-file", "http://file/v1", 5, "openai")
    monkeypatch.setenv("SUMMARIZER_MODEL", "from-env")
    assert resolve_settings().model == "from-env"
    assert resolve_settings(model="from-arg").model == "from-arg"


def test_api_key_from_either_variable_and_never_in_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-openai-secret")
    monkeypatch.setenv("SUMMARIZER_MODEL", "gpt-4o-mini")
    s = resolve_settings()
    # the key is read, but a key alone never selects the remote backend (issue #12, finding 7)
    assert s.backend == "embedded" and s.api_key == "sk-openai-secret"
    assert "sk-openai-secret" not in repr(s)
    monkeypatch.setenv("SUMMARIZER_API_KEY", "sk-summarizer")
    assert resolve_settings().api_key == "sk-summarizer"


def test_remote_backend_without_model_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMARIZER_BASE_URL", "http://localhost:8000/v1")
    with pytest.raises(ConfigError, match="model name"):
        resolve_settings()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("model = [", "config file"),
        ("colour = 'red'", "unknown setting"),
        ("max_reasks = 'many'", "not a number"),
    ],
)
def test_bad_config_file(content: str, message: str) -> None:
    Path(config_file_path()).write_text(content)
    with pytest.raises(ConfigError, match=message):
        resolve_settings()


def test_unknown_backend_is_rejected() -> None:
    with pytest.raises(ConfigError, match="backend must be"):
        resolve_settings(backend="magic")
