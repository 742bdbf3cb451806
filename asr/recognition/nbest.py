"""Word confidences from the recogniser's n-best readings.

Asked for alternatives, Vosk gives each reading a score but no word confidences. A word of
the best reading is as sure as the readings that agree with it are likely: the readings'
scores become weights (a softmax, as the scores are log-likelihoods), and a word's
confidence is the weight of the readings that say the same word over an overlapping time.
"""

import math
from collections.abc import Sequence
from typing import Any

from asr.events import Alternative, RecognisedWord


def _weights(scores: Sequence[float]) -> list[float]:
    top = max(scores)
    raw = [math.exp(score - top) for score in scores]
    total = sum(raw)
    return [w / total for w in raw]


def _overlaps(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return float(a["start"]) < float(b["end"]) and float(b["start"]) < float(a["end"])


def read_alternatives(result: dict[str, Any]) -> tuple[str, tuple[RecognisedWord, ...],
                                                       tuple[Alternative, ...]]:
    """The best reading's text, its words with confidences, and every reading's text."""
    readings = [r for r in result.get("alternatives") or [] if str(r.get("text", "")).strip()]
    if not readings:
        return "", (), ()
    weights = _weights([float(r.get("confidence", 0.0)) for r in readings])
    best = readings[0]
    words = []
    for word in best.get("result") or []:
        agreeing = sum(w for r, w in zip(readings, weights, strict=True)
                       if any(o["word"] == word["word"] and _overlaps(o, word)
                              for o in r.get("result") or []))
        words.append(RecognisedWord(str(word["word"]), round(agreeing, 4),
                                    float(word["start"]), float(word["end"])))
    alternatives = tuple(Alternative(str(r["text"]).strip(), float(r.get("confidence", 0.0)))
                         for r in readings)
    return str(best["text"]).strip(), tuple(words), alternatives
