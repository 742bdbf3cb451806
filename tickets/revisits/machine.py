"""The two state machines of a revisit: each call attempt, and the revisit as a whole."""

import logging
from enum import StrEnum

from kernel.machine import check, note
from tickets.revisits.errors import IllegalRevisitTransition

log = logging.getLogger(__name__)


class AttemptState(StrEnum):
    """Where one call attempt stands."""

    SCHEDULED = "scheduled"  # due at due_at, inside a calling window
    CALLING = "calling"  # claimed (committed) before its Originate: never dialled twice
    ANSWERED = "answered"  # the citizen picked up; the survey runs
    NO_ANSWER = "no-answer"  # rang out or busy
    FAILED = "failed"  # the channel failed, the citizen hung up mid-survey, or lost at restart
    DONE = "done"  # the survey recorded an answer (or the citizen asked not to be called)
    CANCELLED = "cancelled"  # no longer needed before it was dialled


class AttemptEvent(StrEnum):
    """What can happen to a call attempt."""

    CLAIM = "claim"
    RELEASE = "release"  # the Originate was refused before a byte was written: no call exists
    ANSWER = "answer"
    NO_ANSWER = "no-answer"
    FAIL = "fail"
    RECORD = "record"
    CANCEL = "cancel"


class RevisitState(StrEnum):
    """Where a ticket's revisit (one per handling round) stands."""

    PENDING = "pending"  # attempts under way
    DONE = "done"  # the evaluation was recorded by the automated call
    HANDED_OVER = "handed-over"  # to a person (manual list) and to the SMS/WeChat webhook
    CLOSED_ELSEWHERE = "closed-elsewhere"  # the ticket left the revisit state by other means


class RevisitEvent(StrEnum):
    """What can happen to a revisit."""

    EVALUATE = "evaluate"
    HAND_OVER = "hand-over"
    SETTLE = "settle"  # the ticket was evaluated or closed by a person meanwhile


A, AE = AttemptState, AttemptEvent
R, RE = RevisitState, RevisitEvent

# the states in which a channel may exist for the attempt
LIVE = frozenset({A.CALLING, A.ANSWERED})

ATTEMPT_TRANSITIONS: dict[AttemptEvent, tuple[frozenset[AttemptState], AttemptState | None]] = {
    AE.CLAIM: (frozenset({A.SCHEDULED}), A.CALLING),
    AE.RELEASE: (frozenset({A.CALLING}), A.SCHEDULED),
    AE.ANSWER: (frozenset({A.CALLING}), A.ANSWERED),
    AE.NO_ANSWER: (frozenset({A.CALLING}), A.NO_ANSWER),
    AE.FAIL: (LIVE, A.FAILED),
    AE.RECORD: (LIVE, A.DONE),
    AE.CANCEL: (frozenset({A.SCHEDULED}), A.CANCELLED),
}

REVISIT_TRANSITIONS: dict[RevisitEvent, tuple[frozenset[RevisitState], RevisitState | None]] = {
    RE.EVALUATE: (frozenset({R.PENDING}), R.DONE),
    RE.HAND_OVER: (frozenset({R.PENDING}), R.HANDED_OVER),
    RE.SETTLE: (frozenset({R.PENDING, R.HANDED_OVER}), R.CLOSED_ELSEWHERE),
}


def attempt_next(current: str, event: AttemptEvent, *, attempt_id: int) -> AttemptState:
    """The state ``event`` leads an attempt to, or :class:`IllegalRevisitTransition`.

    Checked before the row is written; :func:`log_move` logs it once it is.
    """
    return check(ATTEMPT_TRANSITIONS, AttemptState(current), event, f"attempt {attempt_id}",
                 refused=IllegalRevisitTransition, attempt=attempt_id)


def revisit_next(current: str, event: RevisitEvent, *, revisit_id: int) -> RevisitState:
    """The state ``event`` leads a revisit to, or :class:`IllegalRevisitTransition`."""
    return check(REVISIT_TRANSITIONS, RevisitState(current), event, f"revisit {revisit_id}",
                 refused=IllegalRevisitTransition, revisit=revisit_id)


def log_move(kind: str, ident: int, old: str, event: str, new: str, why: str = "") -> None:
    """One line per transition: ``old -> event -> new``."""
    note(f"{kind} {ident}", old, event, new, why, log=log)
