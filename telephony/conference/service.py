"""三方通话, blind transfer, the provincial line and supervisor monitoring over AMI.

The controller's picture says which call is live and which agent has it; Asterisk's channel
list (CoreShowChannels) says which channels to move, so nothing here trusts a stale name.
"""

import contextlib
import logging
from dataclasses import dataclass, field

from telephony.ami.errors import AmiActionFailed, AmiNotConnected, OriginateFailed
from telephony.ami.events import CoreShowChannel
from telephony.ami.link import AmiLink
from telephony.ami.originate import OriginateRequest, party_channel_id
from telephony.calls.machine import Call, CallState
from telephony.conference.errors import (
    AmiDown,
    CallNotConnected,
    CallNotFound,
    CallNotInConference,
    ChannelNotFound,
    PartyUnreachable,
    PbxRefused,
)
from telephony.conference.schemas import MonitorMode
from telephony.controller.parties import CONFERENCE_AGENT_VARIABLE, PARTY_VARIABLE
from telephony.controller.service import CallController
from telephony.dialing import Dialing

log = logging.getLogger(__name__)

CONFERENCE_CONTEXT = "conference"
TRANSFER_CONTEXT = "transfer"
PROVINCIAL_CONTEXT = "provincial"
QUEUE_CONTEXT = "hotline-queue"
# E: the supervisor's phone hangs up with the agent's leg, instead of spying on the next one.
SPY_OPTIONS = {MonitorMode.LISTEN: "qE", MonitorMode.WHISPER: "qwE", MonitorMode.BARGE: "qBE"}
LIVE_WITH_AGENT = frozenset({CallState.CONNECTED, CallState.IN_CONFERENCE})


@dataclass
class Room:
    """A three-party call the service set up: which channels it moved and whom it called."""

    name: str
    caller: str
    agent: str | None
    units: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class HungUp:
    """What 挂断 hung up: the agent's channel (none when it had left) and the room, if any."""

    channel: str | None
    room: str | None


@dataclass(frozen=True)
class Parties:
    """The caller's and the agent's channel names of a connected call."""

    caller: str
    agent: str


