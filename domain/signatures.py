"""The signed form of a statement (verklaring) and its verification, in plain words.

A statement document is ``{"id", "statement", "signature"}``. What is signed is the canonical
JSON (RFC 8785, UTF-8 bytes) of ``statement``, the statement's content, which holds its own ``id``
and ``issued_at``. The signature is Ed25519 (RFC 8032) by the key ``signature.key_id``; a key's id
is the hex of the first 8 bytes of SHA-256 of its 32 raw public-key bytes, so anyone can tell
that a listed key is the one its id names. Keys and signatures travel as standard base64 with
padding (RFC 4648 section 4). docs/statements.md is the same algorithm for readers.

Pure (no clock, no I/O): the register signs with it, ``pso statement verify`` checks with it
offline, and a transparency log can take each statement's canonical bytes from it.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ALG = "Ed25519"
#: the shape of a statement's content; a later shape gets a new number
FORMAT = "pso-statement/1"
PUBLIC_KEY_BYTES = 32
PRIVATE_KEY_BYTES = 32  # the RFC 8032 seed
SIGNATURE_BYTES = 64
KEY_ID_BYTES = 8
#: the members of a statement document (a later version may add others, such as a proof of
#: its place in a transparency log: the signature does not cover them)
DOCUMENT = frozenset({"id", "statement", "signature"})


class StatementFormatError(ValueError):
    """A value that has no canonical form, or a key or signature that cannot be read."""


def canonical(content: Any) -> bytes:
    """The RFC 8785 canonical JSON of a value, as UTF-8 bytes: what a signature covers."""
    try:
        return rfc8785.dumps(content)
    except (rfc8785.CanonicalizationError, TypeError, AttributeError) as exc:
        msg = f"it has no canonical JSON form (RFC 8785): {exc}"
        raise StatementFormatError(msg) from None


def b64encode(raw: bytes) -> str:
    """Standard base64 with padding (RFC 4648 section 4)."""
    return base64.b64encode(raw).decode("ascii")


def b64decode(text: object, what: str, length: int) -> bytes:
    """Standard base64 with padding of exactly ``length`` bytes, or a plain-words refusal."""
    if not isinstance(text, str):
        raise StatementFormatError(f"{what} is not a text (base64 expected)")
    if ("-" in text or "_" in text) and not ("+" in text or "/" in text):
        msg = f"{what} is written in base64url; the register uses standard base64 (RFC 4648 §4)"
        raise StatementFormatError(msg)
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        msg = f"{what} is not standard base64 with padding (RFC 4648 §4)"
        raise StatementFormatError(msg) from None
    if len(raw) != length:
        raise StatementFormatError(f"{what} holds {len(raw)} bytes, not {length}")
    return raw


def key_id_of(public_key: bytes) -> str:
    """A key's id: the hex of the first 8 bytes of SHA-256 of its 32 raw public-key bytes."""
    return hashlib.sha256(public_key).hexdigest()[: 2 * KEY_ID_BYTES]


@dataclass(frozen=True)
class PublicKey:
    """A key that verifies the register's statements from ``valid_from`` on."""

    key_id: str
    public_key: bytes
    valid_from: dt.datetime

    def document(self) -> dict[str, str]:
        """Its public form, as ``GET /api/v1/keys`` lists it."""
        return {
            "key_id": self.key_id,
            "alg": ALG,
            "public_key": b64encode(self.public_key),
            "valid_from": self.valid_from.isoformat(),
        }


