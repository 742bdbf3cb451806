"""Intake: a request becomes a ticket, is accepted, refused, answered on the spot or linked."""

from sqlalchemy import select

from tickets.deadlines import due_after
from tickets.enums import RequesterKind, RequestType
from tickets.errors import RefusalReasonNotAllowed
from tickets.supervision.matter import flag_same_matter
from tickets.workflow.context import Context, apply_event, check_version, record
from tickets.workflow.errors import (
    DirectAnswerNotAllowed,
    NotEditable,
    TicketIncomplete,
    TicketNotFound,
)
from tickets.workflow.machine import TicketEvent, TicketState
from tickets.workflow.models import Ticket
from tickets.workflow.numbers import ticket_number
from tickets.workflow.schemas import (
    DirectAnswer,
    LinkRepeat,
    Refusal,
    TicketCreate,
    TicketFields,
    TicketUpdate,
)

EDITABLE_STATES = frozenset({TicketState.DRAFT, TicketState.ACCEPTED, TicketState.REVIEWED})


def _fill(ticket: Ticket, fields: TicketFields | TicketUpdate) -> None:
    values = fields.model_dump(exclude_unset=isinstance(fields, TicketUpdate),
                               exclude={"version", "accept", "requester"})
    for name, value in values.items():
        setattr(ticket, name, value.value if hasattr(value, "value") else value)
    if fields.requester is not None:  # an update changes only the requester's fields given
        given = fields.requester.model_dump(exclude_unset=isinstance(fields, TicketUpdate))
        for name, value in given.items():
            setattr(ticket, f"requester_{name}", value)


async def create_ticket(ctx: Context, data: TicketCreate) -> Ticket:
    """A new draft (or, with ``accept``, an accepted ticket) with its digit-only number."""
    ticket = new_ticket(ctx, data)
    await ctx.session.flush()
    number_ticket(ctx, ticket, data)
    await ctx.session.flush()
    return ticket


def new_ticket(ctx: Context, data: TicketCreate) -> Ticket:
    """Build and add a ticket; refused before anything is written if it cannot be accepted.

    Creation is split in two (build, then number once the database gave the id) so that
    several creations can share one flush and one commit (``workflow.batching``).
    """
    ticket = Ticket(profile=ctx.policy.name, state=TicketState.DRAFT.value, is_open=True,
                    created_at=ctx.clock(), created_by=ctx.actor.user_id, version=1,
                    assignments=[])
    _fill(ticket, data)
    if data.accept:
        _require_complete(ticket)
    ctx.session.add(ticket)
    return ticket


def number_ticket(ctx: Context, ticket: Ticket, data: TicketCreate) -> None:
    """Give a flushed ticket its number and its first steps of history."""
    ticket.number = ticket_number(ticket.id, ticket.created_at)
    record(ctx, ticket, "create", None, TicketState.DRAFT.value)
    if data.accept:
        _accept(ctx, ticket)


def update_ticket(ctx: Context, ticket: Ticket, change: TicketUpdate) -> None:
    """Correct a ticket's fields while it is still at intake."""
    check_version(ticket, change.version)
    if TicketState(ticket.state) not in EDITABLE_STATES:
        raise NotEditable(
            f"a ticket that is {ticket.state} can no longer be edited",
            ticket=ticket.number, state=ticket.state,
        )
    _fill(ticket, change)
    record(ctx, ticket, "update", ticket.state, ticket.state,
           data={"fields": sorted(change.model_dump(exclude_unset=True, exclude={"version"}))})


def missing_fields(ticket: Ticket) -> list[str]:
    """Required fields (wuhai 6.1) still empty; an invalid request needs none of them."""
    if ticket.request_type == RequestType.INVALID.value:
        return []
    required = {"category": ticket.category, "content": ticket.content, "place": ticket.place}
    missing = [name for name, value in required.items() if not value]
    if ticket.requester_kind == RequesterKind.ENTERPRISE.value and not ticket.enterprise_name:
        missing.append("enterprise_name")
    return missing


