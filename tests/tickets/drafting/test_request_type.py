"""Request types, categories and refusal reasons, told by meaning rather than by call."""

import pytest

from tests.tickets.drafting.helpers import draft


@pytest.mark.parametrize(("caller", "kind"), [
    ("我 要 投诉 楼下 饭店 油烟", "投诉"),
    ("我 举报 一 个 药店 卖 假药", "举报"),
    ("我 想 提 个 建议 公园 多 装 几 个 路灯", "建议"),
    ("我 不 是 来 投诉 的 我 是 来 表扬 的 师傅 修 得 好", "表扬"),
    ("我 想 咨询 一下 公积金 怎么 提取", "咨询"),
    ("我 想 反映 一下 学校 乱 收 资料费", "投诉"),
    ("我们 楼 门口 下水道 堵 了 脏 水 往 外 冒 你们 帮 我们 协调 一下", "求助"),
])
def test_request_type_follows_what_the_caller_says(caller: str, kind: str) -> None:
    assert draft(f"C: {caller}").request_type == kind


@pytest.mark.parametrize("lines", [
    ["A: 您好 请 讲", "A: 您好 您 那边 没有 声音 再见"],
    ["C: 喂 王 师傅 吗 空调 啥 时候 修", "A: 这里 是 政务 服务 热线 不是 王 师傅", "C: 打 错 了"],
    ["C: 嗯", "C: 啊"],
])
def test_empty_or_wrong_calls_are_invalid(lines: list[str]) -> None:
    result = draft(*lines)
    assert result.request_type == "无效"
    assert result.category is None


@pytest.mark.parametrize(("caller", "category"), [
    ("小区 物业 电梯 坏 了 半 个 月 不 修", "住房保障"),
    ("路灯 坏 了 一 个 礼拜 没人 修", "城乡建设"),
    ("楼下 广场舞 音响 噪音 太 大", "环境保护"),
    ("公交 班次 太 少 等 了 四十 分钟", "交通出行"),
    ("网吧 让 未成年人 进 去 上网", "科教文旅"),
    ("诊所 无证 行医 给 人 输液", "医疗卫生"),
    ("超市 卖 过期 牛奶 不 给 退", "经济综合"),
    ("俺 家 低保 突然 停 了", "民生保障"),
    ("村里 快递 不 送 要 去 乡 上 取", "公共服务"),
    ("土地 流转 费 合作社 拖 着 不 给", "农林水土"),
    ("有 辆 公车 周末 拉 着 一 家 人 去 钓鱼", "党务政务"),
    ("有 人 聚众 赌博 一 把 输赢 好 几 千", "公共安全"),
])
def test_categories_follow_the_topic(caller: str, category: str) -> None:
    assert draft(f"C: {caller}").category == category


@pytest.mark.parametrize(("lines", "reason"), [
    (["C: 这 事 俺 去年 就 写 信 到 县 信访局 了 信访局 也 受理 了",
      "A: 您 这个 事项 已经 通过 信访 渠道 受理 热线 按 规定 不 予 受理"], "petition"),
    (["C: 我 跟 开发商 的 官司 法院 已经 判 了 他们 不 执行",
      "A: 这 属于 司法 程序 热线 不 予 受理"], "litigation"),
    (["C: 军港 里 停 的 军舰 是 什么 型号",
      "A: 涉及 军事 秘密 我们 不能 提供 这 类 问题 热线 不 予 受理"], "secret"),
    (["C: 我 还是 反映 那个 公交站 的 事",
      "A: 您 之前 来电 反映 过 已经 答复 过 按 规定 不 再 重复 受理"], "repeat"),
    (["C: 我 在 成都 买 的 茶叶 是 假 的",
      "A: 商家 在 成都 不 属于 我 市 管辖 范围 建议 您 拨打 当地 的 一 二 三 四 五"],
     "out_of_jurisdiction"),
    (["C: 你们 帮 我 开 个 住 满 三 年 的 证明 通融 一下",
      "A: 这 属于 弄虚作假 热线 不能 受理"], "illegal"),
])
def test_refusal_reasons_follow_the_agents_refusal(lines: list[str], reason: str) -> None:
    assert draft(*lines).not_accepted == reason


def test_a_threat_to_petition_is_no_refusal() -> None:
    assert draft("C: 我 要 投诉 物业 再 不 解决 我 就 去 上访").not_accepted is None


def test_an_accepted_call_has_no_refusal_reason() -> None:
    assert draft("C: 我 要 投诉 路灯 坏 了", "A: 好的 我们 转 城管 处理").not_accepted is None
