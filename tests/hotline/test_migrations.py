"""The migrations go up and down on SQLite and PostgreSQL and match the models."""

import asyncio

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from hotline import migrate
from hotline.db import make_engine
from hotline.schema import METADATA, all_tables


async def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    async with engine.connect() as conn:
        names = await conn.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    await engine.dispose()
    return names - {"alembic_version"}


async def _diff(url: str) -> list[object]:
    def compare(sync: Connection) -> list[object]:
        return list(compare_metadata(MigrationContext.configure(sync), list(METADATA)))

    engine = make_engine(url)
    async with engine.connect() as conn:
        diff = await conn.run_sync(compare)
    await engine.dispose()
    return diff


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                   ) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('mig') / 'm.db'}"
    url: str = request.getfixturevalue("postgres_migration_database")
    return url


@pytest.fixture
def postgres_migration_database(postgres_database: str) -> str:
    """The session's throw-away PostgreSQL database is shared: migrate a fresh one instead."""
    import asyncpg

    base, _, name = postgres_database.rpartition("/")
    fresh = f"{name}_mig"
    admin = postgres_database.replace("postgresql+asyncpg://", "postgresql://")

    async def run(sql: str) -> None:
        conn = await asyncpg.connect(admin)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(run(f'DROP DATABASE IF EXISTS "{fresh}"'))
    asyncio.run(run(f'CREATE DATABASE "{fresh}"'))
    return f"{base}/{fresh}"


async def test_upgrade_creates_every_table_and_matches_the_models(empty_database: str) -> None:
    await asyncio.to_thread(migrate.upgrade, empty_database)
    assert await _tables(empty_database) == {t.name for t in all_tables()}
    assert await _diff(empty_database) == []


async def test_downgrade_removes_everything_and_upgrade_works_again(empty_database: str) -> None:
    await asyncio.to_thread(migrate.upgrade, empty_database)
    await asyncio.to_thread(migrate.downgrade, empty_database, "base")
    assert await _tables(empty_database) == set()
    await asyncio.to_thread(migrate.upgrade, empty_database)
    assert await _tables(empty_database) == {t.name for t in all_tables()}
