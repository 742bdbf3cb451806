"""Cue lexicons: words and short patterns that signal a value, and where they occur.

Lexicons are written as meaning groups (``"label": "word word:2 pat.{0,3}tern"``): a plain
word is looked up in a dictionary at each position of the text (longest first), a word with
regular-expression syntax is searched on its own. Both stay well under a millisecond on a
call, which a live call re-drafted on every segment needs; one big regex alternation of a
few hundred words would take tens of milliseconds.
"""

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

_REGEX_CHARS = frozenset(".?*+[]()|{}^$\\")


@dataclass(frozen=True)
class Cue:
    """A word or pattern that points to ``label`` with some ``weight``."""

    pattern: str
    label: str
    weight: float = 1.0


@dataclass(frozen=True)
class Hit:
    """Where a cue occurs in a text."""

    cue: Cue
    start: int
    end: int


def parse_groups(groups: Mapping[str, str]) -> list[Cue]:
    """Cues from ``{"label": "word word:2 …"}``; a ``:N`` suffix sets the weight."""
    cues = []
    for label, words in groups.items():
        for item in words.split():
            pattern, _, weight = item.rpartition(":") if _has_weight(item) else (item, "", "1")
            cues.append(Cue(pattern, label, float(weight)))
    return cues


def _has_weight(item: str) -> bool:
    head, sep, tail = item.rpartition(":")
    return bool(sep and head) and tail.replace(".", "", 1).isdigit()


class Lexicon:
    """A set of cues, compiled for fast search."""

    def __init__(self, cues: list[Cue]) -> None:
        self.literals: dict[str, Cue] = {}
        self.patterns: list[tuple[re.Pattern[str], Cue]] = []
        for cue in cues:
            if _REGEX_CHARS.isdisjoint(cue.pattern):
                self.literals[cue.pattern] = cue
            else:
                self.patterns.append((re.compile(cue.pattern), cue))
        self.lengths = sorted({len(word) for word in self.literals}, reverse=True)
        # the lengths of the literals opening with each two characters (and the one-character
        # ones): a position is tried only at the lengths its own two characters open
        opening: dict[str, set[int]] = {}
        for word in self.literals:
            if len(word) >= 2:
                opening.setdefault(word[:2], set()).add(len(word))
        single = (1,) if any(len(w) == 1 for w in self.literals) else ()
        self.openings = {key: (*sorted(found, reverse=True), *single)
                         for key, found in opening.items()}
        self.single = single

    @classmethod
    def of(cls, groups: Mapping[str, str]) -> "Lexicon":
        """A lexicon from meaning groups (see :func:`parse_groups`)."""
        return cls(parse_groups(groups))

    def find(self, text: str) -> Iterator[Hit]:
        """Every occurrence: literals leftmost-longest without overlap, then each pattern."""
        i, size = 0, len(text)
        literals, openings, single = self.literals, self.openings, self.single
        while i < size:
            for length in openings.get(text[i:i + 2], single):
                cue = literals.get(text[i:i + length])
                if cue is not None:
                    yield Hit(cue, i, i + length)
                    i += length
                    break
            else:
                i += 1
        for regex, cue in self.patterns:
            for match in regex.finditer(text):
                yield Hit(cue, match.start(), match.end())


def words(text: str) -> tuple[str, ...]:
    """A word list written as space-separated text (Chinese word lists read better so)."""
    return tuple(text.split())
