"""The application service of the PSO register: one method per command, ids and values in and out.

Every method is deterministic given the injected clock and id factory: it loads aggregates, calls
one command on each, and saves them together in one transaction. The methods live in one module
per area (domain/service/); this class composes them.
"""

from __future__ import annotations

from domain.service.applications import ApplicationCommands
from domain.service.base import certificate_id
from domain.service.certificates import CertificateCommands
from domain.service.contributions import ContributionCommands
from domain.service.imports import ImportCommands
from domain.service.objections import ObjectionCommands
from domain.service.organisations import OrganisationCommands
from domain.service.queries import RegisterQueries
from domain.service.scheme import SchemeCommands

__all__ = ["Register", "certificate_id"]


class Register(
    OrganisationCommands,
    ApplicationCommands,
    ObjectionCommands,
    CertificateCommands,
    ContributionCommands,
    SchemeCommands,
    ImportCommands,
    RegisterQueries,
):
    """The PSO register as an event-sourced application."""

    name = "Register"
