"""漏接回拨 through the real Asterisk: a caller who hung up in the queue is called back by the
dialer, answers, and is put through to an agent through the queue; called once."""

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from telephony.ami.link import AmiLink
from telephony.callbacks.campaign import CallbackCampaign
from telephony.callbacks.follow import CallbackBridges
from telephony.callbacks.models import CallbackRequest
from telephony.calls.machine import CallState
from telephony.controller.service import CallController
from telephony.outbound.config import SIMULATED_CITIZEN, OutboundConfig
from telephony.outbound.service import OutboundDialer
from tests.telephony.conftest import Running, astdb_action, followed, now
from tests.waiting import wait_for

Maker = async_sessionmaker[AsyncSession]
AGENT = "Local/8001@sim-agent/n"
CALLER = "13500000010"


@pytest.fixture
async def line(pbx: Running, sessions: Maker) -> AsyncIterator[tuple[CallController, AmiLink]]:
    async with followed(pbx, sessions, AGENT) as followed_line:
        yield followed_line


async def state_of_callback(sessions: Maker) -> str:
    async with sessions() as session:
        return (await session.scalars(select(CallbackRequest.state))).one()


async def test_a_missed_caller_is_called_back_and_reaches_an_agent_once(
    line: tuple[CallController, AmiLink], sessions: Maker, pbx: Running,
) -> None:
    controller, link = line
    await astdb_action(pbx.config, "DBPut", Family="sim-citizen", Key=CALLER,
                       Val="wait:20")  # answers and stays on the line
    async with sessions() as session:
        session.add(CallbackRequest(caller_number=CALLER, linkedid="1700000000.10",
                                    queue="main", requested_at=now(),
                                    due_by=now() + timedelta(minutes=30), updated_at=now()))
        await session.commit()
    config = OutboundConfig(cap=2, dial=SIMULATED_CITIZEN, ring_timeout=10)
    dialer = OutboundDialer([CallbackCampaign(sessions)], link, config, now)
    bridges = CallbackBridges(sessions, now)  # done once an agent takes the citizen
    unfollow = bridges.attach(link)
    dialer.start()
    try:
        assert await dialer.tick() == 1

        def with_agent() -> list[str]:
            return [c.linkedid for c in controller.line.calls.values()
                    if c.state is CallState.CONNECTED and c.agent == AGENT]

        await wait_for(with_agent, "the called-back caller connected to the agent", within=30)
        await wait_for(lambda: dialer.counts.by_key and not dialer.in_flight, "originate settled")
        await wait_for(lambda: bridges.done == 1, "the callback marked done on the bridge")
        assert await state_of_callback(sessions) == "done"
        [leg] = with_agent()
        assert controller.line.calls[leg].caller_number == CALLER  # not 12345
        assert await dialer.tick() == 0  # done: never called again
        assert list(dialer.counts.by_key.values()) == [1]
    finally:
        unfollow()
        await dialer.close()
        await astdb_action(pbx.config, "DBDel", Family="sim-citizen", Key=CALLER)
