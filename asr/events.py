"""What the ASR package hands out: labels, timed text and the end of a stream."""

from dataclasses import dataclass
from uuid import UUID

UNKNOWN_SPEAKER = "unknown"


@dataclass(frozen=True, slots=True)
class StreamLabel:
    """Whose voice a stream carries: the call (its linkedid) and the speaker."""

    call_id: str
    speaker: str

    @classmethod
    def unknown(cls, stream_uuid: UUID) -> "StreamLabel":
        """The label of a stream nobody announced; the UUID keeps such streams apart."""
        return cls(f"unknown:{stream_uuid}", UNKNOWN_SPEAKER)


@dataclass(frozen=True, slots=True)
class Segment:
    """Recognised text, seconds from the stream's first sample; partial until ``final``."""

    call_id: str
    speaker: str
    text: str
    start: float
    end: float
    final: bool


@dataclass(frozen=True, slots=True)
class StreamEnded:
    """A stream is over: ``reason`` is ``hangup``, ``closed`` or what went wrong."""

    call_id: str
    speaker: str
    stream_uuid: UUID | None
    reason: str
    audio_seconds: float
    finals: int


@dataclass(frozen=True, slots=True)
class StreamStatus:
    """A stream being served: ``queued_frames`` of audio wait for the recognizer."""

    stream_uuid: UUID
    call_id: str
    speaker: str
    audio_seconds: float
    queued_frames: int


AsrEvent = Segment | StreamEnded
