"""Speech through the AudioSocket server into storage, as a call's streams would arrive."""

import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker

from asr.audiosocket import AsrServer
from asr.events import AsrEvent, Segment, StreamEnded, StreamLabel
from asr.recognition import RecognizerPool, decode_pcm
from asr.store import TranscriptStore
from hotline.db import create_schema, make_engine
from tests.asr.audiosocket.client import Client
from tests.asr.conftest import Speech, silence, speak
from tests.waiting import wait_for

CALL = "1700000000.7"


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[TranscriptStore]:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'asr.db'}")
    await create_schema(engine)
    yield TranscriptStore(async_sessionmaker(engine, expire_on_commit=False))
    await engine.dispose()


def relabel(segments: list[Segment], label: StreamLabel) -> list[Segment]:
    return [replace(s, call_id=label.call_id, speaker=label.speaker) for s in segments]


async def test_live_transcripts_equal_offline_decoding_and_are_stored_as_they_come(
        pool: RecognizerPool, speech: Speech, store: TranscriptStore,
        offline: list[Segment]) -> None:
    agent_audio = speech.second + silence(0.3)
    labels = {"caller": StreamLabel(CALL, "caller"), "agent": StreamLabel(CALL, "agent")}
    expected = {"caller": relabel(offline, labels["caller"]),
                "agent": relabel(decode_pcm(pool, agent_audio), labels["agent"])}
    assert len(expected["caller"]) == 2

    events: list[AsrEvent] = []
    async with AsrServer("127.0.0.1", 0, pool, store.write) as server:
        server.subscribe(events.append)
        clients = {}
        for speaker, label in labels.items():
            stream_uuid = uuid.uuid4()
            server.expect(stream_uuid, label)
            clients[speaker] = await Client.connect(server.port, stream_uuid)
        await clients["agent"].audio(agent_audio)
        await clients["caller"].audio(speech.first + silence(1.5))

        def caller_finals() -> list[Segment]:
            return [e for e in events if isinstance(e, Segment) and e.final
                    and e.speaker == "caller"]

        # The sink runs before subscribers hear: a final seen here is already stored.
        await wait_for(caller_finals, "the caller's first final segment", within=60)
        stored = await store.transcript(CALL)
        assert [(s.speaker, s.seq, s.text) for s in stored if s.speaker == "caller"] == [
            ("caller", 1, expected["caller"][0].text)]
        assert any(s.call_id == CALL and s.speaker == "caller" for s in server.streams())

        await clients["caller"].audio(speech.second + silence(0.3))
        for client in clients.values():
            await client.hangup()
        await wait_for(lambda: sum(isinstance(e, StreamEnded) for e in events) == 2,
                       "both streams to end", within=60)

    for speaker in labels:
        finals = [e for e in events if isinstance(e, Segment) and e.final
                  and e.speaker == speaker]
        assert finals == expected[speaker]
    partials = [e for e in events if isinstance(e, Segment) and not e.final]
    assert partials and all(p.text for p in partials)
    stored = await store.transcript(CALL)
    assert sorted((s.speaker, s.seq, s.text, s.start, s.end) for s in stored) == sorted(
        (seg.speaker, n, seg.text, seg.start, seg.end)
        for speaker in labels for n, seg in enumerate(expected[speaker], 1))


async def test_8khz_audio_from_the_dialplan_application_is_recognised(
        pool: RecognizerPool, tmp_path: Path) -> None:
    narrow = speak("안녕하세요 저는 서울에 살고 있습니다", tmp_path / "narrow", rate=8000)
    events: list[AsrEvent] = []
    async with AsrServer("127.0.0.1", 0, pool) as server:
        server.subscribe(events.append)
        client = await Client.connect(server.port)
        await client.audio(narrow + silence(0.3, 8000), rate=8000)
        await client.hangup()
        await wait_for(lambda: any(isinstance(e, StreamEnded) for e in events), "the end",
                       within=60)
    finals = [e for e in events if isinstance(e, Segment) and e.final]
    assert finals and all(s.text for s in finals)
