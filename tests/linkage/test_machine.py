"""The hand-off state machines: every legal move, and every illegal one refused."""

import logging

import pytest

from linkage.errors import IllegalHandoffTransition
from linkage.machine import (
    LIVE,
    TERMINAL,
    TRANSITIONS,
    DataEvent,
    DataState,
    HandoffEvent,
    HandoffState,
    next_data_state,
    next_state,
)

S, E = HandoffState, HandoffEvent


def test_the_happy_path_alerted_confirmed_dialling_joined_agent_left_ended() -> None:
    state = S.ALERTED
    for event in (E.CONFIRM, E.DIAL, E.ANSWER, E.AGENT_LEAVE, E.END):
        state = next_state(state, event, handoff="h1")
    assert state is S.ENDED


def test_an_unanswered_line_can_be_retried_on_the_next_number() -> None:
    state = next_state(S.DIALLING, E.NO_ANSWER)
    assert state is S.LINE_UNANSWERED
    assert next_state(state, E.DIAL) is S.DIALLING


def test_the_caller_hanging_up_ends_every_live_hand_off() -> None:
    for state in LIVE:
        assert next_state(state, E.END) is S.ENDED


@pytest.mark.parametrize("event", list(HandoffEvent))
def test_nothing_moves_a_finished_hand_off(event: HandoffEvent) -> None:
    for state in TERMINAL:
        with pytest.raises(IllegalHandoffTransition) as refused:
            next_state(state, event, handoff="h2")
        assert refused.value.status == 409
        assert refused.value.error_id == "illegal-handoff-transition"
        assert refused.value.details["state"] == state.value


def test_a_ringing_line_cannot_be_cancelled_and_a_second_confirm_is_illegal() -> None:
    with pytest.raises(IllegalHandoffTransition):
        next_state(S.DIALLING, E.CANCEL)
    with pytest.raises(IllegalHandoffTransition) as twice:
        next_state(S.CONFIRMED, E.CONFIRM)
    assert twice.value.details["allowed_from"] == ["alerted"]


def test_every_state_is_reachable_from_alerted() -> None:
    reached, frontier = {S.ALERTED}, [S.ALERTED]
    while frontier:
        state = frontier.pop()
        for sources, target in TRANSITIONS.values():
            if state in sources and target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(HandoffState)


def test_moves_are_logged_old_event_new(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="linkage.machine"):
        next_state(S.ALERTED, E.CONFIRM, handoff="abc")
    assert "hand-off abc: alerted -> confirm -> confirmed" in caplog.text


def test_the_data_packet_is_sent_once_and_settles_once() -> None:
    state = next_data_state(DataState.PENDING, DataEvent.SEND)
    assert next_data_state(state, DataEvent.DELIVER) is DataState.DELIVERED
    for settled in (DataState.DELIVERED, DataState.REJECTED, DataState.FAILED, DataState.NONE):
        with pytest.raises(IllegalHandoffTransition):
            next_data_state(settled, DataEvent.SEND)
