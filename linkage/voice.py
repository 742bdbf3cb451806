"""The voice side of a hand-off: the emergency line called into the call's room."""

import contextlib
import logging
from dataclasses import dataclass
from typing import Protocol

from telephony.ami.errors import AmiActionFailed, AmiError
from telephony.ami.events import CoreShowChannel
from telephony.ami.originate import party_channel_id
from telephony.calls.machine import CallState
from telephony.conference.service import ConferenceService, party_key
from telephony.dialing import Dialing
from telephony.errors import TelephonyError

log = logging.getLogger(__name__)

WITH_AGENT = frozenset({CallState.CONNECTED.value, CallState.IN_CONFERENCE.value})


class LineUnanswered(Exception):
    """The emergency line did not join: it rang out, was busy, or could not be dialled."""

    def __init__(self, reason: str, error_id: str = "line-unanswered") -> None:
        super().__init__(reason)
        self.reason = reason
        self.error_id = error_id


@dataclass(frozen=True)
class CallPicture:
    """What the hand-off needs to know of the live call."""

    state: str
    caller_number: str
    caller_channel: str | None
    agent_channel: str | None


class Voice(Protocol):
    """The PBX as the hand-off sees it (the real one is :class:`ConferenceVoice`)."""

    def picture(self, linkedid: str) -> CallPicture | None: ...

    async def join(self, linkedid: str, number: str, attempt: int, caller_id: str) -> str: ...

    async def hang_up_line(self, linkedid: str, number: str, attempt: int) -> None: ...


class ConferenceVoice:
    """Calls the line into the call's ConfBridge room through the shared conference service."""

    def __init__(self, conference: ConferenceService, dial: str, ring_timeout: float) -> None:
        self.conference = conference
        self.dialing = Dialing(unit=dial, ring_timeout=ring_timeout)

    def picture(self, linkedid: str) -> CallPicture | None:
        call = self.conference.controller.line.calls.get(linkedid)
        if call is None:
            return None
        room = self.conference.rooms.get(linkedid)
        caller = room.caller if room is not None else call.voices.get("caller")
        agent = room.agent if room is not None else call.voices.get("agent")
        return CallPicture(call.state.value, call.caller_number, caller, agent)

    async def join(self, linkedid: str, number: str, attempt: int, caller_id: str) -> str:
        """Caller and agent into the room (once), the line called in; returns when it answers."""
        try:
            room = await self.conference.conference(linkedid, number, attempt=attempt,
                                                    through=self.dialing, caller_id=caller_id)
        except TelephonyError as failed:
            raise LineUnanswered(failed.message, failed.error_id) from failed
        return room.name

    async def hang_up_line(self, linkedid: str, number: str, attempt: int) -> None:
        """Hang up the line, ringing or in the room (the caller is gone: nobody is left)."""
        channel_id = party_channel_id(party_key(linkedid, number, attempt))
        link = self.conference.link
        try:
            listing = await link.send_action({"Action": "CoreShowChannels"})
            for entry in listing.events:
                if isinstance(entry, CoreShowChannel) and channel_id in (
                        entry.channel.uniqueid, entry.channel.linkedid):
                    with contextlib.suppress(AmiActionFailed):  # it hung up meanwhile
                        await link.send_action({"Action": "Hangup",
                                                "Channel": entry.channel.name})
                    log.info("call %s: hung up the emergency line %s", linkedid,
                             entry.channel.name)
        except AmiError as exc:
            log.warning("call %s: could not stop the emergency line: %r", linkedid, exc)
