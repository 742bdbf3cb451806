"""The controller's picture of the line, kept by applying typed AMI events.

Events Asterisk sends in an order the state machines do not expect (after a lost event, or
during a resync) are logged and skipped: the picture is repaired by the next resync, never
by crashing the link.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from telephony.agents.machine import Agent, AgentEvent, AgentState, IllegalAgentTransition
from telephony.ami.events import (
    AgentCalled,
    AgentComplete,
    AgentConnect,
    AgentRingNoAnswer,
    AmiEvent,
    ConfbridgeJoin,
    ConfbridgeLeave,
    Hangup,
    Newchannel,
    QueueCallerAbandon,
    QueueCallerJoin,
    QueueMemberAdded,
    QueueMemberPause,
    QueueMemberRemoved,
    VarSet,
)
from telephony.calls.machine import Call, CallEvent, CallState, IllegalCallTransition
from telephony.controller import parties
from telephony.events import AgentChanged, AgentView, CallChanged, CallView, TelephonyEvent

log = logging.getLogger(__name__)

DESCRIBE_VARIABLE = "HOTLINE_DESCRIBE"  # set by the IVR while the caller describes the request


@dataclass
class Line:
    """Calls by linkedid, which call each channel belongs to, agents by interface."""

    clock: Callable[[], datetime]
    wrap_up: timedelta = timedelta(seconds=30)
    calls: dict[str, Call] = field(default_factory=dict)
    leg_of: dict[str, str] = field(default_factory=dict)
    agents: dict[str, Agent] = field(default_factory=dict)
    conference_of: dict[str, str] = field(default_factory=dict)
    merged: dict[str, str] = field(default_factory=dict)  # adopted linkedid -> owner's
    held_agents: dict[str, str] = field(default_factory=dict)  # conference leg -> interface
    # agents moved into a conference whose queue call's AgentComplete has not come yet
    completion_pending: set[str] = field(default_factory=set)
    ended: list[Call] = field(default_factory=list)

    def apply(self, event: AmiEvent) -> list[TelephonyEvent]:
        """Apply one event; what changed (empty for events that move nothing)."""
        handler = _HANDLERS.get(type(event))
        if handler is None:
            return []
        try:
            return handler(self, event)
        except (IllegalCallTransition, IllegalAgentTransition) as refused:
            log.warning("skipped %s: %s", type(event).__name__, refused.message)
            return []

    def take_ended(self) -> list[Call]:
        """Calls that ended since the last call, for the caller to store."""
        ended, self.ended = self.ended, []
        return ended

    def tick(self) -> list[TelephonyEvent]:
        """End after-call work whose timer ran out."""
        now = self.clock()
        return [self._agent_move(a, AgentEvent.FINISH_WRAP_UP) for a in self.agents.values()
                if a.state is AgentState.AFTER_CALL_WORK and a.wrap_up_due(now)]

    def adopt(self, owner: str, uniqueid: str, room: str | None = None) -> bool:
        """Fold the call that channel ``uniqueid`` started into call ``owner``.

        An originated party (the unit in a three-party call) gets a linkedid of its own, so
        its first event made it a call of its own; it belongs to the caller's call.
        """
        stray = self.leg_of.get(uniqueid)
        call = self.calls.get(owner)
        if stray is None or stray == owner or call is None:
            return False
        other = self.calls.pop(stray, None)
        self.merged[stray] = owner  # its later legs (a Local channel's dial) belong here too
        legs = other.legs if other is not None else {uniqueid}
        for leg in legs:
            self.leg_of[leg] = owner
        call.legs |= legs
        if room is not None and self.conference_of.get(room) in (stray, None):
            self.conference_of[room] = owner
        log.info("call %s: legs %s of %s joined it", owner, sorted(legs), stray)
        return True

    # -- helpers -------------------------------------------------------------------------

    def call_of(self, uniqueid: str, linkedid: str) -> Call | None:
        """The call a channel belongs to."""
        return self.calls.get(self.leg_of.get(uniqueid, self.owner_of(linkedid)))

    def owner_of(self, linkedid: str) -> str:
        """The linkedid of the call that ``linkedid``'s channels were folded into."""
        return self.merged.get(linkedid, linkedid)

    def agent(self, interface: str, name: str = "") -> Agent:
        """The agent on ``interface``, created on first sight."""
        known = self.agents.get(interface)
        if known is None:
            known = self.agents[interface] = Agent(interface, name or interface)
        return known

    def _call_move(self, call: Call, event: CallEvent) -> TelephonyEvent:
        state = call.apply(event, self.clock())
        if state is CallState.ENDED:
            self.ended.append(call)
            self.calls.pop(call.linkedid, None)
            for stray in [s for s, owner in self.merged.items() if owner == call.linkedid]:
                del self.merged[stray]
        return CallChanged(CallView.of(call))

    def _agent_move(self, agent: Agent, event: AgentEvent, reason: str = "") -> TelephonyEvent:
        agent.apply(event, self.clock(), reason=reason, wrap_up=self.wrap_up)
        return AgentChanged(AgentView.of(agent))


