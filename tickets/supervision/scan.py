"""Due-soon and overdue detection (DIGEST §4): the supervisor's two lists."""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import raiseload

from kernel.clock import BEIJING, beijing
from tickets.calendar.workdays import WorkingCalendar
from tickets.deadlines import add_working_days
from tickets.policy.schema import Period, PeriodUnit, Policy
from tickets.workflow.machine import AWAITING_REPLY
from tickets.workflow.models import Assignment, Ticket

log = logging.getLogger(__name__)

# With a unit (or its request to send it back) and no reply yet. Suspended tickets are left
# out: their clock stands still (wuhai 6.4.1).
UNREPLIED = tuple(sorted(state.value for state in AWAITING_REPLY))


# --- due-soon and overdue ----------------------------------------------------------------


def overdue_clause(now: datetime) -> ColumnElement[bool]:
    """Open, with the unit, not replied, past its handling deadline."""
    return and_(Ticket.awaiting_reply.is_(True), Ticket.handle_due < now)


def due_soon_threshold(now: datetime, period: Period, calendar: WorkingCalendar) -> datetime:
    """The first instant a deadline is no longer "due soon".

    In working days: due soon while at most ``amount`` working days remain after today, i.e.
    the deadline falls before the start of the (amount + 1)-th working day from today.
    """
    if period.unit is PeriodUnit.HOURS:
        return now + timedelta(hours=period.amount)
    today = beijing(now).date()
    if period.unit is PeriodUnit.NATURAL_DAYS:
        last: date = today + timedelta(days=period.amount + 1)
    else:
        last, _ = add_working_days(today, period.amount + 1, calendar)
    return datetime.combine(last, time(0), tzinfo=BEIJING)


def due_soon_clause(now: datetime, threshold: datetime) -> ColumnElement[bool]:
    """Open, with the unit, not replied, due between now and ``threshold``."""
    return and_(Ticket.awaiting_reply.is_(True), Ticket.handle_due >= now,
                Ticket.handle_due < threshold)


@dataclass(frozen=True)
class Listing:
    """One page of tickets ordered by due date, and how many there are in all."""

    items: Sequence[Ticket]
    total: int


@dataclass(frozen=True)
class Scan:
    """Every due-soon and every overdue ticket, soonest due first."""

    due_soon: Sequence[Ticket]
    overdue: Sequence[Ticket]


async def _listing(
    session: AsyncSession, clause: ColumnElement[bool], unit_id: int | None,
    offset: int, limit: int | None,
) -> Listing:
    statement = select(Ticket).where(clause)
    if unit_id is not None:  # a unit sees only open tickets it is (still) assigned to
        statement = statement.join(Assignment, Assignment.ticket_id == Ticket.id).where(
            Assignment.unit_id == unit_id, Assignment.active.is_(True),
            Assignment.ticket_open.is_(True))
    total = await session.scalar(select(func.count()).select_from(statement.subquery()))
    rows = await session.scalars(  # the lists show no units: leave assignments unloaded
        statement.options(raiseload(Ticket.assignments))
        .order_by(Ticket.handle_due, Ticket.id).offset(offset).limit(limit))
    return Listing(rows.all(), total or 0)


async def due_soon(
    session: AsyncSession, policy: Policy, calendar: WorkingCalendar, now: datetime, *,
    unit_id: int | None = None, offset: int = 0, limit: int | None = None,
) -> Listing:
    """Tickets whose handling deadline is within ``policy.supervision.due_soon``."""
    threshold = due_soon_threshold(now, policy.supervision.due_soon, calendar)
    return await _listing(session, due_soon_clause(now, threshold), unit_id, offset, limit)


async def overdue(
    session: AsyncSession, now: datetime, *, unit_id: int | None = None, offset: int = 0,
    limit: int | None = None,
) -> Listing:
    """Tickets past their handling deadline and still not replied."""
    return await _listing(session, overdue_clause(now), unit_id, offset, limit)


async def scan(
    session: AsyncSession, policy: Policy, calendar: WorkingCalendar, now: datetime
) -> Scan:
    """Both lists in full."""
    soon = await due_soon(session, policy, calendar, now)
    late = await overdue(session, now)
    return Scan(soon.items, late.items)


# --- reminders and supervision -------------------------------------------------------------


