"""Handling: extensions, suspension, the unit's reply and the completion review."""

from datetime import datetime, timedelta

from kernel.clock import beijing, end_of_day
from tickets.deadlines import add_working_days, due_after, working_days_between
from tickets.errors import ExtensionRefused, SuspensionRefused
from tickets.policy.schema import Period, PeriodUnit
from tickets.workflow.context import Context, apply_event, check_version
from tickets.workflow.dispatching import check_lead_unit
from tickets.workflow.errors import ReasonRequired
from tickets.workflow.machine import TicketEvent
from tickets.workflow.models import Ticket
from tickets.workflow.schemas import Action, Extension, Reply, Suspension


def _original_period(ticket: Ticket) -> Period:
    return Period(ticket.period_amount or 0, PeriodUnit(ticket.period_unit or "working_days"),
                  "original handling period")


def _extend_due(due: datetime, period: Period, ctx: Context) -> tuple[datetime, bool]:
    """``due`` moved on by ``period``; working days count from the due day itself."""
    if period.unit is PeriodUnit.HOURS:
        return due + timedelta(hours=period.amount), False
    if period.unit is PeriodUnit.NATURAL_DAYS:
        return end_of_day(beijing(due).date() + timedelta(days=period.amount)), False
    day, provisional = add_working_days(beijing(due).date(), period.amount, ctx.calendar)
    return end_of_day(day), provisional


def _check_lead_time(ctx: Context, ticket: Ticket, due: datetime) -> None:
    rule = ctx.policy.extension
    if rule is None or rule.min_lead is None:
        return
    latest = due - timedelta(hours=rule.min_lead.amount * (
        1 if rule.min_lead.unit is PeriodUnit.HOURS else 24))
    if rule.min_lead.unit is PeriodUnit.WORKING_DAYS:
        enough = working_days_between(beijing(ctx.clock()).date(), beijing(due).date(),
                                      ctx.calendar) >= rule.min_lead.amount
    else:
        enough = ctx.clock() <= latest
    if not enough:
        raise ExtensionRefused(
            f"an extension must be asked {rule.min_lead.describe()} before the due time",
            ticket=ticket.number, due=due.isoformat(), article=rule.min_lead.article,
        )


def extend(ctx: Context, ticket: Ticket, body: Extension) -> None:
    """延期 within the profile's count, length, lead time and sign-off."""
    check_version(ticket, body.version)
    check_lead_unit(ticket, ctx.actor)
    rule = ctx.policy.extension
    if rule is None or ticket.handle_due is None:
        raise ExtensionRefused(f"the {ctx.policy.name} profile allows no extension",
                               ticket=ticket.number)
    if ticket.extension_count >= rule.max_count:
        raise ExtensionRefused(
            f"at most {rule.max_count} extensions ({rule.article}); {rule.after_limit}",
            ticket=ticket.number, extensions=ticket.extension_count, article=rule.article)
    nth = ticket.extension_count + 1
    if rule.leader_signoff_from is not None and nth >= rule.leader_signoff_from \
            and not body.leader_signoff:
        raise ExtensionRefused(
            f"extension {nth} needs the unit leader's sign-off ({rule.article})",
            ticket=ticket.number, article=rule.article, needs="leader_signoff")
    _check_lead_time(ctx, ticket, ticket.handle_due)
    allowed = rule.length or _original_period(ticket)
    amount = min(body.working_days or allowed.amount, allowed.amount)
    if body.working_days is not None and body.working_days > allowed.amount:
        raise ExtensionRefused(
            f"an extension is at most {allowed.describe()}", ticket=ticket.number,
            asked=body.working_days, allowed=allowed.amount)
    new_due, provisional = _extend_due(ticket.handle_due, Period(amount, allowed.unit, ""), ctx)
    apply_event(ctx, ticket, TicketEvent.EXTEND, reason=body.reason, data={
        "nth": nth, "old_due": ticket.handle_due.isoformat(), "new_due": new_due.isoformat(),
        "leader_signoff": body.leader_signoff, "article": rule.article})
    ticket.handle_due = new_due
    ticket.due_provisional = ticket.due_provisional or provisional
    ticket.extension_count = nth


def suspend(ctx: Context, ticket: Ticket, body: Suspension) -> None:
    """挂单: a law fixes a longer period; the clock stops, for at most the profile's limit."""
    check_version(ticket, body.version)
    check_lead_unit(ticket, ctx.actor)
    rule = ctx.policy.suspension
    if rule is None:
        raise SuspensionRefused(f"the {ctx.policy.name} profile has no suspension",
                                ticket=ticket.number)
    now = ctx.clock()
    limit = due_after(now, rule.max_period, ctx.calendar).at
    if body.until <= now or body.until > limit:
        raise SuspensionRefused(
            f"suspend until a time after now and at most {rule.max_period.describe()}",
            ticket=ticket.number, until=body.until.isoformat(), latest=limit.isoformat())
    apply_event(ctx, ticket, TicketEvent.SUSPEND, reason=body.legal_basis,
                data={"until": body.until.isoformat(), "article": rule.article})
    ticket.suspended_at, ticket.suspended_until = now, body.until


def resume(ctx: Context, ticket: Ticket, body: Action) -> None:
    """The suspension ends: the deadline moves on by the time it stood still."""
    check_version(ticket, body.version)
    now = ctx.clock()
    if ticket.handle_due is not None and ticket.suspended_at is not None:
        if ticket.period_unit == PeriodUnit.WORKING_DAYS.value:
            left = working_days_between(beijing(ticket.suspended_at).date(),
                                        beijing(ticket.handle_due).date(), ctx.calendar)
            day, provisional = add_working_days(beijing(now).date(), left, ctx.calendar)
            ticket.handle_due = end_of_day(day)
            ticket.due_provisional = ticket.due_provisional or provisional
        else:
            ticket.handle_due += now - ticket.suspended_at
    apply_event(ctx, ticket, TicketEvent.RESUME, reason=body.reason,
                data={"handle_due": ticket.handle_due.isoformat() if ticket.handle_due else None})
    ticket.suspended_at = ticket.suspended_until = None


def reply(ctx: Context, ticket: Ticket, body: Reply) -> None:
    """答复: the lead unit's reply; late if past the handling deadline."""
    check_version(ticket, body.version)
    check_lead_unit(ticket, ctx.actor)
    now = ctx.clock()
    late = ticket.handle_due is not None and now > ticket.handle_due
    apply_event(ctx, ticket, TicketEvent.REPLY, reason=body.reason, data={"late": late})
    ticket.reply, ticket.replied_at, ticket.replied_late = body.reply, now, late


def approve_reply(ctx: Context, ticket: Ticket, body: Action) -> None:
    """The completion review approves the reply; the revisit comes next."""
    check_version(ticket, body.version)
    apply_event(ctx, ticket, TicketEvent.APPROVE_REPLY, reason=body.reason)


def reject_reply(ctx: Context, ticket: Ticket, body: Action) -> None:
    """Sent back: the deadline still counts from first receipt (zhanjiang 第十三条)."""
    check_version(ticket, body.version)
    if not body.reason.strip():
        raise ReasonRequired("say why the reply is sent back", ticket=ticket.number)
    apply_event(ctx, ticket, TicketEvent.REJECT_REPLY, reason=body.reason)
    ticket.replied_at = None
