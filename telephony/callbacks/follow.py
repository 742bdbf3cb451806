"""A callback is done when an agent is bridged with the citizen: followed on the AMI link.

The dialer places the callback leg tagged with its callback (``HOTLINE_CALLBACK_ID``, one of
manager.conf's channelvars, so every event of the leg carries it). The citizen answering is
not enough: the leg then waits in the queue, and a citizen who hangs up there is called again
by the dialer's next attempt. Only the queue's ``AgentConnect`` for that leg marks it done.
With several nodes every node follows; the compare-and-set in ``service.move`` lets one win.
"""

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from telephony.ami.dispatch import Subscriber
from telephony.ami.events import AgentConnect, AmiEvent
from telephony.callbacks.service import bridged
from telephony.calls.machine import callback_id_of

log = logging.getLogger(__name__)


class EventSource(Protocol):
    """What the follower needs of an AMI link (``telephony.ami.link.AmiLink``)."""

    def subscribe(self, callback: Subscriber, *types: type[AmiEvent]) -> Callable[[], None]: ...


class CallbackBridges:
    """Marks a callback done when the queue bridges its leg with an agent."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession],
                 clock: Callable[[], datetime]) -> None:
        self.sessionmaker, self.clock = sessionmaker, clock
        self.done = 0  # callbacks this node marked done, for tests and the status page

    def attach(self, link: EventSource) -> Callable[[], None]:
        """Follow ``link``'s queue connections; returns the unsubscriber."""
        return link.subscribe(self.on_event, AgentConnect)

    async def on_event(self, event: AmiEvent) -> None:
        if not isinstance(event, AgentConnect) or event.channel is None:
            return
        callback_id = callback_id_of(event.channel.variables)
        if callback_id is None:
            return
        try:
            async with self.sessionmaker() as session:
                if await bridged(session, callback_id, self.clock()) is not None:
                    self.done += 1
                    log.info("callback %d: %s bridged with %s", callback_id,
                             event.channel.caller_num, event.interface)
        except Exception:  # the database may be down: the call goes on, the dialer retries
            log.exception("could not mark callback %d done", callback_id)
