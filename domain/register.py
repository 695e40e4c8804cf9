"""The application service of the PSO register: one method per command, ids and values in and out.

Every command is deterministic given the injected clock and id factory: it loads aggregates,
calls a command on each, and keeps them in the unit of work that saves them together in one
transaction; it answers a small result value (domain/service/results.py). The commands live in
one module per aggregate (domain/service/), on the shared base (domain/service/base.py: replay,
unit of work, idempotency, catalogue); this class composes them, each named here.
"""

from __future__ import annotations

from domain.service.applications import ApplicationCommands
from domain.service.base import certificate_id
from domain.service.certificates import CertificateCommands
from domain.service.contributions import ContributionCommands
from domain.service.decisions import DecisionCommands
from domain.service.imports import ImportCommands
from domain.service.objections import ObjectionCommands
from domain.service.organisations import OrganisationCommands
from domain.service.queries import ReplayQueries
from domain.service.scheme import SchemeCommands
from domain.service.statements import StatementCommands

__all__ = ["Register", "certificate_id"]


class Register(
    OrganisationCommands,
    ApplicationCommands,
    DecisionCommands,
    ObjectionCommands,
    CertificateCommands,
    ContributionCommands,
    SchemeCommands,
    ImportCommands,
    StatementCommands,
    ReplayQueries,
):
    """The PSO register as an event-sourced application."""

    name = "Register"
