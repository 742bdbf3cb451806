"""What the statistics API takes and gives."""

import re
from datetime import date, datetime, time, timedelta
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, BeforeValidator

from kernel.clock import BEIJING

_PLAIN_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _day(value: object, days_after: int) -> object:
    """A plain date (2026-12-01) as Beijing midnight, ``days_after`` days on; else as given."""
    if not (isinstance(value, str) and _PLAIN_DATE.match(value)):
        return value
    day = date.fromisoformat(value)
    try:
        return datetime.combine(day + timedelta(days=days_after), time(0), tzinfo=BEIJING)
    except OverflowError:
        raise ValueError(f"{value} is the last day of the calendar: give an instant") from None


# A period's ends: an instant with its time zone, or a plain date meaning Beijing time —
# ``start=2026-12-01`` from that day's 00:00, ``end=2026-12-31`` through that whole day.
PeriodStart = Annotated[AwareDatetime, BeforeValidator(lambda v: _day(v, 0))]
PeriodEnd = Annotated[AwareDatetime, BeforeValidator(lambda v: _day(v, 1))]


class Rate(BaseModel):
    """A ratio with its parts; ``value`` is None when nothing was counted."""

    numerator: int
    denominator: int
    value: float | None


def rate(numerator: int, denominator: int) -> Rate:
    """``numerator / denominator`` rounded to four places, or None over zero."""
    value = round(numerator / denominator, 4) if denominator else None
    return Rate(numerator=numerator, denominator=denominator, value=value)


class Count(BaseModel):
    """Tickets with one value of a field (None: not filled in)."""

    key: str | None
    count: int


class UnitCount(BaseModel):
    """Tickets led by one unit (None: no unit, e.g. answered on the spot)."""

    unit_id: int | None
    unit_name: str | None
    count: int


class OverdueTicket(BaseModel):
    """An open ticket past its deadline: no personal data of the requester."""

    number: str
    state: str
    request_type: str
    category: str | None
    summary: str
    lead_unit_id: int | None
    unit_name: str | None
    created_at: datetime
    handle_due: datetime
    days_overdue: int  # calendar days after the due day, Beijing time
    phone_reminders: int
    under_supervision: bool


class PeriodStats(BaseModel):
    """Figures for tickets created in [start, end); ``overdue`` lists every overdue ticket."""

    start: datetime
    end: datetime
    as_of: datetime  # the instant deadlines are judged at: the end, or now if sooner
    total: int
    by_request_type: list[Count]
    by_category: list[Count]
    by_district: list[Count]
    by_unit: list[UnitCount]
    replied: int
    late_open: int  # not replied, still open, past the deadline
    on_time: Rate  # replied in time ÷ (replied + late_open)
    satisfaction: Rate  # satisfied ÷ evaluated
    returns: Rate  # tickets with a return ÷ tickets dispatched
    overdue: list[OverdueTicket]


class UnitRow(BaseModel):
    """One unit's line of the monthly bulletin."""

    unit_id: int
    unit_name: str
    received: int
    replied: int
    replied_on_time: int
    late_open: int
    overdue: int  # every ticket of the unit overdue at the bulletin's instant
    evaluated: int
    satisfied: int
    on_time: Rate
    satisfaction: Rate


class Bulletin(BaseModel):
    """月通报 (tonghua 第三十二条), reporting overdue tickets first (第三十四条)."""

    year: int
    month: int
    profile: str
    generated_at: datetime
    summary: PeriodStats
    units: list[UnitRow]
