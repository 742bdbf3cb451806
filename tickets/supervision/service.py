"""督办: due-soon and overdue scans, reminders, supervision cases, the ladder, same-matter flags.

The commands (remind, supervise, resolve, flag_same_matter) change the session and flush but
do not commit: they run inside a workflow command or a route, which commits. ``run_ladder`` is
a job of its own and commits ticket by ticket.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from kernel.clock import beijing
from tickets.database import commit
from tickets.enums import SupervisionForm
from tickets.errors import DomainError, VersionConflict
from tickets.supervision import errors
from tickets.supervision.models import Reminder, Supervision
from tickets.supervision.scan import (
    UNREPLIED,
    due_soon,
    overdue,
    overdue_clause,
    scan,
)
from tickets.supervision.schemas import ReminderForm, Trigger
from tickets.workflow.context import Context, apply_event, record
from tickets.workflow.machine import TicketEvent, TicketState
from tickets.workflow.models import Ticket

__all__ = ["due_soon", "overdue", "scan"]  # the lists live in scan.py

log = logging.getLogger(__name__)



async def flush(session: AsyncSession) -> None:
    """Flush, turning a lost optimistic-lock race into :class:`VersionConflict`."""
    try:
        await session.flush()
    except StaleDataError as exc:
        raise VersionConflict("someone else changed this ticket first; reload it") from exc


def _check_phone_round(ctx: Context, ticket: Ticket) -> None:
    """wuhai 6.5: after the set number of phone reminders without a reply, supervise."""
    limit = ctx.policy.supervision.phone_reminders_before_supervision
    if limit <= 0 or ticket.phone_reminders < limit or ticket.under_supervision:
        return
    if ticket.state in UNREPLIED:
        raise errors.RemindersExhausted(
            f"the unit has had {ticket.phone_reminders} phone reminders without a reply; "
            f"open a supervision instead ({ctx.policy.supervision.article})",
            ticket=ticket.number, phone_reminders=ticket.phone_reminders, limit=limit,
            next_step=f"POST /supervision/tickets/{ticket.number}/supervisions",
        )


async def remind(
    ctx: Context, ticket: Ticket, form: ReminderForm, contact: str = "", note: str = ""
) -> Reminder:
    """Record a reminder to the unit (催办); phone reminders count towards the phone round."""
    if form is ReminderForm.PHONE:
        _check_phone_round(ctx, ticket)
    count = ticket.phone_reminders + (1 if form is ReminderForm.PHONE else 0)
    apply_event(ctx, ticket, TicketEvent.REMIND, reason=note,
                data={"form": form.value, "contact": contact, "phone_reminders": count})
    ticket.phone_reminders = count
    reminder = Reminder(ticket_id=ticket.id, at=ctx.clock(), by_id=ctx.actor.user_id,
                        by=ctx.actor.username, form=form.value, contact=contact, note=note)
    ctx.session.add(reminder)
    await flush(ctx.session)
    return reminder


def _trigger(value: Trigger | str) -> Trigger:
    try:
        return Trigger(value)
    except ValueError:
        raise errors.UnknownTrigger(f"unknown supervision trigger {value!r}",
                                    trigger=str(value), known=[t.value for t in Trigger]) from None


async def supervise(
    ctx: Context, ticket: Ticket, trigger: Trigger | str,
    form: SupervisionForm = SupervisionForm.SYSTEM, note: str = "",
) -> Supervision:
    """Open a supervision case (督办) on ``ticket``; the same trigger and form only once."""
    cause = _trigger(trigger)
    duplicate = await ctx.session.scalar(select(Supervision.id).where(
        Supervision.ticket_id == ticket.id, Supervision.resolved_at.is_(None),
        Supervision.trigger == cause.value, Supervision.form == form.value))
    if duplicate is not None:
        raise errors.SupervisionAlreadyOpen(
            f"a {form.value} supervision for {cause.value} is already open on this ticket",
            ticket=ticket.number, supervision_id=duplicate)
    apply_event(ctx, ticket, TicketEvent.SUPERVISE, reason=note,
                data={"trigger": cause.value, "form": form.value})
    ticket.under_supervision = True
    case_ = Supervision(ticket_id=ticket.id, at=ctx.clock(), trigger=cause.value,
                        form=form.value, by_id=ctx.actor.user_id, by=ctx.actor.username,
                        note=note)
    ctx.session.add(case_)
    await flush(ctx.session)
    log.info("ticket %s: supervision %s opened (%s, %s)", ticket.number, case_.id,
             cause.value, form.value)
    return case_


async def resolve(ctx: Context, supervision_id: int, resolution: str) -> Supervision:
    """Close a supervision case with its outcome; the ticket leaves supervision with its last."""
    case_ = await ctx.session.get(Supervision, supervision_id, with_for_update=True)
    if case_ is None:
        raise errors.SupervisionNotFound(f"no supervision {supervision_id}", id=supervision_id)
    if case_.resolved_at is not None:
        raise errors.SupervisionAlreadyResolved(
            "this supervision is already resolved", id=supervision_id,
            resolved_at=case_.resolved_at.isoformat())
    case_.resolved_at, case_.resolution = ctx.clock(), resolution
    await flush(ctx.session)
    ticket = await ctx.session.get_one(Ticket, case_.ticket_id)
    still_open = await ctx.session.scalar(select(func.count()).where(
        Supervision.ticket_id == ticket.id, Supervision.resolved_at.is_(None)))
    ticket.under_supervision = bool(still_open)
    record(ctx, ticket, "resolve-supervision", ticket.state, ticket.state, reason=resolution,
           data={"supervision_id": case_.id, "trigger": case_.trigger})
    await flush(ctx.session)
    return case_


async def cases_of(
    session: AsyncSession, ticket: Ticket
) -> tuple[Sequence[Reminder], Sequence[Supervision]]:
    """A ticket's reminders and supervisions, oldest first."""
    reminders = await session.scalars(
        select(Reminder).where(Reminder.ticket_id == ticket.id).order_by(Reminder.id))
    cases = await session.scalars(
        select(Supervision).where(Supervision.ticket_id == ticket.id).order_by(Supervision.id))
    return reminders.all(), cases.all()


