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


def test_a_gas_smell_written_with_the_recognisers_slip_is_a_gas_emergency() -> None:
    assert draft("C: 整 个 单元 楼道 里 一股 然气 味 好 呛").emergency == "gas"


def test_heating_written_as_the_recognisers_slip_still_counts() -> None:
    result = draft("C: 我们 整个 小区 暖器 都 不 热 了 一 千 多 户")
    assert result.emergency == "heating"


def test_a_notice_that_was_never_posted_is_no_planned_cut() -> None:
    result = draft("C: 我们 这 一 片 好 几 个 小区 停水 两 天 了 也 没 贴 停水 通知")
    assert result.emergency == "water"


def test_no_water_to_irrigate_with_is_a_drought_not_an_outage() -> None:
    assert draft("C: 村里 好 多 户 的 果园 夏天 没 水 浇 想 修 个 蓄水池").emergency is None


def test_a_fire_seen_on_television_is_no_fire() -> None:
    result = draft("C: 昨天 电视 上 的 节目 讲 一 个 小区 着火 了 我 想 问 家里 要 不要 买 灭火器")
    assert result.emergency is None


def test_a_supposition_reaches_across_a_long_clause() -> None:
    result = draft("C: 我 想 问 一下 假如 说 开车 跟 别人 有 点 小 剐蹭 能 不能 自己 先 挪 车")
    assert result.emergency is None


def test_an_accident_nobody_was_hurt_in_argued_with_an_insurer_is_a_real_request() -> None:
    result = draft("C: 去年 我 出 了 个 车祸 对方 全 责 人 也 没 什么 事 "
                   "可 他 那 保险 公司 半 年 了 一直 拖 着 不 赔")
    assert result.request_type != "无效"


def test_a_prank_the_agent_calls_a_false_report_is_invalid() -> None:
    result = draft("C: 着火 啦 快 来 啊", "A: 请问 哪里 着火 了",
                   "C: 哈哈 骗 你 的 我们 宿舍 打 赌 看 你们 接 不 接",
                   "A: 谎报 警情 是 违法 行为 请 不要 再 拨打 这种 电话")
    assert result.request_type == "无效"


def test_can_you_make_them_pay_me_is_no_wish_for_anonymity() -> None:
    assert draft("C: 你们 能 不能 先 让 厂里 把 钱 给 我").confidential is False


def test_a_shop_opened_somewhere_named_speaks_for_a_business() -> None:
    assert draft("C: 我 在 东门 街道 和平 路 开 了 个 奶茶 店 店 里 宽带 老 断").enterprise


def test_a_caller_asking_to_stay_unnamed_is_reporting_someone() -> None:
    result = draft("C: 我 反映 一下 我们 楼 有 人 在 楼顶 搭 彩钢 房 别 让 他们 知道 是 我 说 的")
    assert result.request_type == "举报"


def test_the_last_digits_corrected_apply_only_to_a_number_said_before() -> None:
    result = draft("C: 一 三 七 九 九 五 三 零 二 八 六 不对 后面 是 八 零 二 八 六 "
                   "就是 一 三 七 九 九 五 八 零 二 八 六")
    assert result.phone == "13799580286"


def test_a_road_named_after_a_river_keeps_its_direction() -> None:
    assert "南滨河路" in draft("C: 七里河 区 南 滨河 路 路面 结冰 了 好 几 辆 车 撞 了").address


def test_the_citys_own_library_is_a_place() -> None:
    assert "图书馆" in draft("C: 我 建议 金水 区 那个 市 图书馆 晚上 开 到 十 点").address


def test_an_agent_putting_the_ambulance_through_is_a_handoff() -> None:
    result = draft("C: 我 老婆 怀孕 七 个 月 突然 肚子 疼 还 见红 了",
                   "A: 我 马上 帮您 接 一 二 零 请 说 地址")
    assert (result.emergency, result.urgency) == ("120", "非常紧急")


def test_a_signal_that_comes_and_goes_is_not_negated() -> None:
    result = draft("C: 我们 这 一 片 手机 信号 时 有 时 无 宽带 全 断 了 好多 户 都 这样")
    assert result.emergency == "network"


def test_not_a_drop_of_water_across_a_neighbourhood_is_a_water_emergency() -> None:
    result = draft("C: 我们 小区 好 几 栋 楼 从 昨天 到 现在 一 滴 水 都 没有")
    assert result.emergency == "water"


