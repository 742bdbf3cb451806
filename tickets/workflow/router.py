"""The ticket API: thin routes over the workflow commands."""

import inspect
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response, status

from tickets.database import commit, flush
from tickets.deps import (
    CalendarDep,
    ClockDep,
    CurrentUser,
    PolicyDep,
    RuntimeDep,
    SessionDep,
    require_role,
)
from tickets.drafting.suggest import suggest_units_for_ticket
from tickets.enums import Role
from tickets.workflow import dispatching, evaluation, handling, intake, merging
from tickets.workflow.context import Context
from tickets.workflow.models import Ticket
from tickets.workflow.queries import get_ticket, history_out, list_tickets, to_out
from tickets.workflow.schemas import (
    Action,
    DirectAnswer,
    Dispatch,
    EvaluationIn,
    Extension,
    LinkRepeat,
    ListFilters,
    Merge,
    Refusal,
    Reply,
    Suspension,
    TicketCreate,
    TicketOut,
    TicketPage,
    TicketUpdate,
    TransitionOut,
    UnitSuggestionOut,
)

router = APIRouter(prefix="/tickets", tags=["tickets"])

INTAKE = (Role.AGENT, Role.REVIEWER, Role.SUPERVISOR)
CENTRE = (Role.REVIEWER, Role.SUPERVISOR)
UNIT = (Role.UNIT_HANDLER, Role.SUPERVISOR)
REVISIT = (Role.AGENT, Role.REVIEWER, Role.SUPERVISOR)


async def context(
    session: SessionDep, policy: PolicyDep, calendar: CalendarDep, clock: ClockDep,
    actor: CurrentUser,
) -> Context:
    """The collaborators of one workflow command."""
    return Context(session, policy, calendar, clock, actor)


ContextDep = Annotated[Context, Depends(context)]
Step = Callable[[Context, Ticket], Awaitable[Any] | Any]


async def _act(ctx: Context, number: str, step: Step) -> TicketOut:
    ticket = await get_ticket(ctx.session, number, ctx.actor, for_update=True)
    outcome = step(ctx, ticket)
    if inspect.isawaitable(outcome):
        await outcome
    await flush(ctx.session)  # the new version number, before it is shown
    out = to_out(ctx.session, ticket, ctx.actor, ctx.clock())
    await commit(ctx.session)
    return out


def _roles(*roles: Role) -> list[Any]:
    return [Depends(require_role(*roles))]


@router.post("", status_code=status.HTTP_201_CREATED, dependencies=_roles(*INTAKE),
             response_model=TicketOut)
async def create(body: TicketCreate, runtime: RuntimeDep, actor: CurrentUser) -> Response:
    """Create a ticket (a draft, or accepted at once with ``accept``)."""
    out = await runtime.creations.create(actor, body)
    # already a validated TicketOut: serialise it once instead of validating it again
    return Response(out.model_dump_json(), status.HTTP_201_CREATED,
                    media_type="application/json")


@router.get("")
async def list_(
    session: SessionDep, actor: CurrentUser, clock: ClockDep,
    filters: Annotated[ListFilters, Query()],
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    size: Annotated[int, Query(ge=1, le=200)] = 50,
    total: Annotated[bool, Query(description="count them all (total=false: skip it)")] = True,
) -> TicketPage:
    """Tickets the user may see, filtered, ordered by due date (or ``order=created``)."""
    return await list_tickets(session, filters, actor, clock(), page=page, size=size,
                              with_total=total)


@router.get("/{number}")
async def read(number: str, ctx: ContextDep) -> TicketOut:
    """One ticket; reading the requester's personal data is audited."""
    ticket = await get_ticket(ctx.session, number, ctx.actor)
    out = to_out(ctx.session, ticket, ctx.actor, ctx.clock())
    await commit(ctx.session)
    return out


@router.get("/{number}/history")
async def read_history(number: str, session: SessionDep, actor: CurrentUser
                       ) -> list[TransitionOut]:
    """Every step of the ticket's life: who, when, why."""
    ticket = await get_ticket(session, number, actor)
    return await history_out(session, ticket, actor)


