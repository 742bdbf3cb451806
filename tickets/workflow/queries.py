"""Reading tickets: who may see which ticket and how much of the requester."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import raiseload

from kernel.numbers import is_ticket_number
from tickets.audit.service import record_read
from tickets.principal import Principal
from tickets.workflow.errors import TicketNotFound
from tickets.workflow.machine import TicketState, allowed_events
from tickets.workflow.masking import masker_for
from tickets.workflow.models import Assignment, Ticket, Transition
from tickets.workflow.schemas import (
    AssignmentOut,
    Deadlines,
    ListFilters,
    RequesterOut,
    TicketOut,
    TicketPage,
    TicketSummary,
    TransitionOut,
)


def _visible_to(statement: Select[Ticket], actor: Principal) -> Select[Ticket]:
    """A unit handler sees only tickets its unit is (still) assigned to."""
    if not actor.is_unit_handler:
        return statement
    return statement.where(exists().where(
        Assignment.ticket_id == Ticket.id, Assignment.unit_id == actor.unit_id,
        Assignment.active.is_(True),
    ))


async def get_ticket(
    session: AsyncSession, number: str, actor: Principal, *, for_update: bool = False
) -> Ticket:
    """The ticket called ``number`` if ``actor`` may see it, else :class:`TicketNotFound`."""
    if not is_ticket_number(number):
        raise TicketNotFound(f"no ticket {number}", number=number)
    statement = _visible_to(select(Ticket).where(Ticket.number == number), actor)
    if for_update:
        statement = statement.with_for_update()
    ticket = await session.scalar(statement)
    if ticket is None:
        raise TicketNotFound(f"no ticket {number}", number=number)
    return ticket


def mask_phone(phone: str | None) -> str | None:
    """138****5678: enough to recognise, not enough to call."""
    if not phone:
        return phone
    return phone[:3] + "*" * max(len(phone) - 7, 1) + phone[-4:] if len(phone) > 7 else "****"


def mask_name(name: str | None) -> str | None:
    """张** keeps the family name only."""
    return name[:1] + "*" * (len(name) - 1) if name else name


def _requester(ticket: Ticket) -> RequesterOut:
    return RequesterOut(
        name=ticket.requester_name, phone=ticket.requester_phone,
        address=ticket.requester_address,
    )


def may_see_requester(ticket: Ticket, actor: Principal) -> bool:
    """A unit never sees a requester who asked for confidentiality (shandong 23)."""
    return ticket.identity_disclosable or not actor.is_unit_handler


def to_out(session: AsyncSession, ticket: Ticket, actor: Principal, at: datetime) -> TicketOut:
    """The reader's view of ``ticket``; a read of personal data is audited."""
    shown = may_see_requester(ticket, actor)
    has_personal = any((ticket.requester_name, ticket.requester_phone, ticket.requester_address))
    masked = RequesterOut(
        name=mask_name(ticket.requester_name), phone=mask_phone(ticket.requester_phone),
        address=None,
    ) if shown else None
    plain = {name: getattr(ticket, name) for name in _PLAIN_FIELDS}
    masker = masker_for(ticket, actor)
    if masker is not None:  # a confidential requester stays out of the unit's texts too
        plain.update({name: masker.optional(plain[name]) for name in FREE_TEXT},
                     enterprise_name=None)
    out = TicketOut(
        **plain,
        number=ticket.number or "",
        requester=_requester(ticket) if shown else None,
        requester_masked=masked,
        assignments=[AssignmentOut.model_validate(a, from_attributes=True)
                     for a in ticket.assignments],
        deadlines=Deadlines(
            review_due=ticket.review_due, return_due=ticket.return_due,
            handle_due=ticket.handle_due, provisional=ticket.due_provisional,
        ),
        allowed_events=[e.value for e in allowed_events(TicketState(ticket.state))],
    )
    if shown and has_personal:
        record_read(session, actor, ticket.id, at)
    return out


_PLAIN_FIELDS = (
    "id", "version", "profile", "state", "is_open", "channel", "media", "source_line",
    "requester_kind", "enterprise_name", "identity_disclosable", "request_type", "category",
    "urgency", "district", "place", "content", "summary", "calls", "transcript_ref",
    "refusal_reason", "answer", "reply", "linked_ticket_id", "lead_unit_id",
    "extension_count", "rehandle_count", "phone_reminders", "under_supervision",
    "investigation_flag", "accountability_flag", "final_evaluation", "replied_late",
    "created_at", "accepted_at", "dispatched_at", "replied_at", "closed_at",
)


