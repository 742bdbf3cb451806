"""Scheduling revisits, claiming due attempts, and what follows a call that got no answer.

Every change of an attempt's state is a compare-and-set on its row, so two jobs (a duplicated
run, two nodes during a lease hand-over) never both dial one attempt: the claim is committed
before the Originate is sent.
"""

import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import CursorResult, and_, case, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tickets.database import commit
from tickets.revisits.errors import AttemptNotFound
from tickets.revisits.machine import (
    LIVE,
    AttemptEvent,
    AttemptState,
    RevisitEvent,
    RevisitState,
    attempt_next,
    log_move,
    revisit_next,
)
from tickets.revisits.models import DoNotCall, Revisit, RevisitAttempt
from tickets.revisits.windows import DEFAULT_WINDOWS, CallingWindows
from tickets.workflow.machine import TicketState
from tickets.workflow.models import Ticket

log = logging.getLogger(__name__)

A = AttemptState
REVISIT = TicketState.REVISIT.value


@dataclass(frozen=True)
class RevisitRules:
    """When and how often to call: the deployment's settings, in the domain's terms."""

    windows: CallingWindows = field(default_factory=lambda: CallingWindows.parse(DEFAULT_WINDOWS))
    attempts: int = 3
    retry: timedelta = timedelta(minutes=120)


DEFAULT_RULES = RevisitRules()


class Outcome(StrEnum):
    """What a report about an attempt led to."""

    RECORDED = "recorded"
    ALREADY = "already"  # the attempt had ended: a repeated report changes nothing
    NEXT_SCHEDULED = "next-scheduled"
    HANDED_OVER = "handed-over"
    TICKET_MOVED = "ticket-moved"  # the ticket was evaluated or closed by a person meanwhile


@dataclass(frozen=True)
class Claimed:
    """An attempt this dialer now owns: call ``phone`` once, keyed by the attempt id.

    ``survey_token`` goes on the call's channel: the survey trusts a call that carries it.
    """

    attempt_id: int
    revisit_id: int
    number: int
    phone: str
    survey_token: str = field(repr=False)


def dialable(phone: str | None) -> str:
    """The digits of a phone number; empty when there is none to call."""
    return "".join(ch for ch in phone or "" if ch.isdigit())


async def move_attempt(session: AsyncSession, attempt: RevisitAttempt, event: AttemptEvent,
                       now: datetime, *, why: str = "", **values: Any) -> bool:
    """Apply ``event`` if the row is still where ``attempt`` says; False when it moved on."""
    old = attempt.state
    new = attempt_next(old, event, attempt_id=attempt.id)
    result = cast(CursorResult[Any], await session.execute(
        update(RevisitAttempt).where(RevisitAttempt.id == attempt.id, RevisitAttempt.state == old)
        .values(state=new.value, updated_at=now, **values)))
    if result.rowcount != 1:
        return False
    log_move("attempt", attempt.id, old, event.value, new.value, why)
    return True


def move_revisit(revisit: Revisit, event: RevisitEvent, now: datetime, why: str = "") -> None:
    """Apply ``event`` to a loaded revisit (its version column refuses a lost race)."""
    old = revisit.state
    revisit.state = revisit_next(old, event, revisit_id=revisit.id).value
    revisit.updated_at = now
    log_move("revisit", revisit.id, old, event.value, revisit.state, why)


async def hand_over(session: AsyncSession, revisit: Revisit, reason: str, now: datetime) -> None:
    """To a person (the manual list) and to the SMS/WeChat webhook; open attempts cancelled."""
    for attempt in await session.scalars(select(RevisitAttempt).where(
            RevisitAttempt.revisit_id == revisit.id, RevisitAttempt.state == A.SCHEDULED.value)):
        await move_attempt(session, attempt, AttemptEvent.CANCEL, now, why=reason)
    move_revisit(revisit, RevisitEvent.HAND_OVER, now, reason)
    revisit.handed_over_at, revisit.handover_reason = now, reason
    revisit.notify_state, revisit.notify_next_at = "pending", now


async def on_do_not_call(session: AsyncSession, phone: str) -> bool:
    """Whether the citizen at ``phone`` asked not to be called again."""
    return phone != "" and await session.get(DoNotCall, phone) is not None


