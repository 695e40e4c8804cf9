"""What every back-office command form shares: its one-time key (the form's idempotency key, so
a double submit has one effect), and the refusals, of the API's body model or of the domain
command, as errors beside the fields they concern."""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping

from pydantic import ValidationError

from api.pages.forms import MISSING, NOT_VALID, TOO_LONG, FieldError
from api.pages.labels import N_
from domain.errors import DomainError, InvalidInputError

#: the hidden field of a form's one-time key
FORM_KEY = "idempotency_key"
#: the keys of forms, apart from the API's Idempotency-Key values
KEY_PREFIX = "beheer:"
_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
NOT_A_KVK = N_("‘%(label)s’ bestaat uit acht cijfers, zoals 12345678.")
TOO_MANY = N_("‘%(label)s’ heeft ten hoogste %(max)s waarden.")
NO_KEY = N_("Dit formulier mist zijn eenmalige sleutel. Open het formulier opnieuw.")


def one_time_key(sent: str | None = None) -> str:
    """A new key for a form (``sent`` None), or the idempotency key of the key a form sent;
    ``InvalidInputError`` for a missing or malformed one."""
    if sent is None:
        return secrets.token_urlsafe(18)
    if not _KEY.fullmatch(sent):
        raise InvalidInputError(NO_KEY)
    return KEY_PREFIX + sent


def _label(name: str, labels: Mapping[str, str]) -> tuple[tuple[str, ...], Mapping[str, str]]:
    return ((labels.get(name, name),), {})


def field_errors(exc: ValidationError, labels: Mapping[str, str]) -> list[FieldError]:
    """The body model's refusals, one per field, named by the form's labels."""
    found: dict[str, FieldError] = {}
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else ""
        kind, context = error["type"], error.get("ctx") or {}
        params: dict[str, object]
        if kind == "missing" or (kind == "string_too_short" and context.get("min_length") == 1):
            message, params = MISSING, {}
        elif kind == "string_pattern_mismatch":
            message, params = NOT_A_KVK, {}
        elif kind == "string_too_long":
            message, params = TOO_LONG, {"max": context["max_length"]}
        elif kind == "too_long":
            message, params = TOO_MANY, {"max": context["max_length"]}
        else:
            message, params = NOT_VALID, {}
        found.setdefault(name, FieldError(name, message, params, label=_label(name, labels)))
    return list(found.values())


def command_errors(exc: DomainError, labels: Mapping[str, str], field: str) -> list[FieldError]:
    """A domain command's refusal beside ``field`` (none: at the top only), in its own words
    until the domain's errors carry codes to translate."""
    text = str(exc).replace("%", "%%")
    return [FieldError(field, text, {}, label=_label(field, labels))]
