"""A platform restart mid-call against the real Asterisk 22: a brand-new controller and AMI link
rebuild the picture the first one had (agent, queue, dialled number, source line, voices,
the room and its parties), and the calls in progress can still be conferenced, listened to
and transferred."""

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from telephony.agents.machine import AgentState
from telephony.ami.errors import AmiActionFailed
from telephony.ami.events import CoreShowChannel, UnknownEvent
from telephony.ami.link import AmiLink
from telephony.ami.originate import OriginateRequest
from telephony.calls.machine import CallState
from telephony.conference.schemas import MonitorMode
from telephony.conference.service import ConferenceService
from telephony.controller.astdb import AmiAstDb
from telephony.controller.service import CallController
from telephony.routing.schemas import LegacyMode, LegacyNumberIn
from telephony.routing.service import save_legacy
from tests.telephony.conftest import Running, astdb_link, now
from tests.waiting import wait_for

AGENT = "Local/8001@sim-agent/n"
OTHER = "Local/8002@sim-agent/n"  # logged in, paused for training: never offered the call

Start = Callable[[], Awaitable[tuple[CallController, AmiLink]]]


@pytest.fixture
async def platform(pbx: Running, sessions: async_sessionmaker[AsyncSession]
                   ) -> AsyncIterator[Start]:
    """Starts a platform (controller and AMI link) each call; the one before is stopped."""
    started: list[AmiLink] = []

    async def start() -> tuple[CallController, AmiLink]:
        if started:
            await started[-1].close()  # the old process is gone: it follows nothing any more
        controller = CallController(sessions, now)
        c = pbx.config
        link = AmiLink(c.ami_host, c.ami_port, c.ami_username, c.ami_secret,
                       on_connected=controller.resync, backoff_initial=0.1, backoff_max=0.5)
        controller.attach(link)
        link.start()
        started.append(link)
        await link.wait_connected(15)
        await wait_for(lambda: controller.resyncs >= 1, "first resync")
        return controller, link

    try:
        yield start
    finally:
        if started:
            link = started[-1]
            with contextlib.suppress(Exception):

                async def quiet() -> bool:  # the next test's platform sees its calls alone
                    await hang_up_everything(link)
                    return not await channels(link)

                await wait_for(quiet, "every channel hung up")
                for interface in (AGENT, OTHER):
                    await link.send_action({"Action": "QueueRemove", "Queue": "main",
                                            "Interface": interface})
            await link.close()


async def log_in_agents(controller: CallController, link: AmiLink) -> None:
    for interface in (AGENT, OTHER):
        await link.send_action({"Action": "QueueAdd", "Queue": "main", "Interface": interface,
                                "MemberName": interface.split("/")[1].split("@")[0]})
    await link.send_action({"Action": "QueuePause", "Queue": "main", "Interface": OTHER,
                            "Paused": "true", "Reason": "培训"})
    await wait_for(lambda: controller.line.agents.get(OTHER) is not None
                   and controller.line.agents[OTHER].state is AgentState.PAUSED,
                   "both agents logged in, the second one paused")


async def channels(link: AmiLink) -> list[CoreShowChannel]:
    listing = await link.send_action({"Action": "CoreShowChannels"})
    return [e for e in listing.events if isinstance(e, CoreShowChannel)]


async def hang_up_everything(link: AmiLink) -> None:
    for channel in await channels(link):
        with contextlib.suppress(AmiActionFailed):  # a Local half goes with its partner
            await link.send_action({"Action": "Hangup", "Channel": channel.channel.name})


async def room_members(link: AmiLink, room: str) -> int:
    try:
        listing = await link.send_action({"Action": "ConfbridgeList", "Conference": room})
    except AmiActionFailed:
        return 0
    return sum(1 for e in listing.events
               if isinstance(e, UnknownEvent) and e.name == "ConfbridgeList")




async def answered_call(controller: CallController, link: AmiLink, key: str, number: str,
                        caller: str) -> str:
    """A simulated call to ``number``, answered by the simulated agent: its linkedid."""
    await link.originate(key, OriginateRequest(
        channel=f"Local/{number}@sim-dial", context="sim-caller", exten="s",
        caller_id=f'"李四" <{caller}>', variables={"SIM_FROM": caller, "SIM_HOLD": "120"}))

    def connected() -> list[str]:
        return [c.linkedid for c in controller.line.calls.values()
                if c.state is CallState.CONNECTED and c.agent == AGENT and c.voices]

    await wait_for(connected, "call connected to the agent")
    return connected()[0]


