"""The plumbing every command shares: loading, saving atomically, the clock, the rules."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager
from contextvars import ContextVar
from typing import Any, ClassVar, TypeVar, cast
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError, Application, Repository
from eventsourcing.domain import Snapshot
from eventsourcing.persistence import IntegrityError, JSONTranscoder

from domain.aggregate import PsoAggregate, stable_id
from domain.application import Application as CertificationApplication
from domain.certificate import Certificate
from domain.clock import Clock, SystemClock
from domain.errors import (
    ConcurrentModificationError,
    DomainError,
    ForbiddenError,
    InvalidTransitionError,
    NotFoundError,
)
from domain.idempotency import IdempotencyRecord, Stored, idempotency_id
from domain.kvk_index import KvkIndex, kvk_index_id
from domain.numbering import CertificateNumbers
from domain.organisation import Organisation
from domain.scheme_rules import SCHEME_RULES_ID, SchemeRules
from domain.service.batch import Batch, collecting, current_batch
from domain.transcodings import register_pso_transcodings
from domain.values import Cause, Role, kvk_number
from norms.assessment import Assessment, assess
from norms.bundled import bundled_catalogue
from norms.catalogue import SchemeCatalogue
from norms.declaration import declaration_from_document

STAFF_ROLES = (Role.STAFF, Role.ADMIN, Role.IMPORT)
T = TypeVar("T")
R = TypeVar("R", bound=Stored)  # a command result an idempotency record can keep
_COLLECTING: ContextVar[list[PsoAggregate] | None] = ContextVar("collecting", default=None)


def certificate_id(number: str) -> UUID:
    """The id of a certificate, derived from its number."""
    return stable_id("certificate", number)


def fold(aggregate: Any, events: Iterable[Any]) -> Any:
    """Replay events onto an aggregate: eventsourcing's ``project_aggregate`` without its runtime
    protocol check per event, which on Python 3.11 cost more than the replay (bench/README.md)."""
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate


class ReplayRepository(Repository[UUID]):
    """The repository of the register: replays with ``fold``."""

    def get(
        self,
        aggregate_id: UUID,
        *,
        version: int | None = None,
        projector_func: Callable[[Any, Iterable[Any]], Any] = fold,
        fastforward_skipping: bool = False,
        deepcopy_from_cache: bool = True,
    ) -> Any:
        """An aggregate from its events (after its latest snapshot, if any); inside a batch, the
        batch's version when a command of the batch changed it."""
        batch = current_batch()
        if batch is not None and version is None:
            changed = batch.get(aggregate_id)
            if changed is not None:
                return changed
        return super().get(
            aggregate_id,
            version=version,
            projector_func=projector_func,
            fastforward_skipping=fastforward_skipping,
            deepcopy_from_cache=deepcopy_from_cache,
        )