@dataclass
class LadderRun:
    """What one run of the ladder did."""

    supervised: list[str] = field(default_factory=list)  # ticket numbers
    awaiting_phone_round: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


async def run_ladder(ctx: Context, now: datetime | None = None) -> LadderRun:
    """Open a system supervision on each overdue ticket that has none open; idempotent.

    Where the profile asks for a phone round first (wuhai 6.5), a ticket waits until it has
    had that many phone reminders. Tickets sent back to the centre (returned) are the centre's
    to decide, so the ladder leaves them alone. Commits after each ticket.
    """
    moment = now or ctx.clock()
    limit = ctx.policy.supervision.phone_reminders_before_supervision
    trigger = Trigger.REMINDERS_EXHAUSTED if limit > 0 else Trigger.OVERDUE
    no_open_case = ~exists().where(Supervision.ticket_id == Ticket.id,
                                   Supervision.resolved_at.is_(None))
    rows = (await ctx.session.execute(
        select(Ticket.id, Ticket.number, Ticket.phone_reminders).where(
            overdue_clause(moment), Ticket.state != TicketState.RETURNED.value, no_open_case,
        ).order_by(Ticket.handle_due, Ticket.id))).all()
    run = LadderRun()
    for ticket_id, number, reminders in rows:
        if reminders < limit:
            run.awaiting_phone_round.append(number or str(ticket_id))
            continue
        await _ladder_step(ctx, ticket_id, number or str(ticket_id), trigger, run)
    return run


async def _ladder_step(
    ctx: Context, ticket_id: int, number: str, trigger: Trigger, run: LadderRun
) -> None:
    try:
        ticket = await ctx.session.get_one(Ticket, ticket_id, with_for_update=True,
                                           populate_existing=True)
        await supervise(ctx, ticket, trigger, SupervisionForm.SYSTEM,
                        f"overdue since {beijing(ticket.handle_due or ctx.clock()):%Y-%m-%d %H:%M}")
        await commit(ctx.session)
        run.supervised.append(number)
    except (DomainError, StaleDataError) as exc:
        # A user acted on the ticket meanwhile; the next run sees its new state.
        await ctx.session.rollback()
        log.warning("ladder: ticket %s skipped: %s", number, exc)
        run.failed.append(number)
