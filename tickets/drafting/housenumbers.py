"""House numbers heard by sound. A numeral is followed by a measure word far more
often than by anything else (the class bigram a unigram model lacks), so after a numeral a
word that sounds like a house-number unit is that unit (二 好楼 → 二 号楼, 九百九十九 豪 →
号, 单员 → 单元; not 好, too common a word to be anything else), and before a unit the digit
homophones of its number are digits (山 号楼 → 三 号楼, 把十八 号 → 八十八 号). One of the
two must be written as it is: 就 好 is no 九号. A number run together with its unit
(七号楼二) is cut as it is said.
"""

import re

from tickets.drafting import language, sound
from tickets.drafting.digits import NUMERAL_CHARS, RADIO_DIGITS, digit_for

UNITS = ("号楼", "号院", "单元", "号", "栋", "幢")
_NUMERALS = "零〇一二两三四五六七八九十百千幺"
_RUN_TOGETHER = re.compile(f"^([{_NUMERALS}]+)(号楼|号院|单元|号|栋|幢)([{_NUMERALS}]*)$")
COMMON = -9.0  # log-probability above which a one-character word is what was said
LONGEST_NUMBER = 5  # characters of a house number said in words (九百九十九)


def read_house_numbers(words: list[str], origin: list[int]) -> tuple[list[str], list[int]]:
    """The words with house-number units and digits read by sound (each word with the token
    it comes from)."""
    words, origin = _cut(words, origin)
    out = list(words)
    for i in range(1, len(out)):
        number = out[i - 1]
        if _numeral(number):
            out[i] = _unit(out[i]) or out[i]
        elif out[i] in UNITS and len(number) <= LONGEST_NUMBER and _sounds_numeral(number):
            out[i - 1] = "".join(c if c in NUMERAL_CHARS else str(_digit(c)) for c in number)
    return out, origin


def _cut(words: list[str], origin: list[int]) -> tuple[list[str], list[int]]:
    """七号楼二 → 七 号楼 二: a number and its unit the recogniser wrote as one word."""
    out: list[str] = []
    where: list[int] = []
    for word, n in zip(words, origin, strict=True):
        match = _RUN_TOGETHER.match(word) if len(word) >= 2 and word[0] in _NUMERALS else None
        pieces = [p for p in match.groups() if p] if match else [word]
        out.extend(pieces)
        where.extend([n] * len(pieces))
    return out, where


def _unit(word: str) -> str | None:
    """The house-number unit a word is or sounds like (any tone), None if none."""
    if not word or len(word) > 2 or word in RADIO_DIGITS:
        return None  # 一 三 八 洞 洞: a radio digit (零), not 栋
    for unit in UNITS:
        if word == unit:
            return unit
    if len(word) == 1 and language.log_probability(word) > COMMON:
        return None  # 三 好 学生: a word this common is what was said
    for unit in UNITS:
        if len(unit) == len(word) and all(sound.primary(u) in sound.codes(c)
                                          for u, c in zip(unit, word, strict=True)):
            return unit
    return None


def _numeral(word: str) -> bool:
    return bool(word) and all(c in NUMERAL_CHARS or c.isdigit() for c in word) \
        and word[0] not in "百千万"


def _sounds_numeral(word: str) -> bool:
    """Numerals and digit homophones, at least one homophone (a number heard otherwise)."""
    return any(c not in NUMERAL_CHARS for c in word) and all(
        c in NUMERAL_CHARS or _digit(c) is not None for c in word) and word[0] not in "百千万"


def _digit(char: str) -> str | None:
    """The spoken digit (一, 三, …) a character sounds like."""
    found = digit_for(char)
    return "一" if found == "幺" else found
