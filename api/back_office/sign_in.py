"""Signing in to the back office (``/beheer/inloggen``) and out: a password checked against its
Argon2id hash, failures rate limited per user name and per client with one message for every
refusal, a session in the register's database and its cookie."""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated

import structlog
from fastapi import Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from api.back_office import throttle
from api.back_office.guard import (
    COOKIE,
    PREFIX,
    SIGN_IN_COOKIE,
    back_office,
    back_office_router,
    csrf_token,
    page_context,
    safe_next,
    session_of,
    set_cookie,
)
from api.pages.labels import N_
from api.pages.language import chosen, moment
from api.pages.rendering import render

log = structlog.get_logger(__name__)
router = back_office_router()
#: the one message of a refused sign-in: it does not tell which of the two was wrong
WRONG = N_("Deze combinatie van gebruikersnaam en wachtwoord kennen we niet.")
#: after too many failures, with the moment of the next try
TOO_MANY = N_("Te veel mislukte pogingen om in te loggen. Probeer het opnieuw na %(moment)s.")


def _sign_in_page(
    request: Request, target: str, name: str = "", error: str | None = None,
    params: dict[str, str] | None = None, status: int = 200,
) -> Response:  # fmt: skip
    """The sign-in form (with its own anti-CSRF cookie set when the browser has none)."""
    context = page_context(
        request, next=target, name=name, error=error, params=params or {}, signed_out=False
    )
    response = render(request, "back_office/sign_in.html", context, status)
    if request.cookies.get(SIGN_IN_COOKIE) != context["csrf"]:
        set_cookie(request, response, SIGN_IN_COOKIE, context["csrf"])
    return response


@router.get("/inloggen", name="sign_in_page")
def sign_in_page(request: Request, next: str | None = None) -> Response:  # noqa: A002 (?next=)
    """The sign-in form; a signed-in user goes straight on."""
    target = safe_next(next)
    session = session_of(request)
    if session is not None and back_office(request).users.active(session.user_name):
        return RedirectResponse(target, 303)
    return _sign_in_page(request, target)


@router.post("/inloggen", name="sign_in")
def sign_in(
    request: Request,
    name: Annotated[str, Form(alias="gebruikersnaam", max_length=200)] = "",
    password: Annotated[str, Form(alias="wachtwoord", max_length=1000)] = "",
    next: Annotated[str, Form(max_length=2000)] = PREFIX,  # noqa: A002 (the form's field)
) -> Response:
    """Check the user name and password; on success a new session and on to ``next``."""
    office = back_office(request)
    target = safe_next(next)
    client = request.client.host if request.client else "unknown"
    counted = throttle.subjects(name, client)
    until = office.throttle.refused_until(counted)
    if until is not None:
        log.warning("sign_in_throttled", user=name[:100], client=client)
        return _too_many(request, target, name, until)
    user = office.users.sign_in(name, password)
    if user is None:
        office.throttle.failed(counted)
        log.info("sign_in_failed", user=name[:100], client=client)
        until = office.throttle.refused_until(counted)
        if until is not None:
            return _too_many(request, target, name, until)
        return _sign_in_page(request, target, name, WRONG, status=401)
    office.throttle.succeeded(counted[0])
    session_id, _ = office.sessions.begin(user.name)
    log.info("signed_in", user=user.name, role=user.role)
    response = RedirectResponse(target, 303)
    set_cookie(request, response, COOKIE, session_id)
    response.delete_cookie(SIGN_IN_COOKIE, path=PREFIX)
    return response


def _too_many(request: Request, target: str, name: str, until: dt.datetime) -> Response:
    """The sign-in form saying when the next try may be made (429, with ``Retry-After``)."""
    when = moment(until, chosen(request).language)
    response = _sign_in_page(request, target, name, TOO_MANY, {"moment": when}, 429)
    wait = until - back_office(request).sessions.clock.now()
    response.headers["Retry-After"] = str(max(1, math.ceil(wait.total_seconds())))
    return response


@router.post("/uitloggen", name="sign_out")
def sign_out(request: Request) -> Response:
    """End the session (its row is deleted, the cookie cleared): the sign-in page says so."""
    session_id = request.cookies.get(COOKIE)
    if session_id:
        back_office(request).sessions.end(session_id)
    request.scope["back_office"]["session"] = None
    request.scope["back_office"].pop("sign_in_token", None)
    context = page_context(request, next=PREFIX, name="", error=None, params={}, signed_out=True)
    response = render(request, "back_office/sign_in.html", context)
    response.delete_cookie(COOKIE, path=PREFIX)
    set_cookie(request, response, SIGN_IN_COOKIE, csrf_token(request))
    return response