def _require_complete(ticket: Ticket) -> None:
    missing = missing_fields(ticket)
    if missing:
        raise TicketIncomplete(
            f"fill in {', '.join(missing)} before accepting", ticket=ticket.number,
            missing=missing,
        )


def _accept(ctx: Context, ticket: Ticket) -> None:
    _require_complete(ticket)
    apply_event(ctx, ticket, TicketEvent.ACCEPT)
    ticket.accepted_at = ctx.clock()
    if ctx.policy.review is not None:
        due = due_after(ticket.accepted_at, ctx.policy.review, ctx.calendar)
        ticket.review_due, ticket.due_provisional = due.at, due.provisional


def accept(ctx: Context, ticket: Ticket, version: int | None) -> None:
    """受理: the request is complete and within the hotline's remit."""
    check_version(ticket, version)
    _accept(ctx, ticket)


def refuse(ctx: Context, ticket: Ticket, body: Refusal) -> None:
    """不予受理 with one of the profile's reasons; the caller must be told it (DIGEST §1)."""
    check_version(ticket, body.version)
    reason = body.refusal_reason
    if reason not in ctx.policy.refusal_reasons:
        raise RefusalReasonNotAllowed(
            f"the {ctx.policy.name} profile has no refusal reason {reason.value}",
            reason=reason.value, allowed=sorted(r.value for r in ctx.policy.refusal_reasons),
        )
    apply_event(ctx, ticket, TicketEvent.REFUSE, reason=body.reason,
                data={"refusal_reason": reason.value,
                      "article": ctx.policy.refusal_reasons[reason]})
    ticket.refusal_reason = reason.value
    ticket.closed_at = ctx.clock()


def answer_directly(ctx: Context, ticket: Ticket, body: DirectAnswer) -> None:
    """直办: a consultation answered from the knowledge base is closed at once (wuhai 6.7.1)."""
    check_version(ticket, body.version)
    if ticket.request_type != RequestType.CONSULTATION.value:
        raise DirectAnswerNotAllowed(
            "only a consultation (咨询) can be closed on the spot; dispatch the others",
            ticket=ticket.number, request_type=ticket.request_type,
        )
    if ticket.state == TicketState.DRAFT.value:
        _accept(ctx, ticket)
    apply_event(ctx, ticket, TicketEvent.ANSWER_DIRECTLY, reason=body.reason,
                data={"knowledge_article_id": body.knowledge_article_id})
    ticket.answer = body.answer
    ticket.knowledge_article_id = body.knowledge_article_id
    ticket.closed_at = ctx.clock()


async def link_repeat(ctx: Context, ticket: Ticket, body: LinkRepeat) -> Ticket:
    """A repeat of an earlier ticket's facts: linked to it, the caller told its progress."""
    check_version(ticket, body.version)
    earlier = await ctx.session.scalar(select(Ticket).where(Ticket.number == body.earlier_number))
    if earlier is None or earlier.id == ticket.id:
        raise TicketNotFound(f"no earlier ticket {body.earlier_number}",
                             number=body.earlier_number)
    apply_event(ctx, ticket, TicketEvent.LINK_REPEAT, reason=body.reason,
                data={"earlier": earlier.number})
    ticket.linked_ticket_id = earlier.id
    earlier.matter_id = earlier.matter_id or earlier.id
    ticket.matter_id = earlier.matter_id
    ticket.closed_at = ctx.clock()
    await flag_same_matter(ctx, ticket)  # tonghua 第二十九条(七)
    return earlier


def review(ctx: Context, ticket: Ticket, version: int | None, reason: str = "") -> None:
    """审核 before dispatch (wuhai 6.2)."""
    check_version(ticket, version)
    apply_event(ctx, ticket, TicketEvent.REVIEW, reason=reason)
