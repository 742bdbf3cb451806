"""The words the place of occurrence is told with: suffixes of divisions, settlements, roads
and landmarks, house-number units, and the words that are never part of a place's name."""

from tickets.drafting.cues import words

ADMIN = words("""
    省 市 自治区 区 县 旗 镇 乡 街道
""")
SETTLEMENT = words("""
    村 社区 小区 屯 庄 新村 新居 家园 花园 苑 公寓 大院
""")
ROAD = words("""
    路 街 大街 大道 巷 胡同 北路 南路 东路 西路 中路 环路 桥 北街 南街 东街 西街
""")
LANDMARK = words("""
    广场 公园 小学 中学 学校 幼儿园 大学 医院 卫生院 超市 市场 商场 网吧 棋牌室 车站 西站 东站
    南站 北站 火车站 汽车站 景区 中心 大厦 工地 开发区 工业园 园区 厂 大药房 药房 药店 饭店 酒店
    宾馆 派出所 营业厅 驿站 停车场 森林公园 体育馆 图书馆 博物馆 码头 机场 大楼 楼盘 诊所 门诊
    网咖 KTV 加油站 菜市场
    银行 商城 卫生室 村委会 居委会 管委会 宿舍 家属院 家属楼 公馆 水库 学院 敬老院 养老院 服务区
    收费站 产业园 物流园 步行街 商业街 夜市 菜场 体育场 游泳馆 电影院 剧院 公墓 水厂 河 江 湖
    科技城 科技园 软件园 创业园 智慧城
    国道 省道 县道 高速
""")
SUFFIXES = tuple(sorted({*ADMIN, *SETTLEMENT, *ROAD, *LANDMARK}, key=len, reverse=True))
# suffixes of three characters and more, which the recogniser may write as two words
SPLIT_SUFFIXES = frozenset(s for s in SUFFIXES if len(s) >= 3)
ROAD_LIKE = frozenset(ROAD)
LANDMARK_SET = frozenset(LANDMARK)
OWNED_BY = frozenset({"省", "市", "县", "区"})
# words ending like a place that are everyday words (农村, 超市 alone, 城市, 马路 …)
COMMON = frozenset(words("""
    农村 乡村 山村 城市 都市 超市 学区 市区 郊区 山区 地区 城区 景区 马路 公路 道路 铁路 一路
    走路 出路 思路 小路 大路 全村 本村 我村 该村 全县 本县 县城 全市 本市 我市 外市 全镇 本镇
    乡镇 城镇 小镇 公交站 车站 上街 逛街 一条街 满街 半路 路路 老街 大街 小巷 巷子 开发区 园区
    社区 小区 街道 全区 本区 我区 分区 片区 辖区 各区 老区 新区 住院 法院 医院 学校 公园 广场
    线路 路线 网路 电路 水路 路上 一路上 同路 带路 让路 修路 过路
    过河 小河 大河 江湖 商城 银行 学院 宿舍 高速 水库
"""))
UNITS = words("""
    号楼 号院 号门 号 栋 幢 单元 楼 层 室 巷 弄 排 组 期 区
""")
NUMBERED_ROADS = frozenset(words("国道 省道 县道 高速"))  # 207国道: a number is its name
STRONG_UNITS = ("号楼", "号院", "栋", "幢", "号")
LOCATIVES = frozenset(words("""
    这 那 边 边上 一带 附近 那边 这边 一片 这块 那块 那片 这片 旁边
"""))
STOP = frozenset(words("""
    我 你 他 她 它 我们 你们 他们 她们 俺 俺们 咱 咱们 人家 大家 自己 的 了 在 是 就 都 也 还 又
    和 跟 与 及 或 到 从 往 向 对 给 把 被 让 叫 说 有 没 没有 不 很 太 那 这 哪 那个 这个 哪个
    一个 个 这家 那家 哪家 那边 这边 那里 这里 哪里 那块 这块 那儿 这儿 里 里面 里头 上 下 前 后
    旁边 附近 门口 对面 后面 前面 边上 东边 西边 南边 北边 外面 拐角 路口 交叉口 口 住 去 来 买
    开 盖 修 看 问 打 找 等 坐 乘 走 家 我家 家里 老家 就是 还是 但是 因为 所以 然后 现在 今天
    昨天 明天 天天 每天 晚上 早上 中午 下午 上午 时候 一直 已经 刚才 大概 左右 好像 可能 应该
    那种 这种 什么 怎么 为什么 多少 几 啥 咋 吗 呢 吧 嘛 呀 啦 喂 你好 您好 请问 谢谢 好的 对
    对对 是的 电话 号码 地址 位置 具体 小 老 大 新 旧 城 乡 村里 市里 县里 镇上 城里 区里 楼里
    楼下 楼上 楼道 孩子 老人 学生 朋友 邻居 一家 一 所 叫做 名字 靠 靠近 挨着 位于 属于 归 管
    反映 投诉 举报 咨询 建议 表扬 附近的 所在 一样 个人 我是 系 俺是 地方 单位 公司
    整个 所有 各个 每个 这些 那些 一些 有些 县城 老旧 破旧 新建 周边
"""))
CORRECTIONS = ("不对", "不是", "错了", "说错", "应该是")
DIRECTIONS = frozenset("东西南北中")
SURNAMES = frozenset(
    "张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏"
    "吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱"
    "严武戴莫孔向汤柳")
TOWN_OR_VILLAGE = frozenset({"镇", "乡", "街道", "村", "社区", "屯", "庄"})
VILLAGE_OR_ROAD = frozenset({*SETTLEMENT, *ROAD, "营", "店", "寨", "沟", "湾", "坡", "岭", "屯"})
