"""Rebuild the picture from what Asterisk says now (after every AMI (re)connect).

Calls that ended while the link was down end here; calls that started, or that a platform
which just started has never seen, are picked up whole: their legs and the parties the
platform originated for them, state, queue, source line, dialled number, agent, voices and
conference room (``telephony.controller.live`` reads them from the channel list). Agents are
read from the queues' member lists; the agent of a connected call is on the call.
"""

import logging
from collections import defaultdict
from collections.abc import Iterable, Set
from datetime import datetime, timedelta

from telephony.agents.machine import Agent, AgentState
from telephony.ami.events import CoreShowChannel, QueueEntry, QueueMember
from telephony.calls.machine import (
    CALLBACK_VARIABLE,
    IVR_RESULT_VARIABLE,
    Call,
    CallEvent,
    CallState,
)
from telephony.controller.line import Line
from telephony.controller.live import CONFBRIDGE, LiveCall, read_calls
from telephony.events import AgentChanged, AgentView, CallChanged, CallView, TelephonyEvent

log = logging.getLogger(__name__)

WITH_AGENT = frozenset({CallState.CONNECTED, CallState.IN_CONFERENCE})


def _duration(text: str) -> timedelta:
    """``HH:MM:SS`` as CoreShowChannels prints it."""
    try:
        hours, minutes, seconds = (int(part) for part in text.split(":"))
    except ValueError:
        return timedelta()
    return timedelta(hours=hours, minutes=minutes, seconds=seconds)


def _state_of(live: LiveCall, queued: Set[str]) -> CallState:
    legs = live.legs
    apps = {c.application.lower() for c in legs}
    if CONFBRIDGE in apps:
        return CallState.IN_CONFERENCE
    if any(c.channel.uniqueid in queued for c in legs):
        return CallState.QUEUED
    if live.agent is not None or (len(legs) > 1 and any(c.bridge_id for c in legs)):
        return CallState.CONNECTED
    if "agi" in apps:
        return CallState.IN_IVR
    return CallState.RINGING


def resync(line: Line, channels: list[CoreShowChannel], entries: list[QueueEntry],
           members: list[QueueMember]) -> list[TelephonyEvent]:
    """Calls, then agents: the agent whose channel is on a live call is on that call."""
    changes, busy = _resync_calls(line, channels, entries, members)
    return changes + resync_agents(line, members, busy)


def resync_calls(line: Line, channels: list[CoreShowChannel], entries: list[QueueEntry],
                 members: Iterable[QueueMember] = ()) -> list[TelephonyEvent]:
    """Make ``line.calls`` (and who owns each leg) match the live channels."""
    return _resync_calls(line, channels, entries, members)[0]


def _resync_calls(line: Line, channels: list[CoreShowChannel], entries: list[QueueEntry],
                  members: Iterable[QueueMember]) -> tuple[list[TelephonyEvent], set[str]]:
    calls = read_calls(channels, entries, {m.interface for m in members}, line.calls)
    live = {c.linkedid for c in calls}
    changes = [line._call_move(call, CallEvent.END)
               for linkedid, call in list(line.calls.items()) if linkedid not in live]
    queued = {entry.uniqueid for entry in entries}
    line.leg_of = {}  # every live channel is a leg of one of the calls below
    busy: set[str] = set()
    for found in calls:
        changes.extend(_resync_call(line, found, queued))
        if found.agent is not None:
            busy.add(found.agent)
    uniqueids = {c.channel.uniqueid for c in channels}
    line.held_agents = {leg: agent for leg, agent in line.held_agents.items() if leg in uniqueids}
    line.conference_of = {room: owner for room, owner in line.conference_of.items()
                          if owner in live}
    return changes, busy


