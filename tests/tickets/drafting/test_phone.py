"""The callback number: spoken digits, corrections, and no number at all."""

import pytest

from tests.tickets.drafting.helpers import call
from tickets.drafting.fields.phone import extract


def test_a_mobile_number_spoken_digit_by_digit() -> None:
    found = extract(call("A: 您 的 电话", "C: 一 五 二 六 四 零 一 八 三 五 七"))
    assert found.number == "15264018357"


def test_yao_is_one() -> None:
    assert extract(call("C: 电话 是 幺 三 六 五 六 四 一 零 二 三 八")).number == "13656410238"


def test_a_landline_with_its_area_code() -> None:
    assert extract(call("C: 零 五 三 一 八 三 二 一 六 七 五 八 是 我们 办公室 的")).number \
        == "053183216758"


def test_a_corrected_number_wins() -> None:
    spoken = "C: 一 三 五 幺 八 二 七 四 零 六 六 不 对 是 一 三 五 幺 八 二 七 四 零 九 九"
    assert extract(call(spoken)).number == "13518274099"


def test_a_correction_in_a_later_turn_wins() -> None:
    assert extract(call("C: 一 三 九 四 三 五 一 七 六 二 零", "A: 好的",
                        "C: 说错 了 是 一 三 九 四 三 五 一 七 六 二 八")).number == "13943517628"


def test_a_correction_of_the_last_digits() -> None:
    spoken = "C: 一 三 四 五 三 五 五 七 八 二 零 说错 了 最后 是 八 二 一"
    assert extract(call(spoken)).number == "13453557821"


@pytest.mark.parametrize("caller", ["就 这个 号码 吧", "电话 就 打 我 这个 就 行", "不 用 留 了"])
def test_this_number_gives_no_spoken_number(caller: str) -> None:
    assert extract(call("A: 您 的 电话", f"C: {caller}")).number is None


def test_other_numbers_are_not_phone_numbers() -> None:
    found = extract(call("C: 交 了 一万 二 住 在 十八 楼 拨打 一 二 三 四 五 车牌 后面 三 九 七"))
    assert found.number is None


def test_numbers_the_agent_speaks_are_not_the_callers() -> None:
    assert extract(call("A: 您 可以 拨打 零 五 三 一 八 八 八 八 八 八 八 八")).number is None


def test_a_local_number_counts_only_after_a_phone_word() -> None:
    assert extract(call("C: 电话 八 三 二 一 六 七 五 八")).number == "83216758"
    assert extract(call("C: 欠 了 八 三 二 一 六 七 五 八 块")).number is None


def test_an_area_code_said_apart_joins_its_number() -> None:
    assert extract(call("C: 区号 零 四 七 三 电话 三 九 六 二 五 八 一")).number == "04733962581"


def test_a_number_broken_across_turns_is_joined() -> None:
    assert extract(call("C: 我 电话 是 一 三 八 零", "A: 嗯",
                        "C: 四 七 三 五 六 七 八")).number == "13804735678"


def test_other_trailing_digits_do_not_change_the_number() -> None:
    found = extract(call("C: 电话 一 五 二 六 四 零 一 八 三 五 七",
                         "C: 车牌 没 看 清 就 记得 后面 是 三 九 七"))
    assert found.number == "15264018357"
