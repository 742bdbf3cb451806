"""Missed-call callbacks over HTTP: the supervisors' list and cancel."""

from fastapi import APIRouter, Query

from telephony.callbacks import service
from telephony.callbacks.models import CallbackState
from telephony.callbacks.schemas import CallbackOut
from telephony.deps import ActorDep, RuntimeDep, SessionDep

router = APIRouter(prefix="/telephony", tags=["telephony: callbacks"])


@router.get("/callbacks")
async def list_callbacks(session: SessionDep, state: CallbackState | None = None,
                         limit: int = Query(500, ge=1, le=5000)) -> list[CallbackOut]:
    """Callbacks owed (or in ``state``), soonest due first."""
    rows = await service.listing(session, state, limit)
    return [CallbackOut.model_validate(row) for row in rows]


@router.post("/callbacks/{callback_id}/cancel")
async def cancel(callback_id: int, session: SessionDep, runtime: RuntimeDep, actor: ActorDep
                 ) -> CallbackOut:
    """Decide a pending callback is not owed (the caller got through another way)."""
    row = await service.move(session, callback_id, service.CallbackEvent.CANCEL,
                             runtime.clock(), actor)
    return CallbackOut.model_validate(row)
