"""Emergency tickets: handed off to 110/119/120/122 or a utility (wuhai 6.4.4, zhanjiang 14).

The hook the emergency linkage uses: the ticket becomes 非常紧急 with the profile's urgent
deadline (wuhai 6.4.2: 2 hours; tonghua 第十六条: 12 hours) and one history row.
"""

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tickets.calendar.workdays import WorkingCalendar
from tickets.database import commit
from tickets.deadlines import Due, due_after
from tickets.enums import RequestType, Role, Urgency
from tickets.errors import NotFound
from tickets.policy.schema import Period, Policy
from tickets.principal import Principal
from tickets.workflow.context import Context, record
from tickets.workflow.machine import TERMINAL_STATES, TicketState
from tickets.workflow.models import Ticket

log = logging.getLogger(__name__)

EMERGENCY_EVENT = "emergency"
# A ticket is written during the call or in the after-call work that follows it.
CALL_TICKET_WINDOW = timedelta(hours=12)


def urgent_period(policy: Policy) -> Period:
    """The profile's period for an emergency (非常紧急)."""
    return policy.handling_period(RequestType.HELP, urgency=Urgency.VERY_URGENT)


def mark_emergency(ctx: Context, ticket: Ticket, kind: str, at: datetime,
                   data: dict[str, Any] | None = None) -> Due | None:
    """Make ``ticket`` an emergency ticket from ``at``; its new deadline (None if closed).

    An earlier deadline is kept: an emergency never gives a unit more time.
    """
    state = TicketState(ticket.state)
    due = None
    if state not in TERMINAL_STATES:
        ticket.urgency = Urgency.VERY_URGENT.value
        period = urgent_period(ctx.policy)
        due = due_after(at, period, ctx.calendar)
        if ticket.handle_due is None or due.at < ticket.handle_due:
            ticket.handle_due, ticket.due_provisional = due.at, due.provisional
            ticket.period_amount, ticket.period_unit = period.amount, period.unit.value
            ticket.clock_started_at = ticket.clock_started_at or at
    record(ctx, ticket, EMERGENCY_EVENT, state.value, state.value,
           reason=f"emergency hand-off: {kind}",
           data={"kind": kind, "at": at.isoformat(),
                 "handle_due": ticket.handle_due.isoformat() if ticket.handle_due else None,
                 **(data or {})})
    return due


async def ticket_of_call(session: AsyncSession, linkedid: str, around: datetime
                         ) -> Ticket | None:
    """The newest ticket written for call ``linkedid`` (its transcript or its calls)."""
    rows = await session.scalars(
        select(Ticket).where(or_(Ticket.transcript_ref == linkedid,
                                 Ticket.created_at >= around - CALL_TICKET_WINDOW))
        .order_by(Ticket.id.desc()).limit(500))
    return next((t for t in rows if t.transcript_ref == linkedid or linkedid in (t.calls or [])),
                None)


async def ticket_by_number(session: AsyncSession, number: str) -> Ticket | None:
    return await session.scalar(select(Ticket).where(Ticket.number == number))


@dataclass(frozen=True)
class EmergencyTicket:
    """A ticket as an emergency hand-off names it (its packet, its timeline)."""

    ticket_id: int
    number: str
    place: str
    summary: str
    handle_due: datetime | None

    @classmethod
    def of(cls, ticket: Ticket) -> "EmergencyTicket":
        return cls(ticket.id, ticket.number or str(ticket.id), ticket.place or "",
                   ticket.summary or "", ticket.handle_due)


@dataclass(frozen=True)
class EmergencyDesk:
    """The tickets' side of an emergency hand-off, under the deployment's policy."""

    sessionmaker: async_sessionmaker[AsyncSession]
    policy: Callable[[], Policy]
    calendar: Callable[[], WorkingCalendar]
    clock: Callable[[], datetime]

    async def by_number(self, number: str) -> EmergencyTicket | None:
        async with self.sessionmaker() as session:
            ticket = await ticket_by_number(session, number)
            return EmergencyTicket.of(ticket) if ticket is not None else None

    async def of_call(self, linkedid: str, around: datetime) -> EmergencyTicket | None:
        async with self.sessionmaker() as session:
            ticket = await ticket_of_call(session, linkedid, around)
            return EmergencyTicket.of(ticket) if ticket is not None else None

    async def mark_emergency(self, ticket_id: int, kind: str, at: datetime, actor: str,
                             about: Mapping[str, str | None]) -> EmergencyTicket:
        """The ticket becomes 非常紧急 with the profile's urgent deadline, one history row."""
        async with self.sessionmaker() as session:
            ticket = await session.get(Ticket, ticket_id, with_for_update=True)
            if ticket is None:
                raise NotFound(f"no ticket {ticket_id}", ticket_id=ticket_id)
            ctx = Context(session, self.policy(), self.calendar(), self.clock,
                          Principal(None, actor, Role.AGENT))
            mark_emergency(ctx, ticket, kind, at, dict(about))
            marked = EmergencyTicket.of(ticket)
            await commit(session)
        log.info("ticket %s is an emergency ticket (%s), due %s", marked.number, kind,
                 marked.handle_due)
        return marked
