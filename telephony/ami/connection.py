"""One TCP connection to AMI: panoramisk's protocol with our decoder and our action matching."""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from panoramisk.actions import Action
from panoramisk.ami_protocol import AMIProtocol

from telephony.ami.errors import AmiBadAction, AmiDisconnected, AmiNotConnected, AmiTimeout
from telephony.ami.events import AmiEvent, MalformedEvent, parse_event
from telephony.ami.frames import AmiDecoder, AmiMessage, FrameStats
from telephony.ami.pending import AmiResponse, Pending

log = logging.getLogger(__name__)

ActionFields = Mapping[str, str | Sequence[str]]
Sink = Callable[[list[AmiEvent]], None]
_action_ids = itertools.count(1)


@dataclass
class Counters:
    """What every connection of one link saw; the link reports them."""

    events: int = 0
    malformed: int = 0
    unsolicited: int = 0


def encode_action(fields: ActionFields, action_id: str) -> bytes:
    """The action on the wire; refuses CR/LF anywhere, which would inject headers."""
    clean: dict[str, Any] = {}
    for key, value in fields.items():
        values = [value] if isinstance(value, str) else list(value)
        if not key or any(c in key for c in ":\r\n ") or any(_unsafe(v) for v in values):
            raise AmiBadAction("an action header or value holds CR, LF or a bad key", key=key)
        clean[key] = value if isinstance(value, str) else values
    clean["ActionID"] = action_id
    # panoramisk's Action writes "Key: value" lines, one per item of a list value.
    return str(Action(clean, as_list=False)).encode("utf-8")


def _unsafe(value: str) -> bool:
    return "\r" in value or "\n" in value


class AmiConnection(AMIProtocol):  # type: ignore[misc]
    """panoramisk's AMIProtocol whose data_received uses our incremental decoder."""

    def __init__(self, sink: Sink, counters: Counters, stats: FrameStats, max_message: int):
        super().__init__()
        self.decoder = AmiDecoder(max_message, stats)
        self.pending: dict[str, Pending] = {}
        self.counters = counters
        self.sink = sink
        # Until the link's on_connected hook has run, events wait here (see AmiLink).
        self.holding = True
        self.held: list[AmiEvent] = []
        self.reading_paused = False
        self.lost: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Keep the transport; panoramisk's factory machinery stays unused."""
        super().connection_made(transport)
        self.factory = None

    def data_received(self, data: bytes) -> None:
        """Decode, match answers to pending actions, hand the events on."""
        messages = self.decoder.messages(data)
        batch: list[AmiEvent] = []
        append = batch.append
        pending = self.pending
        counters = self.counters
        for message in messages:
            fields = message.fields
            action_id = fields.get("actionid")
            waiting = pending.get(action_id) if action_id and pending else None
            if "event" not in fields:
                self._on_response(message, waiting)
                continue
            counters.events += 1
            event = parse_event(message)
            if type(event) is MalformedEvent:
                counters.malformed += 1
            if waiting is not None:
                waiting.on_event(message, event)
                self._settle(waiting)
                if not waiting.originate:
                    continue  # a list item belongs to its action's answer
            if event is not None:
                append(event)
        if batch:
            self._emit(batch)

    def _on_response(self, message: AmiMessage, waiting: Pending | None) -> None:
        if waiting is None:
            self.counters.unsolicited += 1
            log.debug("AMI response matches no pending action: %r", message)
            return
        waiting.on_response(message)
        self._settle(waiting)

    def _settle(self, waiting: Pending) -> None:
        if waiting.done:
            self.pending.pop(waiting.action_id, None)

    def _emit(self, batch: list[AmiEvent]) -> None:
        if self.holding:
            self.held.extend(batch)
        else:
            self.sink(batch)

    def release(self) -> None:
        """Stop holding events; deliver those held, in order."""
        self.holding = False
        held, self.held = self.held, []
        if held:
            self.sink(held)

    def connection_lost(self, exc: Exception | None) -> None:
        """Fail what was pending; an action is never re-sent on another connection."""
        self.closed = True
        for waiting in list(self.pending.values()):
            waiting.fail(AmiDisconnected("the AMI link dropped", action=waiting.action))
        self.pending.clear()
        if not self.lost.done():
            self.lost.set_result(None)

    def abort(self) -> None:
        """Drop the TCP connection now, without waiting to flush (it may be half-open)."""
        if not self.closed:
            self.transport.abort()

    def set_reading_paused(self, paused: bool) -> None:
        """Stop or resume reading from the socket (subscriber back-pressure)."""
        if self.closed or paused == self.reading_paused:
            return
        self.reading_paused = paused
        if paused:
            self.transport.pause_reading()
        else:
            self.transport.resume_reading()

    async def request(
        self, fields: ActionFields, *, within: float, action_id: str = "", originate: bool = False
    ) -> AmiResponse:
        """Send an action and await its whole answer for up to `within` seconds."""
        if self.closed:
            raise AmiNotConnected("the AMI link is not connected")
        action_id = action_id or f"hotline-{next(_action_ids)}"
        if action_id in self.pending:
            raise AmiBadAction("an action with this ActionID is pending", action_id=action_id)
        wire = encode_action(fields, action_id)
        action = str(fields.get("Action", ""))
        waiting = Pending(action, action_id, originate=originate)
        self.pending[action_id] = waiting
        try:
            self.transport.write(wire)
            async with asyncio.timeout(within):
                return await waiting.future
        except TimeoutError:
            raise AmiTimeout(f"no answer to {action} in {within}s", action=action) from None
        finally:
            if self.pending.get(action_id) is waiting:
                del self.pending[action_id]
