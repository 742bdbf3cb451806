"""The AudioSocket server against real TCP clients: good streams, bad ones, slow decoding."""

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

import pytest

from asr.audiosocket import NO_MODEL, AsrServer
from asr.audiosocket.frames import Audio, Dtmf, Identify, PeerError
from asr.events import AsrEvent, Segment, StreamEnded, StreamLabel
from tests.asr.audiosocket.client import Client, tone
from tests.asr.fakes import FakePool
from tests.waiting import wait_for

HEALTHY = StreamLabel("call-1", "caller")


@dataclass
class Harness:
    """A server on a free port, the fake pool behind it, and every event it published."""

    server: AsrServer
    pool: FakePool
    events: list[AsrEvent] = field(default_factory=list)

    def ended(self, stream_uuid: uuid.UUID) -> StreamEnded | None:
        return next((e for e in self.events
                     if isinstance(e, StreamEnded) and e.stream_uuid == stream_uuid), None)

    async def end_of(self, stream_uuid: uuid.UUID) -> StreamEnded:
        await wait_for(lambda: self.ended(stream_uuid), f"end of stream {stream_uuid}")
        ended = self.ended(stream_uuid)
        assert ended is not None
        return ended

    def finals(self, call_id: str) -> list[Segment]:
        return [e for e in self.events
                if isinstance(e, Segment) and e.final and e.call_id == call_id]


@pytest.fixture
async def harness() -> AsyncIterator[Harness]:
    pool = FakePool()
    server = AsrServer("127.0.0.1", 0, pool, payload_timeout=0.5, queue_frames=10)
    harness = Harness(server, pool)
    server.subscribe(harness.events.append)
    await server.start()
    yield harness
    pool.gate.set()
    await server.stop()
    pool.close()


async def healthy_stream(h: Harness, misbehave: Callable[[], Awaitable[None]]) -> None:
    """A stream that keeps going while another one misbehaves, and loses nothing."""
    good_uuid = uuid.uuid4()
    h.server.expect(good_uuid, HEALTHY)
    good = await Client.connect(h.server.port, good_uuid)
    await good.audio(tone(1.0))
    await wait_for(lambda: len(h.finals("call-1")) == 2, "the healthy stream's first second")
    await misbehave()
    await good.audio(tone(1.0))
    await good.hangup()
    ended = await h.end_of(good.uuid)
    assert (ended.reason, ended.audio_seconds, ended.finals) == ("hangup", 2.0, 4)
    assert [s.text for s in h.finals("call-1")] == ["part1", "part2", "part3", "part4"]


@pytest.fixture(autouse=True)
def _warnings(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="asr")


async def test_a_stream_is_transcribed_under_its_announced_label(harness: Harness) -> None:
    stream_uuid = uuid.uuid4()
    harness.server.expect(stream_uuid, StreamLabel("1700000000.42", "agent"))
    client = await Client.connect(harness.server.port, stream_uuid)
    await client.audio(tone(1.5))
    await client.send(Dtmf("5"))  # keypad digits are not speech: ignored
    await client.hangup()
    ended = await harness.end_of(stream_uuid)
    assert ended == StreamEnded("1700000000.42", "agent", stream_uuid, "hangup", 1.5, 3)
    finals = harness.finals("1700000000.42")
    assert [(s.speaker, s.text, s.start, s.end) for s in finals] == [
        ("agent", "part1", 0.0, 0.5), ("agent", "part2", 0.5, 1.0), ("agent", "part3", 1.0, 1.5)]
    assert await client.closed_by_server()


async def test_an_unannounced_stream_is_transcribed_as_unknown_and_logged(
        harness: Harness, caplog: pytest.LogCaptureFixture) -> None:
    client = await Client.connect(harness.server.port)
    await client.audio(tone(0.5))
    await client.hangup()
    ended = await harness.end_of(client.uuid)
    assert (ended.call_id, ended.speaker, ended.finals) == (f"unknown:{client.uuid}",
                                                            "unknown", 1)
    assert f"stream {client.uuid} was not announced" in caplog.text


