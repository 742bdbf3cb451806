"""The call controller: one per Asterisk, fed by its AMI link, heard by the screens."""

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from telephony.ami.events import AmiEvent, CoreShowChannel, QueueEntry, QueueMember
from telephony.ami.link import AmiLink
from telephony.callbacks.service import CALLBACK_WITHIN, offer_callbacks
from telephony.calls.records import save_ended
from telephony.controller.line import Line
from telephony.controller.resync import resync as resync_line
from telephony.events import AgentView, CallView, LineSnapshot, TelephonyEvent

log = logging.getLogger(__name__)


class CallController:
    """Keeps the picture of calls and agents current and tells listeners what moved.

    After every (re)connect of the link it resynchronises from Asterisk (channels, queue
    members and entries), so the picture is never stale. AstDB's routing families are
    rewritten by the AstDB writer's link (``telephony.controller.astdb.mirror_routing``):
    this link's login may not write AstDB.
    """

    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], clock: Callable[[], datetime],
        *, wrap_up: timedelta = timedelta(seconds=30), listener_queue: int = 1000,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.clock = clock
        self.line = Line(clock, wrap_up)
        self.listeners: set[asyncio.Queue[TelephonyEvent]] = set()
        self.listener_queue = listener_queue
        self.resyncs = 0
        self.callback_within = CALLBACK_WITHIN  # the composition root sets it from settings
        # the platform's own numbers besides 12345 and the legacy lines (the agents'
        # extensions): never owed a callback; the composition root sets them
        self.own_numbers: frozenset[str] = frozenset()

    def attach(self, link: AmiLink) -> None:
        """Follow ``link``'s events (create the link with ``on_connected=controller.resync``)."""
        link.subscribe(self.on_event)

    async def on_event(self, event: AmiEvent) -> None:
        """Apply one event, store ended calls, tell listeners."""
        await self._publish(self.line.apply(event))

    async def tick(self) -> None:
        """Run the timers (after-call work)."""
        await self._publish(self.line.tick())

    async def resync(self, link: AmiLink) -> None:
        """Rebuild the picture from Asterisk."""
        channels = await link.send_action({"Action": "CoreShowChannels"})
        status = await link.send_action({"Action": "QueueStatus"})
        live = [e for e in channels.events if isinstance(e, CoreShowChannel)]
        entries = [e for e in status.events if isinstance(e, QueueEntry)]
        members = [e for e in status.events if isinstance(e, QueueMember)]
        changes = resync_line(self.line, live, entries, members)
        self.resyncs += 1
        log.info("resync %d: %d channels, %d members", self.resyncs, len(live), len(members))
        await self._publish(changes)

    def listen(self) -> asyncio.Queue[TelephonyEvent]:
        """A queue that receives every change from now on (drop it with ``unlisten``)."""
        queue: asyncio.Queue[TelephonyEvent] = asyncio.Queue(self.listener_queue)
        self.listeners.add(queue)
        return queue

    def unlisten(self, queue: asyncio.Queue[TelephonyEvent]) -> None:
        self.listeners.discard(queue)

    def expect_party(self, channel_id: str, owner: str) -> None:
        """The platform is about to originate ``channel_id`` for call ``owner``: fold it in."""
        self.line.merged[channel_id] = owner

    def snapshot(self) -> LineSnapshot:
        """The whole picture, for a screen that just opened."""
        return LineSnapshot(tuple(CallView.of(c) for c in self.line.calls.values()),
                            tuple(AgentView.of(a) for a in self.line.agents.values()))

    async def _publish(self, changes: list[TelephonyEvent]) -> None:
        await self._store_ended()
        for change in changes:
            for queue in list(self.listeners):
                if queue.full():  # a stalled screen must not stall the controller
                    log.warning("listener queue full; dropping a slow listener")
                    self.listeners.discard(queue)
                    continue
                queue.put_nowait(change)

    async def _store_ended(self) -> None:
        ended = self.line.take_ended()
        if not ended:
            return
        try:
            async with self.sessionmaker() as session:
                for call in ended:
                    await save_ended(session, call)
                await offer_callbacks(session, ended, self.callback_within, self.own_numbers)
        except Exception:  # the database may be down; the call already went on without it
            log.exception("could not store %d ended calls", len(ended))
