"""The controller against the real Asterisk 22: its picture matches Asterisk's, through a
queued and answered call, a legacy number, and the AMI link dying mid-call."""

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from telephony.agents.machine import AgentState
from telephony.ami.errors import AmiActionFailed
from telephony.ami.events import CoreShowChannel
from telephony.ami.link import AmiLink
from telephony.ami.originate import OriginateRequest
from telephony.callbacks.models import CallbackRequest
from telephony.calls.machine import CallState
from telephony.calls.models import CallRecord
from telephony.controller.astdb import AmiAstDb
from telephony.controller.service import CallController
from telephony.routing.schemas import LegacyMode, LegacyNumberIn
from telephony.routing.service import save_legacy
from tests.telephony.conftest import Running, astdb_link, followed, now
from tests.waiting import wait_for

AGENT = "Local/8001@sim-agent/n"


@pytest.fixture
async def controlled(pbx: Running, sessions: async_sessionmaker[AsyncSession]
                     ) -> AsyncIterator[tuple[CallController, AmiLink]]:
    async with followed(pbx, sessions, AGENT, ping_interval=1.0, pong_timeout=1.0,
                        backoff_initial=0.1, backoff_max=0.5) as pair:
        yield pair


async def place_call(link: AmiLink, key: str, number: str, caller: str) -> None:
    await link.originate(key, OriginateRequest(
        channel=f"Local/{number}@sim-dial", context="sim-caller", exten="s",
        caller_id=f'"张三" <{caller}>',
        variables={"SIM_FROM": caller, "SIM_STEPS": "", "SIM_HOLD": "30"}))


def connected_calls(controller: CallController) -> list[str]:
    return [c.linkedid for c in controller.line.calls.values()
            if c.state is CallState.CONNECTED and c.agent == AGENT]


async def asterisk_linkedids(link: AmiLink) -> set[str]:
    listing = await link.send_action({"Action": "CoreShowChannels"})
    return {e.channel.linkedid for e in listing.events if isinstance(e, CoreShowChannel)}


async def stored_call(sessions: async_sessionmaker[AsyncSession], linkedid: str
                      ) -> CallRecord:
    """The call's record, once the controller has written it."""
    found: list[CallRecord] = []

    async def look() -> None:
        async with sessions() as session:
            row = await session.scalar(select(CallRecord).where(CallRecord.linkedid == linkedid))
        if row is not None:
            found.append(row)

    deadline = asyncio.get_running_loop().time() + 10
    while not found:
        assert asyncio.get_running_loop().time() < deadline, f"call {linkedid} never stored"
        await look()
        await asyncio.sleep(0.05)
    return found[0]


async def hang_up_everything(link: AmiLink) -> None:
    listing = await link.send_action({"Action": "CoreShowChannels"})
    for event in listing.events:
        if isinstance(event, CoreShowChannel):
            # hanging up one Local half takes its partner along: "No such channel" is fine
            with contextlib.suppress(AmiActionFailed):
                await link.send_action({"Action": "Hangup", "Channel": event.channel.name})


async def test_a_queued_call_is_answered_and_the_picture_matches_asterisk(
    controlled: tuple[CallController, AmiLink], sessions: async_sessionmaker[AsyncSession]
) -> None:
    controller, link = controlled
    await wait_for(lambda: AGENT in controller.line.agents, "agent logged in")
    await place_call(link, "it-queued-1", "12345", "13800138000")
    await wait_for(lambda: bool(connected_calls(controller)), "call connected to the agent")
    [linkedid] = connected_calls(controller)
    call = controller.line.calls[linkedid]
    assert (call.queue, call.source_line, call.caller_number) == ("main", "12345", "13800138000")
    assert controller.line.agents[AGENT].state is AgentState.ON_CALL
    assert linkedid in await asterisk_linkedids(link)
    await hang_up_everything(link)
    await wait_for(lambda: linkedid not in controller.line.calls, "call ended")
    stored = await stored_call(sessions, linkedid)
    assert stored.answered_at is not None and not stored.abandoned
    assert stored.queue == "main" and stored.agent == AGENT


async def test_a_legacy_number_pushed_through_astdb_tags_the_next_call(
    controlled: tuple[CallController, AmiLink], sessions: async_sessionmaker[AsyncSession],
    pbx: Running,
) -> None:
    controller, link = controlled
    async with sessions() as session, astdb_link(pbx.config) as writer:
        await save_legacy(session, AmiAstDb(writer), LegacyNumberIn(
            number="96310", name="水务热线", mode=LegacyMode.FORWARD, source_line="water",
            queue="main"), now())
    await place_call(link, "it-legacy-1", "96310", "13800138001")
    await wait_for(lambda: any(c.source_line == "water" and c.state is CallState.CONNECTED
                                 for c in controller.line.calls.values()), "tagged call")
    await hang_up_everything(link)


async def test_killing_the_ami_link_mid_call_loses_nothing(
    controlled: tuple[CallController, AmiLink], sessions: async_sessionmaker[AsyncSession]
) -> None:
    controller, link = controlled
    await place_call(link, "it-kill-1", "12345", "13800138002")
    await wait_for(lambda: bool(connected_calls(controller)), "call connected")
    [linkedid] = connected_calls(controller)
    resyncs = controller.resyncs
    link._live().abort()  # the TCP connection dies under the controller
    await wait_for(lambda: controller.resyncs > resyncs, "resync after reconnect")
    assert connected_calls(controller) == [linkedid]
    assert linkedid in await asterisk_linkedids(link)
    await hang_up_everything(link)
    await wait_for(lambda: linkedid not in controller.line.calls, "call ended")
    assert (await stored_call(sessions, linkedid)).answered_at is not None


async def test_a_caller_who_hangs_up_in_the_queue_is_offered_a_callback(
    controlled: tuple[CallController, AmiLink], sessions: async_sessionmaker[AsyncSession]
) -> None:
    controller, link = controlled
    await link.send_action({"Action": "QueuePause", "Queue": "main", "Interface": AGENT,
                            "Paused": "true", "Reason": "培训"})
    try:
        await place_call(link, "it-abandon-1", "12345", "13800138077")
        await wait_for(lambda: any(c.state is CallState.QUEUED
                                   for c in controller.line.calls.values()), "caller queued")
        [linkedid] = [c.linkedid for c in controller.line.calls.values()
                      if c.state is CallState.QUEUED]
        await hang_up_everything(link)  # the caller gives up waiting
        stored = await stored_call(sessions, linkedid)
        assert stored.abandoned and stored.answered_at is None
        async with sessions() as session:
            callback = await session.scalar(
                select(CallbackRequest).where(CallbackRequest.linkedid == linkedid))
        assert callback is not None
        assert (callback.caller_number, callback.state, callback.queue) == (
            "13800138077", "pending", "main")
    finally:
        await link.send_action({"Action": "QueuePause", "Queue": "main", "Interface": AGENT,
                                "Paused": "false"})
