"""The revisit campaign on the dialer: the survey's call, outcomes, spacing and hand-over, the
windows, and one call per attempt whatever happens (duplicated jobs, two nodes, a restart
between claim and call, a lost Originate outcome)."""

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from hotline.revisits.campaign import RevisitCampaign
from telephony.outbound.config import SIMULATED_CITIZEN, OutboundConfig
from telephony.outbound.service import OutboundDialer
from tests.conftest import FakeClock
from tests.telephony.outbound.fakes import FakeAmi
from tests.tickets.revisits.helpers import RULES, attempts_of, revisit_of, revisit_ticket
from tests.waiting import wait_for
from tickets.revisits.schedule import RevisitRules, claim_due, schedule_pending
from tickets.revisits.survey import call_is_ours, record_answer
from tickets.workflow.models import Ticket

Maker = async_sessionmaker[AsyncSession]


@pytest.fixture
def maker(engine: AsyncEngine, session: AsyncSession) -> Maker:  # session: emptied tables
    return async_sessionmaker(engine, expire_on_commit=False)


def dialer(maker: Maker, line: FakeAmi, clock: FakeClock, *, cap: int = 10,
           rules: RevisitRules = RULES, token: str | None = None) -> OutboundDialer:
    config = OutboundConfig(cap=cap, dial=SIMULATED_CITIZEN, ring_timeout=5,
                            orphan_after=timedelta(0), orphan_every=timedelta(0))
    campaign = RevisitCampaign(maker, rules, token=token, settle_grace=timedelta(0))
    made = OutboundDialer([campaign], line, config, clock)
    made.start()
    return made


async def states(maker: Maker, ticket: Ticket) -> list[str]:
    async with maker() as session:
        return [a.state for a in await attempts_of(session, ticket)]


async def scheduled(maker: Maker, *phones: str | None) -> list[Ticket]:
    async with maker() as session:
        tickets = [await revisit_ticket(session, phone) for phone in phones]
        await schedule_pending(session, RULES, FakeClock()())
    return tickets


async def test_calls_stop_at_the_cap_and_a_freed_channel_is_refilled_at_once(
        maker: Maker, clock: FakeClock) -> None:
    tickets = await scheduled(maker, *(f"1380013800{i}" for i in range(5)))
    line = FakeAmi()
    d = dialer(maker, line, clock, cap=2)
    assert await d.tick() == 2
    await wait_for(lambda: d.counts.answered == 2, "two calls answered")
    assert (len(line.dialled), d.active) == (2, 2)
    first = line.dialled[0]
    request = line.requests[first]
    assert (request.context, request.exten) == ("revisit-survey", "s")
    assert request.channel.endswith("@sim-citizen")
    attempt_id = int(request.variables["HOTLINE_REVISIT_ID"])
    assert first == f"revisit-{attempt_id}"
    async with maker() as session:  # the call carries the secret its survey will check
        assert await call_is_ours(session, attempt_id, request.variables["HOTLINE_REVISIT_TOKEN"])
        await record_answer(session, attempt_id, "满意", True, False, clock())
    await line.hang_up(first)  # no tick: the hang-up itself makes room
    await wait_for(lambda: len(line.dialled) == 3, "the freed channel refilled")
    assert d.active == 2
    assert sorted(await states(maker, tickets[0]) + await states(maker, tickets[1])
                  + await states(maker, tickets[2])) == ["answered", "answered", "done"]
    await d.close()


async def test_busy_schedules_the_next_attempt_later_and_the_third_hands_over(
        maker: Maker, clock: FakeClock) -> None:
    (ticket,) = await scheduled(maker, "13900000001")
    line = FakeAmi(outcomes={"13900000001": "busy"})
    d = dialer(maker, line, clock)
    await d.tick()
    await wait_for(lambda: _is(maker, ticket, ["no-answer", "scheduled"]), "attempt 2")
    assert await d.tick() == 0  # spaced: not before retry_minutes
    for expected in (["no-answer", "no-answer", "scheduled"], ["no-answer"] * 3):
        async with maker() as session:
            clock.now = (await attempts_of(session, ticket))[-1].due_at  # 14:00, then 16:00
        await d.tick()
        await wait_for(lambda e=expected: _is(maker, ticket, e), f"attempts {expected}")
    async with maker() as session:
        revisit = await revisit_of(session, ticket)
    assert (revisit.state, revisit.handover_reason) == ("handed-over", "attempts-exhausted")
    assert len(line.dialled) == len(set(line.dialled)) == 3
    await d.close()


async def _is(maker: Maker, ticket: Ticket, expected: list[str]) -> bool:
    return await states(maker, ticket) == expected


async def test_nothing_is_dialled_outside_the_calling_windows(maker: Maker,
                                                              clock: FakeClock) -> None:
    await scheduled(maker, "13900000002")
    clock.set("2026-03-02T12:30:00+08:00")
    line = FakeAmi()
    assert await dialer(maker, line, clock).tick() == 0
    assert line.dialled == []


