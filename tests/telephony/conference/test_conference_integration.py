"""三方通话, transfers and monitoring against the real Asterisk 22: a caller queued and answered
by a simulated agent is conferenced with a simulated unit, the agent leaves, the two stay."""

import contextlib
from collections.abc import AsyncIterator

import pytest
from fastapi import Depends, FastAPI
from httpx import ASGITransport, AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hotline.errors import install_error_handlers
from telephony.agents.machine import AgentState
from telephony.ami.errors import AmiActionFailed
from telephony.ami.events import CoreShowChannel, UnknownEvent
from telephony.ami.link import AmiLink
from telephony.ami.originate import OriginateRequest
from telephony.calls.machine import CallState
from telephony.conference.errors import CallNotConnected, CallNotFound
from telephony.conference.router import monitor_router, router
from telephony.conference.schemas import MonitorMode
from telephony.conference.service import ConferenceService
from telephony.controller.astdb import AmiAstDb
from telephony.controller.service import CallController
from telephony.deps import TelephonyRuntime
from telephony.events import CallChanged
from tests.telephony.conftest import Running, followed, now
from tests.telephony.operators import acting_as
from tests.waiting import wait_for

AGENT = "Local/8001@sim-agent/n"


@pytest.fixture
async def line(pbx: Running, sessions: async_sessionmaker[AsyncSession]
               ) -> AsyncIterator[tuple[CallController, AmiLink, ConferenceService]]:
    async with followed(pbx, sessions, AGENT, backoff_initial=0.1, backoff_max=0.5) as pair:
        controller, link = pair
        try:
            yield controller, link, ConferenceService(link, controller)
        finally:
            await hang_up_everything(link)


async def hang_up_everything(link: AmiLink) -> None:
    for channel in await channels(link):
        with contextlib.suppress(AmiActionFailed):  # a Local half goes with its partner
            await link.send_action({"Action": "Hangup", "Channel": channel.channel.name})


async def channels(link: AmiLink) -> list[CoreShowChannel]:
    listing = await link.send_action({"Action": "CoreShowChannels"})
    return [e for e in listing.events if isinstance(e, CoreShowChannel)]


async def room_members(link: AmiLink, room: str) -> int:
    """How many channels Asterisk has in the ConfBridge room (none: the room is gone)."""
    try:
        listing = await link.send_action({"Action": "ConfbridgeList", "Conference": room})
    except AmiActionFailed:
        return 0
    return sum(1 for e in listing.events
               if isinstance(e, UnknownEvent) and e.name == "ConfbridgeList")




async def answered_call(controller: CallController, link: AmiLink, key: str, caller: str
                        ) -> str:
    """Place a call to 12345, wait until the simulated agent has it; its linkedid."""
    await link.originate(key, OriginateRequest(
        channel="Local/12345@sim-dial", context="sim-caller", exten="s",
        caller_id=f'"李四" <{caller}>', variables={"SIM_FROM": caller, "SIM_HOLD": "60"}))

    def connected() -> list[str]:
        return [c.linkedid for c in controller.line.calls.values()
                if c.state is CallState.CONNECTED and c.agent == AGENT]

    await wait_for(connected, "call connected to the agent")
    return connected()[0]


async def test_three_party_call_the_agent_leaves_caller_and_unit_stay(
    line: tuple[CallController, AmiLink, ConferenceService]
) -> None:
    controller, link, service = line
    linkedid = await answered_call(controller, link, "cf-three-1", "13900139000")
    changes = controller.listen()
    room = await service.conference(linkedid, "9001", room="T20250101")
    assert room.name == "T20250101"
    call = controller.line.calls[linkedid]
    await wait_for(lambda: call.state is CallState.IN_CONFERENCE, "call in conference")

    async def three() -> bool:
        return await room_members(link, room.name) == 3

    await wait_for(three, "caller, agent and unit in the room")
    assert call.conference == room.name
    # The unit's originated legs belong to the caller's call, not to a call of their own.
    assert [c.linkedid for c in controller.line.calls.values()] == [linkedid]
    assert controller.line.conference_of[room.name] == linkedid
    # Not even for a moment: no change ever named another call.
    seen = [changes.get_nowait() for _ in range(changes.qsize())]
    controller.unlisten(changes)
    assert {c.call.linkedid for c in seen if isinstance(c, CallChanged)} == {linkedid}
    # The queue calls the agent's call complete; the agent is still talking in the room.
    assert controller.line.agents[AGENT].state is AgentState.ON_CALL

    await service.agent_leaves(linkedid)

    async def two() -> bool:
        agent_gone = not any(c.channel.name.startswith("Local/8001@sim-agent-")
                             for c in await channels(link))
        return agent_gone and await room_members(link, room.name) == 2

    await wait_for(two, "agent gone, caller and unit still in the room")
    await wait_for(lambda: controller.line.agents[AGENT].state is not AgentState.ON_CALL,
                   "the agent's after-call work starts when it leaves the room")
    assert controller.line.calls[linkedid].state is CallState.IN_CONFERENCE
    # A repeated request never calls the unit twice.
    await service.conference(linkedid, "9001")
    assert await room_members(link, room.name) == 2


