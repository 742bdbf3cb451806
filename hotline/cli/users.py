"""``hotline users``: create users from the command line (the first administrator)."""

import asyncio
import secrets
from typing import Annotated

import typer

from hotline.cli.common import domain_errors, open_session, settings
from hotline.private import write_secret
from hotline.settings import Settings
from tickets.accounts.schemas import UserIn
from tickets.accounts.service import create_user, has_admin
from tickets.enums import Role
from tickets.timeutil import now

app = typer.Typer(help="Platform users.", no_args_is_help=True)


@app.command()
@domain_errors
def create(
    username: str, role: Annotated[Role, typer.Option()],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True,
                                          confirmation_prompt=True)],
    unit_id: Annotated[int | None, typer.Option()] = None,
) -> None:
    """Create a user with a role."""

    async def run() -> None:
        async with open_session(settings()) as session:
            await create_user(session, UserIn(username=username, password=password, role=role,
                                              unit_id=unit_id), now())

    asyncio.run(run())
    typer.echo(f"user {username} created ({role.value})")


async def bootstrap_admin(config: Settings) -> str | None:
    """On first run, create ``admin`` with a generated password; return it, else None."""
    async with open_session(config) as session:
        if await has_admin(session):
            return None
        password = secrets.token_urlsafe(12)
        await create_user(session, UserIn(username="admin", password=password,
                                          role=Role.ADMIN), now())
    write_secret(config.ensure_data_dir() / "initial-admin-password", password + "\n")
    return password
