"""Issuing a statement records one fact, signed, with its key listed; a retry under the same
idempotency key issues nothing new (domain/service/statements.py)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from domain.errors import NotFoundError
from domain.signatures import SigningKey, canonical, verify
from domain.statement import Statement
from domain.values import Cause, Role
from tests.scenarios import START, scenario

KEY = SigningKey.from_raw(bytes(range(32)))
PUBLIC = Cause("public", Role.PUBLIC, "req-1")


def about(now: dt.datetime) -> dict[str, Any]:
    """What a statement says (the API builds it from the public answers)."""
    return {"kind": "position", "answer": {"as_known_at": now.isoformat(), "status": "certified"}}


def test_a_statement_is_one_event_holding_its_id_moment_and_signature() -> None:
    """The content gains its format, id and issued_at (the clock); the key is listed from then."""
    s = scenario()
    ids = iter([uuid.UUID(int=7)])
    s.register.new_id = lambda: next(ids)
    issued = s.register.issue_statement(about, KEY, PUBLIC)
    assert issued.statement_id == uuid.UUID(int=7)
    assert issued.content == {
        **about(START),
        "format": "pso-statement/1",
        "id": str(uuid.UUID(int=7)),
        "issued_at": "2025-03-03T09:00:00+00:00",
    }
    stored = s.register.statement(issued.statement_id)
    assert isinstance(stored, Statement)
    assert stored.version == 1
    assert (stored.content, stored.key_id, stored.signature) == (
        issued.content,
        issued.key_id,
        issued.signature,
    )
    (key,) = s.register.statement_keys()
    assert (key.key_id, key.public_key, key.valid_from) == (KEY.key_id, KEY.public_key, START)
    assert verify(stored.document(), {key.key_id: key}).valid
    assert canonical(stored.document()["statement"]) == canonical(issued.content)


def test_a_key_is_published_once_and_a_new_one_is_listed_beside_it() -> None:
    """Publishing the same key again records nothing; a rotated key is listed after the first."""
    s = scenario()
    admin = Cause("pso serve", Role.ADMIN, "start")
    assert s.register.publish_statement_key(KEY.public_key, admin) is True
    s.later(30)
    assert s.register.publish_statement_key(KEY.public_key, admin) is False
    s.register.issue_statement(about, KEY, PUBLIC)
    rotated = SigningKey.from_raw(bytes(32))
    assert s.register.publish_statement_key(rotated.public_key, admin) is True
    listed = s.register.statement_keys()
    assert [k.key_id for k in listed] == [KEY.key_id, rotated.key_id]
    assert listed[1].valid_from == START + dt.timedelta(days=30)


def test_a_retry_under_the_same_idempotency_key_answers_the_first_statement() -> None:
    """One statement for two requests with the same key and question."""
    s = scenario()
    run = lambda: s.register.issue_statement(about, KEY, PUBLIC)  # noqa: E731 (a retried command)
    first = s.register.once("retry-1", "issue_statement", "fp", PUBLIC, run)
    s.later(1)
    again = s.register.once("retry-1", "issue_statement", "fp", PUBLIC, run)
    assert again.result == first.result
    assert again.position is None


def test_an_unknown_statement_is_not_found() -> None:
    """No statement by that id."""
    with pytest.raises(NotFoundError, match="not found"):
        scenario().register.statement(uuid.UUID(int=1))
