"""The dialer's side of the AMI link: what it uses of it, and Asterisk's list of live channels."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from telephony.ami.connection import ActionFields
from telephony.ami.dispatch import Subscriber
from telephony.ami.events import AmiEvent, CoreShowChannel
from telephony.ami.originate import ORIGINATE_VARIABLE, OriginateRequest, OriginateResult
from telephony.ami.pending import AmiResponse


class AmiPort(Protocol):
    """What the dialer needs of the AMI link (``telephony.ami.link.AmiLink``)."""

    @property
    def connected(self) -> bool: ...

    async def originate(self, key: str, request: OriginateRequest) -> OriginateResult: ...

    async def send_action(self, fields: ActionFields, *, within: float | None = None
                          ) -> AmiResponse: ...

    def subscribe(self, callback: Subscriber, *types: type[AmiEvent]) -> Callable[[], None]: ...


@dataclass
class LiveChannels:
    """One CoreShowChannels listing: every live uniqueid, and the platform's by their key."""

    by_uniqueid: set[str] = field(default_factory=set)
    by_key: dict[str, CoreShowChannel] = field(default_factory=dict)


async def live_channels(ami: AmiPort) -> LiveChannels:
    """Ask Asterisk which channels are live (CoreShowChannels), keyed as the dialer keys them."""
    listing = await ami.send_action({"Action": "CoreShowChannels"})
    live = LiveChannels()
    for event in listing.events:
        if isinstance(event, CoreShowChannel):
            live.by_uniqueid.add(event.channel.uniqueid)
            key = event.channel.variables.get(ORIGINATE_VARIABLE)
            if key:
                live.by_key[key] = event
    return live
