"""Typed AMI events, built at the edge from decoded messages; `parse_event` never raises."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from telephony.ami.call_events import (
    CALL_BUILDERS,
    OUR_VARIABLE_PREFIX,
    BridgeEnter,
    BridgeLeave,
    ChannelEvent,
    ConfbridgeJoin,
    ConfbridgeLeave,
    CoreShowChannel,
    CoreShowChannelsComplete,
    DialBegin,
    DialEnd,
    FullyBooted,
    Hangup,
    NewCallerid,
    Newchannel,
    Newstate,
    OriginateResponse,
    Shutdown,
    VarSet,
)
from telephony.ami.frames import AmiMessage
from telephony.ami.queue_events import (
    QUEUE_BUILDERS,
    AgentCalled,
    AgentComplete,
    AgentConnect,
    AgentRingNoAnswer,
    Builder,
    QueueCallerAbandon,
    QueueCallerJoin,
    QueueCallerLeave,
    QueueEntry,
    QueueMember,
    QueueMemberAdded,
    QueueMemberEvent,
    QueueMemberPause,
    QueueMemberRemoved,
    QueueMemberStatus,
    QueueOffer,
    QueueParams,
    QueueStatusComplete,
)
from telephony.ami.snapshot import AmiEvent, Channel, Fields

log = logging.getLogger(__name__)

__all__ = [
    "OUR_VARIABLE_PREFIX",
    "AgentCalled",
    "AgentComplete",
    "AgentConnect",
    "AgentRingNoAnswer",
    "AmiEvent",
    "BridgeEnter",
    "BridgeLeave",
    "Channel",
    "ChannelEvent",
    "ConfbridgeJoin",
    "ConfbridgeLeave",
    "CoreShowChannel",
    "CoreShowChannelsComplete",
    "DialBegin",
    "DialEnd",
    "FullyBooted",
    "Hangup",
    "MalformedEvent",
    "NewCallerid",
    "Newchannel",
    "Newstate",
    "OriginateResponse",
    "QueueCallerAbandon",
    "QueueCallerJoin",
    "QueueCallerLeave",
    "QueueEntry",
    "QueueMember",
    "QueueMemberAdded",
    "QueueMemberEvent",
    "QueueMemberPause",
    "QueueMemberRemoved",
    "QueueMemberStatus",
    "QueueOffer",
    "QueueParams",
    "QueueStatusComplete",
    "Shutdown",
    "UnknownEvent",
    "VarSet",
    "parse_event",
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class UnknownEvent(AmiEvent):
    """An event the platform has no type for; kept by name."""

    name: str
    fields: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class MalformedEvent(AmiEvent):
    """A known event missing a field it must have, or with a bad number."""

    name: str
    reason: str
    fields: Mapping[str, str]


_LOWER: dict[str, Builder] = {**CALL_BUILDERS, **QUEUE_BUILDERS}
# Each class is named as Asterisk spells its event: look that up first, no lower() needed.
_BUILDERS: dict[str, Builder] = {
    **_LOWER,
    **{name: _LOWER[name.lower()] for name in __all__ if name.lower() in _LOWER},
}


def parse_event(message: AmiMessage) -> AmiEvent | None:
    """The typed event for a message; None for a VarSet that is not ours. Never raises."""
    fields = message.fields
    name = fields.get("event")
    if name is None:
        return _malformed("", "no Event key", fields)
    builder = _BUILDERS.get(name) or _BUILDERS.get(name.lower())
    if builder is None:
        return UnknownEvent(name, MappingProxyType(fields))
    try:
        return builder(fields, message)
    except KeyError as exc:
        return _malformed(name, f"missing {exc.args[0]}", fields)
    except ValueError as exc:
        return _malformed(name, f"bad value: {exc}", fields)
    except Exception as exc:  # a parser bug must cost one event, never the link
        log.exception("AMI event %r could not be parsed", name)
        return MalformedEvent(name, f"parser error: {exc!r}", MappingProxyType(fields))


def _malformed(name: str, reason: str, fields: Fields) -> MalformedEvent:
    # Keys only: values carry callers' numbers and names.
    log.warning("malformed AMI event %r: %s; keys %s", name, reason, ", ".join(fields))
    return MalformedEvent(name, reason, MappingProxyType(fields))
