"""A revisit through everything real: the dialer originates the call on Asterisk 22, the
simulated citizen answers, the IVR's own survey route (FastAGI) asks and records the rating
through the workflow, and the ticket closes — or, rated 不满意, goes back to the unit."""

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hotline.ivr import ivr_running
from hotline.revisits.campaign import RevisitCampaign
from hotline.revisits.survey import IvrSurveyBackend, RevisitSurveyRecords
from ivr.server import IvrServer
from telephony.ami.link import AmiLink
from telephony.outbound.config import SIMULATED_CITIZEN, OutboundConfig
from telephony.outbound.service import OutboundDialer
from tests.telephony.conftest import Running, astdb_action, now
from tests.telephony.conftest import asterisk_root as asterisk_root
from tests.telephony.conftest import pbx as pbx
from tests.telephony.conftest import sessions as sessions
from tests.tickets.revisits.helpers import attempts_of, revisit_ticket
from tests.waiting import wait_for
from tickets.revisits.schedule import RevisitRules, schedule_pending
from tickets.revisits.windows import CallingWindows
from tickets.workflow.models import Ticket

Maker = async_sessionmaker[AsyncSession]
RULES = RevisitRules(CallingWindows.parse(["00:00-24:00"]))


@pytest.fixture
async def line(pbx: Running, sessions: Maker) -> AsyncIterator[tuple[AmiLink, IvrServer]]:
    c = pbx.config
    link = AmiLink(c.ami_host, c.ami_port, c.ami_username, c.ami_secret)
    link.start()
    await link.wait_connected(15)
    surveys = IvrSurveyBackend(RevisitSurveyRecords(sessions, RULES, now))
    async with ivr_running(pbx.settings, sessions, now, surveys) as server:
        yield link, server
    await link.close()


async def state_of(sessions: Maker, ticket: Ticket) -> str:
    async with sessions() as session:
        return (await session.get_one(Ticket, ticket.id, populate_existing=True)).state


async def test_the_citizen_keys_the_rating_and_the_ticket_closes_or_goes_back(
    line: tuple[AmiLink, IvrServer], sessions: Maker, pbx: Running,
) -> None:
    link, _ = line
    # 1 满意, 1 solved, 1 confirm; 3 不满意, 2 not solved, 1 confirm (tonghua's scale).
    for number, keys in (("13800138101", "1^1^1"), ("13800138102", "3^2^1")):
        # The citizen listens to the ticket's number and summary first, then answers each
        # question a moment after it is asked (prompts are not built here: questions are
        # silent and each waits IvrConfig.key_timeout for its key).
        steps = "wait:8^" + "^".join(f"dtmf:{key}^wait:2" for key in keys.split("^"))
        await astdb_action(pbx.config, "DBPut", Family="sim-citizen", Key=number,
                           Val=f"{steps}^wait:5")
    async with sessions() as session:
        happy = await revisit_ticket(session, "13800138101")
        unhappy = await revisit_ticket(session, "13800138102")
        await schedule_pending(session, RULES, now())
    config = OutboundConfig(cap=2, dial=SIMULATED_CITIZEN, ring_timeout=10,
                            orphan_after=timedelta(0), orphan_every=timedelta(0))
    campaign = RevisitCampaign(sessions, RULES, token="node-e2e",
                               settle_grace=timedelta(seconds=1))
    dialer = OutboundDialer([campaign], link, config, now)
    dialer.start()
    try:
        assert await dialer.tick() == 2
        await wait_for(lambda: dialer.active == 0, "both calls over", within=60)
        assert await state_of(sessions, happy) == "closed"
        assert await state_of(sessions, unhappy) == "handling"  # back to the unit
        async with sessions() as session:
            assert [a.state for a in await attempts_of(session, happy)] == ["done"]
            assert [a.state for a in await attempts_of(session, unhappy)] == ["done"]
        assert await dialer.tick() == 0  # nothing left to call: no second call
    finally:
        await dialer.close()
