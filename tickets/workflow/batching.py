"""Group commit for ticket creation: creations that arrive together share one transaction.

Most of a creation's cost is SQLAlchemy's per-statement work, not the database's; the
unit of work turns N pending tickets into one multi-row INSERT. The first creation starts a
batch at once (no added wait when the line is quiet); those arriving while it runs form the
next one. A batch that fails is retried one creation at a time, so one bad ticket never
costs the others theirs.
"""

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tickets.calendar.workdays import WorkingCalendar
from tickets.database import commit, flush
from tickets.policy.schema import Policy
from tickets.principal import Principal
from tickets.workflow.context import Context
from tickets.workflow.intake import new_ticket, number_ticket
from tickets.workflow.queries import to_out
from tickets.workflow.schemas import TicketCreate, TicketOut

log = logging.getLogger(__name__)


@dataclass
class _Creation:
    actor: Principal
    data: TicketCreate
    done: asyncio.Future[TicketOut] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future())


class CreationBatcher:
    """Creates tickets in batches of up to ``max_batch`` per transaction."""

    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], policy: Callable[[], Policy],
        calendar: Callable[[], WorkingCalendar], clock: Callable[[], datetime],
        max_batch: int = 64,
    ) -> None:
        self.sessionmaker, self.policy, self.calendar, self.clock = (
            sessionmaker, policy, calendar, clock)
        self.max_batch = max_batch
        self._waiting: list[_Creation] = []
        self._running = False
        self.batches = 0

    async def create(self, actor: Principal, data: TicketCreate) -> TicketOut:
        """Create one ticket (accepted if asked) and return the creator's view of it."""
        creation = _Creation(actor, data)
        self._waiting.append(creation)
        if not self._running:
            self._running = True
            asyncio.get_running_loop().create_task(self._drain())
        return await creation.done

    async def _drain(self) -> None:
        try:
            while self._waiting:
                batch = self._waiting[:self.max_batch]
                del self._waiting[:self.max_batch]
                await self._run(batch)
        finally:
            self._running = False

    async def _run(self, batch: list[_Creation]) -> None:
        self.batches += 1
        if len(batch) == 1:
            await self._one(batch[0])
            return
        try:
            outs = await self._together(batch)
        except Exception as exc:  # its text may hold SQL: the kind of error is enough here
            log.warning("a batch of %d creations failed (%s); retrying one by one", len(batch),
                        type(exc).__name__)
            for creation in batch:
                await self._one(creation)
            return
        for creation, out in zip(batch, outs, strict=True):
            creation.done.set_result(out)

    async def _together(self, batch: list[_Creation]) -> list[TicketOut]:
        async with self.sessionmaker() as session:
            contexts = [self._context(session, c.actor) for c in batch]
            tickets = [new_ticket(ctx, c.data) for ctx, c in zip(contexts, batch, strict=True)]
            await flush(session)
            for ctx, ticket, creation in zip(contexts, tickets, batch, strict=True):
                number_ticket(ctx, ticket, creation.data)
            await flush(session)
            outs = [to_out(session, t, ctx.actor, ctx.clock())
                    for ctx, t in zip(contexts, tickets, strict=True)]
            await commit(session)
        return outs

    async def _one(self, creation: _Creation) -> None:
        try:
            outs = await self._together([creation])
        except Exception as exc:  # the creator gets its own error, domain or not
            creation.done.set_exception(exc)
            return
        creation.done.set_result(outs[0])

    def _context(self, session: AsyncSession, actor: Principal) -> Context:
        return Context(session, self.policy(), self.calendar(), self.clock, actor)
