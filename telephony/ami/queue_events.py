"""Typed app_queue events: callers, agents, members, and the QueueStatus list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from telephony.ami.frames import AmiMessage
from telephony.ami.snapshot import (
    DEST,
    AmiEvent,
    Channel,
    Fields,
    channel,
    clean,
    optional_channel,
    to_bool,
    to_int,
)

Builder = Callable[[Fields, AmiMessage], AmiEvent | None]
_MemberHead = tuple[str, str, str, str, str, int, int, bool, int, bool, str]


@dataclass(frozen=True, slots=True)
class QueueCallerJoin(AmiEvent):
    """A caller entered a queue."""

    channel: Channel
    queue: str
    position: int
    count: int


@dataclass(frozen=True, slots=True)
class QueueCallerLeave(AmiEvent):
    """A caller left a queue (answered, or gone)."""

    channel: Channel
    queue: str
    position: int
    count: int


@dataclass(frozen=True, slots=True)
class QueueCallerAbandon(AmiEvent):
    """A caller hung up while waiting in a queue."""

    channel: Channel
    queue: str
    position: int
    original_position: int
    hold_time: int


@dataclass(frozen=True, slots=True)
class QueueOffer(AmiEvent):
    """A queue offering a caller (channel) to a member (dest)."""

    # Asterisk 22 omits a snapshot once its channel is gone: the member's, and on an
    # AgentComplete after the caller hung up, the caller's too (both seen on 22.10.1).
    channel: Channel | None
    dest: Channel | None
    queue: str
    member_name: str
    interface: str


@dataclass(frozen=True, slots=True)
class AgentCalled(QueueOffer):
    """A member's phone rings for a queued caller."""


@dataclass(frozen=True, slots=True)
class AgentRingNoAnswer(QueueOffer):
    """A member did not answer in time."""

    ring_time: int


@dataclass(frozen=True, slots=True)
class AgentConnect(QueueOffer):
    """A member answered and is bridged to the caller."""

    hold_time: int
    ring_time: int


@dataclass(frozen=True, slots=True)
class AgentComplete(QueueOffer):
    """A queue call ended; reason says who hung up (caller, agent, transfer)."""

    hold_time: int
    talk_time: int
    reason: str


@dataclass(frozen=True, slots=True)
class QueueMemberEvent(AmiEvent):
    """A queue member's state, as every member event carries it."""

    queue: str
    member_name: str
    interface: str
    state_interface: str
    membership: str
    penalty: int
    calls_taken: int
    in_call: bool
    status: int
    paused: bool
    paused_reason: str


@dataclass(frozen=True, slots=True)
class QueueMemberAdded(QueueMemberEvent):
    """A member joined a queue (an agent logged in)."""


@dataclass(frozen=True, slots=True)
class QueueMemberRemoved(QueueMemberEvent):
    """A member left a queue (an agent logged out)."""


@dataclass(frozen=True, slots=True)
class QueueMemberPause(QueueMemberEvent):
    """A member was paused or unpaused, with a reason."""


@dataclass(frozen=True, slots=True)
class QueueMemberStatus(QueueMemberEvent):
    """A member's device state changed."""


@dataclass(frozen=True, slots=True)
class QueueMember(QueueMemberEvent):
    """One member in the answer to QueueStatus."""

    action_id: str


@dataclass(frozen=True, slots=True)
class QueueParams(AmiEvent):
    """One queue's figures in the answer to QueueStatus."""

    queue: str
    max: int
    strategy: str
    calls: int
    hold_time: int
    talk_time: int
    completed: int
    abandoned: int
    service_level: int
    action_id: str


@dataclass(frozen=True, slots=True)
class QueueEntry(AmiEvent):
    """One waiting caller in the answer to QueueStatus."""

    queue: str
    position: int
    channel_name: str
    uniqueid: str
    caller_num: str
    caller_name: str
    wait: int
    action_id: str


@dataclass(frozen=True, slots=True)
class QueueStatusComplete(AmiEvent):
    """The end of the QueueStatus list."""

    action_id: str
    list_items: int


def _caller(cls: type[QueueCallerJoin] | type[QueueCallerLeave]) -> Builder:
    def build(f: Fields, m: AmiMessage) -> AmiEvent:
        return cls(channel(m), f["queue"], to_int(f, "position"), to_int(f, "count"))

    return build


