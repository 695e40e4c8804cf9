"""``pso statement``: make a key that signs statements, and verify a statement offline.

``verify`` needs nothing of this register's database: a file holding a statement document (or
an id fetched from a register's URL) and the register's public keys (fetched, or a saved copy
of ``GET /api/v1/keys`` for no network at all). It says in plain words what it checked and,
when the statement is not valid, why (docs/statements.md: the algorithm).
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import typer

from api.cli.common import BAD_INPUT
from api.signing import write_key_file
from domain.signatures import (
    PublicKey,
    SigningKey,
    StatementFormatError,
    b64encode,
    canonical,
    keys_of,
    read_json,
    verify,
)

statement_app = typer.Typer(help="Signed statements: make a signing key, verify a statement.")
NOT_VALID = 1
DEFAULT_REGISTER = "http://127.0.0.1:8000"
STATEMENT_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
Register = Annotated[
    str,
    typer.Option(
        "--register", help="The register's URL: where an id is fetched and the keys come from."
    ),
]
Keys = Annotated[
    Path | None,
    typer.Option(
        "--keys", help="A saved copy of GET /api/v1/keys: verify without asking the register."
    ),
]


class CannotCheckError(Exception):
    """The statement or the keys could not be had (exit 2)."""


@statement_app.command("keygen")
def keygen(
    file: Annotated[
        Path | None,
        typer.Argument(help="A new file for the private key (PEM); without it, print the key."),
    ] = None,
) -> None:
    """Make a new Ed25519 key for signing statements: written to FILE (PEM, readable by its
    owner only; set PSO_STATEMENT_KEY_FILE to it), or printed as PSO_STATEMENT_KEY=... Rotate
    by configuring a new key: the register publishes it when it starts, and keeps the old ones
    listed."""
    if file is None:
        key = SigningKey.generate()
        typer.echo(f"PSO_STATEMENT_KEY={b64encode(key.private_bytes())}")
    else:
        try:
            key = write_key_file(file)
        except FileExistsError:
            typer.echo(f"error: {file} exists; a key file is never overwritten", err=True)
            raise typer.Exit(BAD_INPUT) from None
        except OSError as exc:
            typer.echo(f"error: cannot write {file}: {exc.strerror}", err=True)
            raise typer.Exit(BAD_INPUT) from None
        typer.echo(f"wrote {file}; set PSO_STATEMENT_KEY_FILE={file}")
    typer.echo(f"key id {key.key_id}, public key {b64encode(key.public_key)}", err=file is None)


@statement_app.command("verify")
def verify_statement(
    file_or_id: Annotated[
        str, typer.Argument(help="A file holding a statement document, or a statement's id.")
    ],
    register: Register = DEFAULT_REGISTER,
    keys: Keys = None,
) -> None:
    """Check a statement: its form, the canonical JSON (RFC 8785) of its content, its key and
    its Ed25519 signature. Exit 0 when valid, 1 when not (saying why), 2 when it could not be
    checked."""
    try:
        text, source = _statement_text(file_or_id, register)
        listed, keys_source = _keys(keys, register)
    except CannotCheckError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(BAD_INPUT) from None
    typer.echo(f"statement from {source}, keys from {keys_source}")
    try:
        document = read_json(text)
    except StatementFormatError as exc:
        typer.echo(f"  FAIL  the file is not a statement document: {exc}")
        typer.echo("NOT VALID")
        raise typer.Exit(NOT_VALID) from None
    verification = verify(document, listed)
    for check in verification.checks:
        typer.echo(f"  {'ok  ' if check.ok else 'FAIL'}  {check.what}")
    for note in verification.notes:
        typer.echo(f"  note  {note}")
    if not verification.valid:
        typer.echo("NOT VALID: " + verification.checks[-1].what)
        raise typer.Exit(NOT_VALID)
    if text.encode() != canonical(document):
        typer.echo(
            "  note  the file is not byte for byte as the register sends it (reformatted?); "
            "that does not matter: the signature covers the statement's canonical form"
        )
    content = document["statement"]
    typer.echo(f"VALID: {_says(content)}")


def _statement_text(file_or_id: str, register: str) -> tuple[str, str]:
    """The text of the statement document, and where it came from."""
    path = Path(file_or_id)
    if path.is_file():
        try:
            return path.read_text(encoding="utf-8"), str(path)
        except (OSError, UnicodeDecodeError) as exc:
            raise CannotCheckError(f"cannot read {path}: {exc}") from None
    if STATEMENT_ID.fullmatch(file_or_id):
        url = f"{register.rstrip('/')}/api/v1/statements/{file_or_id}"
        return _fetch(url, "the statement"), url
    msg = f"{file_or_id} is neither a file nor a statement id (like 0f8fad5b-d9cb-469f-...)"
    raise CannotCheckError(msg)


def _keys(keys: Path | None, register: str) -> tuple[dict[str, PublicKey], str]:
    """The register's keys by id, and where they came from."""
    if keys is not None:
        try:
            text, source = keys.read_text(encoding="utf-8"), str(keys)
        except (OSError, UnicodeDecodeError) as exc:
            raise CannotCheckError(f"cannot read {keys}: {exc}") from None
    else:
        source = f"{register.rstrip('/')}/api/v1/keys"
        text = _fetch(source, "the register's keys")
    try:
        return keys_of(read_json(text)), source
    except StatementFormatError as exc:
        raise CannotCheckError(f"{source} holds no list of keys: {exc}") from None


def _fetch(url: str, what: str) -> str:
    """A document of a register over HTTP(S)."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise CannotCheckError(f"--register must be an http:// or https:// URL, got {url!r}")
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310 (the scheme is checked above)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (the same)
            body: bytes = response.read()
    except urllib.error.HTTPError as exc:
        detail = _detail(exc.read())
        raise CannotCheckError(f"{url} answered {exc.code} for {what}{detail}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise CannotCheckError(f"cannot reach {url} for {what}: {exc}") from None
    return body.decode("utf-8", errors="replace")


def _detail(body: bytes) -> str:
    try:
        problem: Any = read_json(body)
    except StatementFormatError:
        return ""
    detail = problem.get("detail") if isinstance(problem, dict) else None
    return f": {detail}" if detail else ""


def _says(content: dict[str, Any]) -> str:
    """What a valid statement says, in one line."""
    organisation = content.get("organisation") or {}
    answer = content.get("answer") or {}
    who = f"{organisation.get('name')} (KvK {answer.get('kvk')})"
    said = f"the register said at {content.get('issued_at')} of {who}"
    if content.get("kind") == "coverage":
        period = f"{answer.get('from')} to {answer.get('to')} at {answer.get('min_level')}"
        gaps = len(answer.get("gaps") or [])
        verdict = "covered" if answer.get("covered") else f"not covered ({gaps} gap"
        verdict += "" if answer.get("covered") else ("s)" if gaps != 1 else ")")
        return f"{said}: {verdict} from {period}"
    return f"{said}, on {answer.get('on')}: {answer.get('explanation')}"
