"""Wiring of the emergency linkage: drafts and calls from the bus, the AMI link, the voice
through the shared conference rooms, the data packets, and the tickets' desk."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hotline.bus import EventBus, PlatformEvent, follow
from hotline.settings import Settings
from kernel.clock import now
from linkage.data import DataSender
from linkage.delivery import Delivery
from linkage.ports import TicketDesk
from linkage.service import LinkageService
from linkage.targets import Entries
from linkage.ticketing import Ticketing
from linkage.voice import ConferenceVoice
from telephony.ami.events import Hangup, VarSet
from telephony.conference.service import ConferenceService
from telephony.controller.service import CallController
from telephony.deps import TelephonyRuntime
from telephony.dialing import SIMULATED
from telephony.events import CallChanged
from tickets.calendar.service import load_calendar
from tickets.calendar.workdays import WorkingCalendar
from tickets.drafting.events import DraftUpdated
from tickets.policy.registry import get_policy
from tickets.workflow.emergency import EmergencyDesk

log = logging.getLogger(__name__)

REFRESH_SECONDS = 60.0  # another node's change to the emergency list reaches this one


def emergency_dial(settings: Settings) -> str:
    """The hand-offs' dial string: the setting, an emergency line, the carrier, the simulator."""
    if settings.dial_emergency:
        return settings.dial_emergency
    for kind in ("emergency", "trunk"):
        peer = next((p.name for p in settings.sip_peers if p.kind == kind), None)
        if peer is not None:
            return f"PJSIP/{{number}}@{peer}"
    return SIMULATED


class Calendar:
    """The working calendar the emergency deadlines are counted on, refreshed by the linkage."""

    def __init__(self) -> None:
        self.current = WorkingCalendar()

    def __call__(self) -> WorkingCalendar:
        return self.current


def ticket_desk(settings: Settings, sessionmaker: async_sessionmaker[AsyncSession],
                calendar: Calendar) -> TicketDesk:
    """The tickets' side of a hand-off, under the deployment's policy."""
    policy = get_policy(settings.policy)
    return EmergencyDesk(sessionmaker, lambda: policy, calendar, now)


@asynccontextmanager
async def linkage_running(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession],
    telephony: TelephonyRuntime, bus: EventBus, calendar: Calendar | None = None,
) -> AsyncIterator[LinkageService]:
    """Hear drafts and calls from the bus and the IVR's choice from AMI; hand off through the
    shared rooms; publish every step on the bus."""
    calendar = calendar or Calendar()
    controller, link = telephony.controller, telephony.link
    voice = None
    if controller is not None and link is not None:
        # The agents' conference API and the linkage steer the same rooms.
        telephony.conference = telephony.conference or ConferenceService(
            link, controller, telephony.dialing)
        voice = ConferenceVoice(telephony.conference, emergency_dial(settings),
                                settings.linkage_ring_seconds)
    client = httpx.AsyncClient(timeout=settings.linkage_data_timeout_seconds)
    entries = Entries(sessionmaker)
    service = LinkageService(
        entries=entries, announce=bus.publish, voice=voice,
        data=DataSender(Delivery(client, attempts=settings.linkage_data_attempts,
                                 backoff=settings.linkage_data_backoff_seconds), now),
        ticketing=Ticketing(sessionmaker, ticket_desk(settings, sessionmaker, calendar), now),
        clock=now, caller_id=settings.linkage_caller_id,
        owner=OwnerOf(controller) if controller is not None else None)

    async def heard(event: PlatformEvent) -> None:
        if isinstance(event, DraftUpdated):
            await service.on_draft(event)
        elif isinstance(event, CallChanged):
            await service.on_call(event)

    tasks = [asyncio.create_task(_refresh(entries, sessionmaker, calendar)),
             asyncio.create_task(follow(bus, heard, DraftUpdated, CallChanged,
                                        what="linkage"))]
    unsubscribe = link.subscribe(service.on_ami, VarSet, Hangup) if link is not None else None
    log.info("emergency linkage on: dialling %s", emergency_dial(settings))
    try:
        yield service
    finally:
        if unsubscribe is not None:
            unsubscribe()
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await service.close()
        await client.aclose()


class OwnerOf:
    """The call a channel belongs to, as the controller's picture says."""

    def __init__(self, controller: CallController) -> None:
        self.controller = controller

    def __call__(self, uniqueid: str, linkedid: str) -> str | None:
        call = self.controller.line.call_of(uniqueid, linkedid)
        return call.linkedid if call is not None else None


async def _refresh(entries: Entries, sessionmaker: async_sessionmaker[AsyncSession],
                   calendar: Calendar) -> None:
    """The emergency list and the calendar now, then every minute (other nodes' changes)."""
    while True:
        try:
            await entries.refresh()
            async with sessionmaker() as session:
                calendar.current = await load_calendar(session)
        except Exception:  # the database may be down for a while; keep what is loaded
            log.exception("refreshing the emergency list failed; keeping the loaded one")
        await asyncio.sleep(REFRESH_SECONDS)
