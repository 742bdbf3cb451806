"""Deadline arithmetic: a period counted from an event on the working-day calendar."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from kernel.clock import beijing, end_of_day, out_of_range, require_aware, utc
from tickets.calendar.workdays import WorkingCalendar
from tickets.policy.schema import Period, PeriodUnit


@dataclass(frozen=True)
class Due:
    """When a period ends; ``provisional`` if a day on the way was guessed."""

    at: datetime
    provisional: bool


def due_after(start: datetime, period: Period, calendar: WorkingCalendar) -> Due:
    """The end of ``period`` counted from ``start``.

    Days are counted from the day after the event (民法典 第二百零一条) and the period ends at
    23:59:59 of its last day, Beijing time; hours run from the instant itself.
    """
    require_aware(start, field="start")
    try:
        if period.unit is PeriodUnit.HOURS:
            return Due(utc_safe(beijing(start + timedelta(hours=period.amount))), False)
        day = beijing(start).date()
        if period.unit is PeriodUnit.NATURAL_DAYS:
            return Due(utc_safe(end_of_day(day + timedelta(days=period.amount))), False)
        last_day, provisional = add_working_days(day, period.amount, calendar)
        return Due(utc_safe(end_of_day(last_day)), provisional)
    except OverflowError:  # past 9999-12-31: no deadline to give
        raise out_of_range(start, "start") from None


def utc_safe(due: datetime) -> datetime:
    """``due`` once it is known to have a UTC form too (the database stores that)."""
    utc(due)
    return due


def add_working_days(day: date, count: int, calendar: WorkingCalendar) -> tuple[date, bool]:
    """The ``count``-th working day after ``day`` (``day`` itself when count is 0)."""
    provisional = False
    remaining = count
    while remaining > 0:
        day += timedelta(days=1)
        info = calendar.day(day)
        provisional = provisional or not info.known
        if info.working:
            remaining -= 1
    return day, provisional


def working_days_between(start: date, end: date, calendar: WorkingCalendar) -> int:
    """Working days in the half-open range (start, end]."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            count += 1
    return count
