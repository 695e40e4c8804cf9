"""Domain errors: each says, in words a member of staff understands, why nothing was written."""

from __future__ import annotations


class DomainError(Exception):
    """Base class of every refusal by the domain."""


class InvalidInputError(DomainError):
    """A value is malformed or out of range (HTTP 422)."""


class NotFoundError(DomainError):
    """An id or number refers to nothing in the register (HTTP 404)."""


class InvalidTransitionError(DomainError):
    """The command does not fit the current state, e.g. deciding before the audit report (409)."""


class ForbiddenError(DomainError):
    """The actor may not do this, e.g. an auditor acting for another CI (HTTP 403)."""


class ConcurrentModificationError(DomainError):
    """Someone else changed the same record at the same moment; retry the command (HTTP 409)."""
