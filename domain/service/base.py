"""What every command shares: the event store, replay, the unit of work, idempotency keys, the
clock and id factory, the scheme catalogue, and loading aggregates by id or business key."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar, cast
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Snapshot
from eventsourcing.persistence import IntegrityError, JSONTranscoder

from domain.aggregate import PsoAggregate, stable_id
from domain.application import CertificationApplication
from domain.certificate import Certificate
from domain.clock import Clock, SystemClock
from domain.errors import (
    ConcurrentModificationError,
    DomainError,
    InvalidTransitionError,
    NotFoundError,
)
from domain.idempotency import IdempotencyRecord, Stored, idempotency_id
from domain.kvk_index import KvkIndex, kvk_index_id
from domain.numbering import CertificateNumbers
from domain.organisation import Organisation
from domain.service.catalogue import Catalogue
from domain.service.replay import ReplayRepository, replay
from domain.service.results import register_result_transcodings
from domain.service.unit_of_work import UnitOfWork, current_unit, working
from domain.transcodings import register_pso_transcodings
from domain.values import Cause, kvk_number
from norms.assessment import Assessment, assess
from norms.bundled import bundled_catalogue
from norms.catalogue import SchemeCatalogue
from norms.declaration import declaration_from_document

T = TypeVar("T")
R = TypeVar("R", bound=Stored)  # a command result an idempotency record can keep


def certificate_id(number: str) -> UUID:
    """The id of a certificate, derived from its number."""
    return stable_id("certificate", number)


@dataclass(frozen=True)
class Done(Generic[R]):
    """What a command run by ``once`` answered, and the log position of its last event (None
    when it saved nothing, or when it is the repeat of an earlier run under the same key)."""

    result: R
    position: int | None


class RegisterBase(Application[UUID]):
    """What every command shares (the commands: domain/service/, composed in domain/register.py)."""

    #: a year's certificate counter gains an event per certificate; a snapshot every 50 events
    #: keeps loading it short (snapshots are a cache: the events stay the record)
    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {CertificateNumbers: 50}
    snapshot_class = Snapshot

    def __init__(
        self,
        env: Mapping[str, str] | None = None,
        *,
        clock: Clock | None = None,
        catalogue: SchemeCatalogue | None = None,
        new_id: Callable[[], UUID] = uuid4,
    ) -> None:
        super().__init__(env)
        self.clock = clock or SystemClock()
        self.new_id = new_id
        self._catalogue = Catalogue(
            catalogue or bundled_catalogue(), self.recorder, self.repository
        )

    def construct_repository(self) -> ReplayRepository:
        """Aggregates are replayed with ``replay``; eventsourcing's aggregate cache settings apply
        (``AGGREGATE_CACHE_MAXSIZE``: cached aggregates are brought up to date from the store,
        so no process acts on a stale one)."""
        maxsize = self.env.get(self.AGGREGATE_CACHE_MAXSIZE)
        return ReplayRepository(
            event_store=self.events,
            snapshot_store=self.snapshots,
            cache_maxsize=int(maxsize) if maxsize else None,
        )

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        """Dates, causes and command results are stored too."""
        super().register_transcodings(transcoder)
        register_pso_transcodings(transcoder)
        register_result_transcodings(transcoder)

    @property
    def catalogue(self) -> SchemeCatalogue:
        """The scheme versions: those shipped with the code plus those published as events."""
        return self._catalogue.current()

    # -- the unit of work -------------------------------------------------------------------

    @contextmanager
    def batch(self) -> Iterator[UnitOfWork]:
        """Commands in this block are saved together in one transaction at its end (see
        domain/service/unit_of_work.py); use ``attempt`` for commands that may be refused."""
        unit = UnitOfWork("batch")
        with working(unit):
            yield unit
        self._save_unit(unit)

    def attempt(self, command: Callable[[], T]) -> T:
        """Run a command; inside a batch, a refusal undoes what it changed there."""
        unit = current_unit()
        return unit.attempt(command) if unit is not None else command()

    def once(
        self, key: str | None, command: str, fingerprint: str, cause: Cause, run: Callable[[], R]
    ) -> Done[R]:
        """Run a command in its own unit of work, at most once per idempotency key; a repeat
        answers the first result.

        The command's events and the key's record are saved in one transaction, so a crash
        either keeps both or neither, and of retries racing each other exactly one saves. A retry
        that loses the race, or is refused because the winner's effect is there by now, answers
        the winner's result. Reusing a key for another request is refused. Inside a batch, the
        command and its record join the batch.
        """
        if key is not None and (recorded := self._idempotency_record(key)) is not None:
            return Done(cast("R", self._repeat(recorded, command, fingerprint)), None)
        outer = current_unit()
        if outer is not None:
            result = run()
            if key is not None:
                outer.keep(self._keyed(key, command, fingerprint, result, cause))
            return Done(result, None)
        unit = UnitOfWork()
        try:
            with working(unit):
                result = run()
        except DomainError:
            winner = None if key is None else self._idempotency_record(key)
            if winner is None:
                raise
            return Done(cast("R", self._repeat(winner, command, fingerprint)), None)
        if key is not None:
            unit.keep(self._keyed(key, command, fingerprint, result, cause))
        try:
            position = self._save_unit(unit)
        except ConcurrentModificationError:
            winner = None if key is None else self._idempotency_record(key)
            if winner is None:  # someone else changed the same records without this key
                raise
            return Done(cast("R", self._repeat(winner, command, fingerprint)), None)
        return Done(result, position)

    def _keyed(
        self, key: str, command: str, fingerprint: str, result: Stored, cause: Cause
    ) -> IdempotencyRecord:
        return IdempotencyRecord.record(key, command, fingerprint, result, self.clock.now(), cause)

    def _save(self, *aggregates: PsoAggregate | None) -> None:
        """Keep a command's changed aggregates in the open unit of work; without one, save them
        at once (in one transaction)."""
        unit = current_unit()
        if unit is not None:
            unit.keep(*aggregates)
            return
        unit = UnitOfWork()
        unit.keep(*aggregates)
        self._save_unit(unit)

    def _save_unit(self, unit: UnitOfWork) -> int | None:
        """Save a unit's events in one transaction, then the snapshots they made due; the log
        position of its last event (None when it has none)."""
        events = unit.events
        if not events:
            return None
        try:
            recordings = self.save(*events)
        except IntegrityError:
            msg = f"someone else changed the same record at the same moment; retry the {unit.what}"
            raise ConcurrentModificationError(msg) from None
        first: dict[UUID, int] = {}
        for event in events:
            first.setdefault(event.originator_id, event.originator_version)
        for aggregate_id, aggregate in unit.aggregates.items():
            interval = self.snapshotting_intervals.get(type(aggregate))
            if interval is None or aggregate_id not in first:
                continue
            due = aggregate.version - aggregate.version % interval
            if due >= first[aggregate_id]:
                self.take_snapshot(aggregate_id, version=due, projector_func=replay)
        return recordings[-1].notification.id if recordings else None

    def _idempotency_record(self, key: str) -> IdempotencyRecord | None:
        try:
            record: IdempotencyRecord = self.repository.get(idempotency_id(key))
        except AggregateNotFoundError:
            return None
        return record

    @staticmethod
    def _repeat(record: IdempotencyRecord, command: str, fingerprint: str) -> Stored:
        if (record.command, record.fingerprint) != (command, fingerprint):
            msg = f"Idempotency-Key {record.key!r} was already used for another request"
            raise InvalidTransitionError(msg)
        return record.result

    # -- loading aggregates -----------------------------------------------------------------

    def _get(self, cls: type[Any], aggregate_id: UUID, what: str) -> Any:
        try:
            aggregate: Any = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise NotFoundError(f"{what} not found") from None
        if not isinstance(aggregate, cls):
            raise NotFoundError(f"{what} not found")
        return aggregate

    def organisation_by_kvk(self, kvk: str) -> Organisation:
        """The organisation that covers a KvK number (main applicant or subsidiary)."""
        kvk_number(kvk)
        try:
            index: KvkIndex = self.repository.get(kvk_index_id(kvk))
        except AggregateNotFoundError:
            raise NotFoundError(f"KvK number {kvk} is not in the register") from None
        if index.organisation_id is None:
            raise NotFoundError(f"KvK number {kvk} is no longer covered by any organisation")
        org: Organisation = self._get(Organisation, index.organisation_id, f"organisation {kvk}")
        return org

    def application(self, application_id: UUID) -> CertificationApplication:
        """One application by id."""
        app: CertificationApplication = self._get(
            CertificationApplication, application_id, f"application {application_id}"
        )
        return app

    def _organisation(self, org_id: UUID) -> Organisation:
        org: Organisation = self._get(Organisation, org_id, f"organisation {org_id}")
        return org

    def _certificate_by_id(self, cert_id: UUID) -> Certificate:
        cert: Certificate = self._get(Certificate, cert_id, f"certificate {cert_id}")
        return cert

    def certificate(self, number: str) -> Certificate:
        """One certificate by number."""
        cert: Certificate = self._get(Certificate, certificate_id(number), f"certificate {number}")
        return cert

    def assessment(self, application_id: UUID) -> Assessment:
        """The assessment of the audited figures under the application's handbook version."""
        return self._assess(self.application(application_id))

    def _assess(self, app: CertificationApplication) -> Assessment:
        return assess(
            declaration_from_document(app.declaration), self.catalogue.version(app.handbook_version)
        )
