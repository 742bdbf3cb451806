"""Databases for the tests: a fresh SQLite file and a fresh PostgreSQL database per run.

In CI (``CI=true``) a missing PostgreSQL fails the run; elsewhere its tests are skipped.
"""

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from hotline.app import create_app
from hotline.db import create_schema, make_engine
from hotline.settings import Settings
from tests.required import unavailable
from tickets.accounts.models import User
from tickets.accounts.passwords import hash_password
from tickets.accounts.schemas import UnitIn
from tickets.accounts.service import create_unit
from tickets.accounts.tokens import TokenSigner
from tickets.calendar.workdays import WorkingCalendar
from tickets.enums import Role
from tickets.policy.registry import get_policy
from tickets.principal import Principal
from tickets.runtime import Runtime

POSTGRES_ADMIN_URL = os.environ.get(
    "HOTLINE_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A throw-away PostgreSQL database; its async URL."""
    import asyncio

    import asyncpg

    admin = POSTGRES_ADMIN_URL.replace("postgresql+asyncpg://", "postgresql://")
    name = f"hotline_test_{uuid.uuid4().hex[:10]}"

    async def run(sql: str) -> None:
        conn = await asyncpg.connect(admin, timeout=5)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    try:
        asyncio.run(run(f'CREATE DATABASE "{name}"'))
    except (OSError, asyncpg.PostgresError) as exc:
        unavailable(f"PostgreSQL not reachable: {exc}")
    base, _, _ = POSTGRES_ADMIN_URL.rpartition("/")
    yield f"{base}/{name}"
    asyncio.run(run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(
    scope="session",
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The URL of an empty database of each kind the platform supports."""
    if request.param == "sqlite":
        path: Path = tmp_path_factory.mktemp("db") / "hotline.db"
        return f"sqlite+aiosqlite:///{path}"
    url: str = request.getfixturevalue("postgres_database")
    return url


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on a database whose schema is at the newest migration."""
    engine = make_engine(database_url)
    await create_schema(engine)
    yield engine
    await engine.dispose()


@pytest.fixture
async def session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """A session on emptied tables."""
    await empty_tables(engine)
    async with async_sessionmaker(engine, expire_on_commit=False)() as session:
        yield session


async def empty_tables(engine: AsyncEngine) -> None:
    """Delete every row of every table, children first."""
    from hotline.schema import all_tables

    async with engine.begin() as conn:
        for table in reversed(all_tables()):
            await conn.execute(table.delete())



class FakeClock:
    """A clock the test sets; aware, Beijing time."""

    def __init__(self, start: str = "2026-03-02T10:00:00+08:00") -> None:
        self.now = datetime.fromisoformat(start)

    def __call__(self) -> datetime:
        return self.now

    def set(self, moment: str) -> None:
        self.now = datetime.fromisoformat(moment)

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@dataclass
class Api:
    """An HTTP client on the app plus logged-in tokens per role and the test units."""

    client: httpx.AsyncClient
    app: FastAPI
    runtime: Runtime
    clock: FakeClock
    tokens: dict[str, str]
    units: dict[str, int]

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    async def call(self, method: str, path: str, who: str = "admin",
                   **kwargs: object) -> httpx.Response:
        return await self.client.request(method, path, headers=self.auth(who), **kwargs)  # type: ignore[arg-type]


PASSWORD_HASH = hash_password("password")
USERS = {
    "admin": ("admin", None), "agent": ("agent", None), "reviewer": ("reviewer", None),
    "supervisor": ("supervisor", None), "water": ("unit_handler", "water"),
    "roads": ("unit_handler", "roads"),
}


@pytest.fixture
async def api(engine: AsyncEngine, clock: FakeClock) -> AsyncIterator[Api]:
    """The real app on the test database, with units and one user per role."""
    await empty_tables(engine)
    runtime = Runtime(
        sessionmaker=async_sessionmaker(engine, expire_on_commit=False),
        policy=get_policy("tonghua"),
        tokens=TokenSigner(b"test-secret", ttl=timedelta(days=365)),
        calendar=WorkingCalendar(), clock=clock,
    )
    app = create_app(Settings(policy="tonghua", max_body_bytes=65536), runtime=runtime)
    async with runtime.sessionmaker() as session:
        units = {}
        for code, name, area in (("water", "市水务集团", ["东昌区"]),
                                 ("roads", "市城市管理局", ["二道江区"])):
            unit = await create_unit(session, UnitIn(code=code, name=name, territory=area,
                                                     contact_phone="04353333333"), clock())
            units[code] = unit.id
        principals = {}
        for username, (role, unit_code) in USERS.items():
            user = User(username=username, role=role, password_hash=PASSWORD_HASH,
                        unit_id=units[unit_code] if unit_code else None, created_at=clock())
            session.add(user)
            await session.flush()
            principals[username] = Principal(user.id, username, Role(role), user.unit_id)
        await session.commit()
    tokens = {name: runtime.tokens.issue(p, clock())[0] for name, p in principals.items()}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield Api(client, app, runtime, clock, tokens, units)
