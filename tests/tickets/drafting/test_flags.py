"""Enterprise callers and callers who ask to stay anonymous."""

import pytest

from tests.tickets.drafting.helpers import call
from tickets.drafting.fields.flags import confidential, enterprise


@pytest.mark.parametrize("caller", [
    "我 是 海南 区 一 家 化工 企业 人事 部 的",
    "我 是 市中 区 经 二 路 上 开 饭店 的",
    "我 是 开 超市 的 我 店里 的 宽带 断 了",
    "我 是 建达 建筑 公司 的 安全员",
    "我 是 一 个 苹果 种植 合作社 的 理事长",
])
def test_a_caller_speaking_for_a_business_is_an_enterprise(caller: str) -> None:
    assert enterprise(call(f"C: {caller}"))[0] is True


@pytest.mark.parametrize("caller", [
    "我 投诉 一 个 修 手机 的 店",
    "俺 村 的 地 流转 给 一 个 种植 合作社 了 一分 钱 也 没 给",
    "我 是 在 工地 干活 的 老板 欠 我们 工资",
    "我们 小区 的 快递 驿站 收 钱",
])
def test_a_caller_complaining_about_a_business_is_not_one(caller: str) -> None:
    assert enterprise(call(f"C: {caller}"))[0] is False


@pytest.mark.parametrize("caller", [
    "你们 查 的 时候 别 说 是 我 说 的",
    "你们 处理 的 时候 别 提 我",
    "就 是 别 让 人 知道 是 我 拍 的",
    "你们 保密 啊",
    "你们 可 别 把 我 电话 给 他们",
    "我 不 想 让 他 知道 是 我 投诉 的",
])
def test_asking_not_to_be_named_is_confidential(caller: str) -> None:
    assert confidential(call(f"C: {caller}"))[0] is True


@pytest.mark.parametrize("caller", [
    "不 用 保密 就 让 他们 知道 是 我 反映 的",
    "不 用 保密 我 就 要 让 他 知道",
    "电话 就 这个 号 就 行",
])
def test_declining_confidentiality_is_not_confidential(caller: str) -> None:
    assert confidential(call("A: 您 的 信息 需要 保密 吗", f"C: {caller}"))[0] is False


def test_the_agents_promise_alone_is_not_the_callers_wish() -> None:
    assert confidential(call("A: 我们 会 为 您 保密", "C: 好"))[0] is False
