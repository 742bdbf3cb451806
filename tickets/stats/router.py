"""The statistics API: period summary and the monthly bulletin as JSON or CSV."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from pydantic import AwareDatetime

from tickets.deps import ClockDep, PolicyDep, SessionDep, require_role
from tickets.enums import Role
from tickets.stats.bulletin import build_bulletin, bulletin_csv, csv_filename
from tickets.stats.schemas import Bulletin, PeriodStats
from tickets.stats.service import period_stats


def _roles() -> list[Any]:
    return [Depends(require_role(Role.SUPERVISOR, Role.REVIEWER))]


router = APIRouter(prefix="/stats", tags=["stats"], dependencies=_roles())


@router.get("/summary")
async def summary(
    session: SessionDep, policy: PolicyDep, clock: ClockDep,
    start: Annotated[AwareDatetime, Query(description="inclusive, with a time zone")],
    end: Annotated[AwareDatetime, Query(description="exclusive, with a time zone")],
) -> PeriodStats:
    """Figures for tickets created in [start, end), and every ticket overdue now."""
    return await period_stats(session, policy, start, end, now=clock())


@router.get("/bulletin/{year}/{month}.json")
async def bulletin_json(
    year: int, month: int, session: SessionDep, policy: PolicyDep, clock: ClockDep
) -> Bulletin:
    """The monthly bulletin (tonghua 第三十二、三十四条)."""
    return await build_bulletin(session, policy, year, month, clock())


@router.get("/bulletin/{year}/{month}.csv", response_class=Response)
async def bulletin_csv_file(
    year: int, month: int, session: SessionDep, policy: PolicyDep, clock: ClockDep
) -> Response:
    """The monthly bulletin as a CSV file Excel opens with its Chinese intact."""
    bulletin = await build_bulletin(session, policy, year, month, clock())
    return Response(
        content=bulletin_csv(bulletin).encode("utf-8"), media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{csv_filename(bulletin)}"'},
    )
