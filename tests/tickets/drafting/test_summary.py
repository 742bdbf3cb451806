"""The summary is the ticket's 诉求内容: what, where, since when, what the caller wants."""

from tests.tickets.drafting.helpers import draft
from tickets.drafting.service import draft_from_turns
from tickets.drafting.transcript import Turn


def test_the_summary_tells_what_where_since_when_and_the_wish() -> None:
    result = draft("C: 你好 我 要 投诉 一下 阳光 小区 的 路灯 坏 了 三 天 了 晚上 黑 乎乎 的",
                   "A: 好的 您 希望 怎么 处理", "C: 希望 你们 尽快 派 人 来 修 一下")
    assert result.summary.startswith("来电投诉：")
    for part in ("阳光小区", "路灯坏了", "3天", "诉求：希望你们尽快派人来修"):
        assert part in result.summary, part


def test_the_summary_keeps_the_callers_first_words() -> None:
    result = draft_from_turns([Turn("caller", "我家楼道里着火了 在和平路15号")])
    assert "我家楼道里着火了" in result.summary


def test_the_summary_is_as_sure_as_what_it_found() -> None:
    full = draft("C: 我 要 投诉 阳光 小区 路灯 坏 了 三 天 了 希望 尽快 修")
    thin = draft("C: 我 想 问 一下 这个 事 怎么 弄")
    assert full.confidence["summary"] > thin.confidence["summary"]


def test_an_invalid_call_is_summarised_as_such() -> None:
    assert draft("C: 喂 喂 听 得到 吗").summary == "无效来电"
