"""The AudioSocket wire format as Asterisk 22 speaks it: kind, big-endian length, payload."""

import asyncio
import struct
from dataclasses import dataclass
from enum import IntEnum
from uuid import UUID

HEADER = struct.Struct(">BH")


class Kind(IntEnum):
    """Frame kinds of ``res_audiosocket`` (Asterisk 22)."""

    HANGUP = 0x00
    UUID = 0x01
    DTMF = 0x03
    SLIN = 0x10  # 8 kHz, what the dialplan application AudioSocket() sends
    SLIN12 = 0x11
    SLIN16 = 0x12  # what the AudioSocket channel sends with c(slin16)
    SLIN24 = 0x13
    SLIN32 = 0x14
    SLIN44 = 0x15
    SLIN48 = 0x16
    SLIN96 = 0x17
    SLIN192 = 0x18
    ERROR = 0xFF


RATES: dict[Kind, int] = {
    Kind.SLIN: 8000, Kind.SLIN12: 12000, Kind.SLIN16: 16000, Kind.SLIN24: 24000,
    Kind.SLIN32: 32000, Kind.SLIN44: 44100, Kind.SLIN48: 48000, Kind.SLIN96: 96000,
    Kind.SLIN192: 192000,
}
KIND_OF_RATE = {rate: kind for kind, rate in RATES.items()}
KNOWN_KINDS = frozenset(int(kind) for kind in Kind)


@dataclass(frozen=True, slots=True)
class Hangup:
    """The peer ends the stream."""


@dataclass(frozen=True, slots=True)
class Identify:
    """The stream's UUID, sent first."""

    uuid: UUID


@dataclass(frozen=True, slots=True)
class Dtmf:
    """A keypad digit the channel received."""

    digit: str


@dataclass(frozen=True, slots=True)
class Audio:
    """Signed 16-bit little-endian mono samples at ``rate`` Hz."""

    rate: int
    pcm: bytes


@dataclass(frozen=True, slots=True)
class PeerError:
    """Asterisk reports an error; ``code`` as it sent it (1 hangup, 2 forwarding, 4 memory)."""

    code: int | None


Frame = Hangup | Identify | Dtmf | Audio | PeerError


class ProtocolError(Exception):
    """The peer broke the protocol; ``reason`` is a kebab-case word for logs and events."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def parse(kind: int, payload: bytes) -> Frame:
    """One frame from its kind and complete payload."""
    if kind not in KNOWN_KINDS:
        raise ProtocolError("unknown-kind", f"unknown frame kind 0x{kind:02x}")
    known = Kind(kind)
    if known is Kind.HANGUP:
        return Hangup()
    if known is Kind.UUID:
        if len(payload) != 16:
            raise ProtocolError("bad-length", f"UUID frame of {len(payload)} bytes, not 16")
        return Identify(UUID(bytes=payload))
    if known is Kind.DTMF:
        if len(payload) != 1 or not payload.isascii():
            raise ProtocolError("bad-length", f"DTMF frame payload {payload!r}")
        return Dtmf(payload.decode("ascii"))
    if known is Kind.ERROR:
        return PeerError(payload[0] if payload else None)
    if not payload:
        raise ProtocolError("empty-audio", "audio frame without samples")
    if len(payload) % 2:
        raise ProtocolError("bad-length", f"audio frame of {len(payload)} bytes: half a sample")
    return Audio(RATES[known], payload)


async def read_frame(reader: asyncio.StreamReader, payload_timeout: float,
                     idle_timeout: float | None = None) -> Frame | None:
    """The next frame, or None at a clean end of stream between frames."""
    # A quiet channel sends nothing for a while, so a frame may take up to ``idle_timeout``
    # to begin (None: forever); one begun must be complete within ``payload_timeout``:
    # Asterisk writes each frame whole.
    try:
        async with asyncio.timeout(idle_timeout):
            first = await reader.read(1)
    except TimeoutError as exc:
        raise ProtocolError("idle", f"no frame for {idle_timeout:g}s") from exc
    if not first:
        return None
    try:
        async with asyncio.timeout(payload_timeout):
            rest = await reader.readexactly(HEADER.size - 1)
            kind, length = HEADER.unpack(first + rest)
            if kind not in KNOWN_KINDS:
                # Its length cannot be trusted to skip it: the stream has lost its framing.
                raise ProtocolError("unknown-kind", f"unknown frame kind 0x{kind:02x}")
            payload = await reader.readexactly(length) if length else b""
    except asyncio.IncompleteReadError as exc:
        raise ProtocolError("truncated-frame",
                            f"connection ended {len(exc.partial)} bytes into a frame part "
                            f"of {exc.expected}") from exc
    except TimeoutError as exc:
        raise ProtocolError("stalled-frame",
                            f"frame not complete within {payload_timeout:g}s: its length "
                            "runs past the payload sent") from exc
    return parse(kind, payload)


def encode(frame: Frame) -> bytes:
    """The bytes of one frame, as Asterisk would send it."""
    match frame:
        case Hangup():
            kind, payload = Kind.HANGUP, b""
        case Identify(uuid):
            kind, payload = Kind.UUID, uuid.bytes
        case Dtmf(digit):
            kind, payload = Kind.DTMF, digit.encode("ascii")
        case Audio(rate, pcm):
            kind, payload = KIND_OF_RATE[rate], pcm
        case PeerError(code):
            kind, payload = Kind.ERROR, b"" if code is None else bytes([code])
    return HEADER.pack(kind, len(payload)) + payload
