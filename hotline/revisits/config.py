"""The dialer's settings: the cap, the dial string, the calling rules, and the line it uses."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from hotline.settings import Settings
from telephony.ami.connection import ActionFields
from telephony.ami.dispatch import Subscriber
from telephony.ami.events import AmiEvent
from telephony.ami.originate import OriginateRequest, OriginateResult
from telephony.ami.pending import AmiResponse
from telephony.callbacks import service as callbacks
from tickets.revisits.schedule import DEFAULT_RULES, RevisitRules
from tickets.revisits.windows import CallingWindows

OUTBOUND = "Local/{number}@outbound-revisit"  # through the carrier trunk
SIMULATED_CITIZEN = "Local/{number}@sim-citizen"  # development and tests: no trunk


class Line(Protocol):
    """What the dialer needs of the AMI link (``telephony.ami.link.AmiLink``)."""

    @property
    def connected(self) -> bool: ...

    async def originate(self, key: str, request: OriginateRequest) -> OriginateResult: ...

    async def send_action(self, fields: ActionFields, *, within: float | None = None
                          ) -> AmiResponse: ...

    def subscribe(self, callback: Subscriber, *types: type[AmiEvent]) -> Callable[[], None]: ...


@dataclass(frozen=True)
class DialerConfig:
    """The cap, the dial string and the timings; ``from_settings`` for the platform's."""

    cap: int = 10
    dial: str = OUTBOUND
    ring_timeout: float = 45.0
    rules: RevisitRules = DEFAULT_RULES
    callback_attempts: int = 3
    callback_retry: timedelta = callbacks.RETRY_AFTER
    # a claim this dialer does not own is checked with Asterisk once it is this old (another
    # node's Originate is on the wire within milliseconds of its claim)
    orphan_after: timedelta = timedelta(seconds=15)
    orphan_every: timedelta = timedelta(seconds=5)  # how often to look for such claims
    # after a revisit call hangs up, the survey has this long to record before it counts failed
    settle_grace: timedelta = timedelta(seconds=10)
    # a call on longer than this is checked with Asterisk (its hang-up may have been missed)
    watch_after: timedelta = timedelta(minutes=10)
    caller_id: str = "12345"

    @classmethod
    def from_settings(cls, settings: Settings) -> "DialerConfig":
        """The deployment's cap, windows, attempts, spacing and dial string."""
        return cls(cap=settings.revisit_max_channels, dial=dial_template(settings),
                   ring_timeout=settings.ring_timeout_seconds, rules=revisit_rules(settings))


def revisit_rules(settings: Settings) -> RevisitRules:
    """The settings' calling windows, attempts and spacing."""
    return RevisitRules(CallingWindows.parse(settings.revisit_windows),
                        attempts=settings.revisit_attempts,
                        retry=timedelta(minutes=settings.revisit_retry_minutes))


def dial_template(settings: Settings) -> str:
    """The configured dial string, else the trunk's path, else (no trunk) simulated citizens."""
    if settings.revisit_dial:
        return settings.revisit_dial
    return OUTBOUND if any(p.kind == "trunk" for p in settings.sip_peers) else SIMULATED_CITIZEN

