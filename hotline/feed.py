"""The screens' live feed: ``/telephony/events``, the picture on connect, then every change.

Calls and agents go to every screen (the queue's picture). What carries a caller's words or
number — drafts, partial words, suggestions, emergency hand-offs — goes to supervisors, and
to an agent only for the calls their seat answered; when a call reaches their seat, what was
already said of it (an IVR description, an emergency keyed in the IVR) is sent at once.
"""

import contextlib
import logging
from collections import OrderedDict
from dataclasses import dataclass, field

import anyio
from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from hotline.auth import authenticated
from hotline.bus import EventBus, Listener, PlatformEvent
from hotline.feed_messages import PERSONAL, call_of, message_of, snapshot_message
from linkage.events import EmergencyChanged
from telephony.controller.router import running_controller
from telephony.deps import TelephonyRuntime
from telephony.events import CallChanged, LineSnapshot
from telephony.seats.service import seat_of
from tickets.drafting.events import DraftUpdated, SuggestionsUpdated
from tickets.enums import Role
from tickets.errors import Forbidden

log = logging.getLogger(__name__)

router = APIRouter(tags=["live feed"])
SUPERVISING = frozenset({Role.SUPERVISOR, Role.ADMIN})
WATCHING = SUPERVISING | {Role.AGENT, Role.REVIEWER}


@dataclass
class CallMemory:
    """What was said of one call so far: sent to the agent whose seat takes it."""

    draft: DraftUpdated | None = None
    suggestions: SuggestionsUpdated | None = None
    emergencies: dict[str, EmergencyChanged] = field(default_factory=dict)

    def replay(self) -> list[PlatformEvent]:
        events: list[PlatformEvent] = [e for e in (self.draft, self.suggestions) if e]
        return [*events, *self.emergencies.values()]


class FeedMemory:
    """The latest personal events of the most recent calls (bounded)."""

    def __init__(self, keep: int = 2_000) -> None:
        self.keep = keep
        self.calls: OrderedDict[str, CallMemory] = OrderedDict()

    async def remember(self, event: PlatformEvent) -> None:
        """:meth:`record`, awaitable."""
        self.record(event)

    def record(self, event: PlatformEvent) -> None:
        """Keep ``event`` if it is a call's personal one (the bus's tap: as it is published)."""
        call = call_of(event)
        if call is None:
            return
        memory = self.calls.setdefault(call, CallMemory())
        self.calls.move_to_end(call)
        if isinstance(event, DraftUpdated):
            memory.draft = event
        elif isinstance(event, SuggestionsUpdated):
            memory.suggestions = event
        elif isinstance(event, EmergencyChanged):
            memory.emergencies[event.handoff.kind] = event
        while len(self.calls) > self.keep:
            self.calls.popitem(last=False)

    def of(self, linkedid: str) -> list[PlatformEvent]:
        memory = self.calls.get(linkedid)
        return memory.replay() if memory is not None else []


@dataclass
class Viewer:
    """Who watches: a supervisor sees every call's words; an agent, their seat's calls'."""

    supervises: bool
    seat: frozenset[str]  # the interfaces of the viewer's seat
    mine: set[str] = field(default_factory=set)  # calls their seat answered

    def shown(self, event: PlatformEvent, memory: FeedMemory) -> list[PlatformEvent]:
        """What of ``event`` this viewer gets (a call reaching their seat brings its past)."""
        if isinstance(event, CallChanged):
            taken = event.call.agent in self.seat and event.call.linkedid not in self.mine
            if taken and not self.supervises:
                self.mine.add(event.call.linkedid)
                return [event, *memory.of(event.call.linkedid)]
            return [event]
        if isinstance(event, PERSONAL) and not self.supervises:
            return [event] if call_of(event) in self.mine else []
        return [event]


async def _viewer(websocket: WebSocket) -> Viewer:
    """The user the handshake's token names, if the feed is for them (not a unit's)."""
    principal = await authenticated(websocket)
    if principal.role not in WATCHING:
        raise Forbidden("the live feed is the centre's: agents, reviewers, supervisors",
                        role=principal.role.value)
    telephony: TelephonyRuntime = websocket.app.state.telephony
    async with telephony.sessionmaker() as session:
        extension = await seat_of(session, principal.username)
    seat = frozenset(telephony.seats.interfaces(extension)) if extension else frozenset()
    return Viewer(principal.role in SUPERVISING, seat)


@router.websocket("/telephony/events")
async def events(websocket: WebSocket) -> None:
    """The picture on connect, then every change as it happens."""
    # Refused before the handshake completes: the client gets the error as an HTTP answer.
    viewer = await _viewer(websocket)
    controller = running_controller(websocket.app.state.telephony)
    bus: EventBus = websocket.app.state.bus
    memory: FeedMemory = websocket.app.state.feed_memory
    await websocket.accept()
    viewer.mine.update(c.linkedid for c in controller.snapshot().calls if c.agent in viewer.seat)
    # A client that goes away during a quiet spell is noticed at once: whichever side ends
    # first ends both (anyio, so the server's cancellation is honoured as well).
    async with bus.listening() as listener, anyio.create_task_group() as group:
        group.start_soon(_forward, websocket, controller.snapshot(), listener, viewer,
                         memory, group.cancel_scope)
        group.start_soon(_until_closed, websocket, group.cancel_scope)
    with contextlib.suppress(RuntimeError, WebSocketDisconnect):
        await websocket.close()


async def _forward(websocket: WebSocket, snapshot: LineSnapshot, listener: Listener,
                   viewer: Viewer, memory: FeedMemory, done: anyio.CancelScope) -> None:
    with contextlib.suppress(WebSocketDisconnect):
        await websocket.send_json(snapshot_message(snapshot))
        for linkedid in sorted(viewer.mine):
            for past in memory.of(linkedid):
                await websocket.send_json(message_of(past).model_dump(mode="json"))
        while True:
            for event in viewer.shown(await listener.get(), memory):
                await websocket.send_json(message_of(event).model_dump(mode="json"))
    done.cancel()


async def _until_closed(websocket: WebSocket, done: anyio.CancelScope) -> None:
    """Read (and ignore) what the client sends until it disconnects."""
    while (await websocket.receive())["type"] != "websocket.disconnect":
        pass
    done.cancel()
