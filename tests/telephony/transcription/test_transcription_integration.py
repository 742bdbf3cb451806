"""Through the real Asterisk: an answered call streams each speaker to an AudioSocket peer.

The peer here is a plain TCP listener that reads AudioSocket frames (kind, length, payload):
enough to show what Asterisk sends. The whole pipeline with Vosk is tested in tests/hotline.
"""

import asyncio
import contextlib
import struct
import subprocess
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from telephony.ami.errors import AmiActionFailed
from telephony.ami.events import CoreShowChannel
from telephony.ami.link import AmiLink
from telephony.calls.machine import CallState
from telephony.controller.service import CallController
from telephony.simulator.service import CallSpec, place_call, say
from telephony.transcription.service import TranscriptionStarter
from tests.telephony.conftest import Running, followed
from tests.waiting import wait_for

AGENT = "Local/8001@sim-agent/n"
SLIN16 = 0x12


@dataclass
class Stream:
    """What one AudioSocket connection carried."""

    stream_id: uuid.UUID | None = None
    kinds: set[int] = field(default_factory=set)
    audio: bytearray = field(default_factory=bytearray)
    closed: bool = False


@dataclass
class Peer:
    """A minimal AudioSocket server and the registry the starter tells about streams."""

    expected: dict[uuid.UUID, tuple[str, str]] = field(default_factory=dict)
    streams: list[Stream] = field(default_factory=list)
    server: asyncio.Server | None = None
    writers: list[asyncio.StreamWriter] = field(default_factory=list)

    def kill(self) -> None:
        """The ASR server dies: no more connections, the open ones cut."""
        if self.server is not None:
            self.server.close()
        for writer in self.writers:
            writer.transport.abort()

    def expect(self, stream_id: uuid.UUID, call_id: str, speaker: str) -> None:
        self.expected[stream_id] = (call_id, speaker)

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        stream = Stream()
        self.streams.append(stream)
        self.writers.append(writer)
        with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError,
                                 asyncio.CancelledError):
            while True:
                kind, length = struct.unpack("!BH", await reader.readexactly(3))
                payload = await reader.readexactly(length)
                stream.kinds.add(kind)
                if kind == 0x01:
                    stream.stream_id = uuid.UUID(bytes=payload)
                elif kind == SLIN16:
                    stream.audio += payload
                elif kind == 0x00:
                    break
        stream.closed = True
        writer.close()

    def by_speaker(self, speaker: str) -> Stream:
        return next(s for s in self.streams
                    if s.stream_id and self.expected.get(s.stream_id, ("", ""))[1] == speaker)


@pytest.fixture
async def peer() -> AsyncIterator[tuple[Peer, str]]:
    peer = Peer()
    peer.server = await asyncio.start_server(peer.serve, "127.0.0.1", 0)
    port = peer.server.sockets[0].getsockname()[1]
    yield peer, f"127.0.0.1:{port}"
    peer.server.close()


@pytest.fixture
async def line(pbx: Running, sessions: async_sessionmaker[AsyncSession]
               ) -> AsyncIterator[tuple[CallController, AmiLink]]:
    async with followed(pbx, sessions, AGENT) as followed_line:
        yield followed_line


def loudest(audio: bytearray) -> int:
    samples = bytes(audio[: len(audio) // 2 * 2])
    return max((abs(v) for (v,) in struct.iter_unpack("<h", samples)), default=0)


def need_espeak() -> None:
    if subprocess.run(["which", "espeak-ng"], capture_output=True).returncode != 0:
        pytest.fail("espeak-ng is missing: run scripts/install-system-packages")


async def connected_call(pbx: Running, controller: CallController, link: AmiLink, key: str,
                         *steps: str) -> str:
    await place_call(link, CallSpec(to="12345", caller="13800138123", steps=steps, hold=30),
                     key=key)

    def connected() -> list[str]:
        return [c.linkedid for c in controller.line.calls.values()
                if c.state is CallState.CONNECTED and c.agent == AGENT]

    await wait_for(connected, "call answered by the agent")
    return connected()[0]


async def test_an_answered_call_streams_caller_and_agent_apart_at_16_khz(
    pbx: Running, line: tuple[CallController, AmiLink], peer: tuple[Peer, str],
    tmp_path: Path,
) -> None:
    controller, link = line
    server, address = peer
    need_espeak()
    sound = await asyncio.to_thread(say, "你好 我要 反映 路灯 不亮",
                                    pbx.instance.run_dir / "sounds", pbx.instance.inside / "sounds")
    starter = TranscriptionStarter(link, controller, server, address)
    runner = asyncio.create_task(starter.run())
    try:
        linkedid = await connected_call(pbx, controller, link, "tr-1", "wait:2",
                                        f"play:{sound}")
        await wait_for(lambda: len(server.streams) == 2 and all(s.stream_id for s in
                                                                server.streams),
                       "two streams identified")
        assert sorted(v for v in server.expected.values()) == [
            (linkedid, "agent"), (linkedid, "caller")]
        caller, agent = server.by_speaker("caller"), server.by_speaker("agent")
        await wait_for(lambda: loudest(caller.audio) > 1000, "the caller's voice", within=15)
        assert caller.kinds >= {0x01, SLIN16}
        # The simulated agent says nothing: its stream carries none of the caller's voice.
        assert len(agent.audio) > 16000 and loudest(agent.audio) < 100
        # The spies belong to the call: no other call appeared in the picture.
        call = controller.line.calls[linkedid]
        assert [c for c in controller.line.calls if c != linkedid] == []
        assert len(call.legs) >= 6  # caller's two, agent's two, two AudioSocket spies
    finally:
        runner.cancel()
        await starter.close()
        await hang_up_all(link)


async def hang_up_all(link: AmiLink) -> None:
    listing = await link.send_action({"Action": "CoreShowChannels"})
    for event in listing.events:
        if isinstance(event, CoreShowChannel):
            with contextlib.suppress(AmiActionFailed):
                await link.send_action({"Action": "Hangup", "Channel": event.channel.name})


async def test_the_call_goes_on_when_the_asr_server_dies_or_is_down(
    pbx: Running, line: tuple[CallController, AmiLink], peer: tuple[Peer, str],
) -> None:
    controller, link = line
    server, address = peer
    starter = TranscriptionStarter(link, controller, server, address)
    runner = asyncio.create_task(starter.run())
    try:
        linkedid = await connected_call(pbx, controller, link, "tr-2")
        await wait_for(lambda: len(server.streams) == 2, "two streams")
        server.kill()  # the spies hang up; caller and agent talk on
        await wait_for(lambda: len(controller.line.calls[linkedid].legs) == 4,
                       "the spies gone", within=15)
        assert controller.line.calls[linkedid].state is CallState.CONNECTED
        await hang_up_all(link)
        await wait_for(lambda: not controller.line.calls, "the first call over")
        # A call answered while the server is down: no stream, the call is connected all the same.
        second = await connected_call(pbx, controller, link, "tr-3")
        await wait_for(lambda: not starter._tasks, "the failed originates settled", within=15)
        assert controller.line.calls[second].state is CallState.CONNECTED
        assert len(server.streams) == 2
    finally:
        runner.cancel()
        await starter.close()
        await hang_up_all(link)
