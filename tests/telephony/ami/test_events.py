"""Typed events are built at the edge; bad input becomes Unknown or Malformed, never an error."""

import logging

import pytest

from telephony.ami import events as ev
from telephony.ami.frames import AmiDecoder, AmiMessage

CALLER = {
    "Channel": "PJSIP/trunk-00000001",
    "ChannelState": "6",
    "ChannelStateDesc": "Up",
    "CallerIDNum": "13800138000",
    "CallerIDName": "李四",
    "ConnectedLineNum": "<unknown>",
    "ConnectedLineName": "<unknown>",
    "Context": "hotline-ivr",
    "Exten": "12345",
    "Priority": "1",
    "Uniqueid": "1700000000.1",
    "Linkedid": "1700000000.1",
}
AGENT = {
    "DestChannel": "PJSIP/agent1001-00000002",
    "DestChannelState": "5",
    "DestCallerIDNum": "1001",
    "DestCallerIDName": "坐席王",
    "DestUniqueid": "1700000000.2",
    "DestLinkedid": "1700000000.1",
    "DestContext": "agents",
    "DestExten": "1001",
}


def message(name: str, *parts: dict[str, str], **extra: str) -> AmiMessage:
    fields: dict[str, str] = {"Event": name}
    for part in parts:
        fields.update(part)
    fields.update(extra)
    text = "".join(f"{k}: {v}\r\n" for k, v in fields.items()) + "\r\n"
    (decoded,) = AmiDecoder(expect_banner=False).feed(text.encode())
    return decoded


def test_a_newchannel_carries_its_snapshot_with_unknown_caller_ids_emptied() -> None:
    event = ev.parse_event(message("Newchannel", CALLER))
    assert isinstance(event, ev.Newchannel)
    assert event.channel.name == "PJSIP/trunk-00000001"
    assert event.channel.linkedid == "1700000000.1"
    assert event.channel.state == 6
    assert event.channel.caller_name == "李四"
    assert event.channel.connected_num == ""
    assert event.channel.exten == "12345"


def test_channel_variables_arrive_on_the_snapshot() -> None:
    text = (
        "Event: Newstate\r\nChannel: Local/a\r\nUniqueid: 1.1\r\nLinkedid: 1.1\r\n"
        "ChanVariable: HOTLINE_ORIGINATE_ID=k1\r\nChanVariable: HOTLINE_LINE=12319\r\n\r\n"
    )
    (decoded,) = AmiDecoder(expect_banner=False).feed(text.encode())
    event = ev.parse_event(decoded)
    assert isinstance(event, ev.Newstate)
    assert dict(event.channel.variables) == {"HOTLINE_ORIGINATE_ID": "k1", "HOTLINE_LINE": "12319"}


def test_events_are_frozen() -> None:
    event = ev.parse_event(message("Hangup", CALLER, Cause="16", **{"Cause-txt": "Normal"}))
    assert isinstance(event, ev.Hangup)
    assert (event.cause, event.cause_txt) == (16, "Normal")
    with pytest.raises(AttributeError):
        event.cause = 17  # type: ignore[misc]


def test_queue_and_agent_events_carry_both_legs() -> None:
    called = ev.parse_event(
        message(
            "AgentCalled",
            CALLER,
            AGENT,
            Queue="general",
            MemberName="王五",
            Interface="PJSIP/agent1001",
        )
    )
    assert isinstance(called, ev.AgentCalled) and called.dest is not None
    assert called.dest.caller_name == "坐席王"
    assert called.channel.linkedid == called.dest.linkedid
    assert called.interface == "PJSIP/agent1001"
    connect = ev.parse_event(
        message(
            "AgentConnect",
            CALLER,
            AGENT,
            Queue="general",
            Interface="PJSIP/agent1001",
            HoldTime="12",
            RingTime="3",
        )
    )
    assert isinstance(connect, ev.AgentConnect)
    assert (connect.hold_time, connect.ring_time) == (12, 3)
    join = ev.parse_event(
        message("QueueCallerJoin", CALLER, Queue="general", Position="2", Count="2")
    )
    assert isinstance(join, ev.QueueCallerJoin)
    assert (join.queue, join.position) == ("general", 2)


def test_a_member_pause_carries_its_reason_old_and_new_spelling() -> None:
    member = {
        "Queue": "general",
        "MemberName": "王五",
        "Interface": "PJSIP/agent1001",
        "Paused": "1",
        "Status": "1",
        "Penalty": "0",
        "CallsTaken": "3",
    }
    new = ev.parse_event(message("QueueMemberPause", member, PausedReason="午休"))
    old = ev.parse_event(message("QueueMemberPause", member, Reason="培训"))
    assert isinstance(new, ev.QueueMemberPause) and isinstance(old, ev.QueueMemberPause)
    assert (new.paused, new.paused_reason, old.paused_reason) == (True, "午休", "培训")
    assert new.calls_taken == 3


