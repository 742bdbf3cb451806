"""The resync alone, on channel lists as Asterisk 22 prints them: softphone agents, parties the
platform originated, a room the agent has left (the real Asterisk: test_resync_integration)."""

from datetime import datetime
from types import MappingProxyType

from telephony.agents.machine import AgentState
from telephony.ami.events import Channel, CoreShowChannel, QueueMember
from telephony.calls.machine import CallState
from telephony.controller.line import Line
from telephony.controller.live import member_interface
from telephony.controller.resync import resync
from telephony.events import CallChanged

MEMBERS = ["PJSIP/8001", "PJSIP/80011", "Local/8002@sim-agent/n"]


def clock() -> datetime:
    return datetime.fromisoformat("2026-03-02T10:00:00+08:00")


def show(name: str, uniqueid: str, app: str, data: str = "", bridge: str = "",
         linkedid: str = "100.1", **tags: str) -> CoreShowChannel:
    channel = Channel(name, uniqueid, linkedid, 6, "13800001111", "王小明", "", "", "ctx", "s",
                      MappingProxyType(tags))
    return CoreShowChannel(channel, bridge, app, data, "00:02:00", "r")


def member(interface: str, *, paused: bool = False, reason: str = "",
           in_call: bool = False) -> QueueMember:
    return QueueMember("main", interface.split("/")[1], interface, interface, "dynamic", 0, 0,
                       in_call, 1, paused, reason, "r")


def test_a_channel_belongs_to_the_member_whose_interface_it_was_dialled_on() -> None:
    assert member_interface("PJSIP/8001-0000002a", MEMBERS) == "PJSIP/8001"
    assert member_interface("PJSIP/80011-0000002b", MEMBERS) == "PJSIP/80011"
    assert member_interface("Local/8002@sim-agent-00000001;1", MEMBERS) == \
        "Local/8002@sim-agent/n"
    assert member_interface("Local/8002@sim-agent-00000001;2", MEMBERS) is None
    assert member_interface("PJSIP/carrier-00000003", MEMBERS) is None


def test_a_softphone_call_is_rebuilt_with_its_agent_tags_and_voices() -> None:
    line = Line(clock)
    tags = {"HOTLINE_LINE": "water", "HOTLINE_DIALED": "96310", "HOTLINE_QUEUE": "main"}
    listing = [show("PJSIP/carrier-00000001", "100.1", "Queue", "main,,,,60", "b1", **tags),
               show("PJSIP/8001-00000002", "100.2", "AppQueue", "(Outgoing Line)", "b1"),
               show("PJSIP/8002-00000009", "200.1", "Echo", linkedid="200.1")]
    changes = resync(line, listing, [], [member("PJSIP/8001", in_call=True),
                                         member("PJSIP/8002", paused=True, reason="午餐")])
    call = line.calls["100.1"]
    assert (call.state, call.agent, call.queue, call.source_line, call.dialed) == (
        CallState.CONNECTED, "PJSIP/8001", "main", "water", "96310")
    assert call.voices == {"caller": "PJSIP/carrier-00000001", "agent": "PJSIP/8001-00000002"}
    assert line.agents["PJSIP/8001"].state is AgentState.ON_CALL
    paused = line.agents["PJSIP/8002"]  # its echo test is no queue call
    assert (paused.state, paused.pause_reason) == (AgentState.PAUSED, "午餐")
    told = next(c for c in changes if isinstance(c, CallChanged) and c.call.linkedid == "100.1")
    assert told.call.agent == "PJSIP/8001" and told.resync is True


def test_a_room_without_its_agent_keeps_caller_and_unit_as_one_call() -> None:
    line = Line(clock)
    room = "T1,hotline-bridge,hotline-user"
    listing = [show("PJSIP/carrier-00000001", "100.1", "ConfBridge", room, "c1",
                    HOTLINE_LINE="12345"),
               show("PJSIP/carrier-00000005", "900.1", "ConfBridge", room, "c1",
                    linkedid="900.1", HOTLINE_PARTY_OF="100.1")]
    resync(line, listing, [], [member("PJSIP/8001")])
    assert list(line.calls) == ["100.1"]
    call = line.calls["100.1"]
    assert (call.state, call.conference, call.agent) == (CallState.IN_CONFERENCE, "T1", None)
    assert call.legs == {"100.1", "900.1"} and line.merged == {"900.1": "100.1"}
    assert call.voices == {"caller": "PJSIP/carrier-00000001"}
    assert line.conference_of == {"T1": "100.1"}
    assert line.agents["PJSIP/8001"].state is AgentState.AVAILABLE


def test_an_agent_in_the_room_is_held_until_its_leg_hangs_up() -> None:
    line = Line(clock)
    room = "T2,hotline-bridge,hotline-user"
    listing = [show("PJSIP/carrier-00000001", "100.1", "ConfBridge", room, "c2"),
               show("PJSIP/8001-00000002", "100.2", "ConfBridge", room, "c2")]
    resync(line, listing, [], [member("PJSIP/8001", in_call=True)])
    assert line.held_agents == {"100.2": "PJSIP/8001"}
    assert line.completion_pending == {"PJSIP/8001"}  # the queue's AgentComplete is still due
    assert line.agents["PJSIP/8001"].state is AgentState.ON_CALL
    # Caller and agent hung up while the link was down; the unit, still in the room, keeps
    # the call alive, as it would in the live picture; the agent is released.
    unit = show("PJSIP/unit-7", "700.1", "ConfBridge", room, "c2", linkedid="700.1",
                HOTLINE_PARTY_OF="100.1")
    resync(line, [unit], [], [member("PJSIP/8001")])
    assert list(line.calls) == ["100.1"] and line.calls["100.1"].legs == {"700.1"}
    assert line.held_agents == {}
    assert line.agents["PJSIP/8001"].state is AgentState.AVAILABLE
    # A platform that never knew the call takes such a party for a call of its own.
    fresh = Line(clock)
    resync(fresh, [unit], [], [])
    assert list(fresh.calls) == ["700.1"]


def test_an_agents_own_test_call_is_the_caller_not_the_agent() -> None:
    line = Line(clock)
    listing = [show("PJSIP/8001-00000001", "100.1", "Queue", "main", "b1"),
               show("PJSIP/80011-00000002", "100.2", "AppQueue", "(Outgoing Line)", "b1")]
    resync(line, listing, [], [member("PJSIP/8001"), member("PJSIP/80011", in_call=True)])
    call = line.calls["100.1"]
    assert call.agent == "PJSIP/80011" and call.voices["caller"] == "PJSIP/8001-00000001"
