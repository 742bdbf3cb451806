"""The dialer's configuration: the channel cap, the dial string and its timings."""

from dataclasses import dataclass
from datetime import timedelta

from telephony.outbound.errors import OutboundConfigInvalid

OUTBOUND = "Local/{number}@outbound-revisit"  # through the carrier trunk
SIMULATED_CITIZEN = "Local/{number}@sim-citizen"  # development and tests: no trunk


@dataclass(frozen=True)
class OutboundConfig:
    """What every campaign's calls share; the composition root builds it from its settings."""

    cap: int = 10  # channels at once, all campaigns together
    dial: str = OUTBOUND  # {number} filled in
    ring_timeout: float = 45.0
    caller_id: str = "12345"
    # a claim this dialer does not own is checked with Asterisk once it is this old (another
    # node's Originate is on the wire within milliseconds of its claim)
    orphan_after: timedelta = timedelta(seconds=15)
    orphan_every: timedelta = timedelta(seconds=5)  # how often to look for such claims
    # a call on longer than this is checked with Asterisk (its hang-up may have been missed)
    watch_after: timedelta = timedelta(minutes=10)

    def __post_init__(self) -> None:
        if self.cap < 1:
            raise OutboundConfigInvalid(f"the outbound channel cap must be 1 or more, not "
                                        f"{self.cap}", field="cap", value=self.cap)
        if self.ring_timeout <= 0:
            raise OutboundConfigInvalid("the ring timeout must be positive",
                                        field="ring_timeout", value=self.ring_timeout)
        # a dial string that cannot be filled in fails here, not after each call's claim
        if "{number}" not in self.dial:
            raise OutboundConfigInvalid(f"dial string {self.dial!r} has no {{number}}",
                                        field="dial", value=self.dial)
        try:
            self.channel("0")
        except (KeyError, IndexError, ValueError) as exc:
            raise OutboundConfigInvalid(
                f"dial string {self.dial!r} cannot be filled in: only {{number}} may appear "
                f"in braces ({exc!r})", field="dial", value=self.dial) from None

    def channel(self, number: str) -> str:
        """The channel to originate for ``number``."""
        return self.dial.format(number=number)
