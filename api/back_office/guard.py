"""What guards every back-office page: the session from its cookie, the CSRF token of every POST
(checked by the route class before the route runs, so no form can forget it), the signed-in user
as a dependency with the API's roles, and a Dutch page for each refusal."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute
from starlette.responses import Response

from api.auth import require
from api.back_office.sessions import Session, Sessions
from api.back_office.throttle import SignInThrottle
from api.pages.labels import N_
from api.pages.rendering import PageRoute, render
from api.settings import Settings
from api.users import User, Users
from api.wiring import Backend
from domain.values import Role

PREFIX = "/beheer"
SIGN_IN = f"{PREFIX}/inloggen"
#: the session's cookie, and the sign-in form's own (against login CSRF: double submit)
COOKIE = "pso_beheer"
SIGN_IN_COOKIE = "pso_beheer_inloggen"
#: the hidden field every back-office form carries its CSRF token in
CSRF_FIELD = "csrf"
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
#: the back office's menu: the route name of each screen's start page, and its label
NAVIGATION = (
    ("worklist_page", N_("Werklijst")),
    ("organisations_page", N_("Organisaties")),
    ("applications_page", N_("Aanvragen")),
    ("certificates_page", N_("Certificaten")),
    ("objections_page", N_("Bezwaren")),
    ("contributions_page", N_("Bijdragen")),
    ("scheme_versions_page", N_("Normversies")),
    ("users_page", N_("Gebruikers")),
)


@dataclass(frozen=True)
class BackOffice:
    """The back office's stores: users (passwords), sessions and failed sign-ins."""

    users: Users
    sessions: Sessions
    throttle: SignInThrottle

    @classmethod
    def build(cls, settings: Settings, backend: Backend, users: Users) -> BackOffice:
        """The stores in the register's database, on the register's clock."""
        clock = backend.register.clock
        idle = dt.timedelta(minutes=settings.session_idle_minutes)
        lifetime = dt.timedelta(hours=settings.session_lifetime_hours)
        return cls(
            users,
            Sessions(backend.writer, backend.reader, clock, idle, lifetime),
            SignInThrottle(backend.writer, backend.reader, clock),
        )


class SignedOut(Exception):  # noqa: N818 (an answer: to the sign-in page)
    """No live session: the browser is sent to the sign-in page, then back."""


