"""The statement key from the settings: as base64 or a PEM file, one of the two, never echoed;
the demo's own key made once and kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.settings import Settings, SettingsError
from api.signing import DEMO_KEY_FILE, signing_key, with_demo_key, write_key_file
from domain.signatures import SigningKey, b64encode

KEY = SigningKey.from_raw(bytes(range(32)))


def test_the_key_is_read_from_base64_or_from_a_pem_file(tmp_path: Path) -> None:
    """Both forms give the same kind of key; no key, no signing."""
    from_env = signing_key(Settings(statement_key=b64encode(KEY.private_bytes())))
    assert from_env is not None
    assert from_env.key_id == KEY.key_id
    path = tmp_path / "key.pem"
    made = write_key_file(path)
    from_file = signing_key(Settings(statement_key_file=str(path)))
    assert from_file is not None
    assert from_file.key_id == made.key_id
    assert signing_key(Settings()) is None


def test_a_bad_key_is_named_without_repeating_it_and_only_one_may_be_set(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A private key never appears in an error; a missing file and two settings are named."""
    secret = "c2VjcmV0IHRoYXQgaXMgbm90IGEga2V5"  # noqa: S105 (a test value, not a key)
    monkeypatch.setenv("PSO_STATEMENT_KEY", secret)
    monkeypatch.setenv("PSO_STATEMENT_KEY_FILE", str(tmp_path / "missing.pem"))
    with pytest.raises(SettingsError) as raised:
        Settings.from_env()
    assert raised.value.problems == [
        "PSO_STATEMENT_KEY: the value is not an Ed25519 private key: expected the base64 of its"
        " 32 bytes or a PEM file (pso statement keygen makes one), got '<32 characters, not"
        " shown>'",
        f"PSO_STATEMENT_KEY_FILE: cannot read the key file {tmp_path}/missing.pem: No such file"
        f" or directory, got '{tmp_path}/missing.pem'",
    ]
    assert secret not in str(raised.value)
    path = tmp_path / "key.pem"
    write_key_file(path)
    monkeypatch.setenv("PSO_STATEMENT_KEY", b64encode(KEY.private_bytes()))
    monkeypatch.setenv("PSO_STATEMENT_KEY_FILE", str(path))
    with pytest.raises(SettingsError, match="set PSO_STATEMENT_KEY or PSO_STATEMENT_KEY_FILE"):
        Settings.from_env()


def test_the_demo_makes_its_key_once_beside_the_database_and_keeps_it(tmp_path: Path) -> None:
    """Every start of the demo signs with the same key; a configured key wins."""
    settings = Settings(database_url=f"sqlite:///{tmp_path}/pso.sqlite3")
    first = with_demo_key(settings)
    assert first.statement_key_file == str(tmp_path / DEMO_KEY_FILE)
    key = signing_key(first)
    again = signing_key(with_demo_key(settings))
    assert key is not None
    assert again is not None
    assert again.key_id == key.key_id
    configured = Settings(
        database_url=settings.database_url, statement_key=b64encode(KEY.private_bytes())
    )
    assert with_demo_key(configured) == configured
