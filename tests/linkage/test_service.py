"""The hand-off service: detection, alert once, confirm, the line joins or not, the caller
hangs up, the agent leaves; on SQLite and PostgreSQL with a stand-in PBX."""

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from linkage import targets
from linkage.detection import Detected, Source
from linkage.errors import HandoffNotFound, IllegalHandoffTransition, KindAmbiguous, NoTargetListed
from linkage.machine import HandoffState
from linkage.models import Handoff, HandoffRecord
from linkage.schemas import TargetIn
from telephony.ami.events import Hangup, VarSet
from telephony.ami.snapshot import Channel
from telephony.calls.machine import CallState
from tests.conftest import FakeClock
from tests.linkage.conftest import AGENT_CHANNEL, CALL, CALLER_CHANNEL, Wired, call_is, draft
from tests.waiting import wait_for


async def listed(db: async_sessionmaker[AsyncSession], kind: str = "119", **fields: Any
                 ) -> str:
    """Add an entry to the emergency list; its secret."""
    body = TargetIn(kind=kind, target=fields.pop("target", kind),
                    numbers=fields.pop("numbers", ["119"]), **fields)
    async with db() as session:
        row = await targets.create(session, body, FakeClock()(), "admin")
        return row.secret



def channel(name: str, linkedid: str = CALL) -> Channel:
    return Channel(name, f"{name}-id", linkedid, 6, "", "", "", "", "", "", {})


async def stored(db: async_sessionmaker[AsyncSession]) -> list[Handoff]:
    async with db() as session:
        return list((await session.scalars(select(Handoff).order_by(Handoff.id))).all())


async def timeline(db: async_sessionmaker[AsyncSession]) -> list[str]:
    async with db() as session:
        rows = await session.scalars(select(HandoffRecord).order_by(HandoffRecord.id))
        return [r.event for r in rows]


async def test_a_draft_naming_a_fire_alerts_the_agent_once_with_the_listed_number(
    wired: Wired, db: async_sessionmaker[AsyncSession]
) -> None:
    await listed(db, "119", numbers=["119", "0635119"], label="火灾")
    await wired.service.on_draft(draft(None))
    assert wired.announced == []
    await wired.service.on_draft(draft("119"))
    await wired.service.on_draft(draft("119"))  # the next draft still says fire: no new alert
    [alert] = wired.told
    assert (alert.kind, alert.key, alert.state) == ("emergency", CALL, "alerted")
    assert alert.data["target"] == "119" and alert.data["number"] == "119"
    assert alert.data["numbers"] == ["119", "0635119"] and alert.data["source"] == "draft"
    assert "着火" in alert.data["excerpt"]
    await wait_for(lambda: not wired.service.find(CALL, "119").unsaved, "alert stored")
    [row] = await stored(db)
    assert (row.state, row.kind, row.target, row.source) == ("alerted", "119", "119", "draft")
    assert await timeline(db) == ["alert"]


async def test_an_ivr_choice_and_the_agents_button_alert_too_each_kind_once(
    wired: Wired, db: async_sessionmaker[AsyncSession]
) -> None:
    await listed(db, "120")
    await wired.service.on_ami(VarSet(channel("Local/12345@sim-dial-1;2"), "HOTLINE_EMERGENCY",
                                      "120"))
    await wired.service.on_ami(VarSet(channel("x"), "HOTLINE_QUEUE", "main"))  # not ours
    await wired.service.alert(Detected(CALL, "120", Source.AGENT))  # already alerted
    await wired.service.alert(Detected(CALL, "110", Source.AGENT, "打架"))
    assert [(c.data["kind"], c.data["source"]) for c in wired.told] == \
        [("120", "ivr"), ("110", "agent")]
    # 110 is not on the list: the agent is alerted all the same, and told it cannot go
    assert wired.told[1].data["listed"] is False
    with pytest.raises(NoTargetListed) as refused:
        await wired.service.confirm(CALL, "110", "agent")
    assert refused.value.error_id == "linkage-target-not-listed"
    with pytest.raises(KindAmbiguous):
        await wired.service.confirm(CALL, None, "agent")


