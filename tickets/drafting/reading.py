"""One turn as drafting reads it: its words as said, what sounds like a known word snapped
to it, then numerals as digits and dialect read as Mandarin; with how sure the recogniser
was of each character (from its word confidences; sure when it gave none) and how far the
sound of a snapped one was."""

from dataclasses import dataclass
from functools import lru_cache

from tickets.drafting.hearing import Hearing
from tickets.drafting.hypotheses import combined
from tickets.drafting.normalise import converted, join, spoken, standard
from tickets.drafting.turns import Speaker, Turn

SURE = 1.0
AS_SPELT = -1  # a character the hearing left as the recogniser wrote it


@dataclass(frozen=True)
class Utterance:
    """A turn normalised: its words and their joined text; per character of ``text``, the
    recogniser's confidence and the sound distance of a snap (empty: sure, none); the snaps
    as (heard, word, distance). (``alternatives`` is kept for callers that build their own.)"""

    speaker: Speaker
    words: tuple[str, ...]
    text: str
    conf: tuple[float, ...] = ()
    distance: tuple[int, ...] = ()
    alternatives: tuple[str, ...] = ()
    snaps: tuple[tuple[str, str, int], ...] = ()

    @classmethod
    def of(cls, turn: Turn, hearing: Hearing | None = None) -> "Utterance":
        return _utterance(turn, hearing)

    def confidence(self, start: int, end: int) -> float:
        """How sure the recogniser was of ``text[start:end]`` (its least sure character)."""
        if not self.conf:
            return SURE
        return min(self.conf[max(0, start):max(start + 1, end)], default=SURE)

    def marks(self) -> tuple[list[float], list[int]]:
        """Per word: the recogniser's confidence (least sure character) and sound distance."""
        confs: list[float] = []
        distances: list[int] = []
        at = 0
        for word in self.words:
            start = self.text.index(word, at)
            confs.append(self.confidence(start, start + len(word)))
            found = self.snapped(start, start + len(word))
            distances.append(AS_SPELT if found is None else found)
            at = start + len(word)
        return confs, distances

    def mean_confidence(self) -> float:
        """How sure the recogniser was of the turn, on average over its characters."""
        return sum(self.conf) / len(self.conf) if self.conf else SURE

    def snapped(self, start: int, end: int) -> int | None:
        """The largest sound distance of a snapped character in ``text[start:end]``."""
        found = max(self.distance[max(0, start):max(start + 1, end)], default=AS_SPELT)
        return None if found == AS_SPELT else found


@lru_cache(maxsize=8192)
def _utterance(turn: Turn, hearing: Hearing | None) -> Utterance:
    """Cached: a live call is re-drafted on every segment with the same earlier turns."""
    if hearing is not None:
        turn = combined(turn, hearing.known)  # where the recogniser's hypotheses disagree
    said, origin = spoken(turn.text)
    token_conf = _token_confidences(turn)
    confs = [token_conf[n] if token_conf else SURE for n in origin]
    distances = [AS_SPELT] * len(said)
    snaps: tuple[tuple[str, str, int], ...] = ()
    if hearing is not None:
        said, confs, distances, snaps = _hear(said, confs, hearing)
    out, sources = converted(said)
    words = standard(out)
    word_conf = [min(confs[a:b]) for a, b in sources]
    word_distance = [max(distances[a:b]) for a, b in sources]
    return assemble(turn.speaker, words, word_conf if token_conf else None,
                    word_distance if snaps else None, (), snaps)


def assemble(speaker: Speaker, words: list[str], confs: list[float] | None,
             distances: list[int] | None, alternatives: tuple[str, ...] = (),
             snaps: tuple[tuple[str, str, int], ...] = ()) -> Utterance:
    """An utterance of these words, each with its confidence and distance (None: all sure,
    none snapped)."""
    text = join(words)
    if not confs and not distances:  # all sure, none snapped: nothing to mark per character
        return Utterance(speaker, tuple(words), text, (), (), alternatives, snaps)
    char_conf: list[float] = []
    char_distance: list[int] = []
    at = 0
    for k, word in enumerate(words):
        start = text.index(word, at)
        gap = start - at  # a space join() put between two Latin words
        char_conf.extend([SURE] * gap + [confs[k] if confs else SURE] * len(word))
        char_distance.extend([AS_SPELT] * gap + [distances[k] if distances else AS_SPELT]
                             * len(word))
        at = start + len(word)
    return Utterance(speaker, tuple(words), text, tuple(char_conf) if confs else (),
                     tuple(char_distance) if distances else (), alternatives, snaps)


def _hear(said: list[str], confs: list[float], hearing: Hearing
          ) -> tuple[list[str], list[float], list[int], tuple[tuple[str, str, int], ...]]:
    """The words after the hearing's snaps, each with its confidence and sound distance."""
    fixed, found = hearing.correct("".join(said), frozenset(_starts(said)))
    del fixed
    if not found:
        return said, confs, [AS_SPELT] * len(said), ()
    words, out_conf, out_distance = respell(
        said, confs, [AS_SPELT] * len(said),
        [(s.origin, s.origin + len(s.heard), s.word, s.distance) for s in found])
    return words, out_conf, out_distance, tuple((s.heard, s.word, s.distance) for s in found)


def respell(words: list[str], confs: list[float], distances: list[int],
            replacements: list[tuple[int, int, str, int]]
            ) -> tuple[list[str], list[float], list[int]]:
    """The words with each ``(start, end, word, distance)`` of their joined text replaced: a
    replacement is one word, cutting the words it overlaps; every word with its confidence
    (a replacement's: the least sure of what it replaces) and sound distance."""
    text = "".join(words)
    owner = [k for k, word in enumerate(words) for _ in word]
    starts = set(_starts(words))
    by_start = {r[0]: r for r in replacements}
    out: list[str] = []
    out_conf: list[float] = []
    out_distance: list[int] = []
    i, fresh = 0, True
    while i < len(text):
        found = by_start.get(i)
        if found is not None:
            start, end, word, distance = found
            out.append(word)
            out_conf.append(min(confs[owner[k]] for k in range(start, end)))
            out_distance.append(max([distance, *(distances[owner[k]] for k in range(start, end))]))
            i, fresh = end, True
            continue
        if i in starts or fresh:
            out.append("")
            out_conf.append(confs[owner[i]])
            out_distance.append(distances[owner[i]])
            fresh = False
        out[-1] += text[i]
        i += 1
    return out, out_conf, out_distance


def _starts(words: list[str]) -> list[int]:
    out, at = [], 0
    for word in words:
        out.append(at)
        at += len(word)
    return out


def _token_confidences(turn: Turn) -> list[float]:
    """The confidence of each space-separated token of the turn's text, [] when unknown."""
    if not turn.words:
        return []
    tokens = turn.text.split()
    if [w.word for w in turn.words] == tokens:
        return [w.conf for w in turn.words]
    if "".join(w.word for w in turn.words) != "".join(tokens):
        return []  # the words do not spell the text: nothing to align
    per_char = [w.conf for w in turn.words for _ in w.word]
    out, at = [], 0
    for token in tokens:
        out.append(min(per_char[at:at + len(token)], default=SURE))
        at += len(token)
    return out
