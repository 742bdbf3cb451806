"""The line's figures and the missed-call callbacks through the real Asterisk 22 (issue 13).

A caller who follows a ticket by its number is served by the IVR, which ends the call: the
call is neither offered nor abandoned and owes no callback. A callback leg (placed as the
dialer places it: Originate into ``hotline-queue`` with ``HOTLINE_CALLBACK_ID``, caller ID
12345 toward the citizen) shows the citizen's number, owes nothing when the citizen hangs up
in the queue, and is done only once an agent is bridged, not when the citizen answers.
"""

import asyncio
import contextlib
import shutil
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ivr.config import IvrConfig
from ivr.outcome import RouteOutcome
from ivr.prompts.build import build
from ivr.prompts.player import PromptDir, Prompts
from ivr.server import IvrServer
from telephony.ami.errors import AmiActionFailed
from telephony.ami.link import AmiLink
from telephony.ami.originate import OriginateRequest
from telephony.callbacks.follow import CallbackBridges
from telephony.callbacks.models import CallbackRequest
from telephony.calls.figures import figures
from telephony.calls.machine import CallState
from telephony.calls.models import CallRecord
from telephony.controller.service import CallController
from telephony.pbx import process
from telephony.pbx.prompts import PROMPTS, install_prompts
from tests.ivr.fakes import TICKET, FakeSurveys, FakeTickets
from tests.required import unavailable
from tests.telephony.conftest import Running, astdb_action, now
from tests.telephony.conftest import asterisk_root as asterisk_root
from tests.telephony.conftest import pbx as pbx
from tests.telephony.conftest import sessions as sessions
from tests.waiting import wait_for

Maker = async_sessionmaker[AsyncSession]
AGENT = "Local/8001@sim-agent/n"
CITIZEN = "13500000021"


@pytest.fixture(scope="module")
def instance_prompts(pbx: Running) -> Prompts:
    """Every prompt built and installed into the instance, as `hotline prompts build` does."""
    for tool in ("espeak-ng", "sox"):
        if shutil.which(tool) is None:
            unavailable(f"{tool} is missing")
    asyncio.run(build(pbx.settings.effective_prompts_dir))
    target = pbx.instance.run_dir / PROMPTS
    install_prompts(target, pbx.settings.prompt_sources, process.instance_account(pbx.instance))
    return Prompts.in_instance(PromptDir(target, pbx.instance.inside / PROMPTS))


@pytest.fixture
async def line(pbx: Running, sessions: Maker) -> AsyncIterator[tuple[CallController, AmiLink,
                                                                     CallbackBridges]]:
    """The controller and the callback follower on one AMI link, as the platform wires them;
    no agent in the queues yet."""
    controller = CallController(sessions, now)
    bridges = CallbackBridges(sessions, now)
    c = pbx.config
    link = AmiLink(c.ami_host, c.ami_port, c.ami_username, c.ami_secret,
                   on_connected=controller.resync)
    controller.attach(link)
    bridges.attach(link)
    link.start()
    await link.wait_connected(15)
    await wait_for(lambda: controller.resyncs >= 1, "first resync")
    try:
        yield controller, link, bridges
    finally:
        with contextlib.suppress(AmiActionFailed):  # a test that logged the agent in
            await link.send_action({"Action": "QueueRemove", "Queue": "main",
                                    "Interface": AGENT})
        await link.close()


async def until(condition: Callable[[], Awaitable[bool]], what: str, within: float = 30.0
                ) -> None:
    """Poll an async condition (a database read) until it holds."""
    deadline = time.monotonic() + within
    while not await condition():
        assert time.monotonic() < deadline, f"{what}: not within {within}s"
        await asyncio.sleep(0.05)


async def record_of(sessions: Maker, linkedid: str) -> CallRecord:
    found: list[CallRecord] = []

    async def stored() -> bool:
        async with sessions() as session:
            row = await session.scalar(select(CallRecord).where(CallRecord.linkedid == linkedid))
        found[:] = [row] if row is not None else []
        return bool(found)

    await until(stored, f"call {linkedid} stored")
    return found[0]


async def callbacks(sessions: Maker) -> list[CallbackRequest]:
    async with sessions() as session:
        return list((await session.scalars(select(CallbackRequest)
                                           .order_by(CallbackRequest.id))).all())


async def state_of(sessions: Maker, callback_id: int) -> str:
    async with sessions() as session:
        row = await session.get(CallbackRequest, callback_id)
        assert row is not None
        return row.state


async def calling(sessions: Maker, caller: str) -> int:
    """A callback the dialer has just dialled (claimed: state calling, one attempt)."""
    async with sessions() as session:
        row = CallbackRequest(caller_number=caller, linkedid=f"missed-{caller}", queue="main",
                              requested_at=now(), due_by=now() + timedelta(minutes=30),
                              state="calling", attempts=1, updated_at=now())
        session.add(row)
        await session.commit()
        return row.id


async def call_back(link: AmiLink, callback_id: int, citizen: str) -> None:
    """The callback leg as the outbound dialer places it (telephony/callbacks/campaign.py)."""
    await link.originate(f"callback-{callback_id}-1", OriginateRequest(
        channel=f"Local/{citizen}@sim-citizen", context="hotline-queue", exten="s",
        caller_id="12345", ring_timeout=10,
        variables={"HOTLINE_CALLBACK_ID": str(callback_id), "HOTLINE_QUEUE": "main"}))


