"""Wiring of live transcription: the AudioSocket server, the streams, the live drafts."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from asr.audiosocket.server import AsrServer
from asr.catalog import active_model
from asr.events import AsrEvent, Segment, StreamEnded, StreamLabel
from asr.recognition.pool import RecognizerPool, load_or_none
from asr.store import TranscriptStore
from hotline.bus import EventBus, PlatformEvent, follow
from hotline.settings import Settings
from telephony.calls.machine import CallState
from telephony.calls.models import CallRecord
from telephony.deps import TelephonyRuntime
from telephony.events import CallChanged
from telephony.transcription.service import TranscriptionStarter
from tickets.drafting.events import Spoken, VoiceEnded
from tickets.drafting.live import Drafting, LiveDrafts
from tickets.drafting.service import warm_up
from tickets.drafting.turns import Alternative, RecognisedWord

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Registry:
    """The controller's side of the ASR server: which call and speaker a stream will be."""

    server: AsrServer

    def expect(self, stream_id: UUID, call_id: str, speaker: str) -> None:
        self.server.expect(stream_id, StreamLabel(call_id, speaker))


@dataclass(frozen=True)
class Transcription:
    """What runs while transcription is on."""

    server: AsrServer
    live: LiveDrafts
    starter: TranscriptionStarter | None


async def load_pool(settings: Settings) -> RecognizerPool | None:
    """The recognizer pool on the active model; None (and a clear log line) without one."""
    path = active_model(settings.asr_model_path, settings.data_dir)
    # Loading a model takes seconds: off the event loop. A broken model is logged, not fatal.
    pool = await asyncio.to_thread(load_or_none, path, settings.asr_threads,
                                   settings.asr_alternatives)
    if pool is not None:
        log.info("ASR model %s loaded, %d decoding threads", path, pool.threads)
    return pool


@asynccontextmanager
async def transcription_running(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession],
    telephony: TelephonyRuntime, drafting: Drafting, bus: EventBus,
    pool: RecognizerPool | None = None,
) -> AsyncIterator[Transcription]:
    """Serve AudioSocket, start a stream per speaker of answered calls, draft as they talk."""
    pool = pool or await load_pool(settings)
    await asyncio.to_thread(warm_up)  # the first call's draft as fast as the rest
    store = TranscriptStore(sessionmaker)
    server = AsrServer(settings.audiosocket_host, settings.audiosocket_port, pool,
                       sink=store.write, idle_timeout=settings.audiosocket_idle_seconds,
                       max_streams=settings.audiosocket_max_streams)
    await server.start()
    controller, link = telephony.controller, telephony.link
    live = LiveDrafts(drafting, bus.publish)
    unsubscribe = server.subscribe(Heard(live))
    callers = asyncio.create_task(follow(bus, CallerIds(live), CallChanged, what="caller IDs"))
    starter = runner = None
    if controller is not None and link is not None and pool is not None:
        starter = TranscriptionStarter(link, controller, Registry(server),
                                       f"{settings.audiosocket_host}:{server.port}")
        runner = asyncio.create_task(starter.run())
    try:
        yield Transcription(server, live, starter)
    finally:
        callers.cancel()
        if runner is not None and starter is not None:
            runner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await runner
            await starter.close()
        unsubscribe()
        await server.stop()
        if pool is not None:
            await asyncio.to_thread(pool.close)



@dataclass(frozen=True)
class CallerIds:
    """Each call's caller number, for its draft's default callback number."""

    live: LiveDrafts

    async def __call__(self, event: PlatformEvent) -> None:
        if not isinstance(event, CallChanged):
            return
        if event.call.state is CallState.ENDED:
            self.live.call_ended(event.call.linkedid)
        else:
            self.live.knows_caller(event.call.linkedid, event.call.caller_number)


@dataclass(frozen=True)
class Heard:
    """The recogniser's segments and stream ends, as the live drafting hears them."""

    live: LiveDrafts

    async def __call__(self, event: AsrEvent) -> None:
        if isinstance(event, Segment):
            await self.live.heard(Spoken(
                event.call_id, event.speaker, event.text, event.start, event.end, event.final,
                tuple(RecognisedWord(w.word, w.conf, w.start, w.end) for w in event.words),
                tuple(Alternative(a.text, a.confidence) for a in event.alternatives)))
        elif isinstance(event, StreamEnded):
            await self.live.heard(VoiceEnded(event.call_id, event.speaker))


class CallTranscripts:
    """A call's stored transcript and its caller ID, as the drafting's router reads them."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession],
                 telephony: Callable[[], TelephonyRuntime | None]) -> None:
        self.store = TranscriptStore(sessionmaker)
        self.sessionmaker = sessionmaker
        self.telephony = telephony

    async def said(self, call_id: str) -> list[tuple[str, str]]:
        return [(s.speaker, s.text) for s in await self.store.transcript(call_id)]

    async def caller_of(self, call_id: str) -> str | None:
        """The live call's caller number, else the stored call record's."""
        runtime = self.telephony()
        controller = runtime.controller if runtime is not None else None
        live = controller.line.calls.get(call_id) if controller is not None else None
        if live is not None:
            return live.caller_number or None
        async with self.sessionmaker() as session:
            number = await session.scalar(
                select(CallRecord.caller_number).where(CallRecord.linkedid == call_id))
        return number or None