class SigningKey:
    """An Ed25519 private key that signs statements."""

    def __init__(self, private: Ed25519PrivateKey) -> None:
        self._private = private
        self.public_key = private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        self.key_id = key_id_of(self.public_key)

    @classmethod
    def generate(cls) -> SigningKey:
        """A new random key."""
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_raw(cls, raw: bytes) -> SigningKey:
        """The key of 32 raw private-key bytes (the RFC 8032 seed)."""
        if len(raw) != PRIVATE_KEY_BYTES:
            msg = f"an Ed25519 private key has {PRIVATE_KEY_BYTES} bytes, got {len(raw)}"
            raise StatementFormatError(msg)
        return cls(Ed25519PrivateKey.from_private_bytes(raw))

    @classmethod
    def from_pem(cls, pem: bytes) -> SigningKey:
        """The key of a PEM file (PKCS #8, unencrypted), as ``pso statement keygen`` or
        ``openssl genpkey -algorithm ed25519`` write it."""
        try:
            private = serialization.load_pem_private_key(pem, password=None)
        except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
            msg = f"not an unencrypted PEM private key ({exc})"
            raise StatementFormatError(msg) from None
        if not isinstance(private, Ed25519PrivateKey):
            raise StatementFormatError(f"an {type(private).__name__}, not an Ed25519 key")
        return cls(private)

    def private_bytes(self) -> bytes:
        """The 32 raw private-key bytes (keep them secret)."""
        return self._private.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )

    def pem(self) -> bytes:
        """The private key as PEM (PKCS #8, unencrypted)."""
        return self._private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    def sign(self, message: bytes) -> bytes:
        """The 64-byte Ed25519 signature of a message (deterministic)."""
        return self._private.sign(message)


def signed_document(content: Mapping[str, Any], key_id: str, signature: str) -> dict[str, Any]:
    """A statement document: its id, its signed content and the signature (base64)."""
    return {
        "id": content["id"],
        "statement": dict(content),
        "signature": {"alg": ALG, "key_id": key_id, "value": signature},
    }


def read_json(text: str | bytes) -> Any:
    """A JSON text, refused when an object names a member twice (RFC 8785 needs I-JSON)."""

    def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for name, value in pairs:
            if name in found:
                raise StatementFormatError(f"the member {name!r} appears twice in one object")
            found[name] = value
        return found

    try:
        return json.loads(text, object_pairs_hook=unique)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise StatementFormatError(f"not a JSON document ({exc})") from None


def keys_of(document: Any) -> dict[str, PublicKey]:
    """The keys of a ``GET /api/v1/keys`` document, by id."""
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise StatementFormatError('not a list of keys: expected {"keys": [...]}')
    found = {}
    for i, item in enumerate(document["keys"]):
        where = f"keys[{i}]"
        if not isinstance(item, dict) or item.get("alg") != ALG:
            raise StatementFormatError(f"{where} is not an {ALG} key")
        raw = b64decode(item.get("public_key"), f"{where}.public_key", PUBLIC_KEY_BYTES)
        try:
            valid_from = dt.datetime.fromisoformat(str(item.get("valid_from")))
        except ValueError:
            raise StatementFormatError(f"{where}.valid_from is not an ISO-8601 moment") from None
        if valid_from.tzinfo is None:
            raise StatementFormatError(f"{where}.valid_from has no time zone")
        key_id = str(item.get("key_id"))
        found[key_id] = PublicKey(key_id, raw, valid_from)
    return found


@dataclass(frozen=True)
class Check:
    """One thing verified, and whether it holds."""

    ok: bool
    what: str


@dataclass
class Verification:
    """What was checked of a statement document, in order; the first failed check ends it."""

    statement_id: str | None = None
    checks: list[Check] = field(default_factory=list)
    #: what else was seen that is no check (members of the document the signature does not cover)
    notes: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        """True when every check held (and there were checks)."""
        return bool(self.checks) and all(c.ok for c in self.checks)

    def passed(self, what: str) -> None:
        """Note a check that held."""
        self.checks.append(Check(ok=True, what=what))


class _CheckFailedError(Exception):
    """The check that failed, in plain words."""