async def test_blind_transfer_moves_the_caller_to_another_agent(
    line: tuple[CallController, AmiLink, ConferenceService]
) -> None:
    controller, link, service = line
    linkedid = await answered_call(controller, link, "cf-transfer-1", "13900139001")
    caller = await service.transfer(linkedid, "8002")

    async def moved() -> bool:
        live = await channels(link)
        dialled = any(c.channel.name.startswith("Local/8002@sim-agent-") for c in live)
        first_gone = not any(c.channel.name.startswith("Local/8001@sim-agent-") for c in live)
        on_dial = any(c.channel.name == caller and c.application == "Dial" for c in live)
        return dialled and first_gone and on_dial

    await wait_for(moved, "caller ringing the second agent, first agent released")


async def test_transfer_to_the_provincial_line(
    line: tuple[CallController, AmiLink, ConferenceService]
) -> None:
    controller, link, service = line
    linkedid = await answered_call(controller, link, "cf-province-1", "13900139002")
    caller = await service.transfer_provincial(linkedid)

    async def moved() -> bool:
        live = await channels(link)
        return any(c.channel.name == caller and c.application == "Dial"
                   and "053112345" in c.application_data for c in live)

    await wait_for(moved, "caller dialled through to the provincial line")


async def test_supervisor_listens_with_chanspy_on_the_agents_channel(
    line: tuple[CallController, AmiLink, ConferenceService]
) -> None:
    controller, link, service = line
    linkedid = await answered_call(controller, link, "cf-monitor-1", "13900139003")
    changes = controller.listen()
    agent = await service.monitor(linkedid, MonitorMode.LISTEN, "7001")
    assert agent.startswith("Local/8001@sim-agent-") and agent.endswith(";1")

    async def spying() -> bool:
        return any(c.application == "ChanSpy" and c.application_data == f"{agent},qE"
                   for c in await channels(link))

    await wait_for(spying, "a ChanSpy channel on the agent's channel")
    # The supervisor's leg is part of the call it listens to, not a citizen's call.
    await wait_for(lambda: len(controller.line.calls[linkedid].legs) >= 4,
                   "the supervisor's legs folded into the call")
    seen = [changes.get_nowait() for _ in range(changes.qsize())]
    controller.unlisten(changes)
    assert {c.call.linkedid for c in seen if isinstance(c, CallChanged)} <= {linkedid}


async def test_unknown_call_is_404_and_a_queued_call_is_409(
    line: tuple[CallController, AmiLink, ConferenceService]
) -> None:
    controller, link, service = line
    with pytest.raises(CallNotFound) as missing:
        await service.conference("0000000000.0", "9001")
    assert missing.value.status == 404
    await link.send_action({"Action": "QueuePause", "Interface": AGENT, "Paused": "true",
                            "Reason": "test"})
    try:
        await link.originate("cf-queued-1", OriginateRequest(
            channel="Local/12345@sim-dial", context="sim-caller", exten="s",
            variables={"SIM_FROM": "13900139004", "SIM_HOLD": "60"}))
        await wait_for(lambda: any(c.state is CallState.QUEUED
                                   for c in controller.line.calls.values()), "call queued")
        [queued] = [c.linkedid for c in controller.line.calls.values()
                    if c.state is CallState.QUEUED]
        with pytest.raises(CallNotConnected) as waiting:
            await service.conference(queued, "9001")
        assert waiting.value.status == 409
        with pytest.raises(CallNotConnected):
            await service.monitor(queued, MonitorMode.BARGE, "7001")
    finally:
        await link.send_action({"Action": "QueuePause", "Interface": AGENT, "Paused": "false"})


async def test_the_api_answers_404_for_an_unknown_call_and_422_for_a_bad_body(
    sessions: async_sessionmaker[AsyncSession]
) -> None:
    app = FastAPI()
    install_error_handlers(app)
    app.include_router(router, dependencies=[Depends(acting_as())])
    app.include_router(monitor_router, dependencies=[Depends(acting_as())])
    link = AmiLink("127.0.0.1", 1, "nobody", "nothing")  # never started: no Asterisk needed
    app.state.telephony = TelephonyRuntime(sessionmaker=sessions, astdb=AmiAstDb(link), link=link,
                                           controller=CallController(sessions, now))
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://t") as client:
        missing = await client.post("/telephony/calls/1.2/conference",
                                    json={"unit_number": "9001"})
        assert missing.status_code == 404, missing.text
        assert "call-not-found" in missing.text
        bad = await client.post("/telephony/calls/1.2/monitor",
                                json={"mode": "shout", "supervisor_phone": "7001"})
        assert bad.status_code == 422  # the body is checked before the call is looked up
        gone = await client.post("/telephony/calls/1.2/agent-leaves")
        assert gone.status_code == 404
        hung = await client.post("/telephony/calls/1.2/hang-up")
        assert (hung.status_code, hung.json()["error_id"]) == (404, "call-not-found")
