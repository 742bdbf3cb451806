"""The survey side: the script, each answer recorded once through the workflow, do-not-call."""

import asyncio
import logging

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from tests.tickets.revisits.helpers import RULES, at, attempts_of, revisit_of, revisit_ticket
from tickets.revisits.errors import IllegalRevisitTransition, SurveyIncomplete
from tickets.revisits.machine import AttemptEvent
from tickets.revisits.models import DoNotCall
from tickets.revisits.schedule import (
    Claimed,
    Outcome,
    claim_due,
    conclude,
    mark_answered,
    schedule_pending,
)
from tickets.revisits.survey import record_abandoned, record_answer, survey_script
from tickets.supervision.models import Supervision
from tickets.workflow.errors import InvalidEvaluation
from tickets.workflow.models import Evaluation, Ticket

NOW = at("2026-03-02T10:00:00+08:00")


async def answered_call(session: AsyncSession, ticket: Ticket) -> Claimed:
    """Schedule, claim and answer the ticket's first waiting attempt."""
    await schedule_pending(session, RULES, NOW)
    claimed = [c for c in await claim_due(session, RULES, "node-a", NOW, 50)
               if c.phone == ticket.requester_phone]
    assert len(claimed) == 1
    assert await mark_answered(session, claimed[0].attempt_id, "1700000000.1", NOW)
    return claimed[0]


async def evaluations(session: AsyncSession, ticket: Ticket) -> list[Evaluation]:
    return list(await session.scalars(select(Evaluation).where(
        Evaluation.ticket_id == ticket.id).order_by(Evaluation.round)))


async def fresh(session: AsyncSession, ticket: Ticket) -> Ticket:
    return await session.get_one(Ticket, ticket.id, populate_existing=True)


async def test_the_script_names_the_ticket_and_the_profile_s_scale_best_first(
        session: AsyncSession) -> None:
    ticket = await revisit_ticket(session, summary="路灯不亮")
    call = await answered_call(session, ticket)
    script = await survey_script(session, call.attempt_id)
    assert script is not None
    assert (script.ticket_number, script.summary) == (ticket.number, "路灯不亮")
    assert script.scale == ("满意", "比较满意", "不满意")  # tonghua 第十九条
    assert await survey_script(session, 999_999) is None


async def test_a_satisfied_answer_closes_the_ticket_and_a_repeat_changes_nothing(
        session: AsyncSession) -> None:
    ticket = await revisit_ticket(session)
    call = await answered_call(session, ticket)
    assert await record_answer(session, call.attempt_id, "满意", True, False, NOW) \
        is Outcome.RECORDED
    assert await record_answer(session, call.attempt_id, "不满意", False, False, NOW) \
        is Outcome.ALREADY
    (evaluation,) = await evaluations(session, ticket)
    assert (evaluation.level, evaluation.solved, evaluation.channel) == ("满意", True,
                                                                          "phone-auto")
    assert (await fresh(session, ticket)).state == "closed"
    assert (await revisit_of(session, ticket)).state == "done"
    assert await survey_script(session, call.attempt_id) is None  # nothing left to ask


async def test_the_same_answer_sent_twice_at_once_is_recorded_once(
        session: AsyncSession, engine: AsyncEngine) -> None:
    ticket = await revisit_ticket(session)
    call = await answered_call(session, ticket)
    maker = async_sessionmaker(engine, expire_on_commit=False)

    async def answer() -> Outcome:
        async with maker() as own:
            return await record_answer(own, call.attempt_id, "满意", True, False, NOW)

    outcomes = sorted(await asyncio.gather(answer(), answer()))
    assert outcomes == sorted([Outcome.RECORDED, Outcome.ALREADY])
    assert len(await evaluations(session, ticket)) == 1


async def test_unsatisfied_goes_back_to_the_unit_and_a_second_unsatisfied_to_supervision(
        session: AsyncSession) -> None:
    ticket = await revisit_ticket(session)
    first = await answered_call(session, ticket)
    await record_answer(session, first.attempt_id, "不满意", False, False, NOW)
    row = await fresh(session, ticket)
    assert (row.state, row.rehandle_count) == ("handling", 1)
    row.state = "revisit"  # the unit replied again and the reply was approved
    await session.commit()
    second = await answered_call(session, ticket)  # round 1: a revisit of its own
    assert second.attempt_id != first.attempt_id
    await record_answer(session, second.attempt_id, "不满意", False, False, NOW)
    row = await fresh(session, ticket)
    assert row.investigation_flag and row.under_supervision  # tonghua 第二十九条(六)
    triggers = await session.scalars(select(Supervision.trigger).where(
        Supervision.ticket_id == ticket.id))
    assert list(triggers) == ["second-unsatisfied"]
    assert [e.level for e in await evaluations(session, ticket)] == ["不满意", "不满意"]


