"""Words heard wrong, snapped to the words drafting knows by how they sound.

A recogniser writes 然气 for 燃气, 时中 七 for 市中区, 甚川 for 椹川: the characters differ, the
sound is (nearly) the same. Every word drafting reads for (its lexicons' cues, the place
suffixes, the gazetteer's names) is indexed by its fuzzy syllables (:mod:`sound`); a stretch
of text that sounds like one of them but is spelt otherwise is rewritten to it, before any
field is read, when the known word explains what was written better than the written words
do themselves: a noisy channel, weighing how likely the word is to be said (its frequency,
:mod:`language`, lifted for the hotline's words and the deployment's places) and how likely
the recogniser is to write it so (a cost per character written otherwise) against how likely
the words as written are. So 然气 (然 + 气, rarely together) gives way to 燃气, while 的事,
货车 and 地址 是 stay, however they sound like 的士, 火车 and 知识.

How far the sound was is kept with each snap, for the confidence of what is built on it:

====  =====================================================================
0     the same syllables and tones (然气 → 燃气)
1     the same syllables, another tone
2     the same fuzzy syllables (zh/z, n/l, -ng/-n: 时中 → 市中)
3     one syllable near (区 heard as 七; words of three syllables and more)
4     one syllable missing, extra or other (words of four syllables and more)
====  =====================================================================
"""

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from tickets.drafting import language, sound
from tickets.drafting.channel import DIRECTIONS, EDIT_FROM, NEAR_FROM, Candidate, Target, verify

# log-probability that the recogniser writes a character otherwise, by how it sounds
AS_WORD = 1.5  # a word of the dictionary written is likelier what was said than its letters
CUT = -1.5  # one word said, two written: each space the recogniser put inside the word


@dataclass(frozen=True)
class Snap:
    """A stretch of the text rewritten: where the word now stands, what was heard (and where
    it started in the heard text), how far the sound was."""

    start: int
    end: int
    heard: str
    word: str
    distance: int
    origin: int = 0


class SoundIndex:
    """Targets found by two of their syllables: adjacent ones, or the first and third.

    A word's prior is its frequency (log), plus ``lift`` when the dictionary has it as one
    word (a hotline's cue is said more often there than in general text), and never below
    ``floor`` (a place of the deployment is said on its calls, dictionary or not). Of a word
    with a generic ending (``endings``: 小区, 街道, 路), only the name before it is held to
    the rules of words of its length: 新华街道 is no 新安街道, 西洼村 no 西王村.
    """

    def __init__(self, words: Iterable[str], lift: float = 0.0,
                 floor: float = -math.inf, endings: Iterable[str] = (),
                 local: bool = False, places: bool = False) -> None:
        generic = sorted(endings, key=len, reverse=True)
        self.spelt: set[str] = set()
        self.pairs: dict[str, list[tuple[Target, int]]] = {}
        self.gaps: dict[str, list[Target]] = {}
        self.sounds: dict[str, list[Target]] = {}
        for word in words:
            if len(word) < 2 or not all(sound.readings(c) for c in word):
                continue
            likely = language.log_probability(word)
            prior = max(likely + (lift if language.is_word(word) else 0.0), floor)
            core = len(word) - next((len(e) for e in generic
                                     if word.endswith(e) and len(word) > len(e)), 0)
            target = Target(word, sound.word_sound(word), sound.word_readings(word), prior,
                            core, local, places)
            self.spelt.add(word)
            # found by its whole sound, as a phrase and as its characters' usual readings
            for key in {target.sound, sound.text_sound(word)}:
                self.sounds.setdefault(key, []).append(target)
            if len(word) < NEAR_FROM:
                continue  # two syllables are heard whole or not at all
            # keyed by two syllables one error leaves whole: of the name, not its ending
            n = core if core >= 2 else len(word)
            keys = [(target.sound[:2], 0), (target.sound[n - 2:n], n - 2)]
            if n == 3:
                self.gaps.setdefault(target.sound[0] + target.sound[2], []).append(target)
            for key, offset in dict.fromkeys(keys):
                self.pairs.setdefault(key, []).append((target, offset))
        self.lengths = sorted({len(w) for w in self.spelt}, reverse=True)


