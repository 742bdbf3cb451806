"""The agent state machine, with a reason for each pause and a timer for after-call work."""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from kernel.machine import transition
from telephony.errors import TelephonyError

log = logging.getLogger(__name__)


class IllegalAgentTransition(TelephonyError):
    status = 409
    error_id = "illegal-agent-transition"


class AgentState(StrEnum):
    LOGGED_OUT = "logged_out"
    AVAILABLE = "available"
    PAUSED = "paused"
    RINGING = "ringing"
    ON_CALL = "on_call"
    AFTER_CALL_WORK = "after_call_work"


class AgentEvent(StrEnum):
    LOGIN = "login"
    LOGOUT = "logout"
    PAUSE = "pause"
    UNPAUSE = "unpause"
    RING = "ring"
    MISS = "miss"
    ANSWER = "answer"
    HANG_UP = "hang-up"
    FINISH_WRAP_UP = "finish-wrap-up"


S, E = AgentState, AgentEvent
LOGGED_IN = frozenset(AgentState) - {S.LOGGED_OUT}

AGENT_TRANSITIONS: dict[AgentEvent, tuple[frozenset[AgentState], AgentState]] = {
    E.LOGIN: (frozenset({S.LOGGED_OUT}), S.AVAILABLE),
    E.LOGOUT: (LOGGED_IN - {S.ON_CALL}, S.LOGGED_OUT),
    E.PAUSE: (frozenset({S.AVAILABLE, S.AFTER_CALL_WORK, S.PAUSED}), S.PAUSED),
    E.UNPAUSE: (frozenset({S.PAUSED}), S.AVAILABLE),
    E.RING: (frozenset({S.AVAILABLE}), S.RINGING),
    E.MISS: (frozenset({S.RINGING}), S.AVAILABLE),
    # Asterisk may connect an agent still in after-call work (a queue without wrapuptime, a
    # direct call): the picture follows Asterisk, which is the truth about who is on a call.
    E.ANSWER: (frozenset({S.AVAILABLE, S.RINGING, S.PAUSED, S.AFTER_CALL_WORK}), S.ON_CALL),
    E.HANG_UP: (frozenset({S.ON_CALL}), S.AFTER_CALL_WORK),
    E.FINISH_WRAP_UP: (frozenset({S.AFTER_CALL_WORK}), S.AVAILABLE),
}


@dataclass
class Agent:
    """One agent seat: its interface, where it stands and why."""

    interface: str  # e.g. PJSIP/8001
    name: str
    state: AgentState = AgentState.LOGGED_OUT
    since: datetime | None = None
    pause_reason: str = ""
    wrap_up_until: datetime | None = None
    queues: set[str] = field(default_factory=set)
    calls_handled: int = 0
    talk_seconds: float = 0.0

    def apply(self, event: AgentEvent, at: datetime, *, reason: str = "",
              wrap_up: timedelta = timedelta(seconds=0)) -> AgentState:
        """Move along ``event``; an illegal move is refused, state unchanged."""
        target = transition(AGENT_TRANSITIONS, self.state, event, f"agent {self.interface}",
                            refused=IllegalAgentTransition, log=log, interface=self.interface)
        if event is E.HANG_UP and self.since is not None:
            self.calls_handled += 1
            self.talk_seconds += (at - self.since).total_seconds()
        self.state, self.since = target, at
        self.pause_reason = reason if target is S.PAUSED else ""
        self.wrap_up_until = at + wrap_up if target is S.AFTER_CALL_WORK else None
        return target

    def wrap_up_due(self, at: datetime) -> bool:
        """Whether after-call work has run its timer out."""
        return self.wrap_up_until is not None and at >= self.wrap_up_until
