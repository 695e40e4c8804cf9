"""The back office (beheer) in the browser: PSO staff and CI auditors sign in at
``/beheer/inloggen`` and work through the same answers and domain commands as the staff API
(no JavaScript; Dutch first, English by the pages' language switch).

Where things live:
- ``guard.py``: the session (table ``pso_sessions``: sessions.py), the CSRF check of every POST,
  the signed-in dependencies and the refusals as pages; ``sign_in.py``: signing in and out,
  failures rate limited (throttle.py); ``forms.py``: the one-time key and the errors of a form;
- a module per topic (``worklist.py``, ``organisations.py``) with ``router = back_office_router()``;
- templates under ``api/templates/back_office/``: ``layout.html`` (navigation, who is signed in,
  Uitloggen), ``_timeline.html`` (an organisation's timeline), one template per screen.

To add a screen (organisations.py's registration is the example to copy):
1. Route: ``@router.get("/<dutch-path>", name="...")`` on the module's ``back_office_router()``
   (prefix ``/beheer``; its route class sends a signed-out browser to the sign-in page and back,
   and answers every error with a page). Ask for the user with ``StaffSignedInDep`` (staff and
   admin), ``AdminSignedInDep`` or ``SignedInDep`` (auditors too: then show only their CI's
   things, through the same answer function as the API, e.g. ``worklist_for``). The roles are
   the API's (``api.auth.require``); never check a role by hand.
2. Template: ``{% extends "back_office/layout.html" %}``, ``{% block title %}``, ``{% block
   content %}`` with one ``<h1>``; render with ``render(request, template,
   page_context(request, ...))`` (it gives ``user``, ``csrf``, ``navigation``). Texts in Dutch
   through ``_()``; dates through ``|date``.
3. A form: ``method="post"``, ``{{ office.csrf_input() }}`` and ``{{ office.key_input(key) }}``
   (``key = one_time_key()`` when the form is shown). The route class refuses a POST without the
   session's CSRF token with the 403 page before the route runs, so nothing is written.
4. The POST: read the form, build the API's body model (``OrganisationCreate``...);
   ``field_errors`` turns its ``ValidationError`` into errors named by the form's labels. Run the
   domain command through ``run_command(..., key=one_time_key(sent))``: the same command, cause
   and idempotency record as the API, so a double submit has one effect and answers the first
   result. A ``DomainError`` goes beside its field with ``command_errors``; render the form again
   with the values and status 422 (``ui.error_summary`` at the top, ``ui.input`` marks the
   field). On success: ``RedirectResponse(..., 303)`` to a result page (Post/Redirect/Get) that
   says in Dutch what was done.
5. A screen about an organisation shows its timeline: ``{% include
   "back_office/_timeline.html" %}`` with ``timeline`` = ``narrate(timeline(register, kvk), ...)``
   and links to its dispute report (``url('dispute_report_page', kvk=kvk)``).
6. Add the router to ``ROUTERS`` below and its entry to ``NAVIGATION`` (guard.py) if new; run
   ``make messages`` and translate; test: e2e with ``tests/back_office.py`` (signed-in client,
   CSRF refused, double submit), a browser test in ``tests/browser/test_back_office.py`` (axe-core,
   screenshots).
"""

from __future__ import annotations

from fastapi import APIRouter

from api.back_office import (
    applications,
    audit_reports,
    decisions,
    organisations,
    sign_in,
    submissions,
    worklist,
)

#: every router of the back office, in the order they are tried
ROUTERS: list[APIRouter] = [
    sign_in.router,
    worklist.router,
    organisations.router,
    submissions.router,
    applications.router,
    audit_reports.router,
    decisions.router,
]

__all__ = ["ROUTERS"]
