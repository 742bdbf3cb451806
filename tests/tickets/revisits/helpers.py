"""Tickets awaiting their revisit, made straight in the database, and the rules tests use."""

from datetime import datetime, timedelta
from itertools import count

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.numbers import luhn_digit
from tickets.revisits.models import Revisit, RevisitAttempt
from tickets.revisits.schedule import RevisitRules
from tickets.revisits.windows import CallingWindows
from tickets.workflow.machine import TicketState
from tickets.workflow.models import Ticket

RULES = RevisitRules(CallingWindows.parse(["09:00-12:00", "14:00-20:00"]), attempts=3,
                     retry=timedelta(minutes=120))
_serial = count(1)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


async def revisit_ticket(session: AsyncSession, phone: str | None = "13800138000", *,
                         profile: str = "tonghua", summary: str = "新华街小区停水") -> Ticket:
    """A dispatched complaint whose reply was approved: it awaits its revisit."""
    body = f"260302{next(_serial):06d}"
    ticket = Ticket(
        number=body + luhn_digit(body), profile=profile, state=TicketState.REVISIT.value,
        channel="phone", media="voice", request_type="投诉", urgency="一般",
        requester_phone=phone, summary=summary, created_at=at("2026-03-01T10:00:00+08:00"),
        replied_at=at("2026-03-02T09:00:00+08:00"))
    session.add(ticket)
    await session.commit()
    return ticket


async def attempts_of(session: AsyncSession, ticket: Ticket) -> list[RevisitAttempt]:
    """Every attempt of every revisit of ``ticket``, in order."""
    rows = await session.scalars(
        select(RevisitAttempt).join(Revisit, Revisit.id == RevisitAttempt.revisit_id)
        .where(Revisit.ticket_id == ticket.id)
        .order_by(Revisit.round, RevisitAttempt.number)
        .execution_options(populate_existing=True))
    return list(rows)


async def revisit_of(session: AsyncSession, ticket: Ticket, round_: int = 0) -> Revisit:
    """The ticket's revisit of ``round_``, fresh from the database."""
    return (await session.scalars(
        select(Revisit).where(Revisit.ticket_id == ticket.id, Revisit.round == round_)
        .execution_options(populate_existing=True))).one()
