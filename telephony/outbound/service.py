"""The outbound dialer: the due calls of every campaign, at most the channel cap at once.

Only the scheduler's lease holder runs it. Each call is claimed by its campaign (committed)
before its Originate and keyed ``<campaign>-<id>[-<attempt>]``, so a duplicated job, a re-sent
Originate or a restart never rings anyone twice for one claim: a claim found after a restart
is resolved by asking Asterisk whether its channel is live (``HOTLINE_ORIGINATE_ID``, one of
manager.conf's channelvars), never by dialling again. Campaigns are served in the order given
(the callbacks first), each with the channels the ones before it left free.
"""

import asyncio
import contextlib
import logging
import re
import time
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kernel.clock import now as beijing_now
from telephony.ami.errors import AmiBadAction, AmiError, AmiNotConnected, OriginateFailed
from telephony.ami.events import AmiEvent, Hangup, Newstate
from telephony.ami.originate import ORIGINATE_VARIABLE, OriginateRequest, OriginateResult
from telephony.outbound.campaign import (
    Campaign,
    Claim,
    Ending,
    OutboundCall,
    Unanswered,
    call_key,
    check_names,
)
from telephony.outbound.config import OutboundConfig
from telephony.outbound.ports import AmiPort, LiveChannels, live_channels

log = logging.getLogger(__name__)

UP = 6  # Asterisk's channel state "Up": answered
NO_ANSWER_REASONS = frozenset({1, 3, 5})  # hung up while ringing, rang out, busy
_DIALABLE = re.compile(r"\+?[0-9*#]{1,32}")


@dataclass
class PlacedCall:
    """A call this dialer placed or adopted: it holds a channel until it hangs up."""

    key: str
    campaign: Campaign
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


