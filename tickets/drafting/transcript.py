"""A call's turns as the recogniser delivers them, and the normalised view drafting reads."""

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal, cast

from tickets.drafting.cues import Hit, Lexicon
from tickets.drafting.errors import MalformedTranscript
from tickets.drafting.normalise import join, standard, tokens

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
    """One of the recogniser's alternative texts (Vosk ``SetMaxAlternatives``)."""

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


@dataclass(frozen=True)
class Utterance:
    """A turn normalised: its words (digits for numbers) and the joined text."""

    speaker: Speaker
    words: tuple[str, ...]
    text: str

    @classmethod
    def of(cls, turn: Turn) -> "Utterance":
        return _utterance(turn)


@lru_cache(maxsize=8192)
def _utterance(turn: Turn) -> Utterance:
    """Cached: a live call is re-drafted on every segment with the same earlier turns."""
    words = tuple(standard(tokens(turn.text)))
    return Utterance(turn.speaker, words, join(list(words)))


@dataclass(frozen=True)
class Located:
    """A cue hit in one utterance of the call."""

    index: int
    utterance: Utterance
    hit: Hit


class Call:
    """The normalised call every field extractor reads."""

    def __init__(self, turns: Iterable[Turn]) -> None:
        self.utterances = tuple(Utterance.of(turn) for turn in turns)

    def of(self, speaker: Speaker) -> Iterator[tuple[int, Utterance]]:
        """The utterances of one side with their position in the call."""
        return ((i, u) for i, u in enumerate(self.utterances) if u.speaker == speaker)

    def text(self, speaker: Speaker) -> str:
        """One side's words as one text; turns separated by ``|`` so no cue spans two."""
        return "|".join(u.text for u in self.utterances if u.speaker == speaker)

    def hits(self, lexicon: Lexicon, speaker: Speaker) -> list[Located]:
        """Every cue of ``lexicon`` in one side's turns."""
        return [Located(i, u, hit) for i, u in self.of(speaker) for hit in lexicon.find(u.text)]


def parse_transcript(raw: str) -> list[Turn]:
    """Turns from a JSON list of ``{"speaker", "text"}`` (or ``{"turns": […]}``) or plain text.

    Plain text is taken as the caller's words, one turn per line.
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
    return Turn(cast(Speaker, speaker), text)
