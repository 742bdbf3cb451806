"""Calling windows: inside, before, between and after the windows of a Beijing day."""

import pytest

from tests.tickets.revisits.helpers import at
from tickets.revisits.errors import BadCallingWindows
from tickets.revisits.windows import CallingWindows

WINDOWS = CallingWindows.parse(["14:00-20:00", "09:00-12:00"])


@pytest.mark.parametrize(("moment", "inside"), [
    ("2026-03-02T09:00:00+08:00", True), ("2026-03-02T11:59:59+08:00", True),
    ("2026-03-02T12:00:00+08:00", False), ("2026-03-02T08:59:00+08:00", False),
    ("2026-03-02T19:59:00+08:00", True), ("2026-03-02T20:00:00+08:00", False),
    ("2026-03-02T02:30:00+00:00", True),  # 10:30 in Beijing
])
def test_a_moment_is_inside_only_between_a_window_s_start_and_end(moment: str,
                                                                   inside: bool) -> None:
    assert WINDOWS.contains(at(moment)) is inside


@pytest.mark.parametrize(("moment", "opens"), [
    ("2026-03-02T10:15:00+08:00", "2026-03-02T10:15:00+08:00"),
    ("2026-03-02T07:00:00+08:00", "2026-03-02T09:00:00+08:00"),
    ("2026-03-02T12:30:00+08:00", "2026-03-02T14:00:00+08:00"),
    ("2026-03-02T21:00:00+08:00", "2026-03-03T09:00:00+08:00"),
    ("2026-03-02T13:00:00+00:00", "2026-03-03T09:00:00+08:00"),  # 21:00 in Beijing
])
def test_the_next_open_moment_is_now_inside_else_the_next_window_s_start(moment: str,
                                                                          opens: str) -> None:
    assert WINDOWS.next_open(at(moment)) == at(opens)


def test_windows_are_described_in_order() -> None:
    assert WINDOWS.describe() == ["09:00-12:00", "14:00-20:00"]


@pytest.mark.parametrize("bad", [["9-12"], ["12:00-09:00"], ["09:00-12:00", "11:00-13:00"],
                                 [], ["25:00-26:00"], ["09:00-09:00"]])
def test_bad_windows_are_refused(bad: list[str]) -> None:
    with pytest.raises(BadCallingWindows):
        CallingWindows.parse(bad)


def test_a_window_may_run_to_midnight() -> None:
    late = CallingWindows.parse(["18:00-24:00"])
    assert late.contains(at("2026-03-02T23:59:00+08:00"))
    assert late.next_open(at("2026-03-03T00:10:00+08:00")) == at("2026-03-03T18:00:00+08:00")
