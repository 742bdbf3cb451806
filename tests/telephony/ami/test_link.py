"""AmiLink against a fake AMI peer: login, typed events, bad input, reconnects, half-open links."""

import asyncio
import logging

import pytest

from telephony.ami import events as ev
from telephony.ami.errors import (
    AmiLoginRefused,
    AmiNotConnected,
    AmiTimeout,
)
from telephony.ami.link import AmiLink
from tests.waiting import wait_for

from .helpers import FakeAmi, Recorder, frame, make_link

NAME = "张三丰（来电）"


async def test_login_runs_the_hook_and_reports_the_version(peer: FakeAmi) -> None:
    rec = Recorder()
    async with make_link(peer, rec) as link:
        await link.wait_connected(within=5)
        assert link.connected and link.version == "9.0.0"
        assert rec.hooks == 1
        await wait_for(lambda: rec.of(ev.FullyBooted), "FullyBooted delivered", within=5)
        assert peer.named("login")[0]["events"] == ["on"]


async def test_a_refused_login_is_reported_and_retried_without_leaking_the_secret(
    peer: FakeAmi, caplog: pytest.LogCaptureFixture
) -> None:
    peer.secret = "other"
    rec = Recorder()
    with caplog.at_level(logging.DEBUG):
        async with make_link(peer, rec) as link:
            await wait_for(
                lambda: isinstance(link.last_error, AmiLoginRefused), "login refused", within=5
            )
            # It keeps trying, with backoff.
            await wait_for(lambda: peer.connections >= 2, "a second login attempt", within=5)
            assert not link.connected and rec.hooks == 0
            with pytest.raises(AmiNotConnected):
                await link.send_action({"Action": "Ping"})
    assert "s3cret" not in caplog.text


async def test_events_arrive_typed_with_chinese_split_across_writes(peer: FakeAmi) -> None:
    rec = Recorder()
    async with make_link(peer, rec) as link:
        await link.wait_connected(within=5)
        data = frame(
            Event="Newchannel",
            Channel="PJSIP/trunk-0001",
            ChannelState="4",
            CallerIDNum="13800138000",
            CallerIDName=NAME,
            Uniqueid="1.1",
            Linkedid="1.1",
        )
        cut = data.index(NAME.encode()) + 1  # inside the first character's three bytes
        peer.send(data[:cut])
        await peer.current.writer.drain()
        await asyncio.sleep(0)  # usually read alone; test_frames covers every split offset
        peer.send(data[cut:])
        await wait_for(lambda: rec.of(ev.Newchannel), "Newchannel delivered", within=5)
        (event,) = rec.of(ev.Newchannel)
        assert isinstance(event, ev.Newchannel)
        assert event.channel.caller_name == NAME


async def test_bad_input_leaves_the_link_up_and_later_events_arrive(peer: FakeAmi) -> None:
    rec = Recorder()
    async with make_link(peer, rec, max_message=4096) as link:
        await link.wait_connected(within=5)
        peer.send(b"this is not AMI at all\r\n\r\n")  # no Event, no Response
        peer.send(b"\xff\xfe\x00\x01garbage\r\nEvent: Hangup\r\n\r\n")  # malformed Hangup
        peer.send(b"Event: Newchannel\r\nChannel: PJSIP/x\r\nUniq\r\n\r\n")  # truncated
        peer.send(b"Event: Flood\r\nData: " + b"x" * 20000 + b"\r\n\r\n")  # oversized
        peer.send(frame(Event="SomethingNew", Foo="bar"))  # unknown
        peer.send(b"Response: Success\r\nActionID: nobody\r\n\r\n")  # unsolicited
        peer.send(
            frame(Event="Hangup", Channel="PJSIP/y", Uniqueid="2.1", Linkedid="2.1", Cause="16")
        )
        await wait_for(lambda: rec.of(ev.Hangup), "the Hangup after the bad input", within=5)
        counters = link.counters
        assert counters.malformed == 2 and counters.dropped_frames == 2
        assert counters.unsolicited == 1
        assert [e.name for e in rec.of(ev.UnknownEvent)] == ["SomethingNew"]  # type: ignore[attr-defined]
        assert link.connected and peer.connections == 1
        response = await link.send_action({"Action": "Ping"})
        assert response.get("Ping") == "Pong"


