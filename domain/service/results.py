"""What the commands answer: small frozen values, so no caller replays an aggregate to learn
what a command just did. An idempotency record keeps them (``ResultAsDict`` stores each as its
fields), so a retry under the same key answers the same value.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.persistence import JSONTranscoder, Transcoding

from norms.levels import Level


@dataclass(frozen=True)
class SubmissionResult:
    """A definitive application was submitted: its id, the handbook version in force on the
    submission date, and the assessment of the declared figures made while checking them."""

    application_id: UUID
    handbook_version: str
    assessment: dict[str, Any]


@dataclass(frozen=True)
class AuditReportResult:
    """The audit report was filed; the application's state after it."""

    application_id: UUID
    state: str


@dataclass(frozen=True)
class IssuedCertificate:
    """The certificate a decision granted (or the aspirant status it extended)."""

    number: str
    level: Level
    pso30plus: bool
    valid_from: dt.date
    valid_until: dt.date


@dataclass(frozen=True)
class DecisionResult:
    """The decision on an application: the certificate it granted, or None when refused."""

    application_id: UUID
    certificate: IssuedCertificate | None

    @property
    def number(self) -> str | None:
        """The granted certificate's number, None when refused."""
        return self.certificate.number if self.certificate else None

    @property
    def outcome(self) -> str:
        """``granted`` or ``refused``."""
        return "refused" if self.certificate is None else "granted"


@dataclass(frozen=True)
class CertificateChangeResult:
    """A suspension, reinstatement or withdrawal recorded, and the certificate's status after it
    (as recorded; a change for a later day shows from that day)."""

    number: str
    status: str
    effective_on: dt.date


@dataclass(frozen=True)
class PublicationResult:
    """A handbook version published: its name and the day it comes into force."""

    version: str
    effective_from: dt.date


@dataclass(frozen=True)
class IssuedStatement:
    """A statement issued: its id, its content as signed, the key and the signature (base64)."""

    statement_id: UUID
    content: dict[str, Any]
    key_id: str
    signature: str


RESULTS: tuple[type[Any], ...] = (
    SubmissionResult,
    AuditReportResult,
    IssuedCertificate,
    DecisionResult,
    CertificateChangeResult,
    PublicationResult,
    IssuedStatement,
)
#: what an idempotency record keeps as a command's result (ids, numbers and versions were kept
#: as they are before the results; None when a command answers nothing)
Result = (
    SubmissionResult
    | AuditReportResult
    | DecisionResult
    | CertificateChangeResult
    | PublicationResult
    | IssuedStatement
    | UUID
    | str
    | bool
    | None
)


class ResultAsDict(Transcoding):
    """One result class stored as its fields (each stored by the transcoder as it stores events'
    fields); Levels and tuples come back as such."""

    def __init__(self, cls: type[Any]) -> None:
        self.type = cls
        self.name = f"pso_result_{cls.__name__}"
        self._hints = typing.get_type_hints(cls)

    def encode(self, obj: Any) -> dict[str, Any]:
        """Encode."""
        return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}

    def decode(self, data: dict[str, Any]) -> Any:
        """Decode."""
        return self.type(**{k: _restore(self._hints[k], v) for k, v in data.items()})


def _restore(hint: Any, value: Any) -> Any:
    options = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
    if value is not None and Level in options:
        return Level(value)
    if typing.get_origin(hint) is tuple:
        return tuple(value)
    return value


def register_result_transcodings(transcoder: JSONTranscoder) -> None:
    """Let the event store keep the command results (in idempotency records)."""
    for cls in RESULTS:
        transcoder.register(ResultAsDict(cls))
