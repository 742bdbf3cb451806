"""挂断 through the API against the real Asterisk 22: the agent's own leg hangs up and the call
ends; in a three-party call the agent leaves and caller and unit stay. Checked like every
steering route: an agent hangs up only a call their seat answered, supervisors any."""

from collections.abc import AsyncIterator

import pytest
from fastapi import Depends, FastAPI
from httpx import ASGITransport, AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hotline.errors import install_error_handlers
from telephony.agents.machine import AgentState
from telephony.ami.link import AmiLink
from telephony.ami.originate import OriginateRequest
from telephony.calls.machine import CallState
from telephony.conference.router import router
from telephony.conference.service import ConferenceService
from telephony.controller.service import CallController
from telephony.deps import TelephonyRuntime
from telephony.seats.service import Operator, SeatRules, bind
from tests.telephony.conference.test_conference_integration import (
    AGENT,
    answered_call,
    channels,
    line,
    room_members,
)
from tests.telephony.conftest import now
from tests.telephony.operators import acting_as
from tests.waiting import wait_for

__all__ = ["line"]  # the conference tests' fixture: a controller, its link, the service

Line = tuple[CallController, AmiLink, ConferenceService]
RULES = SeatRules(extensions=frozenset({"8001", "8002"}), simulated_agents=True)


async def client(sessions: async_sessionmaker[AsyncSession], line: Line,
                 operator: Operator) -> AsyncClient:
    """The conference API as ``operator`` on a bare app over the test's controller and link."""
    controller, link, service = line
    app = FastAPI()
    install_error_handlers(app)
    app.include_router(router, dependencies=[Depends(acting_as(operator))])
    app.state.telephony = TelephonyRuntime(sessionmaker=sessions, link=link,
                                           controller=controller, conference=service,
                                           seats=RULES)
    return AsyncClient(transport=ASGITransport(app=app), base_url="http://t")


@pytest.fixture
async def seated(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[None]:
    """agent1 sits at 8001 (the simulated answerer's seat), agent2 at 8002."""
    async with sessions() as session:
        await bind(session, RULES, "8001", "agent1", "admin", now())
        await bind(session, RULES, "8002", "agent2", "admin", now())
    yield


async def test_the_agent_hangs_up_their_own_call_and_it_ends(
    line: Line, sessions: async_sessionmaker[AsyncSession], seated: None
) -> None:
    controller, link, _ = line
    linkedid = await answered_call(controller, link, "hu-own-1", "13900139010")
    async with await client(sessions, line, Operator("agent2")) as other:
        refused = await other.post(f"/telephony/calls/{linkedid}/hang-up")
    assert (refused.status_code, refused.json()["error_id"]) == (403, "not-your-call")
    assert controller.line.calls[linkedid].state is CallState.CONNECTED  # nothing was done

    async with await client(sessions, line, Operator("agent1")) as api:
        done = await api.post(f"/telephony/calls/{linkedid}/hang-up")
    assert done.status_code == 200, done.text
    out = done.json()
    assert out["action"] == "hang-up" and out["room"] is None
    assert out["channel"].startswith("Local/8001@sim-agent-")
    await wait_for(lambda: linkedid not in controller.line.calls, "the call ended")

    async def nothing_left() -> bool:
        return not [c for c in await channels(link) if c.channel.linkedid == linkedid]

    await wait_for(nothing_left, "no channel of the call left in Asterisk")
    await wait_for(lambda: controller.line.agents[AGENT].state is not AgentState.ON_CALL,
                   "the agent is off the call")
    async with await client(sessions, line, Operator("agent1")) as api:
        gone = await api.post(f"/telephony/calls/{linkedid}/hang-up")
    assert (gone.status_code, gone.json()["error_id"]) == (404, "call-not-found")


async def test_hanging_up_in_a_three_party_call_leaves_caller_and_unit_talking(
    line: Line, sessions: async_sessionmaker[AsyncSession], seated: None
) -> None:
    controller, link, service = line
    linkedid = await answered_call(controller, link, "hu-room-1", "13900139011")
    room = await service.conference(linkedid, "9001", room="T26030200001")

    async def three() -> bool:
        return await room_members(link, room.name) == 3

    await wait_for(three, "caller, agent and unit in the room")
    async with await client(sessions, line, Operator("agent1")) as api:
        done = await api.post(f"/telephony/calls/{linkedid}/hang-up")
    assert done.status_code == 200, done.text
    assert (done.json()["action"], done.json()["room"]) == ("hang-up", room.name)

    async def two() -> bool:
        agent_gone = not any(c.channel.name.startswith("Local/8001@sim-agent-")
                             for c in await channels(link))
        return agent_gone and await room_members(link, room.name) == 2

    await wait_for(two, "agent gone, caller and unit still in the room")
    assert controller.line.calls[linkedid].state is CallState.IN_CONFERENCE


async def test_a_call_still_waiting_in_the_queue_is_not_hung_up(
    line: Line, sessions: async_sessionmaker[AsyncSession], seated: None
) -> None:
    controller, link, _ = line
    await link.send_action({"Action": "QueuePause", "Interface": AGENT, "Paused": "true",
                            "Reason": "test"})
    try:
        await link.originate("hu-queued-1", OriginateRequest(
            channel="Local/12345@sim-dial", context="sim-caller", exten="s",
            variables={"SIM_FROM": "13900139012", "SIM_HOLD": "60"}))
        await wait_for(lambda: any(c.state is CallState.QUEUED
                                   for c in controller.line.calls.values()), "call queued")
        [queued] = [c.linkedid for c in controller.line.calls.values()
                    if c.state is CallState.QUEUED]
        async with await client(sessions, line, Operator("boss", supervises=True)) as api:
            refused = await api.post(f"/telephony/calls/{queued}/hang-up")
        assert (refused.status_code, refused.json()["error_id"]) == (409, "call-not-connected")
        assert controller.line.calls[queued].state is CallState.QUEUED
    finally:
        await link.send_action({"Action": "QueuePause", "Interface": AGENT, "Paused": "false"})