class Refused(Exception):  # noqa: N818 (an answer: the 403 page)
    """A request the back office refuses with the 403 page: a message id saying why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


#: message ids of the refusals (translated on the page)
NO_TOKEN = N_(
    "Dit formulier is verlopen of komt niet van het register. Er is niets opgeslagen. Open de"
    " pagina opnieuw en probeer het nog eens."
)
NOT_ALLOWED = N_("U mag dit niet met uw rol. Er is niets opgeslagen.")


def back_office(request: Request) -> BackOffice:
    """The back office of this process (set up in the app's lifespan)."""
    found: BackOffice = request.app.state.back_office
    return found


def session_of(request: Request) -> Session | None:
    """The live session of the request's cookie (looked up once per request)."""
    if "session" not in request.scope.setdefault("back_office", {}):
        session_id = request.cookies.get(COOKIE)
        found = back_office(request).sessions.find(session_id) if session_id else None
        request.scope["back_office"]["session"] = found
    session: Session | None = request.scope["back_office"]["session"]
    return session


def signed_in(request: Request) -> User:
    """The signed-in user (still active: a revoked or expired account's session opens
    nothing); ``SignedOut`` otherwise."""
    session = session_of(request)
    user = None if session is None else back_office(request).users.active(session.user_name)
    if user is None:
        raise SignedOut
    request.state.actor = user.name
    return user


def staff_signed_in(user: Annotated[User, Depends(signed_in)]) -> User:
    """The signed-in user when staff or admin (the API's ranking: ``api.auth.require``)."""
    require(user, Role.STAFF)
    return user


def admin_signed_in(user: Annotated[User, Depends(signed_in)]) -> User:
    """The signed-in user when admin."""
    require(user, Role.ADMIN)
    return user


#: any signed-in user (auditors included: limit what they see to their CI)
SignedInDep = Annotated[User, Depends(signed_in)]
StaffSignedInDep = Annotated[User, Depends(staff_signed_in)]
AdminSignedInDep = Annotated[User, Depends(admin_signed_in)]


def csrf_token(request: Request) -> str:
    """The token the forms of this page carry: the session's secret, or before sign-in the
    sign-in cookie's value (``sign_in_cookie`` sets it)."""
    session = session_of(request)
    if session is not None:
        return session.csrf_secret
    token: str = request.scope["back_office"].setdefault(
        "sign_in_token", request.cookies.get(SIGN_IN_COOKIE) or secrets.token_urlsafe(32)
    )
    return token


async def check_csrf(request: Request) -> None:
    """``Refused`` unless the form's token is the session's (or, signed out, the sign-in
    cookie's); the form is read here and kept for the route."""
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    if not isinstance(sent, str) or not sent:
        raise Refused(NO_TOKEN)
    session = session_of(request)
    if session is not None:
        if not session.csrf_matches(sent):
            raise Refused(NO_TOKEN)
        return
    cookie = request.cookies.get(SIGN_IN_COOKIE, "")
    if not cookie or not secrets.compare_digest(cookie.encode(), sent.encode()):
        raise Refused(NO_TOKEN)


def secure(request: Request) -> bool:
    """Whether cookies are marked Secure: everywhere but on this machine."""
    return (request.url.hostname or "") not in LOCAL_HOSTS


def set_cookie(request: Request, response: Response, name: str, value: str) -> None:
    """A back-office cookie: HttpOnly, SameSite=Lax, path /beheer, Secure off localhost."""
    response.set_cookie(
        name, value, httponly=True, samesite="lax", secure=secure(request), path=PREFIX
    )


def safe_next(target: str | None) -> str:
    """Where to go after sign-in: a back-office path of this site, else the worklist."""
    if not target:
        return PREFIX
    parts = urlsplit(target)
    path = parts.path
    local = not parts.scheme and not parts.netloc and not target.startswith(("//", "/\\"))
    if local and (path == PREFIX or path.startswith(PREFIX + "/")) and path != SIGN_IN:
        return target
    return PREFIX


def to_sign_in(request: Request) -> RedirectResponse:
    """303 to the sign-in page, with the page asked for as ``next``."""
    asked = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"{SIGN_IN}?next={quote(safe_next(asked), safe='')}", 303)


def refused_page(request: Request, message: str) -> Response:
    """The 403 page in the language of the request."""
    return render(request, "back_office/refused.html", page_context(request, message=message), 403)


def page_context(request: Request, **context: Any) -> dict[str, Any]:
    """What every back-office template gets: the user (or None), the CSRF token and its field,
    and the navigation (an entry whose screen is not there yet is shown without a link)."""
    session = session_of(request)
    user = None if session is None else back_office(request).users.active(session.user_name)
    names = {getattr(route, "name", None) for route in request.app.router.routes}
    navigation = [
        {"label": label, "href": str(request.url_for(name).path) if name in names else None}
        for name, label in NAVIGATION
    ]
    return {
        "user": user,
        "csrf": csrf_token(request),
        "csrf_field": CSRF_FIELD,
        "navigation": navigation,
        **context,
    }


class _Guarded(APIRoute):
    """The checks of a back-office request, inside ``PageRoute``'s answering of errors."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """FastAPI's handler behind the CSRF check, with the back office's refusals answered."""
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            try:
                if request.method == "POST":
                    await check_csrf(request)
                return await handler(request)
            except SignedOut:
                return to_sign_in(request)
            except Refused as exc:
                return refused_page(request, exc.message)
            except HTTPException as exc:
                if exc.status_code != 403:
                    raise
                return refused_page(request, NOT_ALLOWED)

        return guarded


class BackOfficeRoute(PageRoute, _Guarded):
    """A back-office route: a POST is refused (403, nothing run) without the right CSRF token,
    a signed-out request goes to the sign-in page (303), a role too low (``api.auth.require``)
    gets the 403 page; anything else is answered as a page (``PageRoute``)."""


def back_office_router() -> APIRouter:
    """A router of back-office pages: under /beheer, not in the OpenAPI document, guarded."""
    return APIRouter(prefix=PREFIX, route_class=BackOfficeRoute, include_in_schema=False)
