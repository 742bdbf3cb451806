"""What the drafting accepts as a transcript."""

import pytest

from tickets.drafting.errors import MalformedTranscript
from tickets.drafting.transcript import Turn, parse_transcript


def test_a_json_list_of_turns() -> None:
    raw = '[{"speaker": "agent", "text": "您好"}, {"speaker": "caller", "text": "我 要 投诉"}]'
    assert parse_transcript(raw) == [Turn("agent", "您好"), Turn("caller", "我 要 投诉")]


def test_a_labelled_call_object_with_turns() -> None:
    assert parse_transcript('{"id": "x", "turns": [{"speaker": "caller", "text": "喂"}]}') \
        == [Turn("caller", "喂")]


def test_plain_text_is_the_callers_words_one_turn_per_line() -> None:
    assert parse_transcript("我 要 投诉\n电梯 坏 了\n") == [Turn("caller", "我 要 投诉"),
                                                        Turn("caller", "电梯 坏 了")]


@pytest.mark.parametrize("raw", [
    "", "   ", "[", '{"turns": 3}', "[1, 2]", '[{"speaker": "robot", "text": "hi"}]',
    '[{"speaker": "caller", "text": 5}]', '"just a string"'.replace('"', "[") ,
])
def test_malformed_transcripts_are_refused(raw: str) -> None:
    with pytest.raises(MalformedTranscript):
        parse_transcript(raw)
