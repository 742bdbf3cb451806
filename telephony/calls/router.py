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
    """Answer rate, 15-second answer rate, abandonment, ASA and AHT over [start, end).

    Offered calls are inbound calls that reached a queue (GB/T 33358); calls the IVR served
    to the end (``self_served``) and callback legs (``callback_calls``, outbound) are counted
    apart, never as offered or abandoned. By queue, the group ``null`` holds the self-served.
    """
    rows = await figures(session, start, end, by.value if by else None)
    return [asdict(row) for row in rows]
