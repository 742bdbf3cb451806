"""How a recogniser may have written a known word: per character, how far the sound is
(the levels of :mod:`tickets.drafting.hearing`) and what that costs (log-probability), and
which spans of a text sound like a target closely enough to be weighed at all."""

from collections.abc import Iterator
from dataclasses import dataclass

from tickets.drafting import sound

COST = {0: -4.0, 1: -5.0, 2: -6.0, 3: -7.0, 4: -8.0}
NEAR_FROM = 3  # syllables from which one may be near
EDIT_FROM = 4  # syllables from which one may be missing, extra or other
DIRECTIONS = frozenset("东西南北中")
NUMERALS = frozenset("零〇一幺二两三四五六七八九十百千万0123456789")


@dataclass(frozen=True)
class Target:
    """A word to hear: its spelling, its fuzzy sound, its toned syllables and how likely it
    is to be said (log-probability)."""

    word: str
    sound: str
    toned: tuple[str, ...]
    prior: float
    core: int  # the syllables of its name before a generic ending (小区, 街道, 路): all
    local: bool = False  # a place of the deployment's own (not one of China's divisions)
    place: bool = False  # a place name (not a cue word)


@dataclass(frozen=True)
class Candidate:
    """A span of a text that sounds like a target, how far, and what that costs."""

    start: int
    end: int
    target: Target
    distance: int
    cost: float
    name: int  # the distance within the name before a generic ending (4: not heard whole)
    ending: int  # the distance within the generic ending


def verify(text: str, codes: list[frozenset[str]], target: Target, start: int,
            from_start: bool) -> Iterator[Candidate]:
    """The spans at ``start`` (or ending where the target would) that sound like it."""
    size = len(target.word)
    lengths = (size,) if size < EDIT_FROM else (size, size - 1, size + 1)
    for length in lengths:
        begin = start if from_start else start + size - length
        end = begin + length
        if begin < 0 or end > len(text) or text[begin:end] == target.word:
            continue
        heard = _heard(text[begin:end], codes[begin:end], target)
        if heard is not None and not in_number(text, begin, end, target):
            yield Candidate(begin, end, target, *heard)


def _heard(span: str, codes: list[frozenset[str]], target: Target
           ) -> tuple[int, float, int, int] | None:
    """(distance, channel cost, distance within the name, within its ending) of hearing
    ``target`` as ``span``; None if too far."""
    if len(span) != len(target.word):
        edges = (target.sound[0] in codes[0]) + (target.sound[-1] in codes[-1])
        return _indel(span, codes, target) if edges == 2 or (
            edges == 1 and len(span) < len(target.word) > EDIT_FROM) else None
    misses = 0
    for k in range(len(span)):
        if target.sound[k] not in codes[k]:
            misses += 1
            if misses > 1:
                return None
    levels = [level(span[k], codes[k], target, k) for k in range(len(span))]
    far = [k for k, level in enumerate(levels) if level >= 3]
    if far and not _allowed(far[0], levels[far[0]] == 4, target):
        return None
    written = [level for level in levels if level >= 0]
    name = max(max(levels[:target.core], default=-1), 0)
    ending = max(max(levels[target.core:], default=-1), 0)
    return max(written, default=0), sum(COST[level] for level in written), name, ending


def _allowed(k: int, other: bool, target: Target) -> bool:
    """Whether syllable ``k`` may be near (or, ``other``, anything) for this target: in its
    name, when the name is long enough (and, for another syllable, not at an edge, where it
    is likely another word); in its generic ending, when it has a name of two or more."""
    if k >= target.core:
        return target.core >= 2 and not other  # 区 heard as 七, not 镇 said for 县
    if other:
        return target.core >= EDIT_FROM and 0 < k < len(target.word) - 1
    return target.core >= NEAR_FROM


def level(char: str, codes: frozenset[str], target: Target, k: int) -> int:
    """-1: the target's own character; 0–2 as in the module's table; 3 near; 4 other."""
    if char == target.word[k]:
        return -1
    if target.sound[k] not in codes:
        return 3 if any(sound.near(code, target.sound[k]) for code in codes) else 4
    toned, plain = sound.toned_and_plain(char)
    if target.toned[k] in toned:
        return 0
    return 1 if sound.toneless(target.toned[k]) in plain else 2


def _indel(span: str, codes: list[frozenset[str]], target: Target
           ) -> tuple[int, float, int, int] | None:
    """A syllable more or less than the target, inside the word (a word beside it is no part
    of it; a word of five syllables may lose an edge too)."""
    own = [frozenset({c}) for c in target.sound]
    if len(codes) == len(own) + 1:
        longer, shorter, edges = codes, own, True
    else:
        longer, shorter, edges = own, codes, len(own) <= EDIT_FROM
    for skip in range(len(longer)):
        if edges and skip in (0, len(longer) - 1):
            continue
        if skip < target.core and target.core < EDIT_FROM:
            continue  # a short name loses or gains no syllable
        rest = longer[:skip] + longer[skip + 1:]
        if all(a & b for a, b in zip(rest, shorter, strict=True)):
            other = sum(1 for c in span if c not in target.word)
            cost = COST[4] + COST[0] * max(0, other - (1 if len(span) > len(own) else 0))
            whole = skip >= target.core and span[:target.core] == target.word[:target.core]
            return 4, cost, 0 if whole else 4, 4  # 新华 个 街道: the name heard whole
    return None


def in_number(text: str, begin: int, end: int, target: Target) -> bool:
    """The span takes a numeral of a spoken number (一三九四四…), not a lone one (时中 七)."""
    aligned = end - begin == len(target.word)
    for k in range(begin, end):
        kept = text[k] == target.word[k - begin] if aligned else text[k] in target.word
        if text[k] in NUMERALS and not kept and (
                text[k - 1:k] in NUMERALS or text[k + 1:k + 2] in NUMERALS):
            return True
    return False
