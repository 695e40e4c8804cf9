"""Replay-time queries: the slow, always-correct answers projections are checked against."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from domain.bounds import asked, period
from domain.certificate import Certificate
from domain.errors import NotFoundError
from domain.event_log import positioned_events
from domain.kvk_index import events_concerning, kvk_index_id
from domain.organisation import Organisation
from domain.participation import participation_id
from domain.position import Gap, Position, coverage_gaps, position_on
from domain.service.base import RegisterBase
from domain.timeline import TimelineEntry, replay_as_known_at, timeline_entries
from norms.levels import Level


class ReplayQueries(RegisterBase):
    """Replay-time queries: the slow, always-correct answers projections are checked against."""

    def certificates_of(
        self, org: Organisation, as_known_at: dt.datetime | None = None
    ) -> list[Certificate]:
        """The organisation's certificates, as known now or as known at a past moment."""
        certs = []
        for cert_id in org.certificate_ids:
            cert = replay_as_known_at(self.events.get(cert_id), as_known_at)
            if cert is not None:
                certs.append(cert)
        return certs

    def position(self, kvk: str, on: dt.date, as_known_at: dt.datetime | None = None) -> Position:
        """The level on day ``on`` as known now, or as the register knew it at ``as_known_at``."""
        on, as_known_at = asked(on, as_known_at)
        try:
            org = self.organisation_by_kvk(kvk)
        except NotFoundError:
            return position_on([], on)
        return position_on(self.certificates_of(org, as_known_at), on)

    def coverage(self, kvk: str, start: dt.date, end: dt.date, min_level: Level) -> list[Gap]:
        """The days from start to end (inclusive) without a certificate at min_level or above."""
        start, end = period(start, end)
        try:
            certs = self.certificates_of(self.organisation_by_kvk(kvk))
        except NotFoundError:
            certs = []
        return coverage_gaps(certs, start, end, min_level)

    def timeline(self, kvk: str) -> list[TimelineEntry]:
        """Every event of the organisation and of everything attached to it (KvK numbers it
        covered, certificates, contributions, applications, objections), in recorded order."""
        org = self.organisation_by_kvk(kvk)
        log = _AggregateLog(self)
        events = log.read(org.id)
        for number in org.kvks_ever_covered:
            events += events_concerning(log.read(kvk_index_id(number)), org.id)
        application_ids = dict.fromkeys(org.application_ids)
        for cert_id in org.certificate_ids:
            certificate_events = log.read(cert_id)
            events += certificate_events
            certificate = replay_as_known_at(certificate_events)
            events += log.read(participation_id(certificate.number))
            application_ids[certificate.application_id] = None  # imported ones are not lodged
        for application_id in application_ids:
            application_events = log.read(application_id)
            events += application_events
            for objection_id in replay_as_known_at(application_events).objection_ids:
                events += log.read(objection_id)
        return timeline_entries(events, log.positions)

    def what_was_said(self, kvk: str, on: dt.date) -> list[tuple[dt.datetime, Position]]:
        """Each moment the register's answer about day ``on`` changed, with the new answer."""
        moments = sorted({entry.recorded_at for entry in self.timeline(kvk)})
        said: list[tuple[dt.datetime, Position]] = []
        for moment in moments:
            answer = self.position(kvk, on, moment)
            if not said or said[-1][1] != answer:
                said.append((moment, answer))
        return said


class _AggregateLog:
    """Reads aggregates' events and remembers where each stands in the log."""

    def __init__(self, register: RegisterBase) -> None:
        self.register = register
        self.positions: dict[tuple[UUID, int], int] = {}

    def read(self, aggregate_id: UUID) -> list[Any]:
        """The events of one aggregate in version order (none for an unknown id)."""
        events = []
        for position, stored in positioned_events(self.register.recorder, aggregate_id):
            event = self.register.mapper.to_domain_event(stored)
            self.positions[event.originator_id, event.originator_version] = position
            events.append(event)
        return events
