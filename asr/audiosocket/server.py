"""The AudioSocket server: one stream per connection, transcribed as it arrives."""

import asyncio
import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from functools import partial
from types import TracebackType
from uuid import UUID

from asr.audiosocket.frames import (
    Audio,
    Dtmf,
    Hangup,
    Identify,
    PeerError,
    ProtocolError,
    read_frame,
)
from asr.audiosocket.registry import Expectations
from asr.audiosocket.resample import Resampler
from asr.events import Segment, StreamEnded, StreamLabel, StreamStatus
from asr.hub import SegmentHub, Sink, Subscriber, Subscription
from asr.recognition.decoder import BYTES_PER_SECOND, CHUNK_BYTES, StreamDecoder
from asr.recognition.pool import RecognizerPool

log = logging.getLogger(__name__)

NO_MODEL = ("no ASR model installed: calls go on without transcription "
            "(install one with `hotline asr model install`)")
END = b""  # queued after the last audio of a stream
IDLE_SECONDS = 300.0  # no frame for this long: a stray or hung peer, closed
MAX_STREAMS = 200  # connections served at once; later ones are closed at once
REFUSAL_LOG_EVERY = 1.0  # seconds: a flood of refused connections is one line a second


class AsrServer:
    """Accepts AudioSocket connections and publishes what each speaker says."""

    # expect(uuid, label) before Asterisk connects names the stream; subscribe() hears every
    # partial and final segment and every stream's end; the sink stores each final segment
    # before subscribers hear of it. Without a pool (no model) connections are accepted and
    # drained, and nothing is recognised: the call must not depend on transcription.
    # Any local process can connect: a stream that sends nothing for ``idle_timeout`` is
    # closed, and past ``max_streams`` connections a new one is closed before it is read.

    def __init__(self, host: str, port: int, pool: RecognizerPool | None,
                 sink: Sink | None = None, *, queue_frames: int = 100,
                 payload_timeout: float = 5.0, expect_ttl: float = 300.0,
                 idle_timeout: float = IDLE_SECONDS, max_streams: int = MAX_STREAMS) -> None:
        self.host = host
        self.port = port
        self.pool = pool
        self.hub = SegmentHub(sink)
        self.queue_frames = queue_frames  # 100 frames of 20 ms: 2 s of audio per stream
        self.payload_timeout = payload_timeout
        self.idle_timeout = idle_timeout
        self.max_streams = max_streams
        self.refused = 0  # connections closed at once because the server was full
        self._refusals_logged = (0, float("-inf"))  # refused count and loop time at last line
        self._expected = Expectations(expect_ttl)
        self._server: asyncio.Server | None = None
        self._handlers: set[asyncio.Task[None]] = set()
        self._writers: set[asyncio.StreamWriter] = set()
        self._streams: set[_Stream] = set()  # one UUID may, wrongly, connect twice

    async def start(self) -> None:
        """Listen; ``port`` 0 picks a free port, read back from ``self.port``."""
        if self.pool is None:
            log.warning(NO_MODEL)
        self._server = await asyncio.start_server(self._connected, self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]
        log.info("AudioSocket server on %s:%d", self.host, self.port)

    async def stop(self, grace: float = 10.0) -> None:
        """Stop listening, end every stream (its last words are still published), wait."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for writer in tuple(self._writers):
            writer.close()  # the reader sees the end and finishes the stream normally
        if self._handlers:
            _, late = await asyncio.wait(tuple(self._handlers), timeout=grace)
            for task in late:
                task.cancel()

    async def __aenter__(self) -> "AsrServer":
        await self.start()
        return self

    async def __aexit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.stop()

    def expect(self, stream_uuid: UUID, label: StreamLabel) -> None:
        """Name the stream that will connect with ``stream_uuid`` (call it before originating)."""
        self._expected.expect(stream_uuid, label)

    def forget(self, stream_uuid: UUID) -> None:
        """Withdraw ``expect`` when the stream will not come after all."""
        self._expected.forget(stream_uuid)

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Every segment and stream end, to a plain or async callback; returns unsubscribe."""
        return self.hub.subscribe(subscriber)

    def subscription(self, maxsize: int = 10_000) -> AbstractAsyncContextManager[Subscription]:
        """Every segment and stream end as an async iterator, within ``async with``."""
        return self.hub.subscription(maxsize)

    @property
    def active_streams(self) -> int:
        """Connections being served now."""
        return len(self._handlers)

    def streams(self) -> list[StreamStatus]:
        """The identified streams being served: who, how much audio, how far decoding lags."""
        return [StreamStatus(s.uuid, s.label.call_id, s.label.speaker,
                             s.received / BYTES_PER_SECOND, s.queue.qsize())
                for s in tuple(self._streams)]

    async def _connected(self, reader: asyncio.StreamReader,
                         writer: asyncio.StreamWriter) -> None:
        if len(self._handlers) >= self.max_streams:
            self._refuse(writer)
            return
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        self._writers.add(writer)
        try:
            await self._serve(reader, writer)
        except Exception:
            log.exception("AudioSocket connection from %s failed",
                          writer.get_extra_info("peername"))
        finally:
            self._writers.discard(writer)
            self._handlers.discard(task)
            writer.close()

    def _refuse(self, writer: asyncio.StreamWriter) -> None:
        """Close a connection past the cap before reading a byte; log it, at most once a second."""
        writer.close()
        self.refused += 1
        logged, at = self._refusals_logged
        now = asyncio.get_running_loop().time()
        if now - at >= REFUSAL_LOG_EVERY:
            log.warning("AudioSocket server full (%d streams): connection from %s closed "
                        "(%d refused since the last report)", self.max_streams,
                        writer.get_extra_info("peername"), self.refused - logged)
            self._refusals_logged = (self.refused, now)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peer = writer.get_extra_info("peername")
        try:
            # Asterisk sends the UUID the moment it connects; anything else is not Asterisk.
            async with asyncio.timeout(self.payload_timeout):
                first = await read_frame(reader, self.payload_timeout)
        except (ProtocolError, TimeoutError, ConnectionError) as exc:
            log.warning("AudioSocket %s: no UUID (%s), connection dropped", peer, exc)
            return
        if not isinstance(first, Identify):
            log.warning("AudioSocket %s: sent %r before its UUID, connection dropped",
                        peer, first)
            return
        label = self._expected.claim(first.uuid)
        if label is None:
            label = StreamLabel.unknown(first.uuid)
            log.warning("AudioSocket stream %s was not announced: transcribed as %s",
                        first.uuid, label.call_id)
        stream = _Stream(self, label, first.uuid)
        self._streams.add(stream)
        try:
            await stream.run(reader)
        finally:
            self._streams.discard(stream)