@pytest.mark.parametrize("rate", [8000, 12000, 24000, 32000, 44100, 48000, 96000, 192000])
async def test_every_rate_asterisk_sends_reaches_the_model_at_16khz(
        harness: Harness, rate: int) -> None:
    client = await Client.connect(harness.server.port)
    await client.audio(tone(1.0, rate), rate)
    await client.hangup()
    ended = await harness.end_of(client.uuid)
    assert abs(ended.audio_seconds - 1.0) < 0.002
    assert ended.finals == 2


async def test_unknown_kind_drops_that_stream_and_keeps_what_it_said(
        harness: Harness, caplog: pytest.LogCaptureFixture) -> None:
    async def misbehave() -> None:
        bad = await Client.connect(harness.server.port)
        harness.server.expect(bad.uuid, StreamLabel("call-2", "caller"))
        await bad.audio(tone(1.0))
        await bad.raw(b"\x42\x00\x02ab")
        ended = await harness.end_of(bad.uuid)
        assert (ended.reason, ended.finals) == ("unknown-kind", 2)
        assert [s.text for s in harness.finals("call-2")] == ["part1", "part2"]
        assert await bad.closed_by_server()

    await healthy_stream(harness, misbehave)
    assert "unknown-kind: unknown frame kind 0x42" in caplog.text


async def test_a_length_past_the_payload_drops_the_stream_once_the_frame_stalls(
        harness: Harness, caplog: pytest.LogCaptureFixture) -> None:
    async def misbehave() -> None:
        bad = await Client.connect(harness.server.port)
        await bad.raw(b"\x12\x02\x80" + tone(0.01))  # says 640 bytes, sends 320, stays
        assert (await harness.end_of(bad.uuid)).reason == "stalled-frame"
        assert await bad.closed_by_server()

    await healthy_stream(harness, misbehave)
    assert "stalled-frame" in caplog.text


async def test_a_frame_cut_short_by_the_peer_closing_drops_the_stream(
        harness: Harness, caplog: pytest.LogCaptureFixture) -> None:
    async def misbehave() -> None:
        bad = await Client.connect(harness.server.port)
        await bad.audio(tone(0.5))
        await bad.raw(b"\x12\x02\x80" + tone(0.01))
        await bad.close()
        ended = await harness.end_of(bad.uuid)
        assert (ended.reason, ended.finals) == ("truncated-frame", 1)

    await healthy_stream(harness, misbehave)
    assert "truncated-frame: connection ended 320 bytes into a frame part of 640" in caplog.text


async def test_a_peer_vanishing_mid_frame_drops_only_its_stream(
        harness: Harness, caplog: pytest.LogCaptureFixture) -> None:
    async def misbehave() -> None:
        bad = await Client.connect(harness.server.port)
        await bad.audio(tone(0.5))
        # A reset may discard what the server has not read yet: let it read the audio first.
        await wait_for(lambda: any(s.stream_uuid == bad.uuid and s.audio_seconds == 0.5
                                   for s in harness.server.streams()), "the audio read")
        await bad.raw(b"\x12\x02")  # half a header, then a reset
        bad.abort()
        ended = await harness.end_of(bad.uuid)
        assert ended.reason in ("truncated-frame", "connection-lost")
        assert ended.finals == 1

    await healthy_stream(harness, misbehave)
    assert "dropped after 0.5 s of audio" in caplog.text


async def test_empty_audio_drops_the_stream(
        harness: Harness, caplog: pytest.LogCaptureFixture) -> None:
    async def misbehave() -> None:
        bad = await Client.connect(harness.server.port)
        await bad.send(Audio(16000, b""))
        assert (await harness.end_of(bad.uuid)).reason == "empty-audio"
        assert await bad.closed_by_server()

    await healthy_stream(harness, misbehave)
    assert "empty-audio: audio frame without samples" in caplog.text


