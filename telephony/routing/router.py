"""Legacy numbers and the block list over HTTP."""

from fastapi import APIRouter, status

from telephony.deps import ActorDep, RuntimeDep, SessionDep
from telephony.routing import service
from telephony.routing.schemas import BlockIn, BlockOut, LegacyNumberIn, LegacyNumberOut

router = APIRouter(prefix="/telephony", tags=["telephony: routing"])


@router.get("/legacy-numbers")
async def list_legacy(session: SessionDep) -> list[LegacyNumberOut]:
    """Every legacy number and how it is answered."""
    return [LegacyNumberOut.model_validate(row) for row in await service.list_legacy(session)]


@router.post("/legacy-numbers", status_code=status.HTTP_201_CREATED)
async def add_legacy(body: LegacyNumberIn, session: SessionDep, runtime: RuntimeDep
                     ) -> LegacyNumberOut:
    """Add a legacy number; it takes effect on the next call, without a reload."""
    row = await service.save_legacy(session, runtime.astdb, body, runtime.clock())
    return LegacyNumberOut.model_validate(row)


@router.put("/legacy-numbers/{number_id}")
async def replace_legacy(number_id: int, body: LegacyNumberIn, session: SessionDep,
                         runtime: RuntimeDep) -> LegacyNumberOut:
    """Change a legacy number's routing."""
    row = await service.save_legacy(session, runtime.astdb, body, runtime.clock(), number_id)
    return LegacyNumberOut.model_validate(row)


@router.delete("/legacy-numbers/{number_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_legacy(number_id: int, session: SessionDep, runtime: RuntimeDep) -> None:
    """Remove a legacy number."""
    await service.delete_legacy(session, runtime.astdb, number_id)


@router.get("/block-list")
async def list_blocks(session: SessionDep, runtime: RuntimeDep) -> list[BlockOut]:
    """Callers blocked now."""
    rows = await service.active_blocks(session, runtime.clock())
    return [BlockOut.model_validate(row) for row in rows]


@router.post("/block-list", status_code=status.HTTP_201_CREATED)
async def block(body: BlockIn, session: SessionDep, runtime: RuntimeDep, actor: ActorDep
                ) -> BlockOut:
    """Block a harassing caller (zhanjiang 第九条: at most 30 natural days)."""
    entry = await service.block(session, runtime.astdb, body, actor, runtime.clock())
    return BlockOut.model_validate(entry)


@router.post("/block-list/{entry_id}/lift")
async def lift(entry_id: int, session: SessionDep, runtime: RuntimeDep, actor: ActorDep
               ) -> BlockOut:
    """End a block early."""
    entry = await service.lift(session, runtime.astdb, entry_id, actor, runtime.clock())
    return BlockOut.model_validate(entry)