def _newchannel(line: Line, e: Newchannel) -> list[TelephonyEvent]:
    ch = e.channel
    owner = ch.variables.get(parties.PARTY_VARIABLE) or line.owner_of(ch.linkedid)
    if owner != ch.linkedid and owner in line.calls:
        line.merged[ch.linkedid] = owner
    else:
        owner = ch.linkedid
    line.leg_of[ch.uniqueid] = owner
    call = line.calls.get(owner)
    if call is not None:
        call.legs.add(ch.uniqueid)
        return []
    call = Call(ch.linkedid, ch.caller_num, ch.caller_name,
                ch.variables.get("HOTLINE_DIALED") or ch.exten, line.clock(),
                source_line=ch.variables.get("HOTLINE_LINE") or None, legs={ch.uniqueid})
    line.calls[ch.linkedid] = call
    return [CallChanged(CallView.of(call))]


def _var_set(line: Line, e: VarSet) -> list[TelephonyEvent]:
    call = e.channel and line.call_of(e.channel.uniqueid, e.channel.linkedid)
    if not call:
        return []
    call.read_tags({e.variable: e.value})  # a callback leg's id, the IVR's result
    if e.variable == "HOTLINE_LINE":
        call.source_line = e.value or call.source_line
    elif e.variable == "HOTLINE_DIALED":
        call.dialed = e.value or call.dialed
    elif e.variable == "HOTLINE_STAGE" and e.value == "ivr" and call.state is CallState.RINGING:
        return [line._call_move(call, CallEvent.ENTER_IVR)]
    elif e.variable == DESCRIBE_VARIABLE and e.value == "1" and e.channel is not None:
        # The IVR asked the caller to describe the request: their voice is worth hearing now.
        call.voices.setdefault("caller", e.channel.name)
        return [CallChanged(CallView.of(call))]
    return []


def _our_var_set(line: Line, e: VarSet) -> list[TelephonyEvent]:
    if e.variable == parties.PARTY_VARIABLE:
        return parties.party_tagged(line, e)
    if e.variable == parties.CONFERENCE_AGENT_VARIABLE:
        return parties.conference_agent_tagged(line, e)
    return _var_set(line, e)


def _queue_join(line: Line, e: QueueCallerJoin) -> list[TelephonyEvent]:
    call = line.call_of(e.channel.uniqueid, e.channel.linkedid)
    if call is None:
        return []
    # The channel that joins is the one the dialplan screened: its caller ID and the line
    # tags (channelvars in manager.conf) are the call's, whatever the first leg showed.
    ch = e.channel
    call.queue = e.queue
    call.caller_number = ch.caller_num or call.caller_number
    call.caller_name = ch.caller_name or call.caller_name
    call.source_line = ch.variables.get("HOTLINE_LINE") or call.source_line
    call.dialed = ch.variables.get("HOTLINE_DIALED") or call.dialed
    call.read_tags(ch.variables)
    return [line._call_move(call, CallEvent.QUEUE)]


def _abandon(line: Line, e: QueueCallerAbandon) -> list[TelephonyEvent]:
    call = line.call_of(e.channel.uniqueid, e.channel.linkedid)
    if call is not None:
        call.abandoned = True
    return []


def _agent_called(line: Line, e: AgentCalled) -> list[TelephonyEvent]:
    agent = line.agent(e.interface, e.member_name)
    return [line._agent_move(agent, AgentEvent.RING)] if agent.state is AgentState.AVAILABLE \
        else []


def _ring_no_answer(line: Line, e: AgentRingNoAnswer) -> list[TelephonyEvent]:
    agent = line.agent(e.interface, e.member_name)
    return [line._agent_move(agent, AgentEvent.MISS)] if agent.state is AgentState.RINGING \
        else []


