"""The callback number from what the call already knows: the caller ID."""

from tests.tickets.drafting.helpers import turns
from tickets.drafting.service import draft_from_turns

CALLER = "13912345678"


def draft(*lines: str, caller_id: str | None = CALLER) -> dict[str, object]:
    return draft_from_turns(turns(*lines), caller_id=caller_id).to_json()


def test_without_a_spoken_number_the_caller_id_is_the_callback_number() -> None:
    data = draft("C: 我 要 投诉 小区 物业 不 管 电梯", "A: 就 用 您 来电 的 号码 吗",
                 "C: 对 就 这个 号码")
    assert (data["phone"], data["phone_source"]) == (CALLER, "caller_id")
    assert data["confidence"]["phone"] >= 0.9  # type: ignore[index]


def test_the_caller_id_said_back_is_spoken_and_surest() -> None:
    data = draft("C: 电话 是 一 三 九 一 二 三 四 五 六 七 八")
    assert (data["phone"], data["phone_source"]) == (CALLER, "spoken")


def test_a_spoken_number_a_digit_off_the_caller_id_is_the_caller_id() -> None:
    for spoken in ("一 三 九 一 二 三 四 五 六 七 九", "一 三 九 一 二 四 五 六 七 八",
                   "一 三 九 一 二 三 四 五 六 七 八 八"):
        data = draft(f"C: 我 的 电话 {spoken}")
        assert (data["phone"], data["phone_source"]) == (CALLER, "caller_id"), spoken


def test_another_number_spoken_is_the_callback_number() -> None:
    data = draft("C: 打 我 女儿 的 手机 吧 一 八 六 六 八 九 一 五 三 零 二")
    assert (data["phone"], data["phone_source"]) == ("18668915302", "spoken")


def test_without_a_caller_id_the_draft_is_as_before() -> None:
    assert draft("C: 我 要 投诉 物业", caller_id=None)["phone"] is None
    assert draft("C: 我 要 投诉 物业", caller_id=None)["phone_source"] is None
    spoken = draft_from_turns(turns("C: 电话 一 八 六 六 八 九 一 五 三 零 二"))
    assert spoken.phone == "18668915302"
