"""The running scheduler: APScheduler with its job store on the platform database, started on
this node only while it holds the lease, stopped the moment it does not."""

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine, create_engine
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hotline.scheduler import jobs
from hotline.scheduler.lease import Lease
from hotline.scheduler.models import JOBS_TABLE
from hotline.scheduler.offloop import OffLoopScheduler
from hotline.scheduler.webhook import Post, post_json
from hotline.settings import Settings
from kernel.clock import BEIJING
from kernel.clock import now as beijing_now
from telephony.outbound.service import OutboundDialer
from tickets.runtime import Runtime

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobSpec:
    """One job: its id in the store, the function it names, when it runs."""

    id: str
    func: str
    trigger: Callable[[Settings], BaseTrigger]
    misfire_grace: int | None  # None: a run missed while no node held the lease runs late


def _every(seconds: float) -> Callable[[Settings], BaseTrigger]:
    return lambda _: IntervalTrigger(seconds=seconds, timezone=BEIJING)


def _cron(**fields: Any) -> Callable[[Settings], BaseTrigger]:
    return lambda _: CronTrigger(timezone=BEIJING, **fields)


_J = "hotline.scheduler.jobs:"
JOBS: tuple[JobSpec, ...] = (
    JobSpec("revisits-schedule", _J + "schedule_revisits", _every(30), 30),
    JobSpec("outbound-dial", _J + "dial_outbound",
            lambda s: IntervalTrigger(seconds=s.revisit_dial_seconds, timezone=BEIJING), 10),
    JobSpec("revisit-handovers", _J + "send_handovers", _every(30), 30),
    JobSpec("supervision-ladder", _J + "supervise_overdue", _every(600), 600),
    JobSpec("due-soon-reminders", _J + "remind_due_soon", _cron(hour=8, minute=30), None),
    JobSpec("knowledge-review", _J + "review_knowledge", _cron(hour=8, minute=0), None),
    JobSpec("monthly-bulletin", _J + "monthly_bulletin", _cron(day=1, hour=6), None),
    JobSpec("recording-purge", _J + "purge_recordings", _cron(hour=3, minute=30), None),
    JobSpec("holiday-check", _J + "check_next_year_holidays", _cron(month=12, hour=9), None),
)


def sync_url(url: str) -> str:
    """The job store's synchronous URL for the platform's asyncio one."""
    for asynchronous, synchronous in (("sqlite+aiosqlite://", "sqlite://"),
                                      ("postgresql+asyncpg://", "postgresql+psycopg://"),
                                      ("postgres://", "postgresql+psycopg://"),
                                      ("postgresql://", "postgresql+psycopg://")):
        if url.startswith(asynchronous):
            return synchronous + url[len(asynchronous):]
    return url


def store_engine(url: str) -> Engine:
    """A small synchronous engine for APScheduler's job store (parameters kept out of logs)."""
    sync = sync_url(url)
    if sync.startswith("sqlite"):
        return create_engine(sync, connect_args={"timeout": 30}, hide_parameters=True)
    return create_engine(sync, pool_size=2, max_overflow=2, pool_pre_ping=True,
                         hide_parameters=True)


def ensure_jobs(scheduler: OffLoopScheduler, settings: Settings,
                specs: tuple[JobSpec, ...] = JOBS) -> list[str]:
    """Add missing or changed jobs; stored ones keep their next run (a missed run happens)."""
    changed = []
    wanted = {spec.id for spec in specs}
    for stored in scheduler.get_jobs():
        if stored.id not in wanted:
            scheduler.remove_job(stored.id)
            log.info("scheduler: job %s is no longer defined: removed", stored.id)
    for spec in specs:
        trigger = spec.trigger(settings)
        stored = scheduler.get_job(spec.id)
        if stored is not None and stored.func_ref == spec.func \
                and str(stored.trigger) == str(trigger):
            continue
        scheduler.add_job(spec.func, trigger, id=spec.id, name=spec.id, replace_existing=True,
                          coalesce=True, max_instances=1, misfire_grace_time=spec.misfire_grace)
        changed.append(spec.id)
    return changed


