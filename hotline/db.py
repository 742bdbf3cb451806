"""Engines and schema: SQLite embedded by default, PostgreSQL when the URL says so."""

import asyncio
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry


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
    """An engine for ``url``; SQLite gets WAL, foreign keys and a busy timeout."""
    url = async_url(url)
    if url.startswith("sqlite"):
        engine = create_async_engine(url, connect_args={"timeout": 30}, **options)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    options.setdefault("pool_size", 10)
    options.setdefault("max_overflow", 10)
    options.setdefault("pool_pre_ping", True)
    return create_async_engine(url, **options)


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
