"""Which days are working days, and whether we know for sure."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache

import chinese_calendar
from chinese_calendar import constants as calendar_constants


@dataclass(frozen=True)
class DayInfo:
    """A day's status; ``known`` is False when it was guessed as Monday–Friday."""

    working: bool
    known: bool


@cache
def packaged_years() -> frozenset[int]:
    """Years the installed ``chinesecalendar`` knows (it stops at its release)."""
    days = list(calendar_constants.holidays) + list(calendar_constants.workdays)
    return frozenset(range(min(days).year, max(days).year + 1))


class WorkingCalendar:
    """The statutory calendar, overridden day by day by what an administrator loaded.

    ``overrides`` maps a date to whether it is a working day. ``loaded_years`` are years an
    administrator imported in full: their days without an override are Monday–Friday, known.
    """

    def __init__(
        self, overrides: Mapping[date, bool] | None = None, loaded_years: Iterable[int] = ()
    ) -> None:
        self._overrides = dict(overrides or {})
        self._loaded_years = frozenset(loaded_years)

    @property
    def known_years(self) -> frozenset[int]:
        """Years whose every day is known (package or import)."""
        return packaged_years() | self._loaded_years

    def day(self, day: date) -> DayInfo:
        """Whether ``day`` is a working day, and whether that is known or guessed."""
        override = self._overrides.get(day)
        if override is not None:
            return DayInfo(override, True)
        if day.year in self._loaded_years:
            return DayInfo(day.weekday() < 5, True)
        if day.year in packaged_years():
            return DayInfo(bool(chinese_calendar.is_workday(day)), True)
        return DayInfo(day.weekday() < 5, False)

    def is_working_day(self, day: date) -> bool:
        """Shorthand for ``day(day).working``."""
        return self.day(day).working
