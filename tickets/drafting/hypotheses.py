"""A turn's hypotheses read as one: where the recogniser's alternatives (Vosk
``SetMaxAlternatives``) disagree with its best text, the version a noisy channel finds likeliest.

A recogniser is least sure exactly where its hypotheses differ, and its language model is a
general one: it does not know that a hotline's callers say 燃气 and 着火 more than 然气 and 着活,
nor the city's own places. So the hypotheses are aligned character by character (spaces
ignored), and each stretch where they disagree (widened to the best text's words) is decided
on its own, by how likely each version is as Chinese (:mod:`language`: the unigram model, with
drafting's own words and the deployment's places lifted) in the two characters either side,
and by what the recogniser says: its confidence in the best words there (Vosk ``SetWords``)
against the alternatives that agree with each version. A turn without alternatives, or whose
alternatives all agree with it, is read as it is.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from tickets.drafting import language
from tickets.drafting.turns import RecognisedWord, Turn

KNOWN_LIFT = 8.0  # log: a word drafting knows (a cue, a place) is what a hotline's caller says
ALTERNATIVE_RELIABILITY = 0.5  # the chance an alternative is right where it differs
UNSURE = 0.85  # the confidence of a best word when the recogniser gave none
TAKEN = 0.4  # the confidence of a word taken from an alternative: to be checked
CONTEXT = 2  # characters either side a version is weighed with
FLOOR = 0.02  # no confidence is taken as certainty either way


@dataclass(frozen=True)
class _Region:
    """A stretch of the best text (whole words) where some alternative disagrees."""

    start: int
    end: int


def combined(turn: Turn, known: frozenset[str]) -> Turn:
    """The turn with each disagreement decided (the alternatives kept as they are)."""
    if len(turn.alternatives) < 2:
        return turn
    return _combined(turn, known)


@lru_cache(maxsize=4096)
def _combined(turn: Turn, known: frozenset[str]) -> Turn:
    tokens = turn.text.split()
    best = "".join(tokens)
    spaced = {"".join(a.text.split()): a.text.split() for a in reversed(turn.alternatives)}
    others = [joined for joined in spaced if joined != best and joined]
    if not best or not others:
        return turn
    starts = _starts(tokens)
    owner = [k for k, token in enumerate(tokens) for _ in token]
    maps, regions = [], []
    for other in others:
        position, spans = _aligned(best, other)
        maps.append(position)
        regions.extend(_widened(spans, starts, owner, len(best)))
    confs = _confidences(turn, tokens)
    shown = confs if turn.words else [1.0] * len(tokens)  # a kept word: as sure as it was
    out: list[tuple[str, float]] = []
    at = 0
    for region in [*_merged(regions), _Region(len(best), len(best))]:
        until = owner[region.start] if region.start < len(best) else len(tokens)
        for k in range(owner[at] if at < len(best) else len(tokens), until):
            out.append((tokens[k], shown[k]))  # words every hypothesis agrees on
        if region.start == len(best):
            break
        first, last = owner[region.start], owner[region.end - 1]
        chosen = _decide(best, region, others, maps, min(confs[first:last + 1]), known)
        if chosen is None:
            out.extend(zip(tokens[first:last + 1], shown[first:last + 1], strict=True))
        elif chosen:
            out.extend((w, TAKEN) for w in _spaced(chosen, spaced, others, maps, region))
        at = region.end
    if [w for w, _ in out] == tokens:
        return turn
    return Turn(turn.speaker, " ".join(w for w, _ in out),
                tuple(RecognisedWord(w, c) for w, c in out), turn.alternatives)


def _starts(tokens: Sequence[str]) -> list[int]:
    out, at = [], 0
    for token in tokens:
        out.append(at)
        at += len(token)
    return out


def _aligned(best: str, other: str) -> tuple[list[int], list[tuple[int, int]]]:
    """Where each position of ``best`` falls in ``other`` (an insertion belongs to the stretch
    before it), and the stretches of ``best`` where they differ (empty: an insertion)."""
    position = [0] * (len(best) + 1)
    spans: list[tuple[int, int]] = []
    for op in Levenshtein.opcodes(best, other):
        if op.tag == "equal":
            for k in range(op.src_start, op.src_end):
                position[k] = op.dest_start + k - op.src_start
            continue
        if op.src_start < len(best):
            position[op.src_start] = op.dest_start if op.tag != "insert" else op.dest_end
        spans.append((op.src_start, op.src_end))
    position[0] = 0
    position[len(best)] = len(other)
    return position, spans


def _widened(spans: list[tuple[int, int]], starts: list[int], owner: list[int], size: int
             ) -> list[_Region]:
    """Each differing stretch widened to the best text's whole words (an insertion: to the
    word before it, or the first word)."""
    out = []
    for start, end in spans:
        first = owner[start if end > start or start == 0 else start - 1] if size else 0
        last = owner[end - 1] if end > start else first
        out.append(_Region(starts[first], starts[last] + _length(starts, last, size)))
    return out


def _length(starts: list[int], k: int, size: int) -> int:
    return (starts[k + 1] if k + 1 < len(starts) else size) - starts[k]


def _merged(regions: list[_Region]) -> list[_Region]:
    """Overlapping or touching regions as one (no word agreed on between them), in order."""
    out: list[_Region] = []
    for region in sorted(regions, key=lambda r: (r.start, r.end)):
        if out and region.start <= out[-1].end:
            out[-1] = _Region(out[-1].start, max(out[-1].end, region.end))
        elif not out or region != out[-1]:
            out.append(region)
    return out


def _confidences(turn: Turn, tokens: list[str]) -> list[float]:
    if turn.words and [w.word for w in turn.words] == tokens:
        return [w.conf for w in turn.words]
    if turn.words and "".join(w.word for w in turn.words) == "".join(tokens):
        per_char = [w.conf for w in turn.words for _ in w.word]
        out, at = [], 0
        for token in tokens:
            out.append(min(per_char[at:at + len(token)]))
            at += len(token)
        return out
    return [UNSURE] * len(tokens)


def _spaced(version: str, spaced: dict[str, list[str]], others: list[str],
            maps: list[list[int]], region: _Region) -> list[str]:
    """A version taken from an alternative, cut where that alternative's words are cut."""
    for other, position in zip(others, maps, strict=True):
        start, end = position[region.start], position[region.end]
        if other[start:end] != version:
            continue
        cuts, at = set(), 0
        for word in spaced[other]:
            at += len(word)
            cuts.add(at - start)
        out, last = [], 0
        for k in range(1, len(version) + 1):
            if k in cuts or k == len(version):
                out.append(version[last:k])
                last = k
        return out
    return [version]