class OutboundDialer:
    """Places due calls up to the cap; the scheduler's job calls :meth:`tick`."""

    def __init__(self, campaigns: Sequence[Campaign], ami: AmiPort, config: OutboundConfig,
                 clock: Callable[[], datetime] = beijing_now) -> None:
        check_names(campaigns)
        self.campaigns, self.ami, self.config, self.clock = tuple(campaigns), ami, config, clock
        self.calls: dict[str, PlacedCall] = {}
        self.counts = DialerCounts()
        self._prefixes = tuple(f"{campaign.name}-" for campaign in self.campaigns)
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
            self._unsubscribe = self.ami.subscribe(self._on_event, Hangup, Newstate)

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

    @property
    def in_flight(self) -> int:
        """Originates, reports and refills still running."""
        return len(self._tasks)

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
        if not self.ami.connected:
            return 0
        placed = 0
        for campaign in self.campaigns:
            free = self.config.cap - self.active
            if free <= 0:
                break
            for call in await campaign.due(now, free):
                self._place(campaign, call, now)
                placed += 1
        return placed

    def _place(self, campaign: Campaign, call: OutboundCall, now: datetime) -> None:
        key = call_key(campaign.name, call.ident, call.attempt)
        placed = PlacedCall(key, campaign, call.ident, now)
        self.calls[key] = placed  # registered before the Originate: never an orphan
        self.counts.by_key[key] = self.counts.by_key.get(key, 0) + 1
        if not _DIALABLE.fullmatch(call.number):  # it would go into the dial string as it is
            log.warning("%s: %r is not a number to dial: a failed attempt", key, call.number)
            self._spawn(self._unanswered(placed, Unanswered.FAILED, "not a dialable number"))
            return
        request = OriginateRequest(
            channel=self.config.channel(call.number), context=call.context, exten=call.exten,
            caller_id=self.config.caller_id, ring_timeout=self.config.ring_timeout,
            variables=dict(call.variables))
        self._spawn(self._originate(placed, request))

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _originate(self, call: PlacedCall, request: OriginateRequest) -> None:
        self.counts.originated += 1
        try:
            result = await self.ami.originate(call.key, request)
        except AmiNotConnected:  # refused before a byte was written: no call exists
            await self._unanswered(call, Unanswered.NOT_SENT, "AMI not connected")
        except OriginateFailed as exc:
            reason = int(exc.details.get("reason", 0))
            outcome = Unanswered.NO_ANSWER if reason in NO_ANSWER_REASONS else Unanswered.FAILED
            await self._unanswered(call, outcome, exc.message)
        except AmiBadAction as exc:
            await self._unanswered(call, Unanswered.FAILED, exc.message)
        except AmiError as exc:  # the outcome was lost: the call may exist, never re-dial it
            log.warning("%s: %s; Asterisk will be asked whether it is live", call.key, exc)
            self._forget(call)
        except Exception:
            log.exception("%s: originate failed unexpectedly", call.key)
            self._forget(call)
        else:
            await self._answered(call, result)

    async def _answered(self, call: PlacedCall, result: OriginateResult) -> None:
        call.uniqueid = result.uniqueid
        self._by_uniqueid[result.uniqueid] = call.key
        overtaken = result.uniqueid in self._hung_up  # its hang-up overtook the answer
        if overtaken:
            call.ended = self._hung_up.pop(result.uniqueid)
        await call.campaign.answered(call.ident, result.uniqueid, self.clock())
        self.counts.answered += 1  # after the commit, like unanswered
        if overtaken:
            self._wake()  # its channel is free already

    async def _unanswered(self, call: PlacedCall, outcome: Unanswered, why: str) -> None:
        try:  # recorded before the call leaves the list, or the orphan pass would take it
            await call.campaign.unanswered(call.ident, outcome, why, self.clock())
        finally:
            self._forget(call)
            self.counts.unanswered += 1  # counted once recorded: who waits on it sees the row

    def _forget(self, call: PlacedCall) -> None:
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
        call.waiting_answer = False  # an adopted call answered: report it once
        self._spawn(call.campaign.answered(call.ident, event.channel.uniqueid, self.clock()))

    def _on_hangup(self, event: Hangup) -> None:
        uniqueid = event.channel.uniqueid
        key = self._by_uniqueid.get(uniqueid)
        if key is None:
            if event.channel.variables.get(ORIGINATE_VARIABLE, "").startswith(self._prefixes):
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
            if call.ended is None or call.ended + call.campaign.settle_grace > now:
                continue  # on the line, or its own path may still complete it
            self._forget(call)
            await call.campaign.ended(call.ident, Ending.HUNG_UP, now)

    async def _resolve_orphans(self, now: datetime) -> None:
        not_before = now - self.config.orphan_after
        orphans: list[tuple[Campaign, Claim]] = []
        for campaign in self.campaigns:
            followed = {c.ident for c in self.calls.values() if c.campaign is campaign}
            orphans += [(campaign, claim) for claim in await campaign.claims(not_before)
                        if claim.ident not in followed]
        stale = [c for c in self.calls.values()
                 if c.ended is None and c.started <= now - self.config.watch_after]
        if not (orphans or stale):
            return
        live = await live_channels(self.ami)
        for call in stale:
            if call.uniqueid and call.uniqueid not in live.by_uniqueid:
                call.ended = now  # its hang-up went by while the link was down
        for campaign, claim in orphans:
            await self._orphan(campaign, claim, live, now)

    async def _orphan(self, campaign: Campaign, claim: Claim, live: LiveChannels,
                      now: datetime) -> None:
        key = call_key(campaign.name, claim.ident, claim.attempt)
        found = live.by_key.get(key)
        if found is None:
            self.counts.lost += 1
            log.warning("%s: claimed but no live channel in Asterisk: a failed attempt", key)
            await campaign.ended(claim.ident, Ending.LOST, now)
            return
        channel = found.channel
        self.counts.adopted += 1
        self.calls[key] = PlacedCall(key, campaign, claim.ident, now, channel.uniqueid,
                                     waiting_answer=channel.state != UP)
        self._by_uniqueid[channel.uniqueid] = key
        log.info("%s: live in Asterisk (%s): followed until it hangs up", key, channel.uniqueid)
        if channel.state == UP and not claim.answered:
            await campaign.answered(claim.ident, channel.uniqueid, now)
