"""What a Mandarin recogniser makes of a clean transcript: a seeded noise generator.

Each character of a turn is hit with probability ``p``, in the ways a recogniser errs:
another character of the same syllable and tone (燃 → 然), of the same syllable in another
tone, of a near syllable (zh/z, n/l, -ng/-n, f/h, one vowel off: 区 → 七), dropped or with
a short word inserted after it; a whole word may become another real word that sounds the
same (宽带 → 款待); a spoken digit becomes its homophone (一 → 衣/医/幺, 四 → 是/十, 九 → 酒,
二 → 两) or is dropped. Spaces are moved afterwards (words joined or split). Each turn also
gets what Vosk would report with it: word confidences (lower, mostly, on what was altered)
and two alternatives in which some altered words are heard right.

Everything is drawn from ``random.Random`` seeded by the seed, the call and the turn, so the
same set, rate and seed give the same text on every run and machine.
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jieba

from tickets.drafting import sound
from tickets.drafting.transcript import Alternative, RecognisedWord, Turn

COMMON_CHARS = 3500  # the characters a recogniser writes: the most frequent (通用规范汉字 一级)
COMMON_WORD = 300  # jieba frequency of the words a whole word may become
INSERTED = "的了啊是一在个呢就那这有"
NUMERALS = "零一二三四五六七八九十两幺"
# what becomes of a hit character: weights of each kind of error
KINDS = (("same", 0.30), ("tone", 0.15), ("near", 0.14), ("drop", 0.13), ("insert", 0.08),
         ("word", 0.20))
DIGIT_KINDS = (("homophone", 0.65), ("drop", 0.25), ("near", 0.10))
DIGIT_HOMOPHONES = {"一": "衣医依幺", "四": "是十事", "十": "是四时", "九": "酒就久",
                    "二": "两而儿", "七": "期气起", "零": "林灵铃", "六": "溜留", "三": "山散",
                    "八": "吧把", "五": "午舞无", "两": "亮俩", "幺": "要腰"}
# near syllables: one swap of what recognisers (and accents) confuse
_SWAPS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("n", "l"), ("f", "h"), ("r", "l"),
          ("ang", "an"), ("eng", "en"), ("ing", "in"), ("u", "i"), ("ü", "i"), ("ou", "u"),
          ("ao", "ou"), ("ai", "ei"), ("uo", "o"), ("ie", "ia"))


@dataclass(frozen=True)
class _Inventory:
    """Common characters by toned and toneless syllable, common words by sound; each pool
    with weights (a recogniser's language model prefers frequent words)."""

    by_toned: dict[str, tuple[tuple[str, ...], tuple[float, ...]]]
    by_toneless: dict[str, tuple[tuple[str, ...], tuple[float, ...]]]
    words_by_sound: dict[str, tuple[tuple[str, ...], tuple[float, ...]]]


@lru_cache(maxsize=1)
def _inventory() -> _Inventory:
    char_weight: dict[str, float] = {}
    word_weight: dict[str, float] = {}
    path = Path(jieba.__file__).parent / "dict.txt"
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            word, frequency, _ = line.split()
            for char in word:
                char_weight[char] = char_weight.get(char, 0) + int(frequency)
            if 2 <= len(word) <= 3 and int(frequency) >= COMMON_WORD:
                word_weight[word] = float(frequency)
    common = sorted(char_weight, key=lambda c: -char_weight[c])[:COMMON_CHARS]
    toned: dict[str, dict[str, float]] = {}
    toneless: dict[str, dict[str, float]] = {}
    for char in common:
        for reading in sound.readings(char):
            toned.setdefault(reading, {})[char] = char_weight[char] ** 0.5
            toneless.setdefault(sound.toneless(reading), {})[char] = char_weight[char] ** 0.5
    words: dict[str, dict[str, float]] = {}
    for word, weight in word_weight.items():
        if all(c in char_weight for c in word):
            words.setdefault(_plain_sound(word), {})[word] = weight ** 0.5
    return _Inventory(_pools(toned), _pools(toneless), _pools(words))


def _pools(groups: dict[str, dict[str, float]]
           ) -> dict[str, tuple[tuple[str, ...], tuple[float, ...]]]:
    return {key: (tuple(items), tuple(items.values())) for key, items in groups.items()}


def _draw(pool: tuple[tuple[str, ...], tuple[float, ...]], avoid: str, rng: random.Random
          ) -> str | None:
    """A weighted draw from a pool, never ``avoid``."""
    items = [(item, weight) for item, weight in zip(*pool, strict=True) if item != avoid]
    if not items:
        return None
    return rng.choices([i for i, _ in items], weights=[w for _, w in items])[0]


def _plain_sound(word: str) -> str:
    """A word's toneless syllables, each character's usual reading."""
    return " ".join(sound.toneless(sound.readings(c)[0]) if sound.readings(c) else c
                    for c in word)


@dataclass
class _Piece:
    """One clean word and what the recogniser wrote for it."""

    clean: str
    heard: str

    @property
    def altered(self) -> bool:
        return self.clean != self.heard


class Recogniser:
    """A simulated recogniser: ``p`` is the chance that a character is misheard."""

    def __init__(self, p: float, seed: int) -> None:
        self.p = p
        self.seed = seed

    def hear(self, turn: Turn, key: str) -> Turn:
        """The turn as this recogniser writes it, with word confidences and alternatives."""
        rng = random.Random(f"{self.seed}:{key}")
        pieces = [_Piece(word, self._word(word, rng)) for word in turn.text.split()]
        words = _resegment([p for p in pieces if p.heard], self.p, rng)
        text = " ".join(w for w, _ in words)
        return Turn(turn.speaker, text, _confidences(words, rng),
                    self._alternatives(pieces, text, rng))

    def _word(self, word: str, rng: random.Random) -> str:
        if len(word) >= 2 and rng.random() < self.p * len(word) * _weight("word"):
            similar = _inventory().words_by_sound.get(_plain_sound(word))
            other = _draw(similar, word, rng) if similar else None
            if other:
                return other
        readings = sound.word_readings(word)
        out = []
        for i, char in enumerate(word):
            reading = readings[i] if len(readings) == len(word) else ""
            out.append(self._char(char, reading, rng) if rng.random() < self.p else char)
        return "".join(out)

    def _char(self, char: str, reading: str, rng: random.Random) -> str:
        if char in DIGIT_HOMOPHONES:
            kind = _pick(DIGIT_KINDS, rng)
            if kind == "homophone":
                return rng.choice(DIGIT_HOMOPHONES[char])
            if kind == "drop":
                return ""
        else:
            kind = _pick(KINDS[:-1], rng)
        if kind == "drop":
            return ""
        if kind == "insert":
            return char + rng.choice(INSERTED)
        if not reading[:1].isalpha():
            return char
        return _substitute(char, reading, kind, rng)

    def _alternatives(self, pieces: list[_Piece], best: str, rng: random.Random
                      ) -> tuple[Alternative, ...]:
        """The best text and two more: some misheard words heard right, others wrong."""
        out = [Alternative(best, 1.0)]
        for rank in (1, 2):
            words = []
            for piece in pieces:
                if piece.altered and rng.random() < 0.45:
                    words.append(piece.clean)
                elif not piece.altered and rng.random() < self.p / 3:
                    words.append(self._word(piece.clean, rng) or piece.clean)
                else:
                    words.append(piece.heard)
            out.append(Alternative(" ".join(w for w in words if w), round(1.0 - 0.1 * rank, 2)))
        return tuple(out)


def _weight(kind: str) -> float:
    return dict(KINDS)[kind]


def _pick(kinds: Sequence[tuple[str, float]], rng: random.Random) -> str:
    names = [name for name, _ in kinds]
    return rng.choices(names, weights=[w for _, w in kinds])[0]


def _substitute(char: str, reading: str, kind: str, rng: random.Random) -> str:
    """Another common character that sounds the same, in another tone, or near."""
    inventory = _inventory()
    plain = sound.toneless(reading)
    if kind == "same":
        pool = inventory.by_toned.get(reading)
    elif kind == "tone":
        same = inventory.by_toneless.get(plain)
        pool = _without(same, reading) if same else None
    else:
        near = [s for s in _near(plain) if s in inventory.by_toneless]
        pool = inventory.by_toneless[rng.choice(near)] if near else None
    found = _draw(pool, char, rng) if pool else None
    return found or char


def _without(pool: tuple[tuple[str, ...], tuple[float, ...]], reading: str
             ) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """The pool's characters that cannot be read ``reading``."""
    kept = [(c, w) for c, w in zip(*pool, strict=True) if reading not in sound.readings(c)]
    return tuple(c for c, _ in kept), tuple(w for _, w in kept)


def _near(syllable: str) -> list[str]:
    """Syllables one confusion away: zhong → zong, nong; qu → qi."""
    out = []
    for a, b in _SWAPS:
        for old, new in ((a, b), (b, a)):
            if old in syllable:
                out.append(syllable.replace(old, new, 1))
    return [s for s in out if s != syllable]


def _resegment(pieces: list[_Piece], p: float, rng: random.Random) -> list[tuple[str, bool]]:
    """Words as the recogniser spaces them: neighbours joined, long words split."""
    out: list[tuple[str, bool]] = []
    for piece in pieces:
        word, altered = piece.heard, piece.altered
        if out and rng.random() < p / 2:
            last, was = out.pop()
            out.append((last + word, was or altered))
            continue
        if len(word) >= 3 and rng.random() < p / 2:
            cut = rng.randrange(1, len(word))
            out.extend([(word[:cut], altered), (word[cut:], altered)])
            continue
        out.append((word, altered))
    return out


def _confidences(words: list[tuple[str, bool]], rng: random.Random
                 ) -> tuple[RecognisedWord, ...]:
    """Vosk-like word confidences: low on most misheard words, high on most others."""
    out, clock = [], 0.0
    for word, altered in words:
        if altered:
            conf = rng.uniform(0.25, 0.75) if rng.random() < 0.85 else rng.uniform(0.75, 0.98)
        else:
            conf = rng.uniform(0.8, 1.0) if rng.random() < 0.93 else rng.uniform(0.4, 0.8)
        end = clock + 0.22 * len(word)
        out.append(RecognisedWord(word, round(conf, 3), round(clock, 2), round(end, 2)))
        clock = end + 0.05
    return tuple(out)


def edits(reference: str, hypothesis: str) -> int:
    """Character edit distance, spaces ignored (the numerator of the CER)."""
    a, b = "".join(reference.split()), "".join(hypothesis.split())
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        current = [i]
        for j, y in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def chars(text: str) -> int:
    """The characters of a text, spaces ignored (the denominator of the CER)."""
    return len("".join(text.split()))
