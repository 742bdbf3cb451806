"""The callbacks campaign on the dialer: into the caller's queue, one call per attempt, the
retry spacing, giving up, and a restart that neither rings again nor loses the attempt."""

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from telephony.callbacks import service as callbacks
from telephony.callbacks.campaign import CallbackCampaign
from telephony.callbacks.models import CallbackRequest
from telephony.outbound.config import SIMULATED_CITIZEN, OutboundConfig
from telephony.outbound.service import OutboundDialer
from tests.conftest import FakeClock
from tests.telephony.outbound.fakes import FakeAmi, channel
from tests.waiting import wait_for

Maker = async_sessionmaker[AsyncSession]


@pytest.fixture
def maker(engine: AsyncEngine, session: AsyncSession) -> Maker:  # session: emptied tables
    return async_sessionmaker(engine, expire_on_commit=False)


def dialer(maker: Maker, ami: FakeAmi, clock: FakeClock, attempts: int = 3) -> OutboundDialer:
    config = OutboundConfig(dial=SIMULATED_CITIZEN, ring_timeout=5,
                            orphan_after=timedelta(0), orphan_every=timedelta(0))
    made = OutboundDialer([CallbackCampaign(maker, attempts=attempts)], ami, config, clock)
    made.start()
    return made


async def owed(maker: Maker, clock: FakeClock, number: str, **values: object) -> CallbackRequest:
    row = CallbackRequest(caller_number=number, linkedid=f"1700000000.{number[-3:]}",
                          requested_at=clock(), due_by=clock() + timedelta(minutes=30),
                          updated_at=clock(), **values)
    async with maker() as session:
        session.add(row)
        await session.commit()
    return row


async def fresh(maker: Maker) -> CallbackRequest:
    async with maker() as session:
        return (await session.scalars(select(CallbackRequest))).one()


async def state(maker: Maker) -> str:
    return (await fresh(maker)).state


async def test_a_missed_caller_is_called_back_into_the_queue_once_per_attempt(
        maker: Maker, clock: FakeClock) -> None:
    row = await owed(maker, clock, "13500000009", queue="enterprise", source_line="12315")
    ami = FakeAmi(outcomes={"13500000009": "noanswer"})
    d = dialer(maker, ami, clock)
    assert await d.tick() == 1
    await wait_for(lambda: d.counts.unanswered == 1, "the callback rang out")
    assert ami.dialled == [f"callback-{row.id}-1"]
    request = ami.requests[ami.dialled[0]]
    assert (request.context, dict(request.variables)) == ("hotline-queue", {
        "HOTLINE_CALLBACK_ID": str(row.id), "HOTLINE_QUEUE": "enterprise",
        "HOTLINE_LINE": "12315", "HOTLINE_CALLBACK_NUMBER": "13500000009"})
    assert (await fresh(maker)).attempts == 1 and await state(maker) == "pending"
    assert await d.tick() == 0  # the retry spacing: not at once
    ami.outcomes.clear()
    clock.advance(minutes=5)
    assert await d.tick() == 1
    await wait_for(lambda: d.counts.answered == 1, "answered")
    assert ami.dialled[1] == f"callback-{row.id}-2"  # a key per attempt: a retry is a new call
    assert await state(maker) == "calling"  # answered, waiting in the queue: no agent yet
    await bridged(maker, row.id, clock)
    assert await state(maker) == "done"
    await ami.hang_up(ami.dialled[1])
    clock.advance(minutes=10)
    assert await d.tick() == 0
    assert (await state(maker), len(ami.dialled)) == ("done", 2)
    await d.close()


async def test_the_last_unanswered_attempt_gives_up(maker: Maker, clock: FakeClock) -> None:
    await owed(maker, clock, "13500000007")
    ami = FakeAmi(outcomes={"13500000007": "busy"})
    d = dialer(maker, ami, clock, attempts=2)
    for tried in (1, 2):
        await d.tick()
        await wait_for(lambda t=tried: d.counts.unanswered == t, f"attempt {tried} busy")
        clock.advance(minutes=5)
    assert (await state(maker), len(ami.dialled)) == ("failed", 2)
    assert await d.tick() == 0
    await d.close()


async def test_a_callback_ringing_across_a_restart_and_then_answered_is_not_rung_again(
        maker: Maker, clock: FakeClock) -> None:
    row = await owed(maker, clock, "13500000008", state="calling", attempts=1)
    key = f"callback-{row.id}-1"
    ami = FakeAmi()
    ami.live[key] = channel(key, "1700000000.80", state=5)  # the old process's call rings on
    d = dialer(maker, ami, clock)
    await d.tick()
    assert (d.counts.adopted, ami.dialled) == (1, [])
    await ami.pick_up(key)
    await wait_for(lambda: d.counts.answered == 1 or _answered(d), "the adopted call answered")
    await bridged(maker, row.id, clock)  # an agent takes the citizen
    await ami.hang_up(key)
    await wait_for(lambda: not d.calls, "the call settled")
    clock.advance(minutes=10)
    await d.tick()
    assert (ami.dialled, await state(maker)) == ([], "done")
    await d.close()


def _answered(d: OutboundDialer) -> bool:
    return all(not call.waiting_answer for call in d.calls.values())


async def bridged(maker: Maker, callback_id: int, clock: FakeClock) -> None:
    """What the callback follower does on the queue's AgentConnect for the leg."""
    async with maker() as session:
        assert await callbacks.bridged(session, callback_id, clock()) is not None


async def test_a_dead_nodes_callback_without_a_channel_counts_as_an_attempt(
        maker: Maker, clock: FakeClock) -> None:
    row = await owed(maker, clock, "13500000006", state="calling", attempts=1,
                     last_attempt_at=clock())
    ami = FakeAmi()
    d = dialer(maker, ami, clock)
    await d.tick()  # Asterisk has no channel for it: unanswered, rung again after the spacing
    assert (d.counts.lost, ami.dialled, await state(maker)) == (1, [], "pending")
    clock.advance(minutes=5)
    await d.tick()
    await wait_for(lambda: d.counts.answered == 1, "called again")
    assert ami.dialled == [f"callback-{row.id}-2"]
    await d.close()