def _agent_connect(line: Line, e: AgentConnect) -> list[TelephonyEvent]:
    # The call and the agent move apart: a refusal on one side must not cost the other its
    # update (the call's picture would stay "queued" while Asterisk has connected it).
    changes = []
    call = e.channel and line.call_of(e.channel.uniqueid, e.channel.linkedid)
    if call:
        call.agent = e.interface
        if e.channel is not None and e.dest is not None:
            call.voices.update(caller=e.channel.name, agent=e.dest.name)
        changes.append(line._call_move(call, CallEvent.CONNECT))
    agent = line.agent(e.interface, e.member_name)
    try:
        changes.append(line._agent_move(agent, AgentEvent.ANSWER))
    except IllegalAgentTransition as refused:
        log.warning("agent %s: %s", agent.interface, refused.message)
    return changes


def _agent_complete(line: Line, e: AgentComplete) -> list[TelephonyEvent]:
    if parties.completes_conference_call(line, e.interface):
        return []
    return [line._agent_move(line.agent(e.interface, e.member_name), AgentEvent.HANG_UP)]


def _conf_join(line: Line, e: ConfbridgeJoin) -> list[TelephonyEvent]:
    owner = line.conference_of.get(e.conference)
    call = line.call_of(e.channel.uniqueid, e.channel.linkedid)
    if owner is not None and (call is None or call.linkedid != owner):
        # a party originated into the room (its own linkedid) joins the room's call
        line.leg_of.setdefault(e.channel.uniqueid, e.channel.linkedid)
        line.adopt(owner, e.channel.uniqueid, e.conference)
        return []
    if call is None:
        return []
    line.conference_of[e.conference] = call.linkedid
    call.conference = e.conference
    if call.state is CallState.IN_CONFERENCE:
        return []
    return [line._call_move(call, CallEvent.CONFERENCE)]


def _conf_leave(line: Line, e: ConfbridgeLeave) -> list[TelephonyEvent]:
    return []  # a party leaving the room is followed by its Hangup or a new bridge


def _hangup(line: Line, e: Hangup) -> list[TelephonyEvent]:
    changes = parties.release_held_agent(line, e)
    linkedid = line.leg_of.pop(e.channel.uniqueid, line.owner_of(e.channel.linkedid))
    call = line.calls.get(linkedid)
    if call is None:
        return changes
    call.legs.discard(e.channel.uniqueid)
    if call.legs:
        return changes
    if call.conference:
        line.conference_of.pop(call.conference, None)
    return [*changes, line._call_move(call, CallEvent.END)]


def _member_added(line: Line, e: QueueMemberAdded) -> list[TelephonyEvent]:
    agent = line.agent(e.interface, e.member_name)
    joined = e.queue not in agent.queues
    agent.queues.add(e.queue)
    if agent.state is not AgentState.LOGGED_OUT:
        # one more queue for a seat already in: its screen shows the queues it serves
        return [AgentChanged(AgentView.of(agent))] if joined else []
    changes = [line._agent_move(agent, AgentEvent.LOGIN)]
    if e.paused:
        changes.append(line._agent_move(agent, AgentEvent.PAUSE, e.paused_reason))
    return changes


def _member_removed(line: Line, e: QueueMemberRemoved) -> list[TelephonyEvent]:
    agent = line.agent(e.interface, e.member_name)
    left = e.queue in agent.queues
    agent.queues.discard(e.queue)
    if agent.state is AgentState.LOGGED_OUT:
        return []
    if agent.queues:  # still in other queues: the same state, one queue fewer
        return [AgentChanged(AgentView.of(agent))] if left else []
    return [line._agent_move(agent, AgentEvent.LOGOUT)]


def _member_pause(line: Line, e: QueueMemberPause) -> list[TelephonyEvent]:
    agent = line.agent(e.interface, e.member_name)
    if e.paused and agent.state is not AgentState.ON_CALL:
        return [line._agent_move(agent, AgentEvent.PAUSE, e.paused_reason)]
    if not e.paused and agent.state is AgentState.PAUSED:
        return [line._agent_move(agent, AgentEvent.UNPAUSE)]
    return []


_HANDLERS: dict[type, Callable[[Line, Any], list[TelephonyEvent]]] = {
    Newchannel: _newchannel, VarSet: _our_var_set, QueueCallerJoin: _queue_join,
    QueueCallerAbandon: _abandon, AgentCalled: _agent_called,
    AgentRingNoAnswer: _ring_no_answer, AgentConnect: _agent_connect,
    AgentComplete: _agent_complete, ConfbridgeJoin: _conf_join, ConfbridgeLeave: _conf_leave,
    Hangup: _hangup, QueueMemberAdded: _member_added, QueueMemberRemoved: _member_removed,
    QueueMemberPause: _member_pause,
}
