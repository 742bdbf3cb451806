"""Revisit and evaluation: rating on the profile's scale, re-handling, closing."""

from sqlalchemy import func, select

from tickets.enums import SupervisionForm
from tickets.supervision.service import supervise
from tickets.workflow.context import Context, apply_event, check_version
from tickets.workflow.dispatching import start_handling_clock
from tickets.workflow.errors import InvalidEvaluation, ReasonRequired
from tickets.workflow.machine import TicketEvent
from tickets.workflow.models import Evaluation, Ticket
from tickets.workflow.schemas import Action, EvaluationIn


async def evaluate(ctx: Context, ticket: Ticket, body: EvaluationIn) -> None:
    """Record the requester's rating; then close, re-handle or supervise as the profile says."""
    check_version(ticket, body.version)
    rule = ctx.policy.evaluation
    if body.level not in rule.scale:
        raise InvalidEvaluation(
            f"{body.level!r} is not on the {ctx.policy.name} scale", level=body.level,
            scale=list(rule.scale), article=rule.article)
    rounds = await ctx.session.scalar(
        select(func.count()).select_from(Evaluation).where(Evaluation.ticket_id == ticket.id))
    ctx.session.add(Evaluation(
        ticket_id=ticket.id, round=(rounds or 0) + 1, at=ctx.clock(), level=body.level,
        solved=body.solved, reasonable=body.reasonable, channel=body.channel,
        note=body.reason))
    apply_event(ctx, ticket, TicketEvent.EVALUATE, reason=body.reason, data={
        "level": body.level, "solved": body.solved, "reasonable": body.reasonable})
    if rule.last_evaluation_counts or ticket.final_evaluation is None:
        ticket.final_evaluation = body.level
    if body.level not in rule.unsatisfied or not body.reasonable:
        _close(ctx, ticket, "evaluated")
    elif ticket.rehandle_count < rule.max_rehandles:
        _rehandle(ctx, ticket)
    else:
        await _escalate(ctx, ticket)


def _rehandle(ctx: Context, ticket: Ticket) -> None:
    """Back to the unit; the new period equals the original one (zhanjiang 第十五条)."""
    apply_event(ctx, ticket, TicketEvent.REHANDLE, reason="unsatisfied and reasonable",
                data={"round": ticket.rehandle_count + 1})
    ticket.rehandle_count += 1
    ticket.replied_at = None
    start_handling_clock(ctx, ticket)


async def _escalate(ctx: Context, ticket: Ticket) -> None:
    """Unsatisfied again with no re-handling left: supervision (tonghua 第二十九条(六))."""
    rule = ctx.policy.evaluation
    if rule.second_unsatisfied_investigation and ticket.rehandle_count >= 1:
        ticket.investigation_flag = True
    await supervise(ctx, ticket, "second-unsatisfied", SupervisionForm.SYSTEM,
                    f"unsatisfied after {ticket.rehandle_count} re-handling(s) ({rule.article})")


def _close(ctx: Context, ticket: Ticket, reason: str) -> None:
    apply_event(ctx, ticket, TicketEvent.CLOSE, reason=reason)
    ticket.closed_at = ctx.clock()


def close(ctx: Context, ticket: Ticket, body: Action) -> None:
    """办结 by hand: after an escalated evaluation, or a revisit that could not be made."""
    check_version(ticket, body.version)
    if not body.reason.strip():
        raise ReasonRequired("say why the ticket is closed", ticket=ticket.number)
    _close(ctx, ticket, body.reason)