async def test_confirming_joins_the_line_and_a_second_confirm_does_nothing_more(
    wired: Wired, db: async_sessionmaker[AsyncSession]
) -> None:
    await listed(db, "119", numbers=["119"], pass_identity=False)
    await wired.service.on_draft(draft("119"))
    first = await wired.service.confirm(CALL, None, "agent")
    again = await wired.service.confirm(CALL, "119", "agent")
    assert first is again
    await wait_for(lambda: again.state is HandoffState.JOINED, "line joined")
    assert wired.voice.joins == [("119", 1, "12345")]  # the caller's number withheld
    assert wired.states() == ["alerted", "confirmed", "dialling", "joined"]
    await wait_for(lambda: not again.tasks, "stored")
    assert await timeline(db) == ["alert", "confirm", "dial", "answer"]


async def test_the_list_can_hand_off_without_waiting_for_the_agent(
    wired: Wired, db: async_sessionmaker[AsyncSession]
) -> None:
    await listed(db, "gas", target="gas", numbers=["96777"], confirm_first=False,
                 pass_identity=True)
    h = await wired.service.alert(Detected(CALL, "gas", Source.DRAFT, "煤气泄漏"))
    await wait_for(lambda: h.state is HandoffState.JOINED, "line joined at once")
    assert h.confirmed_by is not None and h.confirmed_by.startswith("linkage")
    assert wired.voice.joins == [("96777", 1, "13800138000")]  # identity passed on


async def test_confirmed_while_queued_dials_when_an_agent_answers(
    wired: Wired, db: async_sessionmaker[AsyncSession]
) -> None:
    await listed(db, "119")
    wired.voice.state = "queued"
    await wired.service.alert(Detected(CALL, "119", Source.IVR))
    h = await wired.service.confirm(CALL, None, "supervisor")
    assert h.state is HandoffState.CONFIRMED and wired.voice.joins == []
    wired.voice.state = "connected"
    await wired.service.on_call(call_is(CallState.CONNECTED))
    await wait_for(lambda: h.state is HandoffState.JOINED, "dialled once connected")


async def test_an_unanswered_line_is_told_at_once_and_the_next_number_is_tried(
    wired: Wired, db: async_sessionmaker[AsyncSession]
) -> None:
    await listed(db, "119", numbers=["119", "0635119"])
    wired.voice.answer_at_once = False
    await wired.service.on_draft(draft("119"))
    h = await wired.service.confirm(CALL, None, "agent")
    await wait_for(lambda: 1 in wired.voice.outcomes, "first number ringing")
    with pytest.raises(IllegalHandoffTransition):
        await wired.service.cancel(CALL, None, "agent", "ringing")  # let it ring out
    wired.voice.no_answer(1)
    await wait_for(lambda: h.state is HandoffState.LINE_UNANSWERED, "unanswered")
    told = wired.told[-1]
    assert told.state == "line-unanswered" and told.data["reason"] == "rang without answer"
    await wired.service.retry(CALL, None, "agent")
    await wired.service.retry(CALL, None, "agent")  # while it rings: nothing more
    await wait_for(lambda: 2 in wired.voice.outcomes, "next number ringing")
    assert [j[:2] for j in wired.voice.joins] == [("119", 1), ("0635119", 2)]
    wired.voice.answer(2)
    await wait_for(lambda: h.state is HandoffState.JOINED, "second number answered")
    with pytest.raises(IllegalHandoffTransition):
        await wired.service.retry(CALL, None, "agent")


async def test_the_caller_hanging_up_while_the_line_rings_ends_it_and_nothing_is_dialled_after(
    wired: Wired, db: async_sessionmaker[AsyncSession]
) -> None:
    await listed(db, "119")
    wired.voice.answer_at_once = False
    await wired.service.on_draft(draft("119"))
    h = await wired.service.confirm(CALL, None, "agent")
    await wait_for(lambda: 1 in wired.voice.outcomes, "ringing")
    await wired.service.on_ami(Hangup(channel(CALLER_CHANNEL), 16, "Normal Clearing"))
    assert h.state is HandoffState.ENDED and wired.told[-1].state == "ended"
    await wait_for(lambda: wired.voice.hung_up == [("119", 1)], "the ringing line stopped")
    wired.voice.answer(1)  # it answered anyway, just before it was stopped
    await wait_for(lambda: wired.voice.hung_up == [("119", 1)] * 2, "dropped again")
    assert h.state is HandoffState.ENDED
    with pytest.raises(IllegalHandoffTransition):
        await wired.service.retry(CALL, None, "agent")
    assert (await wired.service.confirm(CALL, "119", "agent")).state is HandoffState.ENDED
    assert len(wired.voice.joins) == 1
    await wait_for(lambda: not h.tasks, "stored")
    assert "line-dropped" in await timeline(db)