class Hearing:
    """The words of one or more indices, heard in a text."""

    def __init__(self, *indices: SoundIndex, endings: Iterable[str] = ()) -> None:
        self.indices = indices
        self.endings = frozenset(endings)
        self.known: frozenset[str] = frozenset().union(*(index.spelt for index in indices))
        self.lengths = sorted({len(w) for w in self.known}, reverse=True)
        self.spelt_openings = _openings(self.known)
        # the lengths of the sounds that open with two given codes: the only ones to try
        self.openings = _openings(self.sounds_of(indices))
        self.pairs: dict[str, list[tuple[Target, int]]] = {}
        self.gaps: dict[str, list[Target]] = {}
        self.sounds: dict[str, list[Target]] = {}
        for index in indices:
            for key, targets in index.sounds.items():
                self.sounds.setdefault(key, []).extend(targets)
            for key, found in index.pairs.items():
                self.pairs.setdefault(key, []).extend(found)
            for key, targets in index.gaps.items():
                self.gaps.setdefault(key, []).extend(targets)

    @staticmethod
    def sounds_of(indices: tuple[SoundIndex, ...]) -> set[str]:
        return {key for index in indices for key in index.sounds}

    def spelt(self, word: str) -> bool:
        return word in self.known

    def correct(self, text: str, cuts: frozenset[int] = frozenset()
                ) -> tuple[str, tuple[Snap, ...]]:
        """The text with what sounds like a known word written as that word, and the snaps;
        ``cuts``: where the recogniser's words start and end (a snap is weighed with the
        words it touches)."""
        if len(text) < 2:
            return text, ()
        codes = [sound.codes(c) for c in text]
        known = self._spelt_spans(text)
        bounds = sorted(cuts | {0, len(text)})
        chosen: list[Candidate] = []
        for found in sorted(self._candidates(text, codes, known),
                            key=lambda c: (-len(c.target.word), -c.cost, c.start)):
            if any(found.start < c.end and c.start < found.end for c in chosen) or \
                    self._ending_kept(text, found, bounds) or \
                    not _likelier(text, found, bounds):
                continue
            chosen.append(found)
        return _apply(text, sorted(chosen, key=lambda c: c.start))

    def _ending_kept(self, text: str, found: Candidate, bounds: list[int]) -> bool:
        """What the recogniser wrote as a place's ending stays: 木兰 乡 is no 木兰县, 佳苑 no
        家园; and a name said before an ending (莲溪 路, 郭道 镇) is no cue word (联系, 国道)."""
        span, word = text[found.start:found.end], found.target.word
        for ending in self.endings:
            if span.endswith(ending) and not word.endswith(ending):
                return True
        at = bisect_left(bounds, found.end)
        if found.target.place or at + 1 >= len(bounds) or bounds[at] != found.end:
            return False
        following = text[found.end:bounds[at + 1]]
        if following in DIRECTIONS and at + 2 < len(bounds):  # 莲前 西 路
            following = text[bounds[at + 1]:bounds[at + 2]]
        return following in self.endings

    def _spelt_spans(self, text: str) -> list[tuple[int, int]]:
        """Known words as spelt in the text, leftmost-longest."""
        spans, i, size = [], 0, len(text)
        known, openings = self.known, self.spelt_openings
        while i < size:
            for length in openings.get(text[i:i + 2], ()):
                if i + length <= size and text[i:i + length] in known:
                    spans.append((i, i + length))
                    i += length
                    break
            else:
                i += 1
        return spans

    def _candidates(self, text: str, codes: list[frozenset[str]],
                    known: list[tuple[int, int]]) -> Iterator[Candidate]:
        """Spans that sound like a target, found by its whole sound or two of its syllables."""
        cover = _Cover(len(text), known)
        tried: set[tuple[str, int]] = set()
        seen: set[tuple[int, int, str]] = set()
        pairs, gaps, sounds, openings = self.pairs, self.gaps, self.sounds, self.openings
        heard = "".join(sound.primary(c) for c in text)
        plain = [len(c) == 1 for c in codes]
        size = len(text)
        for i in range(size - 1):
            found: list[tuple[Target, int, bool]] = []
            for length in openings.get(heard[i:i + 2], ()):
                found.extend((t, i, True) for t in sounds.get(heard[i:i + length], ()))
            two = [heard[i:i + 2]] if plain[i] and plain[i + 1] else _keys(codes[i], codes[i + 1])
            for key in two:
                found.extend((t, i - offset, offset == 0) for t, offset in pairs.get(key, ()))
            if i + 2 < size:
                gap = [heard[i] + heard[i + 2]] if plain[i] and plain[i + 2] \
                    else _keys(codes[i], codes[i + 2])
                for key in gap:
                    found.extend((t, i, True) for t in gaps.get(key, ()))
            for target, start, from_start in found:
                attempt = (target.word, start * 2 + from_start)
                if attempt in tried or cover.blocked(start, start + len(target.word)):
                    continue
                tried.add(attempt)
                for candidate in verify(text, codes, target, start, from_start):
                    key3 = (candidate.start, candidate.end, target.word)
                    if key3 not in seen and not cover.blocked(candidate.start, candidate.end):
                        seen.add(key3)
                        yield candidate


