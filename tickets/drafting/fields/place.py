"""The place of occurrence (wuhai 6.1.5): the place names the caller gives, in order.

A caller says places as the recogniser splits them: ``章丘 区 相公庄 街道 南明 村``,
``美林 小区 七 号楼``. A token is part of a place when it is a known name (gazetteer), a
place suffix (区 街道 村 小区 路 号楼 医院 …) or a name word right before a suffix; house
numbers join the place they follow (``世纪大道108号``). A number corrected in the same breath
replaces the first (``八号楼 不对 九号楼``). The place is the caller's place spans joined.
"""

import re
from dataclasses import dataclass

from tickets.drafting import wordclass
from tickets.drafting.cues import words
from tickets.drafting.gazetteer import Gazetteer, PlaceKind
from tickets.drafting.transcript import Call

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
_DIGITS = re.compile(r"\d+")


@dataclass
class _Token:
    text: str
    place: bool = False
    kind: str = ""  # the suffix or unit that made it a place, for corrections
    numbered: bool = False  # digits and a unit: 3号楼, 2单元


def _merge_numbers(words: tuple[str, ...]) -> list[_Token]:
    """Digits and the unit after them as one token: 7 号 院 → 7号院."""
    out: list[_Token] = []
    i = 0
    while i < len(words):
        word = words[i]
        if _DIGITS.fullmatch(word) and i + 1 < len(words):
            unit = words[i + 1]
            if unit == "号" and i + 2 < len(words) and words[i + 2] in ("楼", "院", "门"):
                out.append(_Token(word + unit + words[i + 2], kind="号" + words[i + 2],
                                  numbered=True))
                i += 3
                continue
            if unit in UNITS:
                out.append(_Token(word + unit, kind=unit, numbered=True))
                i += 2
                continue
        if i + 1 < len(words) and len(word) >= 2 and word + words[i + 1] in SPLIT_SUFFIXES:
            out.append(_Token(word + words[i + 1]))  # 工业 园: the recogniser split 工业园
            i += 2
            continue
        out.append(_Token(word))
        i += 1
    return out


def _merge_known(tokens: list[_Token], gazetteer: Gazetteer) -> list[_Token]:
    """Two words that make one known name become one token: 浦东 新区, and 前进 区 (前进 is a
    verb, so the suffix rules would not take it as a name)."""
    out: list[_Token] = []
    for token in tokens:
        if out and not out[-1].numbered and not token.numbered and _known_pair(
                out[-1].text, token.text, gazetteer):
            out[-1] = _Token(out[-1].text + token.text)
            continue
        out.append(token)
    return out


def _known_pair(first: str, second: str, gazetteer: Gazetteer) -> bool:
    """Whether ``first`` + ``second`` is a known name the suffix rules may miss."""
    if gazetteer.lookup(first + second) is None:
        return False
    if second in SUFFIXES:  # 上党 区 the rules get; 前进 区 they do not
        return gazetteer.lookup(first) is None and len(first) >= 2
    return gazetteer.lookup(first) is not None


def _suffix(word: str) -> str | None:
    """The place suffix a word is or ends with (fused: 南明村), unless it is an everyday word."""
    if word in SUFFIXES:
        return word
    if word in COMMON or len(word) > 8:
        return None
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix):
            return suffix
    return None


def _is_name_word(word: str, suffix: str = "", first: bool = False) -> bool:
    """A word that can be part of a place's name before ``suffix``.

    One character is a name only as a direction (紫金 西 街) or, before a village or road, a
    surname (张 村, 王 庄); otherwise it is a verb or particle (跑 网吧). A locative word
    names a town or village only right before it (``first``: 台上 镇).
    """
    if word in STOP or _DIGITS.search(word) or len(word) > 6 or word == "|":
        return False
    if len(word) == 1:
        return word in DIRECTIONS or (word in SURNAMES and suffix in VILLAGE_OR_ROAD)
    if wordclass.never_a_name(word):
        return False
    if wordclass.locative(word) and not (first and suffix in TOWN_OR_VILLAGE):
        return False
    return suffix in ROAD_LIKE or not wordclass.common_verb(word)


def _mark(tokens: list[_Token], gazetteer: Gazetteer) -> None:
    """Flag the tokens that belong to a place."""
    for token in tokens:
        if gazetteer.lookup(token.text) is not None:
            token.place, token.kind = True, "name"
        elif token.numbered:  # 3号楼
            token.place = token.kind in STRONG_UNITS or token.kind.startswith("号")
        elif (suffix := _suffix(token.text)) is not None:
            token.place, token.kind = True, suffix
    for i, token in enumerate(tokens):
        if token.kind and not token.numbered and token.text in SUFFIXES:
            _absorb_names(tokens, i)
        if token.place and token.kind in ("name", *ADMIN):
            _extend_admin(tokens, i)
    for i, token in enumerate(tokens):  # floors and units only count next to a place
        if token.numbered and not token.place and (
                (i and tokens[i - 1].place) or (i + 1 < len(tokens) and tokens[i + 1].place)):
            token.place = True


