"""One stream's recognizer: 16 kHz PCM in fixed chunks, timed segments out."""

from typing import Any, Protocol

import orjson

from asr.events import RecognisedWord, Segment, StreamLabel
from asr.recognition.nbest import read_alternatives

SAMPLE_RATE = 16000
BYTES_PER_SECOND = SAMPLE_RATE * 2
# The recognizer always gets exactly this much audio per call, however the audio arrived:
# Vosk checks for the end of an utterance once per call, so the same chunks give the same
# text, live or offline. 0.1 s keeps the added latency small.
CHUNK_BYTES = BYTES_PER_SECOND // 10


class Recognizer(Protocol):
    """What we use of ``vosk.KaldiRecognizer`` (its names, not ours)."""

    def AcceptWaveform(self, data: bytes) -> int: ...
    def Result(self) -> str: ...
    def PartialResult(self) -> str: ...
    def FinalResult(self) -> str: ...


def _segment(label: StreamLabel, result: dict[str, Any], words_key: str, text_key: str,
             final: bool, position: float) -> Segment | None:
    """A segment from Vosk's JSON (one reading, or n-best alternatives), or None when it
    heard nothing."""
    if final and "alternatives" in result:
        text, words, alternatives = read_alternatives(result)
    else:
        text = str(result.get(text_key, "")).strip()
        words = tuple(RecognisedWord(str(w["word"]), float(w.get("conf", 1.0)),
                                     float(w["start"]), float(w["end"]))
                      for w in result.get(words_key) or []) if final else ()
        alternatives = ()
    if not text:
        return None
    timed = result.get(words_key) or []
    start = words[0].start if words else float(timed[0]["start"]) if timed else position
    end = words[-1].end if words else float(timed[-1]["end"]) if timed else position
    return Segment(label.call_id, label.speaker, text, start, end, final, words, alternatives)


class StreamDecoder:
    """Feeds one recognizer; not thread-safe, one call at a time (the stream's own task)."""

    def __init__(self, recognizer: Recognizer, label: StreamLabel,
                 partials: bool = True) -> None:
        self._recognizer = recognizer
        self.label = label
        self._partials = partials
        self._pending = bytearray()  # less than a chunk, waiting for more audio
        self._fed = 0  # bytes given to the recognizer
        self._last_partial = ""
        self.finals = 0

    @property
    def seconds(self) -> float:
        """Audio received so far, in seconds."""
        return (self._fed + len(self._pending)) / BYTES_PER_SECOND

    @property
    def pending_bytes(self) -> int:
        """Audio held back until it makes a whole chunk."""
        return len(self._pending)

    def feed(self, pcm: bytes) -> list[Segment]:
        """Decode what whole chunks ``pcm`` completes; finals, then the newest partial."""
        self._pending += pcm
        usable = len(self._pending) - len(self._pending) % CHUNK_BYTES
        out: list[Segment] = []
        for offset in range(0, usable, CHUNK_BYTES):
            accepted = self._recognizer.AcceptWaveform(
                bytes(self._pending[offset:offset + CHUNK_BYTES]))
            self._fed += CHUNK_BYTES
            if accepted:
                final = self._final(self._recognizer.Result())
                if final is not None:
                    out.append(final)
        del self._pending[:usable]
        # One partial per call, after the chunks: asking costs a best-path search.
        if self._partials and usable:
            partial = self._partial()
            if partial is not None:
                out.append(partial)
        return out

    def finish(self) -> list[Segment]:
        """The rest of the audio and the last final; the decoder is spent afterwards."""
        if self._pending:
            self._recognizer.AcceptWaveform(bytes(self._pending))
            self._fed += len(self._pending)
            self._pending.clear()
        final = self._final(self._recognizer.FinalResult())
        return [] if final is None else [final]

    def _final(self, raw: str) -> Segment | None:
        self._last_partial = ""
        segment = _segment(self.label, orjson.loads(raw), "result", "text", True,
                           self._fed / BYTES_PER_SECOND)
        if segment is not None:
            self.finals += 1
        return segment

    def _partial(self) -> Segment | None:
        result = orjson.loads(self._recognizer.PartialResult())
        text = str(result.get("partial", "")).strip()
        if text == self._last_partial:
            return None  # unchanged: nobody needs it twice
        self._last_partial = text
        return _segment(self.label, result, "partial_result", "partial", False,
                        self._fed / BYTES_PER_SECOND)
