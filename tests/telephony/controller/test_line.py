"""The controller's picture follows a call through the queue to an agent, from typed events."""

from datetime import datetime, timedelta
from types import MappingProxyType

from telephony.agents.machine import AgentState
from telephony.ami.events import (
    AgentComplete,
    AgentConnect,
    Channel,
    ConfbridgeJoin,
    CoreShowChannel,
    Hangup,
    Newchannel,
    QueueCallerJoin,
    QueueMember,
    QueueMemberAdded,
    QueueMemberPause,
    QueueMemberRemoved,
    VarSet,
)
from telephony.calls.machine import CallState
from telephony.controller.line import Line
from telephony.controller.resync import resync_agents, resync_calls
from telephony.controller.schemas import CallChangeData, CallOut
from telephony.events import AgentChanged, CallView
from tests.telephony.changes import said


class Clock:
    def __init__(self) -> None:
        self.now = datetime.fromisoformat("2026-03-02T10:00:00+08:00")

    def __call__(self) -> datetime:
        return self.now


def channel(uniqueid: str, linkedid: str = "100.1", name: str = "PJSIP/trunk-0001",
            **variables: str) -> Channel:
    return Channel(name, uniqueid, linkedid, 6, "13800001111", "王小明", "", "", "hotline-inbound",
                   "12345", MappingProxyType(variables))


def member(event: type, interface: str = "PJSIP/8001", *, paused: bool = False,
           reason: str = "", in_call: bool = False, queue: str = "main"):  # type: ignore[no-untyped-def]
    fields = dict(queue=queue, member_name="王芳", interface=interface,
                  state_interface=interface, membership="dynamic", penalty=0, calls_taken=0,
                  in_call=in_call, status=1, paused=paused, paused_reason=reason)
    if event is QueueMember:
        fields["action_id"] = "x"
    return event(**fields)


def caller_and_agent(line: Line) -> None:
    line.apply(member(QueueMemberAdded))
    line.apply(Newchannel(channel("100.1", HOTLINE_LINE="12315", HOTLINE_DIALED="12315")))
    line.apply(QueueCallerJoin(channel("100.1"), "main", 1, 1))
    line.apply(Newchannel(channel("100.2", name="PJSIP/8001-0002")))
    line.apply(AgentConnect(channel("100.1"), channel("100.2"), "main", "王芳", "PJSIP/8001",
                            3, 2))


def test_a_queued_call_answered_by_an_agent() -> None:
    line = Line(Clock())
    caller_and_agent(line)
    call = line.calls["100.1"]
    assert call.state is CallState.CONNECTED
    assert (call.source_line, call.dialed, call.queue, call.agent) == (
        "12315", "12315", "main", "PJSIP/8001")
    assert call.caller_name == "王小明"
    assert line.agents["PJSIP/8001"].state is AgentState.ON_CALL


def test_the_call_ends_when_its_last_leg_hangs_up_and_the_agent_wraps_up() -> None:
    clock = Clock()
    line = Line(clock, wrap_up=timedelta(seconds=30))
    caller_and_agent(line)
    line.apply(AgentComplete(channel("100.1"), channel("100.2"), "main", "王芳", "PJSIP/8001",
                             3, 60, "caller"))
    line.apply(Hangup(channel("100.2"), 16, "Normal Clearing"))
    assert "100.1" in line.calls
    changes = line.apply(Hangup(channel("100.1"), 16, "Normal Clearing"))
    assert [(said(c)[0], said(c)[2]) for c in changes] == [("call", "ended")]
    assert [c.linkedid for c in line.take_ended()] == ["100.1"]
    assert line.agents["PJSIP/8001"].state is AgentState.AFTER_CALL_WORK
    clock.now += timedelta(seconds=31)
    assert [said(c)[2] for c in line.tick()] == ["available"]


def test_events_in_an_impossible_order_are_skipped_not_fatal() -> None:
    line = Line(Clock())
    line.apply(Newchannel(channel("200.1", linkedid="200.1")))
    line.apply(Hangup(channel("200.1", linkedid="200.1"), 16, ""))
    stray = line.apply(QueueCallerJoin(channel("200.1", linkedid="200.1"), "main", 1, 1))
    assert stray == []
    line.apply(member(QueueMemberAdded, "PJSIP/8009"))
    assert line.apply(AgentComplete(channel("x"), channel("y"), "main", "x", "PJSIP/8009",
                                    0, 0, "agent")) == []


def test_a_pause_carries_its_reason() -> None:
    line = Line(Clock())
    line.apply(member(QueueMemberAdded))
    line.apply(member(QueueMemberPause, paused=True, reason="午餐"))
    agent = line.agents["PJSIP/8001"]
    assert (agent.state, agent.pause_reason) == (AgentState.PAUSED, "午餐")


def test_joining_and_leaving_a_second_queue_tells_the_seats_queues() -> None:
    line = Line(Clock())
    line.apply(member(QueueMemberAdded))
    [joined] = line.apply(member(QueueMemberAdded, queue="enterprise"))
    assert isinstance(joined, AgentChanged) and joined.agent.queues == {"main", "enterprise"}
    assert said(joined)[2] == "available"
    assert line.apply(member(QueueMemberAdded, queue="enterprise")) == []  # already in it
    [left] = line.apply(member(QueueMemberRemoved, queue="main"))
    assert isinstance(left, AgentChanged) and left.agent.queues == {"enterprise"}
    assert said(left)[2] == "available"
    [out] = line.apply(member(QueueMemberRemoved, queue="enterprise"))
    assert said(out)[2] == "logged_out"


