"""Wiring of the telephony side: one AMI link and one call controller per Asterisk.

The controller's changes go onto the platform's bus (the screens' feed, the linkage).
"""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hotline.bus import EventBus
from hotline.operators import RegisteredUnitNumbers
from hotline.settings import Settings
from kernel.clock import now
from telephony.ami.link import AmiLink
from telephony.callbacks.follow import CallbackBridges
from telephony.controller.astdb import AmiAstDb, mirror_routing
from telephony.controller.service import CallController
from telephony.deps import TelephonyRuntime

log = logging.getLogger(__name__)


@asynccontextmanager
async def telephony_running(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], bus: EventBus
) -> AsyncIterator[TelephonyRuntime]:
    """Start the AMI link and the controller; they keep trying while Asterisk is away."""
    controller = CallController(sessionmaker, now)
    controller.callback_within = timedelta(minutes=settings.callback_within_minutes)
    controller.own_numbers = settings.seat_rules().extensions  # an agent's test call
    link = AmiLink(settings.ami_host, settings.ami_port, settings.ami_username,
                   settings.ensure_ami_secret(), on_connected=controller.resync)
    # AstDB over a login of its own (`system`, which the controller's login never has).
    writer = AmiLink(settings.ami_host, settings.ami_port, settings.ami_astdb_username,
                     settings.ensure_ami_astdb_secret(), events="off",
                     on_connected=mirror_routing(sessionmaker, now))
    controller.attach(link)
    CallbackBridges(sessionmaker, now).attach(link)  # a callback is done once an agent takes it
    link.start()
    writer.start()
    tasks = [asyncio.create_task(_tick(controller)),
             asyncio.create_task(to_the_bus(controller, bus))]
    log.info("AMI links to %s:%d started", settings.ami_host, settings.ami_port)
    try:
        yield TelephonyRuntime(sessionmaker=sessionmaker, astdb=AmiAstDb(writer), link=link,
                               controller=controller, dialing=settings.dialing(),
                               seats=settings.seat_rules(),
                               units=RegisteredUnitNumbers(sessionmaker))
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await writer.close()
        await link.close()


async def _tick(controller: CallController) -> None:
    """The controller's timers (after-call work), once a second."""
    while True:
        await asyncio.sleep(1.0)
        try:
            await controller.tick()
        except Exception:  # a timer's failure must not end the timers
            log.exception("controller tick failed")


async def to_the_bus(controller: CallController, bus: EventBus) -> None:
    """Every change of the controller's picture onto the platform's bus, in order."""
    changes = controller.listen()
    try:
        while True:
            await bus.publish(await changes.get())
    finally:
        controller.unlisten(changes)
