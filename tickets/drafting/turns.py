"""A call's turns as the recogniser delivers them: text, and optionally its word confidences
(Vosk ``SetWords``) and alternatives (``SetMaxAlternatives``); read from JSON or plain text."""

import json
import math
from dataclasses import dataclass
from typing import Any, Literal, cast

from tickets.drafting.errors import MalformedTranscript

Speaker = Literal["agent", "caller"]
SPEAKERS: tuple[Speaker, ...] = ("agent", "caller")


@dataclass(frozen=True)
class RecognisedWord:
    """One word as the recogniser reports it (Vosk ``SetWords``): confidence 0..1, seconds."""

    word: str
    conf: float
    start: float = 0.0
    end: float = 0.0


@dataclass(frozen=True)
class Alternative:
    """One of the recogniser's alternative texts (Vosk ``SetMaxAlternatives``), best first;
    the confidence is the recogniser's own score (Vosk's is not bounded by 1)."""

    text: str
    confidence: float


@dataclass(frozen=True)
class Turn:
    """One stretch of speech by the agent or the caller, as recognised; ``words`` and
    ``alternatives`` are what the recogniser adds when asked (empty when it was not)."""

    speaker: Speaker
    text: str
    words: tuple[RecognisedWord, ...] = ()
    alternatives: tuple[Alternative, ...] = ()


def parse_transcript(raw: str) -> list[Turn]:
    """Turns from a JSON list of ``{"speaker", "text"}`` (or ``{"turns": […]}``) or plain text.

    A JSON turn may carry ``words`` (``[{"word", "conf", "start", "end"}]``) and
    ``alternatives`` (``[{"text", "confidence"}]``) as Vosk gives them. Plain text is taken
    as the caller's words, one turn per line.
    """
    stripped = raw.strip()
    if not stripped:
        raise MalformedTranscript("the transcript is empty")
    if stripped[0] not in "[{":
        return [Turn("caller", line.strip()) for line in stripped.splitlines() if line.strip()]
    try:
        data: Any = json.loads(stripped)
    except json.JSONDecodeError as exc:
        raise MalformedTranscript("the transcript is not valid JSON", error=str(exc)) from exc
    if isinstance(data, dict):
        data = data.get("turns")
    if not isinstance(data, list):
        raise MalformedTranscript('expected a JSON list of {"speaker", "text"} turns')
    return [_turn(item, n) for n, item in enumerate(data)]


def _turn(item: Any, n: int) -> Turn:
    if not isinstance(item, dict):
        raise MalformedTranscript("a turn must be an object", turn=n)
    speaker, text = item.get("speaker"), item.get("text")
    if speaker not in SPEAKERS:
        raise MalformedTranscript('a turn\'s speaker must be "agent" or "caller"', turn=n,
                                  speaker=speaker)
    if not isinstance(text, str):
        raise MalformedTranscript("a turn's text must be a string", turn=n)
    words = tuple(_word(w, n) for w in _list(item, "words", n))
    alternatives = tuple(_alternative(a, n) for a in _list(item, "alternatives", n))
    return Turn(cast(Speaker, speaker), text, words, alternatives)


def _list(item: dict[str, Any], key: str, n: int) -> list[Any]:
    value = item.get(key, [])
    if not isinstance(value, list):
        raise MalformedTranscript(f"a turn's {key} must be a list", turn=n)
    return value


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) \
        and math.isfinite(value)


def _word(item: Any, n: int) -> RecognisedWord:
    if not isinstance(item, dict) or not isinstance(item.get("word"), str) \
            or not _number(item.get("conf")) or not 0 <= item["conf"] <= 1 \
            or not all(_number(item.get(k, 0.0)) for k in ("start", "end")):
        raise MalformedTranscript('a word must be {"word", "conf" (0..1), "start", "end"}',
                                  turn=n, word=item)
    return RecognisedWord(item["word"], float(item["conf"]), float(item.get("start", 0.0)),
                          float(item.get("end", 0.0)))


def _alternative(item: Any, n: int) -> Alternative:
    if not isinstance(item, dict) or not isinstance(item.get("text"), str) \
            or not _number(item.get("confidence")):
        raise MalformedTranscript('an alternative must be {"text", "confidence"}', turn=n,
                                  alternative=item)
    return Alternative(item["text"], float(item["confidence"]))
