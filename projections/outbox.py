"""The notifications outbox: messages to organisations (renewal reminders, overdue notices),
in Dutch and English. Message ids come from the event that caused them, so a rebuild gives the
same ids and the delivery record (scheduler/deliveries.py) still knows every one of them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import BigInteger, Column, Connection, Date, String, Text

from domain.certificate import Certificate
from domain.organisation import Organisation
from domain.participation import Participation
from projections.projection import Projection


def money(amount: Any) -> str:
    """An amount in euros as printed in a message."""
    return f"EUR {amount:,.2f}"


class Outbox(Projection):
    """Messages waiting for delivery (delivery marks are kept by the scheduler, not here)."""

    name = "outbox"
    version = 3  # v3: recipients as text (a name of 200 characters did not fit with its KvK)

    def __init__(self) -> None:
        super().__init__()
        self.messages = self.table(
            "messages",
            Column("message_id", String(60), primary_key=True),
            Column("position", BigInteger, nullable=False, index=True),
            Column("organisation_id", String(36), nullable=False),
            Column("recipient", Text, nullable=False),
            Column("kind", String(32), nullable=False),
            Column("due_date", Date, nullable=False),
            Column("text_nl", Text, nullable=False),
            Column("text_en", Text, nullable=False),
        )
        self.recipients = self.table(
            "recipients",
            Column("organisation_id", String(36), primary_key=True),
            Column("recipient", Text, nullable=False),
        )
        self.message_rows = self.buffer(self.messages)
        self.recipient_rows = self.buffer(self.recipients)
        self.on(Organisation.Registered, self.registered)
        self.on(Certificate.ReminderIssued, self.reminder)
        self.on(Participation.MarkedOverdue, self.overdue)

    def registered(self, _conn: Connection, event: Any, _org: Any, _position: int) -> None:
        """Whom messages to the organisation are addressed to."""
        self.recipient_rows.put(
            {
                "organisation_id": str(event.originator_id),
                "recipient": f"{event.name} (KvK {event.main_kvk})",
            }
        )

    def _add(self, conn: Connection, event: Any, org_id: Any, kind: str, due: dt.date,
             texts: tuple[str, str], position: int) -> None:  # fmt: skip
        recipient = self.recipient_rows.get(conn, str(org_id))
        self.message_rows.add(
            {
                "message_id": f"{event.originator_id}:{event.originator_version}",
                "position": position,
                "organisation_id": str(org_id),
                "recipient": recipient["recipient"] if recipient else str(org_id),
                "kind": kind,
                "due_date": due,
                "text_nl": texts[0],
                "text_en": texts[1],
            }
        )

    def reminder(self, conn: Connection, event: Any, cert: Any, position: int) -> None:
        """Three months before expiry: renew in time."""
        end = cert.valid_until.isoformat()
        texts = (
            f"Uw PSO-certificaat {cert.number} ({cert.level}) is geldig tot en met {end}. "
            "Vraag tijdig hercertificering aan om uw trede te behouden.",
            f"Your PSO certificate {cert.number} ({cert.level}) is valid up to and including "
            f"{end}. Apply for recertification in time to keep your level.",
        )
        self._add(conn, event, cert.organisation_id, "renewal_reminder", cert.valid_until,
                  texts, position)  # fmt: skip

    def overdue(self, conn: Connection, event: Any, participation: Any, position: int) -> None:
        """The payment term of a contribution year passed."""
        amount, due = participation.invoices[event.year]
        number = participation.certificate_number
        texts = (
            f"De jaarbijdrage (jaar {event.year}) voor certificaat {number} van {money(amount)} "
            f"had uiterlijk {due.isoformat()} betaald moeten zijn. Wilt u deze zo spoedig "
            "mogelijk voldoen?",
            f"The annual contribution (year {event.year}) for certificate {number} of "
            f"{money(amount)} was due on {due.isoformat()}. Please pay it as soon as possible.",
        )
        self._add(conn, event, participation.organisation_id, "contribution_overdue", due,
                  texts, position)  # fmt: skip
