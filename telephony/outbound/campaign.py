"""What the outbound dialer asks of a campaign, and the frozen types that cross between them.

A campaign (the missed-call callbacks, the revisits) owns its calls' records and rules; the
dialer owns the line: the channel cap, the Originate, hang-ups, and claims nobody follows
after a restart. Every call is claimed (committed) by its campaign before the dialer sends
its Originate, and keyed ``<campaign>-<id>[-<attempt>]``, so one key is one call.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from telephony.outbound.errors import CampaignInvalid

_NAME = re.compile(r"[a-z][a-z0-9]{0,23}")


@dataclass(frozen=True, slots=True)
class OutboundCall:
    """A call a campaign claimed: dial ``number`` once and connect it to ``context``/``exten``.

    ``ident`` is the campaign's record; ``attempt`` tells a retry of one record from the
    first call (a new key, so a new call), None when each record is called once.
    ``variables`` go on the channel (what the dialplan or the IVR reads of the call).
    """

    ident: int
    number: str
    context: str
    exten: str = "s"
    attempt: int | None = None
    variables: Mapping[str, str] = field(default_factory=dict, repr=False)


@dataclass(frozen=True, slots=True)
class Claim:
    """A claim of the campaign's that no dialer may be following (its node restarted).

    ``answered``: the campaign already recorded the answer (nothing to report when the
    channel is found up).
    """

    ident: int
    attempt: int | None = None
    answered: bool = False


class Unanswered(StrEnum):
    """How a call the dialer placed ended without an answer."""

    NOT_SENT = "not-sent"  # the Originate never left this node: no call exists
    NO_ANSWER = "no-answer"  # rang out, busy, or hung up while ringing
    FAILED = "failed"  # Asterisk could not place it (congestion, no route, refused)


class Ending(StrEnum):
    """Why a claimed call is over without its campaign having completed it."""

    HUNG_UP = "hung-up"  # the call ended (after the campaign's settle grace)
    LOST = "lost"  # claimed, but Asterisk has no channel for it (its node restarted)


class Campaign(Protocol):
    """One kind of outbound call; the dialer calls these hooks, each committing its change."""

    @property
    def name(self) -> str:
        """The key prefix of its calls: lower-case letters and digits."""
        ...

    @property
    def settle_grace(self) -> timedelta:
        """How long after a hang-up the call's own path may still complete it."""
        ...

    async def due(self, now: datetime, free: int) -> Sequence[OutboundCall]:
        """Claim (committed) at most ``free`` calls due now; a claim lost to a race is left out."""
        ...

    async def answered(self, ident: int, uniqueid: str, now: datetime) -> None:
        """The call was answered (channel ``uniqueid``); a late or repeated report is a no-op."""
        ...

    async def unanswered(self, ident: int, outcome: Unanswered, why: str,
                         now: datetime) -> None:
        """The call got no answer: release the claim, or count the attempt."""
        ...

    async def ended(self, ident: int, ending: Ending, now: datetime) -> None:
        """The call is over: a failed attempt, unless the record completed meanwhile."""
        ...

    async def claims(self, not_before: datetime) -> Sequence[Claim]:
        """Claims still open and untouched since ``not_before``: perhaps nobody follows them."""
        ...


def call_key(campaign: str, ident: int, attempt: int | None = None) -> str:
    """The call's idempotency key, also its channel's HOTLINE_ORIGINATE_ID."""
    return f"{campaign}-{ident}" if attempt is None else f"{campaign}-{ident}-{attempt}"


def check_names(campaigns: Sequence[Campaign]) -> None:
    """Refuse a campaign name that is not a safe key prefix, or one used twice."""
    names = [campaign.name for campaign in campaigns]
    for name in names:
        if not _NAME.fullmatch(name):
            raise CampaignInvalid(f"campaign name {name!r}: 1-24 lower-case letters and digits",
                                  name=name)
    if len(set(names)) != len(names):
        raise CampaignInvalid("two campaigns share a name: their calls' keys would collide",
                              names=names)
