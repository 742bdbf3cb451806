"""Words heard wrong snap back by sound; what was said as written stays as it is."""

import pytest

from tests.tickets.drafting.helpers import turns
from tickets.drafting.gazetteer import PlaceKind, builtin
from tickets.drafting.normalise import normalise
from tickets.drafting.service import draft_from_turns
from tickets.drafting.vocabulary import hearing_for, words

PLACES = builtin().with_places([("椹川大道", PlaceKind.ROAD), ("蓝田工业园", PlaceKind.LANDMARK),
                                ("龙泉街道", PlaceKind.TOWN), ("安溪县", PlaceKind.COUNTY)])


def heard(text: str) -> str:
    """The text as the hearing rewrites it, each space a word boundary of the recogniser."""
    cuts, at = set(), 0
    for word in text.split():
        cuts.add(at)
        at += len(word)
    return hearing_for(builtin()).correct("".join(text.split()), frozenset(cuts))[0]


def test_a_cue_word_written_with_a_homophone_is_heard_as_the_word() -> None:
    assert heard("我 要 投素 物业") == "我要投诉物业"
    assert draft_from_turns(turns("C: 楼道 里 有 股 煤起 味 整个 单元 都 是")).emergency == "gas"


@pytest.mark.parametrize("text", ["地址 是 这里", "货车 撞 了 护栏", "事实 上 我们 试试"])
def test_words_written_as_said_stay_however_they_sound_like_cues(text: str) -> None:
    assert heard(text) == "".join(text.split())


def test_a_name_before_a_place_ending_is_no_cue_word() -> None:
    assert heard("莲溪 路 那边") == "莲溪路那边"  # 联系 is a cue, 莲溪 a road's name
    assert heard("木兰 乡 那边") == "木兰乡那边"  # a division called 木兰县 exists


def test_the_vocabulary_is_harvested_from_the_fields() -> None:
    assert {"投诉", "燃气", "着火", "停水", "小区", "不对"} <= words()
    assert "的" not in words()  # function words are what they are


def test_a_place_of_the_deployment_heard_by_sound_is_written_as_the_list_spells_it() -> None:
    exact = draft_from_turns(turns("C: 椹川 大道 上 的 路灯 坏 了"), PLACES)
    misheard = draft_from_turns(turns("C: 甚川 大道 上 的 路灯 坏 了"), PLACES)
    assert misheard.address == exact.address == "椹川大道"
    assert misheard.confidence["address"] < exact.confidence["address"]


def test_a_place_of_the_deployment_heard_with_one_syllable_otherwise_is_found() -> None:
    found = draft_from_turns(turns("C: 龙文 区 染田 工业 园 里面 有 个 厂 偷排 污水"), PLACES)
    assert "蓝田工业园" in found.address


def test_a_place_the_list_lacks_is_not_taken_for_one_it_has() -> None:
    found = draft_from_turns(turns("C: 温泉 街道 那边 的 路灯 不 亮"), PLACES)
    assert "温泉街道" in found.address and "龙泉" not in found.address


def test_a_division_heard_with_its_ending_misheard_is_the_division() -> None:
    found = draft_from_turns(turns("C: 时中 区 经 二 路 的 路灯 坏 了"))
    assert found.address.startswith("市中区")


@pytest.mark.parametrize(("spoken", "written"), [
    ("电话 一 三 九 衣 二 三 四 五 六 七 八", "电话13912345678"),
    ("一 三 九 是 二 三 四 五 六 七 八", "13942345678"),
    ("衣 三 九 一 二 三 四 五 六 七 八", "13912345678"),
])
def test_digit_homophones_inside_a_spoken_number_are_digits(spoken: str, written: str) -> None:
    assert normalise(spoken) == written


@pytest.mark.parametrize("spoken", ["我 就 是 想 问 一下", "是 三 号楼",
                                    "八 零 二 八 六 就是 一 三 七"])
def test_digit_homophones_outside_a_number_are_the_words_they_are(spoken: str) -> None:
    assert not any(c in normalise(spoken) for c in "49") or "就是" in normalise(spoken)


def test_a_gazetteer_reloaded_with_the_same_places_hears_with_the_same_index() -> None:
    again = builtin().with_places([("椹川大道", PlaceKind.ROAD), ("蓝田工业园", PlaceKind.LANDMARK),
                                   ("龙泉街道", PlaceKind.TOWN), ("安溪县", PlaceKind.COUNTY)])
    assert again is not PLACES and hearing_for(again) is hearing_for(PLACES)
    other = builtin().with_places([("椹川大道", PlaceKind.ROAD)])
    assert hearing_for(other) is not hearing_for(PLACES)
