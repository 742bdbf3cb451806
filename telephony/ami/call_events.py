"""Typed channel, dial, bridge, conference and originate events, and the status list."""

from __future__ import annotations

from dataclasses import dataclass

from telephony.ami.frames import AmiMessage
from telephony.ami.queue_events import Builder
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

# Only variables the platform's own dialplan sets reach subscribers as VarSet.
OUR_VARIABLE_PREFIX = "HOTLINE_"


@dataclass(frozen=True, slots=True)
class ChannelEvent(AmiEvent):
    """An event about one channel."""

    channel: Channel


@dataclass(frozen=True, slots=True)
class Newchannel(ChannelEvent):
    """A channel was created."""


@dataclass(frozen=True, slots=True)
class Newstate(ChannelEvent):
    """A channel changed state (ringing, up, …)."""


@dataclass(frozen=True, slots=True)
class NewCallerid(ChannelEvent):
    """A channel's caller ID changed."""


@dataclass(frozen=True, slots=True)
class Hangup(ChannelEvent):
    """A channel hung up, with its Q.850 cause."""

    cause: int
    cause_txt: str


@dataclass(frozen=True, slots=True)
class DialBegin(AmiEvent):
    """A channel (absent for an originated leg) started dialling dest."""

    channel: Channel | None
    dest: Channel
    dial_string: str


@dataclass(frozen=True, slots=True)
class DialEnd(AmiEvent):
    """A dial attempt ended: ANSWER, BUSY, NOANSWER, CANCEL, …."""

    channel: Channel | None
    dest: Channel
    dial_status: str


@dataclass(frozen=True, slots=True)
class BridgeEnter(ChannelEvent):
    """A channel joined a bridge."""

    bridge_id: str
    bridge_type: str
    num_channels: int
    swap_uniqueid: str


@dataclass(frozen=True, slots=True)
class BridgeLeave(ChannelEvent):
    """A channel left a bridge."""

    bridge_id: str
    bridge_type: str
    num_channels: int


@dataclass(frozen=True, slots=True)
class VarSet(AmiEvent):
    """One of our channel variables was set (channel is None for a global)."""

    channel: Channel | None
    variable: str
    value: str


@dataclass(frozen=True, slots=True)
class ConfbridgeJoin(ChannelEvent):
    """A channel joined a ConfBridge conference."""

    conference: str
    bridge_id: str
    admin: bool
    muted: bool


@dataclass(frozen=True, slots=True)
class ConfbridgeLeave(ChannelEvent):
    """A channel left a ConfBridge conference."""

    conference: str
    bridge_id: str
    admin: bool


@dataclass(frozen=True, slots=True)
class OriginateResponse(AmiEvent):
    """The outcome of an asynchronous Originate; reason is Asterisk's numeric code."""

    action_id: str
    success: bool
    reason: int
    channel_name: str
    uniqueid: str
    context: str
    exten: str
    application: str
    caller_num: str
    caller_name: str


@dataclass(frozen=True, slots=True)
class FullyBooted(AmiEvent):
    """Asterisk finished starting (also sent right after login)."""

    status: str
    uptime: int
    last_reload: int


@dataclass(frozen=True, slots=True)
class Shutdown(AmiEvent):
    """Asterisk is shutting down or restarting."""

    shutdown: str
    restart: bool


@dataclass(frozen=True, slots=True)
class CoreShowChannel(ChannelEvent):
    """One channel in the answer to CoreShowChannels."""

    bridge_id: str
    application: str
    application_data: str
    duration: str
    action_id: str


@dataclass(frozen=True, slots=True)
class CoreShowChannelsComplete(AmiEvent):
    """The end of the CoreShowChannels list."""

    action_id: str
    list_items: int


def _plain(cls: type[Newchannel] | type[Newstate] | type[NewCallerid]) -> Builder:
    def build(f: Fields, m: AmiMessage) -> AmiEvent:
        return cls(channel(m))

    return build