class ConferenceService:
    """Steers live calls: conference, agent leaves, transfers, monitoring."""

    def __init__(self, link: AmiLink, controller: CallController,
                 dialing: Dialing | None = None) -> None:
        self.link = link
        self.controller = controller
        self.dialing = dialing or Dialing()
        self.rooms: dict[str, Room] = {}

    # -- three-party call -----------------------------------------------------------------

    async def conference(self, linkedid: str, unit_number: str, room: str | None = None,
                         attempt: int = 1, *, through: Dialing | None = None,
                         caller_id: str | None = None) -> Room:
        """Move caller and agent into the room (once), then call the unit into it.

        ``through`` dials the party another way than units are (an emergency line), and
        ``caller_id`` replaces the caller's number on its phone (identity withheld).
        """
        call = self._call(linkedid)
        known = self.rooms.get(linkedid)
        if known is None:  # a second unit joins the room the first one is in
            if call.state is not CallState.CONNECTED:
                raise CallNotConnected(f"call {linkedid} is {call.state.value}",
                                       linkedid=linkedid, state=call.state.value)
            parties = await self._parties(call)
            known = Room(room or linkedid, parties.caller, parties.agent)
            if call.agent:  # the agent stays on the call in the room, not in after-call work
                await self._setvar(parties.agent, CONFERENCE_AGENT_VARIABLE, call.agent)
            await self._redirect(parties.caller, CONFERENCE_CONTEXT, known.name,
                                 extra=parties.agent)
            self.rooms[linkedid] = known
        await self._call_unit(call, known, unit_number, attempt, through or self.dialing,
                              call.caller_number if caller_id is None else caller_id)
        return known

    async def agent_leaves(self, linkedid: str) -> Room:
        """Hang up the agent's leg only: caller and unit stay in the room."""
        call = self._call(linkedid)
        known = self.rooms.get(linkedid)
        if known is None or call.state is not CallState.IN_CONFERENCE:
            raise CallNotInConference(f"call {linkedid} is not in a conference",
                                      linkedid=linkedid, state=call.state.value)
        if known.agent is not None:
            await self._hangup(known.agent)
            known.agent = None
        return known

    async def hang_up(self, linkedid: str) -> HungUp:
        """挂断: the agent's own leg hangs up; in a room that is the agent leaving it."""
        call = self._call(linkedid)
        self._require_live(call)
        known = self.rooms.get(linkedid)
        if known is not None and call.state is CallState.IN_CONFERENCE:
            channel = known.agent
            await self.agent_leaves(linkedid)  # caller and unit stay in the room
            return HungUp(channel, known.name)
        channel = _agent_of(call, await self._channels(call)).channel.name
        await self._hangup(channel)  # the queue then ends the caller's side (Queue without c)
        log.info("call %s: the agent's leg %s hung up", linkedid, channel)
        return HungUp(channel, call.conference)

    # -- transfers --------------------------------------------------------------------------

    async def transfer(self, linkedid: str, to: str) -> str:
        """Blind transfer: the caller to an agent's extension (digits) or a queue (a name)."""
        call, caller, agent = await self._caller_and_agent(linkedid)
        if to.isdigit():
            await self._setvar(caller, "TRANSFER_DIAL", self._agent_dial(to))
            await self._redirect(caller, TRANSFER_CONTEXT, "s")
        else:
            await self._setvar(caller, "HOTLINE_QUEUE", to)
            await self._redirect(caller, QUEUE_CONTEXT, "s")
        await self._release_agent(call, agent)
        return caller

    async def transfer_provincial(self, linkedid: str) -> str:
        """The caller to the provincial 12345 line (dialplan context `provincial`)."""
        call, caller, agent = await self._caller_and_agent(linkedid)
        await self._redirect(caller, PROVINCIAL_CONTEXT, "s")
        await self._release_agent(call, agent)
        return caller

    def _agent_dial(self, extension: str) -> str:
        """The interface the agent logged in with, else the agent dial template."""
        for interface in self.controller.line.agents:
            if _extension_of(interface) == extension:
                return interface
        return self.dialing.agent.format(number=extension)

    # -- supervisor -------------------------------------------------------------------------

    async def monitor(self, linkedid: str, mode: MonitorMode, supervisor_phone: str,
                      attempt: int = 1) -> str:
        """Call the supervisor's phone and, once answered, spy on the agent's channel."""
        call = self._call(linkedid)
        self._require_live(call)
        known = self.rooms.get(linkedid)
        agent = known.agent if known is not None else (await self._parties(call)).agent
        if agent is None:
            raise ChannelNotFound(f"call {linkedid} has no agent any more", linkedid=linkedid)
        key = f"mon-{linkedid}-{supervisor_phone}-{mode.value}-{attempt}"
        request = OriginateRequest(
            channel=self.dialing.supervisor.format(number=supervisor_phone),
            application="ChanSpy", data=f"{agent},{SPY_OPTIONS[mode]}",
            ring_timeout=self.dialing.ring_timeout, variables={PARTY_VARIABLE: linkedid},
            channel_id=party_channel_id(key))
        self.controller.expect_party(request.channel_id, linkedid)
        await self._originate(key, request)
        return agent

    # -- the controller's picture and Asterisk's channels ----------------------------------

    def _call(self, linkedid: str) -> Call:
        call = self.controller.line.calls.get(linkedid)
        if call is None:
            raise CallNotFound(f"no live call {linkedid}", linkedid=linkedid)
        return call

    @staticmethod
    def _require_live(call: Call) -> None:
        if call.state not in LIVE_WITH_AGENT:
            raise CallNotConnected(f"call {call.linkedid} is {call.state.value}",
                                   linkedid=call.linkedid, state=call.state.value)

    async def _caller_and_agent(self, linkedid: str) -> tuple[Call, str, str | None]:
        call = self._call(linkedid)
        self._require_live(call)
        known = self.rooms.get(linkedid)
        if known is not None and call.state is CallState.IN_CONFERENCE:
            return call, known.caller, None  # the agent stays with the unit in the room
        parties = await self._parties(call)
        return call, parties.caller, parties.agent

    async def _parties(self, call: Call) -> Parties:
        """The agent's channel, and the caller's: the other channel in the agent's bridge."""
        channels = await self._channels(call)
        agent = _agent_of(call, channels)
        caller = next((c for c in channels if c is not agent and agent.bridge_id
                       and c.bridge_id == agent.bridge_id), None)
        if caller is None:
            raise ChannelNotFound(f"call {call.linkedid}: the caller's channel is gone",
                                  linkedid=call.linkedid)
        return Parties(caller.channel.name, agent.channel.name)

    async def _channels(self, call: Call) -> list[CoreShowChannel]:
        listing = await self._action({"Action": "CoreShowChannels"})
        return [e for e in listing if isinstance(e, CoreShowChannel)
                and (e.channel.linkedid == call.linkedid or e.channel.uniqueid in call.legs)]

    async def _call_unit(self, call: Call, room: Room, unit_number: str, attempt: int,
                         dialing: Dialing, caller_id: str) -> None:
        key = party_key(call.linkedid, unit_number, attempt)
        request = OriginateRequest(
            channel=dialing.unit.format(number=unit_number), context=CONFERENCE_CONTEXT,
            exten=room.name, caller_id=caller_id, ring_timeout=dialing.ring_timeout,
            variables={PARTY_VARIABLE: call.linkedid}, channel_id=party_channel_id(key))
        self.controller.expect_party(request.channel_id, call.linkedid)
        await self._originate(key, request)
        room.units.append(unit_number)

    async def _release_agent(self, call: Call, agent: str | None) -> None:
        # The queue's bridge may keep the agent's leg alone after the caller left it.
        if agent is not None:
            with contextlib.suppress(PbxRefused):
                await self._hangup(agent)

    # -- AMI --------------------------------------------------------------------------------

    async def _redirect(self, channel: str, context: str, exten: str,
                        extra: str | None = None) -> None:
        fields = {"Action": "Redirect", "Channel": channel, "Context": context,
                  "Exten": exten, "Priority": "1"}
        if extra is not None:  # one action moves both, so neither is left alone in a bridge
            fields.update(ExtraChannel=extra, ExtraContext=context, ExtraExten=exten,
                          ExtraPriority="1")
        await self._action(fields)

    async def _setvar(self, channel: str, name: str, value: str) -> None:
        await self._action({"Action": "Setvar", "Channel": channel, "Variable": name,
                            "Value": value})

    async def _hangup(self, channel: str) -> None:
        await self._action({"Action": "Hangup", "Channel": channel})

    async def _action(self, fields: dict[str, str]) -> tuple[object, ...]:
        try:
            return (await self.link.send_action(fields)).events
        except AmiNotConnected as down:
            raise AmiDown("the AMI link is not connected") from down
        except AmiActionFailed as refused:
            raise PbxRefused(f"{fields['Action']} refused: {refused.message}",
                             action=fields["Action"]) from refused

    async def _originate(self, key: str, request: OriginateRequest) -> str:
        try:
            return (await self.link.originate(key, request)).uniqueid
        except AmiNotConnected as down:
            raise AmiDown("the AMI link is not connected") from down
        except OriginateFailed as failed:
            raise PartyUnreachable(failed.message, channel=request.channel) from failed


