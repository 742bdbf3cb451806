"""Emergencies: who must be called, and when an outage is the utility's emergency."""

import pytest

from tests.tickets.drafting.helpers import draft


def test_a_fire_is_119_and_very_urgent_public_safety() -> None:
    result = draft("C: 着火 了 我们 楼道 里 电动车 着火 了", "A: 马上 给 您 转 一 一 九")
    assert (result.emergency, result.urgency, result.category) == ("119", "非常紧急", "公共安全")
    assert result.request_type == "求助"


def test_an_unconscious_person_is_120_and_health() -> None:
    result = draft("C: 这 有 个 老大爷 倒 在 地上 了 叫 他 也 不 答应")
    assert (result.emergency, result.category) == ("120", "医疗卫生")


def test_a_burglary_in_progress_is_110() -> None:
    assert draft("C: 我 家 对门 有 人 在 撬 门 那家 人 都 出去 了").emergency == "110"


def test_a_crash_without_injuries_is_122_and_urgent() -> None:
    result = draft("C: 我 在 路口 跟 人 撞 车 了 人 都 没事 等 交警 来",
                   "A: 好的 帮 您 转 一 二 二")
    assert (result.emergency, result.urgency, result.category) == ("122", "紧急", "交通出行")


def test_a_gas_leak_without_fire_is_gas() -> None:
    result = draft("C: 我 家 燃气 表 那块 有 漏气 的 声音 一股 味 没有 着火")
    assert (result.emergency, result.category) == ("gas", "公共服务")


def test_a_gas_leak_that_burns_is_119() -> None:
    assert draft("C: 煤气 漏气 着火 了 厨房 烧起来 了").emergency == "119"


def test_a_whole_village_without_water_is_a_water_emergency() -> None:
    result = draft("C: 我们 村 停水 三 天 了 全 村 都 没有 水")
    assert (result.emergency, result.urgency) == ("water", "紧急")


def test_one_flat_whose_water_the_property_cut_is_no_emergency() -> None:
    result = draft("C: 我 要 投诉 物业 他们 把 我 家 的 水 给 停 了",
                   "C: 楼里 别人 家 都 有 水 就 我 家 没有")
    assert result.emergency is None
    assert (result.request_type, result.category) == ("投诉", "住房保障")


def test_one_shops_broadband_is_no_network_emergency() -> None:
    result = draft("C: 我 店里 的 宽带 断 了 三 回 了 就 我们 店 断 邻居 家 都 好好 的")
    assert result.emergency is None


def test_an_area_power_cut_is_a_power_emergency() -> None:
    assert draft("C: 我们 这 一 整 条 街 都 停电 了 两 个 小时 了").emergency == "power"


def test_a_building_without_heating_in_winter_is_a_heating_emergency() -> None:
    result = draft("C: 我们 整 栋 楼 暖气 一点 都 不 热 屋里 才 八 度")
    assert result.emergency == "heating"


def test_a_village_without_signal_is_a_network_emergency() -> None:
    assert draft("C: 我们 全 村 手机 没 信号 宽带 也 断 了").emergency == "network"


def test_an_ordinary_question_has_no_emergency() -> None:
    result = draft("C: 我 想 问 一下 今年 啥 时候 开始 供暖")
    assert result.emergency is None
    assert result.urgency == "一般"


def test_a_hazard_hanging_over_a_pavement_is_urgent_without_an_emergency() -> None:
    result = draft("C: 大 杨树 的 树枝 断 了 挂 在 半空 就 在 人行道 上面 万一 掉 下来 砸 着 人")
    assert result.emergency is None
    assert result.urgency == "紧急"


@pytest.mark.parametrize("caller", [
    "我 的 电动车 轮胎 漏气 了 修车 铺 乱 收费",
    "小区 消防车 通道 被 私家车 堵 了",
    "我 建议 社区 多 搞 点 急救 培训",
    "出 了 车祸 保险 公司 到 现在 都 不 赔",
    "我们 小区 明天 是不是 要 停电",
    "我 报警 了 警察 也 没 管 我 要 投诉",
])
def test_emergency_words_about_something_else_are_no_emergency(caller: str) -> None:
    assert draft(f"C: {caller}").emergency is None


def test_thanks_at_the_end_of_an_emergency_keep_it() -> None:
    result = draft("C: 着火 了 厨房 烧起来 了", "A: 马上 转 一 一 九", "C: 好 感谢")
    assert result.emergency == "119"


def test_a_handoff_said_in_other_words_counts() -> None:
    result = draft("C: 我 爸 突然 倒 下 了", "A: 好的 我 这边 帮 您 转接 到 一 二 零")
    assert result.emergency == "120"