async def test_half_a_sample_drops_the_stream(
        harness: Harness, caplog: pytest.LogCaptureFixture) -> None:
    async def misbehave() -> None:
        bad = await Client.connect(harness.server.port)
        await bad.raw(b"\x12\x00\x03abc")
        assert (await harness.end_of(bad.uuid)).reason == "bad-length"

    await healthy_stream(harness, misbehave)
    assert "half a sample" in caplog.text


@pytest.mark.parametrize(("garbage", "logged"), [
    (b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", "no UUID (unknown frame kind 0x47)"),
    (b"\x12\x00\x04abcd", "sent Audio(rate=16000, pcm=b'abcd') before its UUID"),
    (b"\x01\x00\x04abcd", "no UUID (UUID frame of 4 bytes, not 16)"),
])
async def test_garbage_before_the_uuid_is_refused(
        harness: Harness, caplog: pytest.LogCaptureFixture, garbage: bytes, logged: str) -> None:
    async def misbehave() -> None:
        bad = await Client.connect(harness.server.port, identify=False)
        await bad.raw(garbage)
        assert await bad.closed_by_server()

    await healthy_stream(harness, misbehave)
    assert logged in caplog.text


async def test_asterisk_reporting_an_error_ends_the_stream_with_what_was_said(
        harness: Harness, caplog: pytest.LogCaptureFixture) -> None:
    async def misbehave() -> None:
        bad = await Client.connect(harness.server.port)
        await bad.audio(tone(0.5))
        await bad.send(PeerError(2))
        ended = await harness.end_of(bad.uuid)
        assert (ended.reason, ended.finals) == ("peer-error", 1)

    await healthy_stream(harness, misbehave)
    assert "Asterisk reports error 2" in caplog.text


async def test_a_second_uuid_drops_the_stream(harness: Harness) -> None:
    async def misbehave() -> None:
        bad = await Client.connect(harness.server.port)
        await bad.send(Identify(uuid.uuid4()))
        assert (await harness.end_of(bad.uuid)).reason == "repeated-uuid"

    await healthy_stream(harness, misbehave)


async def test_when_decoding_falls_behind_the_reader_waits(harness: Harness) -> None:
    harness.pool.gate.clear()  # the recognizer is stuck
    client = await Client.connect(harness.server.port)
    # 10 minutes of audio, 19 MB: more than the sockets' kernel buffers hold.
    sending = asyncio.create_task(client.audio(tone(0.1) * 6000))
    frame_bytes = 640

    def status_full() -> bool:
        streams = harness.server.streams()
        return bool(streams) and streams[0].queued_frames == harness.server.queue_frames

    await wait_for(status_full, "the stream's queue to fill")
    received = harness.server.streams()[0].audio_seconds
    # The batch in the recognizer's hands, the full queue and the frame waiting to go in.
    assert received * 32000 <= (2 * harness.server.queue_frames + 1) * frame_bytes
    assert not sending.done()
    harness.pool.gate.set()
    await sending
    await client.hangup()
    ended = await harness.end_of(client.uuid)
    assert (ended.audio_seconds, ended.finals) == (600.0, 1200)


async def test_stop_ends_open_streams_and_publishes_their_last_words(harness: Harness) -> None:
    client = await Client.connect(harness.server.port)
    await client.audio(tone(0.7))
    await wait_for(lambda: harness.server.streams() and
                   harness.server.streams()[0].audio_seconds >= 0.7, "audio in")
    await harness.server.stop()
    ended = await harness.end_of(client.uuid)
    assert (ended.reason, ended.finals) == ("closed", 2)  # 0.5 s, then the last 0.2 s


async def test_without_a_model_the_server_says_so_and_drains_calls(
        caplog: pytest.LogCaptureFixture) -> None:
    events: list[AsrEvent] = []
    async with AsrServer("127.0.0.1", 0, None) as server:
        server.subscribe(events.append)
        assert NO_MODEL in caplog.text
        client = await Client.connect(server.port)
        await client.audio(tone(1.0))
        await client.hangup()
        await wait_for(lambda: events, "the end of the stream")
    assert len(events) == 1
    ended = events[0]
    assert isinstance(ended, StreamEnded)
    assert (ended.reason, ended.audio_seconds, ended.finals) == ("hangup", 1.0, 0)


async def test_subscribers_failing_or_unsubscribing_do_not_stop_the_stream(
        harness: Harness, caplog: pytest.LogCaptureFixture) -> None:
    def broken(event: AsrEvent) -> None:
        raise RuntimeError("subscriber bug")

    seen: list[AsrEvent] = []

    async def slow(event: AsrEvent) -> None:
        await asyncio.sleep(0)
        seen.append(event)

    harness.server.subscribe(broken)
    unsubscribe = harness.server.subscribe(slow)
    async with harness.server.subscription() as subscription:
        client = await Client.connect(harness.server.port)
        await client.audio(tone(0.5))
        first = await subscription.get()
        assert isinstance(first, Segment) and first.text == "part1"
        unsubscribe()
        await client.hangup()
        await harness.end_of(client.uuid)
    assert seen == [first]
    assert "subscriber bug" in caplog.text


@pytest.fixture
async def guarded() -> AsyncIterator[Harness]:
    """A server that closes a stream after half a second without a frame, and holds two."""
    pool = FakePool()
    server = AsrServer("127.0.0.1", 0, pool, payload_timeout=0.5, idle_timeout=0.5,
                       max_streams=2)
    harness = Harness(server, pool)
    server.subscribe(harness.events.append)
    await server.start()
    yield harness
    await server.stop()
    pool.close()


async def test_a_stream_that_goes_quiet_is_closed_after_the_idle_timeout(
        guarded: Harness, caplog: pytest.LogCaptureFixture) -> None:
    client = await Client.connect(guarded.server.port)  # unannounced, then silent
    await client.audio(tone(0.5))
    assert await client.closed_by_server()
    ended = await guarded.end_of(client.uuid)
    assert (ended.reason, ended.audio_seconds, ended.finals) == ("idle", 0.5, 1)
    assert f"stream {client.uuid} (unknown:{client.uuid} unknown) dropped after 0.5 s of " \
           "audio: idle: no frame for 0.5s" in caplog.text
    await wait_for(lambda: guarded.server.active_streams == 0, "its connection let go")


async def test_connections_past_the_cap_are_closed_at_once_and_logged(
        guarded: Harness, caplog: pytest.LogCaptureFixture) -> None:
    guarded.server.idle_timeout = 30.0  # only the cap is under test here
    held = []
    for n in range(2):
        stream_uuid = uuid.uuid4()
        guarded.server.expect(stream_uuid, StreamLabel(f"call-{n}", "caller"))
        held.append(await Client.connect(guarded.server.port, stream_uuid))
        await held[-1].audio(tone(0.5))
    await wait_for(lambda: len(guarded.server.streams()) == 2, "two streams served")
    extra = await Client.connect(guarded.server.port)
    assert await extra.closed_by_server()
    assert "AudioSocket server full (2 streams)" in caplog.text
    assert guarded.server.refused == 1 and guarded.ended(extra.uuid) is None
    for client in held:  # the two it serves lose nothing
        await client.audio(tone(0.5))
        await client.hangup()
        ended = await guarded.end_of(client.uuid)
        assert (ended.reason, ended.finals) == ("hangup", 2)
    await wait_for(lambda: guarded.server.active_streams == 0, "both connections let go")
    again = await Client.connect(guarded.server.port)  # room again: served
    await again.audio(tone(0.5))
    await again.hangup()
    assert (await guarded.end_of(again.uuid)).finals == 1