async def test_the_caller_hanging_up_before_the_confirm_ends_it_and_refuses_the_confirm(
    wired: Wired, db: async_sessionmaker[AsyncSession]
) -> None:
    await listed(db, "119")
    await wired.service.on_draft(draft("119"))
    await wired.service.on_call(call_is(CallState.ENDED))
    with pytest.raises(IllegalHandoffTransition) as refused:
        await wired.service.confirm(CALL, None, "agent")
    assert refused.value.details["state"] == "ended"
    assert wired.voice.joins == []


async def test_the_agent_leaving_a_joined_line_leaves_caller_and_line_together(
    wired: Wired, db: async_sessionmaker[AsyncSession]
) -> None:
    await listed(db, "119")
    await wired.service.on_draft(draft("119"))
    h = await wired.service.confirm(CALL, None, "agent")
    await wait_for(lambda: h.state is HandoffState.JOINED, "joined")
    await wired.service.on_ami(Hangup(channel(AGENT_CHANNEL), 16, "Normal Clearing"))
    assert h.state is HandoffState.AGENT_LEFT
    await wired.service.on_ami(Hangup(channel(CALLER_CHANNEL), 16, "Normal Clearing"))
    assert h.state is HandoffState.ENDED
    assert wired.states()[-2:] == ["agent-left", "ended"]


async def test_a_call_without_hand_offs_is_404(wired: Wired) -> None:
    with pytest.raises(HandoffNotFound) as missing:
        await wired.service.confirm("nope", None, "agent")
    assert missing.value.status == 404


async def test_a_retry_while_waiting_for_an_agent_tries_the_first_number(
    wired: Wired, db: async_sessionmaker[AsyncSession]
) -> None:
    await listed(db, "119", numbers=["119", "0635119"])
    wired.voice.state = "queued"
    await wired.service.alert(Detected(CALL, "119", Source.IVR))
    h = await wired.service.confirm(CALL, None, "agent")
    await wired.service.retry(CALL, None, "agent")  # no agent yet: still waiting
    assert h.state is HandoffState.CONFIRMED and h.number == "119"
    wired.voice.state = "connected"
    await wired.service.retry(CALL, None, "agent")
    await wait_for(lambda: h.state is HandoffState.JOINED, "joined")
    assert [j[0] for j in wired.voice.joins] == ["119"]


async def test_an_ivr_value_that_is_no_kind_is_ignored(wired: Wired) -> None:
    for value in ("", "  ", "119; DROP", "x" * 40):
        await wired.service.on_ami(VarSet(channel("c"), "HOTLINE_EMERGENCY", value))
    assert wired.announced == []


async def test_two_nodes_alerting_the_same_call_share_one_stored_hand_off(
    wired: Wired, db: async_sessionmaker[AsyncSession], clock: FakeClock
) -> None:
    from linkage.service import LinkageService

    await listed(db, "120")
    other = LinkageService(entries=wired.service.entries, announce=wired.service.announce,
                           voice=wired.voice, data=wired.service.data,
                           ticketing=wired.service.ticketing, clock=clock)
    ours = await wired.service.alert(Detected(CALL, "120", Source.IVR))
    theirs = await other.alert(Detected(CALL, "120", Source.IVR))
    await wait_for(lambda: not ours.tasks and not theirs.tasks, "both stored")
    await other.cancel(CALL, None, "agent on the other node", "a drill")
    await wait_for(lambda: not theirs.tasks, "stored")
    [row] = await stored(db)
    assert row.state == "cancelled" and await timeline(db) == ["alert", "alert", "cancel"]
    await other.close()
