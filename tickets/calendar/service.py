"""Load the working calendar from the database, import a year, recompute what was guessed."""

import csv
import io
import json
import logging
from datetime import date, datetime
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.clock import beijing
from tickets.calendar.errors import BadCalendarFile
from tickets.calendar.models import CalendarOverride, CalendarYear
from tickets.calendar.schemas import CalendarImport, DayIn
from tickets.calendar.workdays import WorkingCalendar
from tickets.database import commit
from tickets.deadlines import due_after
from tickets.policy.schema import Period, PeriodUnit
from tickets.workflow.models import Ticket

log = logging.getLogger(__name__)


async def load_calendar(session: AsyncSession) -> WorkingCalendar:
    """The calendar with every override and imported year in the database."""
    overrides = {row.day: row.working for row in await session.scalars(select(CalendarOverride))}
    years = list(await session.scalars(select(CalendarYear.year)))
    return WorkingCalendar(overrides, years)


def parse_calendar_file(path: Path) -> CalendarImport:
    """Read a CSV (``date,working,name`` with a header) or JSON import file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
        if path.suffix.lower() == ".json":
            return CalendarImport.model_validate(json.loads(text))
        rows = list(csv.DictReader(io.StringIO(text)))
        days = [DayIn(day=date.fromisoformat(row["date"].strip()),
                      working=row["working"].strip().lower() in {"1", "true", "yes", "workday"},
                      name=(row.get("name") or "").strip()) for row in rows]
        years = sorted({d.day.year for d in days})
        return CalendarImport(years=years, days=days, source=path.name)
    except (OSError, ValueError, KeyError, AttributeError, ValidationError) as exc:
        raise BadCalendarFile(f"cannot read calendar file {path}: {exc}", path=str(path)) from exc


async def import_calendar(
    session: AsyncSession, data: CalendarImport, now: datetime
) -> tuple[WorkingCalendar, int]:
    """Store the days and years, then recompute every provisional deadline."""
    for day in data.days:
        await session.merge(CalendarOverride(day=day.day, working=day.working, name=day.name,
                                             updated_at=now))
    for year in data.years:
        await session.merge(CalendarYear(year=year, source=data.source, imported_at=now))
    await session.flush()
    calendar = await load_calendar(session)
    recomputed = await recompute_provisional(session, calendar)
    await commit(session)
    log.info("calendar import: %d days, years %s, %d deadlines recomputed",
             len(data.days), data.years, recomputed)
    return calendar, recomputed


async def recompute_provisional(session: AsyncSession, calendar: WorkingCalendar) -> int:
    """Deadlines counted on a guessed Monday–Friday calendar, counted again on the real one."""
    tickets = await session.scalars(
        select(Ticket).where(Ticket.due_provisional.is_(True), Ticket.is_open.is_(True)))
    count = 0
    for ticket in tickets:
        start, amount, unit = ticket.clock_started_at, ticket.period_amount, ticket.period_unit
        if start is None or amount is None or unit is None:
            continue
        if ticket.extension_count or ticket.suspended_at is not None:
            # an extended or suspended clock was moved by hand-checked steps: keep it, say so
            log.warning("ticket %s: provisional deadline kept (extended or suspended)",
                        ticket.number)
            continue
        due = due_after(start, Period(amount, PeriodUnit(unit), "recomputed"), calendar)
        ticket.handle_due, ticket.due_provisional = due.at, due.provisional
        count += 1
    return count


def calendar_days(calendar: WorkingCalendar, start: date, end: date) -> list[tuple[date, bool,
                                                                                   bool]]:
    """Each day in [start, end] with whether it is working and whether that is known."""
    days = []
    day = start
    while day <= end:
        info = calendar.day(day)
        days.append((day, info.working, info.known))
        day = date.fromordinal(day.toordinal() + 1)
    return days


def warn_if_next_year_missing(calendar: WorkingCalendar, now: datetime) -> bool:
    """Whether next year's holidays are loaded; in December, a loud log line when not."""
    moment = beijing(now)
    loaded = moment.year + 1 in calendar.known_years
    if moment.month == 12 and not loaded:
        log.error("!!! %d's public holidays are NOT loaded: deadlines from 1 January will be "
                  "provisional (Monday-Friday guessed). Import the State Council's calendar: "
                  "`hotline calendar import holidays-%d.csv` !!!", moment.year + 1,
                  moment.year + 1)
    return loaded
