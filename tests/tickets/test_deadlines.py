"""Working-day arithmetic: tables around 2026's holidays, and properties over any start."""

from datetime import UTC, date, datetime, time, timedelta

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kernel.clock import BEIJING
from tickets.calendar.workdays import WorkingCalendar, packaged_years
from tickets.deadlines import add_working_days, due_after, working_days_between
from tickets.errors import TimezoneRequired
from tickets.policy.schema import Period, PeriodUnit

CALENDAR = WorkingCalendar()
LAST_KNOWN = max(packaged_years())


def wd(n: int) -> Period:
    return Period(n, PeriodUnit.WORKING_DAYS, "test")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.mark.parametrize(("start", "days", "due"), [
    # an ordinary week: Monday + 5 working days is the next Monday
    ("2026-03-02T10:00:00+08:00", 5, "2026-03-09T23:59:59+08:00"),
    # the event day never counts, even at 00:00 (民法典 第二百零一条)
    ("2026-03-02T00:00:00+08:00", 1, "2026-03-03T23:59:59+08:00"),
    # National Day 2026: 1–7 October off, Saturday 10 October is a make-up working day
    ("2026-09-30T10:00:00+08:00", 5, "2026-10-13T23:59:59+08:00"),
    ("2026-09-30T10:00:00+08:00", 3, "2026-10-10T23:59:59+08:00"),
    # Spring Festival 2026: 15–23 February off, Saturday 14 and 28 February worked
    ("2026-02-13T18:00:00+08:00", 1, "2026-02-14T23:59:59+08:00"),
    ("2026-02-13T18:00:00+08:00", 2, "2026-02-24T23:59:59+08:00"),
    ("2026-02-24T09:00:00+08:00", 4, "2026-02-28T23:59:59+08:00"),
    # Labour Day 2026: 1–5 May off, Saturday 9 May worked
    ("2026-04-30T16:00:00+08:00", 2, "2026-05-07T23:59:59+08:00"),
    ("2026-04-30T16:00:00+08:00", 4, "2026-05-09T23:59:59+08:00"),
    # late evening UTC is already the next day in Beijing
    ("2026-03-01T17:30:00+00:00", 1, "2026-03-03T23:59:59+08:00"),
    # 0 working days: the same day (tonghua 第十五条, review and dispatch the same day)
    ("2026-10-03T10:00:00+08:00", 0, "2026-10-03T23:59:59+08:00"),
])
def test_working_day_deadlines_around_2026_holidays(start: str, days: int, due: str) -> None:
    result = due_after(at(start), wd(days), CALENDAR)
    assert result.at.isoformat() == due
    assert result.provisional is False


def test_hours_run_from_the_instant_across_days_and_holidays() -> None:
    due = due_after(at("2026-09-30T20:00:00+08:00"), Period(12, PeriodUnit.HOURS, "t"), CALENDAR)
    assert due.at.isoformat() == "2026-10-01T08:00:00+08:00"


def test_natural_days_end_at_midnight_of_the_last_day() -> None:
    due = due_after(at("2026-01-01T09:00:00+08:00"),
                    Period(30, PeriodUnit.NATURAL_DAYS, "t"), CALENDAR)
    assert due.at.isoformat() == "2026-01-31T23:59:59+08:00"


def test_a_naive_start_is_refused() -> None:
    with pytest.raises(TimezoneRequired):
        due_after(datetime(2026, 3, 2, 10), wd(5), CALENDAR)


def test_unknown_year_is_counted_monday_to_friday_and_marked_provisional() -> None:
    year = LAST_KNOWN + 1
    result = due_after(datetime(year, 1, 1, 10, tzinfo=BEIJING), wd(5), CALENDAR)
    assert result.provisional is True
    assert CALENDAR.is_working_day(result.at.date())


def test_an_imported_year_makes_the_same_deadline_firm_and_honours_its_holidays() -> None:
    year = LAST_KNOWN + 1
    new_year = date(year, 1, 1)
    first_monday = new_year + timedelta(days=(7 - new_year.weekday()) % 7)
    loaded = WorkingCalendar({first_monday: False}, loaded_years=[year])
    start = datetime.combine(first_monday - timedelta(days=3), time(10), tzinfo=BEIJING)
    guessed = due_after(start, wd(1), CALENDAR)
    firm = due_after(start, wd(1), loaded)
    assert guessed.provisional and not firm.provisional
    assert firm.at.date() == first_monday + timedelta(days=1)


starts = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(LAST_KNOWN, 10, 1),
    timezones=st.sampled_from([BEIJING, UTC]),
)


@settings(max_examples=300, deadline=None)
@given(start=starts, days=st.integers(min_value=1, max_value=30))
def test_due_is_the_nth_statutory_working_day_after_the_event_day(
    start: datetime, days: int
) -> None:
    result = due_after(start, wd(days), CALENDAR)
    event_day = start.astimezone(BEIJING).date()
    due_day = result.at.date()
    assert result.at.time() == time(23, 59, 59) and result.at.utcoffset() == timedelta(hours=8)
    assert chinese_calendar.is_workday(due_day)
    counted = [event_day + timedelta(days=i) for i in range(1, (due_day - event_day).days + 1)]
    assert sum(chinese_calendar.is_workday(day) for day in counted) == days
    assert working_days_between(event_day, due_day, CALENDAR) == days


@settings(max_examples=200, deadline=None)
@given(start=starts, days=st.integers(min_value=0, max_value=20))
def test_one_more_working_day_never_ends_sooner(start: datetime, days: int) -> None:
    shorter = due_after(start, wd(days), CALENDAR).at
    longer = due_after(start, wd(days + 1), CALENDAR).at
    assert longer > shorter


@settings(max_examples=200, deadline=None)
@given(day=st.dates(min_value=date(2024, 1, 1), max_value=date(LAST_KNOWN, 12, 1)),
       first=st.times(), second=st.times(), days=st.integers(min_value=0, max_value=15))
def test_the_time_of_day_of_the_event_does_not_matter(
    day: date, first: time, second: time, days: int
) -> None:
    one = due_after(datetime.combine(day, first, tzinfo=BEIJING), wd(days), CALENDAR)
    two = due_after(datetime.combine(day, second, tzinfo=BEIJING), wd(days), CALENDAR)
    assert one == two


@settings(max_examples=200, deadline=None)
@given(day=st.dates(min_value=date(2024, 1, 1), max_value=date(LAST_KNOWN, 10, 1)),
       a=st.integers(min_value=0, max_value=10), b=st.integers(min_value=0, max_value=10))
def test_adding_working_days_composes(day: date, a: int, b: int) -> None:
    middle, _ = add_working_days(day, a, CALENDAR)
    end, _ = add_working_days(middle, b, CALENDAR)
    assert add_working_days(day, a + b, CALENDAR)[0] == end
