"""The linkage API: the emergency list (administrators), the agent's hand-off commands, and
the supervisors' alerts and statistics. Each route names the roles it admits."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from pydantic import AwareDatetime
from starlette.requests import HTTPConnection

from linkage import store, targets
from linkage.detection import Detected, Source
from linkage.errors import LinkageOff, TicketNotFound
from linkage.handoff import LiveHandoff
from linkage.schemas import (
    AlertIn,
    AlertOut,
    CancelIn,
    ConfirmIn,
    HandoffAction,
    HandoffOut,
    SecretOut,
    StatsOut,
    TargetCreated,
    TargetIn,
    TargetOut,
    TargetPatch,
    TicketIn,
)
from linkage.service import LinkageService
from telephony.conference.service import CallNotFound
from telephony.deps import OperatorDep, TelephonyRuntime
from telephony.seats.service import require_own_call
from tickets.deps import ClockDep, CurrentUser, SessionDep, require_role
from tickets.enums import Role
from tickets.workflow.emergency import ticket_by_number

router = APIRouter(prefix="/linkage", tags=["linkage: emergency hand-off"])

ADMIN = [Depends(require_role())]  # administrators only
AGENTS = [Depends(require_role(Role.AGENT, Role.SUPERVISOR))]
READERS = [Depends(require_role(Role.AGENT, Role.SUPERVISOR, Role.REVIEWER))]
SUPERVISORS = [Depends(require_role(Role.SUPERVISOR, Role.REVIEWER))]


def get_linkage(request: HTTPConnection) -> LinkageService:
    service = getattr(request.app.state, "linkage", None)
    if not isinstance(service, LinkageService):
        raise LinkageOff("the emergency linkage is not running in this process")
    return service


LinkageDep = Annotated[LinkageService, Depends(get_linkage)]


async def steerable(linkedid: str, request: HTTPConnection, operator: OperatorDep,
                    session: SessionDep) -> None:
    """An agent hands off only the calls their seat answered (supervisors: any live call).

    Without a call controller in this process nothing can be dialled, so there is no call
    to own; with one, the call must be live.
    """
    telephony = getattr(request.app.state, "telephony", None)
    if not isinstance(telephony, TelephonyRuntime) or telephony.controller is None:
        return
    call = telephony.controller.line.calls.get(linkedid)
    if call is None:
        raise CallNotFound(f"no live call {linkedid}", linkedid=linkedid)
    await require_own_call(session, telephony.seats, operator, call)


STEERS = [*AGENTS, Depends(steerable)]


async def _list_changed(request: HTTPConnection) -> None:
    """This node's alerts use the new list at once (other nodes within a minute)."""
    service = getattr(request.app.state, "linkage", None)
    if isinstance(service, LinkageService):
        await service.entries.refresh()


# -- the emergency event list (zhanjiang 14) ------------------------------------------------


@router.get("/targets", dependencies=READERS)
async def list_targets(session: SessionDep) -> list[TargetOut]:
    """The emergency list, by kind (secrets are never shown)."""
    return [TargetOut.model_validate(r) for r in await targets.listing(session)]


@router.post("/targets", status_code=201, dependencies=ADMIN)
async def create_target(body: TargetIn, session: SessionDep, clock: ClockDep,
                        user: CurrentUser, request: HTTPConnection) -> TargetCreated:
    """Add an entry; its signing secret is in this answer and never again."""
    row = await targets.create(session, body, clock(), user.username)
    await _list_changed(request)
    return TargetCreated(**TargetOut.model_validate(row).model_dump(), secret=row.secret)


@router.get("/targets/{target_id}", dependencies=READERS)
async def get_target(target_id: int, session: SessionDep) -> TargetOut:
    return TargetOut.model_validate(await targets.get(session, target_id))


@router.patch("/targets/{target_id}", dependencies=ADMIN)
async def update_target(target_id: int, body: TargetPatch, session: SessionDep,
                        clock: ClockDep, user: CurrentUser, request: HTTPConnection
                        ) -> TargetOut:
    """Change an entry (its numbers, endpoint, whether it waits for the agent...)."""
    row = await targets.update(session, target_id, body, clock(), user.username)
    await _list_changed(request)
    return TargetOut.model_validate(row)


@router.post("/targets/{target_id}/secret", dependencies=ADMIN)
async def rotate_secret(target_id: int, session: SessionDep, clock: ClockDep,
                        user: CurrentUser, request: HTTPConnection) -> SecretOut:
    """A new signing secret (the old one stops verifying); shown this once."""
    row = await targets.rotate_secret(session, target_id, clock(), user.username)
    await _list_changed(request)
    return SecretOut(id=row.id, secret=row.secret)


