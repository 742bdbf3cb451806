"""The screens' feed: who gets a caller's words, what a seat taking a call is told of its past,
and every event in the envelope the screens read."""

from datetime import datetime

from hotline.feed import FeedMemory, Viewer
from hotline.feed_messages import message_of
from linkage.events import EmergencyChanged, HandoffView, StepFacts
from telephony.calls.machine import Call, CallState
from telephony.events import CallChanged, CallView
from tests.conftest import Api
from tickets.drafting.draft import Draft
from tickets.drafting.events import DraftUpdated, TranscriptPartial, TranscriptTurn
from tickets.enums import RequestType, Urgency

AT = datetime.fromisoformat("2026-03-02T10:00:00+08:00")
SEAT = frozenset({"PJSIP/8001"})


def call(linkedid: str, agent: str | None, state: CallState = CallState.CONNECTED
         ) -> CallChanged:
    made = Call(linkedid, "13800138000", "王", "12345", AT, state=state, agent=agent)
    return CallChanged(CallView.of(made))


def draft(linkedid: str) -> DraftUpdated:
    made = Draft(RequestType.COMPLAINT, None, Urgency.NORMAL, None, False, False,
                 "13800138000", "和平路", None, "路灯不亮")
    return DraftUpdated(linkedid, made, (TranscriptTurn("caller", "路灯 不 亮", "路灯不亮"),))


def alert(linkedid: str) -> EmergencyChanged:
    view = HandoffView("h1", linkedid, "119", "119", "火灾", "119", ("119",), "ivr", "",
                       "alerted", "none", True)
    return EmergencyChanged(view, "alerted", StepFacts(by="linkage"))


async def test_an_agent_gets_a_callers_words_only_for_the_calls_their_seat_answered() -> None:
    memory, agent = FeedMemory(), Viewer(supervises=False, seat=SEAT)
    for event in (draft("100.1"), TranscriptPartial("100.1", "caller", "路灯", "路灯")):
        await memory.remember(event)
        assert agent.shown(event, memory) == []  # nobody's seat has the call yet
    other = call("200.1", "PJSIP/8002")
    assert agent.shown(other, memory) == [other]  # the queue's picture is everyone's
    assert agent.shown(draft("200.1"), memory) == []


async def test_a_call_reaching_the_seat_brings_what_was_said_and_keyed_before() -> None:
    memory, agent = FeedMemory(), Viewer(supervises=False, seat=SEAT)
    said, keyed = draft("100.1"), alert("100.1")
    await memory.remember(said)
    await memory.remember(keyed)
    answered = call("100.1", "PJSIP/8001")
    assert agent.shown(answered, memory) == [answered, said, keyed]
    assert agent.shown(answered, memory) == [answered]  # told once
    later = draft("100.1")
    assert agent.shown(later, memory) == [later]


async def test_a_supervisor_gets_every_calls_words() -> None:
    memory, supervisor = FeedMemory(), Viewer(supervises=True, seat=frozenset())
    said = draft("300.1")
    assert supervisor.shown(said, memory) == [said]


async def test_the_memory_keeps_the_latest_of_the_most_recent_calls() -> None:
    memory = FeedMemory(keep=2)
    for linkedid in ("1.1", "1.2", "1.3"):
        await memory.remember(draft(linkedid))
    assert memory.of("1.1") == [] and len(memory.of("1.3")) == 1


def test_each_event_travels_in_the_envelope_the_screens_read() -> None:
    told = message_of(call("100.1", "PJSIP/8001"))
    assert (told.kind, told.key, told.state) == ("call", "100.1", "connected")
    assert told.data["agent"] == "PJSIP/8001" and told.data["caller_number"] == "13800138000"
    told = message_of(draft("100.1"))
    assert (told.kind, told.state) == ("draft", "updated")
    assert told.data["draft"]["summary"] == "路灯不亮"
    assert told.data["transcript"] == [{"speaker": "caller", "text": "路灯 不 亮",
                                        "readable": "路灯不亮"}]
    told = message_of(alert("100.1"))
    assert (told.kind, told.key, told.state) == ("emergency", "100.1", "alerted")
    assert told.data["kind"] == "119" and told.data["numbers"] == ["119"]


async def test_the_apps_memory_keeps_what_is_published_before_any_screen_listens(
        api: Api) -> None:
    keyed, said = alert("700.1"), draft("700.1")
    await api.app.state.bus.publish(keyed)  # the IVR's key, while nobody's seat has the call
    await api.app.state.bus.publish(said)
    answered = call("700.1", "PJSIP/8001")
    agent = Viewer(supervises=False, seat=SEAT)
    assert agent.shown(answered, api.app.state.feed_memory) == [answered, said, keyed]
