"""Word confidences from n-best readings: a word is as sure as the readings that agree."""

import math

from asr.recognition.nbest import read_alternatives


def reading(score: float, *words: tuple[str, float, float]) -> dict[str, object]:
    return {"confidence": score, "text": " ".join(w for w, _, _ in words),
            "result": [{"word": w, "start": s, "end": e} for w, s, e in words]}


def test_a_word_every_reading_agrees_on_is_sure_one_they_differ_on_is_not() -> None:
    text, words, alternatives = read_alternatives({"alternatives": [
        reading(10.0, ("楼道", 0.0, 0.4), ("着火", 0.5, 0.9)),
        reading(10.0 - math.log(3), ("楼道", 0.0, 0.4), ("着活", 0.5, 0.9))]})
    assert text == "楼道 着火"
    assert [(w.word, w.conf) for w in words] == [("楼道", 1.0), ("着火", 0.75)]
    assert [a.text for a in alternatives] == ["楼道 着火", "楼道 着活"]


def test_the_same_word_at_another_time_is_no_agreement() -> None:
    _, words, _ = read_alternatives({"alternatives": [
        reading(0.0, ("一", 0.0, 0.2), ("二", 0.3, 0.5)),
        reading(0.0, ("二", 0.0, 0.2), ("一", 0.3, 0.5))]})
    assert [w.conf for w in words] == [0.5, 0.5]


def test_nothing_heard_is_no_reading() -> None:
    assert read_alternatives({"alternatives": [{"confidence": 1.0, "text": "",
                                                "result": []}]}) == ("", (), ())
    assert read_alternatives({}) == ("", (), ())
