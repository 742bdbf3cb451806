"""Wiring of the IVR: the FastAGI server with the tickets and the revisit survey behind it."""

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hotline.settings import Settings
from ivr.ports import SurveyBackend, TicketStatus
from ivr.prompts.catalogue import STATE_LABELS  # the labels that have a prompt
from ivr.prompts.player import PromptDir, Prompts
from ivr.server import IvrServer
from telephony.pbx.process import Instance
from telephony.pbx.prompts import PROMPTS
from tickets.workflow.machine import OPEN_STATES
from tickets.workflow.models import Ticket

log = logging.getLogger(__name__)


class TicketStatusLookup:
    """``ivr.ports.TicketLookup`` on the tickets: state and due date, nothing personal."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession],
                 clock: Callable[[], datetime]) -> None:
        self.sessionmaker = sessionmaker
        self.clock = clock

    async def status(self, number: str) -> TicketStatus | None:
        """The ticket's state label and due date; None when no ticket has that number."""
        async with self.sessionmaker() as session:
            row = (await session.execute(
                select(Ticket.state, Ticket.handle_due).where(Ticket.number == number)
            )).one_or_none()
        if row is None:
            return None
        state, due = row
        overdue = due is not None and state in OPEN_STATES and due < self.clock()
        return TicketStatus(number, STATE_LABELS.get(state, state),
                            due.date() if due is not None else None, overdue)


@asynccontextmanager
async def ivr_running(settings: Settings, sessionmaker: async_sessionmaker[AsyncSession],
                      clock: Callable[[], datetime], surveys: SurveyBackend
                      ) -> AsyncIterator[IvrServer]:
    """Serve FastAGI for the dialplan's AGI(agi://…/ivr) and AGI(agi://…/revisit)."""
    instance = Instance(settings.asterisk_root, settings.effective_asterisk_instance_dir)
    prompts = Prompts.in_instance(PromptDir(instance.run_dir / PROMPTS, instance.inside / PROMPTS))
    server = IvrServer(settings.agi_host, settings.agi_port,
                       tickets=TicketStatusLookup(sessionmaker, clock), surveys=surveys,
                       prompts=prompts, config=settings.ivr_config())
    await server.start()
    log.info("FastAGI (IVR) on %s:%d", settings.agi_host, server.port)
    try:
        yield server
    finally:
        await server.stop(grace=5.0)