def _resync_call(line: Line, found: LiveCall, queued: Set[str]) -> list[TelephonyEvent]:
    now = line.clock()
    call = line.calls.get(found.linkedid)
    fresh = call is None
    if call is None:
        first = found.tagged.channel
        age = max(_duration(c.duration) for c in found.legs)
        call = Call(found.linkedid, first.caller_num, first.caller_name,
                    found.tag("HOTLINE_DIALED") or first.exten, now - age)
        line.calls[found.linkedid] = call
    _fold(line, call, found)
    state = _state_of(found, queued)
    if not fresh and state is call.state:
        return []
    log.info("resync: call %s %s -> %s", call.linkedid, "new" if fresh else call.state.value,
             state.value)
    call.state = state
    call.entered.setdefault(state, now)
    return [CallChanged(CallView.of(call), resync=True)]


def _fold(line: Line, call: Call, found: LiveCall) -> None:
    """What the channels say of the call, over what the picture had (kept where they are mute)."""
    call.legs = {c.channel.uniqueid for c in found.legs}
    for leg in call.legs:
        line.leg_of[leg] = call.linkedid
    for party in found.parties:
        line.merged[party.channel.linkedid] = call.linkedid
    call.source_line = found.tag("HOTLINE_LINE") or call.source_line
    call.dialed = found.tag("HOTLINE_DIALED") or call.dialed
    call.queue = found.queue or found.tag("HOTLINE_QUEUE") or call.queue
    call.read_tags({name: value for name in (CALLBACK_VARIABLE, IVR_RESULT_VARIABLE)
                    if (value := found.tag(name))})
    if found.tagged.channel.caller_num:
        call.caller_number = found.tagged.channel.caller_num
        call.caller_name = found.tagged.channel.caller_name or call.caller_name
    if found.caller_leg is not None:
        call.voices["caller"] = found.caller_leg.channel.name
    if found.room is not None:
        call.conference = found.room
        line.conference_of[found.room] = call.linkedid
    if found.agent is None or found.agent_leg is None:
        return
    call.agent = found.agent
    call.voices["agent"] = found.agent_leg.channel.name
    if found.agent_leg.application.lower() == CONFBRIDGE:
        # its hang-up, not the queue's AgentComplete, ends the agent's call (parties.py)
        line.held_agents[found.agent_leg.channel.uniqueid] = found.agent


def _member_state(members: list[QueueMember], on_call: bool) -> AgentState:
    if on_call or any(m.in_call for m in members):
        return AgentState.ON_CALL
    return AgentState.PAUSED if all(m.paused for m in members) else AgentState.AVAILABLE


def resync_agents(line: Line, members: list[QueueMember], busy: Set[str] = frozenset()
                  ) -> list[TelephonyEvent]:
    """Make ``line.agents`` match the queues' member lists; ``busy`` agents are on a call."""
    now = line.clock()
    held = set(line.held_agents.values())
    rows: dict[str, list[QueueMember]] = defaultdict(list)
    for member in members:
        rows[member.interface].append(member)
    for interface, agent in line.agents.items():
        agent.queues = {m.queue for m in rows.get(interface, [])}
    changes = []
    for interface, listed in rows.items():
        agent = line.agent(interface, listed[0].member_name)
        agent.queues = {m.queue for m in listed}
        state = _member_state(listed, interface in busy)
        reason = next((m.paused_reason for m in listed if m.paused), "")
        if interface in held and any(m.in_call for m in listed):
            line.completion_pending.add(interface)  # the queue has yet to call it complete
        keep_wrap_up = agent.state is AgentState.AFTER_CALL_WORK and state is AgentState.AVAILABLE
        moved = state is not agent.state or (state is AgentState.PAUSED
                                             and reason != agent.pause_reason)
        if moved and not keep_wrap_up:
            changes.append(_reset(agent, state, now, reason))
    for agent in line.agents.values():
        if not agent.queues and agent.state is not AgentState.LOGGED_OUT:
            changes.append(_reset(agent, AgentState.LOGGED_OUT, now, ""))
    return changes


def _reset(agent: Agent, state: AgentState, now: datetime, reason: str) -> TelephonyEvent:
    log.info("resync: agent %s %s -> %s", agent.interface, agent.state.value, state.value)
    agent.state, agent.since = state, now
    agent.pause_reason = reason if state is AgentState.PAUSED else ""
    return AgentChanged(AgentView.of(agent), resync=True)
