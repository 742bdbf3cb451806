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
]


@pytest.mark.parametrize(("lines", "expected"), CASES)
def test_fields_generalise_beyond_the_development_calls(
        lines: list[str], expected: dict[str, object]) -> None:
    data = draft(*lines).to_json()
    got = {name: data[name] for name in expected}
    assert got == expected
