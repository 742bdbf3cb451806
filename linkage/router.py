"""The linkage API: the emergency list (administrators), the agent's hand-off commands, and
the supervisors' alerts and statistics.

Four routers, so the composition root guards each with the roles it admits: ``admin_router``
(the list's changes), ``readers_router`` (agents, reviewers, supervisors: the list and the
timelines), ``agents_router`` (agents and supervisors: the hand-off commands, each on a call
the asker's seat answered) and ``supervisors_router`` (alerts and statistics).
"""

from enum import Enum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from pydantic import AwareDatetime
from starlette.requests import HTTPConnection

from linkage import store, targets
from linkage.deps import ActorDep, LinkageDep, RuntimeDep, SessionDep
from linkage.detection import Detected, Source
from linkage.errors import TicketNotFound
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
from telephony.conference.errors import CallNotFound
from telephony.deps import OperatorDep, TelephonyRuntime
from telephony.seats.service import require_own_call

TAGS: list[str | Enum] = ["linkage: emergency hand-off"]
admin_router = APIRouter(prefix="/linkage", tags=TAGS)
readers_router = APIRouter(prefix="/linkage", tags=TAGS)
agents_router = APIRouter(prefix="/linkage", tags=TAGS)
supervisors_router = APIRouter(prefix="/linkage", tags=TAGS)


async def _list_changed(request: HTTPConnection) -> None:
    """This node's alerts use the new list at once (other nodes within a minute)."""
    service = getattr(request.app.state, "linkage", None)
    if isinstance(service, LinkageService):
        await service.entries.refresh()


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


STEERS = [Depends(steerable)]


# -- the emergency event list (zhanjiang 14) ------------------------------------------------


@readers_router.get("/targets")
async def list_targets(session: SessionDep) -> list[TargetOut]:
    """The emergency list, by kind (secrets are never shown)."""
    return [TargetOut.model_validate(r) for r in await targets.listing(session)]


@admin_router.post("/targets", status_code=201)
async def create_target(body: TargetIn, session: SessionDep, runtime: RuntimeDep,
                        actor: ActorDep, request: HTTPConnection) -> TargetCreated:
    """Add an entry; its signing secret is in this answer and never again."""
    row = await targets.create(session, body, runtime.clock(), actor)
    await _list_changed(request)
    return TargetCreated(**TargetOut.model_validate(row).model_dump(), secret=row.secret)


@readers_router.get("/targets/{target_id}")
async def get_target(target_id: int, session: SessionDep) -> TargetOut:
    return TargetOut.model_validate(await targets.get(session, target_id))


@admin_router.patch("/targets/{target_id}")
async def update_target(target_id: int, body: TargetPatch, session: SessionDep,
                        runtime: RuntimeDep, actor: ActorDep, request: HTTPConnection
                        ) -> TargetOut:
    """Change an entry (its numbers, endpoint, whether it waits for the agent...)."""
    row = await targets.update(session, target_id, body, runtime.clock(), actor)
    await _list_changed(request)
    return TargetOut.model_validate(row)


@admin_router.post("/targets/{target_id}/secret")
async def rotate_secret(target_id: int, session: SessionDep, runtime: RuntimeDep,
                        actor: ActorDep, request: HTTPConnection) -> SecretOut:
    """A new signing secret (the old one stops verifying); shown this once."""
    row = await targets.rotate_secret(session, target_id, runtime.clock(), actor)
    await _list_changed(request)
    return SecretOut(id=row.id, secret=row.secret)


@admin_router.delete("/targets/{target_id}", status_code=204)
async def delete_target(target_id: int, session: SessionDep, actor: ActorDep,
                        request: HTTPConnection) -> Response:
    await targets.delete(session, target_id, actor)
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


@readers_router.get("/calls/{linkedid}")
async def call_handoffs(linkedid: str, session: SessionDep) -> list[HandoffOut]:
    """The call's hand-offs with their timelines."""
    return await store.views(session, linkedid=linkedid)


@agents_router.post("/calls/{linkedid}/alert", dependencies=STEERS)
async def alert(linkedid: str, body: AlertIn, linkage: LinkageDep, actor: ActorDep
                ) -> HandoffOut:
    """The agent's emergency button: the same alert as a detected one (once per kind)."""
    found = Detected(linkedid, body.kind, Source.AGENT, body.excerpt)
    return _out(await linkage.alert(found, actor))


@agents_router.post("/calls/{linkedid}/confirm", dependencies=STEERS)
async def confirm(linkedid: str, body: ConfirmIn, linkage: LinkageDep, actor: ActorDep
                  ) -> HandoffOut:
    """Hand off: the line joins caller and agent, the data goes; twice is the same as once."""
    return _out(await linkage.confirm(linkedid, body.kind, actor, body.ticket_number))


@agents_router.post("/calls/{linkedid}/retry", dependencies=STEERS)
async def retry(linkedid: str, body: HandoffAction, linkage: LinkageDep, actor: ActorDep
                ) -> HandoffOut:
    """The line did not answer: ring the next number on the list."""
    return _out(await linkage.retry(linkedid, body.kind, actor))


@agents_router.post("/calls/{linkedid}/cancel", dependencies=STEERS)
async def cancel(linkedid: str, body: CancelIn, linkage: LinkageDep, actor: ActorDep
                 ) -> HandoffOut:
    """A false alarm, before any line answered."""
    return _out(await linkage.cancel(linkedid, body.kind, actor, body.reason))


@agents_router.post("/calls/{linkedid}/ticket")
async def attach_ticket(linkedid: str, body: TicketIn, linkage: LinkageDep, actor: ActorDep
                        ) -> dict[str, Any]:
    """The call's ticket becomes an emergency ticket (the profile's urgent deadline)."""
    return await linkage.attach_ticket(linkedid, body.kind, body.ticket_number, actor)


@readers_router.get("/tickets/{number}")
async def ticket_handoffs(number: str, session: SessionDep, runtime: RuntimeDep
                          ) -> list[HandoffOut]:
    """A ticket's hand-offs with their timelines."""
    ticket = await runtime.desk.by_number(number)
    if ticket is None:
        raise TicketNotFound(f"no ticket {number}", number=number)
    return await store.views(session, ticket_id=ticket.ticket_id)


# -- supervisors ------------------------------------------------------------------------------


@supervisors_router.get("/alerts")
async def alerts(session: SessionDep, since: AwareDatetime | None = None,
                 limit: int = Query(200, ge=1, le=2000)) -> list[AlertOut]:
    """Data not delivered and receipts that do not verify, newest first."""
    return await store.alerts(session, since, limit)


@supervisors_router.get("/stats")
async def stats(
    session: SessionDep,
    start: Annotated[AwareDatetime, Query(description="inclusive, with a time zone")],
    end: Annotated[AwareDatetime, Query(description="exclusive, with a time zone")],
) -> StatsOut:
    """Hand-offs per target alerted in [start, end)."""
    return await store.stats(session, start, end)
