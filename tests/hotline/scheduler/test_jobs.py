"""The jobs on their installed context: revisits scheduled, the December holiday warning,
recordings purged, and a job that fails counted as not run."""

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from hotline.scheduler import jobs
from hotline.settings import Settings
from telephony.pbx.process import Instance
from telephony.recordings.service import recordings_dir
from tests.conftest import FakeClock
from tests.tickets.revisits.helpers import attempts_of, revisit_ticket
from tickets.accounts.tokens import TokenSigner
from tickets.calendar.models import CalendarYear
from tickets.calendar.workdays import packaged_years
from tickets.policy.registry import get_policy
from tickets.runtime import Runtime
from tickets.supervision.models import Reminder
from tickets.workflow.models import Ticket


@pytest.fixture
def context(engine: AsyncEngine, session: AsyncSession, clock: FakeClock,
            tmp_path: Path) -> Iterator[jobs.JobContext]:
    maker = async_sessionmaker(engine, expire_on_commit=False)
    settings = Settings(data_dir=tmp_path, asterisk_root=tmp_path / "root",
                        asterisk_instance_dir=tmp_path / "instance")
    runtime = Runtime(sessionmaker=maker, policy=get_policy("tonghua"),
                      tokens=TokenSigner(b"k", timedelta(hours=1)), clock=clock)
    made = jobs.JobContext(settings, maker, runtime)
    jobs.install(made)
    yield made
    jobs.install(None)


async def test_the_schedule_job_gives_each_approved_reply_its_revisit(
        context: jobs.JobContext, session: AsyncSession) -> None:
    ticket = await revisit_ticket(session)
    await jobs.schedule_revisits()
    assert context.results["schedule_revisits"] == 1
    assert [a.state for a in await attempts_of(session, ticket)] == ["scheduled"]


async def test_in_december_missing_holidays_for_next_year_are_a_loud_error(
        context: jobs.JobContext, session: AsyncSession, clock: FakeClock,
        caplog: pytest.LogCaptureFixture) -> None:
    year = max(packaged_years()) + 1  # a year the installed calendar package does not know
    clock.set(f"{year - 1}-12-01T09:00:00+08:00")
    await jobs.check_next_year_holidays()
    assert context.results["check_next_year_holidays"] is False
    assert f"{year}'s public holidays are NOT loaded" in caplog.text
    session.add(CalendarYear(year=year, source="holidays.csv", imported_at=clock()))
    await session.commit()
    caplog.clear()
    await jobs.check_next_year_holidays()
    assert context.results["check_next_year_holidays"] is True
    assert "NOT loaded" not in caplog.text


async def test_recordings_past_retention_are_purged(context: jobs.JobContext,
                                                    clock: FakeClock) -> None:
    settings = context.settings
    root = recordings_dir(Instance(settings.asterisk_root,
                                   settings.effective_asterisk_instance_dir))
    old = root / (clock() - timedelta(days=400)).strftime("%Y%m%d")
    old.mkdir(parents=True)
    (old / "1700000000.1.wav").write_bytes(b"RIFF")
    await jobs.purge_recordings()
    assert context.results["purge_recordings"] == 1
    assert not old.exists()


async def test_a_failing_job_is_logged_and_not_counted(context: jobs.JobContext,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    context.settings.revisit_windows = ["bad"]
    await jobs.schedule_revisits()
    assert context.runs["schedule_revisits"] == 0
    assert "job schedule_revisits failed" in caplog.text


async def test_a_ticket_due_soon_gets_one_system_reminder_per_handling_period(
        context: jobs.JobContext, session: AsyncSession, clock: FakeClock) -> None:
    ticket = await revisit_ticket(session)
    row = await session.get_one(Ticket, ticket.id)
    row.state, row.handle_due = "handling", clock() + timedelta(hours=12)
    row.clock_started_at = clock() - timedelta(days=4)
    await session.commit()
    await jobs.remind_due_soon()
    await jobs.remind_due_soon()
    assert context.results["remind_due_soon"] == []  # the second run found it reminded
    reminders = list(await session.scalars(select(Reminder).where(
        Reminder.ticket_id == ticket.id)))
    assert [(r.form, r.by) for r in reminders] == [("system", "system")]
