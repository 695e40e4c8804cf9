"""Encryption at rest: with PSO_CIPHER_KEY set, stored events do not show the organisation."""

from __future__ import annotations

from pathlib import Path

from api.storage import event_store_env, new_cipher_key
from domain.clock import SimulatedClock
from domain.register import Register
from tests.scenarios import STAFF, START

NAME = "Zorgboerderij Geheimzinnig"


def register_one(url: str, key: str | None) -> None:
    """Register one organisation on a SQLite file and close it."""
    register = Register(event_store_env(url, key), clock=SimulatedClock(START))
    register.register_organisation("12345678", NAME, "Ede", STAFF)
    register.close()


def stored_bytes(database: Path) -> bytes:
    """Everything SQLite wrote for a database: the file and any WAL or journal beside it."""
    return b"".join(p.read_bytes() for p in database.parent.glob(f"{database.name}*"))


def test_encrypted_events_do_not_contain_the_name_and_still_read_back(tmp_path: Path) -> None:
    """The bytes of the database file hide the name; the register reads it with the key."""
    plain, secret = tmp_path / "plain.sqlite3", tmp_path / "secret.sqlite3"
    key = new_cipher_key()
    register_one(f"sqlite:///{plain}", None)
    register_one(f"sqlite:///{secret}", key)
    assert NAME.encode() in stored_bytes(plain)
    assert NAME.encode() not in stored_bytes(secret)
    reopened = Register(event_store_env(f"sqlite:///{secret}", key))
    assert reopened.organisation_by_kvk("12345678").name == NAME
    reopened.close()
