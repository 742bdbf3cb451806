"""How Chinese text sounds: each character's Mandarin syllables, toned and toneless, and a
fuzzy form that merges what a recogniser (and many speakers) confuse.

Readings come offline from ``pypinyin``: a character's readings from its table, a word's from
its phrase dictionary (银行 is yin hang, not yin xing). The fuzzy form is the one input
methods use: zh/z, ch/c, sh/s and n/l are one initial, -ng and -n one final. Each fuzzy
syllable is coded as one private-use character, so a text's sound is a string as long as the
text and words are found in it by slicing, as :class:`~tickets.drafting.cues.Lexicon` does.
"""

from functools import lru_cache

from pypinyin import Style, lazy_pinyin
from pypinyin.phrases_dict import phrases_dict
from pypinyin.pinyin_dict import pinyin_dict

TONES = str.maketrans("", "", "012345")
# (from, to) on the toneless syllable, initials first; -ng before -n so ang → an
_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("n", "l"))
_FINALS = (("ang", "an"), ("eng", "en"), ("ing", "in"))
IN_WORDS = 2  # words of the phrase dictionary that must use a reading for it to count
NO_SOUND = "\ue000"  # a character without a reading: matches only itself
_BASE = 0xE001


def toneless(syllable: str) -> str:
    """``zhong1`` → ``zhong``."""
    return syllable.translate(TONES)


def fuzzy(syllable: str) -> str:
    """The toneless syllable with confusable initials and finals merged: zhong → zon."""
    plain = toneless(syllable).replace("ü", "v")
    for old, new in _INITIALS:
        if plain.startswith(old):
            plain = new + plain[len(old):]
            break
    for old, new in _FINALS:
        if plain.endswith(old):
            plain = plain[: -len(old)] + new
            break
    return plain


_MARKS = {"ā": ("a", 1), "á": ("a", 2), "ǎ": ("a", 3), "à": ("a", 4),
          "ē": ("e", 1), "é": ("e", 2), "ě": ("e", 3), "è": ("e", 4),
          "ī": ("i", 1), "í": ("i", 2), "ǐ": ("i", 3), "ì": ("i", 4),
          "ō": ("o", 1), "ó": ("o", 2), "ǒ": ("o", 3), "ò": ("o", 4),
          "ū": ("u", 1), "ú": ("u", 2), "ǔ": ("u", 3), "ù": ("u", 4),
          "ǖ": ("ü", 1), "ǘ": ("ü", 2), "ǚ": ("ü", 3), "ǜ": ("ü", 4),
          "ń": ("n", 2), "ň": ("n", 3), "ǹ": ("n", 4), "ḿ": ("m", 2)}


def _tone3(marked: str) -> str:
    """A tone-marked reading (zhōng) as toned ASCII (zhong1); 5 is the neutral tone."""
    tone, plain = 5, []
    for char in marked:
        letter, mark = _MARKS.get(char, (char, 0))
        tone = mark or tone
        plain.append(letter)
    return "".join(plain) + str(tone)


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    """(character → its toned readings, the usual one first; fuzzy syllable → code)."""
    readings: dict[str, tuple[str, ...]] = {}
    for point, text in pinyin_dict.items():
        readings[chr(point)] = tuple(dict.fromkeys(_tone3(r) for r in text.split(",")))
    codes: dict[str, str] = {}
    for toned in readings.values():
        for syllable in toned:
            codes.setdefault(fuzzy(syllable), chr(_BASE + len(codes)))
    return readings, codes


def readings(char: str) -> tuple[str, ...]:
    """A character's toned readings, the usual one first (none for a non-Chinese one)."""
    return _tables()[0].get(char, ())


def code(syllable: str) -> str:
    """The one-character code of a syllable's fuzzy form."""
    return _tables()[1].get(fuzzy(syllable), NO_SOUND)


