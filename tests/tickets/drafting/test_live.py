"""Live drafting: stretches in spoken order, final when the caller hangs up, suggestions after."""

from collections.abc import Sequence

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from tests.conftest import FakeClock, empty_tables
from tests.waiting import wait_for
from tickets.accounts.models import Unit
from tickets.drafting.draft import Draft
from tickets.drafting.events import (
    DraftingEvent,
    DraftUpdated,
    Spoken,
    SuggestedUnit,
    Suggestions,
    SuggestionsUpdated,
    TranscriptPartial,
    TranscriptTurn,
    VoiceEnded,
)
from tickets.drafting.live import LiveDrafting, LiveDrafts
from tickets.drafting.turns import Alternative, RecognisedWord, Turn
from tickets.enums import RequestType, Urgency


class EchoDrafting:
    """The draft's summary is the turns' words; suggestions count how often they were asked."""

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.suggested = 0
        self.one_matter = False
        self.turns: list[Turn] = []
        self.caller_id: str | None = None

    def draft(self, turns: Sequence[Turn], caller_id: str | None = None) -> Draft:
        if self.fail:
            raise ValueError("a drafting bug")
        self.turns, self.caller_id = list(turns), caller_id
        return Draft(RequestType.COMPLAINT, None, Urgency.NORMAL, None, False, False, caller_id,
                     "", None, " / ".join(turn.text for turn in turns))

    def same_matter(self, a: Draft, b: Draft) -> bool:
        return self.one_matter or a.summary.count("/") == b.summary.count("/")

    async def suggest(self, draft: Draft) -> Suggestions:
        self.suggested += 1
        return Suggestions(units=(SuggestedUnit(1, "市城市管理局", None, ("路灯",)),))

    def readable(self, text: str) -> str:
        return text.replace(" ", "")


class Screen:
    """What the live drafting published, in order."""

    def __init__(self) -> None:
        self.events: list[DraftingEvent] = []

    async def __call__(self, event: DraftingEvent) -> None:
        self.events.append(event)

    def drafts(self) -> list[DraftUpdated]:
        return [e for e in self.events if isinstance(e, DraftUpdated)]


def said(speaker: str, text: str, start: float, final: bool = True) -> Spoken:
    return Spoken("100.1", speaker, text, start, start + 1, final)


async def test_turns_follow_the_spoken_order_across_the_two_voices() -> None:
    screen = Screen()
    live = LiveDrafts(EchoDrafting(), screen)
    await live.heard(said("caller", "路灯 不 亮", 3.0))
    await live.heard(said("agent", "您好 请 讲", 0.5))
    await live.heard(said("caller", "在 和平 路", 4.2))
    last = screen.drafts()[-1]
    assert not last.final
    assert last.transcript == (
        TranscriptTurn("agent", "您好 请 讲", "您好请讲"),
        TranscriptTurn("caller", "路灯 不 亮 在 和平 路", "路灯不亮在和平路"))


async def test_words_still_being_recognised_go_to_the_screen_as_a_partial_only() -> None:
    screen = Screen()
    live = LiveDrafts(EchoDrafting(), screen)
    await live.heard(said("caller", "路灯", 1.0, final=False))
    assert screen.events == [TranscriptPartial("100.1", "caller", "路灯", "路灯")]


async def test_the_draft_is_final_when_the_callers_voice_ends_and_forgotten_after_both() -> None:
    screen = Screen()
    live = LiveDrafts(EchoDrafting(), screen)
    await live.heard(said("caller", "路灯 不 亮", 1.0))
    await live.heard(VoiceEnded("100.1", "caller"))
    assert screen.drafts()[-1].final
    await live.heard(said("agent", "好的 再见", 5.0))  # the agent's last words still count
    assert screen.drafts()[-1].final
    await live.heard(VoiceEnded("100.1", "agent"))
    assert live.calls == {}


