"""Commands on the annual contribution: year 2, payments, discounts, overdue notices."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from domain.clock import business_date
from domain.participation import Participation, participation_id
from domain.service.authorisation import require_staff
from domain.service.base import RegisterBase
from domain.values import Cause, require_reason
from norms.contributions import quote_contribution


class ContributionCommands(RegisterBase):
    """Commands on the annual contribution (jaarbijdrage) of a certificate."""

    def participation(self, number: str) -> Participation:
        """The participation agreement of a certificate."""
        found: Participation = self._get(
            Participation, participation_id(number), f"participation of {number}"
        )
        return found

    def invoice_contribution_year_two(self, number: str, cause: Cause) -> bool:
        """Invoice year 2 from the first anniversary, once; False when nothing to do."""
        participation = self.participation(number)
        now = self.clock.now()
        today = business_date(now)
        if 2 in participation.invoices or today < participation.invoice_date(2):
            return False
        cert = self.certificate(number)
        org = self._organisation(participation.organisation_id)
        quote = quote_contribution(
            self.catalogue.schedule_in_force(today),
            participation.total_fte,
            pso30plus=cert.pso30plus,
            cedris_member=org.cedris_member,
        )
        participation.invoice(2, quote, today, now, cause)
        self._save(participation)
        return True

    def record_contribution_payment(
        self,
        number: str,
        year: int,
        paid_on: dt.date,
        cause: Cause,
        amount: Decimal | None = None,
    ) -> None:
        """Record that a contribution year was paid (at most once; the amount, if given, due)."""
        require_staff(cause, "record payments")
        participation = self.participation(number)
        participation.pay(year, paid_on, self.clock.now(), cause, amount)
        self._save(participation)

    def discount_contribution(self, number: str, year: int, amount: Decimal, cause: Cause) -> None:
        """Lower an unpaid contribution (staff, with a reason)."""
        require_staff(cause, "discount contributions")
        reason = require_reason(cause.reason, "a discount")
        participation = self.participation(number)
        participation.discount(year, amount, self.clock.now(), cause.because(reason))
        self._save(participation)

    def mark_contribution_overdue(self, number: str, year: int, cause: Cause) -> bool:
        """Flag an unpaid contribution past its term, once; False when nothing to do."""
        participation = self.participation(number)
        now = self.clock.now()
        if not participation.mark_overdue(year, business_date(now), now, cause):
            return False
        self._save(participation)
        return True
