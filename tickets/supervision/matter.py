"""tonghua 第二十九条(七): the same matter complained about several months running."""

import logging
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.clock import BEIJING, beijing
from tickets.enums import RequestType, SupervisionForm
from tickets.supervision.models import Supervision
from tickets.supervision.schemas import Trigger
from tickets.supervision.service import flush, supervise
from tickets.workflow.context import Context, record
from tickets.workflow.machine import SUPERVISABLE, TicketState
from tickets.workflow.models import Ticket

log = logging.getLogger(__name__)

# tonghua 第二十九条(七) speaks of 投诉举报: both kinds count as complaints about a matter.
COMPLAINTS = (RequestType.COMPLAINT.value, RequestType.REPORT.value)


# --- tonghua 第二十九条(七): the same matter complained about N months running -----------------


@dataclass(frozen=True)
class MatterFlag:
    """What ``flag_same_matter`` found and did."""

    flagged: bool
    months: tuple[str, ...]  # the months checked, oldest first, e.g. ("2025-01", ...)
    supervision: Supervision | None = None


def _months_ending(day: date, count: int) -> list[tuple[datetime, datetime]]:
    """``count`` calendar months ending with ``day``'s month, as Beijing [start, end)."""
    starts = []
    year, month = day.year, day.month
    for _ in range(count):
        starts.append(datetime(year, month, 1, tzinfo=BEIJING))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return [(start, _next_month(start)) for start in reversed(starts)]


def _next_month(start: datetime) -> datetime:
    year, month = (start.year, start.month + 1) if start.month < 12 else (start.year + 1, 1)
    return start.replace(year=year, month=month)


def _in_matter(root: int) -> ColumnElement[bool]:
    return or_(Ticket.matter_id == root, Ticket.id == root)


async def _complaints_per_month(
    session: AsyncSession, root: int, months: list[tuple[datetime, datetime]]
) -> list[int]:
    counted = [func.count(case((and_(Ticket.created_at >= s, Ticket.created_at < e), 1)))
               for s, e in months]
    row = (await session.execute(select(*counted).where(
        _in_matter(root), Ticket.request_type.in_(COMPLAINTS),
        Ticket.state.not_in((TicketState.DRAFT.value, TicketState.REFUSED.value)),
        Ticket.created_at >= months[0][0], Ticket.created_at < months[-1][1],
    ))).one()
    return [int(n) for n in row]


async def _matter_target(ctx: Context, ticket: Ticket, root: int) -> Ticket | None:
    """The ticket to supervise: this one if it can be, else the newest open one of the matter."""
    if TicketState(ticket.state) in SUPERVISABLE:
        return ticket
    return await ctx.session.scalar(select(Ticket).where(
        _in_matter(root), Ticket.state.in_([s.value for s in SUPERVISABLE]),
    ).order_by(Ticket.id.desc()).limit(1))


async def flag_same_matter(ctx: Context, ticket: Ticket) -> MatterFlag:
    """Flag accountability when the ticket's matter drew complaints N months running.

    The workflow calls this whenever a ticket is linked to a matter. One open same-matter
    supervision per matter is enough: later tickets are flagged but add no second case.
    """
    needed = ctx.policy.supervision.repeat_months_accountability
    if not needed:
        return MatterFlag(False, ())
    root = ticket.matter_id or ticket.id
    months = _months_ending(beijing(ticket.created_at).date(), needed)
    labels = tuple(f"{start:%Y-%m}" for start, _ in months)
    counts = await _complaints_per_month(ctx.session, root, months)
    if not all(counts):
        return MatterFlag(False, labels)
    if not ticket.accountability_flag:
        ticket.accountability_flag = True
        why = f"complaints in {needed} consecutive months ({ctx.policy.supervision.article})"
        record(ctx, ticket, "accountability", ticket.state, ticket.state, reason=why,
               data={"matter_id": root, "months": list(labels), "complaints": counts})
    open_case = await ctx.session.scalar(select(Supervision.id).join(
        Ticket, Ticket.id == Supervision.ticket_id).where(
        _in_matter(root), Supervision.trigger == Trigger.SAME_MATTER_MONTHS.value,
        Supervision.resolved_at.is_(None)))
    target = None if open_case is not None else await _matter_target(ctx, ticket, root)
    if target is None:
        await flush(ctx.session)
        return MatterFlag(True, labels)
    note = f"matter {root}: complaints in {', '.join(labels)}"
    case_ = await supervise(ctx, target, Trigger.SAME_MATTER_MONTHS, SupervisionForm.SYSTEM, note)
    return MatterFlag(True, labels, case_)


# --- the periodic ladder -------------------------------------------------------------------


