"""The supervision API: due-soon and overdue lists, reminders, supervision cases."""

from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends, Query, status

from tickets.database import commit
from tickets.deps import CalendarDep, ClockDep, PolicyDep, SessionDep, require_role
from tickets.enums import Role
from tickets.errors import Forbidden
from tickets.principal import Principal
from tickets.supervision import service
from tickets.supervision.scan import Listing
from tickets.supervision.schemas import (
    DuePage,
    DueTicket,
    ReminderIn,
    ReminderOut,
    ResolveIn,
    SupervisionIn,
    SupervisionOut,
    TicketSupervision,
)
from tickets.workflow.context import Context, check_version
from tickets.workflow.masking import Masker, masker_for
from tickets.workflow.models import Ticket
from tickets.workflow.queries import get_ticket

router = APIRouter(prefix="/supervision", tags=["supervision"])

Writer = Annotated[Principal, Depends(require_role(Role.SUPERVISOR, Role.REVIEWER))]
Reader = Annotated[
    Principal, Depends(require_role(Role.SUPERVISOR, Role.REVIEWER, Role.UNIT_HANDLER))
]
Page = Annotated[int, Query(ge=1, le=100_000)]
Size = Annotated[int, Query(ge=1, le=200)]


def writer_context(
    session: SessionDep, policy: PolicyDep, calendar: CalendarDep, clock: ClockDep,
    actor: Writer,
) -> Context:
    """The collaborators of one supervision command."""
    return Context(session, policy, calendar, clock, actor)


WriterContext = Annotated[Context, Depends(writer_context)]


def _unit_scope(user: Principal) -> int | None:
    """The unit a unit handler is limited to; None for the centre's staff."""
    if not user.is_unit_handler:
        return None
    if user.unit_id is None:
        raise Forbidden("this unit handler belongs to no unit", user=user.username)
    return user.unit_id


def _page(listing: Listing, page: int, size: int, user: Principal) -> DuePage:
    items = [_due(t, user) for t in listing.items]
    return DuePage(items=items, total=listing.total, page=page, size=size)


def _due(ticket: Ticket, user: Principal) -> DueTicket:
    """A row of a due list; a unit reads a confidential ticket's summary masked."""
    item = DueTicket.model_validate(ticket)
    masker = masker_for(ticket, user)
    return item.model_copy(update={"summary": masker.text(item.summary)}) if masker else item


@router.get("/due-soon")
async def due_soon(
    session: SessionDep, policy: PolicyDep, calendar: CalendarDep, clock: ClockDep,
    user: Reader, page: Page = 1, size: Size = 50,
) -> DuePage:
    """Tickets whose handling deadline is near (the profile's due-soon period), soonest first."""
    listing = await service.due_soon(session, policy, calendar, clock(),
                                     unit_id=_unit_scope(user), offset=(page - 1) * size,
                                     limit=size)
    return _page(listing, page, size, user)


@router.get("/overdue")
async def overdue(
    session: SessionDep, clock: ClockDep, user: Reader, page: Page = 1, size: Size = 50,
) -> DuePage:
    """Tickets past their handling deadline without a reply, longest overdue first."""
    listing = await service.overdue(session, clock(), unit_id=_unit_scope(user),
                                    offset=(page - 1) * size, limit=size)
    return _page(listing, page, size, user)


@router.post("/tickets/{number}/reminders", status_code=status.HTTP_201_CREATED)
async def remind(number: str, body: ReminderIn, ctx: WriterContext) -> ReminderOut:
    """Record a reminder to the unit; refused once the phone round is over (wuhai 6.5)."""
    ticket = await get_ticket(ctx.session, number, ctx.actor, for_update=True)
    check_version(ticket, body.version)
    reminder = await service.remind(ctx, ticket, body.form, body.contact, body.note)
    out = ReminderOut.model_validate(reminder)
    await commit(ctx.session)
    return out


@router.post("/tickets/{number}/supervisions", status_code=status.HTTP_201_CREATED)
async def supervise(number: str, body: SupervisionIn, ctx: WriterContext) -> SupervisionOut:
    """Open a supervision case (督办) on the ticket."""
    ticket = await get_ticket(ctx.session, number, ctx.actor, for_update=True)
    check_version(ticket, body.version)
    case = await service.supervise(ctx, ticket, body.trigger, body.form, body.note)
    out = SupervisionOut.model_validate(case)
    await commit(ctx.session)
    return out


@router.post("/supervisions/{supervision_id}/resolve")
async def resolve(supervision_id: int, body: ResolveIn, ctx: WriterContext) -> SupervisionOut:
    """Close a supervision case with its outcome."""
    case = await service.resolve(ctx, supervision_id, body.resolution)
    out = SupervisionOut.model_validate(case)
    await commit(ctx.session)
    return out


@router.get("/tickets/{number}/supervisions")
async def ticket_supervision(number: str, session: SessionDep, user: Reader) -> TicketSupervision:
    """A ticket's reminders and supervision cases (a unit sees only its own tickets)."""
    ticket = await get_ticket(session, number, user)
    masker = masker_for(ticket, user)
    reminders, cases = await service.cases_of(session, ticket)
    return TicketSupervision(
        number=ticket.number or "", phone_reminders=ticket.phone_reminders,
        under_supervision=ticket.under_supervision,
        reminders=[_masked(ReminderOut.model_validate(r), masker, "note") for r in reminders],
        supervisions=[_masked(SupervisionOut.model_validate(c), masker, "note", "resolution")
                      for c in cases],
    )


Note = TypeVar("Note", ReminderOut, SupervisionOut)


def _masked(out: Note, masker: Masker | None, *fields: str) -> Note:
    if masker is None:
        return out
    return out.model_copy(update={f: masker.text(getattr(out, f)) for f in fields})