def party_key(linkedid: str, number: str, attempt: int) -> str:
    """The originate key of a party called into call ``linkedid``'s room (its channel id)."""
    return f"conf-{linkedid}-{number}-{attempt}"


def _agent_of(call: Call, channels: list[CoreShowChannel]) -> CoreShowChannel:
    """The agent's leg among the call's channels, else :class:`ChannelNotFound`."""
    agent = next((c for c in channels if _is_agent_channel(c.channel.name, call.agent)), None)
    if agent is None:
        raise ChannelNotFound(f"call {call.linkedid}: the agent's channel is gone",
                              linkedid=call.linkedid, agent=call.agent)
    return agent


def _extension_of(interface: str) -> str:
    """8001 of PJSIP/8001 and of Local/8001@sim-agent/n."""
    return interface.split("/", 1)[-1].split("@", 1)[0].split("/", 1)[0]


def _is_agent_channel(name: str, interface: str | None) -> bool:
    """Whether ``name`` is the agent's leg: PJSIP/8001-0001, or Local/8001@ctx-0001;1."""
    if not interface:
        return False
    if interface.startswith("Local/"):
        base = "/".join(interface.split("/")[:2])  # drop Local options such as /n
        return name.startswith(base + "-") and name.endswith(";1")
    return name.startswith(interface + "-")

