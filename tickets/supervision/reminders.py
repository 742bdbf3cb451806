"""The daily round of due-soon reminders: a system reminder to each ticket's unit, once per
handling period (wuhai 6.5: remind before supervising)."""

import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kernel.clock import beijing
from tickets.calendar.workdays import WorkingCalendar
from tickets.database import commit
from tickets.errors import DomainError
from tickets.policy.schema import Policy
from tickets.supervision.models import Reminder
from tickets.supervision.scan import due_soon
from tickets.supervision.schemas import ReminderForm
from tickets.supervision.service import remind
from tickets.workflow.context import Context
from tickets.workflow.models import Ticket

log = logging.getLogger(__name__)


async def remind_due_soon(sessionmaker: async_sessionmaker[AsyncSession], policy: Policy,
                          calendar: WorkingCalendar, context_of: Callable[[AsyncSession], Context],
                          now: datetime) -> list[str]:
    """The numbers of the tickets reminded now (each once since its clock started)."""
    async with sessionmaker() as session:
        listing = await due_soon(session, policy, calendar, now)
        todo = [(t.id, t.number or str(t.id), t.clock_started_at or t.created_at)
                for t in listing.items]
    reminded = []
    for ticket_id, number, since in todo:
        async with sessionmaker() as session:
            if await _reminded_since(session, ticket_id, since):
                continue
            ticket = await session.get_one(Ticket, ticket_id, with_for_update=True)
            due = beijing(ticket.handle_due or now)
            try:
                await remind(context_of(session), ticket, ReminderForm.SYSTEM,
                             note=f"due soon: {due:%Y-%m-%d %H:%M}")
                await commit(session)
            except DomainError as exc:  # the unit replied meanwhile
                log.info("due-soon reminder for %s skipped: %s", number, exc)
                continue
        reminded.append(number)
    return reminded


async def _reminded_since(session: AsyncSession, ticket_id: int, since: datetime) -> bool:
    found = await session.scalar(select(Reminder.id).where(
        Reminder.ticket_id == ticket_id, Reminder.form == ReminderForm.SYSTEM.value,
        Reminder.at >= since).limit(1))
    return found is not None
