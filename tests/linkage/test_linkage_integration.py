"""Through the real Asterisk 22: a caller reports a fire, the real drafting notices it, the
agent confirms, a simulated 119 line joins the room, the agent leaves, caller and 119 stay.
A line that does not answer and a data endpoint that is down cost the call nothing.

In CI (``CI=true``) a missing Asterisk fails these tests; elsewhere they skip."""

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI
from httpx import ASGITransport, AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hotline.bus import EventBus, Listener
from hotline.errors import install_error_handlers
from hotline.feed_messages import FeedMessage, message_of
from hotline.linkage import linkage_running
from hotline.settings import Settings
from hotline.telephony import to_the_bus
from linkage.machine import DataState, HandoffState
from linkage.packet import SIGNATURE_HEADER, verify
from linkage.service import LinkageService
from telephony.ami.errors import AmiActionFailed
from telephony.ami.events import UnknownEvent
from telephony.ami.link import AmiLink
from telephony.calls.machine import CallState
from telephony.conference.router import router as conference_router
from telephony.controller.service import CallController
from telephony.deps import TelephonyRuntime
from tests.linkage.conftest import Receiver, closed_port_url
from tests.linkage.test_service import listed
from tests.telephony.conference.test_conference_integration import (
    answered_call,
    hang_up_everything,
)
from tests.telephony.conftest import Running, asterisk_root, followed, now, pbx, sessions
from tests.telephony.operators import acting_as
from tests.waiting import wait_for
from tickets.drafting.events import Spoken
from tickets.drafting.live import LiveDrafting, LiveDrafts

__all__ = ["asterisk_root", "pbx", "sessions"]  # the telephony tests' fixtures, used here

AGENT = "Local/8001@sim-agent/n"
FIRE = [("agent", "您好 一 二 三 四 五 政务 服务 热线"),
        ("caller", "着火 了 着火 了 我们 楼道 里 电动车 着火 了 冒 黑烟 呢"),
        ("agent", "您 先 别 慌 地址 在 哪 请 说 一下"),
        ("caller", "二道江 区 桃园 路 铁厂 小区 十二 号楼 一 楼 楼道 里")]


@asynccontextmanager
async def platform(pbx: Running, sessions: async_sessionmaker[AsyncSession], data_dir: Path,
                   **options: object
                   ) -> AsyncIterator[tuple[CallController, AmiLink, LinkageService,
                                            EventBus, TelephonyRuntime]]:
    """Controller, link and the linkage as the composition root wires them."""
    settings = Settings(data_dir=data_dir, policy="wuhai", linkage_ring_seconds=15,
                        linkage_data_attempts=2, linkage_data_backoff_seconds=0.05,
                        **options)  # type: ignore[arg-type]
    async with followed(pbx, sessions, AGENT, backoff_initial=0.1, backoff_max=0.5) as pair:
        controller, link = pair
        telephony = TelephonyRuntime(sessionmaker=sessions, link=link, controller=controller)
        bus = EventBus()
        forwarding = asyncio.create_task(to_the_bus(controller, bus))
        try:
            async with linkage_running(settings, sessions, telephony, bus) as linkage:
                yield controller, link, linkage, bus, telephony
        finally:
            forwarding.cancel()
            await hang_up_everything(link)


async def next_change(listener: Listener, wanted: Callable[[FeedMessage], bool],
                      within: float = 20.0) -> FeedMessage:
    """The first event from now on that ``wanted`` accepts, as the screens' feed tells it."""
    async with asyncio.timeout(within):
        while True:
            told = message_of(await listener.get())
            if wanted(told):
                return told


async def members(link: AmiLink, room: str) -> list[str]:
    """The channels in a ConfBridge room."""
    listing = await link.send_action({"Action": "ConfbridgeList", "Conference": room})
    return [e.fields.get("channel", "") for e in listing.events
            if isinstance(e, UnknownEvent) and e.name == "ConfbridgeList"]


async def report_fire(bus: EventBus, sessions: async_sessionmaker[AsyncSession],
                      linkedid: str) -> None:
    """The caller's words, as the recognizer would hand them to the live drafting."""
    live = LiveDrafts(LiveDrafting(sessions, now), bus.publish)
    for i, (speaker, text) in enumerate(FIRE):
        await live.heard(Spoken(linkedid, speaker, text, i * 3.0, i * 3.0 + 2.5, True))


