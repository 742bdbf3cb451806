"""The ticket (工单, every field of wuhai 6.1), its unit assignments, history and ratings."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, event, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from tickets.database import Base
from tickets.workflow.machine import AWAITING_REPLY, OPEN_STATES, TicketState


class Ticket(Base):
    """One citizen's or enterprise's request and where it stands."""

    __tablename__ = "tickets"
    __table_args__ = (
        Index("ix_tickets_unit_open_due", "lead_unit_id", "is_open", "handle_due"),
        Index("ix_tickets_open_due", "is_open", "handle_due"),
        Index("ix_tickets_created_at", "created_at"),
        Index("ix_tickets_matter", "matter_id"),
        # the supervisor's overdue and due-soon lists: one index range in due order
        Index("ix_tickets_awaiting_due", "awaiting_reply", "handle_due", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(24), unique=True)
    version: Mapped[int] = mapped_column(default=1)
    profile: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(20))
    is_open: Mapped[bool] = mapped_column(default=True)
    awaiting_reply: Mapped[bool] = mapped_column(default=False)  # machine.AWAITING_REPLY

    channel: Mapped[str] = mapped_column(String(24))
    media: Mapped[str] = mapped_column(String(10))
    source_line: Mapped[str | None] = mapped_column(String(32))
    requester_name: Mapped[str | None] = mapped_column(String(100))
    requester_phone: Mapped[str | None] = mapped_column(String(32))
    requester_address: Mapped[str | None] = mapped_column(String(300))
    requester_kind: Mapped[str] = mapped_column(String(12), default="citizen")
    enterprise_name: Mapped[str | None] = mapped_column(String(200))
    identity_disclosable: Mapped[bool] = mapped_column(default=True)

    request_type: Mapped[str] = mapped_column(String(8))
    category: Mapped[str | None] = mapped_column(String(8))
    urgency: Mapped[str] = mapped_column(String(8))
    district: Mapped[str | None] = mapped_column(String(64))
    place: Mapped[str] = mapped_column(String(300), default="")
    content: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(String(300), default="")
    calls: Mapped[list[str]] = mapped_column(JSON, default=list)
    transcript_ref: Mapped[str | None] = mapped_column(String(64))

    refusal_reason: Mapped[str | None] = mapped_column(String(32))
    answer: Mapped[str | None] = mapped_column(Text)
    knowledge_article_id: Mapped[int | None] = mapped_column()
    reply: Mapped[str | None] = mapped_column(Text)
    linked_ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    matter_id: Mapped[int | None] = mapped_column()

    lead_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    dispatched_at: Mapped[datetime | None]
    first_received_at: Mapped[datetime | None]
    clock_started_at: Mapped[datetime | None]  # the current handling period runs from here
    replied_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]

    review_due: Mapped[datetime | None]
    return_due: Mapped[datetime | None]
    handle_due: Mapped[datetime | None]
    due_provisional: Mapped[bool] = mapped_column(default=False)
    period_amount: Mapped[int | None] = mapped_column()
    period_unit: Mapped[str | None] = mapped_column(String(16))
    replied_late: Mapped[bool] = mapped_column(default=False)
    returned_late: Mapped[bool] = mapped_column(default=False)

    extension_count: Mapped[int] = mapped_column(default=0)
    rehandle_count: Mapped[int] = mapped_column(default=0)
    phone_reminders: Mapped[int] = mapped_column(default=0)
    suspended_at: Mapped[datetime | None]
    suspended_until: Mapped[datetime | None]
    under_supervision: Mapped[bool] = mapped_column(default=False)
    investigation_flag: Mapped[bool] = mapped_column(default=False)
    accountability_flag: Mapped[bool] = mapped_column(default=False)
    final_evaluation: Mapped[str | None] = mapped_column(String(10))

    assignments: Mapped[list["Assignment"]] = relationship(
        back_populates="ticket", lazy="selectin", order_by="Assignment.id"
    )

    __mapper_args__ = {"version_id_col": version}


class Assignment(Base):
    """A unit's part in a ticket: lead (主办) or co-handler (协办).

    It carries a copy of its ticket's open flag and handling deadline (kept in step by
    ``sync_assignments``), so a unit's open list is one index range in due order instead of
    a probe through the unit's whole history.
    """

    __tablename__ = "ticket_assignments"
    __table_args__ = (
        Index("ix_assignments_unit_open_due", "unit_id", "active", "ticket_open", "handle_due",
              "ticket_id"),
        Index("ix_assignments_ticket", "ticket_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    role: Mapped[str] = mapped_column(String(8))
    active: Mapped[bool] = mapped_column(default=True)
    assigned_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    ticket_open: Mapped[bool] = mapped_column(default=True)
    handle_due: Mapped[datetime | None]

    ticket: Mapped[Ticket] = relationship(back_populates="assignments")


@event.listens_for(Session, "before_flush")
def keep_derived_columns(session: Session, _context: object, _instances: object) -> None:
    """Columns derived from a ticket's state are set here, at every flush, and nowhere else.

    ``is_open`` and ``awaiting_reply`` follow the state; each assignment carries its ticket's
    open flag and deadline. They exist for the indexes behind the lists.
    """
    for obj in (*session.new, *session.dirty):
        if isinstance(obj, Ticket):
            _derive_ticket(obj)
        elif isinstance(obj, Assignment) and obj.ticket is not None:
            _copy_ticket(obj, obj.ticket)


def _derive_ticket(ticket: Ticket) -> None:
    state = TicketState(ticket.state)
    ticket.is_open = state in OPEN_STATES
    ticket.awaiting_reply = state in AWAITING_REPLY
    attrs = inspect(ticket).attrs
    if any(attrs[name].history.has_changes()
           for name in ("is_open", "handle_due", "assignments")):
        for assignment in ticket.assignments:  # flush runs in SQLAlchemy's greenlet: may load
            _copy_ticket(assignment, ticket)


def _copy_ticket(assignment: Assignment, ticket: Ticket) -> None:
    assignment.ticket_open = ticket.is_open
    assignment.handle_due = ticket.handle_due


class Transition(Base):
    """One recorded step of a ticket's life: who, when, why, from which state to which."""

    __tablename__ = "ticket_transitions"
    __table_args__ = (Index("ix_transitions_ticket", "ticket_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor: Mapped[str] = mapped_column(String(64))
    event: Mapped[str] = mapped_column(String(24))
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Evaluation(Base):
    """A revisit's rating (回访评价); with re-handling there may be two."""

    __tablename__ = "ticket_evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    round: Mapped[int]
    at: Mapped[datetime]
    level: Mapped[str] = mapped_column(String(10))
    solved: Mapped[bool | None]
    reasonable: Mapped[bool | None]
    channel: Mapped[str] = mapped_column(String(16), default="phone")
    note: Mapped[str] = mapped_column(Text, default="")