def picture(controller: CallController, linkedid: str) -> dict[str, Any]:
    """What the platform knows of a call, the parts that must survive a restart."""
    call = controller.line.calls[linkedid]
    return {"state": call.state, "caller": (call.caller_number, call.caller_name),
            "dialed": call.dialed, "source_line": call.source_line, "queue": call.queue,
            "agent": call.agent, "voices": dict(call.voices), "legs": set(call.legs),
            "conference": call.conference}


async def test_after_a_restart_an_answered_call_keeps_its_agent_and_is_transferred(
    platform: Start, sessions: async_sessionmaker[AsyncSession], pbx: Running
) -> None:
    first, link = await platform()
    await log_in_agents(first, link)
    async with sessions() as session, astdb_link(pbx.config) as writer:
        await save_legacy(session, AmiAstDb(writer), LegacyNumberIn(
            number="96310", name="水务热线", mode=LegacyMode.FORWARD, source_line="water",
            queue="main"), now())
    linkedid = await answered_call(first, link, "rs-transfer-1", "96310", "13900139100")
    before = picture(first, linkedid)
    assert (before["dialed"], before["source_line"], before["queue"]) == ("96310", "water", "main")

    second, link = await platform()  # the platform restarted; the call went on

    assert picture(second, linkedid) == before
    assert list(second.line.calls) == [linkedid]
    assert second.line.agents[AGENT].state is AgentState.ON_CALL
    paused = second.line.agents[OTHER]
    assert (paused.state, paused.pause_reason) == (AgentState.PAUSED, "培训")
    service = ConferenceService(link, second)
    spied = await service.monitor(linkedid, MonitorMode.LISTEN, "7001")
    assert spied == before["voices"]["agent"]
    caller = await service.transfer(linkedid, "8002")
    assert caller == before["voices"]["caller"]

    async def moved() -> bool:
        live = await channels(link)
        dialled = any(c.channel.name.startswith("Local/8002@sim-agent-") for c in live)
        first_gone = not any(c.channel.name.startswith("Local/8001@sim-agent-") for c in live)
        return dialled and first_gone

    await wait_for(moved, "caller ringing the second agent, first agent released")


async def test_a_three_party_call_survives_a_restart_in_its_room_with_its_parties(
    platform: Start,
) -> None:
    first, link = await platform()
    await log_in_agents(first, link)
    linkedid = await answered_call(first, link, "rs-conf-1", "12345", "13900139101")
    before = picture(first, linkedid)
    assert (before["dialed"], before["source_line"], before["queue"]) == ("12345", "12345", "main")

    second, link = await platform()
    assert picture(second, linkedid) == before
    room = await ConferenceService(link, second).conference(linkedid, "9001", room="R20260101")

    async def three() -> bool:
        return await room_members(link, room.name) == 3

    await wait_for(three, "caller, agent and unit in the room")
    call = second.line.calls[linkedid]
    await wait_for(lambda: len(call.legs) == len(before["legs"]) + 2
                   and call.state is CallState.IN_CONFERENCE,
                   "the unit's two legs folded into the call, in the room")
    in_room = picture(second, linkedid)
    assert in_room["conference"] == room.name

    third, link = await platform()  # and again, with the three of them in the room

    assert picture(third, linkedid) == in_room
    assert list(third.line.calls) == [linkedid]  # the unit is a party, not a call of its own
    assert third.line.conference_of[room.name] == linkedid
    assert set(third.line.merged.values()) == {linkedid}
    assert third.line.agents[AGENT].state is AgentState.ON_CALL
    # The agent leaves the room: its after-call work starts, caller and unit stay.
    await link.send_action({"Action": "Hangup", "Channel": in_room["voices"]["agent"]})
    await wait_for(lambda: third.line.agents[AGENT].state is AgentState.AFTER_CALL_WORK,
                   "the agent's after-call work starts when it leaves the room")

    async def two() -> bool:
        return await room_members(link, room.name) == 2

    await wait_for(two, "caller and unit still in the room")
    assert third.line.calls[linkedid].state is CallState.IN_CONFERENCE
