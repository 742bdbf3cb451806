"""Dispatch to units (lead and co-units), returns within the window, signing for a ticket."""

from sqlalchemy import select

from tickets.accounts.models import Unit
from tickets.deadlines import due_after
from tickets.enums import RequestType, UnitRole, Urgency
from tickets.errors import ReturnWindowClosed
from tickets.principal import Principal
from tickets.workflow.context import Context, apply_event, check_version
from tickets.workflow.errors import (
    NotDispatchable,
    NotYourUnit,
    ReasonRequired,
    UnitNotFound,
)
from tickets.workflow.machine import TicketEvent, TicketState
from tickets.workflow.models import Assignment, Ticket
from tickets.workflow.schemas import Action, Dispatch


async def _check_units(ctx: Context, unit_ids: list[int]) -> None:
    found = set(await ctx.session.scalars(
        select(Unit.id).where(Unit.id.in_(unit_ids), Unit.active.is_(True))
    ))
    missing = sorted(set(unit_ids) - found)
    if missing:
        raise UnitNotFound(f"no active unit {missing}", unit_ids=missing)


def _end_assignments(ctx: Context, ticket: Ticket) -> None:
    for assignment in ticket.assignments:
        if assignment.active:
            assignment.active = False
            assignment.ended_at = ctx.clock()


def _assign(ctx: Context, ticket: Ticket, body: Dispatch) -> None:
    now = ctx.clock()
    _end_assignments(ctx, ticket)
    ticket.assignments.append(Assignment(
        unit_id=body.lead_unit_id, role=UnitRole.LEAD.value, assigned_at=now))
    for unit_id in dict.fromkeys(body.co_unit_ids):
        if unit_id != body.lead_unit_id:
            ticket.assignments.append(Assignment(
                unit_id=unit_id, role=UnitRole.CO.value, assigned_at=now))
    ticket.lead_unit_id = body.lead_unit_id
    ticket.dispatched_at = now
    if ctx.policy.returns is not None:
        ticket.return_due = due_after(now, ctx.policy.returns.window, ctx.calendar).at


def start_handling_clock(ctx: Context, ticket: Ticket) -> None:
    """Set the handling deadline from now, by the ticket's type, enterprise and urgency."""
    period = ctx.policy.handling_period(
        RequestType(ticket.request_type), enterprise=ticket.requester_kind == "enterprise",
        urgency=Urgency(ticket.urgency),
    )
    ticket.clock_started_at = ctx.clock()
    due = due_after(ticket.clock_started_at, period, ctx.calendar)
    ticket.handle_due, ticket.due_provisional = due.at, due.provisional
    ticket.period_amount, ticket.period_unit = period.amount, period.unit.value


async def dispatch(ctx: Context, ticket: Ticket, body: Dispatch) -> None:
    """派单 to a lead unit and co-units; the handling clock starts at first receipt."""
    check_version(ticket, body.version)
    if ticket.request_type == RequestType.INVALID.value:
        raise NotDispatchable("an invalid request (无效) is refused, not dispatched",
                              ticket=ticket.number)
    if ctx.policy.review_required and ticket.state == TicketState.ACCEPTED.value:
        raise NotDispatchable(
            f"the {ctx.policy.name} profile reviews a ticket before dispatch",
            ticket=ticket.number, article=ctx.policy.review.article if ctx.policy.review else "",
        )
    await _check_units(ctx, [body.lead_unit_id, *body.co_unit_ids])
    apply_event(ctx, ticket, TicketEvent.DISPATCH, reason=body.reason,
                data={"lead": body.lead_unit_id, "co": body.co_unit_ids})
    _assign(ctx, ticket, body)
    ticket.first_received_at = ticket.first_received_at or ctx.clock()
    start_handling_clock(ctx, ticket)


def check_lead_unit(ticket: Ticket, actor: Principal) -> None:
    """Only the lead unit returns, extends or replies (co-units feed the lead)."""
    if actor.is_unit_handler and actor.unit_id != ticket.lead_unit_id:
        raise NotYourUnit("only the lead unit can do this", ticket=ticket.number,
                          lead_unit_id=ticket.lead_unit_id, your_unit_id=actor.unit_id)


def return_ticket(ctx: Context, ticket: Ticket, body: Action) -> None:
    """退回: the lead unit says it is not its duty, within the profile's window."""
    check_version(ticket, body.version)
    check_lead_unit(ticket, ctx.actor)
    rule = ctx.policy.returns
    if rule is None or ticket.return_due is None:
        raise ReturnWindowClosed(f"the {ctx.policy.name} profile allows no returns",
                                 ticket=ticket.number)
    if ctx.clock() > ticket.return_due:
        raise ReturnWindowClosed(
            f"the return window closed at {ticket.return_due.isoformat()} ({rule.article})",
            ticket=ticket.number, return_due=ticket.return_due.isoformat(),
            article=rule.article,
        )
    if not body.reason.strip():
        raise ReasonRequired("a return needs its reason and basis", ticket=ticket.number)
    apply_event(ctx, ticket, TicketEvent.RETURN, reason=body.reason,
                data={"unit_id": ticket.lead_unit_id})


async def redispatch(ctx: Context, ticket: Ticket, body: Dispatch) -> None:
    """Return accepted: another unit gets it; the clock restarts where the profile says so."""
    check_version(ticket, body.version)
    await _check_units(ctx, [body.lead_unit_id, *body.co_unit_ids])
    apply_event(ctx, ticket, TicketEvent.REDISPATCH, reason=body.reason,
                data={"lead": body.lead_unit_id, "co": body.co_unit_ids})
    _assign(ctx, ticket, body)
    if ctx.policy.returns is None or ctx.policy.returns.accepted_restarts_clock:
        start_handling_clock(ctx, ticket)


def refuse_return(ctx: Context, ticket: Ticket, body: Action) -> None:
    """Return refused: the same unit handles it, the clock still runs from first receipt."""
    check_version(ticket, body.version)
    apply_event(ctx, ticket, TicketEvent.REFUSE_RETURN, reason=body.reason)


def receive(ctx: Context, ticket: Ticket, body: Action) -> None:
    """签收: the unit acknowledges the ticket."""
    check_version(ticket, body.version)
    if ctx.actor.is_unit_handler and not any(
        a.active and a.unit_id == ctx.actor.unit_id for a in ticket.assignments
    ):
        raise NotYourUnit("this ticket is not assigned to your unit", ticket=ticket.number)
    apply_event(ctx, ticket, TicketEvent.RECEIVE, reason=body.reason)
