"""An agent's hand-off heard through the recogniser's errors: the service's number with one
digit heard as a word, reassurance before it, its number half heard before the service."""

from tickets.drafting.normalise import normalise
from tickets.drafting.service import draft_from_turns
from tickets.drafting.transcript import Turn


def handed(agent: str) -> str | None:
    found = draft_from_turns([Turn("caller", "喂 你们 快 来 人 啊 我 这边 出 事 了"),
                              Turn("agent", agent)]).emergency
    return None if found is None else found.value


def test_a_service_number_with_one_digit_heard_as_a_word_is_the_number() -> None:
    assert normalise("马上 联系 一 幺 就 您 的 电话") == "马上联系119您的电话"
    assert handed("好的 我 这边 马上 联系 一 幺 就 您 的 联系 电话") == "119"
    assert normalise("今天 一 二 是 多少") == "今天12是多少"  # no service's number


def test_reassurance_before_a_hand_off_does_not_negate_it() -> None:
    assert handed("您 先 别 慌 马上 打 一 一 零 报警") == "110"
    assert handed("您 先 别 马上 打 一 一 零") is None  # 别 马上 打: do not call


def test_a_hand_off_whose_number_was_half_heard_before_the_service() -> None:
    assert handed("您 待 在 店 里 我们 马上 转 一 一 民警 会 过来") == "110"
    assert handed("您 可以 自己 联系 辖区 派出所 咨询") is None