async def test_a_failing_subscriber_is_logged_and_the_others_still_get_events(
    peer: FakeAmi, caplog: pytest.LogCaptureFixture
) -> None:
    rec = Recorder()

    async def broken(event: ev.AmiEvent) -> None:
        raise RuntimeError("subscriber bug")

    async with make_link(peer, rec) as link:
        link.subscribe(broken, ev.Hangup)
        await link.wait_connected(within=5)
        for n in range(2):
            peer.send(
                frame(
                    Event="Hangup",
                    Channel=f"PJSIP/{n}",
                    Uniqueid=f"{n}.1",
                    Linkedid=f"{n}.1",
                    Cause="16",
                )
            )
        await wait_for(lambda: len(rec.of(ev.Hangup)) == 2, "both Hangups delivered", within=5)
        assert link.counters.subscriber_errors == 2
        assert "subscriber bug" in caplog.text


async def test_when_the_peer_closes_the_link_reconnects_and_resyncs(peer: FakeAmi) -> None:
    rec = Recorder()
    async with make_link(peer, rec) as link:
        await link.wait_connected(within=5)
        peer.drop_all()
        await wait_for(
            lambda: rec.hooks == 2 and link.connected, "reconnected and resynced", within=5
        )
        assert peer.connections == 2 and link.counters.reconnects == 1
        peer.send(frame(Event="Newstate", Channel="PJSIP/z", Uniqueid="3.1", Linkedid="3.1"))
        await wait_for(lambda: rec.of(ev.Newstate), "Newstate on the new session", within=5)


async def test_a_silent_peer_is_detected_as_half_open_and_replaced(peer: FakeAmi) -> None:
    rec = Recorder()
    async with make_link(peer, rec, pong_timeout=0.3) as link:
        await link.wait_connected(within=5)
        peer.go_silent()  # TCP stays open; nothing comes back
        await wait_for(
            lambda: rec.hooks == 2 and link.connected, "half-open link replaced", within=5
        )
        assert link.counters.pong_timeouts >= 1 and peer.connections == 2


async def test_a_peer_that_never_answers_the_login_is_retried_until_it_does(
    peer: FakeAmi,
) -> None:
    peer.mute_new = True
    rec = Recorder()
    async with make_link(peer, rec, action_timeout=0.2) as link:
        await wait_for(
            lambda: isinstance(link.last_error, AmiTimeout) and peer.connections >= 2,
            "login timed out and retried",
            within=5,
        )
        assert not link.connected
        peer.mute_new = False
        await link.wait_connected(within=5)
        assert rec.hooks == 1


async def test_events_during_the_resync_wait_until_it_is_done(peer: FakeAmi) -> None:
    rec = Recorder()
    resync_may_end = asyncio.Event()
    in_resync = asyncio.Event()

    async def resync(link: AmiLink) -> None:
        listed = await link.send_action({"Action": "CoreShowChannels"})
        assert [type(e) for e in listed.events] == [ev.CoreShowChannel] * 2 + [
            ev.CoreShowChannelsComplete
        ]
        in_resync.set()
        await resync_may_end.wait()

    async with make_link(peer, rec, on_connected=resync) as link:
        await asyncio.wait_for(in_resync.wait(), 5)
        peer.send(frame(Event="Newstate", Channel="PJSIP/z", Uniqueid="3.1", Linkedid="3.1"))
        # Read: FullyBooted, the three list items, then the Newstate.
        await wait_for(lambda: link.counters.events >= 5, "the Newstate read", within=5)
        assert rec.events == []  # held while the controller resyncs
        resync_may_end.set()
        await wait_for(lambda: rec.of(ev.Newstate), "Newstate after the resync", within=5)
        assert [type(e) for e in rec.events] == [ev.FullyBooted, ev.Newstate]  # no list items
