"""A call's turns as the recogniser delivers them, and the normalised view drafting reads."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from tickets.drafting.cues import Hit, Lexicon
from tickets.drafting.hearing import Hearing
from tickets.drafting.reading import Utterance
from tickets.drafting.turns import (
    SPEAKERS,
    Alternative,
    RecognisedWord,
    Speaker,
    Turn,
    parse_transcript,
)

__all__ = ["SPEAKERS", "Alternative", "Call", "Located", "RecognisedWord", "Speaker", "Turn",
           "Utterance", "parse_transcript"]


@dataclass(frozen=True)
class Located:
    """A cue hit in one utterance of the call."""

    index: int
    utterance: Utterance
    hit: Hit


def _given(read: tuple[Utterance | None, ...], n: int) -> Utterance | None:
    return read[n] if n < len(read) else None


class Call:
    """The normalised call every field extractor reads; with a ``hearing``, what sounds like
    a word drafting knows is written as that word (see :mod:`tickets.drafting.hearing`)."""

    def __init__(self, turns: Iterable[Turn], hearing: Hearing | None = None,
                 read: Iterable[Utterance | None] = ()) -> None:
        self.turns = tuple(turns)
        self.hearing = hearing
        known = tuple(read)
        self.utterances: tuple[Utterance, ...] = tuple(
            _given(known, n) or Utterance.of(turn, hearing) for n, turn in enumerate(self.turns))
        self._hits: dict[tuple[int, Speaker], list[Located]] = {}

    def of(self, speaker: Speaker) -> Iterator[tuple[int, Utterance]]:
        """The utterances of one side with their position in the call."""
        return ((i, u) for i, u in enumerate(self.utterances) if u.speaker == speaker)

    def text(self, speaker: Speaker) -> str:
        """One side's words as one text; turns separated by ``|`` so no cue spans two."""
        return "|".join(u.text for u in self.utterances if u.speaker == speaker)

    def hits(self, lexicon: Lexicon, speaker: Speaker) -> list[Located]:
        """Every cue of ``lexicon`` in one side's turns (found once per call: several fields
        read the same lexicon)."""
        key = (id(lexicon), speaker)
        found = self._hits.get(key)
        if found is None:
            found = [Located(i, u, hit) for i, u in self.of(speaker)
                     for hit in lexicon.find(u.text)]
            self._hits[key] = found
        return found

    def alternative(self, rank: int) -> "Call":
        """The call as the recogniser's ``rank``-th alternatives tell it (a turn without that
        many alternatives as it is), read as written: an alternative is where the recogniser
        heard a word otherwise, often as it was said."""
        other = [rank < len(t.alternatives) and t.alternatives[rank].text.split() != t.text.split()
                 and "".join(t.alternatives[rank].text.split()) != "".join(t.text.split())
                 for t in self.turns]  # the same characters spaced otherwise: heard alike
        turns = [Turn(t.speaker, t.alternatives[rank].text) if changed else t
                 for t, changed in zip(self.turns, other, strict=True)]
        return Call(turns, None, [None if changed else u  # a turn heard alike: as read
                                  for u, changed in zip(self.utterances, other, strict=True)])

    def alternatives(self) -> int:
        """How many alternatives beyond the best the recogniser gave (its most for a turn)."""
        return max((len(turn.alternatives) - 1 for turn in self.turns), default=0)

    def confidence(self, speaker: Speaker) -> float:
        """How sure the recogniser was of one side's words, on average."""
        found = [u.mean_confidence() for _, u in self.of(speaker)]
        return sum(found) / len(found) if found else 1.0
