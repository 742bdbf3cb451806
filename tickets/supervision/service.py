"""督办: due-soon and overdue scans, reminders, supervision cases, the ladder, same-matter flags.

The commands (remind, supervise, resolve, flag_same_matter) change the session and flush but
do not commit: they run inside a workflow command or a route, which commits. ``run_ladder`` is
a job of its own and commits ticket by ticket.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from tickets.calendar.workdays import WorkingCalendar
from tickets.database import commit
from tickets.deadlines import add_working_days
from tickets.enums import RequestType, SupervisionForm
from tickets.errors import DomainError, VersionConflict
from tickets.policy.schema import Period, PeriodUnit, Policy
from tickets.supervision import errors
from tickets.supervision.models import Reminder, Supervision
from tickets.supervision.schemas import ReminderForm, Trigger
from tickets.timeutil import BEIJING, beijing
from tickets.workflow.context import Context, apply_event, record
from tickets.workflow.machine import SUPERVISABLE, TicketEvent, TicketState
from tickets.workflow.models import Assignment, Ticket

log = logging.getLogger(__name__)

# With a unit (or its request to send it back) and no reply yet. Suspended tickets are left
# out: their clock stands still (wuhai 6.4.1).
UNREPLIED = tuple(s.value for s in (TicketState.DISPATCHED, TicketState.HANDLING,
                                    TicketState.RETURNED))
# tonghua 第二十九条(七) speaks of 投诉举报: both kinds count as complaints about a matter.
COMPLAINTS = (RequestType.COMPLAINT.value, RequestType.REPORT.value)


# --- due-soon and overdue ----------------------------------------------------------------


def overdue_clause(now: datetime) -> ColumnElement[bool]:
    """Open, with the unit, not replied, past its handling deadline."""
    # is_open is implied by the states, but lets the database use ix_tickets_open_due
    return and_(Ticket.is_open.is_(True), Ticket.handle_due < now, Ticket.state.in_(UNREPLIED))


def due_soon_threshold(now: datetime, period: Period, calendar: WorkingCalendar) -> datetime:
    """The first instant a deadline is no longer "due soon".

    In working days: due soon while at most ``amount`` working days remain after today, i.e.
    the deadline falls before the start of the (amount + 1)-th working day from today.
    """
    if period.unit is PeriodUnit.HOURS:
        return now + timedelta(hours=period.amount)
    today = beijing(now).date()
    if period.unit is PeriodUnit.NATURAL_DAYS:
        last: date = today + timedelta(days=period.amount + 1)
    else:
        last, _ = add_working_days(today, period.amount + 1, calendar)
    return datetime.combine(last, time(0), tzinfo=BEIJING)


def due_soon_clause(now: datetime, threshold: datetime) -> ColumnElement[bool]:
    """Open, with the unit, not replied, due between now and ``threshold``."""
    return and_(Ticket.is_open.is_(True), Ticket.handle_due >= now,
                Ticket.handle_due < threshold, Ticket.state.in_(UNREPLIED))


@dataclass(frozen=True)
class Listing:
    """One page of tickets ordered by due date, and how many there are in all."""

    items: Sequence[Ticket]
    total: int


@dataclass(frozen=True)
class Scan:
    """Every due-soon and every overdue ticket, soonest due first."""

    due_soon: Sequence[Ticket]
    overdue: Sequence[Ticket]


async def _listing(
    session: AsyncSession, clause: ColumnElement[bool], unit_id: int | None,
    offset: int, limit: int | None,
) -> Listing:
    statement = select(Ticket).where(clause)
    if unit_id is not None:  # a unit sees only tickets it is (still) assigned to
        statement = statement.where(exists().where(
            Assignment.ticket_id == Ticket.id, Assignment.unit_id == unit_id,
            Assignment.active.is_(True)))
    total = await session.scalar(select(func.count()).select_from(statement.subquery()))
    rows = await session.scalars(
        statement.order_by(Ticket.handle_due, Ticket.id).offset(offset).limit(limit))
    return Listing(rows.all(), total or 0)


async def due_soon(
    session: AsyncSession, policy: Policy, calendar: WorkingCalendar, now: datetime, *,
    unit_id: int | None = None, offset: int = 0, limit: int | None = None,
) -> Listing:
    """Tickets whose handling deadline is within ``policy.supervision.due_soon``."""
    threshold = due_soon_threshold(now, policy.supervision.due_soon, calendar)
    return await _listing(session, due_soon_clause(now, threshold), unit_id, offset, limit)


async def overdue(
    session: AsyncSession, now: datetime, *, unit_id: int | None = None, offset: int = 0,
    limit: int | None = None,
) -> Listing:
    """Tickets past their handling deadline and still not replied."""
    return await _listing(session, overdue_clause(now), unit_id, offset, limit)


async def scan(
    session: AsyncSession, policy: Policy, calendar: WorkingCalendar, now: datetime
) -> Scan:
    """Both lists in full."""
    soon = await due_soon(session, policy, calendar, now)
    late = await overdue(session, now)
    return Scan(soon.items, late.items)


# --- reminders and supervision -------------------------------------------------------------


async def _flush(session: AsyncSession) -> None:
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
    await _flush(ctx.session)
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
    await _flush(ctx.session)
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
    await _flush(ctx.session)
    ticket = await ctx.session.get_one(Ticket, case_.ticket_id)
    still_open = await ctx.session.scalar(select(func.count()).where(
        Supervision.ticket_id == ticket.id, Supervision.resolved_at.is_(None)))
    ticket.under_supervision = bool(still_open)
    record(ctx, ticket, "resolve-supervision", ticket.state, ticket.state, reason=resolution,
           data={"supervision_id": case_.id, "trigger": case_.trigger})
    await _flush(ctx.session)
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


# --- tonghua 第二十九条(七): the same matter complained about N months running -----------------


@dataclass(frozen=True)
class MatterFlag:
    """What ``flag_same_matter`` found and did."""

    flagged: bool
    months: tuple[str, ...]  # the months checked, oldest first, e.g. ("2025-01", ...)
    supervision: Supervision | None = None


def _months_ending(day: date, count: int) -> list[tuple[datetime, datetime]]:
    """``count`` calendar months ending with ``day``'s month, as Beijing [start, end)."""
    starts = []
    year, month = day.year, day.month
    for _ in range(count):
        starts.append(datetime(year, month, 1, tzinfo=BEIJING))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return [(start, _next_month(start)) for start in reversed(starts)]


