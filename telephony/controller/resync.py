"""Rebuild the picture from what Asterisk says now (after every AMI (re)connect).

Calls that ended while the link was down end here; calls that started are picked up in the
state Asterisk shows; agents are read from the queues' member lists.
"""

import logging
from collections import defaultdict
from datetime import datetime, timedelta

from telephony.agents.machine import Agent, AgentState
from telephony.ami.events import CoreShowChannel, QueueEntry, QueueMember
from telephony.calls.machine import Call, CallEvent, CallState
from telephony.controller.line import Change, Line

log = logging.getLogger(__name__)


def _duration(text: str) -> timedelta:
    """``HH:MM:SS`` as CoreShowChannels prints it."""
    try:
        hours, minutes, seconds = (int(part) for part in text.split(":"))
    except ValueError:
        return timedelta()
    return timedelta(hours=hours, minutes=minutes, seconds=seconds)


def _state_of(channels: list[CoreShowChannel], queued: set[str]) -> CallState:
    apps = {c.application.lower() for c in channels}
    if "confbridge" in apps:
        return CallState.IN_CONFERENCE
    if any(c.channel.uniqueid in queued for c in channels):
        return CallState.QUEUED
    if len({c.bridge_id for c in channels if c.bridge_id}) and len(channels) > 1:
        return CallState.CONNECTED
    if "agi" in apps:
        return CallState.IN_IVR
    return CallState.RINGING


def resync_calls(line: Line, channels: list[CoreShowChannel], entries: list[QueueEntry]
                 ) -> list[Change]:
    """Make ``line.calls`` match the live channels."""
    now = line.clock()
    by_call: dict[str, list[CoreShowChannel]] = defaultdict(list)
    for channel in channels:
        by_call[channel.channel.linkedid].append(channel)
    queued = {entry.uniqueid for entry in entries}
    queue_of = {entry.uniqueid: entry.queue for entry in entries}
    changes = [line._call_move(call, CallEvent.END)
               for linkedid, call in list(line.calls.items()) if linkedid not in by_call]
    for linkedid, legs in by_call.items():
        call = line.calls.get(linkedid)
        state = _state_of(legs, queued)
        if call is None:
            first = next((c for c in legs if c.channel.uniqueid == linkedid), legs[0])
            call = Call(linkedid, first.channel.caller_num, first.channel.caller_name,
                        first.channel.variables.get("HOTLINE_DIALED") or first.channel.exten,
                        now - _duration(first.duration),
                        source_line=first.channel.variables.get("HOTLINE_LINE") or None)
            line.calls[linkedid] = call
        call.legs = {c.channel.uniqueid for c in legs}
        for leg in call.legs:
            line.leg_of[leg] = linkedid
        call.queue = next((queue_of[u] for u in call.legs if u in queue_of), call.queue)
        if state is not call.state:
            log.info("resync: call %s %s -> %s", linkedid, call.state.value, state.value)
            call.state = state
            call.entered.setdefault(state, now)
            changes.append(Change("call", linkedid, state.value, {"resync": True}))
    return changes


def _member_state(member: QueueMember) -> AgentState:
    if member.in_call:
        return AgentState.ON_CALL
    return AgentState.PAUSED if member.paused else AgentState.AVAILABLE


def resync_agents(line: Line, members: list[QueueMember]) -> list[Change]:
    """Make ``line.agents`` match the queues' member lists."""
    now = line.clock()
    seen: dict[str, set[str]] = defaultdict(set)
    changes = []
    for member in members:
        seen[member.interface].add(member.queue)
        agent = line.agent(member.interface, member.member_name)
        state = _member_state(member)
        keep_wrap_up = agent.state is AgentState.AFTER_CALL_WORK and state is AgentState.AVAILABLE
        if state is not agent.state and not keep_wrap_up:
            changes.append(_reset(agent, state, now, member.paused_reason))
    for interface, agent in line.agents.items():
        agent.queues = seen.get(interface, set())
        if not agent.queues and agent.state is not AgentState.LOGGED_OUT:
            changes.append(_reset(agent, AgentState.LOGGED_OUT, now, ""))
    return changes


def _reset(agent: Agent, state: AgentState, now: datetime, reason: str) -> Change:
    log.info("resync: agent %s %s -> %s", agent.interface, agent.state.value, state.value)
    agent.state, agent.since = state, now
    agent.pause_reason = reason if state is AgentState.PAUSED else ""
    return Change("agent", agent.interface, state.value, {"resync": True})
