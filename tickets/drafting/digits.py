"""Digits the recogniser wrote as words that sound like them: 衣 for 一, 是 for 四, 酒 for 九.

Read as digits only inside a spoken number, where nothing else fits: among the numerals of a
run long enough to be a phone number (six numerals or more), between numerals, and at an
edge only when that makes an 11-digit mobile number (衣 三 九 … read as 1 3 9 …). Outside
numbers they are the words they are (是, 就), and so is a word of the dictionary said between
the digits (就是, 一起).
"""

import re
from functools import lru_cache

from tickets.drafting import language, sound

# the numerals a caller says digit by digit, and how they sound
SPOKEN_DIGITS = "零一二三四五六七八九幺两"
PHONE_LIKE = 6  # numerals in a run before its homophones are taken for digits
MOBILE = 11
NUMERAL_CHARS = frozenset("零〇一幺二两三四五六七八九十百千万")
# radio digits some callers use inside a number (九 洞 五: 905); only between numerals,
# since alone they are words (路上 有 个 洞, 往 左 拐)
RADIO_DIGITS = {"洞": "零", "拐": "七"}
_NUMERAL = re.compile(r"[零〇一幺二两三四五六七八九十百千万0-9]")


@lru_cache(maxsize=1)
def _by_sound() -> dict[str, str]:
    """Fuzzy sound code → the spoken digit it is (shi and si are both 四: 十 is no digit
    when a number is said digit by digit)."""
    return {sound.primary(digit): digit for digit in SPOKEN_DIGITS}


def digit_for(char: str) -> str | None:
    """The spoken digit a character sounds like (any of its readings), None if none."""
    if char in NUMERAL_CHARS:
        return None
    table = _by_sound()
    for code in sound.codes(char):
        if code in table:
            return table[code]
    return None


def _kind(word: str) -> str:
    """``numeral`` (all numerals), ``homophone`` (all sound like digits, some not numerals)
    or ``other``."""
    if word and all(c in NUMERAL_CHARS or c.isdigit() for c in word):
        return "numeral"
    if len(word) > 1 and not _has_numeral(word) and language.is_word(word):
        return "other"  # 就是, 一起: a word said between the digits, not two of them
    if word and len(word) <= 4 and all(c in NUMERAL_CHARS or c.isdigit() or digit_for(c)
                                       for c in word):
        return "homophone"
    return "other"


def read_digits(words: list[str]) -> list[str]:
    """The words with the digit homophones of spoken numbers written as the digits."""
    numerals = len(_NUMERAL.findall("".join(words)))
    if numerals < PHONE_LIKE:
        return _service_numbers(words) if numerals >= 2 else words
    kinds = [_kind(w) for w in words]
    out = list(words)
    i = 0
    while i < len(words):
        if kinds[i] == "other":
            i += 1
            continue
        j = i
        while j < len(words) and kinds[j] != "other":
            j += 1
        _read_run(words, kinds, out, i, j)
        i = j
    return out


def _read_run(words: list[str], kinds: list[str], out: list[str], i: int, j: int) -> None:
    """Rewrite the homophones of ``words[i:j]`` when the run is a spoken number."""
    first, last = i, j
    while first < last and kinds[first] == "homophone" and not _has_numeral(words[first]):
        first += 1
    while last > first and kinds[last - 1] == "homophone" and not _has_numeral(words[last - 1]):
        last -= 1
    numerals = sum(c in NUMERAL_CHARS or c.isdigit() for w in words[first:last] for c in w)
    if numerals < PHONE_LIKE:
        return
    core = sum(len(w) for w in words[first:last])
    if core == MOBILE - 1 and first > i and len(words[first - 1]) == 1 \
            and digit_for(words[first - 1]) == "一":
        first -= 1  # 衣 三 九 …: a mobile number's leading 1
    for k in range(first, last):
        out[k] = "".join(c if c in NUMERAL_CHARS or c.isdigit() else str(digit_for(c))
                         for c in words[k])


# the numbers an agent hands a call to: three digits, two of them said as numerals are enough
# to hear the third (一 幺 就: 119), since nothing else is said so short
SERVICES = frozenset({"110", "119", "120", "122"})
_SERVICE_DIGITS = {"零": "0", "〇": "0", "一": "1", "幺": "1", "二": "2", "九": "9"}


def _service_numbers(words: list[str]) -> list[str]:
    """The words with an emergency service's number heard through one homophone read as it."""
    out = list(words)
    for k in range(len(words) - 2):
        three = words[k:k + 3]
        if any(len(w) != 1 for w in three) or sum(w in NUMERAL_CHARS for w in three) != 2 \
                or (k + 3 < len(words) and _has_numeral(words[k + 3])) \
                or (k and _has_numeral(words[k - 1])):
            continue
        spoken = [w if w in NUMERAL_CHARS else digit_for(w) or "" for w in three]
        if "".join(_SERVICE_DIGITS.get(d, "?") for d in spoken) in SERVICES:
            out[k:k + 3] = spoken
    return out


def _has_numeral(word: str) -> bool:
    return any(c in NUMERAL_CHARS or c.isdigit() for c in word)
