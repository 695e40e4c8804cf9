"""``pso import``: an existing register comes in whole or not at all, with its effective dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from api.storage import event_store_env
from domain.clock import SimulatedClock
from domain.import_file import parse_register_csv
from domain.numbering import CertificateNumbers, numbering_id
from domain.register import Register
from domain.service.imports import ImportRefusedError
from domain.values import Cause, Role
from norms.levels import Level

EXAMPLE = (Path(__file__).resolve().parents[2] / "examples" / "register-import.csv").read_text()
IMPORT = Cause("import", Role.IMPORT, "import-test", reason="imported from test")
NOW = dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC)


def register_at(url: str) -> Register:
    """A register whose clock stands on 1 November 2026."""
    return Register(event_store_env(url), clock=SimulatedClock(NOW))


def test_the_example_register_comes_in_with_its_effective_dates(database_url: str) -> None:
    """Positions follow the file's dates; every event is the import's, recorded now."""
    register = register_at(database_url)
    rows, problems = parse_register_csv(EXAMPLE)
    assert problems == []
    report = register.import_register(rows, IMPORT)
    assert (report.organisations, report.certificates) == (4, 5)
    climbed = register.position("30000011", dt.date(2025, 1, 1))
    assert climbed.certificate is not None
    assert (climbed.level, climbed.certificate.number, climbed.pso30plus) == (
        Level.TREDE_3, "PSO-2024-000044", True,
    )  # fmt: skip
    assert register.position("30000011", dt.date(2024, 1, 1)).level is Level.TREDE_2
    assert register.position("30000024", dt.date(2025, 2, 1)).standing == "withdrawn"
    assert register.position("30000002", dt.date(2025, 1, 1)).standing == "expired"
    entries = register.timeline("30000001")
    assert {e.cause.actor_role for e in entries} == {Role.IMPORT}
    assert {e.recorded_at for e in entries} == {NOW}
    register.close()


def test_numbers_of_imported_certificates_are_never_handed_out_again(database_url: str) -> None:
    """After importing PSO-2024-000120, the next 2024 number is 000121."""
    register = register_at(database_url)
    register.import_register(parse_register_csv(EXAMPLE)[0], IMPORT)
    numbers: CertificateNumbers = register.repository.get(numbering_id(2024))
    assert numbers.last == 120
    register.close()


def test_a_file_with_bad_rows_is_refused_line_by_line() -> None:
    """Every bad row is reported with its line number and field."""
    bad = EXAMPLE.replace("30000002,", "3000002,").replace("trede_3,true", "trede_9,true")
    rows, problems = parse_register_csv(bad)
    assert "line 4: kvk: a KvK number has exactly 8 digits, got '3000002'" in problems
    assert "line 3: level: unknown level 'trede_9'" in problems
    assert len(rows) == 3


def test_nothing_is_written_when_any_row_conflicts_with_the_register(database_url: str) -> None:
    """One organisation already registered: the whole file is refused and nothing else lands."""
    register = register_at(database_url)
    register.register_organisation("30000004", "Al bekend", "Ede", Cause("s", Role.STAFF, "c"))
    before = register.recorder.max_notification_id()
    with pytest.raises(ImportRefusedError) as refused:
        register.import_register(parse_register_csv(EXAMPLE)[0], IMPORT)
    assert refused.value.problems == ["line 6: kvk: 30000004 is already in the register"]
    assert register.recorder.max_notification_id() == before
    register.close()


def test_a_dry_run_checks_everything_and_writes_nothing(database_url: str) -> None:
    """The report counts what would be written; the log stays empty."""
    register = register_at(database_url)
    report = register.import_register(parse_register_csv(EXAMPLE)[0], IMPORT, dry_run=True)
    assert report.events > 0
    assert (register.recorder.max_notification_id() or 0) == 0
    register.close()


@pytest.mark.postgres
def test_a_register_of_thousands_comes_in_on_postgresql(postgres_url: str) -> None:
    """3,000 organisations in one transaction (about 18,000 events): psycopg's pipeline mode hung
    on a transaction this large; the register's recorder writes it without a pipeline."""
    header = EXAMPLE.splitlines()[0]
    lines = [
        f"{40000000 + i},Organisatie {i},Ede,,PSO-2025-{i + 1:06d},trede_1,false,"
        "2025-01-06,2027-01-05,Kiwa,active,"
        for i in range(3000)
    ]
    rows, problems = parse_register_csv("\n".join([header, *lines]) + "\n")
    assert problems == []
    register = register_at(postgres_url)
    report = register.import_register(rows, IMPORT)
    assert (report.organisations, report.certificates) == (3000, 3000)
    certificate = register.position("40002999", dt.date(2026, 1, 1)).certificate
    assert certificate is not None
    assert certificate.number == "PSO-2025-003000"
    register.close()
