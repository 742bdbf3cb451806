"""Cases found by a second held-out set, each written anew: the rule, not the sentence."""

import pytest

from tests.tickets.drafting.helpers import draft
from tickets.drafting.normalise import normalise


def test_a_fire_drill_asked_about_is_no_fire() -> None:
    result = draft("C: 我们 学校 下 周 组织 消防 演练 要 点 烟雾 弹 别人 看见 以为 着火 了 怎么办")
    assert result.emergency is None and result.urgency == "一般"


def test_something_only_taken_for_a_fire_is_no_fire() -> None:
    assert draft("C: 邻居 烧 纸 冒 烟 我 还 以为 着火 了 原来 没事").emergency is None


def test_a_gas_company_complained_of_with_no_leak_is_no_gas_emergency() -> None:
    result = draft("C: 我 投诉 燃气 公司 不是 漏 气 是 收费 太 高 了")
    assert result.emergency is None


def test_a_building_without_a_lift_is_no_power_cut() -> None:
    result = draft("C: 我们 小区 整 栋 楼 都 没 电梯 老人 上下 楼 太 难 了 建议 加装")
    assert result.emergency is None


def test_a_burst_heating_main_is_heating_not_water() -> None:
    result = draft("C: 我们 小区 整个 供热 管道 爆 了 到处 是 热水 全 小区 没 暖气 了")
    assert result.emergency == "heating"


def test_a_fine_from_the_traffic_police_is_no_traffic_emergency() -> None:
    result = draft("C: 我 投诉 交警 乱 开 罚单 我 就 停 了 一 分钟 交警 就 给 我 扣 分")
    assert result.emergency is None and result.request_type == "投诉"


def test_an_ambulance_that_came_days_ago_is_no_emergency_now() -> None:
    result = draft("C: 前 几 天 楼上 老人 被 救护车 送到 医院 了 我 想 问 问 楼道 要 不要 消毒")
    assert result.emergency is None


def test_a_cut_that_began_last_month_and_goes_on_still_counts() -> None:
    result = draft("C: 我们 村 从 上个月 开始 就 停水 了 全村 几百 口 人 到现在 没 水 吃")
    assert result.emergency == "water"


def test_radio_digits_inside_a_number_are_digits_and_words_elsewhere() -> None:
    assert normalise("一 三 八 洞 洞 拐 五 一 二 三 四") == "13800751234"
    assert normalise("路 中间 有 个 洞") == "路中间有个洞"


@pytest.mark.parametrize("words", [
    "你们 去 查 的 时候 别 暴露 我 他们 不好 惹",
    "别 告诉 他们 是 哪个 住户 反映 的",
    "麻烦 替 我 保个密",
])
def test_asking_to_stay_unnamed_in_other_words_is_confidential(words: str) -> None:
    assert draft(f"C: 我 举报 小区 里 有 人 私 拉 电线 {words}").confidential is True


def test_saying_there_is_nothing_to_keep_secret_is_not_confidential() -> None:
    result = draft("C: 我 投诉 楼下 饭店 油烟 大", "A: 需要 为 您 保密 吗",
                   "C: 有 啥 好 保密 的 你 直接 告诉 他们 是 我 说 的")
    assert result.confidential is False


def test_the_owner_of_a_named_shop_speaks_for_a_business() -> None:
    assert draft("C: 我 是 解放 路 小李 面馆 的 老板 想 问 一下 门头 招牌 怎么 报批").enterprise


def test_someone_elses_complaint_is_not_the_callers_request_type() -> None:
    result = draft("C: 我 开 了 个 洗车 店 有人 打 热线 投诉 我们 占道",
                   "C: 我 想 问 一下 到底 怎么 算 占道")
    assert result.request_type == "咨询"


@pytest.mark.parametrize("caller", [
    "喂 我 就 试试 这个 电话 能 不能 打 通 没 什么 事",
    "美女 陪 我 聊 会 天 嘛 我 睡 不 着",
])
def test_a_caller_who_wants_nothing_is_invalid(caller: str) -> None:
    assert draft("A: 您好 幺 二 三 四 五", f"C: {caller}").request_type == "无效"


def test_a_joke_told_in_passing_does_not_void_a_real_complaint() -> None:
    result = draft("C: 隔壁 工地 吵 得 我 都 想 报警 了 开 玩笑 的 "
                   "我 是 说 他们 每天 夜里 两 点 还 在 打桩")
    assert result.request_type != "无效" and result.emergency is None


def test_an_industrial_park_split_by_the_recogniser_is_one_place() -> None:
    assert "金桥工业园" in draft("C: 我们 在 龙泉 区 金桥 工业 园 里 面 停电 了").address


def test_a_favour_against_the_rules_refused_is_recorded_as_help() -> None:
    result = draft("C: 我 想 让 你们 跟 车管所 打 个 招呼 我 的 分 扣 满 了 能 不能 通融 一下",
                   "A: 不好意思 这 属于 违反 规定 的 诉求 我们 不能 帮您 协调")
    assert (result.not_accepted, result.request_type) == ("illegal", "求助")


def test_a_matter_already_reported_and_refused_as_repeat_is_a_complaint() -> None:
    result = draft("C: 我 上 周 说 的 那个 垃圾 站 臭 的 事 还 没 解决",
                   "A: 您 反映 的 同一 事项 已 在 办理 我们 不 重复 受理 会 督促 承办 单位")
    assert (result.not_accepted, result.request_type) == ("repeat", "投诉")
