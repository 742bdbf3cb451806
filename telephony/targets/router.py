"""The dial allow-list over HTTP (administrators)."""

from fastapi import APIRouter, status

from telephony.deps import ActorDep, RuntimeDep, SessionDep
from telephony.targets import service
from telephony.targets.schemas import DialTargetIn, DialTargetOut, Number

router = APIRouter(prefix="/telephony/dial-targets", tags=["telephony: dial allow-list"])


@router.get("")
async def list_targets(session: SessionDep) -> list[DialTargetOut]:
    """Numbers calls may dial beside the units' registered ones."""
    return [DialTargetOut.model_validate(row) for row in await service.listed(session)]


@router.post("", status_code=status.HTTP_201_CREATED)
async def add_target(body: DialTargetIn, session: SessionDep, runtime: RuntimeDep,
                     actor: ActorDep) -> DialTargetOut:
    """Allow a number (three-party calls and transfers may then dial it)."""
    row = await service.add(session, body.number, body.label, actor, runtime.clock())
    return DialTargetOut.model_validate(row)


@router.delete("/{number}", status_code=status.HTTP_204_NO_CONTENT)
async def remove_target(number: Number, session: SessionDep, actor: ActorDep) -> None:
    """Take a number off the allow-list."""
    await service.remove(session, number, actor)
