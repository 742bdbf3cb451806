"""The call state machine: ringing → IVR → queued → connected → conference → ended."""

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from kernel.machine import transition
from telephony.errors import TelephonyError

log = logging.getLogger(__name__)


class IllegalCallTransition(TelephonyError):
    status = 409
    error_id = "illegal-call-transition"


class CallState(StrEnum):
    RINGING = "ringing"
    IN_IVR = "in_ivr"
    QUEUED = "queued"
    CONNECTED = "connected"
    IN_CONFERENCE = "in_conference"
    ENDED = "ended"


class CallEvent(StrEnum):
    ENTER_IVR = "enter-ivr"
    QUEUE = "queue"
    CONNECT = "connect"
    CONFERENCE = "conference"
    LEAVE_CONFERENCE = "leave-conference"
    END = "end"


S, E = CallState, CallEvent
LIVE = frozenset(CallState) - {S.ENDED}

# The dialer tags each callback leg it places with its callback's id (HOTLINE_CALLBACK_ID);
# the IVR sets how its menu ended (HOTLINE_IVR_RESULT). manager.conf's channelvars put both
# on every event of the channel, so the picture and a resync read them back.
CALLBACK_VARIABLE = "HOTLINE_CALLBACK_ID"
IVR_RESULT_VARIABLE = "HOTLINE_IVR_RESULT"
# The IVR's results that served the caller itself (ivr.outcome.IvrResult, copied): such a call
# never asked for an agent (GB/T 33358 counts it neither offered nor abandoned).
SELF_SERVED = frozenset({"followed"})


def callback_id_of(variables: Mapping[str, str]) -> int | None:
    """The callback whose leg a channel is, from its tags; None for any other call."""
    value = variables.get(CALLBACK_VARIABLE, "").strip()
    return int(value) if value.isdigit() else None

CALL_TRANSITIONS: dict[CallEvent, tuple[frozenset[CallState], CallState]] = {
    E.ENTER_IVR: (frozenset({S.RINGING}), S.IN_IVR),
    # a caller may leave the IVR for the queue, or be put back in a queue by a transfer
    E.QUEUE: (frozenset({S.RINGING, S.IN_IVR, S.CONNECTED}), S.QUEUED),
    E.CONNECT: (frozenset({S.RINGING, S.IN_IVR, S.QUEUED, S.CONNECTED, S.IN_CONFERENCE}),
                S.CONNECTED),
    E.CONFERENCE: (frozenset({S.CONNECTED, S.QUEUED, S.IN_IVR, S.RINGING}), S.IN_CONFERENCE),
    E.LEAVE_CONFERENCE: (frozenset({S.IN_CONFERENCE}), S.CONNECTED),
    E.END: (LIVE, S.ENDED),
}


@dataclass
class Call:
    """One call: its legs, where it stands, and when it got there."""

    linkedid: str
    caller_number: str
    caller_name: str
    dialed: str
    started_at: datetime
    source_line: str | None = None
    state: CallState = CallState.RINGING
    legs: set[str] = field(default_factory=set)
    queue: str | None = None
    agent: str | None = None
    conference: str | None = None
    # speaker ("caller", "agent") -> the channel whose incoming audio is that speaker's voice
    voices: dict[str, str] = field(default_factory=dict)
    entered: dict[CallState, datetime] = field(default_factory=dict)
    ended_at: datetime | None = None
    abandoned: bool = False
    callback_id: int | None = None  # a callback leg the dialer placed: outbound, never offered
    ivr_result: str | None = None  # how the IVR's menu ended (HOTLINE_IVR_RESULT)

    def read_tags(self, variables: Mapping[str, str]) -> None:
        """What the platform's channel variables say of the call (kept where they are mute)."""
        self.callback_id = callback_id_of(variables) or self.callback_id
        self.ivr_result = variables.get(IVR_RESULT_VARIABLE) or self.ivr_result

    def apply(self, event: CallEvent, at: datetime) -> CallState:
        """Move along ``event``; an illegal move is refused and logged, state unchanged."""
        target = transition(CALL_TRANSITIONS, self.state, event, f"call {self.linkedid}",
                            refused=IllegalCallTransition, log=log, linkedid=self.linkedid)
        self.state = target
        self.entered.setdefault(target, at)
        if target is S.ENDED:
            self.ended_at = at
        return target

    @property
    def wait_seconds(self) -> float | None:
        """From entering the queue to an agent answering, if both happened."""
        queued, answered = self.entered.get(S.QUEUED), self.entered.get(S.CONNECTED)
        if queued is None or answered is None:
            return None
        return (answered - queued).total_seconds()
