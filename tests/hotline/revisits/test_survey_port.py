"""The survey port in the IVR's terms: its script, one recorded answer, abandonments."""

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from hotline.revisits.survey import IvrSurveyBackend, RevisitSurvey
from ivr.ports import SurveyAnswer
from tests.conftest import FakeClock
from tests.tickets.revisits.helpers import RULES, attempts_of, revisit_ticket
from tickets.revisits.schedule import claim_due, schedule_pending
from tickets.workflow.models import Ticket


async def test_the_ivr_reads_the_script_and_its_answer_closes_the_ticket_once(
        engine: AsyncEngine, session: AsyncSession, clock: FakeClock) -> None:
    maker = async_sessionmaker(engine, expire_on_commit=False)
    backend = IvrSurveyBackend(RevisitSurvey(maker, RULES, clock))
    ticket = await revisit_ticket(session, summary="井盖缺失")
    await schedule_pending(session, RULES, clock())
    (claimed,) = await claim_due(session, RULES, "node-a", clock(), 1)
    attempt = str(claimed.attempt_id)
    script = await backend.script(attempt)
    assert script is not None
    assert (script.attempt_id, script.summary, script.scale[0]) == (attempt, "井盖缺失", "满意")
    answer = SurveyAnswer(attempt, "满意", True, False)
    await backend.answered(answer)
    await backend.answered(answer)  # a repeat is a logged no-op
    await backend.abandoned(attempt, "hung up")  # too late to matter
    assert (await session.get_one(Ticket, ticket.id, populate_existing=True)).state == "closed"
    assert [a.state for a in await attempts_of(session, ticket)] == ["done"]


async def test_garbage_attempt_ids_get_no_script_and_change_nothing(
        engine: AsyncEngine, session: AsyncSession, clock: FakeClock) -> None:
    backend = IvrSurveyBackend(RevisitSurvey(async_sessionmaker(engine), RULES, clock))
    for garbage in ("", "abc", "-1", "1" * 40, "999999"):
        assert await backend.script(garbage) is None
        await backend.abandoned(garbage, "no-attempt-id")