async def schedule_pending(session: AsyncSession, rules: RevisitRules, now: datetime,
                           limit: int = 500) -> list[Revisit]:
    """A revisit for each ticket awaiting one (reply approved), its first attempt in a window."""
    owed = ~exists().where(Revisit.ticket_id == Ticket.id, Revisit.round == Ticket.rehandle_count)
    rows = (await session.execute(
        select(Ticket.id, Ticket.number, Ticket.rehandle_count, Ticket.requester_phone)
        .where(Ticket.is_open.is_(True), Ticket.state == REVISIT, owed)
        .order_by(Ticket.id).limit(limit))).all()
    made = []
    for ticket_id, number, round_, phone in rows:
        revisit = Revisit(ticket_id=ticket_id, round=round_, phone=dialable(phone),
                          created_at=now, updated_at=now)
        session.add(revisit)
        await session.flush()
        log.info("revisit %d scheduled for ticket %s (round %d)", revisit.id, number, round_)
        if not revisit.phone:
            await hand_over(session, revisit, "no-phone", now)
        elif await on_do_not_call(session, revisit.phone):
            await hand_over(session, revisit, "do-not-call", now)
        else:
            session.add(RevisitAttempt(revisit_id=revisit.id, number=1,
                                       due_at=rules.windows.next_open(now), updated_at=now))
        made.append(revisit)
    await commit(session)  # a unique (ticket, round) refuses a second scheduler's copy
    return made


async def settle_moved(session: AsyncSession, now: datetime, limit: int = 500) -> int:
    """Revisits whose ticket a person evaluated or closed meanwhile leave the lists."""
    still_owed = and_(Ticket.state == REVISIT, Ticket.rehandle_count == Revisit.round)
    revisits = (await session.scalars(
        select(Revisit).join(Ticket, Ticket.id == Revisit.ticket_id)
        .where(Revisit.state.in_((RevisitState.PENDING.value, RevisitState.HANDED_OVER.value)),
               ~still_owed).order_by(Revisit.id).limit(limit))).all()
    for revisit in revisits:
        live = await session.scalar(select(RevisitAttempt.id).where(
            RevisitAttempt.revisit_id == revisit.id,
            RevisitAttempt.state.in_([s.value for s in LIVE])))
        if live is not None:
            continue  # a call is on: its outcome settles it
        for attempt in await session.scalars(select(RevisitAttempt).where(
                RevisitAttempt.revisit_id == revisit.id,
                RevisitAttempt.state == A.SCHEDULED.value)):
            await move_attempt(session, attempt, AttemptEvent.CANCEL, now, why="ticket moved")
        move_revisit(revisit, RevisitEvent.SETTLE, now, "the ticket left the revisit state")
    await commit(session)
    return len(revisits)


async def claim_due(session: AsyncSession, rules: RevisitRules, token: str, now: datetime,
                    limit: int) -> list[Claimed]:
    """Claim up to ``limit`` due attempts for dialer ``token``, committed before any call."""
    if limit <= 0 or not rules.windows.contains(now):
        return []
    rows = (await session.execute(
        select(RevisitAttempt, Revisit.phone)
        .join(Revisit, Revisit.id == RevisitAttempt.revisit_id)
        .join(Ticket, Ticket.id == Revisit.ticket_id)
        .where(RevisitAttempt.state == A.SCHEDULED.value, RevisitAttempt.due_at <= now,
               Revisit.state == RevisitState.PENDING.value, Ticket.state == REVISIT,
               Ticket.rehandle_count == Revisit.round)
        .order_by(RevisitAttempt.due_at, RevisitAttempt.id).limit(limit))).all()
    phones = {phone for _, phone in rows}
    barred = set((await session.scalars(
        select(DoNotCall.number).where(DoNotCall.number.in_(phones)))).all()) if phones else set()
    for attempt, phone in rows:
        if phone in barred:  # asked after this attempt was scheduled
            await hand_over(session, await session.get_one(Revisit, attempt.revisit_id),
                            "do-not-call", now)
    ready = [(attempt, phone) for attempt, phone in rows if phone not in barred]
    won: set[int] = set()
    secrets_of = {attempt.id: secrets.token_hex(16) for attempt, _ in ready}
    if ready:
        won = set((await session.scalars(
            update(RevisitAttempt)
            .where(RevisitAttempt.id.in_(list(secrets_of)),
                   RevisitAttempt.state == A.SCHEDULED.value)
            .values(state=A.CALLING.value, claim_token=token, claimed_at=now, updated_at=now,
                    survey_token=case(secrets_of, value=RevisitAttempt.id))
            .returning(RevisitAttempt.id).execution_options(synchronize_session=False))).all())
    await commit(session)
    for attempt, _ in ready:
        if attempt.id in won:
            log_move("attempt", attempt.id, A.SCHEDULED.value, AttemptEvent.CLAIM.value,
                     A.CALLING.value, token)
    return [Claimed(a.id, a.revisit_id, a.number, phone, secrets_of[a.id])
            for a, phone in ready if a.id in won]


