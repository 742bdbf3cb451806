"""What the telephony side tells the rest of the platform: frozen views of calls and agents.

The call controller publishes a :class:`CallChanged` or :class:`AgentChanged` for every move
of its picture; the composition root passes them on (the screens' feed, the linkage, the
transcription starter). Nothing here is a live object: a view is a copy taken at the move.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType

from telephony.agents.machine import Agent, AgentState
from telephony.calls.machine import Call, CallState

NO_VOICES: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class CallView:
    """A call as it stands: who called, where it is, who has it, whose voice is where."""

    linkedid: str
    state: CallState
    caller_number: str
    caller_name: str
    dialed: str
    source_line: str | None
    queue: str | None
    agent: str | None
    conference: str | None
    started_at: datetime
    legs: int = 0
    # speaker ("caller", "agent") -> the channel whose incoming audio is that speaker's voice
    voices: Mapping[str, str] = field(default_factory=lambda: NO_VOICES)
    queued_at: datetime | None = None  # when it reached a queue (the wallboard's wait)
    callback_id: int | None = None  # a callback leg the dialer placed (outbound)

    @classmethod
    def of(cls, call: Call) -> "CallView":
        """A frozen copy of the controller's call."""
        return cls(call.linkedid, call.state, call.caller_number, call.caller_name, call.dialed,
                   call.source_line, call.queue, call.agent, call.conference, call.started_at,
                   len(call.legs), MappingProxyType(dict(call.voices)),
                   call.entered.get(CallState.QUEUED), call.callback_id)


@dataclass(frozen=True, slots=True)
class AgentView:
    """An agent's seat as it stands: state, why paused, since when, in which queues."""

    interface: str
    name: str
    state: AgentState
    pause_reason: str
    since: datetime | None
    queues: frozenset[str]

    @classmethod
    def of(cls, agent: Agent) -> "AgentView":
        return cls(agent.interface, agent.name, agent.state, agent.pause_reason, agent.since,
                   frozenset(agent.queues))


@dataclass(frozen=True, slots=True)
class CallChanged:
    """A call moved (``resync``: the picture was rebuilt from Asterisk)."""

    call: CallView
    resync: bool = False


@dataclass(frozen=True, slots=True)
class AgentChanged:
    """An agent's seat moved."""

    agent: AgentView
    resync: bool = False


TelephonyEvent = CallChanged | AgentChanged


@dataclass(frozen=True, slots=True)
class LineSnapshot:
    """Every call in progress and every known agent, now (for a screen that just opened)."""

    calls: tuple[CallView, ...]
    agents: tuple[AgentView, ...]
