"""Moving booked attempts: to the deployment's current calling windows, or to now on request.

An attempt is booked for the first open moment of the windows after it may be made (the
revisit's creation for the first, the previous attempt's end plus the retry spacing for the
next). Windows an administrator widens or narrows move the attempts booked before; a
reviewer's "call now" moves one to this moment, inside a window.
"""

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tickets.database import commit
from tickets.revisits.errors import NothingToCall, OutsideCallingWindows, RevisitNotFound
from tickets.revisits.machine import AttemptState, RevisitState
from tickets.revisits.models import Revisit, RevisitAttempt
from tickets.revisits.schedule import RevisitRules

log = logging.getLogger(__name__)


async def rebook(session: AsyncSession, rules: RevisitRules, limit: int = 500) -> int:
    """Book each waiting attempt for the first open moment the current windows allow."""
    waiting = (await session.execute(
        select(RevisitAttempt, Revisit).join(Revisit, Revisit.id == RevisitAttempt.revisit_id)
        .where(RevisitAttempt.state == AttemptState.SCHEDULED.value,
               Revisit.state == RevisitState.PENDING.value)
        .order_by(RevisitAttempt.id).limit(limit))).all()
    moved = 0
    for attempt, revisit in waiting:
        due = rules.windows.next_open(await _may_call_from(session, rules, attempt, revisit))
        if due != attempt.due_at:
            log.info("revisit %d: attempt %d moved from %s to %s (calling windows)",
                     revisit.id, attempt.number, attempt.due_at.isoformat(), due.isoformat())
            attempt.due_at = due
            moved += 1
    await commit(session)
    return moved


async def _may_call_from(session: AsyncSession, rules: RevisitRules, attempt: RevisitAttempt,
                         revisit: Revisit) -> datetime:
    if attempt.number == 1:
        return revisit.created_at
    ended = await session.scalar(select(RevisitAttempt.ended_at).where(
        RevisitAttempt.revisit_id == revisit.id, RevisitAttempt.number == attempt.number - 1))
    return (ended or attempt.updated_at) + rules.retry


async def call_now(session: AsyncSession, rules: RevisitRules, revisit_id: int,
                   now: datetime) -> RevisitAttempt:
    """The revisit's waiting attempt due now: the dialer places it at its next round."""
    revisit = await session.get(Revisit, revisit_id)
    if revisit is None:
        raise RevisitNotFound(f"no revisit {revisit_id}", id=revisit_id)
    attempt = await session.scalar(select(RevisitAttempt).where(
        RevisitAttempt.revisit_id == revisit_id,
        RevisitAttempt.state == AttemptState.SCHEDULED.value))
    if revisit.state != RevisitState.PENDING.value or attempt is None:
        raise NothingToCall(f"revisit {revisit_id} has no call waiting ({revisit.state})",
                            id=revisit_id, state=revisit.state)
    if not rules.windows.contains(now):
        raise OutsideCallingWindows(
            "citizens are not called outside the calling windows",
            id=revisit_id, next_open=rules.windows.next_open(now).isoformat())
    attempt.due_at = now
    await commit(session)
    log.info("revisit %d: attempt %d to be called now", revisit_id, attempt.number)
    return attempt
