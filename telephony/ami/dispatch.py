"""Delivers typed events, in order, to async subscribers; a failing subscriber is only logged."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from telephony.ami.events import AmiEvent

log = logging.getLogger(__name__)

Subscriber = Callable[[AmiEvent], Awaitable[None]]
Backlog = Callable[[bool], None]


class Dispatcher:
    """One task draining a queue of event batches into the subscribers, one event at a time."""

    def __init__(self, on_backlog: Backlog, *, high_water: int = 256, low_water: int = 16) -> None:
        self._queue: asyncio.Queue[list[AmiEvent]] = asyncio.Queue()
        self._subscribers: list[tuple[Subscriber, tuple[type[AmiEvent], ...]]] = []
        self._routes: dict[type[AmiEvent], tuple[Subscriber, ...]] = {}
        self._on_backlog = on_backlog
        self._high = high_water
        self._low = low_water
        self._backlogged = False
        self.dispatched = 0
        self.errors = 0

    def subscribe(self, callback: Subscriber, *types: type[AmiEvent]) -> Callable[[], None]:
        """Deliver events of these types (all when none) to callback; returns the unsubscriber."""
        entry = (callback, types or (AmiEvent,))
        self._subscribers.append(entry)
        self._routes.clear()

        def unsubscribe() -> None:
            if entry in self._subscribers:
                self._subscribers.remove(entry)
                self._routes.clear()

        return unsubscribe

    def push(self, batch: list[AmiEvent]) -> None:
        """Queue a batch; past the high-water mark, ask the link to stop reading."""
        self._queue.put_nowait(batch)
        if not self._backlogged and self._queue.qsize() >= self._high:
            self._backlogged = True
            log.warning("AMI subscribers are behind (%d batches queued); pausing reads", self._high)
            self._on_backlog(True)

    async def drain(self) -> None:
        """Wait until every batch queued so far has been delivered."""
        await self._queue.join()

    async def run(self) -> None:
        """Deliver batches until cancelled."""
        while True:
            batch = await self._queue.get()
            try:
                await self._deliver(batch)
            finally:
                self._queue.task_done()
            if self._backlogged and self._queue.qsize() <= self._low:
                self._backlogged = False
                self._on_backlog(False)

    async def _deliver(self, batch: list[AmiEvent]) -> None:
        routes = self._routes
        for event in batch:
            subscribers = routes.get(type(event))
            if subscribers is None:
                subscribers = self._route(type(event))
            for subscriber in subscribers:
                try:
                    await subscriber(event)
                except Exception:
                    self.errors += 1
                    log.exception("AMI subscriber %r failed on %r", subscriber, event)
        self.dispatched += len(batch)

    def _route(self, kind: type[AmiEvent]) -> tuple[Subscriber, ...]:
        found = tuple(cb for cb, types in self._subscribers if issubclass(kind, types))
        self._routes[kind] = found
        return found
