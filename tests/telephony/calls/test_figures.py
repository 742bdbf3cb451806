"""The line's figures from stored calls, on SQLite and PostgreSQL."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from telephony.calls.figures import figures
from telephony.calls.machine import Call, CallEvent
from telephony.calls.records import save_ended
from tests.conftest import Api

T0 = datetime.fromisoformat("2026-03-02T10:00:00+08:00")


async def ended_call(session: AsyncSession, linkedid: str, queue: str, wait: float | None,
                     talk: float = 120.0, agent: str = "PJSIP/8001") -> Call:
    call = Call(linkedid, "13800001111", "张三", "12345", T0, queue=queue)
    call.apply(CallEvent.QUEUE, T0 + timedelta(seconds=5))
    at = T0 + timedelta(seconds=5)
    if wait is not None:
        at += timedelta(seconds=wait)
        call.agent = agent
        call.apply(CallEvent.CONNECT, at)
        at += timedelta(seconds=talk)
    else:
        at += timedelta(seconds=40)
    call.apply(CallEvent.END, at)
    assert await save_ended(session, call)
    return call


async def test_answer_rates_abandonment_and_speed_of_answer(session: AsyncSession) -> None:
    await ended_call(session, "a.1", "general", wait=4)
    await ended_call(session, "a.2", "general", wait=14.5)
    await ended_call(session, "a.3", "general", wait=30, talk=60)
    await ended_call(session, "a.4", "general", wait=None)
    await ended_call(session, "b.1", "enterprise", wait=2, agent="PJSIP/8002")
    [overall] = await figures(session, T0, T0 + timedelta(days=1))
    assert (overall.offered, overall.answered, overall.answered_within_15s,
            overall.abandoned) == (5, 4, 3, 1)
    assert overall.answer_rate == 0.8 and overall.answer_rate_15s == 0.6
    assert overall.abandonment_rate == 0.2
    assert overall.average_speed_of_answer == pytest.approx(12.625, abs=0.01)
    assert overall.average_handling_time == 105.0
    by_queue = {f.group: f for f in await figures(session, T0, T0 + timedelta(days=1), "queue")}
    assert by_queue["general"].offered == 4 and by_queue["enterprise"].answer_rate == 1.0
    by_agent = {f.group: f for f in await figures(session, T0, T0 + timedelta(days=1), "agent")}
    assert by_agent["PJSIP/8002"].answered == 1


async def test_a_call_seen_twice_after_a_resync_is_stored_once(session: AsyncSession) -> None:
    call = await ended_call(session, "c.1", "general", wait=3)
    assert await save_ended(session, call) is False
    [overall] = await figures(session, T0, T0 + timedelta(days=1))
    assert overall.offered == 1


async def test_a_period_without_calls_has_no_rates(session: AsyncSession) -> None:
    [empty] = await figures(session, T0, T0 + timedelta(days=1))
    assert empty.offered == 0 and empty.answer_rate is None


async def test_figures_over_http_for_a_supervisor(api: Api) -> None:
    async with api.runtime.sessionmaker() as session:
        await ended_call(session, "h.1", "general", wait=3)
    response = await api.call("GET", "/telephony/figures", "supervisor", params={
        "start": "2026-03-02T00:00:00+08:00", "end": "2026-03-03T00:00:00+08:00",
        "by": "queue"})
    assert response.status_code == 200, response.text
    assert response.json()[0]["group"] == "general"
    assert response.json()[0]["answer_rate_15s"] == 1.0
    refused = await api.call("GET", "/telephony/figures", "agent", params={
        "start": "2026-03-02T00:00:00+08:00", "end": "2026-03-03T00:00:00+08:00"})
    assert refused.status_code == 403


def outcome(linkedid: str, *, queued: bool = True, wait: float | None = None,
            callback_id: int | None = None, ivr_result: str | None = None) -> Call:
    """A call of the day: through the IVR (its result), maybe queued, maybe answered."""
    call = Call(linkedid, "13800001111", "", "12345", T0, queue="main" if queued else None)
    call.callback_id, call.ivr_result = callback_id, ivr_result
    call.apply(CallEvent.ENTER_IVR, T0)
    at = T0 + timedelta(seconds=20)
    if queued:
        call.apply(CallEvent.QUEUE, at)
        if wait is not None:
            at += timedelta(seconds=wait)
            call.agent = "PJSIP/8001"
            call.apply(CallEvent.CONNECT, at)
    call.apply(CallEvent.END, at + timedelta(seconds=60))
    return call


async def test_gbt_33358_self_service_and_callbacks_are_not_offered_inbound_calls(
    session: AsyncSession,
) -> None:
    """The day of issue 13: every caller who waited was answered. It read 50% when a ticket
    followed in the IVR counted abandoned and callback legs counted offered."""
    for call in (outcome("in.1", wait=5), outcome("in.2", wait=40),
                 outcome("ivr.1", queued=False, ivr_result="followed"),
                 outcome("ivr.2", queued=False, ivr_result="hungup"),  # hung up in the menu
                 outcome("cb.1", wait=3, callback_id=1),
                 outcome("cb.2", callback_id=2)):  # the citizen hung up before an agent
        assert await save_ended(session, call)
    [day] = await figures(session, T0, T0 + timedelta(days=1))
    assert (day.offered, day.answered, day.answered_within_15s, day.abandoned) == (2, 2, 1, 0)
    assert (day.answer_rate, day.answer_rate_15s, day.abandonment_rate) == (1.0, 0.5, 0.0)
    assert day.average_speed_of_answer == 22.5  # inbound calls only
    assert (day.self_served, day.callback_calls, day.callbacks_connected) == (1, 2, 1)
    by_queue = {f.group: f for f in await figures(session, T0, T0 + timedelta(days=1), "queue")}
    assert by_queue["main"].offered == 2 and by_queue["main"].callback_calls == 2
    assert by_queue[None].self_served == 1 and by_queue[None].offered == 0
