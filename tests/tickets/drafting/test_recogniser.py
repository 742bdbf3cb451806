"""What Vosk gives beside the text: word confidences and alternatives reach the drafting."""

import json

import pytest

from tickets.drafting.errors import MalformedTranscript
from tickets.drafting.service import draft_from_turns
from tickets.drafting.transcript import Alternative, RecognisedWord, Turn, parse_transcript

FIRE = "我们 楼道 里 电动车 着火 了 在 和平 路 十五 号"


def sure(text: str, conf: float) -> Turn:
    """A caller turn whose every word the recogniser gave ``conf``."""
    return Turn("caller", text, tuple(RecognisedWord(w, conf, n, n + 0.5)
                                      for n, w in enumerate(text.split())))


def test_a_field_built_from_doubted_words_says_so_in_its_confidence() -> None:
    doubted, trusted = draft_from_turns([sure(FIRE, 0.3)]), draft_from_turns([sure(FIRE, 0.97)])
    assert doubted.emergency == trusted.emergency == "119"
    for name in ("emergency", "address", "request_type", "summary"):
        assert doubted.confidence[name] < trusted.confidence[name], name


def test_an_emergency_only_an_alternative_hears_is_raised_to_be_checked() -> None:
    best = "我们 楼道 里 电动车 找 或 了 快 来"
    other = "我们 楼道 里 电动车 着火 了 快 来"
    turn = Turn("caller", best, alternatives=(Alternative(best, 212.5), Alternative(other, 208.1)))
    found = draft_from_turns([turn])
    assert found.emergency == "119" and found.confidence["emergency"] <= 0.6
    assert draft_from_turns([Turn("caller", best)]).emergency is None


def test_a_graver_emergency_in_an_alternative_wins_over_an_outage() -> None:
    best = "我们 整个 小区 停电 了 楼道 里 有 人 倒 下 了"
    turn = Turn("caller", best, alternatives=(
        Alternative(best, 1.0), Alternative("我们 整个 小区 停电 了 楼道 里 有 人 晕倒 了", 0.9)))
    assert draft_from_turns([turn]).emergency == "120"


def test_the_words_and_alternatives_are_read_from_json() -> None:
    raw = json.dumps([{"speaker": "caller", "text": "着火 了",
                       "words": [{"word": "着火", "conf": 0.42, "start": 0.1, "end": 0.6},
                                 {"word": "了", "conf": 0.9, "start": 0.6, "end": 0.8}],
                       "alternatives": [{"text": "着火 了", "confidence": 120.3},
                                        {"text": "着 伙 了", "confidence": 118.0}]}])
    [turn] = parse_transcript(raw)
    assert turn.words[0] == RecognisedWord("着火", 0.42, 0.1, 0.6)
    assert turn.alternatives[1] == Alternative("着 伙 了", 118.0)


@pytest.mark.parametrize("words", ['[{"word": "着火"}]', '[{"word": "着火", "conf": 1.5}]',
                                   '"着火"', '[{"word": 3, "conf": 0.5}]'])
def test_malformed_words_are_a_clear_error(words: str) -> None:
    with pytest.raises(MalformedTranscript):
        parse_transcript(f'[{{"speaker": "caller", "text": "着火", "words": {words}}}]')


def test_malformed_alternatives_are_a_clear_error() -> None:
    with pytest.raises(MalformedTranscript):
        parse_transcript('[{"speaker": "caller", "text": "x", "alternatives": [{"text": 1}]}]')
