"""The scheduler lease on SQLite and PostgreSQL: one holder at a time, taken over on expiry."""

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from hotline.scheduler.lease import Lease, LeaseState
from tests.conftest import FakeClock

TTL = timedelta(seconds=30)


@pytest.fixture
def maker(engine: AsyncEngine, session: AsyncSession) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


async def test_the_first_node_holds_the_lease_and_renews_it_the_second_waits(
        maker: async_sessionmaker[AsyncSession], clock: FakeClock) -> None:
    a, b = Lease(maker, "node-a", TTL, clock=clock), Lease(maker, "node-b", TTL, clock=clock)
    assert await a.try_acquire()
    assert not await b.try_acquire()
    clock.advance(seconds=20)
    assert await a.try_acquire()  # renewed: expires 30 s from now
    clock.advance(seconds=20)
    assert not await b.try_acquire()
    assert (a.state, b.state) == (LeaseState.HOLDER, LeaseState.FOLLOWER)


async def test_a_silent_holder_s_lease_expires_and_another_node_takes_over(
        maker: async_sessionmaker[AsyncSession], clock: FakeClock) -> None:
    a, b = Lease(maker, "node-a", TTL, clock=clock), Lease(maker, "node-b", TTL, clock=clock)
    assert await a.try_acquire()
    clock.advance(seconds=31)
    assert not a.held  # past its lease even before it learns of the takeover
    assert await b.try_acquire()
    assert not await a.try_acquire()
    assert a.state is LeaseState.FOLLOWER


async def test_a_released_lease_is_taken_at_once(
        maker: async_sessionmaker[AsyncSession], clock: FakeClock) -> None:
    a, b = Lease(maker, "node-a", TTL, clock=clock), Lease(maker, "node-b", TTL, clock=clock)
    assert await a.try_acquire()
    await a.release()
    assert await b.try_acquire()


async def test_contenders_racing_never_both_hold_it(
        maker: async_sessionmaker[AsyncSession], clock: FakeClock) -> None:
    nodes = [Lease(maker, f"node-{i}", TTL, clock=clock) for i in range(4)]
    holders: set[str] = set()
    for _ in range(10):  # each round every node tries at once; the lease expires between
        won = await asyncio.gather(*(node.try_acquire() for node in nodes))
        assert sum(won) == 1  # expired between rounds: exactly one takes it
        holders |= {node.node for node, ok in zip(nodes, won, strict=True) if ok}
        clock.advance(seconds=31)
    assert holders
