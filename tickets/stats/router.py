"""The statistics API: period summary and the monthly bulletin as JSON or CSV."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response

from tickets.deps import ClockDep, PolicyDep, SessionDep, require_role
from tickets.enums import Role
from tickets.stats.bulletin import build_bulletin, bulletin_csv, csv_filename
from tickets.stats.schemas import Bulletin, PeriodEnd, PeriodStart, PeriodStats
from tickets.stats.service import period_stats


def _roles() -> list[Any]:
    return [Depends(require_role(Role.SUPERVISOR, Role.REVIEWER))]


router = APIRouter(prefix="/stats", tags=["stats"], dependencies=_roles())


@router.get("/summary")
async def summary(
    session: SessionDep, policy: PolicyDep, clock: ClockDep,
    start: Annotated[PeriodStart, Query(
        description="inclusive: an instant with its time zone, or a date (from its 00:00, "
                    "Beijing time)", examples=["2026-12-01", "2026-12-01T00:00:00+08:00"])],
    end: Annotated[PeriodEnd, Query(
        description="exclusive: an instant with its time zone, or a date (through the whole "
                    "day, Beijing time)", examples=["2026-12-31", "2027-01-01T00:00:00+08:00"])],
) -> PeriodStats:
    """Figures for tickets created in [start, end), and every ticket overdue now.

    ``start=2026-12-01&end=2026-12-31`` is December, Beijing time.
    """
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
