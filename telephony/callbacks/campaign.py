"""The missed-call callbacks (漏接回拨) as an outbound campaign: the caller, called back, is put
through the queue they hung up in, on the line they first called."""

import contextlib
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from telephony.callbacks import service as callbacks
from telephony.callbacks.models import CallbackRequest, CallbackState
from telephony.callbacks.service import CallbackEvent
from telephony.outbound.campaign import Claim, Ending, OutboundCall, Unanswered

log = logging.getLogger(__name__)

NAME = "callback"
CONTEXT = "hotline-queue"  # the dialplan queues the answered callee (HOTLINE_QUEUE)


class CallbackCampaign:
    """Pending callbacks, soonest due first; each attempt a call of its own (key ``-<n>``)."""

    name = NAME
    settle_grace = timedelta(0)  # only a bridge with an agent completes it, never after

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], *, attempts: int = 3,
                 retry: timedelta = callbacks.RETRY_AFTER) -> None:
        self.sessionmaker, self.attempts, self.retry = sessionmaker, attempts, retry

    async def due(self, now: datetime, free: int) -> Sequence[OutboundCall]:
        """Move up to ``free`` rested pending callbacks to calling (compare-and-set)."""
        claimed = []
        async with self.sessionmaker() as session:
            for row in await callbacks.next_due(session, now, free, self.retry):
                try:
                    row = await callbacks.move(session, row.id, CallbackEvent.DIAL, now)
                except callbacks.IllegalCallbackTransition:
                    continue  # another job dialled it first
                claimed.append(_call(row))
        return claimed

    async def answered(self, ident: int, uniqueid: str, now: datetime) -> None:
        """The citizen answered and waits in the queue: still calling until an agent is
        bridged with them (``telephony.callbacks.follow`` marks it done then)."""
        async with self.sessionmaker() as session:
            await _move(session, ident, CallbackEvent.ANSWER, now)

    async def unanswered(self, ident: int, outcome: Unanswered, why: str,
                         now: datetime) -> None:
        """Another attempt after the retry spacing, or given up after the last."""
        log.info("callback %d: %s (%s)", ident, outcome.value, why)
        await self._failed(ident, now)

    async def ended(self, ident: int, ending: Ending, now: datetime) -> None:
        """A call hung up before an agent took it counts as an unanswered attempt."""
        await self._failed(ident, now)

    async def claims(self, not_before: datetime) -> Sequence[Claim]:
        """Callbacks in calling untouched since ``not_before``, with the attempt their key has."""
        async with self.sessionmaker() as session:
            calling = await callbacks.listing(session, CallbackState.CALLING)
        return [Claim(row.id, row.attempts) for row in calling if row.updated_at <= not_before]

    async def _failed(self, ident: int, now: datetime) -> None:
        async with self.sessionmaker() as session:
            row = await session.get(CallbackRequest, ident)
            if row is None or row.state != CallbackState.CALLING.value:
                return  # answered, or settled by another report
            event = CallbackEvent.GIVE_UP if row.attempts >= self.attempts \
                else CallbackEvent.NO_ANSWER
            await _move(session, ident, event, now)


def _call(row: CallbackRequest) -> OutboundCall:
    # HOTLINE_CALLBACK_NUMBER: the dialplan shows the agents the citizen's number, not ours,
    # whatever the dial template (a trunk's PJSIP/… name carries no number to read)
    tags = {"HOTLINE_CALLBACK_ID": str(row.id), "HOTLINE_QUEUE": row.queue or "",
            "HOTLINE_LINE": row.source_line or "", "HOTLINE_CALLBACK_NUMBER": row.caller_number}
    return OutboundCall(row.id, row.caller_number, CONTEXT, "s", row.attempts,
                        {name: value for name, value in tags.items() if value})


async def _move(session: AsyncSession, ident: int, event: CallbackEvent, now: datetime) -> None:
    with contextlib.suppress(callbacks.IllegalCallbackTransition, callbacks.CallbackNotFound):
        await callbacks.move(session, ident, event, now)
