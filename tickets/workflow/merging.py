"""并单: a duplicate of an open ticket is merged into it (the master) and handled there.

A repeat (``intake.link_repeat``) is closed with a pointer to an earlier ticket whose answer the
caller is given; a duplicate is the same matter raised again while the master is still being
handled, so the master takes it in: its content (a confidential requester's only as a
pointer) and calls, and its requester among those the master answers to. Each requester
stays on their own ticket, under their own confidentiality flag (read back through
:func:`merged_into`), so no personal data is copied around.
"""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.clock import beijing
from tickets.supervision.matter import flag_same_matter
from tickets.workflow.context import Context, apply_event, check_version, record
from tickets.workflow.errors import NotMergeable, TicketNotFound
from tickets.workflow.machine import TicketEvent, TicketState
from tickets.workflow.models import Ticket
from tickets.workflow.schemas import Merge

S = TicketState
CONFIDENTIAL_PART = "来电人要求保密，诉求内容见该工单"
# A master still being handled: after the reply the duplicate's matter would go unanswered
# (link it as a repeat instead, its caller is told the master's answer).
MERGE_TARGETS = frozenset({S.DRAFT, S.ACCEPTED, S.REVIEWED, S.DISPATCHED, S.RETURNED,
                           S.HANDLING, S.SUSPENDED})


async def _master(ctx: Context, ticket: Ticket, number: str) -> Ticket:
    master = await ctx.session.scalar(
        select(Ticket).where(Ticket.number == number).with_for_update())
    if master is None:
        raise TicketNotFound(f"no ticket {number} to merge into", number=number)
    if master.id == ticket.id:
        raise NotMergeable("a ticket cannot be merged into itself", ticket=ticket.number,
                           master=number)
    if TicketState(master.state) not in MERGE_TARGETS:
        raise NotMergeable(
            f"ticket {number} is {master.state}: merge only into a ticket still being handled"
            " (link a repeat of an answered one instead)",
            ticket=ticket.number, master=number, state=master.state,
            allowed=sorted(s.value for s in MERGE_TARGETS))
    return master


def _merged_content(master: Ticket, duplicate: Ticket) -> str:
    created = beijing(duplicate.created_at).strftime("%Y-%m-%d %H:%M")
    # A confidential requester's own words often name them: they stay on their own ticket,
    # whose texts are masked for units, never copied where the master's unit reads them.
    told = duplicate.content or duplicate.summary if duplicate.identity_disclosable \
        else CONFIDENTIAL_PART
    part = f"【并单 {duplicate.number}（{created}）】\n{told}"
    return f"{master.content}\n\n{part}" if master.content else part


async def merge(ctx: Context, ticket: Ticket, body: Merge) -> Ticket:
    """Merge ``ticket`` (a duplicate at intake) into the open master ``body.master_number``."""
    check_version(ticket, body.version)
    master = await _master(ctx, ticket, body.master_number)
    apply_event(ctx, ticket, TicketEvent.MERGE, reason=body.reason,
                data={"master": master.number})
    ticket.linked_ticket_id = master.id
    ticket.closed_at = ctx.clock()
    master.content = _merged_content(master, ticket)
    master.calls = list(dict.fromkeys([*master.calls, *ticket.calls]))
    master.matter_id = master.matter_id or master.id
    ticket.matter_id = master.matter_id
    # the master's own history says what it took in (its state does not move)
    record(ctx, master, "merge-in", master.state, master.state, reason=body.reason,
           data={"merged": ticket.number})
    await flag_same_matter(ctx, ticket)  # a complaint about the matter all the same
    return master


async def merged_into(session: AsyncSession, master: Ticket) -> Sequence[Ticket]:
    """The duplicates merged into ``master``, oldest first."""
    rows = await session.scalars(
        select(Ticket).where(Ticket.linked_ticket_id == master.id,
                             Ticket.state == S.MERGED.value).order_by(Ticket.id))
    return rows.all()
