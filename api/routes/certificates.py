"""Staff routes for certificates: suspension, reinstatement and withdrawal from a day (which may
lie in the past), each guarded by ``If-Match`` when the client sends one."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request

from api.auth import StaffDep
from api.commands import run_command
from api.dependencies import BackendDep
from api.documents import public_certificate
from api.http import dumps, etag_of
from api.staff_answers import CertificateChanged
from api.staff_schemas import CertificateChangeCreate
from api.statuses import CONDITIONAL_COMMAND, staff_command
from api.wiring import Backend
from domain.service.results import CertificateChangeResult
from domain.values import Cause

router = APIRouter(prefix="/api/v1/staff/certificates", tags=["staff: certificates"])
#: each change: the route's last path segment and the register's command
CERTIFICATE_ACTIONS = {
    "suspension": "suspend_certificate",
    "reinstatement": "reinstate_certificate",
    "withdrawal": "withdraw_certificate",
}
CHANGES = staff_command(200, 412, not_found="No certificate by that number.")


def unchanged_since_read(request: Request, backend: Backend, number: str) -> None:
    """412 unless ``If-Match`` (when sent) names the certificate's current ETag, or ``*``."""
    expected = request.headers.get("if-match")
    if expected is None:
        return
    current = backend.queries.certificate(number)
    seen = etag_of(dumps(public_certificate(current))) if current else None
    if expected.strip() not in ("*", seen):
        raise HTTPException(412, f"certificate {number} changed since that ETag was read")


def _certificate_route(kind: str, action: str) -> None:
    def change(
        number: str,
        body: CertificateChangeCreate,
        request: Request,
        backend: BackendDep,
        user: StaffDep,
    ) -> CertificateChanged:
        unchanged_since_read(request, backend, number)

        def command(cause: Cause) -> CertificateChangeResult:
            changed: CertificateChangeResult = getattr(backend.register, action)(
                number, body.effective_on, cause
            )
            return changed

        changed = run_command(request, backend, user, kind, body, command, reason=body.reason)
        return CertificateChanged.of(changed)

    change.__doc__ = (
        f"Record the {kind} of a certificate from a day (may lie in the past). With `If-Match` "
        "set to the ETag of `GET /api/v1/certificates/{number}`, a certificate changed since is "
        "refused with 412."
    )
    change.__name__ = f"certificate_{kind}"
    router.post(
        f"/{{number}}/{kind}",
        name=change.__name__,
        response_model=CertificateChanged,
        responses=CHANGES,
        openapi_extra=CONDITIONAL_COMMAND,
    )(change)


for _kind, _action in CERTIFICATE_ACTIONS.items():
    _certificate_route(_kind, _action)