def verify(document: Any, keys: Mapping[str, PublicKey]) -> Verification:
    """Check a statement document against the register's keys: its shape, the canonical form of
    its content, the key it names and the Ed25519 signature over that canonical form."""
    found = Verification()
    try:
        content, signature = _parts(document)
        found.statement_id = str(document["id"])
        found.passed(f"the document is a statement with the id {document['id']}, signed inside")
        found.notes += [
            f"the document also holds {name!r}, which the signature does not cover"
            for name in sorted(set(document) - DOCUMENT)
        ]
        message = _canonical_of(content)
        digest = hashlib.sha256(message).hexdigest()
        found.passed(
            f"the statement's canonical JSON (RFC 8785) is {len(message)} bytes, SHA-256 {digest}"
        )
        value = _signature_of(signature)
        found.passed("the signature is Ed25519, 64 bytes in standard base64")
        key = _key_of(signature.get("key_id"), keys)
        found.passed(
            f"key {key.key_id} is listed by the register, valid from {key.valid_from.isoformat()}"
        )
        issued = _issued_with(content, key)
        found.passed(f"it was issued at {issued.isoformat()}, while the key was valid")
        _signed(key, value, message)
        found.passed(
            f"the Ed25519 signature verifies over the canonical JSON with key {key.key_id}"
        )
    except _CheckFailedError as failed:
        found.checks.append(Check(ok=False, what=str(failed)))
    return found


def _parts(document: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """The content and the signature of a statement document."""
    if not isinstance(document, dict) or not DOCUMENT.issubset(document):
        msg = 'the document is not {"id", "statement", "signature"}, as the register answers one'
        raise _CheckFailedError(msg)
    content, signature = document["statement"], document["signature"]
    if not isinstance(content, dict) or not isinstance(signature, dict):
        raise _CheckFailedError("the statement and the signature must each be a JSON object")
    if content.get("id") != document["id"]:
        msg = (
            f"the document's id {document['id']!r} is not the statement's own id "
            f"{content.get('id')!r}"
        )
        raise _CheckFailedError(msg)
    return content, signature


def _canonical_of(content: dict[str, Any]) -> bytes:
    try:
        return canonical(content)
    except StatementFormatError as exc:
        raise _CheckFailedError(f"the statement cannot have been signed: {exc}") from None


def _signature_of(signature: dict[str, Any]) -> bytes:
    if signature.get("alg") != ALG:
        raise _CheckFailedError(f"the signature's alg is {signature.get('alg')!r}, not {ALG!r}")
    try:
        return b64decode(signature.get("value"), "the signature", SIGNATURE_BYTES)
    except StatementFormatError as exc:
        raise _CheckFailedError(str(exc)) from None


def _key_of(key_id: object, keys: Mapping[str, PublicKey]) -> PublicKey:
    key = keys.get(key_id) if isinstance(key_id, str) else None
    if key is None:
        listed = ", ".join(sorted(keys)) or "none"
        msg = (
            f"the register lists no key {key_id!r} (it lists: {listed}): the statement was not "
            "signed by this register, or these keys are an old copy of its list"
        )
        raise _CheckFailedError(msg)
    if key_id_of(key.public_key) != key_id:
        msg = (
            f"the key listed as {key_id} is not the key that id names (its id would be "
            f"{key_id_of(key.public_key)}): the list of keys was changed"
        )
        raise _CheckFailedError(msg)
    return key


def _issued_with(content: dict[str, Any], key: PublicKey) -> dt.datetime:
    issued = _moment(content.get("issued_at"))
    if issued is None:
        raise _CheckFailedError("the statement has no issued_at moment (ISO-8601 with a time zone)")
    if issued < key.valid_from:
        msg = (
            f"the statement says it was issued at {issued.isoformat()}, before key "
            f"{key.key_id} became valid ({key.valid_from.isoformat()})"
        )
        raise _CheckFailedError(msg)
    return issued


def _signed(key: PublicKey, value: bytes, message: bytes) -> None:
    try:
        Ed25519PublicKey.from_public_bytes(key.public_key).verify(value, message)
    except InvalidSignature:
        msg = (
            f"the signature does not verify over the statement's canonical JSON with key "
            f"{key.key_id}: the statement was changed after it was signed, or signed by another "
            "key"
        )
        raise _CheckFailedError(msg) from None


def _moment(value: object) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None
