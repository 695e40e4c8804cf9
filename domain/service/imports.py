"""Bringing an existing register in: all or nothing, effective dates from the file, every event
caused by the import (role ``import``), recorded at the time of the import.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from eventsourcing.application import AggregateNotFoundError

from domain.aggregate import PsoAggregate, stable_id
from domain.application import CertificationApplication
from domain.certificate import Certificate, Status
from domain.clock import business_date
from domain.errors import DomainError, InvalidInputError
from domain.import_file import ImportRow
from domain.kvk_index import KvkIndex, kvk_index_id
from domain.numbering import CertificateNumbers, numbering_id
from domain.organisation import Organisation, organisation_id
from domain.service.base import RegisterBase, certificate_id
from domain.values import CERTIFICATE_NUMBER, Cause
from norms.errors import NoVersionInForceError
from norms.handbook import HandbookVersion
from norms.levels import Level


class ImportRefusedError(InvalidInputError):
    """The file cannot be imported; nothing was written. ``problems`` name the lines."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s); nothing was imported")


@dataclass
class ImportReport:
    """What an import wrote (or would write, in a dry run)."""

    organisations: int = 0
    certificates: int = 0
    events: int = 0
    by_status: dict[str, int] = field(default_factory=dict)


class ImportCommands(RegisterBase):
    """``pso import``: an existing register as events, in one transaction."""

    def import_register(
        self,
        rows: list[ImportRow],
        cause: Cause,
        *,
        dry_run: bool = False,
        progress: Callable[[int, int], None] | None = None,
    ) -> ImportReport:
        """Check every row against the register, build every aggregate, then save them at once."""
        now = self.clock.now()
        problems: list[str] = []
        aggregates: list[PsoAggregate] = []
        numbers: dict[int, CertificateNumbers] = {}
        report = ImportReport()
        groups: dict[str, list[ImportRow]] = defaultdict(list)
        for row in rows:
            groups[row.kvk].append(row)
        claimed: set[str] = set()
        for done, (kvk, group) in enumerate(groups.items(), start=1):
            group.sort(key=lambda r: (r.valid_from, r.certificate_number))
            try:
                built = self._import_organisation(kvk, group, claimed, numbers, now, cause)
            except DomainError as exc:
                line = getattr(exc, "line", group[0].line)
                problems.append(f"line {line}: {exc}")
                continue
            aggregates += built
            report.organisations += 1
            report.certificates += len(group)
            for row in group:
                report.by_status[row.status.value] = report.by_status.get(row.status.value, 0) + 1
            if progress is not None:
                progress(done, len(groups))
        if problems:
            raise ImportRefusedError(problems)
        aggregates += numbers.values()
        report.events = sum(len(a.pending_events) for a in aggregates)
        if not dry_run:
            self._save(*aggregates)
        return report

    def _import_organisation(
        self,
        kvk: str,
        group: list[ImportRow],
        claimed: set[str],
        numbers: dict[int, CertificateNumbers],
        now: dt.datetime,
        cause: Cause,
    ) -> list[PsoAggregate]:
        first = group[0]
        if organisation_id(kvk) in self.repository:
            raise _at(first, f"kvk: {kvk} is already in the register")
        org = Organisation.register(kvk, first.name, first.place or "-", now, cause)
        if first.subsidiaries:
            org.change_subsidiaries(first.subsidiaries, now, cause)
        for covered in org.covered_kvks:
            if covered in claimed or kvk_index_id(covered) in self.repository:
                raise _at(first, f"kvk: {covered} is already covered by another organisation")
            claimed.add(covered)
        built: list[PsoAggregate] = [
            org,
            *(KvkIndex.claim(k, org.id, now, cause) for k in org.covered_kvks),
        ]
        certs: list[tuple[ImportRow, Certificate]] = []
        for row in group:
            try:
                cert, app = self._import_certificate(row, org, numbers, now, cause)
                org.attach_certificate(
                    cert.id, aspirant=row.level is Level.ASPIRANT, now=now, cause=cause
                )
            except DomainError as exc:
                raise _at(row, str(exc)) from None
            certs.append((row, cert))
            built += [cert, app]
        self._import_statuses(certs, now, cause)
        return built

    def _import_certificate(
        self,
        row: ImportRow,
        org: Organisation,
        numbers: dict[int, CertificateNumbers],
        now: dt.datetime,
        cause: Cause,
    ) -> tuple[Certificate, Any]:
        if certificate_id(row.certificate_number) in self.repository:
            raise InvalidInputError(f"certificate_number: {row.certificate_number} exists already")
        version = self._version_for(row.valid_from)
        if not version.has_level(row.level):
            msg = f"level: {row.level} did not exist under handbook {version.version}"
            raise InvalidInputError(msg)
        cert_id = certificate_id(row.certificate_number)
        app_id = stable_id("imported-application", row.certificate_number)
        cert = Certificate.issue(
            cert_id,
            now,
            cause,
            number=row.certificate_number,
            organisation_id=org.id,
            application_id=app_id,
            level=row.level.value,
            pso30plus=row.pso30plus,
            covered_kvks=org.covered_kvks,
            valid_from=row.valid_from,
            valid_until=row.valid_until,
            handbook_version=version.version,
            total_score="",
            assessment={"imported": True, "line": row.line},
        )
        app = CertificationApplication.imported(
            app_id,
            org.id,
            org.covered_kvks,
            row.ci,
            version.version,
            row.valid_from,
            cert_id,
            now,
            cause,
        )
        match = CERTIFICATE_NUMBER.fullmatch(row.certificate_number)
        assert match is not None  # noqa: S101 (checked when the file was read)
        year, sequence = int(match.group(1)), int(match.group(2))
        if year not in numbers:
            try:
                numbers[year] = self.repository.get(numbering_id(year))
            except AggregateNotFoundError:
                numbers[year] = CertificateNumbers.open(year, now, cause)
        numbers[year].reserve(sequence, now, cause)
        return cert, app

    def _version_for(self, day: dt.date) -> HandbookVersion:
        """The version in force on the day; the earliest one for older certificates."""
        try:
            return self.catalogue.version_in_force(day)
        except NoVersionInForceError:
            return self.catalogue.versions[0]

    def _import_statuses(
        self, certs: list[tuple[ImportRow, Certificate]], now: dt.datetime, cause: Cause
    ) -> None:
        today = business_date(now)
        for index, (row, cert) in enumerate(certs):
            day = row.status_effective_on
            try:
                if row.status is Status.SUSPENDED and day is not None:
                    cert.suspend(day, now, cause)
                elif row.status is Status.WITHDRAWN and day is not None:
                    cert.withdraw(day, now, cause)
                elif row.status is Status.SUPERSEDED and day is not None:
                    if index + 1 >= len(certs):
                        raise InvalidInputError(
                            "status: superseded, but no later certificate follows"
                        )
                    cert.supersede(certs[index + 1][1].id, day, now, cause)
                elif row.status is Status.EXPIRED and not cert.expire(today, now, cause):
                    raise InvalidInputError(f"status: expired, but valid until {row.valid_until}")
            except DomainError as exc:
                raise _at(row, str(exc)) from None


def _at(row: ImportRow, message: str) -> DomainError:
    error = InvalidInputError(message)
    error.line = row.line  # type: ignore[attr-defined]
    return error