def test_the_queue_status_list_is_typed() -> None:
    member = ev.parse_event(
        message(
            "QueueMember",
            Queue="general",
            Name="王五",
            Location="PJSIP/agent1001",
            Paused="0",
            ActionID="a1",
        )
    )
    assert isinstance(member, ev.QueueMember)
    assert (member.interface, member.member_name, member.action_id) == (
        "PJSIP/agent1001",
        "王五",
        "a1",
    )
    entry = ev.parse_event(
        message(
            "QueueEntry",
            Queue="general",
            Position="1",
            Channel="PJSIP/x-1",
            Uniqueid="1.1",
            Wait="40",
        )
    )
    assert isinstance(entry, ev.QueueEntry) and entry.wait == 40
    params = ev.parse_event(message("QueueParams", Queue="general", Calls="3", Abandoned="1"))
    assert isinstance(params, ev.QueueParams) and params.calls == 3
    done = ev.parse_event(message("QueueStatusComplete", EventList="Complete", ListItems="5"))
    assert isinstance(done, ev.QueueStatusComplete) and done.list_items == 5


def test_an_agent_complete_after_the_member_channel_is_gone_has_no_dest() -> None:
    # Seen from Asterisk 22 when the AMI link was killed mid-call.
    event = ev.parse_event(
        message(
            "AgentComplete",
            CALLER,
            Queue="main",
            Interface="PJSIP/8009",
            MemberName="8009",
            HoldTime="3",
            TalkTime="20",
            Reason="agent",
        )
    )
    assert isinstance(event, ev.AgentComplete)
    assert event.dest is None and event.talk_time == 20


def test_an_originated_dial_has_no_caller_leg() -> None:
    event = ev.parse_event(message("DialBegin", AGENT, DialString="agent1001"))
    assert isinstance(event, ev.DialBegin)
    assert event.channel is None
    assert event.dest.name == "PJSIP/agent1001-00000002"


def test_only_our_variables_become_varset_events() -> None:
    ours = ev.parse_event(message("VarSet", CALLER, Variable="HOTLINE_LINE", Value="12319"))
    assert isinstance(ours, ev.VarSet) and ours.value == "12319"
    assert ev.parse_event(message("VarSet", CALLER, Variable="DIALSTATUS", Value="ANSWER")) is None


def test_bridge_conference_and_originate_events() -> None:
    enter = ev.parse_event(
        message(
            "BridgeEnter", CALLER, BridgeUniqueid="b-1", BridgeType="basic", BridgeNumChannels="2"
        )
    )
    assert isinstance(enter, ev.BridgeEnter) and enter.num_channels == 2
    conf = ev.parse_event(message("ConfbridgeJoin", CALLER, Conference="t-42", Admin="Yes"))
    assert isinstance(conf, ev.ConfbridgeJoin) and conf.admin
    failed = ev.parse_event(
        message(
            "OriginateResponse",
            ActionID="hotline-originate-k",
            Response="Failure",
            Reason="5",
            Channel="PJSIP/u1",
        )
    )
    assert isinstance(failed, ev.OriginateResponse)
    assert (failed.success, failed.reason) == (False, 5)


def test_an_unknown_event_keeps_its_name() -> None:
    event = ev.parse_event(message("RTCPSent", Channel="x"))
    assert isinstance(event, ev.UnknownEvent)
    assert event.name == "RTCPSent"
    assert event.fields["channel"] == "x"


def test_a_missing_field_makes_a_malformed_event(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        event = ev.parse_event(message("Newchannel", Channel="PJSIP/x"))
    assert isinstance(event, ev.MalformedEvent)
    assert event.name == "Newchannel"
    assert "uniqueid" in event.reason
    assert "malformed" in caplog.text


def test_a_bad_number_makes_a_malformed_event() -> None:
    event = ev.parse_event(message("QueueCallerJoin", CALLER, Queue="q", Position="first"))
    assert isinstance(event, ev.MalformedEvent)
    assert "bad value" in event.reason


def test_a_response_is_not_an_event() -> None:
    (decoded,) = AmiDecoder(expect_banner=False).feed(b"Response: Success\r\n\r\n")
    assert isinstance(ev.parse_event(decoded), ev.MalformedEvent)


@pytest.mark.parametrize(
    "name",
    [
        "Newchannel",
        "Hangup",
        "AgentConnect",
        "QueueMemberAdded",
        "ConfbridgeLeave",
        "OriginateResponse",
        "CoreShowChannel",
        "BridgeLeave",
        "QueueCallerAbandon",
        "VarSet",
    ],
)
def test_no_known_event_raises_on_empty_fields(name: str) -> None:
    event = ev.parse_event(message(name))
    assert isinstance(event, ev.MalformedEvent)


def test_agent_complete_after_both_channels_are_gone_is_still_typed() -> None:
    # Asterisk 22.10.1 sends this once the caller hung up: no Channel, no DestChannel.
    text = ("Event: AgentComplete\r\nQueue: main\r\nInterface: Local/9041@sim-agent/n\r\n"
            "MemberName: 9041\r\nHoldTime: 2\r\nTalkTime: 30\r\nReason: caller\r\n\r\n")
    (decoded,) = AmiDecoder(expect_banner=False).feed(text.encode())
    event = ev.parse_event(decoded)
    assert isinstance(event, ev.AgentComplete)
    assert (event.channel, event.dest, event.interface, event.talk_time) == (
        None, None, "Local/9041@sim-agent/n", 30)