async def test_do_not_call_keeps_the_rating_and_bars_the_number_from_later_revisits(
        session: AsyncSession) -> None:
    ticket = await revisit_ticket(session, phone="13700137000")
    call = await answered_call(session, ticket)
    await record_answer(session, call.attempt_id, "比较满意", None, True, NOW)
    assert (await fresh(session, ticket)).state == "closed"
    assert await session.get(DoNotCall, "13700137000") is not None
    later = await revisit_ticket(session, phone="13700137000")
    await schedule_pending(session, RULES, NOW)
    revisit = await revisit_of(session, later)
    assert (revisit.state, revisit.handover_reason) == ("handed-over", "do-not-call")
    assert await attempts_of(session, later) == []


async def test_do_not_call_without_a_rating_hands_the_revisit_to_a_person(
        session: AsyncSession) -> None:
    ticket = await revisit_ticket(session)
    call = await answered_call(session, ticket)
    with pytest.raises(SurveyIncomplete):
        await record_answer(session, call.attempt_id, None, None, False, NOW)
    assert await record_answer(session, call.attempt_id, None, None, True, NOW) \
        is Outcome.HANDED_OVER
    assert (await revisit_of(session, ticket)).handover_reason == "do-not-call"
    assert (await fresh(session, ticket)).state == "revisit"
    assert await evaluations(session, ticket) == []


async def test_a_rating_off_the_scale_writes_nothing(session: AsyncSession) -> None:
    ticket = await revisit_ticket(session)
    call = await answered_call(session, ticket)
    with pytest.raises(InvalidEvaluation):
        await record_answer(session, call.attempt_id, "非常满意", True, False, NOW)  # zhanjiang's
    assert [a.state for a in await attempts_of(session, ticket)] == ["answered"]
    assert await evaluations(session, ticket) == []


async def test_a_hang_up_mid_survey_fails_the_attempt_once_and_schedules_the_next(
        session: AsyncSession) -> None:
    ticket = await revisit_ticket(session)
    call = await answered_call(session, ticket)
    assert await record_abandoned(session, call.attempt_id, "hung up", NOW, rules=RULES) \
        is Outcome.NEXT_SCHEDULED
    assert await record_abandoned(session, call.attempt_id, "hung up", NOW, rules=RULES) \
        is Outcome.ALREADY
    assert [a.state for a in await attempts_of(session, ticket)] == ["failed", "scheduled"]
    with pytest.raises(IllegalRevisitTransition):  # too late: the call was given up
        await record_answer(session, call.attempt_id, "满意", True, False, NOW)


async def test_an_answer_for_a_ticket_a_person_closed_meanwhile_is_not_an_evaluation(
        session: AsyncSession) -> None:
    ticket = await revisit_ticket(session)
    call = await answered_call(session, ticket)
    row = await fresh(session, ticket)
    row.state = "closed"
    await session.commit()
    assert await record_answer(session, call.attempt_id, "满意", True, False, NOW) \
        is Outcome.TICKET_MOVED
    assert await evaluations(session, ticket) == []
    assert (await revisit_of(session, ticket)).state == "closed-elsewhere"


async def test_the_hang_up_after_a_recorded_answer_is_no_news_in_the_log(
        session: AsyncSession, caplog: pytest.LogCaptureFixture) -> None:
    ticket = await revisit_ticket(session)
    call = await answered_call(session, ticket)
    await record_answer(session, call.attempt_id, "满意", True, False, NOW)
    caplog.set_level(logging.INFO, logger="tickets.revisits.schedule")
    caplog.clear()
    assert await conclude(session, call.attempt_id, AttemptEvent.FAIL, "hung up", NOW,
                          RULES) is Outcome.ALREADY
    assert not [r for r in caplog.records if r.levelno >= logging.INFO]
