"""Originates through AmiLink: one key, at most one call; failures typed; injection refused."""

import asyncio

import pytest

from telephony.ami import events as ev
from telephony.ami.errors import (
    AmiBadAction,
    AmiNotConnected,
    OriginateFailed,
    OriginateOutcomeUnknown,
)
from telephony.ami.originate import ORIGINATE_VARIABLE, OriginateRequest
from tests.waiting import wait_for

from .helpers import FakeAmi, Recorder, make_link

REQUEST = OriginateRequest(
    channel="PJSIP/13800138000@trunk",
    context="revisit",
    exten="s",
    caller_id='"12345热线" <12345>',
    variables={"HOTLINE_TICKET": "T-1"},
)


async def test_an_originate_in_flight_at_a_disconnect_is_never_sent_twice(peer: FakeAmi) -> None:
    rec = Recorder()
    peer.originate_mode = "hold"  # acknowledged, outcome never arrives
    async with make_link(peer, rec) as link:
        await link.wait_connected(within=5)
        first = asyncio.create_task(link.originate("revisit-T-1", REQUEST))
        await wait_for(lambda: peer.named("originate"), "the Originate reached the peer", within=5)
        peer.drop_all()
        with pytest.raises(OriginateOutcomeUnknown):
            await first
        await wait_for(
            lambda: rec.hooks == 2 and link.connected, "reconnected and resynced", within=5
        )
        peer.originate_mode = "success"
        with pytest.raises(OriginateOutcomeUnknown):  # the first outcome, not a new call
            await link.originate("revisit-T-1", REQUEST)
        await link.send_action({"Action": "Ping"})  # the stream is ordered: a re-send came first
        (sent,) = peer.named("originate")
        assert sent["async"] == ["true"]
        assert sent["actionid"] == ["hotline-originate-revisit-T-1"]
        assert f"{ORIGINATE_VARIABLE}=revisit-T-1" in sent["variable"]
        assert "HOTLINE_TICKET=T-1" in sent["variable"]


async def test_a_repeated_key_gets_the_first_result(peer: FakeAmi) -> None:
    rec = Recorder()
    peer.originate_mode = "hold"
    async with make_link(peer, rec) as link:
        await link.wait_connected(within=5)
        first = asyncio.create_task(link.originate("cb-9", REQUEST))
        second = asyncio.create_task(link.originate("cb-9", REQUEST))  # while in flight
        await wait_for(lambda: peer.named("originate"), "the Originate reached the peer", within=5)
        peer.send_originate_response("hotline-originate-cb-9", success=True)
        a, b = await asyncio.gather(first, second)
        assert a == b and a.uniqueid == "1700000100.7"
        assert await link.originate("cb-9", REQUEST) == a  # after it settled
        await link.send_action({"Action": "Ping"})
        assert len(peer.named("originate")) == 1
        assert rec.of(ev.OriginateResponse)  # subscribers see the outcome too


@pytest.mark.parametrize("mode", ["failure", "error"])
async def test_a_failed_originate_is_a_typed_failure(peer: FakeAmi, mode: str) -> None:
    rec = Recorder()
    peer.originate_mode = mode
    async with make_link(peer, rec) as link:
        await link.wait_connected(within=5)
        with pytest.raises(OriginateFailed) as failed:
            await link.originate(f"k-{mode}", REQUEST)
        assert failed.value.error_id == "originate-failed"
        if mode == "failure":
            assert failed.value.details["reason"] == 5
        with pytest.raises(OriginateFailed):
            await link.originate(f"k-{mode}", REQUEST)
        await link.send_action({"Action": "Ping"})
        assert len(peer.named("originate")) == 1


async def test_an_originate_while_disconnected_sends_nothing_and_may_be_retried(
    peer: FakeAmi,
) -> None:
    rec = Recorder()
    link = make_link(peer, rec)
    with pytest.raises(AmiNotConnected):
        await link.originate("k-offline", REQUEST)
    async with link:
        await link.wait_connected(within=5)
        result = await link.originate("k-offline", REQUEST)
        assert result.reason == 4


async def test_header_injection_and_raw_originates_are_refused(peer: FakeAmi) -> None:
    rec = Recorder()
    async with make_link(peer, rec) as link:
        await link.wait_connected(within=5)
        with pytest.raises(AmiBadAction):
            await link.send_action({"Action": "Ping", "X": "1\r\nAction: Originate"})
        with pytest.raises(AmiBadAction):
            await link.send_action({"Action": "Originate", "Channel": "PJSIP/1"})
        with pytest.raises(AmiBadAction):
            await link.originate("bad key\r\n", REQUEST)
        bad = OriginateRequest(
            channel="PJSIP/1",
            context="c",
            exten="s",
            variables={"HOTLINE_X": "a,HOTLINE_ORIGINATE_ID=forged"},
        )
        with pytest.raises(AmiBadAction):
            await link.originate("k-forge", bad)
        await link.send_action({"Action": "Ping"})
        assert peer.named("originate") == []


async def test_closing_the_link_settles_an_originate_in_flight(peer: FakeAmi) -> None:
    rec = Recorder()
    peer.originate_mode = "hold"
    link = make_link(peer, rec)
    async with link:
        await link.wait_connected(within=5)
        pending = asyncio.create_task(link.originate("k-closing", REQUEST))
        await wait_for(lambda: peer.named("originate"), "the Originate reached the peer", within=5)
    with pytest.raises(OriginateOutcomeUnknown):
        await asyncio.wait_for(pending, 5)
