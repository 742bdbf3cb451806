"""Reading revisits: the manual list, one revisit, the do-not-call list."""

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from tickets.database import commit
from tickets.revisits.errors import NotOnDoNotCall, RevisitNotFound
from tickets.revisits.machine import RevisitState
from tickets.revisits.models import DoNotCall, Revisit, RevisitAttempt
from tickets.revisits.schedule import REVISIT
from tickets.revisits.schemas import AttemptOut, RevisitOut
from tickets.workflow.errors import TicketNotFound
from tickets.workflow.models import Ticket


async def _out(session: AsyncSession, revisit: Revisit, ticket: Ticket) -> RevisitOut:
    attempts = await session.scalars(select(RevisitAttempt).where(
        RevisitAttempt.revisit_id == revisit.id).order_by(RevisitAttempt.number))
    return RevisitOut(
        id=revisit.id, ticket_number=ticket.number or str(ticket.id), summary=ticket.summary,
        phone=revisit.phone, state=revisit.state, round=revisit.round,
        handed_over_at=revisit.handed_over_at, handover_reason=revisit.handover_reason,
        notify_state=revisit.notify_state,
        attempts=[AttemptOut.model_validate(a) for a in attempts])


async def manual_list(session: AsyncSession, offset: int = 0, limit: int = 50
                      ) -> list[RevisitOut]:
    """Revisits handed to a person whose ticket still awaits its revisit, oldest first."""
    rows = (await session.execute(
        select(Revisit, Ticket).join(Ticket, Ticket.id == Revisit.ticket_id)
        .where(Revisit.state == RevisitState.HANDED_OVER.value, Ticket.state == REVISIT)
        .order_by(Revisit.handed_over_at, Revisit.id).offset(offset).limit(limit))).all()
    return [await _out(session, revisit, ticket) for revisit, ticket in rows]


async def get_revisit(session: AsyncSession, revisit_id: int) -> RevisitOut:
    """One revisit and its attempts, or :class:`RevisitNotFound`."""
    revisit = await session.get(Revisit, revisit_id)
    if revisit is None:
        raise RevisitNotFound(f"no revisit {revisit_id}", id=revisit_id)
    return await _out(session, revisit, await session.get_one(Ticket, revisit.ticket_id))


async def do_not_call_list(session: AsyncSession, offset: int = 0, limit: int = 50
                           ) -> Sequence[DoNotCall]:
    """Numbers revisits no longer call, newest first."""
    return (await session.scalars(select(DoNotCall).order_by(DoNotCall.at.desc(),
                                                             DoNotCall.number)
                                  .offset(offset).limit(limit))).all()


async def allow_calls(session: AsyncSession, number: str) -> None:
    """The citizen agreed to be called again: remove the number from the list."""
    if await session.get(DoNotCall, number) is None:
        raise NotOnDoNotCall(f"{number} is not on the do-not-call list", number=number)
    await session.execute(delete(DoNotCall).where(DoNotCall.number == number))
    await commit(session)


async def of_ticket(session: AsyncSession, number: str) -> list[RevisitOut]:
    """Every revisit of the ticket ``number`` (a round per re-handling), oldest first."""
    ticket = await session.scalar(select(Ticket).where(Ticket.number == number))
    if ticket is None:
        raise TicketNotFound(f"no ticket {number}", number=number)
    revisits = await session.scalars(select(Revisit).where(Revisit.ticket_id == ticket.id)
                                     .order_by(Revisit.round, Revisit.id))
    return [await _out(session, revisit, ticket) for revisit in revisits]
