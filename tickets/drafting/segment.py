"""Words from any text: the recogniser's spaced words, or a sentence an agent typed or a web
form sent (我家楼道里着火了，在和平路15号), cut into words as the recogniser would space them.

A recogniser writes words of one to four characters; a longer stretch without spaces is
typed text (or words the recogniser ran together) and is cut with jieba's dictionary, digits
apart and a numeral kept apart from the unit after it (三号楼 → 三 号楼), as the recogniser
says them. Punctuation separates words and is dropped.
"""

import logging
import re
from functools import lru_cache

import jieba

jieba.setLogLevel(logging.WARNING)  # its start-up lines are no concern of a draft's reader
LONG = 5  # characters without a space from which a stretch is cut into words
_PUNCTUATION = re.compile(r"[，。！？、；：,.!?;:（）()“”\"'《》【】\[\]…~～—\-]+")
_PARTS = re.compile(r"\d+(?:\.\d+)?|[A-Za-z]+|[^\dA-Za-z]+")
_NUMERAL_THEN_UNIT = re.compile(r"^([零〇一二两三四五六七八九十百千万]+)"
                                r"(号楼|号院|号|楼|栋|幢|单元|层|室|路|块|元|天|年|月|日|点|个|户|"
                                r"家|次|岁|分钟|小时)$")
_UNIT_THEN_NUMERAL = re.compile(r"^(楼|号|栋|单元|层)([零〇一二两三四五六七八九十百千万]+)$")


def words(text: str) -> list[tuple[str, int]]:
    """The words of ``text`` with the index of the space-separated token each comes from."""
    out: list[tuple[str, int]] = []
    plain = _PUNCTUATION.search(text) is None  # the recogniser's words: no punctuation
    for n, token in enumerate(text.split()):
        if plain and len(token) < LONG:
            out.append((token, n))
            continue
        for piece in _PUNCTUATION.split(token):
            if not piece:
                continue
            if len(piece) < LONG:
                out.append((piece, n))
                continue
            out.extend((word, n) for word in _cut(piece))
    return out


@lru_cache(maxsize=4096)
def _cut(piece: str) -> tuple[str, ...]:
    """A long stretch as words: digits and Latin apart, Chinese by the dictionary."""
    out: list[str] = []
    for part in _PARTS.findall(piece):
        if not ("\u3400" <= part[0] <= "\u9fff"):
            out.append(part)
            continue
        for word in jieba.lcut(part, HMM=False):
            out.extend(_numeral_apart(word))
    return tuple(out)


def _numeral_apart(word: str) -> list[str]:
    """三号楼 → 三 号楼, 楼二 → 楼 二: a numeral is its own word, as the recogniser says it."""
    for pattern in (_NUMERAL_THEN_UNIT, _UNIT_THEN_NUMERAL):
        match = pattern.match(word)
        if match:
            return [match.group(1), match.group(2)]
    return [word]


def load() -> None:
    """Read jieba's dictionary now (warm-up) rather than on the first typed text."""
    jieba.initialize()
