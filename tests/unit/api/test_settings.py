"""The one settings object: every PSO_* variable validated at start, one clear line per bad one."""

from __future__ import annotations

import pytest

from api.settings import Settings, SettingsError


def test_the_environment_sets_every_field_and_code_may_name_fields_itself(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """PSO_* variables are read and converted; a field given in code wins."""
    monkeypatch.setenv("PSO_SCHEDULER", "off")
    monkeypatch.setenv("PSO_RATE_LIMIT", "0")
    monkeypatch.setenv("PSO_LOG_LEVEL", "warning")
    monkeypatch.setenv("PSO_TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.1")
    settings = Settings.from_env()
    assert settings.scheduler is False
    assert settings.rate_limit_per_minute == 0
    assert settings.log_level == "WARNING"
    assert settings.trusted_proxies == ("10.0.0.0/8", "192.168.1.1")
    assert Settings(rate_limit_per_minute=5).rate_limit_per_minute == 5


def test_every_bad_variable_is_named_with_what_it_expects_and_what_it_got(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """All problems at once, each naming its variable, never a pydantic dump."""
    monkeypatch.setenv("PSO_PORT", "eighty")
    monkeypatch.setenv("PSO_SCHEDULER", "maybe")
    monkeypatch.setenv("PSO_LOG_FORMAT", "xml")
    monkeypatch.setenv("PSO_DATABASE_URL", "sqlite://")
    monkeypatch.setenv("PSO_CIPHER_KEY", "short")
    monkeypatch.setenv("PSO_SWEEP_INTERVAL", "0")
    monkeypatch.setenv("PSO_TRUSTED_PROXIES", "10.0.0.1,nowhere")
    with pytest.raises(SettingsError) as raised:
        Settings.from_env()
    assert raised.value.problems == [
        "PSO_DATABASE_URL: expected sqlite:///relative/path, sqlite:////absolute/path or"
        " postgresql://..., got 'sqlite://'",
        "PSO_LOG_FORMAT: expected one of 'auto', 'json' or 'console', got 'xml'",
        "PSO_PORT: expected a whole number, got 'eighty'",
        "PSO_CIPHER_KEY: expected a base64 AES key of 16, 24 or 32 bytes (see the README:"
        " PSO_CIPHER_KEY), got 'short'",
        "PSO_SCHEDULER: expected on/off (or true/false, yes/no, 1/0), got 'maybe'",
        "PSO_SWEEP_INTERVAL: input should be greater than 0, got '0'",
        "PSO_TRUSTED_PROXIES: 'nowhere' is not an IP address or network, got '10.0.0.1,nowhere'",
    ]


def test_a_port_outside_the_range_and_an_unknown_database_are_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Ports are 1-65535; databases are SQLite or PostgreSQL."""
    monkeypatch.setenv("PSO_PORT", "70000")
    monkeypatch.setenv("PSO_DATABASE_URL", "mysql://db/pso")
    with pytest.raises(SettingsError) as raised:
        Settings.from_env()
    assert [p.split(":")[0] for p in raised.value.problems] == ["PSO_DATABASE_URL", "PSO_PORT"]
