"""Calls phrased unlike the development set: new places, topics, slips of the recogniser."""

import pytest

from tests.tickets.drafting.helpers import draft

CASES = [
    # (lines, expected fields)
    (["C: 喂 着火 了 快 来", "A: 地址"], {"emergency": "119", "request_type": "求助"}),
    (["C: 我 要 报警"], {"emergency": "110", "urgency": "非常紧急"}),
    (["C: 我 家 厨房 冒烟 了 电线 在 冒火 花", "A: 马上 给 您 转 一 一 九"],
     {"emergency": "119"}),
    (["C: 我 妈 突然 晕过去 了 叫 也 叫 不 醒 快 派 救护车", "A: 好的 转 一 二 零 急救"],
     {"emergency": "120", "category": "医疗卫生"}),
    (["C: 我 被 人 打 了 他们 还 在 楼下 堵 着 我"], {"emergency": "110"}),
    (["C: 我 家 孩子 不见 了 放学 到 现在 都 没 回来 找 了 一 圈 也 没 找到"],
     {"emergency": "110"}),
    (["C: 小区 门口 一 辆 电动车 跟 小 轿车 撞 了 电动车 倒 在 路 中间"],
     {"emergency": "122"}),
    (["C: 我 想 问 一下 去年 出 了 车祸 保险 理赔 要 什么 材料"],
     {"emergency": None, "request_type": "咨询"}),
    (["C: 我们 小区 物业 把 我 家 的 水 停 了 说 我 没 交 物业费"],
     {"emergency": None, "category": "住房保障"}),
    (["C: 我们 整 个 小区 都 停电 了 电梯 里 还 困 着 人"], {"emergency": "power"}),
    (["C: 楼下 一股 煤气 味 不 知道 是 哪 家 的"], {"emergency": "gas"}),
    (["C: 我们 那 的 暖气 从 昨天 开始 就 不 热 了 整 个 小区 都 这样"],
     {"emergency": "heating"}),
    (["C: 我 想 投诉 我们 单位 拖欠 我 三 个 月 工资 了"],
     {"request_type": "投诉", "category": "民生保障", "enterprise": False}),
    (["C: 我们 是 一 家 民营 企业 想 咨询 一下 高新 技术 企业 认定 的 条件"],
     {"request_type": "咨询", "enterprise": True}),
    (["C: 我 是 超市 的 顾客 他们 卖 的 鸡蛋 是 臭 的"], {"enterprise": False}),
    (["C: 我 举报 一下 有 人 高空 抛物 你们 千万 别 透露 我 的 身份"],
     {"request_type": "举报", "confidential": True, "category": "公共安全"}),
    (["C: 我 的 信息 不要 告诉 他们 啊 我 怕 报复"], {"confidential": True}),
    (["C: 你们 可以 告诉 他 是 我 反映 的 无所谓"], {"confidential": False}),
    (["C: 我 反映 一下 我们 这 二 零 七 国道 旁边 的 加油站 晚上 噪音 很 大"],
     {"request_type": "投诉", "category": "环境保护"}),
    (["C: 我 想 咨询 一下 失业 保险 金 怎么 领", "A: 好的", "C: 非常 感谢"],
     {"request_type": "咨询", "category": "民生保障"}),
    (["C: 我 要 表扬 一下 你们 派出所 的 民警 帮 我 找到 了 钱包"],
     {"request_type": "表扬", "emergency": None}),
    (["C: 我 想 问 一下 那 你 建议 我 去 哪 个 部门 办 营业 执照"],
     {"request_type": "咨询", "category": "经济综合"}),
    (["C: 我 的 电话 是 一 八 九 零 零 一 二 三 四 五 六",
      "C: 哦 不 对 是 一 八 九 零 零 一 二 三 四 五 七"],
     {"phone": "18900123457"}),
    (["C: 我们 村 的 河 里 有 人 电 鱼 鱼 都 电 死 了"], {"category": "农林水土"}),
    (["C: 村 干部 把 村 集体 的 钱 拿 去 自己 用 了 我 举报"],
     {"request_type": "举报", "category": "党务政务"}),
    (["C: 你好 我 在 郑州 出差 这边 酒店 乱 收费",
      "A: 您 反映 的 问题 在 郑州 不 属于 本 市 管辖 范围 建议 您 拨打 当地 的 一 二 三 四 五"],
     {"not_accepted": "out_of_jurisdiction"}),
    (["C: 喂", "A: 您好 请问 有 什么 可以 帮 您", "C: 没事 没事 我 按 错 了"],
     {"request_type": "无效"}),
    (["C: 喂 你好 我们 小区 门口 那个 路灯 不 亮 了 好 几 天 了", "A: 请问 地址",
      "C: 海勃湾 区 凤凰 岭 街道 金 苑 小区 北门"], {"category": "城乡建设"}),
    (["C: 你好 我 家 楼上 天天 漏水 下来 找 了 物业 也 不 管"],
     {"request_type": "投诉", "category": "住房保障"}),
    (["C: 我 手机 号 一 三 八 零 四 七 三 五 六 七 八 你 记 一下 哦 对 了 最后 一 位 是 九"],
     {"phone": "13804735679"}),
    (["C: 我 要 举报 我们 村 有 人 在 山 上 偷偷 砍 树 一 车 一 车 往 外 拉"],
     {"request_type": "举报", "category": "农林水土"}),
    (["C: 我 是 开 网店 的 想 问 一下 个体 工商户 营业 执照 网上 怎么 办"],
     {"enterprise": True, "category": "经济综合", "request_type": "咨询"}),
    (["C: 我 是 我们 村 的 村民 我们 村 的 路 被 大车 压 坏 了 全是 坑"],
     {"category": "城乡建设", "enterprise": False}),
    (["C: 你好 我 在 湛江 买 的 房子 开发商 一直 不 给 办 房产证"],
     {"category": "住房保障", "request_type": "投诉"}),
    (["C: 我 老公 喝 了 农药 现在 口 吐 白沫"], {"emergency": "120"}),
    (["C: 我 想 反映 一下 我们 楼 的 电梯 老是 困 人 上 周 还 困 了 一 个 小孩"],
     {"emergency": None, "category": "住房保障"}),
    (["C: 我 要 投诉 中国 移动 乱 扣 话费"], {"category": "公共服务", "request_type": "投诉"}),
    (["C: 我们 村 的 自来水 是 浑 的 黄 黄 的 能 喝 吗"],
     {"category": "公共服务", "emergency": None}),
    (["C: 我 想 建议 一下 在 我们 这 个 路口 装 个 摄像头 老 有 人 偷 电动车"],
     {"request_type": "建议", "emergency": None}),
    (["C: 我 家 孩子 在 学校 被 同学 打 了 老师 也 不 管"],
     {"category": "科教文旅", "emergency": None}),
    (["C: 我 被 公司 辞退 了 已经 申请 劳动 仲裁 了 你们 帮 我 催 一下",
      "A: 您 的 事项 已经 进入 仲裁 程序 按 规定 热线 不 予 受理"], {"not_accepted": "litigation"}),
    (["C: 我 想 查 一下 我 前妻 现在 住 哪 你们 帮 我 查 查",
      "A: 对不起 这 涉及 他人 个人 隐私 我们 不能 提供"], {"not_accepted": "secret"}),
    (["C: 你 帮 我 把 孩子 户口 落 到 我 亲戚 家 就 能 上 那个 学校 了",
      "A: 这 不 符合 户籍 管理 规定 我们 不能 帮 您 办理"], {"not_accepted": "illegal"}),
    (["C: 我 要 举报 我们 村 支书 贪污 扶贫 款", "A: 好的 我们 转 纪检 监察 部门 核查"],
     {"not_accepted": None, "request_type": "举报", "category": "党务政务"}),
    (["C: 我 上 周 反映 的 那个 路灯 还 没 修 你们 催 一下", "A: 好的 我们 再 催 办 一下"],
     {"not_accepted": None}),
    (["C: 我 在 北京 工作 社保 的 问题 想 咨询 一下",
      "A: 北京 的 社保 不 属于 我们 这里 的 受理 范围 建议 您 拨打 当地 的 一 二 三 四 五"],
     {"not_accepted": "out_of_jurisdiction"}),
    (["C: 我 要 匿名 举报 有 人 卖 假烟"], {"confidential": True, "request_type": "举报"}),
    (["C: 喂 喂", "A: 您好 请 讲", "C: 喂 能 听见 吗", "A: 能 听到 请 讲",
      "C: 喂 信号 不好 我 一会 再 打"], {"request_type": "无效"}),
    (["C: 我 是 一 名 出租车 司机 我 想 反映 一下 机场 排队 太 久"],
     {"enterprise": False, "category": "交通出行"}),
    (["C: 我们 饭店 门口 天天 有 人 乱 停车 挡 着 门 我 是 老板"], {"enterprise": True}),
]


