"""Everything the platform runs beside the API, started in order and stopped in reverse.

The AMI link and call controller, live transcription and drafting, the IVR's FastAGI server,
the emergency linkage, and the scheduler (revisits, callbacks, reminders; on the lease holder).
"""

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hotline.bus import EventBus
from hotline.ivr import ivr_running
from hotline.linkage import linkage_running
from hotline.outbound import outbound_dialer
from hotline.revisits.config import revisit_rules
from hotline.revisits.survey import IvrSurveyBackend, RevisitSurveyRecords
from hotline.scheduler.running import scheduler_running
from hotline.settings import Settings
from hotline.telephony import telephony_running
from hotline.transcription import transcription_running
from tickets.drafting.live import LiveDrafting
from tickets.runtime import Runtime


@asynccontextmanager
async def services_running(app: FastAPI, settings: Settings,
                           sessionmaker: async_sessionmaker[AsyncSession], runtime: Runtime,
                           drafting: LiveDrafting, bus: EventBus) -> AsyncIterator[None]:
    """Start every service, keep each on ``app.state`` for the routers, stop them all."""
    async with AsyncExitStack() as stack:
        telephony = await stack.enter_async_context(
            telephony_running(settings, sessionmaker, bus))
        app.state.telephony = telephony
        app.state.transcription = await stack.enter_async_context(
            transcription_running(settings, sessionmaker, telephony, drafting, bus))
        rules = revisit_rules(settings)
        surveys = IvrSurveyBackend(RevisitSurveyRecords(sessionmaker, rules, runtime.clock))
        app.state.ivr = await stack.enter_async_context(
            ivr_running(settings, sessionmaker, runtime.clock, surveys))
        app.state.linkage = await stack.enter_async_context(
            linkage_running(settings, sessionmaker, telephony, bus))
        dialer = None
        if telephony.link is not None:
            dialer = outbound_dialer(settings, sessionmaker, telephony.link)
        app.state.scheduler = await stack.enter_async_context(
            scheduler_running(settings, sessionmaker, runtime, dialer))
        yield