def test_dialect_prohibitions_and_not_leaving_a_name_ask_for_anonymity() -> None:
    assert draft("C: 我 举报 隔壁 在 卖 假 烟 你们 莫 要 说 是 我 打 的").confidential
    assert draft("C: 我 举报 河 边 有 人 偷 倒 垃圾 我 不 方便 留 名字").confidential


def test_workers_of_a_factory_do_not_speak_for_it() -> None:
    result = draft("C: 我们 是 城南 那个 纸箱 厂 的 工人 厂 里 两 个 月 没 发 工资 了")
    assert result.enterprise is False


def test_a_project_manager_speaks_for_the_company_though_a_worker_is_mentioned() -> None:
    result = draft("C: 我 是 建工 公司 的 项目 经理 我们 工地 有 个 工人 摔 伤 了")
    assert result.enterprise is True


def test_roads_named_after_dates_keep_their_names() -> None:
    assert "八一路" in draft("C: 我 住 在 城南 区 八一 路 那边 路灯 不 亮").address
    assert "五四大街" in draft("C: 城西 区 五四 大街 上 有 个 井盖 没 了").address


def test_a_district_the_recogniser_split_in_two_is_one_place() -> None:
    assert "浦东新区" in draft("C: 我 在 浦东 新区 这边 想 问 一下 社保 卡 怎么 办").address


def test_an_agent_repeating_the_suggestion_back_names_it() -> None:
    result = draft("C: 我们 这 小区 老人 多 能 不 能 在 社区 弄 个 助餐 点",
                   "A: 好的 您 的 建议 我们 转 民政 部门 研究")
    assert result.request_type == "建议"


def test_a_court_case_the_hotline_cannot_take_is_recorded_as_help() -> None:
    result = draft("C: 法院 去年 就 判 了 让 他们 退 钱 现在 还 没 退 你们 帮 我 催 一下",
                   "A: 您 这个 已经 进入 司法 程序 热线 不能 受理 建议 您 向 法院 申请 强制 执行")
    assert (result.not_accepted, result.request_type) == ("litigation", "求助")


def test_men_with_sticks_chasing_someone_and_the_agent_saying_call_110_now_is_110() -> None:
    result = draft("C: 快 点 桥 头 有 几 个 人 拿 着 钢管 在 追 一 个 人",
                   "A: 您 注意 安全 请 立即 拨打 幺 幺 零 我 这边 同步 转 警方")
    assert (result.emergency, result.urgency) == ("110", "非常紧急")


def test_a_mother_moving_money_to_a_safe_account_is_fraud_in_progress() -> None:
    result = draft("C: 我 爸 在 银行 要 把 钱 转 到 安全 账户 说 是 公安 打 的 电话",
                   "A: 这 是 诈骗 您 马上 打 一 一 零")
    assert result.emergency == "110"


def test_a_warehouse_that_caught_fire_in_separated_words_is_119() -> None:
    assert draft("C: 我们 村 口 那个 仓库 着 了 火 烧 得 好 大").emergency == "119"


def test_thanks_for_an_ambulance_last_week_is_praise_not_an_emergency() -> None:
    result = draft("C: 上 个 礼拜 我 爸 心梗 叫 的 救护车 十 分钟 就 到 了 医生 很 尽心",
                   "A: 好的 我们 会 把 您 的 感谢 转 给 医院")
    assert (result.emergency, result.request_type) == (None, "表扬")


def test_an_explosion_on_the_news_is_no_emergency_here() -> None:
    result = draft("C: 我 看 新闻 上 说 外地 有 个 饭店 燃气 爆炸 了",
                   "C: 我 想 问 问 家里 管子 要 不要 换")
    assert result.emergency is None


def test_a_reported_cause_of_a_cut_keeps_the_cut() -> None:
    result = draft("C: 我们 这 一 整 条 街 网 全 断 了 听 说 是 修 路 把 光缆 挖 断 了")
    assert result.emergency == "network"


def test_do_not_let_it_out_asks_for_anonymity() -> None:
    result = draft("C: 我 举报 村 里 有 个 小 厂 晚上 偷 排 废水 我 说 的 你们 别 给 透露 出去")
    assert result.confidential


def test_a_shop_opened_below_the_callers_flat_is_not_the_callers_business() -> None:
    assert draft("C: 我们 楼 底下 开 了 个 烧烤 店 油烟 全 往 我 家 窗户 飘").enterprise is False


