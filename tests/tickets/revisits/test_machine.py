"""The attempt and revisit machines: legal moves only, each refusal a domain error."""

import pytest

from tickets.revisits.errors import IllegalRevisitTransition
from tickets.revisits.machine import (
    ATTEMPT_TRANSITIONS,
    AttemptEvent,
    AttemptState,
    RevisitEvent,
    RevisitState,
    attempt_next,
    revisit_next,
)


def test_an_attempt_is_claimed_before_it_is_called_and_answered_before_it_is_recorded() -> None:
    state = attempt_next("scheduled", AttemptEvent.CLAIM, attempt_id=1)
    assert state is AttemptState.CALLING
    state = attempt_next(state, AttemptEvent.ANSWER, attempt_id=1)
    assert attempt_next(state, AttemptEvent.RECORD, attempt_id=1) is AttemptState.DONE


@pytest.mark.parametrize("ended", ["done", "failed", "no-answer", "cancelled"])
def test_an_ended_attempt_cannot_be_claimed_answered_or_recorded(ended: str) -> None:
    for event in (AttemptEvent.CLAIM, AttemptEvent.ANSWER, AttemptEvent.RECORD):
        with pytest.raises(IllegalRevisitTransition) as refused:
            attempt_next(ended, event, attempt_id=7)
        assert refused.value.status == 409
        assert refused.value.details["state"] == ended


def test_only_a_scheduled_attempt_can_be_claimed_so_a_call_is_placed_once() -> None:
    sources, _ = ATTEMPT_TRANSITIONS[AttemptEvent.CLAIM]
    assert sources == {AttemptState.SCHEDULED}


def test_a_handed_over_revisit_cannot_be_evaluated_by_the_automated_call() -> None:
    assert revisit_next("pending", RevisitEvent.HAND_OVER, revisit_id=1) is \
        RevisitState.HANDED_OVER
    with pytest.raises(IllegalRevisitTransition):
        revisit_next("handed-over", RevisitEvent.EVALUATE, revisit_id=1)
    assert revisit_next("handed-over", RevisitEvent.SETTLE, revisit_id=1) is \
        RevisitState.CLOSED_ELSEWHERE