async def test_a_fire_goes_to_119_which_stays_with_the_caller_after_the_agent_leaves(
    pbx: Running, sessions: async_sessionmaker[AsyncSession], receiver: Receiver,
    tmp_path: Path
) -> None:
    async with platform(pbx, sessions, tmp_path) as (controller, link, linkage, bus, telephony):
        receiver.secret = await listed(sessions, "119", endpoint_url=receiver.url)
        changes = bus.listen()
        linkedid = await answered_call(controller, link, "lk-fire-1", "13900139100")
        await report_fire(bus, sessions, linkedid)
        alert = await next_change(changes, lambda c: c.kind == "emergency")
        assert (alert.key, alert.state, alert.data["kind"]) == (linkedid, "alerted", "119")
        assert "着火" in alert.data["excerpt"]

        h = await linkage.confirm(linkedid, None, "agent")
        await wait_for(lambda: h.state is HandoffState.JOINED, "119 joined", within=30)
        assert h.room is not None

        async def three() -> bool:
            return len(await members(link, h.room or "")) == 3

        await wait_for(three, "caller, agent and 119 in the room")
        await wait_for(lambda: h.data_state is DataState.DELIVERED, "packet delivered")
        [got] = receiver.requests
        assert verify(receiver.secret, got.body, got.headers[SIGNATURE_HEADER.lower()])
        assert json.loads(got.body)["kind"] == "119"

        # The agent leaves through the agents' own conference API: the rooms are shared.
        app = FastAPI()
        install_error_handlers(app)
        app.include_router(conference_router, dependencies=[Depends(acting_as())])
        app.state.telephony = telephony
        async with AsyncClient(transport=ASGITransport(app=app), base_url="http://t") as api:
            left = await api.post(f"/telephony/calls/{linkedid}/agent-leaves")
        assert left.status_code == 200, left.text
        await wait_for(lambda: h.state is HandoffState.AGENT_LEFT, "agent left")

        async def caller_and_119() -> bool:
            names = await members(link, h.room or "")
            return len(names) == 2 and any(n.startswith("Local/119@sim-agent-") for n in names)

        await wait_for(caller_and_119, "caller and 119 bridged without the agent")
        assert controller.line.calls[linkedid].state is CallState.IN_CONFERENCE

        # The caller hangs up: 119 is not left alone on hold music, the call ends (issue 13).
        assert h.caller_channel is not None
        await link.send_action({"Action": "Hangup", "Channel": h.caller_channel})
        ended = await next_change(changes, lambda c: c.kind == "call" and c.key == linkedid
                                  and c.state == "ended")
        assert ended.key == linkedid and h.state is HandoffState.ENDED

        async def room_gone() -> bool:
            try:
                return not await members(link, h.room or "")
            except AmiActionFailed:  # "No active conferences": the room itself is gone
                return True

        await wait_for(room_gone, "the room is empty: the 119 line was hung up")
        bus.unlisten(changes)


async def test_an_unanswered_line_and_a_dead_endpoint_leave_the_call_up_then_the_caller_ends_it(
    pbx: Running, sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    # from-line hangs up every number but 12345: a line that never answers.
    async with platform(pbx, sessions, tmp_path, dial_emergency="Local/{number}@from-line/n"
                        ) as (controller, link, linkage, bus, _):
        await listed(sessions, "119", numbers=["119", "0635119"], endpoint_url=closed_port_url())
        changes = bus.listen()
        linkedid = await answered_call(controller, link, "lk-fire-2", "13900139101")
        await report_fire(bus, sessions, linkedid)
        await next_change(changes, lambda c: c.kind == "emergency" and c.state == "alerted")
        h = await linkage.confirm(linkedid, None, "agent")
        told = await next_change(changes, lambda c: c.state == "line-unanswered")
        assert told.data["number"] == "119"
        await linkage.retry(linkedid, None, "agent")
        told = await next_change(changes, lambda c: c.state == "line-unanswered")
        assert told.data["number"] == "0635119"
        failed = await next_change(changes, lambda c: c.state == "data-failed")
        assert failed.data["attempts"] == 2
        # The call is unaffected: caller and agent still talk in the room.
        call = controller.line.calls[linkedid]
        assert call.state is CallState.IN_CONFERENCE and len(await members(link, linkedid)) == 2

        assert h.caller_channel is not None
        await link.send_action({"Action": "Hangup", "Channel": h.caller_channel})
        ended = await next_change(changes, lambda c: c.state == "ended")
        assert ended.data["reason"] == "the caller hung up"
        assert h.state is HandoffState.ENDED
        bus.unlisten(changes)