async def _attempt(session: AsyncSession, attempt_id: int) -> RevisitAttempt:
    attempt = await session.get(RevisitAttempt, attempt_id, populate_existing=True)
    if attempt is None:
        raise AttemptNotFound(f"no revisit attempt {attempt_id}", attempt=attempt_id)
    return attempt


async def release(session: AsyncSession, attempt_id: int, token: str, now: datetime) -> bool:
    """Give back a claim whose Originate never left this node (no call can exist)."""
    attempt = await _attempt(session, attempt_id)
    if attempt.claim_token != token or attempt.state != A.CALLING.value:
        return False
    done = await move_attempt(session, attempt, AttemptEvent.RELEASE, now,
                              why="originate not sent", claim_token=None, claimed_at=None,
                              survey_token=None)
    await commit(session)
    return done


async def mark_answered(session: AsyncSession, attempt_id: int, uniqueid: str,
                        now: datetime) -> bool:
    """The citizen picked up; the survey takes over. A late report changes nothing."""
    attempt = await _attempt(session, attempt_id)
    if attempt.state != A.CALLING.value:
        log.info("attempt %d: answer reported while %s: nothing to do", attempt_id, attempt.state)
        return False
    done = await move_attempt(session, attempt, AttemptEvent.ANSWER, now,
                              answered_at=now, uniqueid=uniqueid or None)
    await commit(session)
    return done


async def conclude(session: AsyncSession, attempt_id: int, event: AttemptEvent, reason: str,
                   now: datetime, rules: RevisitRules = DEFAULT_RULES) -> Outcome:
    """A call that ended without an answer: the next attempt in a window, or a person."""
    attempt = await _attempt(session, attempt_id)
    if AttemptState(attempt.state) not in LIVE:
        # A survey recorded and then the call hung up: the normal end of a good revisit,
        # not news (logged at every one, it drowned the log). Anything else is worth a line.
        quiet = attempt.state == A.DONE.value
        (log.debug if quiet else log.info)(
            "attempt %d: %s reported while %s: nothing to do", attempt_id, event.value,
            attempt.state)
        return Outcome.ALREADY
    if not await move_attempt(session, attempt, event, now, why=reason, ended_at=now,
                              outcome=reason[:80]):
        await session.rollback()
        return Outcome.ALREADY
    revisit = await session.get_one(Revisit, attempt.revisit_id)
    outcome = await _after_failure(session, rules, attempt, revisit, now)
    await commit(session)
    return outcome


async def _after_failure(session: AsyncSession, rules: RevisitRules, attempt: RevisitAttempt,
                         revisit: Revisit, now: datetime) -> Outcome:
    if revisit.state != RevisitState.PENDING.value:
        return Outcome.TICKET_MOVED
    if attempt.number < rules.attempts:
        due = rules.windows.next_open(now + rules.retry)
        session.add(RevisitAttempt(revisit_id=revisit.id, number=attempt.number + 1,
                                   due_at=due, updated_at=now))
        log.info("revisit %d: attempt %d due at %s", revisit.id, attempt.number + 1,
                 due.isoformat())
        return Outcome.NEXT_SCHEDULED
    await hand_over(session, revisit, "attempts-exhausted", now)
    return Outcome.HANDED_OVER


async def live_attempts(session: AsyncSession, not_before: datetime
                        ) -> Sequence[tuple[int, str]]:
    """Attempts in calling or answered untouched since ``not_before``: (id, state)."""
    rows = await session.execute(
        select(RevisitAttempt.id, RevisitAttempt.state)
        .where(RevisitAttempt.state.in_([s.value for s in LIVE]),
               RevisitAttempt.updated_at <= not_before)
        .order_by(RevisitAttempt.id))
    return [(ident, state) for ident, state in rows.all()]
