"""The ticket side of a hand-off, through the tickets' desk (a port the root passes in)."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from linkage.errors import HandoffNotFound, TicketNotFound
from linkage.models import Handoff, HandoffRecord
from linkage.ports import TicketDesk, TicketFacts

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Marked:
    """The ticket that became an emergency ticket: its number, deadline, place and summary."""

    ticket_id: int
    number: str
    handle_due: str | None
    place: str
    summary: str

    @classmethod
    def of(cls, facts: TicketFacts) -> "Marked":
        due = facts.handle_due.isoformat() if facts.handle_due else None
        return cls(facts.ticket_id, facts.number, due, facts.place, facts.summary)


@dataclass(frozen=True)
class Ticketing:
    """Marks the call's ticket an emergency ticket; keeps the hand-off's rows in step."""

    sessionmaker: async_sessionmaker[AsyncSession]  # the linkage's own tables
    desk: TicketDesk
    clock: Callable[[], datetime]

    async def mark(self, *, linkedid: str, kind: str, handoff: str, target: str | None,
                   at: datetime, actor: str, number: str | None = None) -> Marked | None:
        """Mark the ticket ``number`` (or the call's own ticket, if written yet)."""
        facts = await self._find(linkedid, at, number)
        if facts is None:
            return None
        marked = Marked.of(await self.desk.mark_emergency(
            facts.ticket_id, kind, at, actor, {"handoff": handoff, "target": target}))
        log.info("call %s: ticket %s is an emergency ticket (%s), due %s", linkedid,
                 marked.number, kind, marked.handle_due)
        return marked

    async def mark_stored(self, *, linkedid: str, kind: str | None, number: str, actor: str
                          ) -> Marked:
        """The same for a hand-off this node no longer steers: from its stored row."""
        async with self.sessionmaker() as session:
            row = await self._stored(session, linkedid, kind)
            facts = await self._find(linkedid, row.alerted_at, number)
            assert facts is not None  # _find raises for a number it cannot find
            marked = Marked.of(await self.desk.mark_emergency(
                facts.ticket_id, row.kind, row.confirmed_at or row.alerted_at, actor,
                {"handoff": row.key, "target": row.target}))
            row.ticket_id, row.ticket_number = marked.ticket_id, marked.number
            session.add(HandoffRecord(handoff_id=row.id, at=self.clock(), actor=actor,
                                      event="ticket", from_state=row.state, to_state=row.state,
                                      data={"ticket": marked.number}))
            await session.commit()
        return marked

    async def ticket(self, number: str) -> TicketFacts:
        """The ticket ``number``, or :class:`TicketNotFound`."""
        facts = await self.desk.by_number(number)
        if facts is None:
            raise TicketNotFound(f"no ticket {number}", number=number)
        return facts

    @staticmethod
    async def _stored(session: AsyncSession, linkedid: str, kind: str | None) -> Handoff:
        query = select(Handoff).where(Handoff.linkedid == linkedid)
        if kind is not None:
            query = query.where(Handoff.kind == kind)
        row = (await session.scalars(query.order_by(Handoff.id.desc()))).first()
        if row is None:
            raise HandoffNotFound(f"call {linkedid} has no hand-off", linkedid=linkedid,
                                  kind=kind)
        return row

    async def _find(self, linkedid: str, at: datetime, number: str | None
                    ) -> TicketFacts | None:
        if number is None:
            return await self.desk.of_call(linkedid, at)
        return await self.ticket(number)