async def test_suggestions_follow_the_draft_in_the_background_when_the_matter_changes() -> None:
    screen, drafting = Screen(), EchoDrafting()
    live = LiveDrafts(drafting, screen)
    await live.heard(said("caller", "路灯 不 亮", 1.0))
    assert [type(e) for e in screen.events] == [DraftUpdated]  # not held up by the database
    await wait_for(lambda: any(isinstance(e, SuggestionsUpdated) for e in screen.events),
                   "suggestions")
    await live.heard(said("agent", "在 哪里", 2.0))  # a new matter: suggested again
    await wait_for(lambda: drafting.suggested == 2, "suggestions for the new draft")
    drafting.one_matter = True
    await live.heard(said("caller", "嗯", 3.0))
    call = live.calls["100.1"]
    await wait_for(lambda: call.suggesting is None or call.suggesting.done(), "settled")
    assert drafting.suggested == 2


async def test_a_final_draft_with_nothing_new_is_not_drafted_again() -> None:
    screen, drafting = Screen(), EchoDrafting()
    live = LiveDrafts(drafting, screen)
    await live.heard(said("caller", "路灯 不 亮", 1.0))
    drafting.fail = True  # drafting again would fail: it must not happen
    await live.heard(VoiceEnded("100.1", "caller"))
    updated, final = screen.drafts()
    assert final.final and (final.draft, final.transcript) == (updated.draft, updated.transcript)


async def test_a_drafting_failure_is_logged_and_the_call_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    screen = Screen()
    live = LiveDrafts(EchoDrafting(fail=True), screen)
    await live.heard(said("caller", "路灯 不 亮", 1.0))
    assert screen.drafts() == [] and "drafting failed" in caplog.text
    assert len(live.calls["100.1"].spoken) == 1  # the transcript is kept


async def test_live_drafting_uses_the_deployments_places_and_suggests_its_units(
    engine: AsyncEngine, clock: FakeClock,
) -> None:
    await empty_tables(engine)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    async with sessions() as session:
        session.add(Unit(code="heping", name="和平街道办", duties="路灯 照明 市容",
                         territory=["和平街道"], created_at=clock()))
        await session.commit()
    drafting = LiveDrafting(sessions, clock)
    await drafting.refresh()
    draft = drafting.draft([Turn("caller", "我 要 反映 和平 街道 幸福 路 的 路灯 不 亮 了")])
    assert "和平街道" in (draft.address or "")
    suggestions = await drafting.suggest(draft)
    assert [u.name for u in suggestions.units] == ["和平街道办"]


async def test_the_calls_caller_id_is_the_drafts_callback_number_unless_forgotten() -> None:
    screen, drafting = Screen(), EchoDrafting()
    live = LiveDrafts(drafting, screen)
    live.knows_caller("100.1", "13912345678")
    await live.heard(said("caller", "路灯 不 亮", 1.0))
    assert drafting.caller_id == "13912345678"
    assert screen.drafts()[-1].draft.phone == "13912345678"
    live.knows_caller("200.1", "13800000000")
    live.call_ended("200.1")  # nobody spoke on it: nothing is kept
    assert "200.1" not in live.calls and "100.1" in live.calls


async def test_a_turn_carries_its_stretches_words_and_readings() -> None:
    screen, drafting = Screen(), EchoDrafting()
    live = LiveDrafts(drafting, screen)
    first = Spoken("100.1", "caller", "楼道 里 着火 了", 1.0, 2.0, True,
                   (RecognisedWord("着火", 0.4, 1.2, 1.5),),
                   (Alternative("楼道 里 着火 了", 12.0), Alternative("楼道 里 着活 了", 11.0)))
    second = Spoken("100.1", "caller", "快 来", 2.5, 3.0, True,
                    (RecognisedWord("快", 0.9, 2.5, 2.7),), ())
    await live.heard(first)
    await live.heard(second)
    [turn] = drafting.turns
    assert turn.text == "楼道 里 着火 了 快 来"
    assert [w.word for w in turn.words] == ["着火", "快"]
    assert [a.text for a in turn.alternatives] == ["楼道 里 着火 了 快 来", "楼道 里 着活 了 快 来"]
