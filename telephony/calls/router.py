"""The line's figures over HTTP."""

from dataclasses import asdict
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import AwareDatetime

from telephony.calls.figures import figures
from telephony.deps import SessionDep

router = APIRouter(prefix="/telephony", tags=["telephony: calls"])


class GroupBy(StrEnum):
    QUEUE = "queue"
    AGENT = "agent"


@router.get("/figures")
async def period_figures(
    session: SessionDep, start: Annotated[AwareDatetime, Query()],
    end: Annotated[AwareDatetime, Query()], by: GroupBy | None = None,
) -> list[dict[str, Any]]:
    """Answer rate, 15-second answer rate, abandonment, ASA and AHT over [start, end)."""
    rows = await figures(session, start, end, by.value if by else None)
    return [asdict(row) for row in rows]
