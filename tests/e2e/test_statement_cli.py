"""``pso statement`` as a user runs it: a key made for the settings, and a statement verified from
a file (offline, with a saved list of keys) or by its id from a running register; a tampered file
fails, saying why."""

from __future__ import annotations

import json
import os
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api.app import create_app
from api.settings import Settings
from api.signing import signing_key
from domain.signatures import SigningKey, b64encode
from tests.e2e.serving import PSO, uvicorn_in_thread
from tests.projection_support import populate

KEY = SigningKey.from_raw(bytes(range(32)))


def pso(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``pso`` without any PSO_ setting of this process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PSO_")}
    return subprocess.run(  # noqa: S603 (our own console script)
        [str(PSO), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60, check=False
    )


@pytest.fixture
def register_url(tmp_path: Path) -> Iterator[str]:
    """A running register (uvicorn) over three organisations, signing statements."""
    url = f"sqlite:///{tmp_path}/pso.sqlite3"
    populate(url, 3).close()
    key = b64encode(KEY.private_bytes())
    settings = Settings(
        database_url=url, scheduler=False, rate_limit_per_minute=0, statement_key=key
    )
    with uvicorn_in_thread(create_app(settings)) as base:
        yield base


def test_keygen_writes_a_private_key_only_its_owner_reads_and_never_overwrites_it(
    tmp_path: Path,
) -> None:
    """PEM, mode 0600, its id printed; the settings read it; a second keygen to it is refused."""
    path = tmp_path / "keys" / "statement-key.pem"
    made = pso("statement", "keygen", str(path), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().startswith("-----BEGIN PRIVATE KEY-----")
    key = signing_key(Settings(statement_key_file=str(path)))
    assert key is not None
    assert f"key id {key.key_id}" in made.stdout
    again = pso("statement", "keygen", str(path), cwd=tmp_path)
    assert again.returncode == 2
    assert "never overwritten" in again.stderr
    printed = pso("statement", "keygen", cwd=tmp_path)
    assert printed.returncode == 0
    variable = printed.stdout.strip()
    assert variable.startswith("PSO_STATEMENT_KEY=")
    assert signing_key(Settings(statement_key=variable.split("=", 1)[1])) is not None


def test_verify_checks_a_file_offline_and_a_tampered_file_fails_saying_why(
    register_url: str, tmp_path: Path
) -> None:
    """Valid (exit 0) from a saved document and saved keys, also reformatted; one changed name
    is not valid (exit 1): the signature does not verify over the canonical JSON."""
    made = httpx.post(
        f"{register_url}/api/v1/statements", json={"kvk": "20000002", "on": "2025-04-15"}
    )
    assert made.status_code == 201, made.text
    statement, keys = tmp_path / "statement.json", tmp_path / "keys.json"
    statement.write_bytes(made.content)
    keys.write_bytes(httpx.get(f"{register_url}/api/v1/keys").content)

    valid = pso("statement", "verify", str(statement), "--keys", str(keys), cwd=tmp_path)
    assert valid.returncode == 0, valid.stdout + valid.stderr
    assert "VALID: the register said at" in valid.stdout
    assert "Organisatie 2 (KvK 20000002), on 2025-04-15: certified at trede_2" in valid.stdout
    assert "FAIL" not in valid.stdout
    assert "note" not in valid.stdout

    document = made.json()
    reformatted = tmp_path / "reformatted.json"
    reformatted.write_text(json.dumps(document, indent=2))
    kept = pso("statement", "verify", str(reformatted), "--keys", str(keys), cwd=tmp_path)
    assert kept.returncode == 0, kept.stdout
    assert "not byte for byte as the register sends it" in kept.stdout

    document["statement"]["organisation"]["name"] = "Organisatie 2 B.V."
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(document))
    refused = pso("statement", "verify", str(tampered), "--keys", str(keys), cwd=tmp_path)
    assert refused.returncode == 1
    assert "NOT VALID: the signature does not verify over the statement's canonical JSON" in (
        refused.stdout
    )
    assert "the statement was changed after it was signed" in refused.stdout


def test_verify_fetches_a_statement_by_its_id_and_the_keys_from_the_register(
    register_url: str, tmp_path: Path
) -> None:
    """An id and --register: both fetched and checked; an unknown id cannot be checked (2)."""
    asked = {"kvk": "20000000", "from": "2025-04-01", "to": "2025-12-31", "min_level": "trede_2"}
    made = httpx.post(f"{register_url}/api/v1/statements", json=asked).json()
    checked = pso("statement", "verify", made["id"], "--register", register_url, cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"keys from {register_url}/api/v1/keys" in checked.stdout
    assert "not covered (1 gap) from 2025-04-01 to 2025-12-31 at trede_2" in checked.stdout
    missing = "0f8fad5b-d9cb-469f-a165-70867728950e"
    unknown = pso("statement", "verify", missing, "--register", register_url, cwd=tmp_path)
    assert unknown.returncode == 2
    assert f"answered 404 for the statement: statement {missing} not found" in unknown.stderr
    neither = pso("statement", "verify", "nothing-here", cwd=tmp_path)
    assert neither.returncode == 2
    assert "neither a file nor a statement id" in neither.stderr
