"""The public register: one row per organisation, every certificate with its history of changes,
and the KvK numbers each organisation covers. What an organisation or a certificate holds on a
day is not stored here: it is read from the ladder's stretches for the day asked (queries.py), so
a change recorded with a future effective date shows from its day, and an expiry at midnight.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Index,
    Numeric,
    String,
    insert,
)

from domain.application import CertificationApplication
from domain.organisation import Organisation
from projections.ladder import CERTIFICATE_CHANGES, CERTIFICATE_EVENTS
from projections.organisations import kvk_table
from projections.projection import Projection
from projections.search import name_row, names_table
from projections.states import AggregateStates


class RegisterView(Projection):
    """Organisations, and every certificate with its history (status as last recorded)."""

    name = "register"
    # v3: the lower-case name as text (lower-casing may lengthen a name); the organisation's
    # certificate on a day comes from the ladder, not from columns of its row
    # v4: the names as words in a full-text index (projections/search.py)
    # v5: PostgreSQL stores the words' tsvector and orders them by rowid
    # v6: an organisation's successor and predecessor (takeover, change of legal form)
    version = 6

    def __init__(self) -> None:
        super().__init__()
        self.kvks = kvk_table(self)
        self.organisations = self.table(
            "organisations",
            Column("organisation_id", String(36), primary_key=True),
            Column("main_kvk", String(8), nullable=False, unique=True),
            Column("name", String(200), nullable=False),
            Column("place", String(100), nullable=False, index=True),
            Column("covered_kvks", String(2000), nullable=False),
            Column("position", BigInteger, nullable=False),
            Column("successor_kvk", String(8)),
            Column("successor_on", Date),
            Column("predecessor_kvk", String(8)),
            Column("predecessor_on", Date),
        )
        self.certificates = self.table(
            "certificates",
            Column("number", String(20), primary_key=True),
            Column("organisation_id", String(36), nullable=False, index=True),
            Column("level", String(12), nullable=False),
            Column("pso30plus", Boolean, nullable=False),
            Column("status", String(12), nullable=False),
            Column("valid_from", Date, nullable=False),
            Column("valid_until", Date, nullable=False),
            Column("ended_on", Date),
            Column("handbook_version", String(10), nullable=False),
            Column("covered_kvks", String(2000), nullable=False),
            Column("ci", String(40)),
            Column("total_fte", Numeric(12, 2)),  # unknown for imported certificates
            Column("issued_at", DateTime(timezone=True), nullable=False),
        )
        self.history = self.table(
            "certificate_history",
            Column("position", BigInteger, primary_key=True),
            Column("number", String(20), nullable=False),
            Column("change", String(20), nullable=False),
            Column("level", String(12), nullable=False),
            Column("effective_date", Date),
            Column("recorded_at", DateTime(timezone=True), nullable=False),
        )
        Index(f"{self.history.name}_number", self.history.c.number)
        self.names = names_table(self)
        #: names registered in this batch (the names table is only appended to: names never
        #: change, and an FTS5 table is not read by key)
        self.new_names: list[dict[str, Any]] = []
        self.applications = self.table(
            "applications",
            Column("application_id", String(36), primary_key=True),
            Column("ci", String(40), nullable=False),
        )
        self.organisation_rows = self.buffer(self.organisations)
        self.certificate_rows = self.buffer(self.certificates)
        self.history_rows = self.buffer(self.history)
        self.application_rows = self.buffer(self.applications)
        self.on(Organisation.Registered, self.registered)
        self.on(Organisation.SubsidiariesChanged, self.subsidiaries_changed)
        self.on(Organisation.SucceededBy, self.succeeded_by)
        self.on(Organisation.PrecededBy, self.preceded_by)
        self.on(CertificationApplication.Submitted, self.submitted)
        self.on(CertificationApplication.Imported, self.submitted)
        for event_class in CERTIFICATE_EVENTS:
            self.on(event_class, self.certificate_changed)

    def prepare(self, conn: Connection, events: Sequence[Any], states: AggregateStates) -> None:
        """Read the applications and certificates the batch's certificate events change, with one
        query per table and chunk."""
        applications, numbers = [], []
        for event in events:
            if type(event).TOPIC == "pso.certificate.Issued.v1":
                applications.append((str(event.application_id),))
            elif type(event).TOPIC in CERTIFICATE_CHANGES:
                cert = states.get(conn, event.originator_id)
                if cert is not None:
                    numbers.append((cert.number,))
        self.application_rows.get_many(conn, applications)
        self.certificate_rows.get_many(conn, numbers)

    def registered(self, _conn: Connection, event: Any, _org: Any, position: int) -> None:
        """A new organisation row."""
        self.organisation_rows.add(
            {
                "organisation_id": str(event.originator_id),
                "main_kvk": event.main_kvk,
                "name": event.name,
                "place": event.place,
                "covered_kvks": event.main_kvk,
                "position": position,
            }
        )
        self.new_names.append(name_row(str(event.originator_id), event.main_kvk, event.name))

    def flush(self, conn: Connection) -> None:
        """Write the batch's rows and its new names."""
        super().flush(conn)
        if self.new_names:
            conn.execute(insert(self.names), self.new_names)
        self.new_names = []

    def discard(self) -> None:
        """Forget the batch (rolled back)."""
        super().discard()
        self.new_names = []

    def subsidiaries_changed(self, conn: Connection, _event: Any, org: Any, position: int) -> None:
        """The covered KvK numbers changed."""
        self.organisation_rows.update(
            conn, str(org.id), covered_kvks=",".join(org.covered_kvks), position=position
        )

    def succeeded_by(self, conn: Connection, event: Any, org: Any, position: int) -> None:
        """The organisation has a successor from a day."""
        self.organisation_rows.update(
            conn, str(org.id), successor_kvk=event.successor_kvk,
            successor_on=event.effective_date, position=position,
        )  # fmt: skip

    def preceded_by(self, conn: Connection, event: Any, org: Any, position: int) -> None:
        """The organisation continues a predecessor from a day."""
        self.organisation_rows.update(
            conn, str(org.id), predecessor_kvk=event.predecessor_kvk,
            predecessor_on=event.effective_date, position=position,
        )  # fmt: skip

    def submitted(self, _conn: Connection, event: Any, _app: Any, _position: int) -> None:
        """Remember the CI of each application (certificates name it)."""
        self.application_rows.add({"application_id": str(event.originator_id), "ci": event.ci})

    def certificate_changed(self, conn: Connection, event: Any, cert: Any, position: int) -> None:
        """Update the certificate and its history."""
        facts = {
            "level": cert.level.value,
            "pso30plus": cert.pso30plus,
            "status": cert.status.value,
            "valid_from": cert.valid_from,
            "valid_until": cert.valid_until,
        }
        organisation_id = str(cert.organisation_id)
        if type(event).TOPIC == "pso.certificate.Issued.v1":
            application = self.application_rows.get(conn, str(cert.application_id))
            ci = application["ci"] if application else None
            self.certificate_rows.add(
                {
                    "number": cert.number,
                    "organisation_id": organisation_id,
                    "handbook_version": cert.handbook_version,
                    "covered_kvks": ",".join(cert.covered_kvks),
                    "ci": ci,
                    "total_fte": _total_fte(event.assessment),
                    "issued_at": event.timestamp,
                    "ended_on": None,
                    **facts,
                }
            )
        else:
            self.certificate_rows.update(conn, cert.number, ended_on=cert.ended_on, **facts)
        self.history_rows.add(
            {
                "position": position,
                "number": cert.number,
                "change": CERTIFICATE_CHANGES[type(event).TOPIC],
                "level": cert.level.value,
                "effective_date": effective_date(event, cert),
                "recorded_at": event.timestamp,
            }
        )


def effective_date(event: Any, cert: Any) -> Any:
    """The business date of a certificate change (the start for an issue)."""
    if CERTIFICATE_CHANGES[type(event).TOPIC] == "issued":
        return cert.valid_from
    return getattr(event, "effective_date", None)


def _total_fte(assessment: dict[str, Any]) -> Decimal | None:
    """The audited size; None for certificates imported without their figures."""
    value = assessment.get("total_fte")
    return Decimal(value) if value is not None else None
