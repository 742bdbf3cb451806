"""Idempotent Originate: one key, at most one call, whatever the link does in between."""

from __future__ import annotations

import asyncio
import logging
import re
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field

from telephony.ami.connection import ActionFields, AmiConnection
from telephony.ami.errors import (
    AmiActionFailed,
    AmiBadAction,
    AmiNotConnected,
    OriginateFailed,
    OriginateOutcomeUnknown,
)
from telephony.ami.events import OriginateResponse
from telephony.ami.pending import AmiResponse

log = logging.getLogger(__name__)

# Set on the originated channel, so a resync finds the call a lost answer was about.
ORIGINATE_VARIABLE = "HOTLINE_ORIGINATE_ID"
ACTION_ID_PREFIX = "hotline-originate-"
PARTY_ID_PREFIX = "hotline-party-"
_KEY = re.compile(r"[A-Za-z0-9._:-]{1,64}")
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")

# Asterisk's OriginateResponse Reason is the last control frame the channel saw.
REASONS = {
    0: "failed (no such extension, or the channel could not be created)",
    1: "hung up",
    3: "rang without answer",
    4: "answered",
    5: "busy",
    8: "congestion",
}


@dataclass(frozen=True, slots=True)
class OriginateRequest:
    """What to call (channel) and where to connect it (context/exten or application)."""

    channel: str
    context: str = ""
    exten: str = ""
    priority: int = 1
    application: str = ""
    data: str = ""
    caller_id: str = ""
    ring_timeout: float = 30.0
    variables: Mapping[str, str] = field(default_factory=dict)
    # The originated channel's uniqueid, and so its linkedid: the controller knows the
    # channel's call before its first event arrives.
    channel_id: str = ""


@dataclass(frozen=True, slots=True)
class OriginateResult:
    """An answered Originate."""

    key: str
    action_id: str
    channel_name: str
    uniqueid: str
    reason: int


def action_id_for(key: str) -> str:
    """The ActionID an idempotency key maps to."""
    return ACTION_ID_PREFIX + key


def check_key(key: str) -> None:
    """Refuse a key that cannot travel safely in an ActionID and a channel variable."""
    if not _KEY.fullmatch(key):
        raise AmiBadAction("an originate key is 1-64 of A-Z a-z 0-9 . _ : -", key=key)


def originate_fields(key: str, request: OriginateRequest) -> ActionFields:
    """The Originate action; always asynchronous, always tagged with its key."""
    fields: dict[str, str | list[str]] = {
        "Action": "Originate",
        "Channel": request.channel,
        "Timeout": str(int(request.ring_timeout * 1000)),
        # Without Async panoramisk raises KeyError, and a sync Originate blocks the session.
        "Async": "true",
        "Variable": _variables(key, request.variables),
    }
    if request.application:
        fields.update(Application=request.application, Data=request.data)
    elif request.context and request.exten:
        fields.update(Context=request.context, Exten=request.exten, Priority=str(request.priority))
    else:
        raise AmiBadAction("an originate needs context and exten, or an application")
    if request.caller_id:
        fields["CallerID"] = request.caller_id
    if request.channel_id:
        check_key(request.channel_id.removeprefix(PARTY_ID_PREFIX))
        fields["ChannelId"] = request.channel_id
    return fields


def party_channel_id(key: str) -> str:
    """The uniqueid the platform gives a channel it originates for a live call."""
    return PARTY_ID_PREFIX + key


def _variables(key: str, extra: Mapping[str, str]) -> list[str]:
    pairs = [f"{ORIGINATE_VARIABLE}={key}"]
    for name, value in extra.items():
        # Asterisk splits a Variable header at commas; a comma would forge another variable.
        if not _VARIABLE.fullmatch(name) or "," in value or name == ORIGINATE_VARIABLE:
            raise AmiBadAction("a bad originate variable", name=name)
        pairs.append(f"{name}={value}")
    return pairs


def outcome(key: str, response: AmiResponse) -> OriginateResult:
    """The result of an answered Originate, or the typed failure."""
    found = [e for e in response.events if isinstance(e, OriginateResponse)]
    if not found:
        raise OriginateOutcomeUnknown("the OriginateResponse was unreadable", key=key)
    event = found[0]
    if not event.success:
        reason = REASONS.get(event.reason, f"reason {event.reason}")
        raise OriginateFailed(
            f"originate failed: {reason}", key=key, reason=event.reason, reason_text=reason
        )
    return OriginateResult(key, event.action_id, event.channel_name, event.uniqueid, event.reason)


class OriginateBook:
    """Every recent originate by key, in flight or settled; the first outcome is the answer."""

    def __init__(self, capacity: int = 10_000) -> None:
        self._outcomes: OrderedDict[str, asyncio.Future[OriginateResult]] = OrderedDict()
        self._capacity = capacity

    def get(self, key: str) -> asyncio.Future[OriginateResult] | None:
        """The outcome of this key's originate, if there was one."""
        return self._outcomes.get(key)

    def open(self, key: str) -> asyncio.Future[OriginateResult]:
        """Record a new originate under key."""
        future: asyncio.Future[OriginateResult] = asyncio.get_running_loop().create_future()
        self._outcomes[key] = future
        while len(self._outcomes) > self._capacity:
            oldest, settled = next(iter(self._outcomes.items()))
            if not settled.done():
                break  # never forget one in flight
            del self._outcomes[oldest]
        return future

    def forget(self, key: str) -> None:
        """Drop a key whose Originate was never written (no call can exist)."""
        self._outcomes.pop(key, None)

    def __len__(self) -> int:
        return len(self._outcomes)


async def run_originate(
    conn: AmiConnection,
    book: OriginateBook,
    key: str,
    fields: ActionFields,
    within: float,
    settle: asyncio.Future[OriginateResult],
) -> None:
    """Send one Originate and settle its key's outcome; it is never sent again."""
    try:
        response = await conn.request(
            fields, within=within, action_id=action_id_for(key), originate=True
        )
        settle.set_result(outcome(key, response))
        return
    except (AmiNotConnected, AmiBadAction) as exc:
        book.forget(key)  # refused before a byte was written: no call exists
        error: Exception = exc
    except AmiActionFailed as exc:
        error = OriginateFailed(f"Asterisk refused the originate: {exc.message}", key=key)
    except (OriginateFailed, OriginateOutcomeUnknown) as exc:
        error = exc
    except asyncio.CancelledError:
        _fail(settle, OriginateOutcomeUnknown("the link closed awaiting the outcome", key=key))
        raise
    except Exception as exc:  # dropped link, timeout: the call may exist, so never retry
        error = OriginateOutcomeUnknown(
            "the originate was sent but its outcome was lost", key=key, cause=repr(exc)
        )
    log.warning("originate %r: %s", key, error)
    _fail(settle, error)


def _fail(settle: asyncio.Future[OriginateResult], error: Exception) -> None:
    if not settle.done():
        settle.set_exception(error)
        settle.exception()  # retrieved: the first caller may be gone