@pytest.mark.parametrize(("lines", "expected"), CASES)
def test_fields_generalise_beyond_the_development_calls(
        lines: list[str], expected: dict[str, object]) -> None:
    data = draft(*lines).to_json()
    got = {name: data[name] for name in expected}
    assert got == expected


TOPICS = [
    ("公共安全", "我 要 举报 我们 楼下 有 个 小 仓库 里面 堆 了 好多 煤气 罐 太 危险 了"),
    ("公共安全", "最近 老 有 人 打 电话 说 我 中奖 了 让 我 先 交 手续费 是 不是 骗子"),
    ("城乡建设", "我们 小区 旁边 的 马路 被 挖 开 了 半 个 月 也 没 人 施工"),
    ("城乡建设", "街上 有 好多 流动 摊贩 占 着 人行道 卖 东西 走路 都 过 不 去"),
    ("住房保障", "我 买 的 新房 墙体 开裂 开发商 说 不 管"),
    ("住房保障", "我 想 问 一下 住房 公积金 贷款 能 贷 多少 年"),
    ("环境保护", "旁边 工地 晚上 十二 点 还 在 打桩 吵 得 睡 不 着"),
    ("环境保护", "我们 村 边上 那个 养猪 场 臭 气 熏 天 苍蝇 特别 多"),
    ("交通出行", "我们 这 路口 红绿灯 坏 了 车 都 乱 开"),
    ("交通出行", "我 想 问 一下 驾驶证 到期 了 怎么 换证"),
    ("科教文旅", "孩子 幼儿园 一 个 学期 收 八千 块 是不是 太 贵 了"),
    ("科教文旅", "我 想 投诉 一 个 旅行社 说好 的 五星 酒店 结果 住 的 是 小 旅馆"),
    ("医疗卫生", "我 想 问 一下 新生儿 疫苗 在 哪里 打"),
    ("医疗卫生", "社区 卫生院 的 医生 开 药 乱 收费"),
    ("经济综合", "我 在 网上 买 的 衣服 商家 不 给 退货"),
    ("经济综合", "菜市场 有 个 卖肉 的 秤 有 问题 缺斤少两"),
    ("民生保障", "我 想 问 一下 残疾人 补贴 怎么 申请"),
    ("民生保障", "我 在 饭店 打工 老板 不 给 我 交 社保"),
    ("公共服务", "我们 家 的 水费 突然 涨 了 好 几 倍 是不是 水表 坏 了"),
    ("公共服务", "有线 电视 信号 一直 不好 报修 了 也 没 人 来"),
    ("农林水土", "我们 村 的 耕地 被 人 挖 土 卖 了 挖 了 好 大 一 个 坑"),
    ("农林水土", "我 想 问 一下 种 玉米 有 没有 补贴"),
    ("党务政务", "我 去 街道 办 盖 个 章 跑 了 五 趟 都 没 办 成"),
    ("党务政务", "我们 村 的 村委会 换届 选举 不 公开 有 人 拉票"),
]


