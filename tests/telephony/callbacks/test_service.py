"""Abandoned calls become callbacks: one per caller per day, never for blocked or anonymous."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from telephony.callbacks.models import CallbackRequest, CallbackState
from telephony.callbacks.service import (
    CallbackEvent,
    IllegalCallbackTransition,
    bridged,
    move,
    next_due,
    offer_callbacks,
)
from telephony.calls.machine import Call, CallEvent
from telephony.calls.models import CallRecord
from telephony.calls.records import save_ended
from telephony.controller.service import CallController
from telephony.routing.models import BlockEntry, LegacyNumber

T0 = datetime.fromisoformat("2026-03-02T10:00:00+08:00")


def abandoned(linkedid: str, caller: str = "13800001111", at: datetime = T0,
              answered: bool = False, queued: bool = True) -> Call:
    call = Call(linkedid, caller, "", "12345", at, source_line="12315", queue="main")
    if queued:
        call.apply(CallEvent.QUEUE, at + timedelta(seconds=10))
    if answered:
        call.apply(CallEvent.CONNECT, at + timedelta(seconds=20))
    call.apply(CallEvent.END, at + timedelta(seconds=70))
    return call


async def offer(session: AsyncSession, *calls: Call) -> int:
    """What the controller does with ended calls: store them, then offer callbacks."""
    for call in calls:
        await save_ended(session, call)
    return await offer_callbacks(session, calls)


async def callbacks(session: AsyncSession) -> list[CallbackRequest]:
    session.expire_all()
    return list((await session.scalars(select(CallbackRequest).order_by(CallbackRequest.id)))
                .all())


async def test_three_abandonments_in_a_day_are_one_pending_callback(session: AsyncSession
                                                                    ) -> None:
    calls = [abandoned(f"1.{i}", at=T0 + timedelta(hours=i)) for i in range(3)]
    assert await offer(session, *calls) == 1
    [row] = await callbacks(session)
    assert (row.state, row.linkedid, row.abandonments) == ("pending", "1.0", 3)
    assert (row.source_line, row.queue) == ("12315", "main")
    assert row.requested_at == T0 + timedelta(seconds=70)
    assert row.due_by == row.requested_at + timedelta(minutes=30)
    offered = await session.scalars(select(CallRecord.callback_offered))
    assert set(offered) == {True}


async def test_a_call_seen_again_after_a_resync_counts_once(session: AsyncSession) -> None:
    call = abandoned("1.1")
    await offer(session, call)
    assert await offer(session, call) == 0
    [row] = await callbacks(session)
    assert row.abandonments == 1


async def test_answered_calls_and_ivr_hang_ups_owe_nothing(session: AsyncSession) -> None:
    assert await offer(session, abandoned("1.1", answered=True),
                       abandoned("1.2", queued=False)) == 0
    assert await callbacks(session) == []


@pytest.mark.parametrize("caller", ["", "anonymous", "  "])
async def test_no_callback_without_a_caller_id(session: AsyncSession, caller: str) -> None:
    assert await offer(session, abandoned("1.1", caller=caller)) == 0
    assert await callbacks(session) == []


async def test_no_callback_for_a_blocked_caller(session: AsyncSession) -> None:
    session.add(BlockEntry(number="13900002222", reason="骚扰", created_by="supervisor",
                           created_at=T0 - timedelta(days=1), expires_at=T0 + timedelta(days=29)))
    session.add(BlockEntry(number="13700003333", reason="骚扰", created_by="supervisor",
                           created_at=T0 - timedelta(days=31), expires_at=T0 - timedelta(days=1)))
    await session.commit()
    assert await offer(session, abandoned("1.1", caller="13900002222"),
                       abandoned("1.2", caller="13700003333")) == 1
    [row] = await callbacks(session)
    assert row.caller_number == "13700003333"  # the expired block no longer counts


async def test_a_new_day_or_a_finished_callback_opens_a_new_one(session: AsyncSession) -> None:
    await offer(session, abandoned("1.1"))
    [first] = await callbacks(session)
    await offer(session, abandoned("2.1", at=T0 + timedelta(days=1)))
    assert len(await callbacks(session)) == 2
    await move(session, first.id, CallbackEvent.DIAL, T0 + timedelta(minutes=5))
    await move(session, first.id, CallbackEvent.BRIDGE, T0 + timedelta(minutes=6))
    assert await offer(session, abandoned("1.2", at=T0 + timedelta(hours=3))) == 1


async def test_a_cancelled_callback_is_not_reopened_the_same_day(session: AsyncSession) -> None:
    await offer(session, abandoned("1.1"))
    [row] = await callbacks(session)
    await move(session, row.id, CallbackEvent.CANCEL, T0 + timedelta(minutes=2), "supervisor")
    assert await offer(session, abandoned("1.2", at=T0 + timedelta(hours=1))) == 0


async def test_the_state_machine_counts_attempts_and_refuses_illegal_moves(
    session: AsyncSession
) -> None:
    await offer(session, abandoned("1.1"))
    [row] = await callbacks(session)
    with pytest.raises(IllegalCallbackTransition):
        await move(session, row.id, CallbackEvent.ANSWER, T0)
    dialled = await move(session, row.id, CallbackEvent.DIAL, T0 + timedelta(minutes=2))
    assert (dialled.state, dialled.attempts) == ("calling", 1)
    assert dialled.last_attempt_at == T0 + timedelta(minutes=2)
    with pytest.raises(IllegalCallbackTransition) as refused:
        await move(session, row.id, CallbackEvent.CANCEL, T0 + timedelta(minutes=3))
    assert refused.value.error_id == "illegal-callback-transition"
    assert refused.value.details["state"] == "calling"
    again = await move(session, row.id, CallbackEvent.NO_ANSWER, T0 + timedelta(minutes=3))
    assert again.state == CallbackState.PENDING
    await move(session, row.id, CallbackEvent.DIAL, T0 + timedelta(minutes=10))
    failed = await move(session, row.id, CallbackEvent.GIVE_UP, T0 + timedelta(minutes=11))
    assert (failed.state, failed.attempts) == ("failed", 2)


async def test_next_due_is_in_due_order_and_rests_unanswered_callers(session: AsyncSession
                                                                      ) -> None:
    await offer(session, abandoned("3.1", caller="13800000003", at=T0 + timedelta(minutes=20)),
                abandoned("1.1", caller="13800000001", at=T0),
                abandoned("2.1", caller="13800000002", at=T0 + timedelta(minutes=10)))
    now = T0 + timedelta(minutes=30)
    due = await next_due(session, now, limit=10)
    assert [row.linkedid for row in due] == ["1.1", "2.1", "3.1"]
    assert [row.linkedid for row in await next_due(session, now, limit=1)] == ["1.1"]
    await move(session, due[0].id, CallbackEvent.DIAL, now)
    await move(session, due[0].id, CallbackEvent.NO_ANSWER, now + timedelta(minutes=1))
    soon = await next_due(session, now + timedelta(minutes=2), limit=10)
    assert [row.linkedid for row in soon] == ["2.1", "3.1"]
    later = await next_due(session, now + timedelta(minutes=6), limit=10)
    assert [row.linkedid for row in later] == ["1.1", "2.1", "3.1"]


async def test_the_controller_offers_callbacks_for_the_calls_it_stores(session: AsyncSession
                                                                       ) -> None:
    assert session.bind is not None
    makers = async_sessionmaker(session.bind, expire_on_commit=False)
    controller = CallController(makers, lambda: T0)
    controller.callback_within = timedelta(minutes=15)
    controller.line.ended.extend([abandoned("1.1"), abandoned("1.2", answered=True)])
    await controller.tick()
    [row] = await callbacks(session)
    assert row.linkedid == "1.1" and row.due_by == row.requested_at + timedelta(minutes=15)


@pytest.mark.parametrize("caller", ["12345", "8001", "96310", "+96310"])
async def test_no_callback_is_owed_to_the_platforms_own_numbers(session: AsyncSession,
                                                                caller: str) -> None:
    session.add(LegacyNumber(number="96310", name="供水热线", mode="forward",
                             source_line="96310", queue="main", created_at=T0,
                             updated_at=T0))
    await session.commit()
    call = abandoned("1.1", caller=caller)
    await save_ended(session, call)
    assert await offer_callbacks(session, [call], fixed={"8001", "8002"}) == 0
    assert await callbacks(session) == []


async def test_a_callback_leg_hung_up_in_the_queue_owes_no_callback(session: AsyncSession
                                                                    ) -> None:
    leg = abandoned("1.1", caller="13800001111")
    leg.callback_id = 7  # the dialer's call: the citizen hung up before an agent came
    assert await offer(session, leg) == 0
    assert await callbacks(session) == []


async def test_a_callback_is_done_when_an_agent_is_bridged_not_when_the_citizen_answers(
    session: AsyncSession
) -> None:
    await offer(session, abandoned("1.1"))
    [row] = await callbacks(session)
    await move(session, row.id, CallbackEvent.DIAL, T0 + timedelta(minutes=2))
    answered = await move(session, row.id, CallbackEvent.ANSWER, T0 + timedelta(minutes=3))
    assert answered.state == CallbackState.CALLING  # waiting in the queue for an agent
    done = await bridged(session, row.id, T0 + timedelta(minutes=4))
    assert done is not None and done.state == CallbackState.DONE
    assert done.updated_at == T0 + timedelta(minutes=4)
    assert await bridged(session, row.id, T0 + timedelta(minutes=5)) is None  # once
    assert await bridged(session, 999, T0) is None


async def test_a_citizen_who_answers_then_hangs_up_in_the_queue_is_called_again(
    session: AsyncSession
) -> None:
    await offer(session, abandoned("1.1"))
    [row] = await callbacks(session)
    await move(session, row.id, CallbackEvent.DIAL, T0 + timedelta(minutes=2))
    await move(session, row.id, CallbackEvent.ANSWER, T0 + timedelta(minutes=3))
    again = await move(session, row.id, CallbackEvent.NO_ANSWER, T0 + timedelta(minutes=4))
    assert again.state == CallbackState.PENDING
    later = await next_due(session, T0 + timedelta(minutes=10), limit=10)
    assert [r.id for r in later] == [row.id]


async def test_the_controller_owes_no_callback_to_an_agents_extension(session: AsyncSession
                                                                      ) -> None:
    assert session.bind is not None
    controller = CallController(async_sessionmaker(session.bind, expire_on_commit=False),
                                lambda: T0)
    controller.own_numbers = frozenset({"8001"})
    controller.line.ended.extend([abandoned("1.1", caller="8001"),
                                  abandoned("1.2", caller="13900002222")])
    await controller.tick()
    assert [row.caller_number for row in await callbacks(session)] == ["13900002222"]
