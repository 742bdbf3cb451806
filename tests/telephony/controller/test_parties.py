"""Channels originated for a live call join it; an agent in a conference stays on the call."""

import logging

import pytest

from telephony.agents.machine import AgentState
from telephony.ami.events import AgentComplete, Hangup, Newchannel, VarSet
from telephony.calls.machine import CallState
from telephony.controller.line import Line
from telephony.controller.parties import CONFERENCE_AGENT_VARIABLE, PARTY_VARIABLE
from tests.telephony.changes import said
from tests.telephony.controller.test_line import Clock, caller_and_agent, channel


def test_an_expected_party_never_shows_as_a_call_of_its_own() -> None:
    line = Line(Clock())
    caller_and_agent(line)
    line.merged["party-1"] = "100.1"  # what CallController.expect_party records
    changes = line.apply(Newchannel(channel("party-1", "party-1", "Local/9001@units-0001;1")))
    changes += line.apply(Newchannel(channel("party-2", "party-1", "Local/9001@units-0001;2")))
    changes += line.apply(Newchannel(channel("party-3", "party-1", "PJSIP/unit-0003")))
    assert changes == []
    assert list(line.calls) == ["100.1"]
    assert {"party-1", "party-2", "party-3"} <= line.calls["100.1"].legs


def test_a_party_tag_folds_a_stray_call_into_its_owner() -> None:
    line = Line(Clock())
    caller_and_agent(line)
    line.apply(Newchannel(channel("200.1", "200.1", "PJSIP/7001-0009")))
    assert "200.1" in line.calls
    line.apply(VarSet(channel("200.1", "200.1"), PARTY_VARIABLE, "100.1"))
    assert list(line.calls) == ["100.1"]
    line.apply(Newchannel(channel("200.2", "200.1", "Local/x;2")))  # later legs follow
    assert "200.2" in line.calls["100.1"].legs


def test_a_party_tag_naming_no_live_call_changes_nothing() -> None:
    line = Line(Clock())
    line.apply(Newchannel(channel("200.1", "200.1")))
    assert line.apply(VarSet(channel("200.1", "200.1"), PARTY_VARIABLE, "999.9")) == []
    assert list(line.calls) == ["200.1"]


def test_the_call_ends_with_its_last_leg_including_an_adopted_one() -> None:
    line = Line(Clock())
    caller_and_agent(line)
    line.merged["party-1"] = "100.1"
    line.apply(Newchannel(channel("party-1", "party-1")))
    for uniqueid in ("100.1", "100.2"):
        line.apply(Hangup(channel(uniqueid), 16, "Normal Clearing"))
    assert line.calls["100.1"].state is CallState.CONNECTED
    line.apply(Hangup(channel("party-1", "party-1"), 16, "Normal Clearing"))
    assert "100.1" not in line.calls
    assert line.merged == {}


def test_an_agent_in_a_conference_stays_on_the_call_until_its_leg_hangs_up() -> None:
    line = Line(Clock())
    caller_and_agent(line)
    line.apply(VarSet(channel("100.2", name="PJSIP/8001-0002"), CONFERENCE_AGENT_VARIABLE,
                      "PJSIP/8001"))
    line.apply(AgentComplete(channel("100.1"), channel("100.2"), "main", "王芳", "PJSIP/8001",
                             3, 60, "transfer"))
    assert line.agents["PJSIP/8001"].state is AgentState.ON_CALL
    changes = line.apply(Hangup(channel("100.2", name="PJSIP/8001-0002"), 16, "Normal"))
    assert [(said(c)[0], said(c)[2]) for c in changes] == [("agent", "after_call_work")]
    assert line.calls["100.1"].state is CallState.CONNECTED


def test_a_queue_completion_arriving_after_the_agent_left_the_conference_is_the_same_call(
    caplog: pytest.LogCaptureFixture,
) -> None:
    line = Line(Clock())
    caller_and_agent(line)
    line.apply(VarSet(channel("100.2", name="PJSIP/8001-0002"), CONFERENCE_AGENT_VARIABLE,
                      "PJSIP/8001"))
    line.apply(Hangup(channel("100.2", name="PJSIP/8001-0002"), 16, "Normal"))
    assert line.agents["PJSIP/8001"].state is AgentState.AFTER_CALL_WORK
    late = line.apply(AgentComplete(channel("100.1"), channel("100.2"), "main", "王芳",
                                    "PJSIP/8001", 3, 60, "transfer"))
    assert late == [] and line.completion_pending == set()
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]  # not refused
    assert line.agents["PJSIP/8001"].state is AgentState.AFTER_CALL_WORK


def test_without_a_conference_a_queue_completion_starts_after_call_work() -> None:
    line = Line(Clock())
    caller_and_agent(line)
    changes = line.apply(AgentComplete(channel("100.1"), channel("100.2"), "main", "王芳",
                                       "PJSIP/8001", 3, 60, "caller"))
    assert [(said(c)[0], said(c)[2]) for c in changes] == [("agent", "after_call_work")]
