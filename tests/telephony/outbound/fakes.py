"""Stand-ins for the dialer's two sides: the AMI link (originates by key once, as OriginateBook
does; a live-channel list for CoreShowChannels; hang-ups and answers delivered to subscribers;
outcomes chosen per number) and a campaign whose records live in memory."""

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from telephony.ami.connection import ActionFields
from telephony.ami.dispatch import Subscriber
from telephony.ami.errors import AmiNotConnected, OriginateFailed, OriginateOutcomeUnknown
from telephony.ami.events import AmiEvent, CoreShowChannel, Hangup, Newstate
from telephony.ami.frames import AmiMessage
from telephony.ami.originate import ORIGINATE_VARIABLE, OriginateRequest, OriginateResult
from telephony.ami.pending import AmiResponse
from telephony.ami.snapshot import Channel
from telephony.outbound.campaign import Claim, Ending, OutboundCall, Unanswered

FAILURES = {"busy": 5, "noanswer": 3, "congestion": 8}  # OriginateResponse Reason


def channel(key: str, uniqueid: str, state: int = 6) -> Channel:
    """A channel snapshot tagged with its originate key, as channelvars shows it."""
    return Channel(f"Local/{key}@sim-citizen-0001;1", uniqueid, uniqueid, state, "12345", "",
                   "", "", "revisit-survey", "s", {ORIGINATE_VARIABLE: key})


@dataclass
class FakeAmi:
    """What the dialer sees of Asterisk; ``outcomes`` maps a dialled number to what happens:
    answer (default), busy, noanswer, congestion, lost (the link dropped after sending: the
    call rings on), unsent (refused before a byte was written), early-hangup (the hang-up
    arrives before the Originate's answer)."""

    connected: bool = True
    outcomes: dict[str, str] = field(default_factory=dict)
    dialled: list[str] = field(default_factory=list)  # every Originate that reached Asterisk
    requests: dict[str, OriginateRequest] = field(default_factory=dict)
    live: dict[str, Channel] = field(default_factory=dict)  # key -> channel
    book: dict[str, "asyncio.Future[OriginateResult]"] = field(default_factory=dict)
    subscribers: list[Subscriber] = field(default_factory=list)
    hold: asyncio.Event | None = None  # when set, answers wait for it

    async def originate(self, key: str, request: OriginateRequest) -> OriginateResult:
        if key in self.book:  # the link's own guard: a repeated key never makes a new call
            return await asyncio.shield(self.book[key])
        number = request.channel.split("/")[1].split("@")[0]
        outcome = self.outcomes.get(number, "answer")
        if outcome == "unsent":
            self.connected = False  # the link is found down as the Originate is written
        if not self.connected:
            raise AmiNotConnected("not connected")
        future: asyncio.Future[OriginateResult] = asyncio.get_running_loop().create_future()
        self.book[key] = future
        self.dialled.append(key)
        self.requests[key] = request
        uniqueid = f"1700000000.{len(self.dialled)}"
        if outcome == "lost":
            self.live[key] = channel(key, uniqueid, state=5)
            future.set_exception(OriginateOutcomeUnknown("lost", key=key))
        elif outcome in FAILURES:
            future.set_exception(OriginateFailed(outcome, key=key, reason=FAILURES[outcome]))
        else:
            if self.hold is not None:
                await self.hold.wait()
            self.live[key] = channel(key, uniqueid)
            if outcome == "early-hangup":
                await self.hang_up(key)
            future.set_result(OriginateResult(key, f"hotline-originate-{key}",
                                              f"Local/{key};1", uniqueid, 4))
        return await asyncio.shield(future)

    async def send_action(self, fields: ActionFields, *, within: float | None = None
                          ) -> AmiResponse:
        assert fields["Action"] == "CoreShowChannels"
        events = tuple(CoreShowChannel(c, "", "AGI", "", "00:00:05", "x")
                       for c in self.live.values())
        return AmiResponse(AmiMessage({"response": "Success"}), events)

    def subscribe(self, callback: Subscriber, *types: type[AmiEvent]) -> Callable[[], None]:
        self.subscribers.append(callback)
        return lambda: self.subscribers.remove(callback)

    async def hang_up(self, key: str) -> None:
        """The call ``key`` ends: its channel goes and the subscribers hear of it."""
        gone = self.live.pop(key)
        for subscriber in list(self.subscribers):
            await subscriber(Hangup(gone, 16, "Normal Clearing"))

    async def pick_up(self, key: str) -> None:
        """A ringing call ``key`` is answered: the subscribers see it go Up."""
        ringing = self.live[key]
        self.live[key] = channel(key, ringing.uniqueid)
        for subscriber in list(self.subscribers):
            await subscriber(Newstate(self.live[key]))

    def number_of(self, key: str) -> str:
        return self.requests[key].channel.split("/")[1].split("@")[0]


@dataclass
class Ledger:
    """A campaign's records (its "database"), shared by every dialer that serves it."""

    states: dict[int, str] = field(default_factory=dict)  # pending calling answered done failed
    numbers: dict[int, str] = field(default_factory=dict)
    claimed_at: dict[int, datetime] = field(default_factory=dict)
    reports: list[tuple[str, int, str]] = field(default_factory=list)  # (hook, ident, what)

    def add(self, *numbers: str, state: str = "pending",
            claimed_at: datetime | None = None) -> list[int]:
        made = []
        for number in numbers:
            ident = len(self.states) + 1
            self.states[ident], self.numbers[ident] = state, number
            if claimed_at is not None:
                self.claimed_at[ident] = claimed_at
            made.append(ident)
        return made

    def of(self, hook: str) -> list[tuple[int, str]]:
        return [(ident, what) for name, ident, what in self.reports if name == hook]


class FakeCampaign:
    """The hooks on a ledger: claims by compare-and-set, each report kept in order."""

    def __init__(self, name: str, ledger: Ledger | None = None,
                 settle_grace: timedelta = timedelta(0)) -> None:
        self.name, self.settle_grace = name, settle_grace
        self.ledger = ledger or Ledger()

    async def due(self, now: datetime, free: int) -> Sequence[OutboundCall]:
        ledger = self.ledger
        picked = [i for i, state in ledger.states.items() if state == "pending"][:free]
        for ident in picked:  # no await in between: two dialers never both take one
            ledger.states[ident], ledger.claimed_at[ident] = "calling", now
        return [OutboundCall(i, ledger.numbers[i], "fake-context", "s", None,
                             {"FAKE_ID": str(i)}) for i in picked]

    async def answered(self, ident: int, uniqueid: str, now: datetime) -> None:
        self.ledger.reports.append(("answered", ident, uniqueid))
        if self.ledger.states[ident] == "calling":
            self.ledger.states[ident] = "answered"

    async def unanswered(self, ident: int, outcome: Unanswered, why: str,
                         now: datetime) -> None:
        self.ledger.reports.append(("unanswered", ident, outcome.value))
        self.ledger.states[ident] = "pending" if outcome is Unanswered.NOT_SENT else "failed"

    async def ended(self, ident: int, ending: Ending, now: datetime) -> None:
        self.ledger.reports.append(("ended", ident, ending.value))
        if self.ledger.states[ident] in ("calling", "answered"):
            self.ledger.states[ident] = "failed"

    async def claims(self, not_before: datetime) -> Sequence[Claim]:
        ledger = self.ledger
        return [Claim(i, answered=state == "answered") for i, state in ledger.states.items()
                if state in ("calling", "answered") and ledger.claimed_at[i] <= not_before]
