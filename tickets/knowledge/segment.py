"""Chinese word segmentation for the knowledge base (jieba, search mode).

Text is normalised (NFKC: full-width digits and letters become ASCII), cut into words in
jieba's search mode (a long word also yields its shorter dictionary words: 住房公积金 gives
住房, 公积金 …), lower-cased, and stripped of punctuation and function words. Matching is on
whole words, never on substrings: 金提 is not a word of 住房公积金提取.
"""

import logging
import threading
import unicodedata
from collections.abc import Iterable
from typing import Any

import jieba

MAX_TERM_LENGTH = 64  # kb_terms.term is String(64); longer tokens (URLs, hashes) are dropped

_STOPWORD_TEXT = """
    的 地 得 了 着 过 是 为 在 和 与 及 或 而 并 且 以 于 由 被 把 将 从 向 对 给 让 则 至 之 其
    也 还 又 都 就 才 再 很 太 更 最 已 不 没 无 有 要 想 能 会 可 该 个 些 这 那 哪 此 每 各
    吗 呢 吧 啊 呀 哦 嘛 么 哈 啦 喔 嗯 您 你 我 他 她 它 咱
    我们 你们 他们 她们 它们 大家 自己 这个 那个 这些 那些 这样 那样 这里 那里 哪里 哪个
    什么 怎么 怎么办 怎样 怎么样 如何 为什么 多少 几 是否 是不是 有没有 能否 可以 可不可以
    请问 请 谢谢 你好 您好 一下 一个 一些 以及 或者 还是 但是 因为 所以 如果 已经 需要 应该
    the a an of to in on at for and or is are be
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

_lock = threading.Lock()
_tokenizer: Any = None


def tokenizer() -> Any:
    """The jieba tokenizer, built once on first use (loading its dictionary takes ~1 s)."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                jieba.setLogLevel(logging.WARNING)
                built = jieba.Tokenizer()
                built.initialize()
                _tokenizer = built
    return _tokenizer


def normalise(text: str) -> str:
    """Full-width to half-width and lower case, so ＥＴＣ, ETC and etc are one word."""
    return unicodedata.normalize("NFKC", text).lower()


def is_word(token: str) -> bool:
    """Whether a token carries meaning: some letter, digit or ideograph, not a stopword."""
    if not token or len(token) > MAX_TERM_LENGTH or token in STOPWORDS:
        return False
    return any(ch.isalnum() for ch in token)


def words(text: str) -> list[str]:
    """The searchable words of ``text``, in order, repeats kept."""
    cut: Iterable[str] = tokenizer().cut_for_search(normalise(text))
    return [token for token in (raw.strip() for raw in cut) if is_word(token)]


def query_terms(text: str) -> list[str]:
    """The distinct words of a query, in the order they first occur."""
    return list(dict.fromkeys(words(text)))


def term_weights(title: str, body: str, title_boost: float = 2.0) -> dict[str, float]:
    """Term frequencies of an article; a word in the title counts ``title_boost`` times."""
    counts: dict[str, float] = {}
    for word in words(title):
        counts[word] = counts.get(word, 0.0) + title_boost
    for word in words(body):
        counts[word] = counts.get(word, 0.0) + 1.0
    return counts


def _fold(text: str) -> str:
    """``normalise`` character by character, so positions still point into ``text``."""
    return "".join((normalise(ch) or " ")[0] for ch in text)


def snippet(text: str, terms: Iterable[str], width: int = 80) -> str:
    """A stretch of ``text`` about ``width`` characters long around the first matched word."""
    folded = _fold(text)
    found = [at for term in terms if (at := folded.find(term)) >= 0]
    start = max(0, min(found) - width // 4) if found else 0
    piece = " ".join(text[start:start + width].split())
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + width < len(text) else ""
    return f"{prefix}{piece}{suffix}"
