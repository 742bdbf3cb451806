"""Which words cannot be part of a place name: function words, time words, common verbs.

Read once from jieba's dictionary (word, frequency, part of speech), which the project
already ships for the knowledge base; only the words drafting needs are kept.
"""

from functools import lru_cache
from pathlib import Path

import jieba

from tickets.drafting.normalise import DATE_NAMES  # numbers that are names too: 八一路

# pronouns, prepositions, conjunctions, particles, interjections, onomatopoeia, time words,
# numerals and classifiers
NEVER_NAMES = frozenset({"r", "p", "c", "u", "uj", "ul", "uz", "ug", "ud", "uv", "y", "e", "o",
                         "t", "m", "q", "mq", "zg", "x"})
# locatives (门口, 旁边) name no place, except right before a town or village (台上 镇)
LOCATIVE = frozenset({"f", "s"})
COMMON_ADVERB = 500  # 都, 就, 已经 …; rarer ones name places (极速网吧)
COMMON_VERB = 2000  # 知道, 觉得 …; rarer ones and road names (解放路, 胜利大街) are fine
COMMON_WORD = 100  # a word this frequent is what was said, not a mishearing of another


@lru_cache(maxsize=1)
def _classes() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    """(words that never name a place, common verbs, locatives, common two- and
    three-character words), from the dictionary file."""
    never: set[str] = set()
    verbs: set[str] = set()
    locatives: set[str] = set()
    common: set[str] = set()
    path = Path(jieba.__file__).parent / "dict.txt"
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            word, frequency, tag = line.split()
            if 2 <= len(word) <= 3 and int(frequency) >= COMMON_WORD:
                common.add(word)
            if tag in NEVER_NAMES or (tag == "d" and int(frequency) >= COMMON_ADVERB):
                never.add(word)
            elif tag == "v" and int(frequency) >= COMMON_VERB:
                verbs.add(word)
            elif tag in LOCATIVE:
                locatives.add(word)
    return frozenset(never), frozenset(verbs), frozenset(locatives), frozenset(common)


def never_a_name(word: str) -> bool:
    """A function, time or number word: 这么, 今年, 或者, 一下 (but 第五 人民医院 is a name)."""
    return word in _classes()[0] and not word.startswith("第") and word not in DATE_NAMES


def locative(word: str) -> bool:
    """A locative word: 门口, 旁边, 台上."""
    return word in _classes()[2]


def common_verb(word: str) -> bool:
    """A frequent verb: 知道, 需要, 解放 (still fine before 路)."""
    return word in _classes()[1]


def common_word(word: str) -> bool:
    """A word of the dictionary frequent enough to be what a caller said: 事实, 延长."""
    return word in _classes()[3]


def load() -> None:
    """Read the dictionary now (warm-up) rather than on the first draft."""
    _classes()
