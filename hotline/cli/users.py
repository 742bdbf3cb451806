"""``hotline users``: create, list, disable, enable users and reset passwords, for scripts.

A change made here reaches running platform nodes within seconds (their token cache).
"""

import asyncio
import secrets
from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

import typer
from pydantic import BaseModel, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from hotline.cli.common import domain_errors, open_session, print_json, settings
from hotline.private import write_secret
from hotline.settings import Settings
from kernel.clock import now
from tickets.accounts.models import User
from tickets.accounts.passwords import PasswordHasher
from tickets.accounts.schemas import PasswordIn, UserIn, UserOut
from tickets.accounts.service import (
    create_user,
    has_admin,
    list_users,
    reset_password,
    set_active,
    user_named,
)
from tickets.enums import Role
from tickets.errors import InvalidValue
from tickets.principal import SYSTEM, Principal

app = typer.Typer(help="Platform users.", no_args_is_help=True)
M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")
CLI = Principal(user_id=None, username="cli", role=SYSTEM.role)  # who acts, in the audit log


def validated(model: type[M], **fields: object) -> M:
    """``model`` from ``fields``, or one :class:`InvalidValue` naming each bad field."""
    try:
        return model.model_validate(fields)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
                             for e in exc.errors())
        raise InvalidValue(problems, fields=[str(e["loc"][0]) for e in exc.errors()]) from None


def in_session(work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run ``work`` on a session of the configured database."""

    async def run() -> T:
        async with open_session(settings()) as session:
            return await work(session)

    return asyncio.run(run())


@app.command()
@domain_errors
def create(
    username: str, role: Annotated[Role, typer.Option()],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True,
                                          confirmation_prompt=True)],
    unit_id: Annotated[int | None, typer.Option()] = None,
) -> None:
    """Create a user with a role."""
    data = validated(UserIn, username=username, password=password, role=role, unit_id=unit_id)
    in_session(lambda session: create_user(session, PasswordHasher(), data, now()))
    typer.echo(f"user {username} created ({role.value})")


@app.command("list")
@domain_errors
def list_(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Every user: name, role, unit, whether active."""
    users = [UserOut.model_validate(user) for user in in_session(list_users)]
    if as_json:
        print_json([user.model_dump(mode="json") for user in users])
        return
    for user in users:
        state = "active" if user.active else "disabled"
        unit = f" unit {user.unit_id}" if user.unit_id is not None else ""
        typer.echo(f"{user.username}\t{user.role.value}{unit}\t{state}\t{user.display_name}")


@app.command()
@domain_errors
def disable(username: str) -> None:
    """Disable a user: no login, and its tokens stop working."""
    _set_active(username, False)
    typer.echo(f"user {username} disabled")


@app.command()
@domain_errors
def enable(username: str) -> None:
    """Enable a disabled user again."""
    _set_active(username, True)
    typer.echo(f"user {username} enabled")


@app.command("reset-password")
@domain_errors
def reset_password_(
    username: str,
    password: Annotated[str | None, typer.Option(
        help="the new password; without it one is generated and printed")] = None,
) -> None:
    """Set a user's password (its tokens stop working, a login lock-out is lifted)."""
    new = validated(PasswordIn, password=password or secrets.token_urlsafe(12)).password

    async def work(session: AsyncSession) -> User:
        user = await user_named(session, username)
        return await reset_password(session, PasswordHasher(), user.id, new, CLI, now())

    in_session(work)
    typer.echo(f"password of {username} reset" + ("" if password else f": {new}"))


def _set_active(username: str, active: bool) -> None:
    async def work(session: AsyncSession) -> User:
        user = await user_named(session, username)
        return await set_active(session, user.id, active, CLI, now())

    in_session(work)


async def bootstrap_admin(config: Settings) -> str | None:
    """On first run, create ``admin`` with a generated password; return it, else None."""
    async with open_session(config) as session:
        if await has_admin(session):
            return None
        password = secrets.token_urlsafe(12)
        await create_user(session, PasswordHasher(workers=1), UserIn(
            username="admin", password=password, role=Role.ADMIN), now())
    write_secret(config.ensure_data_dir() / "initial-admin-password", password + "\n")
    return password
