"""Channels the platform originates for a live call, and the agent held in a conference.

An Originate has no requestor, so Asterisk gives the originated channel (the unit in a
three-party call, a supervisor listening in, a transcription stream) a linkedid of its own.
The platform tags such a channel with ``HOTLINE_PARTY_OF=<the call's linkedid>``; the VarSet
that follows folds it into that call, so it is never counted as a citizen's call.

When caller and agent move into a conference the queue reports the agent's call as complete
(AgentComplete), although the agent is still talking. The conference service tags the agent's
leg with ``HOTLINE_CONFERENCE_AGENT=<interface>`` first; the agent then stays on the call
until that leg hangs up, and only then starts after-call work. The queue's AgentComplete may
also come after that leg hung up (a Local-channel agent's queue half ends last): it is the
same call ending, not a second one.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from telephony.agents.machine import AgentEvent, AgentState
from telephony.ami.events import Hangup, VarSet

if TYPE_CHECKING:
    from telephony.controller.line import Line
    from telephony.events import TelephonyEvent

log = logging.getLogger(__name__)

PARTY_VARIABLE = "HOTLINE_PARTY_OF"
CONFERENCE_AGENT_VARIABLE = "HOTLINE_CONFERENCE_AGENT"


def party_tagged(line: Line, e: VarSet) -> list[TelephonyEvent]:
    """Fold the tagged channel, and every leg of its own call, into the owner's call."""
    if e.channel is None or not e.value:
        return []
    line.leg_of.setdefault(e.channel.uniqueid, e.channel.linkedid)
    if not line.adopt(e.value, e.channel.uniqueid):
        log.debug("channel %s names call %s, which is not live", e.channel.name, e.value)
    return []


def conference_agent_tagged(line: Line, e: VarSet) -> list[TelephonyEvent]:
    """Hold the agent whose leg went into a conference on the call."""
    if e.channel is None or not e.value:
        return []
    line.held_agents[e.channel.uniqueid] = e.value
    line.completion_pending.add(e.value)
    return []


def holds(line: Line, interface: str) -> bool:
    """Whether the agent is talking in a conference (its queue call looks complete)."""
    return interface in line.held_agents.values()


def completes_conference_call(line: Line, interface: str) -> bool:
    """Whether the queue's AgentComplete ends a call the agent took into a conference."""
    if interface not in line.completion_pending:
        return False
    line.completion_pending.discard(interface)
    still = "still talking in" if holds(line, interface) else "has left"
    log.info("agent %s: queue call complete; the agent %s the conference", interface, still)
    return True


def release_held_agent(line: Line, e: Hangup) -> list[TelephonyEvent]:
    """The agent's conference leg hung up: the agent's after-call work starts now."""
    interface = line.held_agents.pop(e.channel.uniqueid, None)
    if interface is None or holds(line, interface):
        return []
    agent = line.agents.get(interface)
    if agent is None or agent.state is not AgentState.ON_CALL:
        return []
    return [line._agent_move(agent, AgentEvent.HANG_UP)]