def _next_month(start: datetime) -> datetime:
    year, month = (start.year, start.month + 1) if start.month < 12 else (start.year + 1, 1)
    return start.replace(year=year, month=month)


def _in_matter(root: int) -> ColumnElement[bool]:
    return or_(Ticket.matter_id == root, Ticket.id == root)


async def _complaints_per_month(
    session: AsyncSession, root: int, months: list[tuple[datetime, datetime]]
) -> list[int]:
    counted = [func.count(case((and_(Ticket.created_at >= s, Ticket.created_at < e), 1)))
               for s, e in months]
    row = (await session.execute(select(*counted).where(
        _in_matter(root), Ticket.request_type.in_(COMPLAINTS),
        Ticket.state.not_in((TicketState.DRAFT.value, TicketState.REFUSED.value)),
        Ticket.created_at >= months[0][0], Ticket.created_at < months[-1][1],
    ))).one()
    return [int(n) for n in row]


async def _matter_target(ctx: Context, ticket: Ticket, root: int) -> Ticket | None:
    """The ticket to supervise: this one if it can be, else the newest open one of the matter."""
    if TicketState(ticket.state) in SUPERVISABLE:
        return ticket
    return await ctx.session.scalar(select(Ticket).where(
        _in_matter(root), Ticket.state.in_([s.value for s in SUPERVISABLE]),
    ).order_by(Ticket.id.desc()).limit(1))


async def flag_same_matter(ctx: Context, ticket: Ticket) -> MatterFlag:
    """Flag accountability when the ticket's matter drew complaints N months running.

    The workflow calls this whenever a ticket is linked to a matter. One open same-matter
    supervision per matter is enough: later tickets are flagged but add no second case.
    """
    needed = ctx.policy.supervision.repeat_months_accountability
    if not needed:
        return MatterFlag(False, ())
    root = ticket.matter_id or ticket.id
    months = _months_ending(beijing(ticket.created_at).date(), needed)
    labels = tuple(f"{start:%Y-%m}" for start, _ in months)
    counts = await _complaints_per_month(ctx.session, root, months)
    if not all(counts):
        return MatterFlag(False, labels)
    if not ticket.accountability_flag:
        ticket.accountability_flag = True
        why = f"complaints in {needed} consecutive months ({ctx.policy.supervision.article})"
        record(ctx, ticket, "accountability", ticket.state, ticket.state, reason=why,
               data={"matter_id": root, "months": list(labels), "complaints": counts})
    open_case = await ctx.session.scalar(select(Supervision.id).join(
        Ticket, Ticket.id == Supervision.ticket_id).where(
        _in_matter(root), Supervision.trigger == Trigger.SAME_MATTER_MONTHS.value,
        Supervision.resolved_at.is_(None)))
    target = None if open_case is not None else await _matter_target(ctx, ticket, root)
    if target is None:
        await _flush(ctx.session)
        return MatterFlag(True, labels)
    note = f"matter {root}: complaints in {', '.join(labels)}"
    case_ = await supervise(ctx, target, Trigger.SAME_MATTER_MONTHS, SupervisionForm.SYSTEM, note)
    return MatterFlag(True, labels, case_)


# --- the periodic ladder -------------------------------------------------------------------


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
