"""Frames as Asterisk 22's res_audiosocket writes them, parsed into frozen objects."""

import asyncio
import uuid

import pytest

from asr.audiosocket.frames import (
    RATES,
    Audio,
    Dtmf,
    Frame,
    Hangup,
    Identify,
    Kind,
    PeerError,
    ProtocolError,
    encode,
    parse,
    read_frame,
)

STREAM = uuid.UUID("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")


def test_the_kinds_are_asterisk_22s() -> None:
    assert {kind.name: kind.value for kind in Kind} == {
        "HANGUP": 0x00, "UUID": 0x01, "DTMF": 0x03, "SLIN": 0x10, "SLIN12": 0x11,
        "SLIN16": 0x12, "SLIN24": 0x13, "SLIN32": 0x14, "SLIN44": 0x15, "SLIN48": 0x16,
        "SLIN96": 0x17, "SLIN192": 0x18, "ERROR": 0xFF}
    assert sorted(RATES.values()) == [8000, 12000, 16000, 24000, 32000, 44100, 48000, 96000,
                                      192000]


@pytest.mark.parametrize(("frame", "wire"), [
    (Hangup(), b"\x00\x00\x00"),
    (Identify(STREAM), b"\x01\x00\x10" + STREAM.bytes),
    (Dtmf("#"), b"\x03\x00\x01#"),
    (Audio(8000, b"\x01\x00\xff\xff"), b"\x10\x00\x04\x01\x00\xff\xff"),
    (Audio(16000, b"\x00" * 640), b"\x12\x02\x80" + b"\x00" * 640),
    (Audio(48000, b"\x00\x01"), b"\x16\x00\x02\x00\x01"),
    (PeerError(4), b"\xff\x00\x01\x04"),
    (PeerError(None), b"\xff\x00\x00"),
])
def test_frames_encode_and_parse_both_ways(frame: Frame, wire: bytes) -> None:
    assert encode(frame) == wire
    assert parse(wire[0], wire[3:]) == frame


@pytest.mark.parametrize(("kind", "payload", "reason"), [
    (0x02, b"", "unknown-kind"),
    (0x42, b"", "unknown-kind"),
    (0x01, b"short", "bad-length"),
    (0x03, b"12", "bad-length"),
    (0x12, b"", "empty-audio"),
    (0x10, b"abc", "bad-length"),
])
def test_malformed_frames_are_refused_with_a_reason(kind: int, payload: bytes,
                                                    reason: str) -> None:
    with pytest.raises(ProtocolError) as caught:
        parse(kind, payload)
    assert caught.value.reason == reason


async def read_all(data: bytes, eof: bool = True) -> list[Frame | str | None]:
    reader = asyncio.StreamReader()
    reader.feed_data(data)
    if eof:
        reader.feed_eof()
    out: list[Frame | str | None] = []
    while True:
        try:
            frame = await read_frame(reader, payload_timeout=0.2)
        except ProtocolError as exc:
            return [*out, exc.reason]
        out.append(frame)
        if frame is None:
            return out


async def test_a_stream_of_frames_reads_frame_by_frame_to_a_clean_end() -> None:
    frames: list[Frame] = [Identify(STREAM), Audio(16000, b"\x01\x02" * 320), Dtmf("7"),
                           Hangup()]
    assert await read_all(b"".join(map(encode, frames))) == [*frames, None]


async def test_a_frame_cut_short_is_truncated_and_one_left_open_stalls() -> None:
    assert await read_all(b"\x12\x02") == ["truncated-frame"]
    assert await read_all(b"\x12\x02\x80" + b"\x00" * 100) == ["truncated-frame"]
    assert await read_all(b"\x12\x02\x80" + b"\x00" * 100, eof=False) == ["stalled-frame"]