async def test_duplicated_jobs_and_two_nodes_dial_each_attempt_once(
        maker: Maker, clock: FakeClock) -> None:
    await scheduled(maker, *(f"1370000{i:04d}" for i in range(30)))
    line = FakeAmi()  # one Asterisk, two dialers (a lease hand-over caught mid-way)
    a = dialer(maker, line, clock, cap=40, token="node-a")
    b = dialer(maker, line, clock, cap=40, token="node-b")
    await asyncio.gather(a.tick(), a.tick(), b.tick(), b.tick())
    await wait_for(lambda: a.counts.answered + b.counts.answered == 30, "all answered")
    assert len(line.dialled) == len(set(line.dialled)) == 30
    assert a.counts.originated + b.counts.originated == 30  # the other node at most follows
    await a.close()
    await b.close()


async def test_a_restart_between_claim_and_call_makes_exactly_one_call(
        maker: Maker, clock: FakeClock) -> None:
    (ticket,) = await scheduled(maker, "13600000001")
    async with maker() as session:  # the old process claimed, then died before its Originate
        (claimed,) = await claim_due(session, RULES, "dead-node", clock(), 5)
    line = FakeAmi()
    rules = RevisitRules(RULES.windows, attempts=3, retry=timedelta(0))
    d = dialer(maker, line, clock, rules=rules)
    await d.tick()  # Asterisk has no channel for it: failed, and the next one is due now
    await wait_for(lambda: d.counts.answered == 1, "the next attempt dialled and answered")
    assert await states(maker, ticket) == ["failed", "answered"]
    assert line.dialled != [f"revisit-{claimed.attempt_id}"]
    assert [line.number_of(k) for k in line.dialled] == ["13600000001"]
    await d.tick()
    assert len(line.dialled) == 1
    await d.close()


async def test_a_call_still_live_after_a_restart_is_followed_not_redialled(
        maker: Maker, clock: FakeClock) -> None:
    (ticket,) = await scheduled(maker, "13600000002")
    line = FakeAmi()
    old = dialer(maker, line, clock, token="old-node")
    await old.tick()
    await wait_for(lambda: old.counts.answered == 1, "the old node's call answered")
    old.counts = type(old.counts)()
    await old.close()  # the process stops; the citizen is still in the survey
    async with maker() as session:
        (attempt,) = await attempts_of(session, ticket)
        attempt.state = "calling"  # as if its answer had never been written
        await session.commit()
    new = dialer(maker, line, clock, token="new-node")
    await new.tick()
    assert (len(line.dialled), new.counts.adopted, new.active) == (1, 1, 1)
    assert await states(maker, ticket) == ["answered"]
    await line.hang_up(line.dialled[0])  # hung up before answering the survey
    await wait_for(lambda: _is(maker, ticket, ["failed", "scheduled"]), "settled as failed")
    await new.close()


async def test_a_lost_originate_outcome_is_never_dialled_again(
        maker: Maker, clock: FakeClock) -> None:
    (ticket,) = await scheduled(maker, "13600000003")
    line = FakeAmi(outcomes={"13600000003": "lost"})
    d = dialer(maker, line, clock)
    await d.tick()  # the outcome is lost: the refill's orphan pass asks Asterisk
    await wait_for(lambda: d.counts.adopted == 1, "found live in Asterisk and followed")
    await d.tick()
    assert (len(line.dialled), d.counts.adopted) == (1, 1)
    assert await states(maker, ticket) == ["calling"]
    await d.close()


async def test_a_call_never_sent_gives_its_claim_back_and_costs_no_attempt(
        maker: Maker, clock: FakeClock) -> None:
    (ticket,) = await scheduled(maker, "13600000004")
    line = FakeAmi(outcomes={"13600000004": "unsent"})  # the link is found down
    d = dialer(maker, line, clock)
    await d.tick()
    await wait_for(lambda: d.counts.unanswered == 1, "the refusal recorded")
    assert (await states(maker, ticket), line.dialled) == (["scheduled"], [])
    line.outcomes.clear()
    line.connected = True
    await d.tick()
    await wait_for(lambda: d.counts.answered == 1, "called once the link is back")
    assert await states(maker, ticket) == ["answered"]
    await d.close()


async def test_a_hang_up_before_the_survey_recorded_fails_the_attempt_after_the_grace(
        maker: Maker, clock: FakeClock) -> None:
    (ticket,) = await scheduled(maker, "13600000005")
    line = FakeAmi()
    campaign = RevisitCampaign(maker, RULES)  # the platform's grace: 10 s
    d = OutboundDialer([campaign], line, OutboundConfig(dial=SIMULATED_CITIZEN), clock)
    d.start()
    await d.tick()
    await wait_for(lambda: d.counts.answered == 1, "answered")
    await line.hang_up(line.dialled[0])
    await d.tick()
    assert await states(maker, ticket) == ["answered"]  # the survey may still record
    clock.advance(seconds=10)
    await d.tick()
    assert await states(maker, ticket) == ["failed", "scheduled"]
    async with maker() as session:
        assert (await attempts_of(session, ticket))[0].outcome == \
            "hung up before the survey recorded an answer"
    await d.close()
