"""The ticket side of a hand-off, through the workflow's emergency hook."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from linkage.errors import HandoffNotFound, TicketNotFound
from linkage.models import Handoff, HandoffRecord
from tickets.calendar.workdays import WorkingCalendar
from tickets.database import commit
from tickets.enums import Role
from tickets.policy.schema import Policy
from tickets.principal import Principal
from tickets.workflow.context import Context
from tickets.workflow.emergency import mark_emergency, ticket_by_number, ticket_of_call
from tickets.workflow.models import Ticket

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Marked:
    """The ticket that became an emergency ticket, and its new deadline."""

    ticket_id: int
    number: str
    handle_due: str | None


@dataclass(frozen=True)
class Ticketing:
    """Marks tickets as emergency tickets under the deployment's policy."""

    sessionmaker: async_sessionmaker[AsyncSession]
    policy: Callable[[], Policy]
    calendar: Callable[[], WorkingCalendar]
    clock: Callable[[], datetime]

    async def mark(self, *, linkedid: str, kind: str, handoff: str, target: str | None,
                   at: datetime, actor: str, number: str | None = None) -> Marked | None:
        """Mark the ticket ``number`` (or the call's own ticket, if written yet)."""
        async with self.sessionmaker() as session:
            ticket = await self._find(session, linkedid, at, number)
            if ticket is None:
                return None
            marked = self._apply(session, ticket, kind, handoff, target, at, actor)
            await commit(session)
        log.info("call %s: ticket %s is an emergency ticket (%s), due %s", linkedid,
                 marked.number, kind, marked.handle_due)
        return marked

    async def mark_stored(self, *, linkedid: str, kind: str | None, number: str, actor: str
                          ) -> Marked:
        """The same for a hand-off this node no longer steers: from its stored row."""
        async with self.sessionmaker() as session:
            query = select(Handoff).where(Handoff.linkedid == linkedid)
            if kind is not None:
                query = query.where(Handoff.kind == kind)
            row = (await session.scalars(query.order_by(Handoff.id.desc()))).first()
            if row is None:
                raise HandoffNotFound(f"call {linkedid} has no hand-off", linkedid=linkedid,
                                      kind=kind)
            ticket = await self._find(session, linkedid, row.alerted_at, number)
            assert ticket is not None  # _find raises for a number it cannot find
            at = row.confirmed_at or row.alerted_at
            marked = self._apply(session, ticket, row.kind, row.key, row.target, at, actor)
            row.ticket_id = ticket.id
            session.add(HandoffRecord(handoff_id=row.id, at=self.clock(), actor=actor,
                                      event="ticket", from_state=row.state, to_state=row.state,
                                      data={"ticket": marked.number}))
            await commit(session)
        return marked

    async def _find(self, session: AsyncSession, linkedid: str, at: datetime,
                    number: str | None) -> Ticket | None:
        if number is None:
            return await ticket_of_call(session, linkedid, at)
        ticket = await ticket_by_number(session, number)
        if ticket is None:
            raise TicketNotFound(f"no ticket {number}", number=number)
        return ticket

    def _apply(self, session: AsyncSession, ticket: Ticket, kind: str, handoff: str,
               target: str | None, at: datetime, actor: str) -> Marked:
        ctx = Context(session, self.policy(), self.calendar(), self.clock,
                      Principal(None, actor, Role.AGENT))
        mark_emergency(ctx, ticket, kind, at, {"handoff": handoff, "target": target})
        due = ticket.handle_due.isoformat() if ticket.handle_due else None
        return Marked(ticket.id, ticket.number or str(ticket.id), due)
