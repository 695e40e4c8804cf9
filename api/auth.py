"""Bearer-token authentication and roles for the staff API: admin > staff; auditors per CI."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.users import ExpiredTokenError, User
from domain.values import Cause, Role

bearer = HTTPBearer(auto_error=False, description="A token from `pso users create`.")
RANK = {Role.AUDITOR: 0, Role.STAFF: 1, Role.ADMIN: 2}


def current_user(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> User:
    """The user of the bearer token; 401 when missing, not valid, revoked or expired."""
    challenge = {"WWW-Authenticate": "Bearer"}
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HTTPException(401, "a bearer token is required", headers=challenge)
    try:
        user: User | None = request.app.state.users.authenticate(credentials.credentials)
    except ExpiredTokenError as exc:
        detail = f"{exc}; an admin makes a new one with pso users create"
        raise HTTPException(401, detail, headers=challenge) from None
    if user is None:
        raise HTTPException(401, "the token is not valid or was revoked", headers=challenge)
    request.state.actor = user.name
    return user


UserDep = Annotated[User, Depends(current_user)]


def cause_of(request: Request, user: User, reason: str | None = None) -> Cause:
    """The cause recorded on the events of this request."""
    request_id = request.headers.get("x-request-id") or getattr(request.state, "request_id", "")
    return Cause(user.name, user.role, request_id or "http", reason, user.ci)


def require(user: User, role: Role) -> None:
    """403 unless the user has at least this role (auditors only where the route allows)."""
    if RANK[user.role] < RANK[role]:
        raise HTTPException(403, f"{user.name} ({user.role}) may not do this; it needs {role}")


def staff(user: UserDep) -> User:
    """Staff or admin."""
    require(user, Role.STAFF)
    return user


def admin(user: UserDep) -> User:
    """Admin only."""
    require(user, Role.ADMIN)
    return user


StaffDep = Annotated[User, Depends(staff)]
AdminDep = Annotated[User, Depends(admin)]