def test_a_guesthouse_owner_speaks_for_a_business() -> None:
    assert draft("C: 我 是 兴坪 镇 开 民宿 的 想 问 一下 消防 验收 怎么 办").enterprise


def test_a_pocket_dial_the_agent_names_is_invalid() -> None:
    result = draft("C: 对 对 就 那 家 火锅 你 到 了 没", "A: 您好 您 好像 是 误 拨 了")
    assert result.request_type == "无效"


def test_an_arbitrated_matter_the_hotline_cannot_take_is_litigation() -> None:
    result = draft("C: 厂 里 欠 我 工资 仲裁 都 裁 了 他 就 是 不 给 你们 帮 我 要 一下",
                   "A: 已经 有 仲裁 裁决 了 热线 这边 没 办法 受理 您 可以 向 法院 申请 强制 执行")
    assert result.not_accepted == "litigation"


def test_a_district_named_with_a_verb_is_still_a_place() -> None:
    assert "前进区" in draft("C: 我 住 在 前进 区 胜利 路 那边 路灯 不 亮").address


@pytest.mark.parametrize(("lines", "kind"), [
    (["C: 隔壁 女 的 一直 喊 救命 男 的 说 要 整 死 她", "A: 好的 我 立即 帮 您 联系 警方"], "110"),
    (["C: 对门 有 两 个 人 在 撬 他 家 的 门锁", "A: 我们 立刻 通知 辖区 派出所 出警"], "110"),
    (["C: 对门 门缝 里 在 冒 烟 一股 烧焦 的 味道", "A: 您 先 下楼 我 马上 通知 消防 过去"], "119"),
    (["C: 孩子 把 降压 药 吃 了 大半瓶 现在 迷迷糊糊 的", "A: 我 马上 帮 您 转接 急救"], "120"),
    (["C: 桥 上 有 个 轿车 撞 护栏 上 了 横 在 路 中间", "A: 好的 我 马上 通知 交警 过去"], "122"),
])
def test_emergencies_told_indirectly_and_handed_off_without_the_number(
        lines: list[str], kind: str) -> None:
    assert draft(*lines).emergency == kind


def test_routing_a_report_to_the_police_department_is_no_handoff() -> None:
    result = draft("C: 我 举报 一 个 棋牌室 聚众 赌博", "A: 好的 我们 会 尽快 转 公安 部门 处理")
    assert result.emergency is None


def test_a_tree_the_wind_blew_across_the_road_is_no_crash() -> None:
    result = draft("C: 刚 刮 了 一 阵 大风 把 一 棵 大 树 刮 倒 了 横 在 马路 中间")
    assert result.emergency is None


def test_gas_gone_across_several_buildings_is_a_gas_emergency_but_one_flats_is_not() -> None:
    assert draft("C: 我们 这 一 片 天然气 突然 就 没 了 好 几 栋 楼 都 一样").emergency == "gas"
    assert draft("C: 我 家 天然气 没 了 是不是 卡 里 没 钱 了").emergency is None


def test_dialect_is_read_as_mandarin() -> None:
    assert draft("C: 举报 一下 那 家 店 卖 假 酒 到时候 莫 把 我 名字 报 出去").confidential
    assert draft("C: 俺 投诉 窗口 的 人 作风 差 俺 的 名字 别 跟 他们 说").confidential
    assert draft("C: 我们 整 个 镇 上 手机 都 莫得 信号 了").emergency == "network"


def test_asking_for_a_certificate_is_no_business_opened() -> None:
    assert draft("C: 你们 能 不能 给 我 开 个 没 收入 的 证明").enterprise is False


def test_te_bie_very_is_no_negation() -> None:
    result = draft("C: 我们 楼道 里 一股 特别 冲 的 煤气 味 五 楼 都 闻 得到")
    assert result.emergency == "gas"


@pytest.mark.parametrize(("caller", "kind"), [
    ("城东 公园 就 北门 一 个 厕所 在 南边 湖 边上 再 修 一 个 公厕 就 好了", "建议"),
    ("末班车 七 点 就 收 了 能 不 能 往 后 延 到 九 点", "建议"),
    ("凭 什么 我 家 这个 月 水费 扣 了 四百 平时 才 几十", "投诉"),
    ("火车站 出站口 天天 一 帮 私家车 拉客 不 打表", "举报"),
    ("想 通过 你们 谢谢 派出所 的 民警 陪 我们 找 了 一 夜 孩子", "表扬"),
    ("我 刚 毕业 这个 组织 关系 要 怎么 转 过来", "咨询"),
])
def test_the_request_type_follows_from_what_the_caller_wants(caller: str, kind: str) -> None:
    assert draft(f"C: {caller}").request_type == kind