class SchedulerNode:
    """This node's scheduler: follows the lease, runs APScheduler only while holding it."""

    def __init__(self, settings: Settings, sessionmaker: async_sessionmaker[AsyncSession],
                 runtime: Runtime, dialer: OutboundDialer | None, *, node: str | None = None,
                 post: Post = post_json, lease_clock: Callable[[], datetime] = beijing_now,
                 specs: tuple[JobSpec, ...] = JOBS) -> None:
        self.settings, self.sessionmaker, self.runtime = settings, sessionmaker, runtime
        self.dialer = dialer
        self.node = node or f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        ttl = timedelta(seconds=settings.scheduler_lease_seconds)
        self.lease = Lease(sessionmaker, self.node, ttl, clock=lease_clock)
        self.heartbeat = settings.scheduler_lease_seconds / 3
        self.specs = specs
        self.context = jobs.JobContext(settings, sessionmaker, runtime, dialer, post)
        self.scheduler: OffLoopScheduler | None = None
        self.holding = asyncio.Event()  # set while this node runs the scheduler
        self._engine: Engine | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Contend for the lease in the background (and at once)."""
        await self._step()
        self._task = asyncio.create_task(self._follow())

    async def stop(self) -> None:
        """Stop the scheduler and hand the lease back, so another node takes over at once."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._stop_scheduler()
        with contextlib.suppress(Exception):  # the database may be gone: the lease expires
            await self.lease.release()

    async def _follow(self) -> None:
        while True:
            await asyncio.sleep(self.heartbeat)
            await self._step()

    async def _step(self) -> None:
        try:
            held = await self.lease.try_acquire()
        except Exception as exc:  # the database is away: act on the lease only while it lasts
            held = self.lease.held
            log.warning("scheduler lease not renewed (%r); %s", exc,
                        "still held" if held else "stopping the scheduler")
            if not held:
                self.lease.lost()
        if held and self.scheduler is None:
            await self._start_scheduler()
        elif not held and self.scheduler is not None:
            await self._stop_scheduler()

    async def _start_scheduler(self) -> None:
        self._engine = store_engine(self.settings.effective_database_url)
        store = SQLAlchemyJobStore(engine=self._engine, tablename=JOBS_TABLE)
        scheduler = OffLoopScheduler(jobstores={"default": store}, timezone=BEIJING,
                                     event_loop=asyncio.get_running_loop())
        jobs.install(self.context)
        if self.dialer is not None:
            self.dialer.start()
        changed = await asyncio.to_thread(self._open, scheduler)  # store I/O: off the loop
        self.scheduler = scheduler
        self.holding.set()
        log.info("scheduler running on %s (%d jobs, %s new or changed)", self.node,
                 len(self.specs), ", ".join(changed) or "none")

    def _open(self, scheduler: OffLoopScheduler) -> list[str]:
        scheduler.start(paused=True)
        changed = ensure_jobs(scheduler, self.settings, self.specs)
        scheduler.resume()
        return changed

    async def _stop_scheduler(self) -> None:
        if self.scheduler is None:
            return
        self.scheduler.shutdown(wait=False)
        self.scheduler = None
        self.holding.clear()
        if jobs.current() is self.context:
            jobs.install(None)
        if self.dialer is not None:
            await self.dialer.close()
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
        log.info("scheduler stopped on %s", self.node)


@asynccontextmanager
async def scheduler_running(settings: Settings, sessionmaker: async_sessionmaker[AsyncSession],
                            runtime: Runtime, dialer: OutboundDialer | None,
                            **options: Any) -> AsyncIterator[SchedulerNode]:
    """Run this node's scheduler (when it holds the lease) for the duration of the block."""
    node = SchedulerNode(settings, sessionmaker, runtime, dialer, **options)
    await node.start()
    try:
        yield node
    finally:
        await node.stop()
