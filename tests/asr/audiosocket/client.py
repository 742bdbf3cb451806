"""An AudioSocket client sending frames as Asterisk 22 does, over real TCP."""

import asyncio
import contextlib
import math
import struct
import uuid

from asr.audiosocket.frames import Audio, Frame, Hangup, Identify, encode


def tone(seconds: float, rate: int = 16000, hz: float = 440.0) -> bytes:
    """A sine tone as signed 16-bit mono."""
    count = int(seconds * rate)
    return struct.pack(f"<{count}h", *(int(8000 * math.sin(2 * math.pi * hz * i / rate))
                                       for i in range(count)))


class Client:
    """One stream: identify, send audio in 20 ms frames, hang up or misbehave."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                 stream_uuid: uuid.UUID) -> None:
        self.reader = reader
        self.writer = writer
        self.uuid = stream_uuid

    @classmethod
    async def connect(cls, port: int, stream_uuid: uuid.UUID | None = None,
                      identify: bool = True) -> "Client":
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        client = cls(reader, writer, stream_uuid or uuid.uuid4())
        if identify:
            await client.send(Identify(client.uuid))
        return client

    async def send(self, *frames: Frame) -> None:
        await self.raw(b"".join(encode(frame) for frame in frames))

    async def raw(self, data: bytes) -> None:
        self.writer.write(data)
        await self.writer.drain()

    async def audio(self, pcm: bytes, rate: int = 16000, frame_ms: int = 20) -> None:
        """``pcm`` in frames of ``frame_ms``, as fast as the server takes them."""
        size = rate * frame_ms // 1000 * 2
        for offset in range(0, len(pcm), size):
            await self.send(Audio(rate, pcm[offset:offset + size]))

    async def hangup(self) -> None:
        await self.send(Hangup())
        await self.close()

    async def close(self) -> None:
        self.writer.close()
        with contextlib.suppress(ConnectionError):
            await self.writer.wait_closed()

    def abort(self) -> None:
        """Vanish: a reset, no goodbye."""
        self.writer.transport.abort()

    async def closed_by_server(self) -> bool:
        """True once the server has closed its end."""
        try:
            return await self.reader.read(1) == b""
        except ConnectionError:
            return True