@pytest.mark.parametrize(("category", "caller"), TOPICS)
def test_each_category_is_recognised_in_new_words(category: str, caller: str) -> None:
    assert draft(f"C: {caller}").category == category


KINDS = [
    ("咨询", "请问 一下 社保 卡 在 哪里 办"),
    ("咨询", "你好 办 护照 需要 带 什么 东西"),
    ("咨询", "我 就 想 知道 今年 的 高考 分数线 什么 时候 出来"),
    ("咨询", "想 了解 一下 公租房 的 申请 条件"),
    ("投诉", "我们 楼下 的 饭馆 天天 半夜 还 在 营业 吵 死 了"),
    ("投诉", "那个 快递员 态度 特别 差 还 骂 人"),
    ("投诉", "医院 收费 不 合理 多 收 了 我 三 百 块"),
    ("投诉", "我 对 这个 处理 结果 不 满意"),
    ("举报", "有 人 在 河 里 偷偷 倒 垃圾 我 要 举报"),
    ("举报", "我 发现 一 家 作坊 在 生产 假冒 的 洗衣粉"),
    ("建议", "希望 政府 能 在 我们 小区 附近 建 个 菜市场"),
    ("建议", "我 觉得 这 条 路 应该 加 个 减速带"),
    ("表扬", "我 想 感谢 一下 社区 的 工作 人员 帮 我 办 了 低保"),
    ("表扬", "公交 司机 帮 我 捡 回 了 钱包 我 要 给 他 送 锦旗"),
    ("求助", "我 家 老人 走 不 动 了 要 去 医院 复查 能 不能 帮 我们 协调 一下 车"),
    ("求助", "我们 家 下水道 堵 了 水 漫 到 屋里 了 怎么办"),
    ("求助", "我 钱包 丢 了 身份证 也 在 里面 怎么办 啊"),
]


@pytest.mark.parametrize(("kind", "caller"), KINDS)
def test_each_request_type_is_recognised_in_new_words(kind: str, caller: str) -> None:
    assert draft(f"C: {caller}").request_type == kind
