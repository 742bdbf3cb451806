"""The platform's event bus: typed events passed between packages, in the order published.

The call controller's changes, the live drafts and the emergency hand-offs are published
here by the composition root's wiring; the screens' feed and the linkage listen. A listener
has a bounded queue: one that falls behind loses its oldest events (logged), it never holds
up the publisher (the PBX link, the recogniser).
"""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TypeAlias

from linkage.events import EmergencyChanged
from telephony.events import AgentChanged, CallChanged
from tickets.drafting.events import DraftUpdated, SuggestionsUpdated, TranscriptPartial

log = logging.getLogger(__name__)

PlatformEvent: TypeAlias = (CallChanged | AgentChanged | DraftUpdated | TranscriptPartial
                            | SuggestionsUpdated | EmergencyChanged)


class Listener:
    """Events of the kinds asked for, from the moment of listening."""

    def __init__(self, kinds: tuple[type, ...], size: int) -> None:
        self.kinds = kinds
        self._queue: asyncio.Queue[PlatformEvent] = asyncio.Queue(size)
        self.dropped = 0

    def wants(self, event: PlatformEvent) -> bool:
        return not self.kinds or isinstance(event, self.kinds)

    def put(self, event: PlatformEvent) -> None:
        if self._queue.full():  # a stalled listener must not stall the line
            self._queue.get_nowait()
            self.dropped += 1
            if self.dropped == 1 or self.dropped % 1000 == 0:
                log.warning("a bus listener falls behind: %d events dropped", self.dropped)
        self._queue.put_nowait(event)

    async def get(self) -> PlatformEvent:
        return await self._queue.get()


class EventBus:
    """Publish typed events; listen to the kinds you need."""

    def __init__(self, listener_size: int = 10_000) -> None:
        self.listener_size = listener_size
        self._listeners: set[Listener] = set()
        self._taps: list[Callable[[PlatformEvent], None]] = []

    def tap(self, recorder: Callable[[PlatformEvent], None]) -> None:
        """Run ``recorder`` on every event as it is published, before any listener has it.

        What must be known the moment a later event is handled (the feed's memory of a call,
        replayed when the call reaches a seat) cannot wait for a listener's turn.
        """
        self._taps.append(recorder)

    def listen(self, *kinds: type) -> Listener:
        """A listener of ``kinds`` (every kind when none is named); drop it with ``unlisten``."""
        listener = Listener(kinds, self.listener_size)
        self._listeners.add(listener)
        return listener

    def unlisten(self, listener: Listener) -> None:
        self._listeners.discard(listener)

    @contextlib.asynccontextmanager
    async def listening(self, *kinds: type) -> AsyncIterator[Listener]:
        listener = self.listen(*kinds)
        try:
            yield listener
        finally:
            self.unlisten(listener)

    async def publish(self, event: PlatformEvent) -> None:
        """Hand ``event`` to every listener that wants it (never blocks)."""
        for recorder in self._taps:
            recorder(event)
        for listener in tuple(self._listeners):
            if listener.wants(event):
                listener.put(event)


Handler = Callable[[PlatformEvent], Awaitable[None]]


async def follow(bus: EventBus, handler: Handler, *kinds: type, what: str) -> None:
    """Call ``handler`` with every event of ``kinds``, in order, until cancelled.

    A handler's failure is logged and the next event is handled: one bad event must not end
    the following.
    """
    async with bus.listening(*kinds) as listener:
        while True:
            event = await listener.get()
            try:
                await handler(event)
            except Exception:
                log.exception("%s: handling %s failed", what, type(event).__name__)
