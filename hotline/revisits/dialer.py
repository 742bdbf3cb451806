"""The outbound dialer: due revisit attempts and missed-call callbacks, at most the channel cap.

Only the scheduler's lease holder runs it. Every call is claimed in the database (committed)
before its Originate and keyed ``revisit-<attempt id>`` or ``callback-<id>-<n>``, so a
duplicated job, a re-sent Originate or a restart never rings a citizen twice for one attempt:
a claim found after a restart is resolved by asking Asterisk whether its channel is live
(``HOTLINE_ORIGINATE_ID``, one of manager.conf's channelvars), never by dialling again.
A revisit call carries its attempt and the secret drawn when it was claimed
(``HOTLINE_REVISIT_ID``, ``HOTLINE_REVISIT_TOKEN``): the survey records only for that call.
"""

import asyncio
import contextlib
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hotline.revisits.config import DialerConfig, Line
from ivr.survey import ATTEMPT_VARIABLE, TOKEN_VARIABLE
from kernel.clock import now as beijing_now
from telephony.ami.errors import (
    AmiBadAction,
    AmiError,
    AmiNotConnected,
    OriginateFailed,
)
from telephony.ami.events import AmiEvent, CoreShowChannel, Hangup, Newstate
from telephony.ami.originate import ORIGINATE_VARIABLE, OriginateRequest, OriginateResult
from telephony.callbacks import service as callbacks
from telephony.callbacks.models import CallbackRequest, CallbackState
from tickets.revisits.machine import AttemptEvent, AttemptState
from tickets.revisits.schedule import (
    Claimed,
    claim_due,
    conclude,
    live_attempts,
    mark_answered,
    release,
)

log = logging.getLogger(__name__)

UP = 6  # Asterisk's channel state "Up": answered
NO_ANSWER_REASONS = frozenset({1, 3, 5})  # hung up while ringing, rang out, busy
Kind = Literal["revisit", "callback"]


@dataclass
class Call:
    """A call this dialer placed or adopted: it holds a channel until it hangs up."""

    key: str
    kind: Kind
    ident: int
    started: datetime
    uniqueid: str = ""
    ended: datetime | None = None
    waiting_answer: bool = False  # adopted while ringing: its answer is learnt from Newstate


@dataclass
class DialerCounts:
    """What the dialer did since it started, for the status page and the benchmark."""

    originated: int = 0
    answered: int = 0
    unanswered: int = 0
    adopted: int = 0
    lost: int = 0  # claims resolved as failed because Asterisk had no channel for them
    ticks: int = 0
    busy: float = 0.0  # seconds spent inside ticks (not waiting for one)
    by_key: dict[str, int] = field(default_factory=dict)


