"""What every subcommand shares: settings, a session, and error output."""

import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import wraps
from typing import Any, ParamSpec, TypeVar

import typer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hotline.db import make_engine
from hotline.settings import Settings, load_settings
from tickets.errors import DomainError

P = ParamSpec("P")
R = TypeVar("R")


def settings() -> Settings:
    """The settings of this invocation."""
    return load_settings()


@asynccontextmanager
async def open_session(config: Settings) -> AsyncIterator[AsyncSession]:
    """A session on the configured database, disposed of afterwards."""
    engine = make_engine(config.effective_database_url)
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as session:
            yield session
    finally:
        await engine.dispose()


def domain_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Print a domain error as ``error_id: message`` (JSON with --json) and exit 2."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except DomainError as exc:
            if kwargs.get("as_json"):
                typer.echo(json.dumps({"error_id": exc.error_id, "message": exc.message,
                                       "details": exc.details}, ensure_ascii=False))
            else:
                typer.echo(f"error: {exc.error_id}: {exc.message}", err=True)
            raise typer.Exit(2) from exc

    return wrapper


def print_json(data: Any) -> None:
    """Chinese stays Chinese."""
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
