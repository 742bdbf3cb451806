# ruff: noqa: F811  (fixtures imported from the asr and telephony test packages)
"""Through the real Asterisk with the real Vosk model: the caller's words become a draft on a
WebSocket client, and the pipeline's transcript is what the same PCM decodes to offline."""

import asyncio
import json
import subprocess
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
import uvicorn
import websockets
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from asr.events import Segment, StreamLabel
from asr.recognition import RecognizerPool
from asr.recognition.decoder import StreamDecoder
from asr.recognition.offline import decode_pcm
from asr.store import TranscriptStore
from hotline.bus import EventBus
from hotline.ivr import ivr_running
from hotline.settings import Settings
from hotline.telephony import to_the_bus
from hotline.transcription import Transcription, transcription_running
from telephony.ami.link import AmiLink
from telephony.calls.machine import CallState
from telephony.controller.service import CallController
from telephony.deps import TelephonyRuntime
from telephony.simulator.service import CallSpec, install_audio, place_call
from tests.asr.conftest import pool, vosk_model_dir  # noqa: F401  (fixtures)
from tests.hotline.feeds import feed_app
from tests.telephony.conftest import (  # noqa: F401  (fixtures)
    Running,
    asterisk_root,
    followed,
    free_port,
    now,
    pbx,
    sessions,
)
from tests.waiting import wait_for
from tickets.drafting.live import LiveDrafting

AGENT = "Local/8001@sim-agent/n"
KOREAN = "안녕하세요 저는 서울에 살고 있습니다 오늘 날씨가 정말 좋네요"


class TappedPool(RecognizerPool):
    """The shared pool, keeping a copy of the PCM each stream's decoder was fed."""

    def __init__(self, inner: RecognizerPool) -> None:
        super().__init__(inner.model, inner.threads, inner.model_path)
        self.fed: dict[StreamLabel, bytearray] = {}

    def decoder(self, label: StreamLabel, partials: bool = True) -> StreamDecoder:
        decoder = super().decoder(label, partials)
        fed = self.fed.setdefault(label, bytearray())
        feed = decoder.feed

        def tapped(pcm: bytes) -> list[Segment]:
            fed.extend(pcm)
            return feed(pcm)

        decoder.feed = tapped  # type: ignore[method-assign]
        return decoder


@pytest.fixture
async def line(pbx: Running, sessions: async_sessionmaker[AsyncSession]
               ) -> AsyncIterator[tuple[CallController, AmiLink]]:
    async with followed(pbx, sessions, AGENT) as followed_line:
        yield followed_line


@pytest.fixture
async def running(line: tuple[CallController, AmiLink], pool: RecognizerPool,
                  sessions: async_sessionmaker[AsyncSession], tmp_path: Path,
                  ) -> AsyncIterator[tuple[Transcription, TappedPool, str]]:
    """Transcription wired as the app wires it, and an API serving the events WebSocket."""
    controller, link = line
    telephony = TelephonyRuntime(sessionmaker=sessions, controller=controller, link=link)
    settings = Settings(data_dir=tmp_path, audiosocket_port=0)
    tapped = TappedPool(pool)
    bus = EventBus()
    forwarding = asyncio.create_task(to_the_bus(controller, bus))
    app, token = await feed_app(telephony, bus, sessions)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=2))
    serving = asyncio.create_task(server.serve())
    await wait_for(lambda: server.started, "API up")
    drafting = LiveDrafting(sessions, now)
    async with transcription_running(settings, sessions, telephony, drafting, bus,
                                     tapped) as transcription:
        yield transcription, tapped, f"ws://127.0.0.1:{port}/telephony/events?token={token}"
    forwarding.cancel()
    server.should_exit = True
    await serving


def korean_sound(pbx: Running, where: Path) -> str:
    wav = where / "ko.wav"
    subprocess.run(["espeak-ng", "-v", "ko", "-w", str(wav), KOREAN], check=True)
    return str(install_audio(wav, pbx.instance.run_dir / "sounds", pbx.instance.inside / "sounds"))


async def drafts(url: str, until: Callable[[dict[str, Any]], bool],
                 subscribed: asyncio.Event | None = None) -> list[dict[str, Any]]:
    """The events a WebSocket client receives, up to the one ``until`` accepts.

    ``subscribed`` is set once the snapshot frame came: from then on nothing is missed.
    """
    seen = []
    async with websockets.connect(url) as client:
        async with asyncio.timeout(60):
            while True:
                event = json.loads(await client.recv())
                seen.append(event)
                if subscribed is not None and event.get("kind") == "snapshot":
                    subscribed.set()
                if until(event):
                    return seen


