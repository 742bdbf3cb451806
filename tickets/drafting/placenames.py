"""The deployment's places heard loosely, for the place of occurrence alone.

The hearing snaps a name only when it is sure: it rewrites the text every field reads. The
address may dare more: it is one field, shown with its confidence, and the deployment's
place list (地名库) is the authority on how its places are spelt. So a place of the
deployment is found in a caller's words with one syllable of its name heard otherwise (厂溪 县
for 安溪县, 染田 工业园 for 蓝田工业园; two in a name of five syllables or more), or one
missing or extra (鹿 区 for 鹿城区), as long as half its characters are written as they are,
it starts where a word of the recogniser starts, and its ending, when it has one, is heard
as said or near (an ending written as another ending stays: 木兰 乡 is no 木兰县). China's
divisions are not heard so loosely: they are thousands, all over the country.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

from tickets.drafting import language, sound
from tickets.drafting.channel import COST, Target, in_number, level
from tickets.drafting.gazetteer import Gazetteer, builtin
from tickets.drafting.reading import Utterance, assemble, respell

ENDING_NEAR = 3  # the ending may be near, never another syllable
# how likely a place of the deployment is to be said where a place is said (log): the
# noisy channel weighs it, heard so far off, against the words as written (温泉街道 is a
# place the list lacks, not 龙泉街道 misheard; 厂溪 县 no words of anyone's)
PRIOR = -15.0


@dataclass(frozen=True)
class Heard:
    """A place of the deployment found in a text: where, its spelling, how far it sounded."""

    start: int
    end: int
    name: str
    distance: int  # -1: as spelt
    exact: int  # characters written as the name spells them


class LooseIndex:
    """The deployment's names, found by any two of their syllables."""

    def __init__(self, names: Iterable[str], endings: Iterable[str],
                 known: frozenset[str] = frozenset()) -> None:
        self.endings = tuple(sorted(endings, key=len, reverse=True))
        self.ending_set = frozenset(self.endings)
        self.ending_lengths = sorted({len(e) for e in self.endings}, reverse=True)
        self.known = known  # every name of the gazetteer: a place said as spelt stays
        self.keys: dict[str, list[tuple[Target, int]]] = {}
        for name in names:
            if len(name) < 3 or not all(sound.readings(c) for c in name):
                continue  # two syllables are heard whole or not at all (the hearing's rule)
            ending = next((len(e) for e in self.endings
                           if name.endswith(e) and len(name) > len(e)), 0)
            target = Target(name, sound.word_sound(name), sound.word_readings(name), 0.0,
                            len(name) - ending, True, True)
            core = target.core if target.core >= 2 else len(name)
            for a, b in combinations(range(min(core + 1, len(name))), 2):
                if b - a <= 2 and a < core:  # of the name (endings are everywhere), side by
                    # side or one apart
                    self.keys.setdefault(target.sound[a] + target.sound[b], []).append(
                        (target, a))

    def __bool__(self) -> bool:
        return bool(self.keys)

    def find(self, text: str, cuts: frozenset[int]) -> list[Heard]:
        """The best non-overlapping places heard in ``text`` (``cuts``: the recogniser's word
        boundaries; a place starts at one)."""
        codes = [sound.codes(c) for c in text]
        found = {(h.start, h.end, h.name): h for h in self._candidates(text, codes, cuts)}
        chosen: list[Heard] = []
        for heard in sorted(found.values(),
                            key=lambda h: (-h.exact, h.distance, -(h.end - h.start), h.start)):
            if not any(heard.start < c.end and c.start < heard.end for c in chosen):
                chosen.append(heard)
        return sorted(chosen, key=lambda h: h.start)

    def _candidates(self, text: str, codes: list[frozenset[str]], cuts: frozenset[int]
                    ) -> Iterator[Heard]:
        tried: set[tuple[str, int]] = set()
        near_cut = {k for c in cuts for k in (c - 1, c, c + 1, c + 2, c + 3)}
        for i in range(len(text) - 1):
            if i not in near_cut:
                continue  # a name starts where a word does: its first syllables are near
            for gap in (1, 2):
                if i + gap >= len(text):
                    continue
                for x in codes[i]:
                    for y in codes[i + gap]:
                        for target, offset in self.keys.get(x + y, ()):
                            for start in {i - offset, i - offset - 1, i - offset + 1}:
                                if start in cuts and (target.word, start) not in tried:
                                    tried.add((target.word, start))
                                    yield from self._verify(text, codes, target, start)

    def _verify(self, text: str, codes: list[frozenset[str]], target: Target, start: int
                ) -> Iterator[Heard]:
        size = len(target.word)
        for length in (size, size - 1, size + 1):
            end = start + length
            if start < 0 or end > len(text) or length < 2:
                continue
            span = text[start:end]
            if span == target.word:
                yield Heard(start, end, target.word, -1, size)  # as spelt: no distance
                return
            if length < 3 or 2 * len(set(span) & set(target.word)) < size:
                continue  # half the name's characters as spelt, at the least
            if span in self.known or self._other_ending(span, target.word) \
                    or in_number(text, start, end, target):
                continue  # 历城区 is a place too; 木兰 乡: the ending is there, another one
            heard = _loose(span, codes[start:end], target)
            if heard is not None and heard[2] + PRIOR > language.log_probability(span):
                yield Heard(start, end, target.word, heard[0], heard[1])

    def _other_ending(self, span: str, name: str) -> bool:
        for size in self.ending_lengths:
            tail = span[-size:]
            if len(tail) == size and tail in self.ending_set and not name.endswith(tail):
                return True
        return False


