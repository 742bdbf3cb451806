"""Where segments go: the sink (storage) first, then every subscriber."""

import asyncio
import inspect
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from asr.events import AsrEvent, Segment

log = logging.getLogger(__name__)

Subscriber = Callable[[AsrEvent], Awaitable[None] | None]
Sink = Callable[[Segment], Awaitable[None]]


class Subscription:
    """A bounded queue of events; a reader that falls behind loses the oldest, never blocks."""

    def __init__(self, maxsize: int) -> None:
        self._queue: asyncio.Queue[AsrEvent] = asyncio.Queue(maxsize)
        self.dropped = 0

    def put(self, event: AsrEvent) -> None:
        """Queue ``event``, dropping the oldest when full."""
        if self._queue.full():
            self._queue.get_nowait()
            self.dropped += 1
            if self.dropped == 1 or self.dropped % 1000 == 0:
                log.warning("ASR subscriber falls behind: %d events dropped", self.dropped)
        self._queue.put_nowait(event)

    async def get(self) -> AsrEvent:
        """The next event, waiting for it."""
        return await self._queue.get()

    def __aiter__(self) -> AsyncIterator[AsrEvent]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[AsrEvent]:
        while True:
            yield await self._queue.get()


class SegmentHub:
    """Publishes every event; final segments reach the sink before anyone else."""

    def __init__(self, sink: Sink | None = None) -> None:
        self.sink = sink
        self._subscribers: list[Subscriber] = []

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Call ``subscriber`` (plain or async) with every event; returns the unsubscriber."""
        self._subscribers.append(subscriber)
        return lambda: self._subscribers.remove(subscriber) \
            if subscriber in self._subscribers else None

    @asynccontextmanager
    async def subscription(self, maxsize: int = 10_000) -> AsyncIterator[Subscription]:
        """Events as an async iterator for the duration of the block."""
        queue = Subscription(maxsize)
        unsubscribe = self.subscribe(queue.put)
        try:
            yield queue
        finally:
            unsubscribe()

    async def publish(self, event: AsrEvent) -> None:
        """Store a final segment, then tell every subscriber; their failures are logged only."""
        if self.sink is not None and isinstance(event, Segment) and event.final:
            try:
                await self.sink(event)
            except Exception:
                # Storage down must not cost the call its live transcript (DESIGN §1).
                log.exception("storing a segment of call %s failed", event.call_id)
        for subscriber in tuple(self._subscribers):
            try:
                result = subscriber(event)
                if inspect.isawaitable(result):
                    await result
            except Exception:
                log.exception("ASR subscriber %r failed", subscriber)