@pytest.mark.parametrize("caller", ["你们 就 知道 吃 干饭 打 你们 电话 有 个 屁 用",
                                    "就是 那个 事 我 也 说 不 清楚 算了 算了 我 再 想想"])
def test_abuse_or_nothing_said_is_invalid(caller: str) -> None:
    assert draft("A: 您好 幺 二 三 四 五", f"C: {caller}").request_type == "无效"


def test_shop_owners_in_other_words_speak_for_a_business() -> None:
    assert draft("C: 我 在 石岐 街道 开 一 间 小 超市 想 问 消费券 能 不 能 报名").enterprise
    assert draft("C: 我 这边 是 开 小 饭店 的 个体户 想 注销 执照").enterprise


@pytest.mark.parametrize(("caller", "kind"), [
    ("施工 队 把 园区 的 光缆 给 挖 断 了 整个 园区 网 全 断 了", "network"),
    ("修 路 的 挖机 把 然气 管子 挖 破 了 呲呲 地 往 外 冒 气", "gas"),
    ("楼道 里 一 股 臭 鸡蛋 味儿 好 几 家 都 闻 着 了", "gas"),
    ("我们 好 几 栋 楼 水龙头 出来 的 水 都 是 黄 的", "water"),
    ("前 天 修 路 把 光缆 挖 断 了 现在 全 村 手机 没 信号", "network"),
])
def test_utility_emergencies_in_plain_words(caller: str, kind: str) -> None:
    assert draft(f"C: {caller}").emergency == kind


@pytest.mark.parametrize("lines", [
    ["C: 闻 到 一 股 煤气 味 以为 漏 气 了 跑 出去 一 看 原来 是 对门 在 炸 东西 现在 没 事 了"],
    ["C: 上午 跟 邻居 为 了 地边 打 起来 了 现在 已经 叫 人 给 拉开 了 都 没 伤 着"],
    ["C: 我 要 投诉 一 二 零 上 个 月 我 妈 在 家 摔 倒 了 起 不 来 等 了 四十 分钟 车 才 来"],
    ["C: 昨天 看 了 个 电视剧 里面 煤气 泄漏 整 栋 楼 都 炸 了 我 家 要不要 装 燃气 报警器"],
    ["C: 我 家 暖气 不 热 别 家 都 热乎 的 就 我 一 家 凉 的"],
    ["C: 假如 在 高速 上 跟 人 出 了 点 小 车祸 车 能 不 能 先 挪",
     "A: 没有 人员 伤亡 的话 可以 先 拍照 挪车 需要 时 您 可以 拨打 一 二 二"],
])
def test_what_is_over_imagined_or_one_households_is_no_emergency(lines: list[str]) -> None:
    assert draft(*lines).emergency is None


def test_an_old_man_chatting_about_a_fire_long_ago_is_invalid_not_119() -> None:
    result = draft("A: 您好 幺 二 三 四 五",
                   "C: 我 年轻 那会儿 在 厂 里 上班 有 一 年 车间 着 了 大火",
                   "A: 大爷 您 有 什么 事情 需要 帮助 吗",
                   "C: 没 事儿 我 就 是 一个人 在 家 闷 得 慌 跟 你 唠唠")
    assert (result.emergency, result.request_type) == (None, "无效")


@pytest.mark.parametrize(("lines", "kind"), [
    (["C: 隔壁 社区 都 有 老年 食堂 我们 这 一直 没有 能 不能 也 办 一 个"], "建议"),
    (["C: 那个 手机 软件 老人 用 不 明白", "A: 好的 您 的 意见 我们 记录 下来"], "建议"),
    (["C: 我 在 理发店 充 了 三千 现在 门 关 了 牌子 也 摘 了 打 老板 电话 也 不 接"], "投诉"),
    (["C: 宽带 断 了 三 天 客服 每次 都 说 四十八 小时 上门 到 现在 人影 都 没 见"], "投诉"),
])
def test_more_unnamed_request_types(lines: list[str], kind: str) -> None:
    assert draft(*lines).request_type == kind
