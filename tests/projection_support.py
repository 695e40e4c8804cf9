"""Helpers for projection tests: a populated register, runners, and a dump of every read model."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Engine, select

from api.storage import engine_for, event_store_env
from domain.register import Register
from norms.levels import Level
from projections.catalogue import ReadModels, read_models
from projections.runner import Runner
from tests.scenarios import AUDITOR, STAFF, scenario, trede_2_declaration


def populate(url: str, organisations: int) -> Register:
    """A register with organisations through a lifecycle: some withdrawn, suspended, paid."""
    s = scenario(event_store_env(url))
    s.later(38)  # 10 April 2025: every fact below (the payment last) lies on or before today
    for i in range(organisations):
        kvk = f"{20000000 + i:08d}"
        s.register.register_organisation(kvk, f"Organisatie {i}", ["Utrecht", "Ede"][i % 2], STAFF)
        app = s.register.submit_application(
            kvk, trede_2_declaration(), "kiwa", dt.date(2025, 3, 3), STAFF
        ).application_id
        s.register.file_audit_report(app, dt.date(2025, 3, 20), Level.TREDE_2, "ok", AUDITOR)
        number = s.register.decide_application(app, dt.date(2025, 3, 31), STAFF).number
        assert number is not None
        if i % 3 == 0:
            s.register.withdraw_certificate(number, dt.date(2025, 6, 1), STAFF)
        elif i % 3 == 1:
            s.register.suspend_certificate(number, dt.date(2025, 5, 1), STAFF)
            s.register.record_contribution_payment(number, 1, dt.date(2025, 4, 10), STAFF)
    return s.register


def runner_for(register: Register, url: str, batch_size: int = 1000) -> tuple[Runner, ReadModels]:
    """A set-up runner over every projection."""
    models = read_models(register.catalogue)
    runner = Runner(register, engine_for(url, writer=True), models.all(), batch_size=batch_size)
    runner.setup()
    return runner, models


def dump(engine: Engine, models: ReadModels) -> dict[str, list[tuple[Any, ...]]]:
    """Every read-model row, sorted."""
    result = {}
    for projection in models.all():
        for table in projection.metadata.sorted_tables:
            with engine.connect() as conn:
                rows = conn.execute(select(table)).all()
            result[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return result
