"""The survey port in the IVR's terms: its script, one recorded answer, abandonments, and the
token a call must carry (the real FastAGI route over both databases)."""

from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from hotline.revisits.survey import IvrSurveyBackend, RevisitSurveyRecords
from ivr.config import IvrConfig
from ivr.ports import SurveyAnswer
from ivr.prompts.player import BUILT, OVERRIDE, Prompts
from ivr.server import IvrServer
from tests.conftest import FakeClock
from tests.ivr.client import FakeAsterisk, environment
from tests.ivr.conftest import silent_prompts
from tests.ivr.fakes import FakeTickets
from tests.tickets.revisits.helpers import RULES, attempts_of, revisit_ticket
from tickets.revisits.schedule import claim_due, release, schedule_pending
from tickets.revisits.survey import call_is_ours
from tickets.workflow.models import Ticket


async def test_the_ivr_reads_the_script_and_its_answer_closes_the_ticket_once(
        engine: AsyncEngine, session: AsyncSession, clock: FakeClock) -> None:
    maker = async_sessionmaker(engine, expire_on_commit=False)
    backend = IvrSurveyBackend(RevisitSurveyRecords(maker, RULES, clock))
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
    backend = IvrSurveyBackend(RevisitSurveyRecords(async_sessionmaker(engine), RULES, clock))
    for garbage in ("", "abc", "-1", "1" * 40, "999999"):
        assert await backend.script(garbage) is None
        await backend.abandoned(garbage, "no-attempt-id")


async def test_over_fastagi_a_call_without_the_attempts_token_records_nothing(
        engine: AsyncEngine, session: AsyncSession, clock: FakeClock, tmp_path: Path) -> None:
    maker = async_sessionmaker(engine, expire_on_commit=False)
    ticket = await revisit_ticket(session, summary="井盖缺失")
    await schedule_pending(session, RULES, clock())
    (claimed,) = await claim_due(session, RULES, "node-a", clock(), 1)
    root = silent_prompts(tmp_path / "prompts")
    server = IvrServer("127.0.0.1", 0, tickets=FakeTickets(),
                       surveys=IvrSurveyBackend(RevisitSurveyRecords(maker, RULES, clock)),
                       prompts=Prompts((root.child(OVERRIDE), root.child(BUILT)), cache=None),
                       config=IvrConfig())

    async def call(token: str | None) -> FakeAsterisk:
        """A survey call for the claimed attempt that keys 满意, solved, confirmed."""
        asterisk = FakeAsterisk(["1", "1", "1"])
        asterisk.variables["HOTLINE_REVISIT_ID"] = str(claimed.attempt_id)
        if token is not None:
            asterisk.variables["HOTLINE_REVISIT_TOKEN"] = token
        return await asterisk.run(server.port, environment("revisit", agi_context="revisit-survey"))

    async def states() -> tuple[str, list[str]]:
        fresh = await session.get_one(Ticket, ticket.id, populate_existing=True)
        return fresh.state, [a.state for a in await attempts_of(session, ticket)]

    await server.start()
    try:
        # A local process speaking FastAGI names the live attempt; it cannot know its secret.
        for forged in (None, "", "0" * 32, claimed.survey_token.upper(), "令牌"):
            assert (await call(forged)).played() == ["revisit-unknown"]
            assert await states() == ("revisit", ["calling"])  # nothing read, nothing recorded
        # The platform's own call carries it: the answer is recorded, once.
        assert (await call(claimed.survey_token)).played()[-1] == "revisit-thanks"
        assert await states() == ("closed", ["done"])
        # Once the attempt is over its secret opens nothing either.
        assert (await call(claimed.survey_token)).played() == ["revisit-unknown"]
    finally:
        await server.stop()


async def test_each_claim_draws_its_own_token_and_a_release_withdraws_it(
        session: AsyncSession, clock: FakeClock) -> None:
    for phone in ("13800138001", "13800138002"):
        await revisit_ticket(session, phone)
    await schedule_pending(session, RULES, clock())
    first, second = await claim_due(session, RULES, "node-a", clock(), 2)
    assert len(first.survey_token) == 32 and first.survey_token != second.survey_token
    assert await call_is_ours(session, first.attempt_id, first.survey_token)
    assert not await call_is_ours(session, first.attempt_id, second.survey_token)
    assert await release(session, first.attempt_id, "node-a", clock())
    assert not await call_is_ours(session, first.attempt_id, first.survey_token)
    (again,) = await claim_due(session, RULES, "node-a", clock(), 1)
    assert again.attempt_id == first.attempt_id and again.survey_token != first.survey_token