def _decide(best: str, region: _Region, others: list[str], maps: list[list[int]],
            conf: float, known: frozenset[str]) -> str | None:
    """The likeliest version of one region when an alternative's (None: the best's);
    ``conf``: the recogniser's confidence in the best's words there."""
    own = best[region.start:region.end]
    sure = min(max(conf, FLOOR), 1 - FLOOR)
    versions = [other[m[region.start]:m[region.end]] for other, m in zip(others, maps,
                                                                          strict=True)]
    left = best[max(0, region.start - CONTEXT):region.start]
    right = best[region.end:region.end + CONTEXT]
    best_score, chosen = -math.inf, own
    for version in dict.fromkeys([own, *versions]):
        agree = sum(1 for v in versions if v == version)
        score = _likely(left + version + right, known) \
            + (math.log(sure) if version == own else math.log(1 - sure)) \
            + agree * math.log(ALTERNATIVE_RELIABILITY) \
            + (len(versions) - agree) * math.log(1 - ALTERNATIVE_RELIABILITY)
        if score > best_score:
            best_score, chosen = score, version
    return None if chosen == own else chosen


@lru_cache(maxsize=65536)
def _likely_cached(text: str, known: frozenset[str]) -> float:
    score = language.log_probability(text)
    openings = _openings(known)
    size = len(text)
    for at in range(size - 1):
        for length in openings.get(text[at:at + 2], ()):
            if at + length <= size and text[at:at + length] in known:
                score += KNOWN_LIFT
    return score


@lru_cache(maxsize=4)
def _openings(known: frozenset[str]) -> dict[str, tuple[int, ...]]:
    """The lengths of the known words opening with each two characters."""
    found: dict[str, set[int]] = {}
    for word in known:
        if len(word) >= 2:
            found.setdefault(word[:2], set()).add(len(word))
    return {key: tuple(lengths) for key, lengths in found.items()}


def _likely(text: str, known: frozenset[str]) -> float:
    """How likely a stretch is as a caller's words (each known word in it lifted)."""
    return _likely_cached(text, known)
