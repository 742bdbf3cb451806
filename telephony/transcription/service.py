"""Starts one AudioSocket stream per speaker: the caller when the IVR asks them to describe the
request or an agent answers, the agent when it answers.

DESIGN §3's recipe: AMI Originate of ``AudioSocket/HOST:PORT/UUID/c(slin16)`` running
``ChanSpy(<channel>,qoE)`` streams what that channel receives from its speaker at 16 kHz
(``o``: that direction only, ``q``: no beep, ``E``: end with the spied channel). The caller's
voice is what the caller's channel reads; the agent's, what the agent's channel reads.

The ASR server is told beforehand which call and speaker each stream UUID is. If it is
down the Originate fails: logged, and the call goes on without transcription.
"""

import asyncio
import contextlib
import logging
import uuid
from typing import Protocol

from telephony.ami.errors import AmiNotConnected, OriginateFailed, OriginateOutcomeUnknown
from telephony.ami.link import AmiLink
from telephony.ami.originate import OriginateRequest, party_channel_id
from telephony.calls.machine import CallState
from telephony.controller.parties import PARTY_VARIABLE
from telephony.controller.service import CallController
from telephony.events import CallChanged, TelephonyEvent

log = logging.getLogger(__name__)

SPEAKERS = ("caller", "agent")


class StreamRegistry(Protocol):
    """The ASR side: which call and speaker a stream UUID will carry."""

    def expect(self, stream_id: uuid.UUID, call_id: str, speaker: str) -> None: ...


class TranscriptionStarter:
    """Follows the controller; spies each new speaker's channel into the ASR server once."""

    def __init__(self, link: AmiLink, controller: CallController, registry: StreamRegistry,
                 address: str, *, ring_timeout: float = 5.0) -> None:
        self.link = link
        self.controller = controller
        self.registry = registry
        self.address = address  # host:port of the AudioSocket server
        self.ring_timeout = ring_timeout
        self.started: dict[str, set[str]] = {}  # linkedid -> channels already streamed
        self._tasks: set[asyncio.Task[None]] = set()

    async def run(self) -> None:
        """Start streams as calls connect, until cancelled."""
        changes = self.controller.listen()
        try:
            while True:
                self.on_change(await changes.get())
        finally:
            self.controller.unlisten(changes)
            for task in tuple(self._tasks):
                task.cancel()

    def on_change(self, change: TelephonyEvent) -> None:
        """A live call gets a stream per speaker it has a voice channel for and no stream yet.

        The caller's voice is known once the IVR asks them to describe the request, or when
        an agent answers; the agent's when the agent answers.
        """
        if not isinstance(change, CallChanged):
            return
        call = change.call
        if call.state is CallState.ENDED:
            self.started.pop(call.linkedid, None)
            return
        done = self.started.setdefault(call.linkedid, set())
        for speaker in SPEAKERS:
            channel = call.voices.get(speaker)
            if channel and channel not in done:
                done.add(channel)
                task = asyncio.create_task(self.stream(call.linkedid, speaker, channel))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)

    async def stream(self, linkedid: str, speaker: str, channel: str) -> None:
        """Originate the spy that streams ``channel``'s incoming audio as ``speaker``."""
        stream_id = uuid.uuid4()
        self.registry.expect(stream_id, linkedid, speaker)
        key = f"asr-{stream_id.hex}"
        request = OriginateRequest(
            channel=f"AudioSocket/{self.address}/{stream_id}/c(slin16)",
            application="ChanSpy", data=f"{channel},qoE", ring_timeout=self.ring_timeout,
            variables={PARTY_VARIABLE: linkedid}, channel_id=party_channel_id(key))
        self.controller.expect_party(request.channel_id, linkedid)
        try:
            await self.link.originate(key, request)
        except (OriginateFailed, OriginateOutcomeUnknown, AmiNotConnected) as failed:
            log.warning("call %s: no %s transcription (%s); the call goes on",
                        linkedid, speaker, failed)
            return
        log.info("call %s: %s stream %s on %s", linkedid, speaker, stream_id, channel)

    async def close(self) -> None:
        """Wait for originates in flight (tests and shutdown)."""
        for task in tuple(self._tasks):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
