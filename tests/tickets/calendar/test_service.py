"""The calendar's warning: next year's holidays missing in December are said loudly."""

from datetime import datetime

import pytest

from tickets.calendar.service import warn_if_next_year_missing
from tickets.calendar.workdays import WorkingCalendar


def test_in_december_missing_holidays_for_next_year_are_said_loudly(
        caplog: pytest.LogCaptureFixture) -> None:
    december = datetime.fromisoformat("2026-12-07T08:00:00+08:00")
    november = datetime.fromisoformat("2026-11-30T08:00:00+08:00")
    assert warn_if_next_year_missing(WorkingCalendar(), november) is False
    assert "NOT loaded" not in caplog.text  # not yet the season to shout
    assert warn_if_next_year_missing(WorkingCalendar(), december) is False
    assert "2027's public holidays are NOT loaded" in caplog.text