@router.delete("/targets/{target_id}", status_code=204, dependencies=ADMIN)
async def delete_target(target_id: int, session: SessionDep, user: CurrentUser,
                        request: HTTPConnection) -> Response:
    await targets.delete(session, target_id, user.username)
    await _list_changed(request)
    return Response(status_code=204)


# -- a call's hand-offs -----------------------------------------------------------------------


def _out(h: LiveHandoff) -> HandoffOut:
    receipt = h.receipt
    return HandoffOut(
        key=h.key, linkedid=h.linkedid, kind=h.kind, target=h.target, source=h.source,
        state=h.state.value, excerpt=h.excerpt,
        numbers=list(h.entry.numbers) if h.entry else [], number=h.number,
        dial_attempts=h.dial_attempts, room=h.room, ticket_number=h.ticket_number,
        alerted_at=h.alerted_at, confirmed_at=h.confirmed_at, confirmed_by=h.confirmed_by,
        joined_at=h.joined_at, ended_at=h.ended_at, data_state=h.data_state.value,
        data_attempts=h.data_attempts, receipt_status=receipt.status if receipt else None,
        receipt_hash=receipt.body_hash if receipt else None,
        receipt_verified=receipt.verified if receipt else None, data_error=h.data_error)


@router.get("/calls/{linkedid}", dependencies=READERS)
async def call_handoffs(linkedid: str, session: SessionDep) -> list[HandoffOut]:
    """The call's hand-offs with their timelines."""
    return await store.views(session, linkedid=linkedid)


@router.post("/calls/{linkedid}/alert", dependencies=STEERS)
async def alert(linkedid: str, body: AlertIn, linkage: LinkageDep, user: CurrentUser
                ) -> HandoffOut:
    """The agent's emergency button: the same alert as a detected one (once per kind)."""
    found = Detected(linkedid, body.kind, Source.AGENT, body.excerpt)
    return _out(await linkage.alert(found, user.username))


@router.post("/calls/{linkedid}/confirm", dependencies=STEERS)
async def confirm(linkedid: str, body: ConfirmIn, linkage: LinkageDep, user: CurrentUser
                  ) -> HandoffOut:
    """Hand off: the line joins caller and agent, the data goes; twice is the same as once."""
    return _out(await linkage.confirm(linkedid, body.kind, user.username, body.ticket_number))


@router.post("/calls/{linkedid}/retry", dependencies=STEERS)
async def retry(linkedid: str, body: HandoffAction, linkage: LinkageDep, user: CurrentUser
                ) -> HandoffOut:
    """The line did not answer: ring the next number on the list."""
    return _out(await linkage.retry(linkedid, body.kind, user.username))


@router.post("/calls/{linkedid}/cancel", dependencies=STEERS)
async def cancel(linkedid: str, body: CancelIn, linkage: LinkageDep, user: CurrentUser
                 ) -> HandoffOut:
    """A false alarm, before any line answered."""
    return _out(await linkage.cancel(linkedid, body.kind, user.username, body.reason))


@router.post("/calls/{linkedid}/ticket", dependencies=AGENTS)
async def attach_ticket(linkedid: str, body: TicketIn, linkage: LinkageDep, user: CurrentUser
                        ) -> dict[str, Any]:
    """The call's ticket becomes an emergency ticket (the profile's urgent deadline)."""
    return await linkage.attach_ticket(linkedid, body.kind, body.ticket_number, user.username)


@router.get("/tickets/{number}", dependencies=READERS)
async def ticket_handoffs(number: str, session: SessionDep) -> list[HandoffOut]:
    """A ticket's hand-offs with their timelines."""
    ticket = await ticket_by_number(session, number)
    if ticket is None:
        raise TicketNotFound(f"no ticket {number}", number=number)
    return await store.views(session, ticket_id=ticket.id)


# -- supervisors ------------------------------------------------------------------------------


@router.get("/alerts", dependencies=SUPERVISORS)
async def alerts(session: SessionDep, since: AwareDatetime | None = None,
                 limit: int = Query(200, ge=1, le=2000)) -> list[AlertOut]:
    """Data not delivered and receipts that do not verify, newest first."""
    return await store.alerts(session, since, limit)


@router.get("/stats", dependencies=SUPERVISORS)
async def stats(
    session: SessionDep,
    start: Annotated[AwareDatetime, Query(description="inclusive, with a time zone")],
    end: Annotated[AwareDatetime, Query(description="exclusive, with a time zone")],
) -> StatsOut:
    """Hand-offs per target alerted in [start, end)."""
    return await store.stats(session, start, end)
