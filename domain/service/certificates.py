"""Commands on certificates: suspension, reinstatement, withdrawal, revision, expiry."""

from __future__ import annotations

import datetime as dt

from domain.certificate import Certificate
from domain.clock import business_date
from domain.deadlines import reminder_day
from domain.errors import (
    InvalidInputError,
)
from domain.service.authorisation import require_staff
from domain.service.base import RegisterBase
from domain.service.results import CertificateChangeResult
from domain.values import Cause, require_reason
from norms.levels import Level


class CertificateCommands(RegisterBase):
    """Commands on certificates: suspension, reinstatement, withdrawal, revision, expiry."""

    def _staff_change(
        self, number: str, what: str, cause: Cause
    ) -> tuple[Certificate, dt.datetime, Cause]:
        """Load a certificate for a staff change that needs a reason."""
        require_staff(cause, f"{what} certificates")
        cert = self.certificate(number)
        reason = require_reason(cause.reason, f"to {what} a certificate")
        return cert, self.clock.now(), cause.because(reason)

    def suspend_certificate(
        self, number: str, effective_date: dt.date, cause: Cause
    ) -> CertificateChangeResult:
        """Suspend a certificate from a day (staff, with a reason)."""
        cert, now, cause = self._staff_change(number, "suspend", cause)
        cert.suspend(effective_date, now, cause)
        self._save(cert)
        return CertificateChangeResult(number, cert.status.value, effective_date)

    def reinstate_certificate(
        self, number: str, effective_date: dt.date, cause: Cause
    ) -> CertificateChangeResult:
        """Lift a suspension from a day (staff, with a reason)."""
        cert, now, cause = self._staff_change(number, "reinstate", cause)
        cert.reinstate(effective_date, now, cause)
        self._save(cert)
        return CertificateChangeResult(number, cert.status.value, effective_date)

    def withdraw_certificate(
        self, number: str, effective_date: dt.date, cause: Cause
    ) -> CertificateChangeResult:
        """Withdraw a certificate from a day that may lie in the past (staff, with a reason)."""
        cert, now, cause = self._staff_change(number, "withdraw", cause)
        cert.withdraw(effective_date, now, cause)
        self._save(cert)
        return CertificateChangeResult(number, cert.status.value, effective_date)

    def revise_certificate_level(
        self, number: str, level: Level, cause: Cause, *, pso30plus: bool = False
    ) -> None:
        """Revise a certificate's level after an objection (staff, with a reason)."""
        cert, now, cause = self._staff_change(number, "revise", cause)
        version = self.catalogue.version(cert.handbook_version)
        if not version.has_level(level):
            msg = f"level: {level} does not exist under handbook {version.version}"
            raise InvalidInputError(msg)
        cert.revise_level(level, pso30plus, now, cause)
        self._save(cert)

    def expire_certificate(self, number: str, cause: Cause) -> bool:
        """Record expiry when the validity has passed; False when there is nothing to do."""
        cert = self.certificate(number)
        now = self.clock.now()
        if not cert.expire(business_date(now), now, cause):
            return False
        self._save(cert)
        return True

    def issue_renewal_reminder(self, number: str, cause: Cause) -> bool:
        """Send the renewal reminder once it is due; False when not due, sent or ended."""
        cert = self.certificate(number)
        version = self.catalogue.version(cert.handbook_version)
        now = self.clock.now()
        due = reminder_day(cert.valid_until, version)
        if not cert.issue_reminder(business_date(now), due, now, cause):
            return False
        self._save(cert)
        return True