class Dialer:
    """Places due calls up to the cap; the scheduler's job calls :meth:`tick`."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], line: Line,
                 config: DialerConfig, clock: Callable[[], datetime] = beijing_now,
                 token: str | None = None) -> None:
        self.sessionmaker, self.line, self.config, self.clock = sessionmaker, line, config, clock
        self.token = (token or f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}")[:64]
        self.calls: dict[str, Call] = {}
        self.counts = DialerCounts()
        self._by_uniqueid: dict[str, str] = {}
        self._hung_up: dict[str, datetime] = {}  # hang-ups seen before their call's answer
        self._lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()
        self._unsubscribe: Callable[[], None] | None = None
        self._refill = False
        self._orphans_checked: datetime | None = None

    def start(self) -> None:
        """Follow hang-ups: a channel freed makes room for the next call at once."""
        if self._unsubscribe is None:
            self._unsubscribe = self.line.subscribe(self._on_event, Hangup, Newstate)

    async def close(self) -> None:
        """Stop following; calls on the line finish by themselves, claims stay for recovery."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    @property
    def active(self) -> int:
        """Channels in use now (the cap counts these)."""
        return sum(1 for call in self.calls.values() if call.ended is None)

    async def tick(self) -> int:
        """Settle ended calls, resolve claims nobody follows, then fill free channels."""
        async with self._lock:
            self._refill = False  # wakes from here on need another pass; earlier ones are in
            began = time.perf_counter()
            self.counts.ticks += 1
            now = self.clock()
            await self._settle_ended(now)
            if self._orphans_checked is None or \
                    now - self._orphans_checked >= self.config.orphan_every:
                self._orphans_checked = now
                await self._resolve_orphans(now)
            placed = await self._fill(now)
            self.counts.busy += time.perf_counter() - began
            return placed

    # -- filling ------------------------------------------------------------------------------

    async def _fill(self, now: datetime) -> int:
        if not self.line.connected:
            return 0
        placed = 0
        async with self.sessionmaker() as session:
            free = self.config.cap - self.active
            due = await callbacks.next_due(session, now, free, self.config.callback_retry) \
                if free > 0 else []
            for row in due:
                try:
                    row = await callbacks.move(session, row.id, callbacks.CallbackEvent.DIAL, now)
                except callbacks.IllegalCallbackTransition:
                    continue  # another job dialled it first
                self._place(Call(f"callback-{row.id}-{row.attempts}", "callback", row.id, now),
                            self._callback_request(row))
                placed += 1
            for claimed in await claim_due(session, self.config.rules, self.token, now,
                                           self.config.cap - self.active):
                self._place(Call(f"revisit-{claimed.attempt_id}", "revisit", claimed.attempt_id,
                                 now), self._revisit_request(claimed))
                placed += 1
        return placed

    def _revisit_request(self, claimed: Claimed) -> OriginateRequest:
        return OriginateRequest(
            channel=self.config.dial.format(number=claimed.phone), context="revisit-survey",
            exten="s", caller_id=self.config.caller_id, ring_timeout=self.config.ring_timeout,
            variables={ATTEMPT_VARIABLE: str(claimed.attempt_id),
                       TOKEN_VARIABLE: claimed.survey_token})

    def _callback_request(self, row: CallbackRequest) -> OriginateRequest:
        tags = {"HOTLINE_CALLBACK_ID": str(row.id), "HOTLINE_QUEUE": row.queue or "",
                "HOTLINE_LINE": row.source_line or ""}
        return OriginateRequest(
            channel=self.config.dial.format(number=row.caller_number), context="hotline-queue",
            exten="s", caller_id=self.config.caller_id, ring_timeout=self.config.ring_timeout,
            variables={name: value for name, value in tags.items() if value})

    def _place(self, call: Call, request: OriginateRequest) -> None:
        self.calls[call.key] = call  # registered before the Originate: never an orphan
        self.counts.by_key[call.key] = self.counts.by_key.get(call.key, 0) + 1
        self._spawn(self._originate(call, request))

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _originate(self, call: Call, request: OriginateRequest) -> None:
        self.counts.originated += 1
        try:
            result = await self.line.originate(call.key, request)
        except AmiNotConnected:  # refused before a byte was written: no call exists
            await self._unanswered(call, None, "AMI not connected")
        except OriginateFailed as exc:
            await self._unanswered(call, int(exc.details.get("reason", 0)), exc.message)
        except AmiBadAction as exc:
            await self._unanswered(call, 0, exc.message)
        except AmiError as exc:  # the outcome was lost: the call may exist, never re-dial it
            log.warning("%s: %s; Asterisk will be asked whether it is live", call.key, exc)
            self._forget(call)
        except Exception:
            log.exception("%s: originate failed unexpectedly", call.key)
            self._forget(call)
        else:
            await self._answered(call, result)

    async def _answered(self, call: Call, result: OriginateResult) -> None:
        call.uniqueid = result.uniqueid
        self._by_uniqueid[result.uniqueid] = call.key
        if result.uniqueid in self._hung_up:  # its hang-up overtook the answer
            call.ended = self._hung_up.pop(result.uniqueid)
        async with self.sessionmaker() as session:
            if call.kind == "revisit":
                await mark_answered(session, call.ident, result.uniqueid, self.clock())
            else:
                await _move_callback(session, call.ident, callbacks.CallbackEvent.ANSWER,
                                     self.clock())
        self.counts.answered += 1  # after the commit, like unanswered

    async def _unanswered(self, call: Call, reason: int | None, why: str) -> None:
        now = self.clock()
        try:  # recorded before the call leaves the list, or the orphan pass would take it
            async with self.sessionmaker() as session:
                if call.kind == "callback":
                    await self._callback_failed(session, call.ident, now)
                elif reason is None:
                    await release(session, call.ident, self.token, now)
                else:
                    event = AttemptEvent.NO_ANSWER if reason in NO_ANSWER_REASONS \
                        else AttemptEvent.FAIL
                    await conclude(session, call.ident, event, why, now, self.config.rules)
        finally:
            self._forget(call)
            self.counts.unanswered += 1  # counted once recorded: who waits on it sees the row

    async def _callback_failed(self, session: AsyncSession, ident: int, now: datetime) -> None:
        row = await session.get(CallbackRequest, ident)
        if row is None or row.state != CallbackState.CALLING.value:
            return
        event = callbacks.CallbackEvent.GIVE_UP if row.attempts >= self.config.callback_attempts \
            else callbacks.CallbackEvent.NO_ANSWER
        await _move_callback(session, ident, event, now)

    def _forget(self, call: Call) -> None:
        self.calls.pop(call.key, None)
        self._by_uniqueid.pop(call.uniqueid, None)
        self._wake()

    # -- hang-ups, settling, orphans ----------------------------------------------------------

    async def _on_event(self, event: AmiEvent) -> None:
        if isinstance(event, Newstate):
            self._on_newstate(event)
        elif isinstance(event, Hangup):
            self._on_hangup(event)

    def _on_newstate(self, event: Newstate) -> None:
        key = self._by_uniqueid.get(event.channel.uniqueid)
        call = self.calls.get(key) if key else None
        if call is None or not call.waiting_answer or event.channel.state != UP:
            return
        call.waiting_answer = False  # an adopted call answered: a callback must not ring again
        self._spawn(self._adopted_answered(call, event.channel.uniqueid))

    async def _adopted_answered(self, call: Call, uniqueid: str) -> None:
        async with self.sessionmaker() as session:
            if call.kind == "revisit":
                await mark_answered(session, call.ident, uniqueid, self.clock())
            else:
                await _move_callback(session, call.ident, callbacks.CallbackEvent.ANSWER,
                                     self.clock())

    def _on_hangup(self, event: Hangup) -> None:
        uniqueid = event.channel.uniqueid
        key = self._by_uniqueid.get(uniqueid)
        if key is None:
            if event.channel.variables.get(ORIGINATE_VARIABLE, "").startswith(("revisit-",
                                                                               "callback-")):
                self._hung_up[uniqueid] = self.clock()
                while len(self._hung_up) > 1000:
                    self._hung_up.pop(next(iter(self._hung_up)))
            return
        call = self.calls.get(key)
        if call is not None and call.ended is None:
            call.ended = self.clock()
            self._wake()

    def _wake(self) -> None:
        """A channel was freed: fill it now rather than at the next tick."""
        if self._refill:
            return
        self._refill = True

        async def refill() -> None:
            try:
                await self.tick()
            except Exception:  # the periodic tick tries again
                log.exception("refill after a freed channel failed")

        with contextlib.suppress(RuntimeError):  # no running loop: the next tick does it
            self._spawn(refill())

    async def _settle_ended(self, now: datetime) -> None:
        for call in list(self.calls.values()):
            if call.ended is None:
                continue
            if call.kind == "revisit" and call.ended + self.config.settle_grace > now:
                continue  # the survey may still be recording
            self._forget(call)
            async with self.sessionmaker() as session:
                if call.kind == "revisit":
                    await conclude(session, call.ident, AttemptEvent.FAIL,
                                   "hung up before the survey recorded an answer", now,
                                   self.config.rules)
                else:
                    await self._callback_failed(session, call.ident, now)

    async def _resolve_orphans(self, now: datetime) -> None:
        followed = {c.ident for c in self.calls.values() if c.kind == "revisit"}
        not_before = now - self.config.orphan_after
        async with self.sessionmaker() as session:
            revisits = [(ident, state) for ident, state in await live_attempts(session, not_before)
                        if ident not in followed]
            calling = await callbacks.listing(session, CallbackState.CALLING)
            waiting = [row for row in calling if row.updated_at <= not_before
                       and not any(c.kind == "callback" and c.ident == row.id
                                   for c in self.calls.values())]
            stale = [c for c in self.calls.values()
                     if c.ended is None and c.started <= now - self.config.watch_after]
            if not (revisits or waiting or stale):
                return
            live = await self._live_channels()
            for call in stale:
                if call.uniqueid and call.uniqueid not in live.by_uniqueid:
                    call.ended = now  # its hang-up went by while the link was down
            for ident, state in revisits:
                await self._orphan_revisit(session, ident, state, live, now)
            for row in waiting:
                await self._orphan_callback(session, row, live, now)

    async def _live_channels(self) -> "LiveChannels":
        listing = await self.line.send_action({"Action": "CoreShowChannels"})
        live = LiveChannels()
        for event in listing.events:
            if isinstance(event, CoreShowChannel):
                live.by_uniqueid.add(event.channel.uniqueid)
                key = event.channel.variables.get(ORIGINATE_VARIABLE)
                if key:
                    live.by_key[key] = event
        return live

    async def _orphan_revisit(self, session: AsyncSession, ident: int, state: str,
                              live: "LiveChannels", now: datetime) -> None:
        key = f"revisit-{ident}"
        channel = live.by_key.get(key)
        if channel is None:
            self.counts.lost += 1
            log.warning("%s: claimed but no live channel in Asterisk: a failed attempt", key)
            await conclude(session, ident, AttemptEvent.FAIL, "no live channel after restart",
                           now, self.config.rules)
            return
        self._adopt(key, "revisit", ident, channel, now)
        if state == AttemptState.CALLING.value and channel.channel.state == UP:
            await mark_answered(session, ident, channel.channel.uniqueid, now)

    async def _orphan_callback(self, session: AsyncSession, row: CallbackRequest,
                               live: "LiveChannels", now: datetime) -> None:
        key = f"callback-{row.id}-{row.attempts}"
        channel = live.by_key.get(key)
        if channel is None:
            self.counts.lost += 1
            log.warning("%s: dialled but no live channel in Asterisk", key)
            await self._callback_failed(session, row.id, now)
            return
        self._adopt(key, "callback", row.id, channel, now)
        if channel.channel.state == UP:
            await _move_callback(session, row.id, callbacks.CallbackEvent.ANSWER, now)

    def _adopt(self, key: str, kind: Kind, ident: int, channel: CoreShowChannel,
               now: datetime) -> None:
        self.counts.adopted += 1
        uniqueid = channel.channel.uniqueid
        self.calls[key] = Call(key, kind, ident, now, uniqueid,
                               waiting_answer=channel.channel.state != UP)
        self._by_uniqueid[uniqueid] = key
        log.info("%s: live in Asterisk (%s): followed until it hangs up", key, uniqueid)


@dataclass
class LiveChannels:
    """One CoreShowChannels listing: every live uniqueid, and the platform's by their key."""

    by_uniqueid: set[str] = field(default_factory=set)
    by_key: dict[str, CoreShowChannel] = field(default_factory=dict)


async def _move_callback(session: AsyncSession, ident: int, event: callbacks.CallbackEvent,
                         now: datetime) -> None:
    with contextlib.suppress(callbacks.IllegalCallbackTransition, callbacks.CallbackNotFound):
        await callbacks.move(session, ident, event, now)
