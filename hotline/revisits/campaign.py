"""The revisits as an outbound campaign: ``tickets.revisits.schedule`` in telephony's terms.

A claimed attempt becomes a call to the survey (context ``revisit-survey``) carrying its
attempt and the secret drawn with the claim (``HOTLINE_REVISIT_ID``, ``HOTLINE_REVISIT_TOKEN``):
the survey records only for that call.
"""

import os
import socket
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ivr.survey import ATTEMPT_VARIABLE, TOKEN_VARIABLE
from telephony.outbound.campaign import Claim, Ending, OutboundCall, Unanswered
from tickets.revisits.machine import AttemptEvent, AttemptState
from tickets.revisits.schedule import (
    DEFAULT_RULES,
    Claimed,
    RevisitRules,
    claim_due,
    conclude,
    live_attempts,
    mark_answered,
    release,
)

NAME = "revisit"
CONTEXT = "revisit-survey"
# after a revisit call hangs up, the survey has this long to record before it counts failed
SETTLE_GRACE = timedelta(seconds=10)
_ENDINGS = {Ending.HUNG_UP: "hung up before the survey recorded an answer",
            Ending.LOST: "no live channel after restart"}


def node_token() -> str:
    """This process's claim token: which dialer claimed an attempt."""
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"[:64]


class RevisitCampaign:
    """Due attempts inside the calling windows, one call each (key ``revisit-<attempt>``)."""

    name = NAME

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession],
                 rules: RevisitRules = DEFAULT_RULES, *, token: str | None = None,
                 settle_grace: timedelta = SETTLE_GRACE) -> None:
        self.sessionmaker, self.rules = sessionmaker, rules
        self.token = (token or node_token())[:64]
        self.settle_grace = settle_grace

    async def due(self, now: datetime, free: int) -> Sequence[OutboundCall]:
        """Claim up to ``free`` due attempts for this node, committed before any call."""
        async with self.sessionmaker() as session:
            return [_call(c) for c in await claim_due(session, self.rules, self.token, now,
                                                      free)]

    async def answered(self, ident: int, uniqueid: str, now: datetime) -> None:
        """The citizen picked up: the survey takes over."""
        async with self.sessionmaker() as session:
            await mark_answered(session, ident, uniqueid, now)

    async def unanswered(self, ident: int, outcome: Unanswered, why: str,
                         now: datetime) -> None:
        """Never sent: the claim is given back. Otherwise the next attempt or a person."""
        async with self.sessionmaker() as session:
            if outcome is Unanswered.NOT_SENT:
                await release(session, ident, self.token, now)
                return
            event = AttemptEvent.NO_ANSWER if outcome is Unanswered.NO_ANSWER \
                else AttemptEvent.FAIL
            await conclude(session, ident, event, why, now, self.rules)

    async def ended(self, ident: int, ending: Ending, now: datetime) -> None:
        """A failed attempt unless the survey recorded the answer (then nothing changes)."""
        async with self.sessionmaker() as session:
            await conclude(session, ident, AttemptEvent.FAIL, _ENDINGS[ending], now, self.rules)

    async def claims(self, not_before: datetime) -> Sequence[Claim]:
        """Attempts calling or answered, untouched since ``not_before``."""
        async with self.sessionmaker() as session:
            live = await live_attempts(session, not_before)
        return [Claim(ident, answered=state == AttemptState.ANSWERED.value)
                for ident, state in live]


def _call(claimed: Claimed) -> OutboundCall:
    return OutboundCall(claimed.attempt_id, claimed.phone, CONTEXT, "s", None,
                        {ATTEMPT_VARIABLE: str(claimed.attempt_id),
                         TOKEN_VARIABLE: claimed.survey_token})
