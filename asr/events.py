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
class RecognisedWord:
    """One word of the best reading: how sure the recogniser is (0..1) and when it was said."""

    word: str
    conf: float
    start: float
    end: float


@dataclass(frozen=True, slots=True)
class Alternative:
    """One of the recogniser's readings of the same audio, best first, with its score."""

    text: str
    confidence: float


@dataclass(frozen=True, slots=True)
class Segment:
    """Recognised text, seconds from the stream's first sample; partial until ``final``.

    A final segment carries the best reading's words with their confidences and the other
    readings the recogniser weighed (empty when it was not asked for them).
    """

    call_id: str
    speaker: str
    text: str
    start: float
    end: float
    final: bool
    words: tuple[RecognisedWord, ...] = ()
    alternatives: tuple[Alternative, ...] = ()


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
