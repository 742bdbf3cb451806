"""What a workflow command needs: the session, the rules, the calendar, the clock, the actor."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from tickets.calendar.workdays import WorkingCalendar
from tickets.errors import VersionConflict
from tickets.policy.schema import Policy
from tickets.principal import Principal
from tickets.workflow.machine import (
    TicketEvent,
    TicketState,
    next_state,
)
from tickets.workflow.models import Ticket, Transition

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Context:
    """One command's collaborators; built by the router from its dependencies."""

    session: AsyncSession
    policy: Policy
    calendar: WorkingCalendar
    clock: Callable[[], datetime]
    actor: Principal


def check_version(ticket: Ticket, expected: int | None) -> None:
    """Refuse a change made against a version the client no longer has."""
    if expected is not None and expected != ticket.version:
        raise VersionConflict(
            "the ticket changed since you loaded it; reload and try again",
            ticket=ticket.number, expected=expected, current=ticket.version,
        )


def apply_event(
    ctx: Context, ticket: Ticket, event: TicketEvent, *, reason: str = "",
    data: dict[str, Any] | None = None,
) -> TicketState:
    """Move ``ticket`` along ``event`` and record who, when and why."""
    old = TicketState(ticket.state)
    new = next_state(old, event, number=ticket.number or str(ticket.id))
    ticket.state = new.value
    record(ctx, ticket, event.value, old.value, new.value, reason=reason, data=data)
    return new


def record(
    ctx: Context, ticket: Ticket, event: str, old: str | None, new: str, *, reason: str = "",
    data: dict[str, Any] | None = None,
) -> None:
    """Add one row to the ticket's history."""
    ctx.session.add(Transition(
        ticket_id=ticket.id, at=ctx.clock(), actor_id=ctx.actor.user_id,
        actor=ctx.actor.username, event=event, from_state=old, to_state=new,
        reason=reason, data=data or {},
    ))
