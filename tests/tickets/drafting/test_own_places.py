"""The deployment's own places, imported by its administrator, are its own even when they
are also China's divisions: heard as loosely as its other places, written as its list spells
them."""

from tickets.drafting.gazetteer import PlaceKind, builtin
from tickets.drafting.service import draft_from_turns
from tickets.drafting.transcript import Turn

CITY = builtin().with_places([("槐荫区", PlaceKind.COUNTY), ("未央区", PlaceKind.COUNTY),
                              ("汉城湖公园", PlaceKind.LANDMARK), ("美林小区", PlaceKind.COMMUNITY),
                              ("陌南镇", PlaceKind.TOWN), ("东王村", PlaceKind.VILLAGE)])


def address(text: str, gazetteer: object = CITY) -> str:
    return draft_from_turns([Turn("caller", "我 要 投诉 小区 电梯 坏 了 半 个 月"),
                             Turn("caller", text)], gazetteer).address  # type: ignore[arg-type]


def test_an_imported_division_is_its_own_place_for_the_gazetteer() -> None:
    assert CITY.is_own("槐荫区") and not builtin().is_own("槐荫区")
    assert CITY.lookup("槐荫区") == builtin().lookup("槐荫区")


def test_an_imported_division_heard_with_a_character_more_is_found() -> None:
    assert "槐荫区" in address("槐 个 荫区 美林 小区 七 号楼")
    assert "槐荫区" not in address("槐 个 荫区 美林 小区 七 号楼", builtin())


def test_a_place_said_by_its_short_form_is_written_as_the_list_spells_it() -> None:
    assert address("未央 汉城湖 公园 门口") == "未央区汉城湖公园"
    assert address("献县 陌南 东王村") == "献县陌南镇东王村"
    assert address("未央 路 三 号") == "未央路3号"  # a road named after it: no district


def test_a_denial_far_before_a_place_corrects_nothing_said_earlier() -> None:
    turns = [Turn("caller", "我 去 丽江 古城 区 那边 玩 导游 骂 人 我 要 投诉"),
             Turn("caller", "不 是 在 网上 找 的 云南 当地 的 团")]
    assert "丽江古城区" in draft_from_turns(turns).address
    assert draft_from_turns([Turn("caller", "美林 小区 八 号楼 不对 九 号楼 电梯 坏 了")],
                            CITY).address == "美林小区9号楼"
