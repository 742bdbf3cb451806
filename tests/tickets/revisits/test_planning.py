"""Booked attempts follow the calling windows; a reviewer's "call now"; a ticket's revisits."""

from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import Api
from tests.tickets.revisits.helpers import RULES, at, attempts_of, revisit_of, revisit_ticket
from tickets.revisits.errors import NothingToCall, OutsideCallingWindows
from tickets.revisits.machine import AttemptEvent
from tickets.revisits.planning import call_now, rebook
from tickets.revisits.schedule import RevisitRules, claim_due, conclude, schedule_pending
from tickets.revisits.windows import CallingWindows

EVENING = at("2026-03-02T20:30:00+08:00")  # after the last window of Monday
WIDE = RevisitRules(CallingWindows.parse(["08:00-21:00"]), attempts=3,
                    retry=timedelta(minutes=120))
NARROW = RevisitRules(CallingWindows.parse(["15:00-16:00"]), attempts=3,
                      retry=timedelta(minutes=120))


async def test_widening_the_windows_moves_a_booked_attempt_to_the_first_new_moment(
        session: AsyncSession) -> None:
    ticket = await revisit_ticket(session)
    await schedule_pending(session, RULES, EVENING)
    [booked] = await attempts_of(session, ticket)
    assert booked.due_at == at("2026-03-03T09:00:00+08:00")  # Tuesday's first window
    assert await rebook(session, WIDE) == 1
    [moved] = await attempts_of(session, ticket)
    assert moved.due_at == EVENING  # 20:30 is inside the wider window: due now
    assert [c.attempt_id for c in await claim_due(session, WIDE, "node", EVENING, 5)] == \
        [moved.id]


async def test_narrowing_them_moves_it_later_and_the_same_windows_move_nothing(
        session: AsyncSession) -> None:
    ticket = await revisit_ticket(session)
    await schedule_pending(session, RULES, EVENING)
    assert await rebook(session, RULES) == 0
    assert await rebook(session, NARROW) == 1
    [moved] = await attempts_of(session, ticket)
    assert moved.due_at == at("2026-03-03T15:00:00+08:00")


async def test_a_next_attempt_keeps_its_spacing_when_the_windows_move(
        session: AsyncSession) -> None:
    ticket = await revisit_ticket(session)
    morning = at("2026-03-02T11:00:00+08:00")
    await schedule_pending(session, RULES, morning)
    [first] = await claim_due(session, RULES, "node", morning, 5)
    await conclude(session, first.attempt_id, AttemptEvent.NO_ANSWER, "no answer", morning,
                   RULES)
    _, second = await attempts_of(session, ticket)
    assert second.due_at == at("2026-03-02T14:00:00+08:00")  # 13:00 is in the lunch gap
    await rebook(session, WIDE)
    _, second = await attempts_of(session, ticket)
    assert second.due_at == morning + RULES.retry  # 13:00, inside the wider window


async def test_call_now_inside_the_windows_and_refused_outside_or_with_nothing_waiting(
        session: AsyncSession) -> None:
    ticket = await revisit_ticket(session)
    await schedule_pending(session, RULES, EVENING)
    revisit = await revisit_of(session, ticket)
    with pytest.raises(OutsideCallingWindows) as refused:
        await call_now(session, RULES, revisit.id, EVENING)
    assert refused.value.details["next_open"] == "2026-03-03T09:00:00+08:00"
    tuesday = at("2026-03-03T10:00:00+08:00")
    await rebook(session, NARROW)  # booked for 15:00 Tuesday
    attempt = await call_now(session, NARROW, revisit.id, at("2026-03-03T15:30:00+08:00"))
    assert attempt.due_at == at("2026-03-03T15:30:00+08:00")
    await claim_due(session, NARROW, "node", at("2026-03-03T15:30:00+08:00"), 5)
    with pytest.raises(NothingToCall):  # the call is on: nothing waits
        await call_now(session, NARROW, revisit.id, tuesday)


async def test_a_ticket_shows_its_revisits_and_a_reviewer_calls_now(api: Api) -> None:
    async with api.runtime.sessionmaker() as session:
        ticket = await revisit_ticket(session)
        await schedule_pending(session, RULES, at("2026-03-02T08:00:00+08:00"))
    listed = await api.call("GET", f"/revisits/of-ticket/{ticket.number}", "reviewer")
    assert listed.status_code == 200, listed.text
    [revisit] = listed.json()
    assert [a["due_at"] for a in revisit["attempts"]] == ["2026-03-02T09:00:00+08:00"]
    now = await api.call("POST", f"/revisits/{revisit['id']}/call-now", "supervisor")
    assert now.status_code == 200, now.text
    assert now.json()["attempts"][0]["due_at"] == api.clock().isoformat()  # 10:00, a window
    assert (await api.call("POST", f"/revisits/{revisit['id']}/call-now",
                           "agent")).status_code == 403
    missing = await api.call("GET", "/revisits/of-ticket/2603029999999", "reviewer")
    assert missing.status_code == 404
