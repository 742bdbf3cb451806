"""House numbers heard by sound: after a numeral a word sounding like a unit is the unit, and
before a unit the digit homophones of the number are digits; one of the two as written."""

import pytest

from tickets.drafting.gazetteer import PlaceKind, builtin
from tickets.drafting.normalise import tokens
from tickets.drafting.service import draft_from_turns
from tickets.drafting.transcript import Turn

CITY = builtin().with_places([("锦绣家园", PlaceKind.COMMUNITY), ("建设路", PlaceKind.ROAD)])


@pytest.mark.parametrize(("heard", "read"), [
    ("二 好楼 一 单元", ["2", "号楼", "1", "单元"]),  # the unit heard in another tone
    ("九 百 九十 九 豪", ["999", "号"]),
    ("山 号楼", ["3", "号楼"]),  # the digit heard as a word, the unit as said
    ("把十八 号", ["88", "号"]),
    ("七号楼二 单元", ["7", "号楼", "2", "单元"]),  # run together by the recogniser
])
def test_a_house_number_heard_otherwise_is_read_as_said(heard: str, read: list[str]) -> None:
    assert tokens(heard) == read


@pytest.mark.parametrize(("said", "read"), [
    ("这样 就 好", ["这样", "就", "好"]), ("有 三 好 学生", ["有", "3", "好", "学生"]),
    ("三 动 不 动", ["3", "动", "不", "动"]), ("就是 号码 不对", ["就是", "号码", "不对"])])
def test_words_that_only_sound_like_a_number_and_its_unit_stay(said: str, read: list[str]
                                                                ) -> None:
    assert tokens(said) == read


def test_the_address_gets_the_house_number_heard_by_sound() -> None:
    call = [Turn("caller", "我 要 投诉 楼道 里 的 灯 坏 了 一 个 月 没 人 修"),
            Turn("caller", "锦绣 家园 山 号楼 五 单元"), Turn("caller", "建设 路 把十八 号")]
    assert draft_from_turns(call, CITY).address == "锦绣家园3号楼5单元建设路88号"
