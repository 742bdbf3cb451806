"""The hand-off state machines: the voice hand-off of one call and kind, and its data packet."""

import logging
from enum import StrEnum

from kernel.machine import transition
from linkage.errors import IllegalHandoffTransition

log = logging.getLogger(__name__)


class HandoffState(StrEnum):
    """Where a call's emergency hand-off stands."""

    ALERTED = "alerted"  # the agent's screen was told; nothing dialled yet
    CONFIRMED = "confirmed"  # the agent (or the list) said go; dials once an agent has the call
    DIALLING = "dialling"  # caller and agent in the room, the emergency line ringing
    JOINED = "joined"  # the emergency line answered and is in the room
    AGENT_LEFT = "agent-left"  # the agent briefed it and left: caller and line stay
    LINE_UNANSWERED = "line-unanswered"  # the line did not answer; the agent may try the next
    CANCELLED = "cancelled"  # a false alarm, called off before any line answered
    ENDED = "ended"  # the caller hung up: nothing is dialled after this


class HandoffEvent(StrEnum):
    """What can happen to a hand-off."""

    CONFIRM = "confirm"
    DIAL = "dial"  # the first dial, and a retry on the next number
    ANSWER = "answer"
    NO_ANSWER = "no-answer"
    AGENT_LEAVE = "agent-leave"
    CANCEL = "cancel"
    END = "end"


S, E = HandoffState, HandoffEvent
TERMINAL = frozenset({S.CANCELLED, S.ENDED})
LIVE = frozenset(HandoffState) - TERMINAL

# event -> (states it may start from, state it leads to)
TRANSITIONS: dict[HandoffEvent, tuple[frozenset[HandoffState], HandoffState]] = {
    E.CONFIRM: (frozenset({S.ALERTED}), S.CONFIRMED),
    E.DIAL: (frozenset({S.CONFIRMED, S.LINE_UNANSWERED}), S.DIALLING),
    E.ANSWER: (frozenset({S.DIALLING}), S.JOINED),
    E.NO_ANSWER: (frozenset({S.DIALLING}), S.LINE_UNANSWERED),
    E.AGENT_LEAVE: (frozenset({S.JOINED}), S.AGENT_LEFT),
    # a ringing line is left to answer or not: cancelling waits for its outcome
    E.CANCEL: (frozenset({S.ALERTED, S.CONFIRMED, S.LINE_UNANSWERED}), S.CANCELLED),
    E.END: (LIVE, S.ENDED),
}


def next_state(current: HandoffState, event: HandoffEvent, *, handoff: str = "") -> HandoffState:
    """The state ``event`` leads to from ``current``, or :class:`IllegalHandoffTransition`."""
    return transition(TRANSITIONS, current, event, f"hand-off {handoff}",
                      refused=IllegalHandoffTransition, log=log, handoff=handoff)


class DataState(StrEnum):
    """Where a hand-off's data packet stands."""

    NONE = "none"  # the target has no data endpoint
    PENDING = "pending"  # not sent yet (the hand-off is not confirmed)
    SENDING = "sending"  # attempts under way, one idempotency key for all of them
    DELIVERED = "delivered"  # the target took it (2xx); the receipt is recorded
    REJECTED = "rejected"  # the target refused it (4xx): resending the same packet is useless
    FAILED = "failed"  # every attempt failed (down, 5xx, timeouts)


class DataEvent(StrEnum):
    SEND = "send"
    DELIVER = "deliver"
    REJECT = "reject"
    FAIL = "fail"


D = DataState
DATA_TRANSITIONS: dict[DataEvent, tuple[frozenset[DataState], DataState]] = {
    DataEvent.SEND: (frozenset({D.PENDING}), D.SENDING),
    DataEvent.DELIVER: (frozenset({D.SENDING}), D.DELIVERED),
    DataEvent.REJECT: (frozenset({D.SENDING}), D.REJECTED),
    DataEvent.FAIL: (frozenset({D.SENDING}), D.FAILED),
}


def next_data_state(current: DataState, event: DataEvent, *, handoff: str = "") -> DataState:
    """The data packet's next state, or :class:`IllegalHandoffTransition`."""
    return transition(DATA_TRANSITIONS, current, event, f"hand-off {handoff} data",
                      refused=IllegalHandoffTransition, log=log, handoff=handoff)
