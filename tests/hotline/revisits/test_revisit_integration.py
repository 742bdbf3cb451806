"""Revisits through the real Asterisk 22: a call originated once to a simulated citizen who
answers and keys the rating (recorded by a stand-in survey route over FastAGI), no answer
leading to the next attempt, and a restart between claim and call making exactly one call."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hotline.revisits.campaign import RevisitCampaign
from hotline.revisits.survey import RevisitSurveyRecords
from telephony.ami.events import AmiEvent, Newchannel
from telephony.ami.link import AmiLink
from telephony.outbound.config import SIMULATED_CITIZEN, OutboundConfig
from telephony.outbound.service import OutboundDialer
from telephony.pbx.render import PbxConfig
from tests.hotline.revisits.standin_agi import StandInSurvey
from tests.telephony.conftest import Running, astdb_action, now
from tests.telephony.conftest import asterisk_root as asterisk_root
from tests.telephony.conftest import pbx as pbx
from tests.telephony.conftest import sessions as sessions
from tests.tickets.revisits.helpers import attempts_of, revisit_ticket
from tests.waiting import wait_for
from tickets.revisits.schedule import RevisitRules, claim_due, schedule_pending
from tickets.revisits.windows import CallingWindows
from tickets.workflow.models import Ticket

Maker = async_sessionmaker[AsyncSession]
ALWAYS = CallingWindows.parse(["00:00-24:00"])


@dataclass
class Rig:
    """The dialer on the real Asterisk, the stand-in survey, and who Asterisk rang."""

    link: AmiLink
    maker: Maker
    survey: StandInSurvey
    rang: list[str]  # the originated citizen legs (Local/<number>@sim-citizen-…;1)
    pbx: PbxConfig

    def dialer(self, rules: RevisitRules, token: str) -> OutboundDialer:
        config = OutboundConfig(cap=5, dial=SIMULATED_CITIZEN, ring_timeout=4,
                                orphan_after=timedelta(0), orphan_every=timedelta(0))
        campaign = RevisitCampaign(self.maker, rules, token=token,
                                   settle_grace=timedelta(seconds=1))
        made = OutboundDialer([campaign], self.link, config, now)
        made.start()
        return made

    def calls_to(self, number: str) -> int:
        return sum(1 for name in self.rang if name.startswith(f"Local/{number}@sim-citizen"))

    async def citizen(self, number: str, steps: str) -> None:
        await astdb_action(self.pbx, "DBPut", Family="sim-citizen", Key=number, Val=steps)

    async def states(self, ticket: Ticket) -> list[str]:
        async with self.maker() as session:
            return [a.state for a in await attempts_of(session, ticket)]

    async def ticket(self, ticket: Ticket) -> Ticket:
        async with self.maker() as session:
            return await session.get_one(Ticket, ticket.id)


@pytest.fixture
async def rig(pbx: Running, sessions: Maker) -> AsyncIterator[Rig]:
    c = pbx.config
    link = AmiLink(c.ami_host, c.ami_port, c.ami_username, c.ami_secret)
    rang: list[str] = []

    async def on_channel(event: AmiEvent) -> None:
        assert isinstance(event, Newchannel)
        if "@sim-citizen" in event.channel.name and event.channel.name.endswith(";1"):
            rang.append(event.channel.name)

    link.subscribe(on_channel, Newchannel)
    link.start()
    await link.wait_connected(15)
    survey = StandInSurvey(RevisitSurveyRecords(sessions, RevisitRules(ALWAYS)))
    await survey.start(c.agi_host, c.agi_port)
    try:
        yield Rig(link, sessions, survey, rang, c)
    finally:
        await survey.stop()
        await link.close()


async def scheduled(rig: Rig, rules: RevisitRules, *phones: str) -> list[Ticket]:
    async with rig.maker() as session:
        tickets = [await revisit_ticket(session, phone) for phone in phones]
        await schedule_pending(session, rules, now())
    return tickets


async def test_a_citizen_who_answers_is_called_once_and_the_rating_reaches_the_workflow(
        rig: Rig) -> None:
    rules = RevisitRules(ALWAYS)
    await rig.citizen("13800138001", "wait:1^dtmf:1^wait:1^dtmf:1")  # 满意, solved
    await rig.citizen("13800138002", "wait:1^dtmf:3^wait:1^dtmf:2")  # 不满意, not solved
    happy, unhappy = await scheduled(rig, rules, "13800138001", "13800138002")
    dialer = rig.dialer(rules, "node-a")
    assert await dialer.tick() == 2
    await wait_for(lambda: len(rig.survey.seen) == 2, "both calls reached the survey route")
    for seen in rig.survey.seen:
        assert seen["agi_context"] == "revisit-survey" and seen["revisit_id"].isdigit()
        assert seen["verified"] == "True"  # the token the dialer drew came with the call
    await wait_for(lambda: dialer.active == 0, "both calls hung up", within=30)
    assert (await rig.ticket(happy)).state == "closed"
    assert (await rig.ticket(unhappy)).state == "handling"  # back to the unit (tonghua 第二十条)
    assert await rig.states(happy) == await rig.states(unhappy) == ["done"]
    await dialer.tick()
    assert (rig.calls_to("13800138001"), rig.calls_to("13800138002")) == (1, 1)
    await dialer.close()


async def test_no_answer_schedules_the_next_attempt(rig: Rig) -> None:
    rules = RevisitRules(ALWAYS, attempts=3, retry=timedelta(minutes=120))
    await rig.citizen("13800138003", "noanswer")
    await rig.citizen("13800138004", "busy")
    silent, busy = await scheduled(rig, rules, "13800138003", "13800138004")
    dialer = rig.dialer(rules, "node-a")
    await dialer.tick()
    await wait_for(lambda: dialer.counts.unanswered == 2, "both calls unanswered", within=30)
    assert await rig.states(silent) == ["no-answer", "scheduled"]
    assert await rig.states(busy) == ["no-answer", "scheduled"]
    await dialer.tick()  # the next attempts wait their spacing
    assert (rig.calls_to("13800138003"), rig.calls_to("13800138004")) == (1, 1)
    await dialer.close()


async def test_a_restart_between_claiming_and_calling_makes_exactly_one_call(rig: Rig) -> None:
    rules = RevisitRules(ALWAYS, attempts=3, retry=timedelta(0))
    await rig.citizen("13800138005", "wait:1^dtmf:2^wait:1^dtmf:1")
    (ticket,) = await scheduled(rig, rules, "13800138005")
    async with rig.maker() as session:  # claimed, committed, then the process died
        (claimed,) = await claim_due(session, rules, "dead-node", now(), 5)
    dialer = rig.dialer(rules, "restarted-node")
    await dialer.tick()  # Asterisk has no channel for the claim: failed; the next one dials
    await wait_for(lambda: len(rig.survey.seen) == 1, "the next attempt reached the survey")
    assert rig.survey.seen[0]["revisit_id"] != str(claimed.attempt_id)
    await wait_for(lambda: dialer.active == 0, "the call hung up", within=30)
    assert (await rig.ticket(ticket)).state == "closed"
    assert await rig.states(ticket) == ["failed", "done"]
    await dialer.tick()
    assert rig.calls_to("13800138005") == 1
    await dialer.close()