def live_callback_legs(controller: CallController) -> list[str]:
    """Callback legs waiting in a queue or with an agent."""
    return [c.linkedid for c in controller.line.calls.values() if c.callback_id is not None
            and c.state in (CallState.QUEUED, CallState.CONNECTED)]


async def day_figures(sessions: Maker) -> tuple[int, int, int, int, int]:
    async with sessions() as session:
        [day] = await figures(session, now() - timedelta(hours=1), now() + timedelta(hours=1))
    return (day.offered, day.abandoned, day.self_served, day.callback_calls,
            day.callbacks_connected)


async def test_a_caller_served_by_the_ivr_is_neither_offered_nor_abandoned_nor_called_back(
    line: tuple[CallController, AmiLink, CallbackBridges], sessions: Maker, pbx: Running,
    instance_prompts: Prompts,
) -> None:
    controller, link, _ = line
    finished: list[RouteOutcome] = []
    server = IvrServer(pbx.settings.agi_host, pbx.settings.agi_port, tickets=FakeTickets(),
                       surveys=FakeSurveys(), prompts=instance_prompts,
                       config=IvrConfig(key_timeout=1), on_finished=finished.append)
    async with server:
        # 2, the ticket's number, then silence: the caller waits for the IVR to end the call
        await link.originate("self-service-1", OriginateRequest(
            channel="Local/12345@sim-dial", context="sim-caller", exten="s",
            caller_id="13800138021", variables={
                "SIM_FROM": "13800138021", "SIM_STEPS": f"wait:1^dtmf:2^wait:2^dtmf:{TICKET}#",
                "SIM_HOLD": "120"}))
        await wait_for(lambda: bool(finished), "the menu ended", within=120)
        [outcome] = finished
        assert (outcome.result, outcome.detail) == ("followed", TICKET)
        assert outcome.linkedid is not None
        record = await record_of(sessions, outcome.linkedid)  # the IVR hung up: it ended
    assert (record.ivr_result, record.queued_at, record.abandoned) == ("followed", None, False)
    assert record.callback_offered is False
    assert await callbacks(sessions) == []
    assert await day_figures(sessions) == (0, 0, 1, 0, 0)
    assert not controller.line.calls


async def test_a_callback_leg_shows_the_citizen_and_owes_nothing_when_hung_up_in_the_queue(
    line: tuple[CallController, AmiLink, CallbackBridges], sessions: Maker, pbx: Running,
) -> None:
    controller, link, _ = line
    await astdb_action(pbx.config, "DBPut", Family="sim-citizen", Key=CITIZEN,
                       Val="wait:6^hangup")  # answers, waits in the queue, gives up
    callback_id = await calling(sessions, CITIZEN)
    try:
        await call_back(link, callback_id, CITIZEN)
        await wait_for(lambda: live_callback_legs(controller), "the callback leg queued")
        [linkedid] = live_callback_legs(controller)
        leg = controller.line.calls[linkedid]
        assert leg.state is CallState.QUEUED
        assert leg.caller_number == CITIZEN  # the agents see the citizen, not 12345
        assert await state_of(sessions, callback_id) == "calling"  # answered is not done
        record = await record_of(sessions, linkedid)
    finally:
        await astdb_action(pbx.config, "DBDel", Family="sim-citizen", Key=CITIZEN)
    assert (record.callback_id, record.caller_number) == (callback_id, CITIZEN)
    assert record.abandoned is True and record.answered_at is None
    assert [row.id for row in await callbacks(sessions)] == [callback_id]  # none to 12345
    assert await state_of(sessions, callback_id) == "calling"  # the dialer's to retry
    assert await day_figures(sessions) == (0, 0, 0, 1, 0)  # outbound: never offered


async def test_a_callback_is_done_once_an_agent_is_bridged_with_the_citizen(
    line: tuple[CallController, AmiLink, CallbackBridges], sessions: Maker, pbx: Running,
) -> None:
    controller, link, bridges = line
    await astdb_action(pbx.config, "DBPut", Family="sim-citizen", Key=CITIZEN, Val="wait:30")
    callback_id = await calling(sessions, CITIZEN)
    try:
        await call_back(link, callback_id, CITIZEN)
        await wait_for(lambda: live_callback_legs(controller), "the callback leg queued")
        [linkedid] = live_callback_legs(controller)
        assert await state_of(sessions, callback_id) == "calling"  # answered, no agent yet
        await link.send_action({"Action": "QueueAdd", "Queue": "main", "Interface": AGENT,
                                "MemberName": "8001"})

        def with_agent() -> bool:
            leg = controller.line.calls.get(linkedid)
            return leg is not None and leg.state is CallState.CONNECTED and leg.agent == AGENT

        await wait_for(with_agent, "the agent answered the callback leg", within=30)
        assert controller.line.calls[linkedid].caller_number == CITIZEN

        async def done() -> bool:
            return await state_of(sessions, callback_id) == "done"

        await until(done, "the callback marked done on the bridge")
        assert bridges.done == 1
        await link.send_action({"Action": "Hangup", "Channel": f"/^Local/{CITIZEN}@/"})
        record = await record_of(sessions, linkedid)
    finally:
        await astdb_action(pbx.config, "DBDel", Family="sim-citizen", Key=CITIZEN)
    assert record.callback_id == callback_id and record.answered_at is not None
    assert await day_figures(sessions) == (0, 0, 0, 1, 1)
