"""Scheduling revisits and claiming their attempts: windows, caps, spacing, exactly once."""

import asyncio
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from tests.tickets.revisits.helpers import RULES, at, attempts_of, revisit_of, revisit_ticket
from tickets.revisits.machine import AttemptEvent
from tickets.revisits.models import DoNotCall, Revisit
from tickets.revisits.schedule import (
    Outcome,
    claim_due,
    conclude,
    release,
    schedule_pending,
    settle_moved,
)
from tickets.workflow.models import Ticket

MORNING = at("2026-03-02T10:00:00+08:00")
LUNCH = at("2026-03-02T12:30:00+08:00")


async def test_a_ticket_awaiting_its_revisit_gets_one_with_a_first_attempt_in_a_window(
        session: AsyncSession) -> None:
    ticket = await revisit_ticket(session)
    made = await schedule_pending(session, RULES, LUNCH)
    assert [r.ticket_id for r in made] == [ticket.id]
    (first,) = await attempts_of(session, ticket)
    assert (first.number, first.state) == (1, "scheduled")
    assert first.due_at == at("2026-03-02T14:00:00+08:00")  # lunch is outside the windows
    assert await schedule_pending(session, RULES, LUNCH) == []  # once per ticket and round


async def test_without_a_number_or_on_the_do_not_call_list_a_person_takes_it(
        session: AsyncSession) -> None:
    session.add(DoNotCall(number="13900139000", at=MORNING))
    await session.commit()
    nobody = await revisit_ticket(session, phone=None)
    barred = await revisit_ticket(session, phone="139-0013-9000")
    await schedule_pending(session, RULES, MORNING)
    for ticket, reason in ((nobody, "no-phone"), (barred, "do-not-call")):
        revisit = await revisit_of(session, ticket)
        assert (revisit.state, revisit.handover_reason) == ("handed-over", reason)
        assert revisit.notify_state == "pending"
        assert await attempts_of(session, ticket) == []


async def test_nothing_is_claimed_outside_the_windows_or_before_it_is_due(
        session: AsyncSession) -> None:
    await revisit_ticket(session)
    await schedule_pending(session, RULES, LUNCH)
    assert await claim_due(session, RULES, "node-a", LUNCH, 10) == []
    assert await claim_due(session, RULES, "node-a", at("2026-03-02T13:59:00+08:00"), 10) == []
    claimed = await claim_due(session, RULES, "node-a", at("2026-03-02T14:00:00+08:00"), 10)
    assert [c.phone for c in claimed] == ["13800138000"]


async def test_claims_stop_at_the_limit_the_channel_cap_leaves(session: AsyncSession) -> None:
    for _ in range(5):
        await revisit_ticket(session)
    await schedule_pending(session, RULES, MORNING)
    first = await claim_due(session, RULES, "node-a", MORNING, 3)
    second = await claim_due(session, RULES, "node-a", MORNING, 3)
    assert (len(first), len(second)) == (3, 2)
    assert await claim_due(session, RULES, "node-a", MORNING, 3) == []


async def test_two_jobs_claiming_at_once_never_share_an_attempt(
        session: AsyncSession, engine: AsyncEngine) -> None:
    for _ in range(20):
        await revisit_ticket(session)
    await schedule_pending(session, RULES, MORNING)
    maker = async_sessionmaker(engine, expire_on_commit=False)

    async def job(token: str) -> list[int]:
        async with maker() as own:
            return [c.attempt_id for c in await claim_due(own, RULES, token, MORNING, 20)]

    a, b = await asyncio.gather(job("a"), job("b"))
    assert not set(a) & set(b)
    assert len(a) + len(b) == 20


async def test_no_answer_schedules_the_next_attempt_spaced_and_inside_a_window(
        session: AsyncSession) -> None:
    ticket = await revisit_ticket(session)
    await schedule_pending(session, RULES, MORNING)
    (claimed,) = await claim_due(session, RULES, "node-a", MORNING, 1)
    ended = at("2026-03-02T10:40:00+08:00")
    outcome = await conclude(session, claimed.attempt_id, AttemptEvent.NO_ANSWER, "busy", ended,
                             RULES)
    assert outcome is Outcome.NEXT_SCHEDULED
    first, second = await attempts_of(session, ticket)
    assert (first.state, first.outcome) == ("no-answer", "busy")
    # 10:40 + 2 h = 12:40, outside the windows: the afternoon window opens at 14:00
    assert (second.number, second.due_at) == (2, at("2026-03-02T14:00:00+08:00"))
    repeat = await conclude(session, claimed.attempt_id, AttemptEvent.NO_ANSWER, "busy", ended,
                            RULES)
    assert repeat is Outcome.ALREADY
    assert len(await attempts_of(session, ticket)) == 2


async def test_after_three_attempts_a_person_and_the_webhook_take_it_over(
        session: AsyncSession) -> None:
    ticket = await revisit_ticket(session)
    await schedule_pending(session, RULES, MORNING)
    now = MORNING
    outcomes = []
    for _ in range(3):
        (claimed,) = await claim_due(session, RULES, "node-a", now, 1)
        outcomes.append(await conclude(session, claimed.attempt_id, AttemptEvent.FAIL,
                                       "congestion", now, RULES))
        now = (await attempts_of(session, ticket))[-1].due_at
    assert outcomes == [Outcome.NEXT_SCHEDULED, Outcome.NEXT_SCHEDULED, Outcome.HANDED_OVER]
    attempts = await attempts_of(session, ticket)
    assert [a.state for a in attempts] == ["failed"] * 3
    assert attempts[1].due_at - attempts[0].ended_at >= timedelta(minutes=120)  # type: ignore[operator]
    revisit = await revisit_of(session, ticket)
    assert (revisit.state, revisit.handover_reason) == ("handed-over", "attempts-exhausted")
    assert await claim_due(session, RULES, "node-a", now + timedelta(days=1), 5) == []


async def test_a_claim_whose_originate_never_left_is_released_by_its_claimer_only(
        session: AsyncSession) -> None:
    ticket = await revisit_ticket(session)
    await schedule_pending(session, RULES, MORNING)
    (claimed,) = await claim_due(session, RULES, "node-a", MORNING, 1)
    assert not await release(session, claimed.attempt_id, "node-b", MORNING)
    assert await release(session, claimed.attempt_id, "node-a", MORNING)
    assert [a.state for a in await attempts_of(session, ticket)] == ["scheduled"]


async def test_a_ticket_a_person_evaluated_meanwhile_leaves_the_schedule(
        session: AsyncSession) -> None:
    ticket = await revisit_ticket(session)
    await schedule_pending(session, RULES, LUNCH)
    row = await session.get_one(Ticket, ticket.id)
    row.state = "closed"
    await session.commit()
    assert await claim_due(session, RULES, "node-a", at("2026-03-02T14:00:00+08:00"), 5) == []
    assert await settle_moved(session, LUNCH) == 1
    assert (await revisit_of(session, ticket)).state == "closed-elsewhere"
    assert [a.state for a in await attempts_of(session, ticket)] == ["cancelled"]
    assert await session.scalar(select(func.count()).select_from(Revisit)) == 1