def _absorb_names(tokens: list[_Token], i: int) -> None:
    """The name words before a bare suffix token (泉城 路, 紫金 西 街) join the place."""
    suffix = tokens[i].text
    limit = 4 if suffix in ROAD_LIKE else 3
    j = i - 1
    if suffix in NUMBERED_ROADS and j >= 0 and _DIGITS.fullmatch(tokens[j].text):
        tokens[j].place = True
        return
    fused = j >= 0 and tokens[j].kind not in ("", "name") and tokens[j].text not in SUFFIXES \
        and suffix in ROAD_LIKE and not tokens[j].numbered  # 滨河 路: a road named after a river
    if j >= 0 and tokens[j].text != suffix and tokens[j].text.endswith(suffix):
        tokens[i].place = False  # 前进区 区 政府: the suffix said again
        return
    if j >= 0 and tokens[j].text in OWNED_BY and suffix in LANDMARK_SET:
        tokens[j].place = tokens[i].place = True  # 市 图书馆, 县 医院: the city's own
        return
    if j >= 0 and tokens[j].kind not in ("", "name") and not fused:
        # after another place suffix: 南明 村 村 北 repeats, 景区 停车场 has no name of its own
        tokens[i].place = tokens[j].place and tokens[j].text != suffix
        return
    if fused:
        j -= 1
    while j >= 0 and i - j <= limit and _is_name_word(tokens[j].text, suffix, j == i - 1) \
            and tokens[j].kind in ("", "name") and _suffix(tokens[j].text) is None:
        j -= 1  # through known names too: 阳光 新城 小区 (新城 is also a county's short name)
        if tokens[j + 1].kind == "name" and suffix in ADMIN:
            break  # 盖 房子 章丘 区: a division's name is whole
    if j == i - 1 and not (j >= 0 and tokens[j].place):
        tokens[i].place = False  # 我们 小区: a suffix without a name is no place
        return
    for k in range(j + 1, i):
        tokens[k].place = True


def _extend_admin(tokens: list[_Token], i: int) -> None:
    """A name right after a district and before 这/那边 is a neighbourhood (东昌区 江南 这一片)."""
    j = i + 1
    if j < len(tokens) and tokens[j].text in ADMIN:
        j += 1
    if j + 1 < len(tokens) and not tokens[j].place and len(tokens[j].text) >= 2 \
            and _is_name_word(tokens[j].text) and tokens[j + 1].text in LOCATIVES:
        tokens[j].place, tokens[j].kind = True, "neighbourhood"


@dataclass(frozen=True)
class Place:
    """The place of occurrence as text ("" when none was given), its parts and a confidence."""

    address: str
    confidence: float
    parts: tuple[str, ...] = ()


def _spans(tokens: list[_Token]) -> list[tuple[list[_Token], bool]]:
    """Runs of place tokens, each with whether a correction word came just before it."""
    spans: list[tuple[list[_Token], bool]] = []
    run: list[_Token] = []
    gap: list[str] = []
    for token in [*tokens, _Token("|")]:
        if token.place:
            run.append(token)
            continue
        if run and not _is_bus_line(run) and not all(
                t.numbered and t.kind not in STRONG_UNITS for t in run):
            spans.append((run, any(c in "".join(gap) for c in CORRECTIONS)))
        if run:
            run, gap = [], []
        gap.append(token.text)
    return spans


def _is_bus_line(run: list[_Token]) -> bool:
    return len(run) == 2 and _DIGITS.fullmatch(run[0].text) is not None and run[1].text == "路"


def extract(call: Call, gazetteer: Gazetteer) -> Place:
    """The caller's places joined in the order spoken; repeats and corrected parts dropped."""
    parts: list[list[_Token]] = []
    for _, utterance in call.of("caller"):
        tokens = _merge_known(_merge_numbers(utterance.words), gazetteer)
        _mark(tokens, gazetteer)
        for run, corrected in _spans(tokens):
            if corrected and parts and parts[-1][-1].kind == run[0].kind:
                parts[-1].pop()  # 八号楼 不对 九号楼: the corrected part goes
                if not parts[-1]:
                    parts.pop()
            _add(parts, run)
    texts = tuple(_text(part) for part in parts)
    if not texts:
        return Place("", 0.6)
    return Place("".join(texts), min(0.9, 0.55 + 0.1 * len(texts)), texts)


def _add(parts: list[list[_Token]], run: list[_Token]) -> None:
    """Add a run unless already said; a run that goes on from an earlier one extends it."""
    text = _text(run)
    if any(text in _text(earlier) for earlier in parts):
        return
    parts[:] = [earlier for earlier in parts if _text(earlier) not in text]
    for earlier in parts:  # 市中区经二路 + 经二路210号 → 市中区经二路210号
        for k in range(len(run) - 1, 0, -1):
            if [t.text for t in earlier[-k:]] == [t.text for t in run[:k]]:
                earlier.extend(run[k:])
                return
    parts.append(run)


def _text(part: list[_Token]) -> str:
    return "".join(t.text for t in part)


def kinds_in(address: str, gazetteer: Gazetteer) -> list[tuple[str, PlaceKind]]:
    """The known names in an address, for routing by territory."""
    return [(found.name, found.kind) for found in gazetteer.find(address)]
