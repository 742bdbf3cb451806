"""The hand-over outbox: each hand-over is told to the SMS/WeChat webhook, retried by a job.

The domain records what is owed and how each try went; the composition root does the HTTP.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tickets.database import commit
from tickets.policy.registry import get_policy
from tickets.revisits.models import Revisit
from tickets.workflow.models import Ticket

log = logging.getLogger(__name__)

MAX_TRIES = 8
FIRST_RETRY = timedelta(seconds=30)
LAST_RETRY = timedelta(hours=1)


@dataclass(frozen=True)
class HandOver:
    """What the webhook is told: a revisit a person (and SMS/WeChat) must now make."""

    revisit_id: int
    ticket_number: str
    phone: str
    reason: str
    summary: str
    scale: tuple[str, ...]
    handed_over_at: datetime

    def payload(self) -> dict[str, object]:
        """The JSON body: the receiver de-duplicates retries by ``id``."""
        return {"event": "revisit-handed-over", "id": f"revisit-{self.revisit_id}",
                "ticket": self.ticket_number, "phone": self.phone, "reason": self.reason,
                "summary": self.summary, "scale": list(self.scale),
                "handed_over_at": self.handed_over_at.isoformat()}


async def due_handovers(session: AsyncSession, now: datetime, limit: int = 50
                        ) -> Sequence[HandOver]:
    """Hand-overs whose webhook call is due."""
    rows = (await session.execute(
        select(Revisit, Ticket.number, Ticket.summary, Ticket.profile)
        .join(Ticket, Ticket.id == Revisit.ticket_id)
        .where(Revisit.notify_state == "pending", Revisit.notify_next_at <= now)
        .order_by(Revisit.notify_next_at, Revisit.id).limit(limit))).all()
    return [HandOver(r.id, number or str(r.ticket_id), r.phone, r.handover_reason or "",
                     summary, get_policy(profile).evaluation.scale, r.handed_over_at or now)
            for r, number, summary, profile in rows]


async def handover_sent(session: AsyncSession, revisit_id: int, now: datetime) -> None:
    """The webhook took it."""
    revisit = await session.get_one(Revisit, revisit_id)
    revisit.notify_state, revisit.notify_next_at = "sent", None
    revisit.notify_attempts += 1
    revisit.updated_at = now
    await commit(session)
    log.info("revisit %d: hand-over sent to the webhook", revisit_id)


async def handover_failed(session: AsyncSession, revisit_id: int, error: str,
                          now: datetime) -> bool:
    """A try failed: back off and try again, up to MAX_TRIES. True when it gave up."""
    revisit = await session.get_one(Revisit, revisit_id)
    revisit.notify_attempts += 1
    revisit.notify_error = error[:2000]
    revisit.updated_at = now
    gave_up = revisit.notify_attempts >= MAX_TRIES
    if gave_up:
        revisit.notify_state, revisit.notify_next_at = "failed", None
        log.error("revisit %d: webhook failed %d times, giving up: %s", revisit_id,
                  revisit.notify_attempts, error)
    else:
        wait = min(LAST_RETRY, FIRST_RETRY * (2 ** (revisit.notify_attempts - 1)))
        revisit.notify_next_at = now + wait
        log.warning("revisit %d: webhook try %d failed (%s); again at %s", revisit_id,
                    revisit.notify_attempts, error, revisit.notify_next_at.isoformat())
    await commit(session)
    return gave_up