def _hangup(f: Fields, m: AmiMessage) -> AmiEvent:
    return Hangup(channel(m), to_int(f, "cause"), f.get("cause-txt", ""))


def _dial_begin(f: Fields, m: AmiMessage) -> AmiEvent:
    return DialBegin(optional_channel(m), channel(m, DEST), f.get("dialstring", ""))


def _dial_end(f: Fields, m: AmiMessage) -> AmiEvent:
    return DialEnd(optional_channel(m), channel(m, DEST), f.get("dialstatus", ""))


def _bridge_enter(f: Fields, m: AmiMessage) -> AmiEvent:
    return BridgeEnter(
        channel(m),
        f["bridgeuniqueid"],
        f.get("bridgetype", ""),
        to_int(f, "bridgenumchannels"),
        f.get("swapuniqueid", ""),
    )


def _bridge_leave(f: Fields, m: AmiMessage) -> AmiEvent:
    return BridgeLeave(
        channel(m), f["bridgeuniqueid"], f.get("bridgetype", ""), to_int(f, "bridgenumchannels")
    )


def _var_set(f: Fields, m: AmiMessage) -> AmiEvent | None:
    variable = f["variable"]
    if not variable.startswith(OUR_VARIABLE_PREFIX):
        return None  # Asterisk sets dozens per call; filtering here keeps the hot path cheap
    return VarSet(optional_channel(m), variable, f.get("value", ""))


def _conf_join(f: Fields, m: AmiMessage) -> AmiEvent:
    return ConfbridgeJoin(
        channel(m),
        f["conference"],
        f.get("bridgeuniqueid", ""),
        to_bool(f, "admin"),
        to_bool(f, "muted"),
    )


def _conf_leave(f: Fields, m: AmiMessage) -> AmiEvent:
    return ConfbridgeLeave(
        channel(m), f["conference"], f.get("bridgeuniqueid", ""), to_bool(f, "admin")
    )


def _originate(f: Fields, m: AmiMessage) -> AmiEvent:
    return OriginateResponse(
        f["actionid"],
        f["response"].lower() == "success",
        to_int(f, "reason"),
        f.get("channel", ""),
        f.get("uniqueid", ""),
        f.get("context", ""),
        f.get("exten", ""),
        f.get("application", ""),
        clean(f.get("calleridnum", "")),
        clean(f.get("calleridname", "")),
    )


def _booted(f: Fields, m: AmiMessage) -> AmiEvent:
    return FullyBooted(f.get("status", ""), to_int(f, "uptime"), to_int(f, "lastreload"))


def _shutdown(f: Fields, m: AmiMessage) -> AmiEvent:
    return Shutdown(f.get("shutdown", ""), to_bool(f, "restart"))


def _show_channel(f: Fields, m: AmiMessage) -> AmiEvent:
    return CoreShowChannel(
        channel(m),
        f.get("bridgeid", ""),
        f.get("application", ""),
        f.get("applicationdata", ""),
        f.get("duration", ""),
        f.get("actionid", ""),
    )


def _show_complete(f: Fields, m: AmiMessage) -> AmiEvent:
    return CoreShowChannelsComplete(f.get("actionid", ""), to_int(f, "listitems"))


CALL_BUILDERS: dict[str, Builder] = {
    "newchannel": _plain(Newchannel),
    "newstate": _plain(Newstate),
    "newcallerid": _plain(NewCallerid),
    "hangup": _hangup,
    "dialbegin": _dial_begin,
    "dialend": _dial_end,
    "bridgeenter": _bridge_enter,
    "bridgeleave": _bridge_leave,
    "varset": _var_set,
    "confbridgejoin": _conf_join,
    "confbridgeleave": _conf_leave,
    "originateresponse": _originate,
    "fullybooted": _booted,
    "shutdown": _shutdown,
    "coreshowchannel": _show_channel,
    "coreshowchannelscomplete": _show_complete,
}