class _Stream:
    """One connection's audio: the socket reader and the decoding task, joined by a queue."""

    def __init__(self, server: AsrServer, label: StreamLabel, stream_uuid: UUID) -> None:
        self.server = server
        self.label = label
        self.uuid = stream_uuid
        self.queue: asyncio.Queue[bytes] = asyncio.Queue(server.queue_frames)
        self.decoder: StreamDecoder | None = (
            server.pool.decoder(label) if server.pool is not None else None)
        self.received = 0  # bytes of 16 kHz audio

    async def run(self, reader: asyncio.StreamReader) -> None:
        """Read until the stream ends, then publish the last words and the end."""
        decoding = asyncio.create_task(self._decode()) if self.decoder is not None else None
        reason = await self._read(reader)
        if decoding is not None:
            await self.queue.put(END)
            await decoding
        decoder = self.decoder
        await self.server.hub.publish(StreamEnded(
            self.label.call_id, self.label.speaker, self.uuid, reason,
            self.received / BYTES_PER_SECOND, decoder.finals if decoder is not None else 0))

    async def _read(self, reader: asyncio.StreamReader) -> str:
        """Queue the stream's audio at 16 kHz; the reason it ended."""
        resampler: Resampler | None = None
        try:
            while True:
                frame = await read_frame(reader, self.server.payload_timeout,
                                         self.server.idle_timeout)
                match frame:
                    case Audio(rate, pcm):
                        if resampler is None or resampler.rate != rate:
                            resampler = Resampler(rate)
                        audio = resampler(pcm)
                        self.received += len(audio)
                        if self.decoder is not None and audio:
                            # Waits while decoding is behind: the socket stops being read
                            # and TCP holds Asterisk back, instead of memory growing.
                            await self.queue.put(audio)
                    case Hangup():
                        return "hangup"
                    case None:
                        return "closed"
                    case PeerError(code):
                        log.warning("AudioSocket stream %s (%s %s): Asterisk reports error %s",
                                    self.uuid, self.label.call_id, self.label.speaker, code)
                        return "peer-error"
                    case Dtmf(digit):
                        log.debug("AudioSocket stream %s: DTMF %s", self.uuid, digit)
                    case Identify():
                        raise ProtocolError("repeated-uuid", "a second UUID frame")
        except ProtocolError as exc:
            reason, message = exc.reason, str(exc)
        except ConnectionError as exc:
            reason, message = "connection-lost", str(exc) or type(exc).__name__
        log.warning("AudioSocket stream %s (%s %s) dropped after %.1f s of audio: %s: %s",
                    self.uuid, self.label.call_id, self.label.speaker,
                    self.received / BYTES_PER_SECOND, reason, message)
        return reason

    async def _decode(self) -> None:
        """Feed the recognizer what the reader queued, in batches; publish as it comes."""
        decoder = self.decoder
        assert decoder is not None and self.server.pool is not None
        pool, hub, broken = self.server.pool, self.server.hub, False
        held: list[bytes] = []  # audio short of a whole chunk, kept off the threads
        while True:
            held.append(await self.queue.get())
            # Everything already waiting goes in one call: fewer hops to the threads.
            while held[-1] is not END and not self.queue.empty():
                held.append(self.queue.get_nowait())
            ended = held[-1] is END
            if not ended and decoder.pending_bytes + sum(map(len, held)) < CHUNK_BYTES:
                continue  # a 20 ms frame alone would cost a thread hop and decode nothing
            pcm = b"".join(held)
            held.clear()
            if not broken:
                try:
                    segments = await pool.run(partial(_decode_step, decoder, pcm, ended))
                except Exception:
                    # Keep draining the queue so the reader never blocks on a dead decoder.
                    log.exception("decoding stream %s (%s %s) failed; the rest is not "
                                  "transcribed", self.uuid, self.label.call_id,
                                  self.label.speaker)
                    broken, segments = True, []
                for segment in segments:
                    await hub.publish(segment)
            if ended:
                return


def _decode_step(decoder: StreamDecoder, pcm: bytes, ended: bool) -> list[Segment]:
    """On a decoding thread: the new audio, and the last words when the stream is over."""
    segments = decoder.feed(pcm)
    return segments + decoder.finish() if ended else segments
