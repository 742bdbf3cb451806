"""One live hand-off in memory: its state machines, what it dialled, what it sent."""

import asyncio
from collections.abc import Coroutine
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from linkage.delivery import Receipt
from linkage.events import HandoffView
from linkage.machine import (
    DataEvent,
    DataState,
    HandoffEvent,
    HandoffState,
    next_data_state,
    next_state,
)
from linkage.models import LinkageTarget

if TYPE_CHECKING:
    from linkage.ticketing import Marked


@dataclass(frozen=True)
class Entry:
    """An entry of the emergency list as it stood when the hand-off was alerted."""

    id: int
    kind: str
    label: str
    target: str
    numbers: tuple[str, ...]
    endpoint_url: str | None
    secret: str
    pass_identity: bool
    confirm_first: bool

    @classmethod
    def of(cls, row: LinkageTarget) -> "Entry":
        return cls(row.id, row.kind, row.label, row.target, tuple(row.numbers), row.endpoint_url,
                   row.secret, row.pass_identity, row.confirm_first)


@dataclass(frozen=True)
class Step:
    """One line of the timeline, as it will be stored."""

    at: datetime
    actor: str
    event: str
    from_state: str | None
    to_state: str
    supervisor: bool = False
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class LiveHandoff:
    """A call's hand-off of one kind while this node steers it."""

    key: str  # public id and the data packet's idempotency key
    linkedid: str
    kind: str
    source: str
    excerpt: str
    alerted_at: datetime
    entry: Entry | None
    state: HandoffState = HandoffState.ALERTED
    data_state: DataState = DataState.NONE
    number_index: int = 0
    dial_attempts: int = 0
    room: str | None = None
    ticket_id: int | None = None
    ticket_number: str | None = None
    confirmed_at: datetime | None = None
    confirmed_by: str | None = None
    joined_at: datetime | None = None
    ended_at: datetime | None = None
    caller_channel: str | None = None
    agent_channel: str | None = None
    caller_number: str | None = None
    place: str = ""  # the ticket's, once it is known (the packet prefers it to the draft's)
    summary: str = ""
    data_attempts: int = 0
    packet_hash: str | None = None
    receipt: Receipt | None = None
    data_error: str | None = None
    unsaved: list[Step] = field(default_factory=list)
    row_id: int | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    tasks: set["asyncio.Task[object]"] = field(default_factory=set)

    def took(self, ticket: "Marked") -> None:
        """The call's ticket: the packet names it, with its place and summary."""
        self.ticket_id, self.ticket_number = ticket.ticket_id, ticket.number
        self.place, self.summary = ticket.place, ticket.summary

    @property
    def target(self) -> str | None:
        return self.entry.target if self.entry is not None else None

    @property
    def number(self) -> str | None:
        """The number dialled now (or next)."""
        if self.entry is None or not self.entry.numbers:
            return None
        return self.entry.numbers[self.number_index % len(self.entry.numbers)]

    def move(self, event: HandoffEvent, at: datetime, actor: str, **data: Any) -> Step:
        """Apply ``event`` (or refuse it); the timeline line it makes."""
        old = self.state
        self.state = next_state(old, event, handoff=self.key)
        step = Step(at, actor, event.value, old.value, self.state.value, data=data)
        self.unsaved.append(step)
        return step

    def move_data(self, event: DataEvent, at: datetime, *, supervisor: bool = False,
                  **data: Any) -> Step:
        """Apply a data-packet event; the timeline line it makes."""
        old = self.data_state
        self.data_state = next_data_state(old, event, handoff=self.key)
        step = Step(at, "linkage", f"data-{event.value}", f"data-{old.value}",
                    f"data-{self.data_state.value}", supervisor, data)
        self.unsaved.append(step)
        return step

    def note(self, at: datetime, actor: str, event: str, *, supervisor: bool = False,
             **data: Any) -> Step:
        """A timeline line that moves no state (a supervisor alert, a late outcome)."""
        step = Step(at, actor, event, self.state.value, self.state.value, supervisor, data)
        self.unsaved.append(step)
        return step

    def view(self) -> HandoffView:
        """The hand-off as the screens see it now."""
        entry = self.entry
        return HandoffView(
            self.key, self.linkedid, self.kind, entry.target if entry else None,
            entry.label if entry else "", self.number,
            tuple(entry.numbers) if entry else (), self.source, self.excerpt,
            self.state.value, self.data_state.value, entry is not None)

    def spawn(self, coro: Coroutine[Any, Any, object]) -> "asyncio.Task[object]":
        """Run ``coro`` in the background, kept until done (closing cancels it)."""
        task: asyncio.Task[object] = asyncio.create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task
