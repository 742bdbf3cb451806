"""Negated, past, supposed and joking mentions of an emergency are not emergencies."""

import pytest

from tests.tickets.drafting.helpers import draft
from tickets.drafting import modality


@pytest.mark.parametrize("caller", [
    "不 是 着火 就是 有人 在 烧 垃圾",
    "没有 着火 就是 楼道 里 有 烟味",
    "没 着火 是 邻居 家 烧烤",
    "人 都 没事 没 受伤 就是 车头 坏 了 已经 挪 到 路边 了 想 问 保险",
])
def test_a_negated_emergency_word_is_no_emergency(caller: str) -> None:
    assert draft("A: 您好 请 讲", f"C: {caller}").emergency not in ("119", "120")


@pytest.mark.parametrize("caller", [
    "我 想 提 个 建议 这个 路口 以前 出过 车祸 能 不能 装 个 红绿灯",
    "去年 这 栋 楼 起火 以后 一直 没 修 想 问 一下 什么 时候 修",
    "我 爸 上 周 在 家 晕倒 了 送 到 医院 现在 人 是 没事 了 我 要 投诉 护士 态度",
])
def test_a_past_emergency_is_no_emergency(caller: str) -> None:
    assert draft("A: 您好 请 讲", f"C: {caller}").emergency is None


def test_a_feared_event_is_no_emergency() -> None:
    result = draft("C: 村里 万一 有 人 晕倒 了 都 没 法 叫 车 建议 修 条 路")
    assert result.emergency is None


def test_a_call_the_caller_admits_was_a_joke_is_invalid() -> None:
    result = draft("A: 您好 请 讲", "C: 着火 了 着火 了 好 大 的 火",
                   "A: 请问 在 什么 位置", "C: 哈哈 骗 你 的 开 个 玩笑")
    assert result.emergency is None
    assert result.request_type == "无效"


def test_denying_a_joke_keeps_the_emergency() -> None:
    result = draft("C: 不 是 开玩笑 真的 着火 了 厨房 里 烧起来 了 快 来")
    assert result.emergency == "119"


def test_verb_complements_do_not_negate_what_follows() -> None:
    text = "车进不来建议修路"
    assert not modality.negated(text, text.index("建议"))
    assert modality.negated("没有着火", 2)


def test_praise_for_a_past_repair_is_no_emergency() -> None:
    result = draft("C: 我 想 表扬 供电 公司 昨天 我们 全 村 停电 了 他们 连夜 修好 了")
    assert result.emergency is None
    assert result.request_type == "表扬"
