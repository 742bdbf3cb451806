"""The survey side: what the IVR's revisit route reads and records, each answer exactly once.

The route runs on whichever node Asterisk's FastAGI reaches and calls these through the
composition root; they share nothing with the dialer but the database.
"""

import hmac
import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from tickets.calendar.service import load_calendar
from tickets.calendar.workdays import WorkingCalendar
from tickets.database import commit
from tickets.enums import Role
from tickets.policy.registry import get_policy
from tickets.principal import Principal
from tickets.revisits.errors import SurveyIncomplete
from tickets.revisits.machine import (
    LIVE,
    AttemptEvent,
    AttemptState,
    RevisitEvent,
    RevisitState,
    attempt_next,
)
from tickets.revisits.models import DoNotCall, Revisit, RevisitAttempt
from tickets.revisits.schedule import (
    DEFAULT_RULES,
    REVISIT,
    Outcome,
    RevisitRules,
    _attempt,
    conclude,
    hand_over,
    move_attempt,
    move_revisit,
)
from tickets.workflow.context import Context
from tickets.workflow.errors import InvalidEvaluation
from tickets.workflow.evaluation import evaluate
from tickets.workflow.models import Ticket
from tickets.workflow.schemas import EvaluationIn

log = logging.getLogger(__name__)

# who the ticket's history names for an automated revisit's evaluation (wuhai 6.8.2 智能回访)
REVISIT_ACTOR = Principal(user_id=None, username="revisit-ivr", role=Role.ADMIN)
CHANNEL = "phone-auto"


@dataclass(frozen=True)
class RevisitScript:
    """What the survey says and asks: the ticket by number and summary, the scale best first."""

    attempt_id: int
    ticket_number: str
    summary: str
    scale: tuple[str, ...]
    profile: str


def _owed(ticket: Ticket, revisit: Revisit) -> bool:
    """The ticket still awaits this revisit (not evaluated or closed by a person meanwhile)."""
    return (ticket.state == REVISIT and ticket.rehandle_count == revisit.round
            and revisit.state == RevisitState.PENDING.value)


async def survey_script(session: AsyncSession, attempt_id: int) -> RevisitScript | None:
    """The script of a call in progress; None when there is nothing to ask (logged)."""
    attempt = await session.get(RevisitAttempt, attempt_id)
    if attempt is None or AttemptState(attempt.state) not in LIVE:
        log.warning("survey for attempt %s: no call in progress (%s)", attempt_id,
                    attempt.state if attempt else "unknown attempt")
        return None
    revisit = await session.get_one(Revisit, attempt.revisit_id)
    ticket = await session.get_one(Ticket, revisit.ticket_id)
    if not _owed(ticket, revisit):
        log.warning("survey for attempt %d: ticket %s no longer awaits it", attempt_id,
                    ticket.number)
        return None
    policy = get_policy(ticket.profile)
    return RevisitScript(attempt.id, ticket.number or str(ticket.id), ticket.summary,
                         policy.evaluation.scale, policy.name)


async def call_is_ours(session: AsyncSession, attempt_id: int, token: str) -> bool:
    """Whether ``token`` is the secret the dialer gave the call it is placing for the attempt."""
    attempt = await session.get(RevisitAttempt, attempt_id, populate_existing=True)
    if attempt is None or AttemptState(attempt.state) not in LIVE or not attempt.survey_token:
        return False
    return hmac.compare_digest(attempt.survey_token.encode(), token.encode())


async def record_answer(
    session: AsyncSession, attempt_id: int, rating: str | None, solved: bool | None,
    do_not_call: bool, now: datetime, *, calendar: WorkingCalendar | None = None,
) -> Outcome:
    """Record the citizen's answer once; the workflow re-handles or supervises as it says.

    ``rating`` is a level of the ticket's profile scale; None only with ``do_not_call`` (the
    citizen asked not to be called and gave no rating: a person takes the revisit over).
    A second report for the same attempt changes nothing.
    """
    attempt = await _attempt(session, attempt_id)
    if attempt.state == AttemptState.DONE.value:
        log.info("attempt %d: answer already recorded; the repeat changes nothing", attempt_id)
        return Outcome.ALREADY
    attempt_next(attempt.state, AttemptEvent.RECORD, attempt_id=attempt_id)  # refuses ended
    revisit = await session.get_one(Revisit, attempt.revisit_id)
    ticket = await session.get_one(Ticket, revisit.ticket_id, with_for_update=True,
                                   populate_existing=True)
    policy = get_policy(ticket.profile)
    if rating is None and not do_not_call:
        raise SurveyIncomplete("a survey answer needs a rating, or the do-not-call request",
                               attempt=attempt_id)
    if rating is not None and rating not in policy.evaluation.scale:
        raise InvalidEvaluation(f"{rating!r} is not on the {policy.name} scale", level=rating,
                                scale=list(policy.evaluation.scale))
    owed = _owed(ticket, revisit)  # read before the evaluation moves the ticket on
    why = f"{rating or 'no rating'}{', do not call' if do_not_call else ''}"
    if not await move_attempt(session, attempt, AttemptEvent.RECORD, now, why=why,
                              ended_at=now, outcome=why[:80]):
        await session.rollback()
        if (await _attempt(session, attempt_id)).state == AttemptState.DONE.value:
            log.info("attempt %d: answer recorded meanwhile; this one changes nothing",
                     attempt_id)
            return Outcome.ALREADY
        attempt_next(attempt.state, AttemptEvent.RECORD, attempt_id=attempt_id)
    if do_not_call and revisit.phone:
        await session.merge(DoNotCall(number=revisit.phone, at=now, ticket_id=ticket.id))
        log.info("revisit %d: the citizen asked not to be called again", revisit.id)
    if not owed:
        if revisit.state != RevisitState.DONE.value:
            move_revisit(revisit, RevisitEvent.SETTLE, now, "the ticket moved before the answer")
        outcome = Outcome.TICKET_MOVED
    elif rating is not None:
        ctx = Context(session, policy, calendar or await load_calendar(session), lambda: now,
                      REVISIT_ACTOR)
        await evaluate(ctx, ticket, EvaluationIn(level=rating, solved=solved, channel=CHANNEL))
        move_revisit(revisit, RevisitEvent.EVALUATE, now, rating)
        outcome = Outcome.RECORDED
    else:
        await hand_over(session, revisit, "do-not-call", now)
        outcome = Outcome.HANDED_OVER
    await commit(session)
    return outcome


async def record_abandoned(session: AsyncSession, attempt_id: int, reason: str, now: datetime,
                           *, rules: RevisitRules = DEFAULT_RULES) -> Outcome:
    """The call ended without an answer (hang-up mid-survey): a failed attempt, then the next."""
    return await conclude(session, attempt_id, AttemptEvent.FAIL, reason, now, rules)
