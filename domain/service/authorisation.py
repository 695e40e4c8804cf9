"""Who may run which command: PSO staff decide; only an admin publishes scheme versions."""

from __future__ import annotations

from domain.errors import ForbiddenError
from domain.values import Cause, Role

STAFF_ROLES = (Role.STAFF, Role.ADMIN, Role.IMPORT)


def require_staff(cause: Cause, what: str) -> None:
    """Refuse a command of anyone but PSO staff (or an admin, or an import)."""
    if cause.actor_role not in STAFF_ROLES:
        msg = f"only PSO staff may {what}"
        raise ForbiddenError(msg)


def require_admin(cause: Cause) -> None:
    """Refuse the publication of a scheme version by anyone but an admin (or an import)."""
    if cause.actor_role not in (Role.ADMIN, Role.IMPORT):
        raise ForbiddenError("only an admin may publish scheme versions")
