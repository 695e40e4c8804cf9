"""Rendering a page: one Jinja2 environment per language (its translations, its filters for
dates, times and the register's codes), the base layout's context (language switch, addresses,
assets), the answer's headers, and every error as a page in the language of the request."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Coroutine, Mapping
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import structlog
from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from api.pages import labels
from api.pages.forms import FieldError, FormError, Missing
from api.pages.language import (
    COOKIE,
    COOKIE_SECONDS,
    LANGUAGES,
    NAMES,
    PARAMETER,
    chosen,
    long_date,
    moment,
    translations,
)
from api.problems import BUSY_RETRY_AFTER, is_busy

log = structlog.get_logger(__name__)
TEMPLATES = Path(__file__).parent.parent / "templates"
STATIC = Path(__file__).parent.parent / "static"
STATIC_PATH = "/static/pages"
#: the pages' own assets (style sheet, icon): nothing comes from elsewhere
assets = Mount(STATIC_PATH, StaticFiles(directory=STATIC), name="page-assets")
#: every page: nothing but its own assets, no script, not framed; it differs by language
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-cache",
    "Vary": "Accept-Language, Cookie",
}


@cache
def environment(language: str) -> Environment:
    """The templates in one language: ``_()`` and ``{% trans %}`` translate, and the filters
    ``date``, ``moment``, ``level``, ``status``, ``standing``, ``change`` and ``institution``
    write a value as a person reads it."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    words = translations(language)
    env.install_gettext_translations(words, newstyle=True)  # type: ignore[attr-defined]

    def label(table: Mapping[str, str]) -> Callable[[str | None], str]:
        return lambda code: "" if code is None else words.gettext(table.get(code, code))

    env.filters.update(
        date=lambda day: long_date(day, language),
        moment=lambda instant: moment(instant, language),
        level=label(labels.LEVELS),
        status=label(labels.STATUSES),
        standing=label(labels.STANDINGS),
        change=label(labels.CHANGES),
        institution=lambda code: labels.INSTITUTIONS.get(code, code or ""),
        error=lambda error: error.text(words, language),
    )
    env.globals.update(
        language=language,
        static=static,
        level_options=[(c, words.gettext(labels.LEVELS[c])) for c in labels.LEVEL_CHOICES],
        status_options=[(c, words.gettext(labels.STATUSES[c])) for c in labels.STATUS_CHOICES],
    )
    return env


@cache
def static(name: str) -> str:
    """The address of an asset, with a digest of its content (a changed file is fetched anew)."""
    digest = hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:12]
    return f"{STATIC_PATH}/{name}?v={digest}"


def render(
    request: Request, template: str, context: Mapping[str, Any], status: int = 200
) -> HTMLResponse:
    """A page in the language of the request; ``?lang=`` is kept in a cookie."""
    choice = chosen(request)
    env = environment(choice.language)

    def url(name: str, **params: str) -> str:
        return str(request.url_for(name, **params).path)

    html = env.get_template(template).render(
        {**context, "request": request, "url": url, "switch": switch(request, choice.language)}
    )
    response = HTMLResponse(html, status, headers={**HEADERS, "Content-Language": choice.language})
    if choice.explicit:
        response.set_cookie(
            COOKIE, choice.language, max_age=COOKIE_SECONDS, httponly=True, samesite="lax"
        )
    return response


def switch(request: Request, language: str) -> list[dict[str, str]]:
    """Links to this page in the other languages."""
    query = [(k, v) for k, v in request.query_params.multi_items() if k != PARAMETER]
    return [
        {"code": code, "name": NAMES[code], "href": f"?{urlencode([*query, (PARAMETER, code)])}"}
        for code in LANGUAGES
        if code != language
    ]


def error_page(request: Request, status: int, errors: list[FieldError] | None = None,
               message: Missing | None = None,
               retry_after: str | None = None) -> HTMLResponse:  # fmt: skip
    """The page of an error: not found (with what was not found), refused input (each field),
    too many requests (and when to try again), the database busy, or our own failure."""
    context = {"status": status, "errors": errors or [], "missing": message,
               "seconds": retry_after}  # fmt: skip
    response = render(request, "error.html", context, status)
    if status == 503:
        response.headers["Retry-After"] = BUSY_RETRY_AFTER
    if retry_after is not None:
        response.headers["Retry-After"] = retry_after
    return response


class PageRoute(APIRoute):
    """A route of a page: whatever goes wrong is answered with a page, never with JSON or a
    traceback (``Missing`` 404, ``FormError`` 422, a busy database 503, anything else 500)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """FastAPI's handler, with the errors answered as pages."""
        handler = super().get_route_handler()

        async def page(request: Request) -> Response:
            try:
                return await handler(request)
            except Missing as exc:
                return error_page(request, 404, message=exc)
            except FormError as exc:
                return error_page(request, 422, errors=exc.errors)
            except Exception as exc:  # a browser gets a page, never JSON; the error is logged
                if is_busy(exc):
                    log.warning("database_busy", error=type(exc).__name__, message=str(exc))
                    return error_page(request, 503)
                log.exception("unexpected_error", error=type(exc).__name__)
                return error_page(request, 500)

        return page


def page_router() -> APIRouter:
    """A router for pages: not in the API's OpenAPI document, errors answered as pages."""
    return APIRouter(route_class=PageRoute, include_in_schema=False)
