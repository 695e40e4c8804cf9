"""Passwords of back-office accounts: hashed with Argon2id (argon2-cffi's defaults, RFC 9106's
second recommended profile), only the hash kept, checked in constant time."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from domain.errors import InvalidInputError

#: the shortest password accepted (NIST SP 800-63B asks at least 8; a passphrase is better)
MIN_LENGTH = 12
#: the longest accepted: hashing is slow by design, so a huge password is refused unhashed
MAX_LENGTH = 200
_hasher = PasswordHasher()
#: a hash checked when the user name is unknown, so both refusals take the same time
_DUMMY = _hasher.hash("not the password of anyone")


def check_password(password: str) -> None:
    """Refuse a password that is too short or too long, saying the rule."""
    if len(password) < MIN_LENGTH:
        msg = f"password: at least {MIN_LENGTH} characters, got {len(password)}"
        raise InvalidInputError(msg)
    if len(password) > MAX_LENGTH:
        raise InvalidInputError(f"password: at most {MAX_LENGTH} characters")


def hash_password(password: str) -> str:
    """The Argon2id hash of an acceptable password (its salt and parameters inside)."""
    check_password(password)
    return _hasher.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """Whether ``password`` is the one hashed in ``stored``; None (no password set) is checked
    against a dummy hash, so the answer takes as long as a real check."""
    if len(password) > MAX_LENGTH:
        return False
    try:
        return _hasher.verify(stored or _DUMMY, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """Whether a hash was made with weaker parameters than today's (rehashed on sign-in)."""
    return _hasher.check_needs_rehash(stored)