def _openings(keys: Iterable[str]) -> dict[str, tuple[int, ...]]:
    """The lengths of the keys opening with each two characters, longest first."""
    lengths: dict[str, set[int]] = {}
    for key in keys:
        lengths.setdefault(key[:2], set()).add(len(key))
    return {opening: tuple(sorted(found, reverse=True)) for opening, found in lengths.items()}


class _Cover:
    """Where the known words spelt in a text stand, for telling fast what a snap would cut."""

    def __init__(self, size: int, known: list[tuple[int, int]]) -> None:
        self.first = [-1] * size
        self.last = [-1] * size
        for s, e in known:
            for k in range(s, e):
                self.first[k], self.last[k] = s, e

    def blocked(self, start: int, end: int) -> bool:
        """A snap may not cut into a known word, nor rewrite one as long as itself."""
        if start < 0 or end > len(self.first) or end <= start:
            return True
        s = self.first[start]
        if s >= 0 and (s < start or self.last[start] >= end):
            return True
        e = self.last[end - 1]
        return e > end


def _keys(a: frozenset[str], b: frozenset[str]) -> list[str]:
    if len(a) == 1 and len(b) == 1:
        return [next(iter(a)) + next(iter(b))]
    return [x + y for x in a for y in b]


def _likelier(text: str, found: Candidate, bounds: list[int]) -> bool:
    """The target, heard this far off, explains the words the span touches better than those
    words as written (地址 是 stays: 地 知识 is no likelier, though 址是 sounds like 知识)."""
    left = bounds[bisect_right(bounds, found.start) - 1]
    right = bounds[bisect_left(bounds, found.end)]
    if _named_place(found) and left == found.start:
        return True
    inside = (left != found.start) + (right != found.end)
    if inside and len(found.target.word) < EDIT_FROM:
        return False  # a short word is no part of a word the recogniser wrote: 新达 街
    cuts = bisect_left(bounds, found.end) - bisect_right(bounds, found.start)
    written = language.log_probability(text[left:right])
    if language.is_word(text[found.start:found.end]):
        written += AS_WORD
    heard = language.log_probability(text[left:found.start]) + found.target.prior \
        + found.cost + CUT * cuts + language.log_probability(text[found.end:right])
    return heard > written


def _named_place(found: Candidate) -> bool:
    """A place of the deployment heard as its name (at most fuzzily off) and its generic
    ending (its syllables, in any tone): 洪山 去, 商水 县, 关山 接到. What was written is then a
    place the deployment does not know: less likely than the one it knows, whatever the
    dictionary says of the written words (上水, 接到)."""
    target = found.target
    return target.local and 2 <= target.core < len(target.word) and found.name <= 2 \
        and found.ending <= 1


def _apply(text: str, chosen: list[Candidate]) -> tuple[str, tuple[Snap, ...]]:
    out: list[str] = []
    snaps: list[Snap] = []
    last, shift = 0, 0
    for found in chosen:
        word = found.target.word
        out.append(text[last:found.start])
        at = found.start + shift
        snaps.append(Snap(at, at + len(word), text[found.start:found.end], word,
                          found.distance, found.start))
        out.append(word)
        shift += len(word) - (found.end - found.start)
        last = found.end
    out.append(text[last:])
    return "".join(out), tuple(snaps)
