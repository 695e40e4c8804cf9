"""The annual contribution (jaarbijdrage) of a participation agreement: two years, paid once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING
from uuid import UUID

from domain.aggregate import AggregateCreated, PsoAggregate, stable_id
from domain.bounds import fact_day
from domain.deadlines import contribution_overdue_day
from domain.errors import InvalidInputError, InvalidTransitionError
from domain.values import Cause
from norms.calendar import add_years
from norms.contributions import ContributionQuote

CONTRIBUTION_YEARS = (1, 2)


def participation_id(certificate_number: str) -> UUID:
    """The id of the participation that belongs to one certificate."""
    return stable_id("participation", certificate_number)


class Participation(PsoAggregate):
    """The two contribution years of one certificate: invoiced by bracket, paid, overdue."""

    TOPIC = "pso.participation.Participation"

    class Started(PsoAggregate.Event, AggregateCreated):
        """The participation agreement started with the decision."""

        TOPIC = "pso.participation.Started.v1"
        organisation_id: UUID
        certificate_number: str
        start_date: dt.date
        total_fte: Decimal

        def apply(self, p: Participation) -> None:
            """No invoices yet."""
            p.organisation_id = self.organisation_id
            p.certificate_number = self.certificate_number
            p.start_date = self.start_date
            p.total_fte = self.total_fte
            p.invoices = {}
            p.paid = {}
            p.overdue = {}

    class Invoiced(PsoAggregate.Event):
        """A contribution year was invoiced by the bracket in force."""

        TOPIC = "pso.participation.Invoiced.v1"
        year: int
        invoice_date: dt.date
        due_date: dt.date
        bracket: str
        base_amount: Decimal
        discount: Decimal
        amount: Decimal
        schedule_effective_from: dt.date

        def apply(self, p: Participation) -> None:
            """Record the open invoice."""
            p.invoices = {**p.invoices, self.year: (self.amount, self.due_date)}

    class Discounted(PsoAggregate.Event):
        """Staff lowered an unpaid invoice (e.g. a Cedris discount found later)."""

        TOPIC = "pso.participation.Discounted.v1"
        year: int
        amount: Decimal

        def apply(self, p: Participation) -> None:
            """Lower the amount due."""
            _, due = p.invoices[self.year]
            p.invoices = {**p.invoices, self.year: (self.amount, due)}

    class Paid(PsoAggregate.Event):
        """The contribution of a year was paid."""

        TOPIC = "pso.participation.Paid.v1"
        year: int
        paid_on: dt.date
        amount: Decimal

        def apply(self, p: Participation) -> None:
            """Close the invoice."""
            p.paid = {**p.paid, self.year: self.paid_on}

    class MarkedOverdue(PsoAggregate.Event):
        """The payment term passed without payment."""

        TOPIC = "pso.participation.MarkedOverdue.v1"
        year: int
        overdue_on: dt.date

        def apply(self, p: Participation) -> None:
            """Flag the invoice."""
            p.overdue = {**p.overdue, self.year: self.overdue_on}

    if TYPE_CHECKING:  # state set by the events' apply methods, typed for mypy
        organisation_id: UUID
        certificate_number: str
        start_date: dt.date
        total_fte: Decimal
        invoices: dict[int, tuple[Decimal, dt.date]]
        paid: dict[int, dt.date]
        overdue: dict[int, dt.date]

    @classmethod
    def start(
        cls,
        organisation_id: UUID,
        certificate_number: str,
        start_date: dt.date,
        total_fte: Decimal,
        now: dt.datetime,
        cause: Cause,
    ) -> Participation:
        """Start the agreement at the decision."""
        return cls._create(
            cls.Started,
            id=participation_id(certificate_number),
            timestamp=now,
            cause=cause,
            organisation_id=organisation_id,
            certificate_number=certificate_number,
            start_date=start_date,
            total_fte=total_fte,
        )

    def invoice_date(self, year: int) -> dt.date:
        """Year 1 at the decision, year 2 at its first anniversary."""
        return add_years(self.start_date, year - 1)

    def invoice(
        self,
        year: int,
        quote: ContributionQuote,
        invoice_date: dt.date,
        now: dt.datetime,
        cause: Cause,
    ) -> bool:
        """Invoice a year once, not before it is due; False when already invoiced."""
        if year not in CONTRIBUTION_YEARS:
            raise InvalidInputError(
                f"year: the agreement has contribution years 1 and 2, not {year}"
            )
        if year in self.invoices:
            return False
        if invoice_date < self.invoice_date(year):
            msg = f"year {year} is invoiced from {self.invoice_date(year)}, not on {invoice_date}"
            raise InvalidTransitionError(msg)
        self._trigger(
            self.Invoiced,
            now,
            cause,
            year=year,
            invoice_date=invoice_date,
            due_date=invoice_date + dt.timedelta(days=quote.payment_term_days),
            bracket=quote.bracket,
            base_amount=quote.base_amount,
            discount=quote.discount,
            amount=quote.amount,
            schedule_effective_from=quote.schedule_effective_from,
        )
        return True

    def _open_invoice(self, year: int, what: str) -> tuple[Decimal, dt.date]:
        if year not in self.invoices:
            msg = f"cannot {what}: year {year} of {self.certificate_number} was not invoiced"
            raise InvalidTransitionError(msg)
        if year in self.paid:
            msg = f"cannot {what}: year {year} was already paid on {self.paid[year]}"
            raise InvalidTransitionError(msg)
        return self.invoices[year]

    def pay(
        self,
        year: int,
        paid_on: dt.date,
        now: dt.datetime,
        cause: Cause,
        amount: Decimal | None = None,
    ) -> None:
        """Record payment of a year, at most once; a stated amount must be the amount due."""
        due, _ = self._open_invoice(year, "record a payment")
        fact_day(paid_on, "paid_on", now)
        invoiced = self.invoice_date(year)
        if paid_on < invoiced:
            msg = f"paid_on: {paid_on} lies before year {year} was invoiced ({invoiced})"
            raise InvalidInputError(msg)
        if amount is not None and amount != due:
            raise InvalidInputError(f"amount: {amount} differs from the {due} due for year {year}")
        self._trigger(self.Paid, now, cause, year=year, paid_on=paid_on, amount=due)

    def discount(self, year: int, amount: Decimal, now: dt.datetime, cause: Cause) -> None:
        """Lower an unpaid invoice (staff, with a reason)."""
        current, _ = self._open_invoice(year, "discount")
        if not Decimal(0) <= amount < current:
            raise InvalidInputError(f"amount: must be from 0 to below the current {current}")
        self._trigger(self.Discounted, now, cause, year=year, amount=amount)

    def mark_overdue(self, year: int, today: dt.date, now: dt.datetime, cause: Cause) -> bool:
        """Flag an unpaid invoice past its term, once; False when nothing to do."""
        if year not in self.invoices or year in self.paid or year in self.overdue:
            return False
        _, due = self.invoices[year]
        if today < contribution_overdue_day(due):
            return False
        self._trigger(self.MarkedOverdue, now, cause, year=year, overdue_on=today)
        return True