class RegisterBase(Application[UUID]):
    """The plumbing every command shares: loading, saving atomically, the clock, the rules."""

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
        self._bundled = catalogue or bundled_catalogue()
        self._published: tuple[int, SchemeCatalogue] | None = None
        self.new_id = new_id

    def construct_repository(self) -> ReplayRepository:
        """Aggregates are replayed with ``fold``; eventsourcing's aggregate cache settings apply
        (``AGGREGATE_CACHE_MAXSIZE``: cached aggregates are brought up to date from the store,
        so no process acts on a stale one)."""
        maxsize = self.env.get(self.AGGREGATE_CACHE_MAXSIZE)
        return ReplayRepository(
            event_store=self.events,
            snapshot_store=self.snapshots,
            cache_maxsize=int(maxsize) if maxsize else None,
        )

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        """Dates and causes are stored too."""
        super().register_transcodings(transcoder)
        register_pso_transcodings(transcoder)

    # -- plumbing ---------------------------------------------------------------------------

    def _get(self, cls: type[Any], aggregate_id: UUID, what: str) -> Any:
        try:
            aggregate: Any = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise NotFoundError(f"{what} not found") from None
        if not isinstance(aggregate, cls):
            raise NotFoundError(f"{what} not found")
        return aggregate

    def batch(self) -> AbstractContextManager[Batch]:
        """Commands in this block are saved together in one transaction at its end (see
        domain/service/batch.py); use ``Batch.attempt`` for commands that may be refused."""
        return collecting(self._save_batch)

    def attempt(self, command: Callable[[], T]) -> T:
        """Run a command; inside a batch, a refusal undoes what it changed there."""
        batch = current_batch()
        return batch.attempt(command) if batch is not None else command()

    def _save_batch(self, batch: Batch) -> None:
        """Save a batch's events in one transaction; then the snapshots they made due."""
        events = batch.events
        try:
            self.save(*events)
        except IntegrityError:
            msg = "someone else changed the same record at the same moment; retry the batch"
            raise ConcurrentModificationError(msg) from None
        first: dict[UUID, int] = {}
        for event in events:
            first.setdefault(event.originator_id, event.originator_version)
        for aggregate_id, aggregate in batch.aggregates.items():
            interval = self.snapshotting_intervals.get(type(aggregate))
            if interval is None or aggregate_id not in first:
                continue
            due = aggregate.version - aggregate.version % interval
            if due >= first[aggregate_id]:
                self.take_snapshot(aggregate_id, version=due, projector_func=fold)

    def _save(self, *aggregates: PsoAggregate | None) -> int | None:
        collecting_once = _COLLECTING.get()
        if collecting_once is not None:  # inside once(): saved with the idempotency record
            collecting_once.extend(a for a in aggregates if a is not None)
            return None
        batch = current_batch()
        if batch is not None:  # inside batch(): saved when the batch ends
            batch.keep(*aggregates)
            return None
        try:
            recordings = self.save(*aggregates)
        except IntegrityError:
            msg = "someone else changed the same record at the same moment; retry the command"
            raise ConcurrentModificationError(msg) from None
        return recordings[-1].notification.id if recordings else None

    @staticmethod
    def _staff_only(cause: Cause, what: str) -> None:
        if cause.actor_role not in STAFF_ROLES:
            msg = f"only PSO staff may {what}"
            raise ForbiddenError(msg)

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

    def once(
        self, key: str | None, command: str, fingerprint: str, cause: Cause, run: Callable[[], R]
    ) -> R:
        """Run a command at most once per idempotency key; a repeat returns the first result.

        The command's events and the key's record are saved in one transaction, so a crash
        either keeps both or neither, and of retries racing each other exactly one saves. A retry
        that loses the race, or is refused because the winner's effect is there by now, answers
        the winner's result. Reusing a key for another request is refused.
        """
        if key is None:
            return run()
        recorded = self._idempotency_record(key)
        if recorded is not None:
            return cast("R", self._repeat(recorded, command, fingerprint))
        collected: list[PsoAggregate] = []
        token = _COLLECTING.set(collected)
        try:
            result = run()
        except DomainError:
            winner = self._idempotency_record(key)
            if winner is None:
                raise
            return cast("R", self._repeat(winner, command, fingerprint))
        finally:
            _COLLECTING.reset(token)
        record = IdempotencyRecord.record(
            key, command, fingerprint, result, self.clock.now(), cause
        )
        try:
            self._save(*collected, record)
        except ConcurrentModificationError:
            winner = self._idempotency_record(key)
            if winner is None:  # someone else changed the same records without this key
                raise
            return cast("R", self._repeat(winner, command, fingerprint))
        return result

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

    @property
    def catalogue(self) -> SchemeCatalogue:
        """The scheme versions: those shipped with the code plus those published as events.

        Commands ask for it often; the merged catalogue is kept until the rules' latest stored
        version changes (one small query, no replay of the published handbooks).
        """
        batch = current_batch()
        if batch is None or SCHEME_RULES_ID not in batch.aggregates:
            latest = self.recorder.select_events(SCHEME_RULES_ID, desc=True, limit=1)
            if not latest:
                return self._bundled
            if self._published is not None and self._published[0] == latest[0].originator_version:
                return self._published[1]
        rules: SchemeRules = self.repository.get(SCHEME_RULES_ID)
        if self._published is None or self._published[0] != rules.version:
            versions = {v.version: v for v in self._bundled.versions}
            versions.update({v.version: v for v in rules.versions()})
            merged = SchemeCatalogue.of(versions.values(), self._bundled.schedules)
            self._published = (rules.version, merged)
        return self._published[1]

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
