"""The recogniser's hypotheses read as one: where its alternatives disagree with its best text,
the likelier version (known words, the recogniser's doubt) is read; where they agree, nothing
changes."""

from tickets.drafting.gazetteer import PlaceKind, builtin
from tickets.drafting.hypotheses import combined
from tickets.drafting.service import draft_from_turns
from tickets.drafting.transcript import Alternative, Call, RecognisedWord, Turn
from tickets.drafting.vocabulary import hearing_for

PLACES = builtin().with_places([("翠屏小区", PlaceKind.COMMUNITY), ("和平路", PlaceKind.ROAD)])


def heard(best: str, doubted: dict[str, float], *others: str) -> Turn:
    """A caller turn: the best text, its words' confidences (sure unless doubted), and
    alternatives (the best first, as Vosk gives them)."""
    words = tuple(RecognisedWord(w, doubted.get(w, 0.95)) for w in best.split())
    return Turn("caller", best, words, tuple(Alternative(t, 1.0 - 0.1 * n)
                                             for n, t in enumerate((best, *others))))


def test_a_doubted_place_is_read_as_the_alternative_that_names_it() -> None:
    turn = heard("我 住 在 翠 校区 三 号 楼", {"翠": 0.4, "校区": 0.5},
                 "我 住 在 翠屏 小区 三 号 楼", "我 住 在 翠 小区 三 号 楼")
    assert combined(turn, hearing_for(PLACES).known).text == "我 住 在 翠屏 小区 三 号 楼"
    draft = draft_from_turns([turn], PLACES)
    assert "翠屏小区" in draft.address and draft.confidence["address"] < 0.7


def test_a_sure_word_stays_whatever_an_alternative_says() -> None:
    turn = heard("我 要 投诉 和平 路 的 路灯", {}, "我 要 投诉 和平 陆 的 路灯")
    assert combined(turn, hearing_for(PLACES).known).text == turn.text


def test_a_turn_the_alternatives_agree_with_is_left_as_it_is() -> None:
    turn = heard("着火 了", {}, "着火 了")
    assert combined(turn, hearing_for(PLACES).known) is turn
    assert combined(Turn("caller", "着 活 了"), hearing_for(PLACES).known).text == "着 活 了"


def test_without_word_confidences_a_known_word_still_wins_where_they_disagree() -> None:
    best = "我们 楼道 里 电动车 找 或 了 快 来"
    turn = Turn("caller", best, alternatives=(
        Alternative(best, 212.5), Alternative("我们 楼道 里 电动 车 着火 了 快 来", 208.1)))
    found = combined(turn, hearing_for(PLACES).known)
    assert found.text == "我们 楼道 里 电动车 着火 了 快 来"  # its own words where they agree
    assert [w.conf for w in found.words if w.word == "着火"] == [0.4]


def test_an_alternative_spaced_otherwise_is_the_turn_as_read() -> None:
    best = "我们 楼道里 着火 了"
    call = Call([Turn("caller", best, alternatives=(
        Alternative(best, 1.0), Alternative("我们 楼道 里 着火 了", 0.9)))])
    assert call.alternative(1).utterances[0] is call.utterances[0]