def _abandon(f: Fields, m: AmiMessage) -> AmiEvent:
    return QueueCallerAbandon(
        channel(m),
        f["queue"],
        to_int(f, "position"),
        to_int(f, "originalposition"),
        to_int(f, "holdtime"),
    )


def _agent_head(f: Fields, m: AmiMessage) -> tuple[Channel, Channel | None, str, str, str]:
    member = optional_channel(m, DEST)
    return channel(m), member, f["queue"], f.get("membername", ""), f["interface"]


def _agent_tail(f: Fields, m: AmiMessage) -> tuple[Channel | None, Channel | None, str, str, str]:
    """The head of an event that may come after both channels are gone."""
    return (optional_channel(m), optional_channel(m, DEST), f["queue"], f.get("membername", ""),
            f["interface"])


def _called(f: Fields, m: AmiMessage) -> AmiEvent:
    return AgentCalled(*_agent_head(f, m))


def _no_answer(f: Fields, m: AmiMessage) -> AmiEvent:
    return AgentRingNoAnswer(*_agent_head(f, m), to_int(f, "ringtime"))


def _connect(f: Fields, m: AmiMessage) -> AmiEvent:
    return AgentConnect(*_agent_head(f, m), to_int(f, "holdtime"), to_int(f, "ringtime"))


def _complete(f: Fields, m: AmiMessage) -> AmiEvent:
    return AgentComplete(
        *_agent_tail(f, m), to_int(f, "holdtime"), to_int(f, "talktime"), f.get("reason", "")
    )


def _member_fields(f: Fields, name_key: str, interface_key: str) -> _MemberHead:
    # Asterisk 12.2+ says PausedReason; older releases said Reason.
    reason = f.get("pausedreason") or f.get("reason", "")
    return (
        f["queue"],
        f.get(name_key, ""),
        f[interface_key],
        f.get("stateinterface", ""),
        f.get("membership", ""),
        to_int(f, "penalty"),
        to_int(f, "callstaken"),
        to_bool(f, "incall"),
        to_int(f, "status"),
        to_bool(f, "paused"),
        reason,
    )


def _member(cls: type[QueueMemberEvent]) -> Builder:
    def build(f: Fields, m: AmiMessage) -> AmiEvent:
        return cls(*_member_fields(f, "membername", "interface"))

    return build


def _list_member(f: Fields, m: AmiMessage) -> AmiEvent:
    # The QueueStatus list names the member "Name" and its interface "Location".
    head = _member_fields(f, "name", "location")
    return QueueMember(*head, f.get("actionid", ""))


def _params(f: Fields, m: AmiMessage) -> AmiEvent:
    return QueueParams(
        f["queue"],
        to_int(f, "max"),
        f.get("strategy", ""),
        to_int(f, "calls"),
        to_int(f, "holdtime"),
        to_int(f, "talktime"),
        to_int(f, "completed"),
        to_int(f, "abandoned"),
        to_int(f, "servicelevel"),
        f.get("actionid", ""),
    )


def _entry(f: Fields, m: AmiMessage) -> AmiEvent:
    return QueueEntry(
        f["queue"],
        to_int(f, "position"),
        f["channel"],
        f.get("uniqueid", ""),
        clean(f.get("calleridnum", "")),
        clean(f.get("calleridname", "")),
        to_int(f, "wait"),
        f.get("actionid", ""),
    )


def _status_complete(f: Fields, m: AmiMessage) -> AmiEvent:
    return QueueStatusComplete(f.get("actionid", ""), to_int(f, "listitems"))


QUEUE_BUILDERS: dict[str, Builder] = {
    "queuecallerjoin": _caller(QueueCallerJoin),
    "queuecallerleave": _caller(QueueCallerLeave),
    "queuecallerabandon": _abandon,
    "agentcalled": _called,
    "agentringnoanswer": _no_answer,
    "agentconnect": _connect,
    "agentcomplete": _complete,
    "queuememberadded": _member(QueueMemberAdded),
    "queuememberremoved": _member(QueueMemberRemoved),
    "queuememberpause": _member(QueueMemberPause),
    "queuememberstatus": _member(QueueMemberStatus),
    "queuemember": _list_member,
    "queueparams": _params,
    "queueentry": _entry,
    "queuestatuscomplete": _status_complete,
}
