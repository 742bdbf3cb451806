"""The revisit API: the manual revisit list (handed to a person) and the do-not-call list."""

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from tickets.deps import RuntimeDep, SessionDep, require_role
from tickets.enums import Role
from tickets.principal import Principal
from tickets.revisits import planning, queries
from tickets.revisits.schemas import DoNotCallOut, RevisitOut

log = logging.getLogger(__name__)

router = APIRouter(prefix="/revisits", tags=["revisits"])

Staff = Annotated[Principal, Depends(require_role(Role.REVIEWER, Role.SUPERVISOR))]
Page = Annotated[int, Query(ge=1, le=100_000)]
Size = Annotated[int, Query(ge=1, le=200)]


@router.get("/manual")
async def manual(session: SessionDep, _: Staff, page: Page = 1, size: Size = 50
                 ) -> list[RevisitOut]:
    """Revisits a person must make: attempts exhausted, no number, or do-not-call."""
    return await queries.manual_list(session, (page - 1) * size, size)


@router.get("/do-not-call")
async def do_not_call(session: SessionDep, _: Staff, page: Page = 1, size: Size = 50
                      ) -> list[DoNotCallOut]:
    """Numbers whose owners asked not to be called by revisits."""
    rows = await queries.do_not_call_list(session, (page - 1) * size, size)
    return [DoNotCallOut.model_validate(row) for row in rows]


@router.delete("/do-not-call/{number}", status_code=status.HTTP_204_NO_CONTENT)
async def allow(number: str, session: SessionDep, actor: Staff) -> None:
    """The citizen agreed to revisit calls again."""
    await queries.allow_calls(session, number)
    log.info("do-not-call: %s removed by %s", number, actor.username)


@router.get("/of-ticket/{number}")
async def of_ticket(number: str, session: SessionDep, _: Staff) -> list[RevisitOut]:
    """A ticket's revisits, each with its attempts (when they are due, how they went)."""
    return await queries.of_ticket(session, number)


@router.post("/{revisit_id}/call-now")
async def call_now(revisit_id: int, session: SessionDep, actor: Staff, runtime: RuntimeDep
                   ) -> RevisitOut:
    """The waiting attempt is placed at the dialer's next round (inside the calling windows)."""
    await planning.call_now(session, runtime.revisits, revisit_id, runtime.clock())
    log.info("revisit %d: call now, asked by %s", revisit_id, actor.username)
    return await queries.get_revisit(session, revisit_id)


@router.get("/{revisit_id}")
async def read(revisit_id: int, session: SessionDep, _: Staff) -> RevisitOut:
    """One revisit with its attempts."""
    return await queries.get_revisit(session, revisit_id)
