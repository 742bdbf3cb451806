"""Recogniser text becomes readable Chinese with digits where a number was spoken."""

import pytest

from tickets.drafting.normalise import normalise, numeral_value


@pytest.mark.parametrize(("spoken", "written"), [
    ("一 八 六 六 八 九 一 五 三 零 二", "18668915302"),
    ("幺 三 六 五 六 四 一 零 二 三 八", "13656410238"),
    ("三 号楼 二 单元", "3号楼2单元"),
    ("经 二 路 二百 一十 号", "经二路210号"),
    ("世纪 大道 一 百 零 八 号", "世纪大道108号"),
    ("堤口 路 一 百 五十 号", "堤口路150号"),
    ("十二 号楼", "12号楼"),
    ("七 号 院", "7号院"),
    ("五十二 路 公交", "52路公交"),
    ("一 一 五 路", "115路"),
    ("三 百 五", "350"),
    ("一千 二", "1200"),
    ("一 万 二", "12000"),
    ("两 天", "2天"),
    ("二 零 二 五 年", "2025年"),
])
def test_numbers_spoken_in_words_become_digits(spoken: str, written: str) -> None:
    assert normalise(spoken) == written


@pytest.mark.parametrize(("spoken", "written"), [
    ("经十 路 舜耕 路", "经十路舜耕路"),
    ("经 四 路 跟 纬 三 路", "经四路跟纬三路"),
    ("二 环 路", "二环路"),
])
def test_numerals_inside_road_names_stay_chinese(spoken: str, written: str) -> None:
    assert normalise(spoken) == written


@pytest.mark.parametrize(("spoken", "written"), [
    ("你们 千万 别 说", "你们千万别说"),
    ("万一 有 个 啥 事", "万一有个啥事"),
    ("第一 回", "第一回"),
])
def test_words_written_with_numerals_are_not_numbers(spoken: str, written: str) -> None:
    assert normalise(spoken) == written


def test_fillers_between_digits_are_dropped_so_the_number_joins() -> None:
    assert normalise("一 三 八 嗯 零 零 一 二 三 四 五 六") == "13800123456"


def test_latin_words_keep_their_space() -> None:
    assert normalise("ETC 卡 办 不 了") == "ETC卡办不了"
    assert normalise("hello world") == "hello world"


@pytest.mark.parametrize(("text", "value"), [
    ("十", "10"), ("十五", "15"), ("二十六", "26"), ("一百零六", "106"), ("两千", "2000"),
    ("一千零五", "1005"), ("十万", "100000"), ("一八六", "186"), ("零", "0"), ("abc", None),
])
def test_numeral_values(text: str, value: str | None) -> None:
    assert numeral_value(text) == value


def test_words_of_scripts_written_with_spaces_keep_them_and_chinese_joins() -> None:
    assert normalise("안녕 하세요 我 要 投诉 ETC 卡") == "안녕 하세요我要投诉ETC卡"