@router.get("/{number}/merged")
async def read_merged(number: str, ctx: ContextDep) -> list[TicketOut]:
    """并单: the duplicates merged into this ticket, each requester as this reader may see."""
    master = await get_ticket(ctx.session, number, ctx.actor)
    now = ctx.clock()
    out = [to_out(ctx.session, ticket, ctx.actor, now)
           for ticket in await merging.merged_into(ctx.session, master)]
    await commit(ctx.session)  # the audited reads
    return out


@router.get("/{number}/suggested-units", dependencies=_roles(*INTAKE))
async def suggested_units(number: str, session: SessionDep, actor: CurrentUser
                          ) -> list[UnitSuggestionOut]:
    """Units to dispatch to, as the drafting suggests them: territory first, then duties."""
    ticket = await get_ticket(session, number, actor)
    return [UnitSuggestionOut(id=s.unit.id, name=s.unit.name, territory=s.territory,
                              duty_words=list(s.duty_words))
            for s in await suggest_units_for_ticket(session, ticket)]


@router.patch("/{number}", dependencies=_roles(*INTAKE))
async def update(number: str, body: TicketUpdate, ctx: ContextDep) -> TicketOut:
    """Correct fields while the ticket is at intake (``version`` required)."""
    return await _act(ctx, number, lambda c, t: intake.update_ticket(c, t, body))


def _action_route(
    path: str, roles: tuple[Role, ...], body_type: type[Action],
    command: Callable[[Context, Ticket, Any], Awaitable[Any] | Any], summary: str,
) -> None:
    async def endpoint(number: str, body: Action, ctx: ContextDep) -> TicketOut:
        return await _act(ctx, number, lambda c, t: command(c, t, body))

    endpoint.__annotations__["body"] = body_type
    router.add_api_route(
        f"/{{number}}/{path}", endpoint, methods=["POST"], summary=summary,
        dependencies=_roles(*roles), response_model=TicketOut, name=path,
    )


def _versioned(command: Callable[..., Any]) -> Callable[[Context, Ticket, Action], Any]:
    return lambda ctx, ticket, body: command(ctx, ticket, body.version, body.reason)


_action_route("accept", INTAKE, Action,
              lambda c, t, b: intake.accept(c, t, b.version), "受理: accept")
_action_route("refuse", INTAKE, Refusal, intake.refuse, "不予受理: refuse with a reason")
_action_route("answer", INTAKE, DirectAnswer, intake.answer_directly, "直办: answer and close")
_action_route("link", INTAKE, LinkRepeat, intake.link_repeat, "Link as a repeat")
_action_route("merge", CENTRE, Merge, merging.merge, "并单: merge a duplicate into its master")
_action_route("review", CENTRE, Action, _versioned(intake.review), "审核: review")
_action_route("dispatch", CENTRE, Dispatch, dispatching.dispatch, "派单: dispatch")
_action_route("return", UNIT, Action, dispatching.return_ticket, "退回: unit returns")
_action_route("redispatch", CENTRE, Dispatch, dispatching.redispatch, "Accept return")
_action_route("refuse-return", CENTRE, Action, dispatching.refuse_return, "Refuse return")
_action_route("receive", UNIT, Action, dispatching.receive, "签收: unit signs for it")
_action_route("extend", UNIT, Extension, handling.extend, "延期: extension")
_action_route("suspend", UNIT, Suspension, handling.suspend, "挂单: suspend")
_action_route("resume", UNIT + CENTRE, Action, handling.resume, "Resume after suspension")
_action_route("reply", UNIT, Reply, handling.reply, "答复: the unit's reply")
_action_route("approve-reply", CENTRE, Action, handling.approve_reply, "Approve the reply")
_action_route("reject-reply", CENTRE, Action, handling.reject_reply, "Send the reply back")
_action_route("evaluate", REVISIT, EvaluationIn, evaluation.evaluate, "评价: record rating")
_action_route("close", CENTRE, Action, evaluation.close, "办结: close by hand")

