"""The scheduler's jobs: module functions without arguments, so APScheduler can store them.

A stored job names its function by reference; what it works with (database, policy, dialer)
is the context the running scheduler installed here. One scheduler runs per process: the
lease makes sure of it.
"""

import functools
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hotline.revisits.config import revisit_rules
from hotline.scheduler.webhook import Post, post_json, send_due
from hotline.settings import Settings
from kernel.clock import beijing
from telephony.outbound.service import OutboundDialer
from telephony.pbx.process import Instance
from telephony.recordings.service import purge_expired, recordings_dir
from tickets.calendar.service import load_calendar, warn_if_next_year_missing
from tickets.knowledge.service import review_due
from tickets.principal import SYSTEM
from tickets.revisits.planning import rebook
from tickets.revisits.schedule import schedule_pending, settle_moved
from tickets.runtime import Runtime
from tickets.stats.bulletin import build_bulletin, bulletin_csv, csv_filename
from tickets.supervision.reminders import remind_due_soon as due_soon_reminders
from tickets.supervision.service import run_ladder
from tickets.workflow.context import Context

log = logging.getLogger(__name__)


@dataclass
class JobContext:
    """What the jobs work with; installed by the running scheduler."""

    settings: Settings
    sessionmaker: async_sessionmaker[AsyncSession]
    runtime: Runtime
    dialer: OutboundDialer | None = None
    post: Post = post_json
    runs: Counter[str] = field(default_factory=Counter)  # job name -> completed runs
    results: dict[str, Any] = field(default_factory=dict)  # job name -> last result

    def now(self) -> datetime:
        return self.runtime.clock()

    def context(self, session: AsyncSession) -> Context:
        """A workflow context acting as the platform itself."""
        return Context(session, self.runtime.policy, self.runtime.calendar, self.runtime.clock,
                       SYSTEM)


_current: JobContext | None = None


def install(context: JobContext | None) -> None:
    """Make ``context`` the one the jobs use (None: the scheduler stopped)."""
    global _current
    _current = context


def current() -> JobContext | None:
    """The installed context, if a scheduler runs in this process."""
    return _current


def job(func: Callable[[JobContext], Awaitable[Any]]) -> Callable[[], Awaitable[None]]:
    """A stored job: runs ``func`` on the installed context, counts it, never raises."""

    @functools.wraps(func)
    async def run() -> None:
        context = _current
        if context is None:
            log.warning("job %s ran with no scheduler context; skipped", func.__name__)
            return
        try:
            context.results[func.__name__] = await func(context)
        except Exception:  # one bad run must not stop the schedule
            log.exception("job %s failed", func.__name__)
            return
        context.runs[func.__name__] += 1

    return run


@job
async def schedule_revisits(ctx: JobContext) -> int:
    """Tickets whose reply was approved get their revisit; settled ones leave the lists."""
    rules = revisit_rules(ctx.settings)
    async with ctx.sessionmaker() as session:
        await settle_moved(session, ctx.now())
        made = await schedule_pending(session, rules, ctx.now())
        await rebook(session, rules)  # windows widened or narrowed since they were booked
    return len(made)


@job
async def dial_outbound(ctx: JobContext) -> int:
    """Missed-call callbacks first, then due revisit attempts, up to the channel cap."""
    return 0 if ctx.dialer is None else await ctx.dialer.tick()


@job
async def send_handovers(ctx: JobContext) -> tuple[int, int]:
    """Hand-overs to the SMS/WeChat webhook, retried with a growing wait."""
    return await send_due(ctx.sessionmaker, ctx.settings.revisit_webhook_url, ctx.now(),
                          ctx.post)


@job
async def supervise_overdue(ctx: JobContext) -> list[str]:
    """The ladder: a system supervision on each overdue ticket (after the phone round)."""
    async with ctx.sessionmaker() as session:
        run = await run_ladder(ctx.context(session), ctx.now())
    if run.supervised:
        log.warning("supervision opened on %d overdue tickets: %s", len(run.supervised),
                    ", ".join(run.supervised[:20]))
    return run.supervised


@job
async def remind_due_soon(ctx: JobContext) -> list[str]:
    """A system reminder to the unit of each ticket due soon, once per handling period."""
    return await due_soon_reminders(ctx.sessionmaker, ctx.runtime.policy, ctx.runtime.calendar,
                                    ctx.context, ctx.now())


@job
async def review_knowledge(ctx: JobContext) -> int:
    """Knowledge-base upkeep deadlines (zhanjiang 第十八条) past or within a day, logged."""
    async with ctx.sessionmaker() as session:
        entries = await review_due(session, ctx.now())
        for entry in entries:
            (log.warning if entry.overdue else log.info)(
                "knowledge article %d (unit %d): %s due %s%s", entry.article.id,
                entry.article.unit_id, entry.reason, entry.due.isoformat(),
                " — OVERDUE" if entry.overdue else "")
    return len(entries)


@job
async def monthly_bulletin(ctx: JobContext) -> str:
    """Last month's bulletin (tonghua 第三十二、三十四条) as CSV in the data directory."""
    now = beijing(ctx.now())
    last = now.replace(day=1) - timedelta(days=1)
    async with ctx.sessionmaker() as session:
        bulletin = await build_bulletin(session, ctx.runtime.policy, last.year, last.month, now)
    folder = Path(ctx.settings.data_dir) / "bulletins"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / csv_filename(bulletin)
    path.write_text(bulletin_csv(bulletin), encoding="utf-8")
    log.info("monthly bulletin written to %s", path)
    return str(path)


@job
async def purge_recordings(ctx: JobContext) -> int:
    """Recordings past ``recording_retention_days`` deleted, each deletion audited."""
    settings = ctx.settings
    root = recordings_dir(Instance(settings.asterisk_root,
                                   settings.effective_asterisk_instance_dir))
    async with ctx.sessionmaker() as session:
        deleted = await purge_expired(session, root, ctx.now(), settings.recording_retention_days)
    return len(deleted)


@job
async def check_next_year_holidays(ctx: JobContext) -> bool:
    """In December: next year's holidays must be loaded, or deadlines will be guessed."""
    async with ctx.sessionmaker() as session:
        calendar = await load_calendar(session)
    return warn_if_next_year_missing(calendar, ctx.now())