# the texts written about a ticket, masked for a unit when the requester is confidential
FREE_TEXT = ("place", "content", "summary", "answer", "reply")


def _summary(ticket: Ticket, actor: Principal) -> TicketSummary:
    phone = mask_phone(ticket.requester_phone) if may_see_requester(ticket, actor) else None
    masker = masker_for(ticket, actor)
    return TicketSummary(
        number=ticket.number or "", state=ticket.state, request_type=ticket.request_type,
        category=ticket.category, urgency=ticket.urgency,
        summary=masker.text(ticket.summary) if masker else ticket.summary,
        district=ticket.district, lead_unit_id=ticket.lead_unit_id,
        handle_due=ticket.handle_due, due_provisional=ticket.due_provisional,
        created_at=ticket.created_at, requester_phone_masked=phone,
    )


def _unit_open_queue(actor: Principal) -> Select[Ticket]:
    """A unit's open tickets, read in due order from its assignments (the handler's inbox)."""
    return select(Ticket).join(Assignment, Assignment.ticket_id == Ticket.id).where(
        Assignment.unit_id == actor.unit_id, Assignment.active.is_(True),
        Assignment.ticket_open.is_(True))


def _filtered(filters: ListFilters, actor: Principal, now: datetime) -> Select[Ticket]:
    inbox = actor.is_unit_handler and filters.open is True
    statement = _unit_open_queue(actor) if inbox else _visible_to(select(Ticket), actor)
    if filters.state:
        statement = statement.where(Ticket.state.in_([s.value for s in filters.state]))
    if filters.open is not None and not inbox:
        statement = statement.where(Ticket.is_open.is_(filters.open))
    if filters.unit_id is not None:
        statement = statement.where(Ticket.lead_unit_id == filters.unit_id)
    if filters.overdue:
        statement = statement.where(
            Ticket.is_open.is_(True), Ticket.handle_due < now,
            Ticket.state != TicketState.REPLIED.value,
        )
    if filters.request_type is not None:
        statement = statement.where(Ticket.request_type == filters.request_type.value)
    if filters.category is not None:
        statement = statement.where(Ticket.category == filters.category.value)
    if filters.created_from is not None:
        statement = statement.where(Ticket.created_at >= filters.created_from)
    if filters.created_to is not None:
        statement = statement.where(Ticket.created_at < filters.created_to)
    return statement


def _order(filters: ListFilters, actor: Principal) -> tuple[Any, ...]:
    if filters.order == "created":
        return (Ticket.created_at.desc(), Ticket.id.desc())
    if actor.is_unit_handler and filters.open is True:  # the inbox index's own order
        return (Assignment.handle_due.asc().nulls_last(), Assignment.ticket_id.asc())
    return (Ticket.handle_due.asc().nulls_last(), Ticket.id.asc())


async def list_tickets(
    session: AsyncSession, filters: ListFilters, actor: Principal, now: datetime,
    *, page: int = 1, size: int = 50, with_total: bool = False,
) -> TicketPage:
    """One page of tickets, ordered by due date (soonest first) or newest first."""
    statement = _filtered(filters, actor, now)
    total = None
    if with_total:
        total = await session.scalar(select(func.count()).select_from(statement.subquery()))
    rows = await session.scalars(
        statement.options(raiseload(Ticket.assignments))
        .order_by(*_order(filters, actor)).offset((page - 1) * size).limit(size)
    )
    items = [_summary(ticket, actor) for ticket in rows.all()]
    return TicketPage(items=items, total=total, page=page, size=size)


async def history_out(session: AsyncSession, ticket: Ticket, actor: Principal
                      ) -> list[TransitionOut]:
    """The ticket's steps as ``actor`` may read them (masked for a unit when confidential)."""
    steps = [TransitionOut.model_validate(row, from_attributes=True)
             for row in await history(session, ticket)]
    masker = masker_for(ticket, actor)
    if masker is None:
        return steps
    return [step.model_copy(update={"reason": masker.text(step.reason),
                                    "data": masker.data(step.data)}) for step in steps]


async def history(session: AsyncSession, ticket: Ticket) -> Sequence[Transition]:
    """Every recorded step of ``ticket``, oldest first."""
    rows = await session.scalars(
        select(Transition).where(Transition.ticket_id == ticket.id).order_by(Transition.id)
    )
    return rows.all()
