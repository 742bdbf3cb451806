"""Figures over a period, counted in SQL (GROUP BY), never by loading tickets.

A period holds the tickets created in [start, end), drafts excepted (nobody confirmed them).
Deadlines are judged at ``as_of``: the end of the period, or now when the period is not over.
The overdue list is not limited to the period: a ticket from an earlier month that is still
overdue belongs in this month's report too (tonghua 第三十四条: 逾期未办结事项).
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Label, and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.clock import beijing, out_of_range, require_aware, utc
from tickets.accounts.models import Unit
from tickets.errors import DateOutOfRange, InvalidValue
from tickets.policy.schema import Policy
from tickets.stats.schemas import Count, OverdueTicket, PeriodStats, UnitCount, rate
from tickets.supervision.scan import overdue_clause
from tickets.workflow.machine import TicketEvent, TicketState
from tickets.workflow.models import Ticket, Transition


def window(start: datetime, end: datetime) -> ColumnElement[bool]:
    """Tickets created in [start, end), drafts excepted."""
    return and_(Ticket.created_at >= start, Ticket.created_at < end,
                Ticket.state != TicketState.DRAFT.value)


def count_if(condition: ColumnElement[bool]) -> Any:
    """COUNT of the rows meeting ``condition`` (portable: no FILTER clause)."""
    return func.count(case((condition, 1)))


def measures(policy: Policy, as_of: datetime) -> list[Label[Any]]:
    """The per-ticket counts every figure is made of, as labelled SQL aggregates."""
    replied = Ticket.replied_at.is_not(None)
    satisfied_levels = sorted(policy.evaluation.satisfied)
    return [
        func.count().label("received"),
        count_if(replied).label("replied"),
        count_if(and_(replied, Ticket.replied_late.is_(False))).label("on_time"),
        count_if(and_(Ticket.replied_at.is_(None), overdue_clause(as_of))).label("late_open"),
        count_if(Ticket.final_evaluation.is_not(None)).label("evaluated"),
        count_if(Ticket.final_evaluation.in_(satisfied_levels)).label("satisfied"),
        count_if(Ticket.dispatched_at.is_not(None)).label("dispatched"),
    ]


def check_period(start: datetime, end: datetime) -> None:
    """Both ends aware, with a UTC form the database can store, and in order."""
    for moment, field in ((start, "start"), (end, "end")):
        require_aware(moment, field=field)
        try:
            utc(moment)
        except DateOutOfRange:
            raise out_of_range(moment, field) from None
    if start >= end:
        raise InvalidValue("start must come before end", start=start.isoformat(),
                           end=end.isoformat())


async def period_stats(
    session: AsyncSession, policy: Policy, start: datetime, end: datetime, *,
    now: datetime | None = None,
) -> PeriodStats:
    """Counts, rates and the overdue list for tickets created in [start, end)."""
    check_period(start, end)
    as_of = min(end, now) if now is not None else end
    scope = window(start, end)
    totals = (await session.execute(select(*measures(policy, as_of)).where(scope))).one()
    returned = await _returned(session, scope)
    return PeriodStats(
        start=start, end=end, as_of=as_of, total=totals.received,
        by_request_type=await _grouped(session, Ticket.request_type, scope),
        by_category=await _grouped(session, Ticket.category, scope),
        by_district=await _grouped(session, Ticket.district, scope),
        by_unit=await _by_unit(session, scope),
        replied=totals.replied, late_open=totals.late_open,
        on_time=rate(totals.on_time, totals.replied + totals.late_open),
        satisfaction=rate(totals.satisfied, totals.evaluated),
        returns=rate(returned, totals.dispatched),
        overdue=await overdue_list(session, as_of),
    )


def _ordered(rows: Sequence[Count]) -> list[Count]:
    """Largest first; ties by key, the unfilled last (the same on every database)."""
    return sorted(rows, key=lambda r: (-r.count, r.key is None, r.key or ""))


async def _grouped(
    session: AsyncSession, column: Any, scope: ColumnElement[bool]
) -> list[Count]:
    rows = await session.execute(select(column, func.count()).where(scope).group_by(column))
    return _ordered([Count(key=key, count=n) for key, n in rows.all()])


async def _by_unit(session: AsyncSession, scope: ColumnElement[bool]) -> list[UnitCount]:
    rows = (await session.execute(
        select(Ticket.lead_unit_id, Unit.name, func.count())
        .outerjoin(Unit, Unit.id == Ticket.lead_unit_id)
        .where(scope).group_by(Ticket.lead_unit_id, Unit.name)
    )).all()
    counts = [UnitCount(unit_id=uid, unit_name=name, count=n) for uid, name, n in rows]
    return sorted(counts, key=lambda r: (-r.count, r.unit_id is None, r.unit_id or 0))


async def _returned(session: AsyncSession, scope: ColumnElement[bool]) -> int:
    """Dispatched tickets of the period a unit sent back at least once."""
    count = await session.scalar(
        select(func.count(func.distinct(Transition.ticket_id)))
        .join(Ticket, Ticket.id == Transition.ticket_id)
        .where(scope, Ticket.dispatched_at.is_not(None),
               Transition.event == TicketEvent.RETURN.value))
    return count or 0


async def overdue_list(session: AsyncSession, as_of: datetime) -> list[OverdueTicket]:
    """Every ticket overdue at ``as_of``, longest overdue first, whenever it was created."""
    rows = await session.execute(
        select(Ticket.number, Ticket.state, Ticket.request_type, Ticket.category,
               Ticket.summary, Ticket.lead_unit_id, Unit.name, Ticket.created_at,
               Ticket.handle_due, Ticket.phone_reminders, Ticket.under_supervision)
        .outerjoin(Unit, Unit.id == Ticket.lead_unit_id)
        .where(overdue_clause(as_of)).order_by(Ticket.handle_due, Ticket.id))
    day = beijing(as_of).date()
    return [OverdueTicket(
        number=r.number or "", state=r.state, request_type=r.request_type,
        category=r.category, summary=r.summary, lead_unit_id=r.lead_unit_id, unit_name=r.name,
        created_at=r.created_at, handle_due=r.handle_due,
        days_overdue=(day - beijing(r.handle_due).date()).days,
        phone_reminders=r.phone_reminders, under_supervision=r.under_supervision,
    ) for r in rows.all()]
