"""Wiring of the emergency linkage: detection from the controller and AMI, voice, data."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hotline.settings import Settings
from kernel.clock import now
from linkage.data import DataSender
from linkage.delivery import Delivery
from linkage.service import LinkageService
from linkage.targets import Entries
from linkage.ticketing import Ticketing
from linkage.voice import ConferenceVoice
from telephony.ami.events import Hangup, VarSet
from telephony.conference.service import ConferenceService
from telephony.controller.line import Change
from telephony.controller.service import CallController
from telephony.deps import TelephonyRuntime
from telephony.dialing import SIMULATED
from tickets.calendar.service import load_calendar
from tickets.calendar.workdays import WorkingCalendar
from tickets.policy.registry import get_policy

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


@asynccontextmanager
async def linkage_running(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession],
    telephony: TelephonyRuntime,
) -> AsyncIterator[LinkageService]:
    """Follow the controller's changes and the AMI link; hand off through the shared rooms."""
    policy = get_policy(settings.policy)
    calendar = [WorkingCalendar()]
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
        entries=entries, announce=controller.announce if controller else _nowhere, voice=voice,
        data=DataSender(Delivery(client, attempts=settings.linkage_data_attempts,
                                 backoff=settings.linkage_data_backoff_seconds), now),
        ticketing=Ticketing(sessionmaker, lambda: policy, lambda: calendar[0], now), clock=now,
        caller_id=settings.linkage_caller_id,
        owner=OwnerOf(controller) if controller is not None else None)
    tasks = [asyncio.create_task(_refresh(entries, sessionmaker, calendar))]
    unsubscribe = None
    if controller is not None:
        tasks.append(asyncio.create_task(_follow(controller, service)))
    if link is not None:
        unsubscribe = link.subscribe(service.on_ami, VarSet, Hangup)
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


async def _follow(controller: CallController, service: LinkageService) -> None:
    """Every change the controller publishes (drafts, calls) into the linkage, in order."""
    queue = controller.listen()
    try:
        while True:
            try:
                # asyncio.timeout, not wait_for: 3.11's wait_for can swallow a cancellation
                # that lands as the get completes, and this loop would never stop.
                async with asyncio.timeout(5.0):
                    change = await queue.get()
            except TimeoutError:
                if queue not in controller.listeners:  # dropped once as a slow listener
                    log.warning("the linkage fell behind the controller; listening again")
                    queue = controller.listen()
                continue
            if change.kind == "emergency":  # our own
                continue
            try:
                await service.on_change(change)
            except Exception:  # one bad change must not end the detection
                log.exception("linkage: handling %s %s failed", change.kind, change.key)
    finally:
        controller.unlisten(queue)


async def _refresh(entries: Entries, sessionmaker: async_sessionmaker[AsyncSession],
                   calendar: list[WorkingCalendar]) -> None:
    """The emergency list and the calendar now, then every minute (other nodes' changes)."""
    while True:
        try:
            await entries.refresh()
            async with sessionmaker() as session:
                calendar[0] = await load_calendar(session)
        except Exception:  # the database may be down for a while; keep what is loaded
            log.exception("refreshing the emergency list failed; keeping the loaded one")
        await asyncio.sleep(REFRESH_SECONDS)


async def _nowhere(change: Change) -> None:
    """No controller in this process: the timeline is stored, no screen is told."""
