"""Engines and schema: SQLite embedded by default, PostgreSQL when the URL says so."""

import asyncio
import logging
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine.interfaces import DBAPIConnection, Dialect
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry

from hotline.storage import DatabaseUnreachable


def async_url(url: str) -> str:
    """Give a plain database URL the asyncio driver the platform uses."""
    for plain, driver in (
        ("postgresql://", "postgresql+asyncpg://"),
        ("postgres://", "postgresql+asyncpg://"),
        ("postgresql+psycopg://", "postgresql+asyncpg://"),
        ("sqlite://", "sqlite+aiosqlite://"),
    ):
        if url.startswith(plain):
            return driver + url[len(plain):]
    return url


def make_engine(url: str, **options: Any) -> AsyncEngine:
    """An engine for ``url``; SQLite gets WAL, foreign keys and a busy timeout.

    No engine ever puts bound parameters into its errors or logs: they are the citizens'
    names, phone numbers and addresses.
    """
    url = async_url(url)
    options.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        # aiosqlite logs every statement with its values at DEBUG: never let it
        logging.getLogger("aiosqlite").setLevel(logging.INFO)
        options["connect_args"] = {"timeout": 30, **options.get("connect_args", {})}
        engine = create_async_engine(url, **options)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    options.setdefault("pool_size", 10)
    options.setdefault("max_overflow", 10)
    options.setdefault("pool_pre_ping", True)
    engine = create_async_engine(url, **options)
    event.listen(engine.sync_engine, "do_connect", _connect_or_unreachable)
    return engine


def _connect_or_unreachable(dialect: Dialect, _record: ConnectionPoolEntry,
                            cargs: list[Any], cparams: dict[str, Any]) -> DBAPIConnection:
    """Connect; a refused or unroutable server becomes :class:`DatabaseUnreachable`.

    The driver raises a bare ``OSError`` there, which SQLAlchemy passes on unwrapped and
    nothing would tell from any other ``OSError``.
    """
    try:
        return dialect.connect(*cargs, **cparams)
    except OSError as exc:  # ConnectionRefusedError, socket.gaierror, TimeoutError
        where = f"{cparams.get('host', '?')}:{cparams.get('port', '?')}"
        raise DatabaseUnreachable(f"cannot connect to {where}: {exc}") from exc


def _sqlite_pragmas(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


async def create_schema(engine: AsyncEngine) -> None:
    """Bring the database to the newest schema through the migrations.

    Alembic's environment runs its own event loop, so it runs in a thread here.
    """
    from hotline.migrate import upgrade

    await asyncio.to_thread(upgrade, engine.url.render_as_string(hide_password=False))