async def test_the_callers_words_reach_a_websocket_client_as_a_final_draft(
    pbx: Running, line: tuple[CallController, AmiLink],
    running: tuple[Transcription, TappedPool, str], sessions: async_sessionmaker[AsyncSession],
    tmp_path: Path,
) -> None:
    controller, link = line
    transcription, tapped, url = running
    sound = korean_sound(pbx, tmp_path)
    subscribed = asyncio.Event()
    client = asyncio.create_task(drafts(url, lambda e: e.get("kind") == "draft"
                                        and e.get("state") == "final", subscribed))
    await wait_for(subscribed.is_set, "the client has the snapshot: it hears the whole call")
    result = await place_call(link, CallSpec(
        to="12345", caller="13800138200", steps=("wait:2", f"play:{sound}", "wait:2", "hangup")),
        key="e2e-1")
    events = await client
    final = events[-1]
    linkedid = final["key"]
    assert linkedid == result.uniqueid  # an originated call's linkedid is its first channel
    caller_label = StreamLabel(linkedid, "caller")
    # The pipeline's transcript equals decoding the same PCM offline with the same model.
    offline = [s.text for s in decode_pcm(tapped, bytes(tapped.fed[caller_label])) if s.text]
    stored = [s.text for s in await TranscriptStore(sessions).transcript(linkedid)
              if s.speaker == "caller"]
    assert stored == offline and offline, (stored, offline)
    [turn] = final["data"]["transcript"]
    assert (turn["speaker"], turn["text"]) == ("caller", " ".join(offline))
    assert turn["readable"]  # what the screen shows: the drafting's reading of the same words
    assert set(final["data"]["draft"]) == {
        "request_type", "category", "urgency", "emergency", "enterprise", "confidential",
        "phone", "address", "not_accepted", "summary", "confidence", "phone_source"}
    assert transcription.starter is not None
    assert not [c for c in controller.line.calls.values() if c.state is CallState.CONNECTED]


async def test_stopping_the_asr_server_mid_call_leaves_the_call_up(
    line: tuple[CallController, AmiLink],
    running: tuple[Transcription, TappedPool, str],
) -> None:
    controller, link = line
    transcription, _, _ = running
    result = await place_call(link, CallSpec(to="12345", caller="13800138201", hold=60),
                              key="e2e-2")
    linkedid = result.uniqueid
    await wait_for(lambda: transcription.server.active_streams == 2, "both speakers streamed")
    legs = len(controller.line.calls[linkedid].legs)
    await transcription.server.stop(grace=5)
    await wait_for(lambda: len(controller.line.calls[linkedid].legs) < legs,
                   "the spies hung up")
    assert controller.line.calls[linkedid].state is CallState.CONNECTED
    await link.send_action({"Action": "Hangup", "Channel": result.channel_name})
    await wait_for(lambda: linkedid not in controller.line.calls, "the caller hung up")


class NoSurveys:
    """The IVR's survey port, unused here."""

    async def script(self, attempt_id: str) -> None:
        return None

    async def answered(self, answer: object) -> None:
        raise AssertionError("no survey in this test")

    async def abandoned(self, attempt_id: str, reason: str) -> None:
        return None


async def test_a_caller_describing_the_request_in_the_ivr_is_transcribed_before_any_agent(
    pbx: Running, line: tuple[CallController, AmiLink],
    running: tuple[Transcription, TappedPool, str], sessions: async_sessionmaker[AsyncSession],
    tmp_path: Path,
) -> None:
    controller, link = line
    transcription, _, _ = running
    sound = korean_sound(pbx, tmp_path)
    await link.send_action({"Action": "QueuePause", "Interface": AGENT, "Paused": "true",
                            "Reason": "test"})  # nobody answers: the words come from the IVR
    try:
        async with ivr_running(pbx.settings, sessions, now, NoSurveys()):  # type: ignore[arg-type]
            result = await place_call(link, CallSpec(
                to="12345", caller="13800138202",
                # Silence that is heard, not a Wait (no frames): Vosk ends the utterance on it.
                steps=("wait:2", "dtmf:1", "wait:2", f"play:{sound}", "play:silence/5",
                       "play:silence/5", "hangup")),
                key="e2e-ivr")
            linkedid = result.uniqueid
            said = asyncio.Event()
            transcription.server.subscribe(
                lambda e: said.set() if isinstance(e, Segment) and e.final and e.text
                and (e.call_id, e.speaker) == (linkedid, "caller") else None)
            async with asyncio.timeout(60):
                await said.wait()
            call = controller.line.calls[linkedid]
            # Heard while describing (or waiting in the queue after): no agent ever had it.
            assert call.state in (CallState.IN_IVR, CallState.QUEUED) and call.agent is None
            stored = await TranscriptStore(sessions).transcript(linkedid)
            assert [s.speaker for s in stored] == ["caller"]
    finally:
        await link.send_action({"Action": "QueuePause", "Interface": AGENT, "Paused": "false"})
