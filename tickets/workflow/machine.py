"""The ticket state machine: states, events and the only legal moves between them."""

import logging
from enum import StrEnum

from kernel.machine import allowed, transition
from tickets.errors import IllegalTransition

log = logging.getLogger(__name__)


class TicketState(StrEnum):
    """Where a ticket stands."""

    DRAFT = "draft"
    ACCEPTED = "accepted"  # 受理
    REVIEWED = "reviewed"  # 审核 (wuhai 6.2)
    DISPATCHED = "dispatched"  # 派单, the unit has not signed for it yet
    RETURNED = "returned"  # the unit asked to send it back (退回), the centre decides
    HANDLING = "handling"  # 办理
    SUSPENDED = "suspended"  # 挂单: a law fixes a longer period (wuhai 6.4.1)
    REPLIED = "replied"  # 答复, awaiting the completion review
    REVISIT = "revisit"  # reply approved, awaiting the revisit (回访)
    EVALUATED = "evaluated"  # 评价 recorded
    CLOSED = "closed"  # 办结
    REFUSED = "refused"  # 不予受理, with its reason
    LINKED = "linked"  # a repeat of an earlier ticket's facts
    MERGED = "merged"  # 并单: a duplicate merged into an open master ticket, handled there


class TicketEvent(StrEnum):
    """What can happen to a ticket."""

    ACCEPT = "accept"
    REFUSE = "refuse"
    ANSWER_DIRECTLY = "answer-directly"  # 直办 (wuhai 6.7.1)
    LINK_REPEAT = "link-repeat"
    MERGE = "merge"  # 并单
    REVIEW = "review"
    DISPATCH = "dispatch"
    RETURN = "return"
    REDISPATCH = "redispatch"
    REFUSE_RETURN = "refuse-return"
    RECEIVE = "receive"  # the unit signs for it (签收)
    EXTEND = "extend"
    SUSPEND = "suspend"
    RESUME = "resume"
    REPLY = "reply"
    APPROVE_REPLY = "approve-reply"
    REJECT_REPLY = "reject-reply"
    EVALUATE = "evaluate"
    REHANDLE = "rehandle"
    CLOSE = "close"
    SUPERVISE = "supervise"
    REMIND = "remind"


S = TicketState
E = TicketEvent

TERMINAL_STATES = frozenset({S.CLOSED, S.REFUSED, S.LINKED, S.MERGED})
OPEN_STATES = frozenset(TicketState) - TERMINAL_STATES
WITH_UNIT = frozenset({S.DISPATCHED, S.RETURNED, S.HANDLING, S.SUSPENDED, S.REPLIED})
# with a unit whose reply is awaited and whose clock runs: what due-soon and overdue watch
# (a suspended ticket's clock stands still, wuhai 6.4.1)
AWAITING_REPLY = frozenset({S.DISPATCHED, S.HANDLING, S.RETURNED})
SUPERVISABLE = WITH_UNIT | {S.ACCEPTED, S.REVIEWED, S.REVISIT, S.EVALUATED}

# event -> (states it may start from, state it leads to; None keeps the state)
TRANSITIONS: dict[TicketEvent, tuple[frozenset[TicketState], TicketState | None]] = {
    E.ACCEPT: (frozenset({S.DRAFT}), S.ACCEPTED),
    E.REFUSE: (frozenset({S.DRAFT, S.ACCEPTED, S.REVIEWED}), S.REFUSED),
    E.ANSWER_DIRECTLY: (frozenset({S.DRAFT, S.ACCEPTED}), S.CLOSED),
    E.LINK_REPEAT: (frozenset({S.DRAFT, S.ACCEPTED, S.REVIEWED}), S.LINKED),
    # a duplicate still at intake; once a unit has it, it is handled (or returned) there
    E.MERGE: (frozenset({S.DRAFT, S.ACCEPTED, S.REVIEWED}), S.MERGED),
    E.REVIEW: (frozenset({S.ACCEPTED}), S.REVIEWED),
    E.DISPATCH: (frozenset({S.ACCEPTED, S.REVIEWED}), S.DISPATCHED),
    E.RETURN: (frozenset({S.DISPATCHED, S.HANDLING}), S.RETURNED),
    E.REDISPATCH: (frozenset({S.RETURNED}), S.DISPATCHED),
    E.REFUSE_RETURN: (frozenset({S.RETURNED}), S.HANDLING),
    E.RECEIVE: (frozenset({S.DISPATCHED}), S.HANDLING),
    E.EXTEND: (frozenset({S.DISPATCHED, S.HANDLING}), None),
    E.SUSPEND: (frozenset({S.HANDLING}), S.SUSPENDED),
    E.RESUME: (frozenset({S.SUSPENDED}), S.HANDLING),
    E.REPLY: (frozenset({S.DISPATCHED, S.HANDLING}), S.REPLIED),
    E.APPROVE_REPLY: (frozenset({S.REPLIED}), S.REVISIT),
    E.REJECT_REPLY: (frozenset({S.REPLIED}), S.HANDLING),
    E.EVALUATE: (frozenset({S.REVISIT}), S.EVALUATED),
    E.REHANDLE: (frozenset({S.EVALUATED}), S.HANDLING),
    E.CLOSE: (frozenset({S.REVISIT, S.EVALUATED}), S.CLOSED),
    E.SUPERVISE: (SUPERVISABLE, None),
    E.REMIND: (WITH_UNIT, None),
}


def next_state(current: TicketState, event: TicketEvent, *, number: str = "") -> TicketState:
    """The state ``event`` leads to from ``current``, or :class:`IllegalTransition`."""
    return transition(TRANSITIONS, current, event, f"ticket {number}",
                      refused=IllegalTransition, log=log, ticket=number)


def allowed_events(current: TicketState) -> list[TicketEvent]:
    """Every event that is legal from ``current`` (for a client to draw its buttons)."""
    return allowed(TRANSITIONS, current)
