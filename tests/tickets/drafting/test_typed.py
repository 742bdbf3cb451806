"""Typed text (an agent's note, a web form) without the recogniser's spaces drafts alike."""

from tickets.drafting.normalise import tokens
from tickets.drafting.service import draft_from_turns
from tickets.drafting.transcript import Turn


def test_an_unspaced_sentence_gives_its_place_and_emergency() -> None:
    result = draft_from_turns([Turn("caller", "我家楼道里着火了 在和平路15号")])
    assert result.emergency == "119" and "和平路15号" in result.address


def test_punctuation_separates_and_numbers_stay_numbers() -> None:
    result = draft_from_turns([Turn("caller", "我要投诉，美林小区电梯坏了半个月。电话13943517620")])
    assert (result.request_type, result.phone) == ("投诉", "13943517620")
    assert "美林小区" in result.address


def test_a_numeral_typed_before_its_unit_is_a_number() -> None:
    assert tokens("三号楼二单元") == ["3", "号", "楼", "2", "单元"]
