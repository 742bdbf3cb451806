"""The pieces every typed AMI event is built from: the base class and the channel snapshot."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import NamedTuple

from telephony.ami.frames import AmiMessage

Fields = dict[str, str]

NO_VARIABLES: Mapping[str, str] = MappingProxyType({})
# Asterisk prints an absent caller ID this way; the platform wants an empty string.
_UNKNOWN = "<unknown>"


@dataclass(frozen=True, slots=True)
class AmiEvent:
    """Base of every typed event that arrives over AMI."""


@dataclass(frozen=True, slots=True)
class Channel:
    """A channel as Asterisk describes it in an event (its snapshot)."""

    name: str
    uniqueid: str
    linkedid: str
    state: int
    caller_num: str
    caller_name: str
    connected_num: str
    connected_name: str
    context: str
    exten: str
    variables: Mapping[str, str] = field(hash=False)


class _Keys(NamedTuple):
    """The field names of one snapshot prefix ("" or "dest"), computed once."""

    channel: str
    uniqueid: str
    linkedid: str
    state: str
    caller_num: str
    caller_name: str
    connected_num: str
    connected_name: str
    context: str
    exten: str
    chanvariable: str
    chanvariable_cased: str  # Asterisk's own spelling, which getall matches fastest


def _keys(p: str, cased: str) -> _Keys:
    return _Keys(
        p + "channel", p + "uniqueid", p + "linkedid", p + "channelstate", p + "calleridnum",
        p + "calleridname", p + "connectedlinenum", p + "connectedlinename", p + "context",
        p + "exten", p + "chanvariable", cased + "ChanVariable",
    )  # fmt: skip


PLAIN = _keys("", "")
DEST = _keys("dest", "Dest")


def clean(value: str) -> str:
    """An AMI caller-ID value with Asterisk's "<unknown>" placeholder removed."""
    return "" if value == _UNKNOWN else value


def to_int(fields: Fields, key: str, default: int = 0) -> int:
    """An optional integer field; raises ValueError when present but not a number."""
    value = fields.get(key)
    if not value:
        return default
    return int(value)


def to_bool(fields: Fields, key: str) -> bool:
    """An AMI boolean: 1/0, true/false, yes/no."""
    return fields.get(key, "").lower() in ("1", "true", "yes")


def channel(message: AmiMessage, keys: _Keys = PLAIN) -> Channel:
    """The snapshot under a prefix; KeyError when its identity fields are missing."""
    f, get = message.fields, message.fields.get
    name, uniqueid, linkedid, state, num, cid, cnum, cname, context, exten, var, cased = keys
    # Written out rather than looped: this runs for nearly every event.
    state_value = get(state)
    num_value, cid_value = get(num, ""), get(cid, "")
    cnum_value, cname_value = get(cnum, ""), get(cname, "")
    return Channel(
        f[name],
        f[uniqueid],
        f[linkedid],
        int(state_value) if state_value else 0,
        "" if num_value == _UNKNOWN else num_value,
        "" if cid_value == _UNKNOWN else cid_value,
        "" if cnum_value == _UNKNOWN else cnum_value,
        "" if cname_value == _UNKNOWN else cname_value,
        get(context, ""),
        get(exten, ""),
        ChannelVariables(message.getall(cased)) if var in f else NO_VARIABLES,
    )


def optional_channel(message: AmiMessage, keys: _Keys = PLAIN) -> Channel | None:
    """The snapshot under a prefix, or None when the event carries none (an originated leg)."""
    if keys.channel not in message.fields:
        return None
    return channel(message, keys)


class ChannelVariables(Mapping[str, str]):
    """A snapshot's ChanVariable tags ("NAME=value" lines), split on first use."""

    # manager.conf's channelvars= puts them on nearly every event; most readers never look.

    __slots__ = ("_items", "_values")

    def __init__(self, items: list[str]) -> None:
        self._items = items
        self._values: dict[str, str] | None = None

    def _load(self) -> dict[str, str]:
        if self._values is None:
            values: dict[str, str] = {}
            for item in self._items:
                name, sep, value = item.partition("=")
                if sep:
                    values[name] = value
            self._values = values
        return self._values

    def __getitem__(self, name: str) -> str:
        return self._load()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())

    def __repr__(self) -> str:
        return f"ChannelVariables({self._load()!r})"
