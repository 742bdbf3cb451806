"""Live drafting: segments in spoken order, final when the caller hangs up, suggestions after."""

from collections.abc import Mapping, Sequence
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from asr.events import Segment, StreamEnded
from hotline.drafting import TicketDrafting
from hotline.live_drafts import LiveDrafts
from telephony.controller.line import Change
from tests.conftest import FakeClock, empty_tables
from tests.waiting import wait_for
from tickets.accounts.models import Unit


class EchoDrafting:
    """Drafts are the turns themselves; suggestions count how often they were asked for."""

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.suggested = 0

    def draft(self, turns: Sequence[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
        if self.fail:
            raise ValueError("a drafting bug")
        return tuple(turns)

    def to_json(self, draft: tuple[tuple[str, str], ...]) -> Mapping[str, Any]:
        return {"turns": len(draft)}

    def same_matter(self, a: Any, b: Any) -> bool:
        return len(a) == len(b)

    async def suggest(self, draft: Any) -> Mapping[str, Any]:
        self.suggested += 1
        return {"units": []}

    def readable(self, text: str) -> str:
        return text.replace(" ", "")


class Screen:
    def __init__(self) -> None:
        self.changes: list[Change] = []

    async def __call__(self, change: Change) -> None:
        self.changes.append(change)

    def of(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]


def said(speaker: str, text: str, start: float, final: bool = True) -> Segment:
    return Segment("100.1", speaker, text, start, start + 1, final)


def ended(speaker: str) -> StreamEnded:
    return StreamEnded("100.1", speaker, uuid4(), "hangup", 10.0, 1)


async def test_turns_follow_the_spoken_order_across_the_two_streams() -> None:
    screen = Screen()
    live = LiveDrafts(EchoDrafting(), screen)
    await live.on_asr(said("caller", "路灯 不 亮", 3.0))
    await live.on_asr(said("agent", "您好 请 讲", 0.5))
    await live.on_asr(said("caller", "在 和平 路", 4.2))
    last = screen.of("draft")[-1]
    assert last.state == "updated"
    assert last.data["transcript"] == [
        {"speaker": "agent", "text": "您好 请 讲", "readable": "您好请讲"},
        {"speaker": "caller", "text": "路灯 不 亮 在 和平 路", "readable": "路灯不亮在和平路"}]


async def test_partials_go_to_the_screen_as_transcript_only() -> None:
    screen = Screen()
    live = LiveDrafts(EchoDrafting(), screen)
    await live.on_asr(said("caller", "路灯", 1.0, final=False))
    assert [(c.kind, c.state, c.data["text"], c.data["readable"]) for c in screen.changes] == [
        ("transcript", "partial", "路灯", "路灯")]


async def test_the_draft_is_final_when_the_callers_stream_ends_and_forgotten_after_both() -> None:
    screen = Screen()
    live = LiveDrafts(EchoDrafting(), screen)
    await live.on_asr(said("caller", "路灯 不 亮", 1.0))
    await live.on_asr(ended("caller"))
    assert screen.of("draft")[-1].state == "final"
    await live.on_asr(said("agent", "好的 再见", 5.0))  # the agent's last words still count
    assert screen.of("draft")[-1].state == "final"
    await live.on_asr(ended("agent"))
    assert live.calls == {}


async def test_suggestions_follow_the_draft_in_the_background_when_the_matter_changes() -> None:
    screen, drafting = Screen(), EchoDrafting()
    live = LiveDrafts(drafting, screen)
    await live.on_asr(said("caller", "路灯 不 亮", 1.0))
    assert [c.kind for c in screen.changes] == ["draft"]  # not held up by the database
    await wait_for(lambda: screen.of("suggestions"), "suggestions")
    await live.on_asr(said("agent", "在 哪里", 2.0))  # a new matter: suggested again
    await wait_for(lambda: drafting.suggested == 2, "suggestions for the new draft")
    drafting.same_matter = lambda a, b: True  # type: ignore[method-assign]
    await live.on_asr(said("caller", "嗯", 3.0))
    await wait_for(lambda: not live.calls["100.1"].suggesting or
                   live.calls["100.1"].suggesting.done(), "suggesting settled")
    assert drafting.suggested == 2


async def test_a_final_draft_with_nothing_new_is_not_drafted_again() -> None:
    screen, drafting = Screen(), EchoDrafting()
    live = LiveDrafts(drafting, screen)
    await live.on_asr(said("caller", "路灯 不 亮", 1.0))
    drafting.fail = True  # drafting again would fail: it must not happen
    await live.on_asr(ended("caller"))
    updated, final = screen.of("draft")
    assert final.state == "final" and final.data == updated.data


async def test_a_drafting_failure_is_logged_and_the_call_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    screen = Screen()
    live = LiveDrafts(EchoDrafting(fail=True), screen)
    await live.on_asr(said("caller", "路灯 不 亮", 1.0))
    assert screen.of("draft") == [] and "drafting failed" in caplog.text
    assert len(live.calls["100.1"].segments) == 1  # the transcript is kept


async def test_ticket_drafting_uses_the_deployments_places_and_suggests_its_units(
    engine: AsyncEngine, clock: FakeClock,
) -> None:
    await empty_tables(engine)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    async with sessions() as session:
        session.add(Unit(code="heping", name="和平街道办", duties="路灯 照明 市容",
                         territory=["和平街道"], created_at=clock()))
        await session.commit()
    drafting = TicketDrafting(sessions, clock)
    await drafting.refresh()
    draft = drafting.draft([("caller", "我 要 反映 和平 街道 幸福 路 的 路灯 不 亮 了")])
    assert "和平街道" in (draft.address or "")
    suggestions = await drafting.suggest(draft)
    assert [u["name"] for u in suggestions["units"]] == ["和平街道办"]
    assert drafting.to_json(draft)["category"] == draft.category