MISSING = -2  # a syllable of the name the span does not have


def _loose(span: str, codes: list[frozenset[str]], target: Target
           ) -> tuple[int, int, float] | None:
    """(distance, characters as spelt, channel cost) if ``span`` may be ``target`` heard
    loosely: half the
    name's characters as spelt, one syllable of it heard otherwise, missing or extra when
    the name has three or more (two when five or more), the ending as said or near."""
    size, core = len(target.word), target.core
    levels = [level(span[k], codes[k], target, k) for k in range(size)] \
        if len(span) == size else _aligned(span, codes, target)
    if levels is None:
        return None
    name, ending = levels[:core], levels[core:]
    far = sum(1 for c in name if c >= 3 or c == MISSING) + (len(span) > size)
    if name.count(-1) == core and len(span) > size:
        far = 0  # 槐 个 荫区: every character of the name as spelt, one more among them
    whole_ending = bool(ending) and max(ending) <= 1
    allowed = 2 if core >= 5 else 1 if core >= 3 or whole_ending else 0
    if name.count(-1) * 2 < core or far > allowed:
        return None  # a short name may be heard otherwise in one syllable only before its
        # ending heard whole (厂溪 县): the ending says a place is named there
    if any(c > ENDING_NEAR or c == MISSING for c in ending):
        return None
    cost = sum(COST[min(c, 4)] if c >= 0 else COST[4] if c == MISSING else 0.0
               for c in levels) + (COST[4] if len(span) > size else 0.0)
    return (4 if len(span) != size else max(max(levels), 0)), levels.count(-1), cost


def _aligned(span: str, codes: list[frozenset[str]], target: Target) -> list[int] | None:
    """The levels of the target's syllables against a span one shorter (one syllable after
    the first not heard: MISSING) or one longer (an extra character inside), the alignment
    with the fewest syllables heard otherwise; None if the lengths differ more."""
    size = len(target.word)
    options: list[list[int]] = []
    if len(span) == size - 1:
        for skip in range(1, size):
            heard = [k if k < skip else k - 1 for k in range(size)]
            options.append([MISSING if k == skip else
                            level(span[heard[k]], codes[heard[k]], target, k)
                            for k in range(size)])
    elif len(span) == size + 1:
        for skip in range(1, len(span) - 1):
            keep = [j for j in range(len(span)) if j != skip]
            options.append([level(span[j], codes[j], target, k) for k, j in enumerate(keep)])
    if not options:
        return None
    return min(options, key=lambda levels: (sum(1 for c in levels if c >= 3), sum(levels)))


def respelt(utterance: Utterance, index: LooseIndex) -> Utterance:
    """The utterance with the deployment's places it holds heard loosely written as the
    place list spells them (the distance kept, for the address's confidence)."""
    if not index or len(utterance.text) < 2:
        return utterance
    words = list(utterance.words)
    text = "".join(words)
    found = index.find(text, frozenset(_starts(words)))
    if not found:
        return utterance  # (a name found as spelt is made one word: 雷州 市有 → 雷州市 有)
    confs, distances = utterance.marks()
    new_words, new_conf, new_distance = respell(
        words, confs, distances, [(h.start, h.end, h.name, h.distance) for h in found])
    return assemble(utterance.speaker, new_words, new_conf, new_distance,
                    utterance.alternatives, utterance.snaps)


def _starts(words: list[str]) -> list[int]:
    out, at = [], 0
    for word in words:
        out.append(at)
        at += len(word)
    return [*out, at]


def index_for(gazetteer: Gazetteer, endings: Iterable[str]) -> LooseIndex:
    """The deployment's own names of the gazetteer (not China's divisions), indexed once per
    gazetteer and kept with it."""
    found = getattr(gazetteer, "_loose", None)
    if isinstance(found, LooseIndex):
        return found
    divisions = builtin().names
    index = _index(frozenset(name for name, entry in gazetteer.names.items()
                             if divisions.get(name) != entry or gazetteer.is_own(name)),
                   tuple(endings),
                   frozenset(gazetteer.names) | frozenset(divisions))
    object.__setattr__(gazetteer, "_loose", index)  # frozen: a cache, not a field
    return index


@lru_cache(maxsize=4)
def _index(names: frozenset[str], endings: tuple[str, ...], known: frozenset[str]) -> LooseIndex:
    """The index of these names (a gazetteer reloaded with the same places reuses it)."""
    return LooseIndex(sorted(names), endings, known)
