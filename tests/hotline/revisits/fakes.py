"""A stand-in for the AMI link: originates by key once (as OriginateBook does), a live-channel
list for CoreShowChannels, hang-ups delivered to subscribers, outcomes chosen per number."""

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

from telephony.ami.connection import ActionFields
from telephony.ami.dispatch import Subscriber
from telephony.ami.errors import AmiNotConnected, OriginateFailed, OriginateOutcomeUnknown
from telephony.ami.events import AmiEvent, CoreShowChannel, Hangup, Newstate
from telephony.ami.frames import AmiMessage
from telephony.ami.originate import ORIGINATE_VARIABLE, OriginateRequest, OriginateResult
from telephony.ami.pending import AmiResponse
from telephony.ami.snapshot import Channel


def channel(key: str, uniqueid: str, state: int = 6) -> Channel:
    """A channel snapshot tagged with its originate key, as channelvars shows it."""
    return Channel(f"Local/{key}@sim-citizen-0001;1", uniqueid, uniqueid, state, "12345", "",
                   "", "", "revisit-survey", "s", {ORIGINATE_VARIABLE: key})


@dataclass
class FakeLine:
    """What the dialer sees of Asterisk; ``outcomes`` maps a dialled number to what happens."""

    connected: bool = True
    outcomes: dict[str, str] = field(default_factory=dict)  # answer | busy | noanswer | lost
    dialled: list[str] = field(default_factory=list)  # every Originate that reached Asterisk
    requests: dict[str, OriginateRequest] = field(default_factory=dict)
    live: dict[str, Channel] = field(default_factory=dict)  # key -> channel
    book: dict[str, "asyncio.Future[OriginateResult]"] = field(default_factory=dict)
    subscribers: list[Subscriber] = field(default_factory=list)
    hold: asyncio.Event | None = None  # when set, answers wait for it

    async def originate(self, key: str, request: OriginateRequest) -> OriginateResult:
        if key in self.book:  # the link's own guard: a repeated key never makes a new call
            return await asyncio.shield(self.book[key])
        if not self.connected:
            raise AmiNotConnected("not connected")
        future: asyncio.Future[OriginateResult] = asyncio.get_running_loop().create_future()
        self.book[key] = future
        self.dialled.append(key)
        self.requests[key] = request
        number = request.channel.split("/")[1].split("@")[0]
        outcome = self.outcomes.get(number, "answer")
        uniqueid = f"1700000000.{len(self.dialled)}"
        if outcome == "lost":  # the link dropped after sending: the call exists, rings on
            self.live[key] = channel(key, uniqueid, state=5)
            future.set_exception(OriginateOutcomeUnknown("lost", key=key))
        elif outcome in ("busy", "noanswer"):
            reason = 5 if outcome == "busy" else 3
            future.set_exception(OriginateFailed(outcome, key=key, reason=reason))
        else:
            if self.hold is not None:
                await self.hold.wait()
            self.live[key] = channel(key, uniqueid)
            future.set_result(OriginateResult(key, f"hotline-originate-{key}",
                                              self.live[key].name, uniqueid, 4))
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
