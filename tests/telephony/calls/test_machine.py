"""The call state machine refuses what cannot happen and times what did."""

from datetime import datetime, timedelta

import pytest

from telephony.calls.machine import Call, CallEvent, CallState, IllegalCallTransition

T0 = datetime.fromisoformat("2026-03-02T10:00:00+08:00")


def call() -> Call:
    return Call("1700000000.1", "13800001111", "张三", "12345", T0)


def test_a_call_through_ivr_queue_and_agent_records_its_wait() -> None:
    c = call()
    c.apply(CallEvent.ENTER_IVR, T0 + timedelta(seconds=1))
    c.apply(CallEvent.QUEUE, T0 + timedelta(seconds=20))
    c.apply(CallEvent.CONNECT, T0 + timedelta(seconds=32))
    assert c.state is CallState.CONNECTED
    assert c.wait_seconds == 12.0


def test_an_ended_call_cannot_be_connected_and_stays_ended() -> None:
    c = call()
    c.apply(CallEvent.END, T0)
    with pytest.raises(IllegalCallTransition) as refused:
        c.apply(CallEvent.CONNECT, T0)
    assert refused.value.error_id == "illegal-call-transition"
    assert c.state is CallState.ENDED and c.ended_at == T0


def test_leaving_a_conference_returns_to_a_plain_connected_call() -> None:
    c = call()
    c.apply(CallEvent.CONNECT, T0)
    c.apply(CallEvent.CONFERENCE, T0)
    assert c.apply(CallEvent.LEAVE_CONFERENCE, T0) is CallState.CONNECTED
