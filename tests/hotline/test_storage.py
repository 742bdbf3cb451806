"""A database that cannot write answers 503 storage-unavailable, and /health says so.

Read-only is real on both databases: SQLite opened through a read-only URI (root cannot
write through it either), PostgreSQL with ``default_transaction_read_only`` set for the
connection as a read-only role or a standby would have it. Each test first proves a write
really fails.
"""

import logging
import pwd
import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from hotline.app import create_app
from hotline.db import create_schema, make_engine
from hotline.health import StorageWatch
from hotline.settings import Settings
from tests.conftest import PASSWORD_HASH, Api, FakeClock
from tests.hotline.tmpfs import fill, tmpfs
from tests.required import unavailable
from tests.tickets.workflow.test_lifecycle_api import COMPLAINT, create
from tickets.accounts.models import User
from tickets.accounts.tokens import TokenSigner
from tickets.calendar.workdays import WorkingCalendar
from tickets.enums import Role
from tickets.policy.registry import get_policy
from tickets.principal import Principal
from tickets.runtime import Runtime

PHONE = COMPLAINT["requester"]["phone"]  # type: ignore[index]


@dataclass
class Served:
    """An app on an engine of the test's choosing, with tokens it accepts."""

    client: httpx.AsyncClient
    app: FastAPI
    tokens: dict[str, str]

    async def call(self, method: str, path: str, who: str = "admin",
                   **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.tokens[who]}"}
        return await self.client.request(method, path, headers=headers, **kwargs)


@asynccontextmanager
async def serve_on(engine: AsyncEngine, tokens: TokenSigner, issued: dict[str, str],
                   clock: FakeClock) -> AsyncIterator[Served]:
    runtime = Runtime(sessionmaker=async_sessionmaker(engine, expire_on_commit=False),
                      policy=get_policy("tonghua"), tokens=tokens,
                      calendar=WorkingCalendar(), clock=clock)
    app = create_app(Settings(policy="tonghua"), runtime=runtime)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield Served(client, app, issued)
    await engine.dispose()


def read_only_engine(database_url: str) -> AsyncEngine:
    """An engine on the test database that the database itself refuses to write through."""
    if database_url.startswith("sqlite"):
        path = database_url.split(":///", 1)[1]
        return make_engine(f"sqlite+aiosqlite:///file:{path}?mode=ro&uri=true")
    return make_engine(database_url, connect_args={
        "server_settings": {"default_transaction_read_only": "on"}})


@pytest.fixture
async def read_only(api: Api, database_url: str) -> AsyncIterator[Served]:
    engine = read_only_engine(database_url)
    with pytest.raises(DBAPIError):  # the database really refuses a write
        async with engine.begin() as conn:
            await conn.execute(text("UPDATE units SET name = name"))
    async with serve_on(engine, api.runtime.tokens, api.tokens, api.clock) as served:
        yield served


def assert_nothing_personal_or_sql(*texts: str) -> None:
    for shown in texts:
        for secret in (PHONE, "张三", "新华街1号", "INSERT", "UPDATE", "[SQL", "parameters"):
            assert secret not in shown, (secret, shown)


