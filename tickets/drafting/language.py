"""How likely a stretch of Chinese is as written: the best split of it into dictionary words,
each as frequent as jieba's dictionary says (a unigram language model). The hearing weighs
what was heard against the known word it sounds like with it: 然气 (然 + 气, two words seldom
together) gives way to 燃气; 的事 (的 + 事) stays, however much it sounds like 的士."""

import math
from functools import lru_cache

import jieba

UNKNOWN = -19.0  # log-probability of a character the dictionary never saw alone
LONGEST_WORD = 6


@lru_cache(maxsize=1)
def _model() -> tuple[dict[str, float], float]:
    jieba.initialize()
    frequencies: dict[str, int] = jieba.dt.FREQ
    total = math.log(jieba.dt.total)
    return {word: math.log(n) - total for word, n in frequencies.items() if n > 0}, total


@lru_cache(maxsize=65536)
def log_probability(text: str) -> float:
    """The log-probability of ``text`` split into words as well as it can be."""
    model = _model()[0]
    if not text:
        return 0.0
    best = [0.0] + [-math.inf] * len(text)
    for end in range(1, len(text) + 1):
        for start in range(max(0, end - LONGEST_WORD), end):
            word = text[start:end]
            score = model.get(word)
            if score is None:
                if end - start > 1:
                    continue
                score = UNKNOWN
            best[end] = max(best[end], best[start] + score)
    return best[-1]


def is_word(text: str) -> bool:
    """Whether the dictionary has ``text`` as one word."""
    return text in _model()[0]


def load() -> None:
    """Read the dictionary now (warm-up) rather than on the first draft."""
    _model()
