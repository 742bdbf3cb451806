"""What Asterisk's lists say of each live call, read for a resync (no state of ours).

CoreShowChannels gives every channel with its application, bridge and the platform's tags
(manager.conf's ``channelvars``: HOTLINE_LINE, HOTLINE_DIALED, HOTLINE_QUEUE,
HOTLINE_PARTY_OF, as Asterisk 22 puts them on each CoreShowChannel event); QueueStatus gives
the members by the interface they logged in with. From these alone a platform that just
started knows which channels make each call (a channel the platform originated names its
call in HOTLINE_PARTY_OF), the agent (the member whose channel is bridged with the caller:
``PJSIP/8001-0000002a`` is member ``PJSIP/8001``, ``Local/8001@sim-agent-00000001;1`` is
``Local/8001@sim-agent/n``), the caller's and the agent's voices, the queue and the room.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from telephony.ami.events import CoreShowChannel, QueueEntry
from telephony.controller.parties import PARTY_VARIABLE

CONFBRIDGE = "confbridge"
QUEUE_APP = "queue"


@dataclass(frozen=True)
class LiveCall:
    """One call as Asterisk shows it now: its channels and what they say of it."""

    linkedid: str
    own: tuple[CoreShowChannel, ...]  # channels of its own linkedid
    parties: tuple[CoreShowChannel, ...]  # channels the platform originated for it
    queue: str | None
    room: str | None  # the ConfBridge room one of its channels is in
    agent: str | None  # the member interface, as QueueStatus lists it
    agent_leg: CoreShowChannel | None
    caller_leg: CoreShowChannel | None  # whose incoming audio is the caller's voice
    tagged: CoreShowChannel  # the leg whose tags and caller ID are the call's

    @property
    def legs(self) -> tuple[CoreShowChannel, ...]:
        return self.own + self.parties

    def tag(self, name: str) -> str | None:
        """The first non-empty value of one of our channel variables on its own legs."""
        return next((v for c in (self.tagged, *self.own) if (v := c.channel.variables.get(name))),
                    None)


def read_calls(channels: Iterable[CoreShowChannel], entries: Iterable[QueueEntry],
               interfaces: Iterable[str], known: Iterable[str] = ()) -> list[LiveCall]:
    """Every live call in the listing; ``known`` calls may own parties without a leg listed."""
    channels = list(channels)
    own: dict[str, list[CoreShowChannel]] = defaultdict(list)
    tagged: list[tuple[str, CoreShowChannel]] = []
    for channel in channels:
        owner = channel.channel.variables.get(PARTY_VARIABLE, "")
        if owner and owner != channel.channel.linkedid:
            tagged.append((owner, channel))
        else:
            own[channel.channel.linkedid].append(channel)
    parties: dict[str, list[CoreShowChannel]] = defaultdict(list)
    owners = set(own) | set(known)
    for owner, channel in tagged:
        if owner in owners:
            parties[owner].append(channel)
        else:  # its call is gone: a call of its own, as the live picture would have it
            own[channel.channel.linkedid].append(channel)
    queue_of = {entry.uniqueid: entry.queue for entry in entries}
    members = list(interfaces)
    return [_read(linkedid, own.get(linkedid, []), parties.get(linkedid, []), queue_of, members)
            for linkedid in {**own, **parties}]


def _read(linkedid: str, own: list[CoreShowChannel], parties: list[CoreShowChannel],
          queue_of: Mapping[str, str], interfaces: list[str]) -> LiveCall:
    agent_leg, agent = _agent(own, interfaces)
    caller_leg = _caller(own, agent_leg)
    # The leg the dialplan screened carries the call's tags (the first leg of a Local pair
    # has none): the caller's voice, else any leg tagged with the source line.
    tagged = caller_leg or next((c for c in own if c.channel.variables.get("HOTLINE_LINE")),
                                None) or _first(linkedid, own or parties)
    room = next((_first_argument(c) for c in [*own, *parties]
                 if c.application.lower() == CONFBRIDGE), None)
    queue = next((queue_of[c.channel.uniqueid] for c in own if c.channel.uniqueid in queue_of),
                 None) or next((_first_argument(c) for c in own
                                if c.application.lower() == QUEUE_APP), None)
    return LiveCall(linkedid, tuple(own), tuple(parties), queue, room, agent, agent_leg,
                    caller_leg, tagged)


def _agent(own: list[CoreShowChannel], interfaces: list[str]
           ) -> tuple[CoreShowChannel | None, str | None]:
    """The agent's leg: bridged (or in the room), named after a member's interface.

    An agent's own phone may be the caller (a test call to 12345): the leg waiting in the
    Queue application is the caller's, so another member's leg is taken first.
    """
    found = [(c, i) for c in own if c.bridge_id
             and (i := member_interface(c.channel.name, interfaces)) is not None]
    found.sort(key=lambda pair: pair[0].application.lower() == QUEUE_APP)
    return found[0] if found else (None, None)


def _caller(own: list[CoreShowChannel], agent: CoreShowChannel | None) -> CoreShowChannel | None:
    """The caller's leg: in the agent's bridge, else in a conference room (the agent left)."""
    if agent is not None:
        return next((c for c in own if c is not agent and c.bridge_id == agent.bridge_id), None)
    return next((c for c in own if c.application.lower() == CONFBRIDGE), None)


def _first(linkedid: str, legs: list[CoreShowChannel]) -> CoreShowChannel:
    return next((c for c in legs if c.channel.uniqueid == linkedid), legs[0])


def _first_argument(channel: CoreShowChannel) -> str | None:
    """``main`` of ``Queue(main,,,,60)``, ``T1`` of ``ConfBridge(T1,bridge,user)``."""
    return channel.application_data.split(",", 1)[0].strip() or None


def member_interface(name: str, interfaces: Iterable[str]) -> str | None:
    """The member interface a channel belongs to, or None when it is no member's."""
    if name.startswith("Local/"):
        if not name.endswith(";1"):  # the ;2 half runs the member's dialplan, not the call
            return None
        base = name[:-2].rsplit("-", 1)[0]
        return next((i for i in interfaces if "/".join(i.split("/")[:2]) == base), None)
    base = name.rsplit("-", 1)[0]
    return next((i for i in interfaces if i == base), None)