async def test_a_write_on_a_read_only_database_is_503_storage_unavailable(
    read_only: Served, caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    response = await read_only.call("POST", "/tickets", "agent", json=COMPLAINT)
    assert response.status_code == 503, response.text
    body = response.json()
    assert body["error_id"] == "storage-unavailable"
    assert body["details"]["reason"] == "read-only"
    assert response.headers["retry-after"] == "30"
    assert_nothing_personal_or_sql(response.text, caplog.text)
    assert "storage unavailable (read-only" in caplog.text  # and a line says what happened


async def test_reading_personal_data_on_a_read_only_database_is_503_not_500(
    api: Api, read_only: Served,
) -> None:
    number = (await create(api))["number"]  # written while the database could
    response = await read_only.call("GET", f"/tickets/{number}", "supervisor")
    # its read must be audited, and the audit row cannot be written: refused, not shown
    assert response.status_code == 503, response.text
    assert response.json()["error_id"] == "storage-unavailable"
    listing = await read_only.call("GET", "/tickets", "supervisor")  # nothing to audit
    assert listing.status_code == 200
    assert [t["number"] for t in listing.json()["items"]] == [number]


async def test_health_reports_the_database(api: Api, read_only: Served) -> None:
    healthy = await api.client.get("/health")
    assert healthy.status_code == 200
    assert healthy.json()["status"] == "ok" and healthy.json()["database"]["state"] == "ok"
    degraded = await read_only.client.get("/health")
    assert degraded.status_code == 503
    assert degraded.json()["status"] == "degraded"
    assert degraded.json()["database"]["state"] == "read-only"


@pytest.fixture(params=["sqlite", "postgresql"])
async def unreachable(request: pytest.FixtureRequest, tmp_path: Path, clock: FakeClock,
                      ) -> AsyncIterator[Served]:
    """An app whose database cannot be reached: a missing folder, a closed port."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path}/gone/hotline.db"
    else:
        url = "postgresql+asyncpg://postgres@127.0.0.1:1/test"  # nothing listens on port 1
    signer = TokenSigner(b"test-secret", ttl=timedelta(days=1))
    token, _ = signer.issue(Principal(1, "supervisor", Role.SUPERVISOR, None), clock())
    async with serve_on(make_engine(url), signer, {"supervisor": token}, clock) as served:
        yield served


async def test_an_unreachable_database_is_503_everywhere_and_health_says_so(
    unreachable: Served, caplog: pytest.LogCaptureFixture,
) -> None:
    login = await unreachable.client.post("/auth/login",
                                          json={"username": "admin", "password": "password"})
    assert login.status_code == 503, login.text
    assert login.json()["details"]["reason"] == "unreachable"
    listing = await unreachable.call("GET", "/tickets", "supervisor")
    assert listing.status_code == 503 and listing.json()["error_id"] == "storage-unavailable"
    health = await unreachable.client.get("/health")
    assert health.status_code == 503
    assert health.json()["database"]["state"] == "unreachable"
    assert "Traceback" not in caplog.text


async def test_a_full_disk_is_503_and_health_remembers_the_refused_write(
    tmp_path: Path, clock: FakeClock, caplog: pytest.LogCaptureFixture,
) -> None:
    with tmpfs(tmp_path / "disk", "4m") as disk:
        url = f"sqlite+aiosqlite:///{disk}/hotline.db"
        engine = make_engine(url)
        await create_schema(engine)
        async with async_sessionmaker(engine, expire_on_commit=False)() as session:
            agent = User(username="agent", role="agent", password_hash=PASSWORD_HASH,
                         created_at=clock())
            session.add(agent)
            await session.commit()
            principal = Principal(agent.id, "agent", Role.AGENT, None)
        await engine.dispose()
        signer = TokenSigner(b"test-secret", ttl=timedelta(days=1))
        tokens = {"agent": signer.issue(principal, clock())[0]}
        filler = fill(disk)
        async with serve_on(make_engine(url), signer, tokens, clock) as served:
            response = await served.call("POST", "/tickets", "agent", json=COMPLAINT)
            assert response.status_code == 503, response.text
            reason = response.json()["details"]["reason"]
            assert reason == "disk-full"  # the file system says why SQLite could not write
            health = await served.client.get("/health")
            assert health.status_code == 503
            assert health.json()["database"]["state"] == "disk-full"
            filler.unlink()  # room again, but the last write was refused a moment ago
            health = (await served.client.get("/health")).json()
            assert health["status"] == "degraded"
            assert health["database"]["last_refused_write"]["reason"] == reason
        assert_nothing_personal_or_sql(response.text, caplog.text)


async def admin_sql(url: str, sql: str) -> object:
    conn = await asyncpg.connect(url.replace("+asyncpg", ""), timeout=5)
    try:
        return await conn.fetchval(sql)
    finally:
        await conn.close()


def on_this_machine(data_directory: str) -> bool:
    """Whether the server's data directory is here (a tablespace path must be its too)."""
    return Path(data_directory, "PG_VERSION").is_file()


@pytest.mark.postgres
async def test_a_full_disk_under_postgresql_is_503_and_health_remembers_it(
    postgres_database: str, clock: FakeClock, caplog: pytest.LogCaptureFixture,
) -> None:
    """A database in a tablespace on a small tmpfs, filled: PostgreSQL's own disk full.

    No query can see a full disk beforehand; /health learns it from the write refused.
    """
    data_directory = str(await admin_sql(postgres_database, "SHOW data_directory"))
    if not on_this_machine(data_directory):
        unavailable("PostgreSQL runs on another machine: its disk cannot be filled from here")
    name = f"hotline_full_{uuid.uuid4().hex[:8]}"
    space = Path(tempfile.gettempdir()) / name  # outside pytest's 0700 folders
    with tmpfs(space, "32m", owner=pwd.getpwnam("postgres").pw_uid):
        await admin_sql(postgres_database, f"CREATE TABLESPACE {name} LOCATION '{space}'")
        url = f"{postgres_database.rpartition('/')[0]}/{name}"
        try:
            await admin_sql(postgres_database, f'CREATE DATABASE "{name}" TABLESPACE {name}')
            engine = make_engine(url)
            await create_schema(engine)
            async with async_sessionmaker(engine, expire_on_commit=False)() as session:
                agent = User(username="agent", role="agent", password_hash=PASSWORD_HASH,
                             created_at=clock())
                session.add(agent)
                await session.commit()
            await engine.dispose()
            signer = TokenSigner(b"test-secret", ttl=timedelta(days=1))
            tokens = {"agent": signer.issue(Principal(agent.id, "agent", Role.AGENT, None),
                                            clock())[0]}
            fill(space)
            async with serve_on(make_engine(url), signer, tokens, clock) as served:
                response = await served.call("POST", "/tickets", "agent", json=COMPLAINT)
                assert response.status_code == 503, response.text
                assert response.json()["details"] == {"reason": "disk-full",
                                                      "database": "postgresql"}
                health = await served.client.get("/health")
                assert health.status_code == 503
                database = health.json()["database"]
                assert database["state"] == "disk-full"
                assert database["last_refused_write"]["reason"] == "disk-full"
        finally:
            await admin_sql(postgres_database, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await admin_sql(postgres_database, f"DROP TABLESPACE IF EXISTS {name}")
    assert_nothing_personal_or_sql(response.text, caplog.text)


def test_health_forgets_a_refused_write_after_a_while() -> None:
    now = [100.0]
    watch = StorageWatch(clock=lambda: now[0], remember_seconds=60)
    watch.failed("disk-full")
    now[0] += 59
    assert watch.recent() == {"reason": "disk-full", "seconds_ago": 59.0}
    now[0] += 1
    assert watch.recent() is None
