"""The working calendar over HTTP."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from tickets.calendar.schemas import CalendarImport, DayOut, ImportResult
from tickets.calendar.service import calendar_days, import_calendar
from tickets.deps import CurrentUser, RuntimeDep, SessionDep, require_role
from tickets.enums import Role

router = APIRouter(prefix="/calendar", tags=["calendar"])


@router.get("/days")
async def days(
    runtime: RuntimeDep, _user: CurrentUser,
    start: date, end: Annotated[date, Query()],
) -> list[DayOut]:
    """Each day in [start, end]: working or not, known or guessed (at most a year)."""
    end = min(end, date.fromordinal(start.toordinal() + 366))
    return [DayOut(day=d, working=w, known=k)
            for d, w, k in calendar_days(runtime.calendar, start, end)]


@router.post("/import", dependencies=[Depends(require_role(Role.ADMIN))])
async def import_days(body: CalendarImport, session: SessionDep, runtime: RuntimeDep
                      ) -> ImportResult:
    """Load holidays and make-up working days; provisional deadlines are recomputed."""
    calendar, recomputed = await import_calendar(session, body, runtime.clock())
    runtime.calendar = calendar
    return ImportResult(days=len(body.days), years=body.years, recomputed_tickets=recomputed)
