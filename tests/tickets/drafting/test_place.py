"""The place of occurrence: divisions, roads, communities, house numbers, corrections."""

import pytest

from tests.tickets.drafting.helpers import call
from tickets.drafting.fields.place import extract
from tickets.drafting.gazetteer import PlaceKind, builtin


def address(*lines: str) -> str:
    return extract(call(*lines), builtin()).address


@pytest.mark.parametrize(("caller", "keywords"), [
    ("章丘 区 相公庄 街道 南明 村 村 北 的 麦 地 里", ["章丘区", "相公庄街道", "南明村"]),
    ("乌达 区 团结 路 福康 小区 五 号楼 一 单元 三 楼", ["乌达区", "团结路", "福康小区", "5号楼"]),
    ("开发区 世纪 大道 一 百 零 八 号", ["世纪大道", "108号"]),
    ("经 二 路 二百 一十 号 老 济南 家常菜", ["经二路", "210号"]),
    ("潞州 区 紫金 西 街 跟 城西 路 交叉口", ["潞州区", "紫金西街", "城西路"]),
    ("槐荫 区 营市 街 七 号 院 门口", ["槐荫区", "营市街", "7号院"]),
    ("就 在 潞州 区 府后 东 街 一 个 叫 乐乐 棋牌室 的 地方", ["府后东街", "乐乐棋牌室"]),
    ("我们 东昌 区 江南 这 一 片 还 有 不少 平房", ["东昌区", "江南"]),
    ("湛江 西站 到 赤坎 的 公交", ["湛江西站", "赤坎"]),
    ("海南 区 西卓子山 街道 阳光 新城 小区", ["海南区", "阳光新城小区"]),
])
def test_places_spoken_in_pieces_are_joined(caller: str, keywords: list[str]) -> None:
    found = address(f"C: {caller}")
    assert all(keyword in found for keyword in keywords), found


def test_a_corrected_building_number_replaces_the_first() -> None:
    found = address("C: 海南 区 建设 街 老 电厂 小区 八 号楼 不 对 九 号楼 二 单元 门口")
    assert "9号楼" in found
    assert "8号楼" not in found


def test_a_corrected_house_number_keeps_only_the_right_one() -> None:
    found = address("C: 霞山 区 民有 路 二十六 不 是 二十八 号 一 楼")
    assert "民有路28号" in found
    assert "26" not in found


def test_places_from_several_turns_are_combined_without_repeats() -> None:
    found = address("C: 我 是 雷州 的 我们 村 停水 了", "A: 哪个 镇 哪个 村",
                    "C: 雷州 市 客路 镇 塘头 村")
    assert found.count("雷州") == 1
    assert all(k in found for k in ("雷州市", "客路镇", "塘头村"))


def test_no_place_gives_an_empty_address() -> None:
    assert address("C: 我 想 问 一下 养老 保险 怎么 交", "C: 我们 小区 的 事") == ""


def test_a_bus_line_is_not_a_place() -> None:
    assert "52路" not in address("C: 从 上党 区 到 市里 的 那个 五十二 路 公交")


def test_the_agents_words_are_not_the_callers_place() -> None:
    assert address("A: 您 说 的 是 潞州 区 的 和平 医院 吗", "C: 对") == ""


def test_deployment_places_extend_the_gazetteer() -> None:
    gazetteer = builtin().with_places([("五女峰", PlaceKind.LANDMARK)])
    found = extract(call("C: 集安 的 五女峰 门票 多少 钱"), gazetteer).address
    assert "五女峰" in found and "集安" in found


def test_the_gazetteer_knows_divisions_by_their_short_names() -> None:
    assert builtin().lookup("章丘") == ("章丘区", PlaceKind.COUNTY)
    assert builtin().lookup("湛江") == ("湛江", PlaceKind.CITY)
    assert builtin().lookup("平安") is None  # an everyday word


@pytest.mark.parametrize(("caller", "expected"), [
    ("问 一下 今年 小学 一 年级 报名 我们 家 在 历下 区 燕山 新居 小区", "历下区燕山新居小区"),
    ("天天 逃课 往 里 跑 网吧 乌达 区 新达 街 那个 极速 网吧", "乌达区新达街极速网吧"),
    ("我 是 集安 市 台上 镇 的", "集安市台上镇"),
    ("送 到 济南 市 第五 人民 医院 急诊", "济南市第五人民医院"),
    ("就 上党 区 区 政府 门口 那个 站", "上党区"),
    ("整个 小区 都 没 水 潞州 区 康馨 苑 小区", "潞州区康馨苑小区"),
    ("能 不能 把 课后 服务 延长 到 六 点 半", ""),
    ("我 是 市中 区 经 二 路 上 开 饭店 的 经 二 路 二百 一十 号", "市中区经二路210号"),
])
def test_only_place_words_join_the_place(caller: str, expected: str) -> None:
    assert address(f"C: {caller}") == expected