@lru_cache(maxsize=1)
def _word_readings() -> dict[str, frozenset[str]]:
    """The readings each character has in the words of pypinyin's phrase dictionary (长 in
    长大 and 长度), so that a reading met only in old texts (核 as kai) is left out."""
    found: dict[str, dict[str, int]] = {}
    for word, syllables in phrases_dict.items():
        if len(word) != len(syllables):
            continue
        for char, options in zip(word, syllables, strict=True):
            counts = found.setdefault(char, {})
            counts[options[0]] = counts.get(options[0], 0) + 1
    return {char: frozenset(_tone3(r) for r, n in counts.items() if n >= IN_WORDS)
            for char, counts in found.items()}


@lru_cache(maxsize=65536)
def codes(char: str) -> frozenset[str]:
    """The codes of a character's usual reading and of those it has in words (its own self
    when it has none)."""
    found = readings(char)
    if not found:
        return frozenset({char})
    used = _word_readings().get(char, frozenset())
    return frozenset({code(found[0])} | {code(r) for r in used if r in found})


@lru_cache(maxsize=65536)
def toned_and_plain(char: str) -> tuple[frozenset[str], frozenset[str]]:
    """A character's toned readings and the same without tones."""
    found = readings(char)
    return frozenset(found), frozenset(toneless(r) for r in found)


@lru_cache(maxsize=65536)
def primary(char: str) -> str:
    """The code of a character's usual reading (the character itself when it has none)."""
    found = readings(char)
    return code(found[0]) if found else char


def _unread(chars: str) -> str:
    """What pypinyin gives back for characters it cannot read: the characters, one each."""
    return list(chars)  # type: ignore[return-value]  # pypinyin accepts a list here


@lru_cache(maxsize=1)
def _syllables() -> dict[str, str]:
    """Code → fuzzy syllable."""
    return {c: syllable for syllable, c in _tables()[1].items()}


# initials a listener confuses: made at the same place (the fuzzy form merged zh/z, n/l …)
_INITIAL_GROUPS = ("bp", "dt", "gkh", "jqx", "zcs", "fh", "lr", "yw")
_INITIAL_LIST = ("zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j",
                 "q", "x", "r", "z", "c", "s", "y", "w")


def _split(syllable: str) -> tuple[str, str]:
    for initial in _INITIAL_LIST:
        if syllable.startswith(initial) and len(syllable) > len(initial):
            return initial, syllable[len(initial):]
    return "", syllable


@lru_cache(maxsize=65536)
def near(a: str, b: str) -> bool:
    """Two codes whose syllables a listener confuses: the same initial and a final one letter
    off (qu, qi; xin, xi), or the same final and initials made alike (hu, fu; ti, di)."""
    x, y = _syllables().get(a), _syllables().get(b)
    if x is None or y is None or x == y:
        return False
    (i, f), (j, g) = _split(x), _split(y)
    if i == j:
        return _one_letter(f, g)
    return f == g and bool(i and j) and any(i in group and j in group
                                            for group in _INITIAL_GROUPS)


def _one_letter(x: str, y: str) -> bool:
    if len(x) == len(y):
        return sum(p != q for p, q in zip(x, y, strict=True)) == 1
    if abs(len(x) - len(y)) != 1:
        return False
    short, long = (x, y) if len(x) < len(y) else (y, x)
    return any(long[:k] + long[k + 1:] == short for k in range(len(long)))


def word_readings(word: str) -> tuple[str, ...]:
    """A word's toned syllables, read as a phrase (银行: yin2 hang2)."""
    out = lazy_pinyin(word, style=Style.TONE3, neutral_tone_with_five=True, v_to_u=True,
                      errors=_unread)
    return tuple(str(s) for s in out)


def word_sound(word: str) -> str:
    """A word's fuzzy code string, read as a phrase (one code per character)."""
    syllables = word_readings(word)
    if len(syllables) != len(word):
        return "".join(primary(c) for c in word)
    return "".join(code(s) if s[:1].isalpha() and s[-1:].isdigit() else primary(c)
                   for s, c in zip(syllables, word, strict=True))


def text_sound(text: str) -> str:
    """A text's fuzzy code string from each character's usual reading."""
    return "".join(primary(c) for c in text)


def load() -> None:
    """Read the tables now (warm-up) rather than on the first draft."""
    _tables()
    _word_readings()
    word_readings("燃气")
