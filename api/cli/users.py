"""``pso users``: create, list and revoke staff and CI users of the staff API, and set the
password they sign in to the back office with."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable
from typing import Annotated, Any

import typer

from api.cli.common import BAD_INPUT, emit
from api.passwords import MIN_LENGTH, check_password
from api.settings import Settings
from api.storage import Database
from api.users import Users, token_lifetime
from domain.errors import DomainError

users_app = typer.Typer(help="Users of the staff API and their bearer tokens.")


def _with_users(action: Callable[[Users], Any]) -> None:
    database = Database.parse(Settings.from_env().database_url)
    engine, reader = database.engine(writer=True), database.engine()
    try:
        emit(action(Users(engine, reader)))
    except DomainError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(BAD_INPUT) from None
    finally:
        engine.dispose()
        reader.dispose()


@users_app.command("create")
def create(
    name: Annotated[str, typer.Option(help="Unique user name.")],
    role: Annotated[str, typer.Option(help="admin, staff or auditor.")],
    ci: Annotated[str | None, typer.Option(help="The auditor's certifying institution.")] = None,
    expires: Annotated[
        str,
        typer.Option(help="How long the token is valid: days or hours (90d, 12h; at most 730d)."),
    ] = "90d",
) -> None:
    """Create a user and print its token once (only a hash is stored), valid for 90 days
    unless --expires says otherwise."""

    def action(users: Users) -> dict[str, str | None]:
        token = users.create(name, role, ci, token_lifetime(expires))
        listed = next(u for u in users.listing() if u["name"] == name)
        expires_at = str(listed["expires_at"])
        return {"name": name, "role": role, "ci": ci, "token": token, "expires_at": expires_at}

    _with_users(action)


@users_app.command("revoke")
def revoke(name: str) -> None:
    """Revoke a user's token."""

    def action(users: Users) -> dict[str, str]:
        users.revoke(name)
        return {"revoked": name}

    _with_users(action)


@users_app.command("list")
def listing() -> None:
    """Every user (without tokens)."""
    _with_users(lambda u: u.listing())


@users_app.command("password")
def password(name: str) -> None:
    """Set the password NAME signs in to the back office with (/beheer): read from standard
    input when it is not a terminal (its first line), else asked twice without echo; at least
    12 characters."""
    try:
        new = _new_password()
    except DomainError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(BAD_INPUT) from None

    def action(users: Users) -> dict[str, str]:
        users.set_password(name, new)
        return {"password_set": name}

    _with_users(action)


def _new_password() -> str:
    """The new password: stdin's first line when piped, else typed twice at the terminal."""
    if not sys.stdin.isatty():
        new = sys.stdin.readline().rstrip("\r\n")
        check_password(new)
        return new
    new = getpass.getpass(f"New password (at least {MIN_LENGTH} characters): ")
    check_password(new)
    if getpass.getpass("Same password again: ") != new:
        typer.echo("error: the two passwords differ; nothing changed", err=True)
        raise typer.Exit(BAD_INPUT)
    return new
