"""The running scheduler: only the lease holder runs jobs, another node takes over when it
stops, and the jobs (with their next run times) survive a restart in the database."""

import asyncio
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from hotline.scheduler.models import JOBS_TABLE, apscheduler_jobs
from hotline.scheduler.running import JOBS, scheduler_running, store_engine, sync_url
from hotline.settings import Settings
from kernel.clock import BEIJING
from tests.conftest import FakeClock
from tests.waiting import wait_for
from tickets.accounts.tokens import TokenSigner
from tickets.policy.registry import get_policy
from tickets.runtime import Runtime

Maker = async_sessionmaker[AsyncSession]


@pytest.fixture
def maker(engine: AsyncEngine, session: AsyncSession) -> Maker:
    return async_sessionmaker(engine, expire_on_commit=False)


def settings_for(engine: AsyncEngine, data: Path) -> Settings:
    return Settings(database_url=engine.url.render_as_string(hide_password=False),
                    data_dir=data, scheduler_lease_seconds=0.6, revisit_dial_seconds=0.1)


def runtime_for(maker: Maker, clock: FakeClock) -> Runtime:
    return Runtime(sessionmaker=maker, policy=get_policy("tonghua"),
                   tokens=TokenSigner(b"k", timedelta(hours=1)), clock=clock)


async def stored_jobs(maker: Maker) -> dict[str, float | None]:
    async with maker() as session:
        rows = await session.execute(select(apscheduler_jobs.c.id,
                                            apscheduler_jobs.c.next_run_time))
        return {ident: when for ident, when in rows.all()}


def replan(settings: Settings, job_id: str, when: datetime) -> None:
    """Move a stored job's next run, as the store itself keeps it (column and pickled state)."""
    engine = store_engine(settings.effective_database_url)
    store = SQLAlchemyJobStore(engine=engine, tablename=JOBS_TABLE)
    job = store.lookup_job(job_id)
    job.next_run_time = when  # aware already: no scheduler needed to convert it
    store.update_job(job)
    engine.dispose()


def test_the_job_store_url_uses_the_installed_sync_drivers() -> None:
    assert sync_url("sqlite+aiosqlite:////x/h.db") == "sqlite:////x/h.db"
    assert sync_url("postgresql+asyncpg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert sync_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"


async def test_only_the_lease_holder_runs_jobs_and_another_takes_over_when_it_stops(
        maker: Maker, engine: AsyncEngine, clock: FakeClock, tmp_path: Path) -> None:
    settings = settings_for(engine, tmp_path)
    runtime = runtime_for(maker, clock)
    async with scheduler_running(settings, maker, runtime, None, node="node-b") as b:
        async with scheduler_running(settings, maker, runtime, None, node="node-a") as a:
            holder, other = (a, b) if a.holding.is_set() else (b, a)
            assert holder.holding.is_set() and not other.holding.is_set()
            await wait_for(lambda: holder.context.runs["dial_outbound"] >= 3, "holder's jobs")
            assert not other.context.runs  # the follower ran nothing
        if holder is a:  # the holder stopped and released: the other takes over at once
            await wait_for(b.holding.is_set, "node-b took over", within=5)
            await wait_for(lambda: b.context.runs["dial_outbound"] >= 1, "node-b's jobs")


async def test_jobs_persist_and_a_run_missed_while_stopped_happens_after_the_restart(
        maker: Maker, engine: AsyncEngine, clock: FakeClock, tmp_path: Path) -> None:
    settings = settings_for(engine, tmp_path)
    runtime = runtime_for(maker, clock)
    async with scheduler_running(settings, maker, runtime, None, node="first") as node:
        assert node.holding.is_set()
    stored = await stored_jobs(maker)
    assert set(stored) == {spec.id for spec in JOBS}
    missed = datetime.now(BEIJING) - timedelta(days=3)  # the 1st of the month went by
    await asyncio.to_thread(replan, settings, "monthly-bulletin", missed)
    kept = (await stored_jobs(maker))["holiday-check"]
    async with scheduler_running(settings, maker, runtime, None, node="second") as node:
        await wait_for(lambda: node.context.runs["monthly_bulletin"] == 1, "the missed run")
        assert (await stored_jobs(maker))["holiday-check"] == kept  # not re-planned
    assert (tmp_path / "bulletins" / "bulletin-2026-02.csv").is_file()
