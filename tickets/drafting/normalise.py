"""Vosk's Chinese output made readable: words joined, numerals as digits, fillers dropped.

The recogniser writes ``一 八 六 六 …`` for a phone number, ``二百 一十 号`` for a house
number and separates every word by a space. Drafting reads the joined text, where numerals
that a caller speaks as numbers are Arabic digits (``3号楼``, ``210号``), while numerals that
are part of a name stay Chinese (``经十路``, ``二环``: Jinan's 经/纬 grid, ring roads).
"""

from functools import lru_cache

from tickets.drafting import segment
from tickets.drafting.digits import RADIO_DIGITS, read_digits
from tickets.drafting.housenumbers import read_house_numbers

DIGITS = {"零": 0, "〇": 0, "一": 1, "幺": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
          "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
NUMERAL_CHARS = frozenset(DIGITS) | frozenset(UNITS)
# words written with numeral characters that are not numbers ("千万别说" means "by no means")
NOT_NUMBERS = frozenset({"千万", "万一", "万万", "一一", "十分", "万千", "百万千万"})
# pure interjections: dropped so that digits spoken around a hesitation still join up
FILLERS = frozenset({"嗯", "呃", "额", "啊", "哦", "噢", "唔", "呐", "嗯嗯", "啊啊", "呃呃",
                     "哎", "唉", "欸", "诶", "嘿", "哈", "哈哈", "哈哈哈"})
# a numeral right after one of these names a road of a grid (经二路, 纬三路), not a number
NAME_PREFIXES = frozenset({"经", "纬"})
NAME_FOLLOWERS = ("环", "马路")  # 二环, 三马路: ordinal names
# dates that name roads and squares across China (八一路, 五四大街, 二七广场): kept as words
# before a road or square, spoken as one word by the recogniser
# a lone 一 before these is "a"/"one" in a phrase (一家 一片 一股 一下), not a number: kept as
# written so that phrase lexicons match (addresses take 一 号 楼 → 1号楼, unaffected)
ONE_AS_WORD = frozenset("家片个下些样点次趟般共边会天夜整直股把声句种阵")
DATE_NAMES = frozenset({"八一", "五四", "五一", "七一", "二七", "三八", "九一八"})
DATE_NAME_FOLLOWERS = ("路", "街", "大街", "大道", "广场", "桥", "公园", "中路", "东路", "西路",
                       "南路", "北路", "小区", "新村")


def is_numeral(token: str, first: bool = True) -> bool:
    """Whether a recogniser token is (the start of) a number spoken in Chinese."""
    return bool(token) and token not in NOT_NUMBERS and all(c in NUMERAL_CHARS for c in token) \
        and not (first and token[0] in "百千万")


def _section(text: str) -> int | None:
    """Value of a numeral below 10 000 written with units (三百五 = 350), None if malformed."""
    total, pending, last_unit, zero_seen = 0, None, 0, False
    for char in text:
        if char in DIGITS:
            if pending not in (None, 0):
                return None  # two digits without a unit between them: not positional
            pending = DIGITS[char]
            zero_seen = zero_seen or pending == 0
            continue
        unit = UNITS[char]
        if unit == 10000 or (last_unit and unit >= last_unit):
            return None
        total += (1 if pending is None else pending) * unit
        pending, last_unit, zero_seen = None, unit, False
    if pending:
        # colloquial shortening: 三百五 is 350, 一千二 is 1200 (no 零 in between)
        total += pending * (last_unit // 10 if last_unit >= 100 and not zero_seen else 1)
    return total


def numeral_value(text: str) -> str | None:
    """A numeral as Arabic digits: digit by digit (一八六 → 186) or positional (二百一十 → 210)."""
    if not text or any(c not in NUMERAL_CHARS for c in text):
        return None
    if not any(c in UNITS for c in text):
        return "".join(str(DIGITS[c]) for c in text)
    high, _, low = text.rpartition("万")
    if "万" in text:
        high_value = _section(high) if high else 1
        low_value = _section(low) if low else 0
        if high_value is None or low_value is None:
            return None
        if low and low[-1] in DIGITS and not any(c in UNITS for c in low) and len(low) == 1:
            low_value *= 1000  # 一万二 is 12000
        return str(high_value * 10000 + low_value)
    value = _section(text)
    return None if value is None else str(value)


def _convert_run(run: str) -> str:
    """Digits for a run of numeral tokens; a phone number followed by a count splits."""
    value = numeral_value(run)
    if value is not None:
        return value
    # e.g. a digit-by-digit number directly followed by a positional one: split at the unit
    for cut in range(len(run) - 1, 0, -1):
        head, tail = numeral_value(run[:cut]), numeral_value(run[cut:])
        if head is not None and tail is not None:
            return head + tail
    return run


def tokens(text: str) -> list[str]:
    """The recogniser's words with fillers dropped and numerals turned into digits."""
    return converted(spoken(text)[0])[0]


def spoken(text: str) -> tuple[list[str], list[int]]:
    """The words of a text as said: a recogniser's spaced words, or typed text cut into
    words, fillers dropped, digit homophones inside numbers and house-number units heard by
    sound read as digits and units (:mod:`housenumbers`); with each
    word, the index of the space-separated token of ``text`` it comes from."""
    kept = [(w, n) for w, n in segment.words(text) if w not in FILLERS]
    return read_house_numbers(read_digits([w for w, _ in kept]), [n for _, n in kept])


def converted(raw: list[str]) -> tuple[list[str], list[tuple[int, int]]]:
    """Spoken words with numerals turned into digits; with each word, the range of ``raw``
    it comes from."""
    where = list(range(len(raw)))
    out: list[str] = []
    sources: list[tuple[int, int]] = []
    i = 0
    while i < len(raw):
        token = raw[i]
        if not is_numeral(token):
            out.append(token)
            sources.append((where[i], where[i] + 1))
            i += 1
            continue
        j = i
        while j < len(raw) and (is_numeral(raw[j], first=j == i) or _radio_digit(raw, j, i)):
            j += 1
        run = "".join(RADIO_DIGITS.get(t, t) for t in raw[i:j])
        follower = raw[j] if j < len(raw) else ""
        if j == i + 1 and token in DATE_NAMES and follower.startswith(DATE_NAME_FOLLOWERS):
            out.append(token)  # 八一 路: a date's name, not 81
        elif run == "一" and follower[:1] in ONE_AS_WORD:
            out.append(run)  # 就 我 一 家, 这 一 片: "one" as a word, not a number to keep
        elif out and out[-1] in NAME_PREFIXES and len(run) <= 2:
            out[-1] += run  # part of a name, kept Chinese and whole: 经二 (路)
            sources[-1] = (sources[-1][0], where[j - 1] + 1)
            i = j
            continue
        elif len(run) == 1 and follower.startswith(NAME_FOLLOWERS):
            out.append(run + follower)  # 二环, 三马路
            j += 1
        else:
            out.append(_convert_run(run))
        sources.append((where[i], where[j - 1] + 1))
        i = j
    return out, sources


def _radio_digit(raw: list[str], j: int, start: int) -> bool:
    """A radio digit inside a run of numerals: more radio digits, then a numeral, follow it."""
    if raw[j] not in RADIO_DIGITS or j <= start:
        return False
    k = j + 1
    while k < len(raw) and raw[k] in RADIO_DIGITS:
        k += 1
    return k < len(raw) and is_numeral(raw[k], first=False)


def join(words: list[str]) -> str:
    """Words joined as Chinese is written: no spaces, except between two words of a script
    written with spaces (two Latin words, two Hangul words)."""
    parts: list[str] = []
    for word in words:
        if parts and _spaced(parts[-1][-1:]) and _spaced(word[:1]):
            parts.append(" ")
        parts.append(word)
    return "".join(parts)


def _spaced(char: str) -> bool:
    """A letter of a script that separates words by spaces (not a Chinese character)."""
    return char.isalpha() and not ("\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff")


# dialect words read as Mandarin for drafting (not for display): 俺 我, 莫 挂 别 挂, 莫得 没有
DIALECT = {"俺": "我", "俺们": "我们", "俺家": "我家", "莫": "别", "莫要": "不要", "莫得": "没有",
           "没得": "没有", "冒得": "没有", "啥子": "什么"}


def standard(words: list[str]) -> list[str]:
    """Dialect words replaced by their Mandarin (the recogniser writes them as said)."""
    return [DIALECT.get(word, word) for word in words]


@lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """One recogniser line as readable Chinese text (cached: a live call re-reads its turns)."""
    return join(tokens(text))
