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


# --- the one order, for the summarizer's settings and the digest's ------------------------------------


@pytest.mark.parametrize(
    ("explicit", "env", "file", "expected"),
    [
        ("arg", "env", "file", "arg"),
        (None, "env", "file", "env"),
        (None, "", "file", "file"),  # an empty variable counts as not set
        (None, None, "file", "file"),
        (None, None, None, None),
    ],
)
def test_one_order_serves_the_settings_and_the_digest(
    explicit: str | None,
    env: str | None,
    file: str | None,
    expected: str | None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from summarizer.digest.config import SmtpConfig, resolve_ledger_path

    monkeypatch.setenv("SUMMARIZER_DIGEST_CONFIG", str(Path(config_file_path()).parent / "digest.toml"))
    for var, value in (
        ("SUMMARIZER_MODEL", env),
        ("SUMMARIZER_SMTP_HOST", env),
        ("SUMMARIZER_DIGEST_LEDGER", env),
    ):
        if value is None:
            monkeypatch.delenv(var, raising=False)
        else:
            monkeypatch.setenv(var, value)
    if file is not None:
        Path(config_file_path()).write_text(f'[summarizer]\nmodel = "{file}"\n')
    assert resolve_settings(model=explicit).model == expected
    digest_file = {"smtp": {"host": file}, "ledger": file} if file is not None else {}
    if expected is None:
        with pytest.raises(ConfigError, match="no SMTP server configured"):
            SmtpConfig.resolve(file=digest_file, require_sender=False, host=explicit)
        assert resolve_ledger_path(explicit, digest_file).name == "ledger.sqlite3"
    else:
        assert SmtpConfig.resolve(file=digest_file, require_sender=False, host=explicit).host == expected
        assert resolve_ledger_path(explicit, digest_file) == Path(expected)


def test_the_first_environment_variable_set_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    from summarizer.config import resolve_value

    monkeypatch.setenv("OPENAI_API_KEY", "second")
    assert resolve_value(None, ("SUMMARIZER_API_KEY", "OPENAI_API_KEY"), {}, "api_key") == "second"
    monkeypatch.setenv("SUMMARIZER_API_KEY", "first")
    assert resolve_value(None, ("SUMMARIZER_API_KEY", "OPENAI_API_KEY"), {}, "api_key") == "first"


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("threads", "many", "setting threads: 'many' is not a number"),
        ("timeout", "soon", "setting timeout: 'soon' is not a number"),
    ],
)
def test_a_setting_that_is_not_a_number_is_named(
    setting: str, value: str, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(f"SUMMARIZER_{setting.upper()}", value)
    with pytest.raises(ConfigError, match=message):
        resolve_settings()
