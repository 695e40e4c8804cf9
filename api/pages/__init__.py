"""The register in the browser: server-rendered pages, Dutch first, another transport of the same
answers as the JSON API (no JavaScript, every asset served by the app).

Where things live:
- ``api/pages/<topic>.py``: a router of pages (``router = page_router()``); a page reads its form
  fields, asks an answer function of the API with ``forms.ask`` and renders a template;
- ``api/templates/``: the templates; ``base.html`` is the layout (header, language switch,
  footer), ``_macros.html`` the shared parts (level badge, status, position sentence, history,
  form fields, error summary);
- ``api/static/``: the style sheet and icon, served under ``/static/pages`` (``static('pso.css')``
  gives the address with a digest of the content);
- ``api/i18n/en/LC_MESSAGES/messages.po``: the English translations; the message ids are the
  Dutch texts, so Dutch needs no catalog. ``make messages`` adds new texts to the catalog.

To add a page:
1. Write the template: ``{% extends "base.html" %}``, fill ``{% block title %}`` and
   ``{% block content %}``, one ``<h1>``. Every text a person reads goes through ``_("...")`` or
   ``{% trans %}...{% endtrans %}`` in Dutch; dates through ``|date`` ("1 juli 2026"), recorded
   moments through ``|moment`` (Amsterdam time), codes through ``|level``, ``|status``,
   ``|standing``, ``|change``, ``|institution``. Links with ``url('route_name', ...)``.
2. Write the route in a module here, with ``router = page_router()``: the route class answers
   ``forms.Missing`` with the 404 page, ``forms.FormError`` with the 422 page and anything else
   with a page too, never with JSON. Ask questions through ``forms.ask(backend, answer, Question,
   fields)`` with the answer function and question model of the API (never a query of its own):
   its ``FormError`` names each field by its label in the page's language; render it again with
   the ``errors`` (``ui.error_summary`` at the top, ``ui.input``/``ui.select`` mark the field)
   and status 422. ``forms.ask_about`` asks about the number in the page's address and turns
   "not in the register" and "not a number" into ``Missing``. Texts built in Python are marked
   ``N_("...")`` and translated where shown.
3. Add the router to ``ROUTERS`` below (``api/app.py`` includes them all), run ``make messages``,
   translate the new entries of ``messages.po`` (the unit tests fail while one is missing), and
   add a browser test in ``tests/browser`` (axe-core runs on every page type there).

The language is chosen by ``?lang=nl|en`` (kept in a cookie), else the cookie, else
``Accept-Language``, else Dutch (``language.chosen``); every page links to itself in the other
language.

A form that sends a file, or figures that should stay out of addresses and logs (the list check,
the self-assessment), is a POST: read its file with ``forms.uploaded`` (bounded, files closed),
name fields of a form's rows with ``FieldError(label=...)``, and answer ``Cache-Control:
no-store``. Such a POST changes nothing, so it needs no CSRF token.
"""

from __future__ import annotations

from fastapi import APIRouter

from api.pages import list_check, open_data, register, self_assessment, statement_document
from api.pages.rendering import assets

#: every router of pages, in the order they are tried
ROUTERS: list[APIRouter] = [
    register.router,
    list_check.router,
    self_assessment.router,
    open_data.router,
    statement_document.router,
]

__all__ = ["ROUTERS", "assets"]