def show(uniqueid: str, linkedid: str, app: str, bridge: str = "") -> CoreShowChannel:
    return CoreShowChannel(channel(uniqueid, linkedid), bridge, app, "", "00:01:05", "r")


def test_resync_ends_vanished_calls_and_adopts_new_ones() -> None:
    line = Line(Clock())
    caller_and_agent(line)
    changes = resync_calls(line, [show("300.1", "300.1", "AGI")], [])
    assert "100.1" not in line.calls
    assert [c.linkedid for c in line.take_ended()] == ["100.1"]
    adopted = line.calls["300.1"]
    assert adopted.state is CallState.IN_IVR
    assert adopted.started_at == Clock().now - timedelta(seconds=65)
    assert {said(c)[1] for c in changes} == {"100.1", "300.1"}


def test_resync_reads_agents_from_the_queue_members() -> None:
    line = Line(Clock())
    line.apply(member(QueueMemberAdded, "PJSIP/8002"))
    resync_agents(line, [member(QueueMember, "PJSIP/8001", paused=True, reason="培训")])
    assert line.agents["PJSIP/8001"].state is AgentState.PAUSED
    assert line.agents["PJSIP/8001"].pause_reason == "培训"
    assert line.agents["PJSIP/8002"].state is AgentState.LOGGED_OUT


def test_a_call_connected_to_an_agent_in_wrap_up_is_shown_connected() -> None:
    line = Line(Clock(), wrap_up=timedelta(seconds=30))
    caller_and_agent(line)
    line.apply(AgentComplete(channel("100.1"), channel("100.2"), "main", "王芳", "PJSIP/8001",
                             3, 60, "caller"))
    assert line.agents["PJSIP/8001"].state is AgentState.AFTER_CALL_WORK
    line.apply(Newchannel(channel("500.1", linkedid="500.1")))
    line.apply(QueueCallerJoin(channel("500.1", linkedid="500.1"), "main", 1, 1))
    line.apply(AgentConnect(channel("500.1", linkedid="500.1"), channel("500.2", "500.1"),
                            "main", "王芳", "PJSIP/8001", 1, 1))
    assert line.calls["500.1"].state is CallState.CONNECTED
    assert line.agents["PJSIP/8001"].state is AgentState.ON_CALL


def test_a_party_originated_into_a_calls_room_joins_that_call() -> None:
    line = Line(Clock())
    caller_and_agent(line)
    line.apply(ConfbridgeJoin(channel("100.1"), "26030200001", "b1", False, False))
    assert line.calls["100.1"].state is CallState.IN_CONFERENCE
    unit = channel("700.1", linkedid="700.1", name="Local/05353333333@sim-agent-0001;1")
    line.apply(Newchannel(unit))  # its own linkedid: a stray call for a moment
    assert "700.1" in line.calls
    line.apply(ConfbridgeJoin(unit, "26030200001", "b1", False, False))
    assert "700.1" not in line.calls
    assert "700.1" in line.calls["100.1"].legs


def test_a_callback_leg_and_the_ivrs_result_are_read_from_the_channels_tags() -> None:
    line = Line(Clock())
    leg = channel("400.1", "400.1", name="Local/13800001111@sim-citizen-0001;1",
                  HOTLINE_CALLBACK_ID="7", HOTLINE_QUEUE="main")
    line.apply(Newchannel(channel("400.1", "400.1", name=leg.name)))
    line.apply(QueueCallerJoin(leg, "main", 1, 1))
    assert line.calls["400.1"].callback_id == 7
    line.apply(Newchannel(channel("500.1", "500.1")))
    line.apply(VarSet(channel("500.1", "500.1"), "HOTLINE_IVR_RESULT", "followed"))
    assert line.calls["500.1"].ivr_result == "followed"
    assert line.calls["500.1"].callback_id is None


def test_a_resync_reads_the_callback_leg_back_from_asterisk() -> None:
    line = Line(Clock())
    tagged = channel("600.1", "600.1", HOTLINE_CALLBACK_ID="9", HOTLINE_IVR_RESULT="agent")
    resync_calls(line, [CoreShowChannel(tagged, "", "Queue", "main", "00:00:30", "r")], [])
    call = line.calls["600.1"]
    assert (call.callback_id, call.ivr_result) == (9, "agent")


def test_the_feed_tells_when_a_call_reached_its_queue_and_whose_callback_it_is() -> None:
    clock = Clock()
    line = Line(clock)
    leg = channel("700.1", "700.1", HOTLINE_CALLBACK_ID="3")
    line.apply(Newchannel(channel("700.1", "700.1")))
    clock.now += timedelta(seconds=12)  # the IVR, then the queue
    line.apply(QueueCallerJoin(leg, "main", 1, 1))
    view = CallView.of(line.calls["700.1"])
    change, listed = CallChangeData.of(view), CallOut.of(view)
    assert change.queued_at == listed.queued_at == clock.now
    assert change.callback_id == listed.callback_id == 3
    assert listed.started_at == clock.now - timedelta(seconds=12)
