"""Seat bindings over HTTP: administrators bind users to extensions; everyone reads their own.

Two routers, so the composition root guards them apart: ``admin_router`` (administrators)
and ``router`` (any authenticated user: the console asks which seat is theirs).
"""

from fastapi import APIRouter, status

from telephony.deps import ActorDep, OperatorDep, RuntimeDep, SessionDep
from telephony.seats import service
from telephony.seats.schemas import Extension, MySeatOut, SeatIn, SeatOut

router = APIRouter(prefix="/telephony/seats", tags=["telephony: seats"])
admin_router = APIRouter(prefix="/telephony/seats", tags=["telephony: seats"])


@router.get("/mine")
async def my_seat(operator: OperatorDep, session: SessionDep, runtime: RuntimeDep) -> MySeatOut:
    """The seat bound to the caller, the interfaces it logs in with, the queues it may join."""
    extension = await service.seat_of(session, operator.username)
    known = extension if extension in runtime.seats.extensions else None
    return MySeatOut(extension=known,
                     interfaces=runtime.seats.interfaces(known) if known else [],
                     queues=sorted(runtime.seats.queues), supervises=operator.supervises)


@admin_router.get("")
async def list_seats(session: SessionDep) -> list[SeatOut]:
    """Every bound seat."""
    return [SeatOut.model_validate(row) for row in await service.bindings(session)]


@admin_router.put("/{extension}")
async def bind_seat(extension: Extension, body: SeatIn, session: SessionDep,
                    runtime: RuntimeDep, actor: ActorDep) -> SeatOut:
    """Bind a user to the extension (a user has one seat: an earlier one is freed)."""
    row = await service.bind(session, runtime.seats, extension, body.username, actor,
                             runtime.clock())
    return SeatOut.model_validate(row)


@admin_router.delete("/{extension}", status_code=status.HTTP_204_NO_CONTENT)
async def unbind_seat(extension: Extension, session: SessionDep, actor: ActorDep) -> None:
    """Free the seat."""
    await service.unbind(session, extension, actor)
