"""Calling windows: the hours of a Beijing day in which citizens may be called."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from itertools import pairwise

from kernel.clock import BEIJING, beijing
from tickets.revisits.errors import BadCallingWindows

_WINDOW = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
DEFAULT_WINDOWS = ("09:00-12:00", "14:00-20:00")


def _minute(hours: str, minutes: str, text: str) -> int:
    h, m = int(hours), int(minutes)
    if h > 24 or m > 59 or (h == 24 and m):
        raise BadCallingWindows(f"no such time in calling window {text!r}", window=text)
    return h * 60 + m


@dataclass(frozen=True)
class CallingWindows:
    """Non-overlapping [start, end) spans of each day, in minutes after midnight, Beijing."""

    spans: tuple[tuple[int, int], ...]

    @classmethod
    def parse(cls, texts: Iterable[str]) -> "CallingWindows":
        """``["09:00-12:00", "14:00-20:00"]``; a bad, empty or overlapping list is refused."""
        texts = list(texts)
        spans = []
        for text in texts:
            found = _WINDOW.match(text)
            if found is None:
                raise BadCallingWindows(f"a calling window is HH:MM-HH:MM, not {text!r}",
                                        window=text)
            start = _minute(found.group(1), found.group(2), text)
            end = _minute(found.group(3), found.group(4), text)
            if end <= start:
                raise BadCallingWindows(f"calling window {text!r} ends before it starts",
                                        window=text)
            spans.append((start, end))
        spans.sort()
        if not spans:
            raise BadCallingWindows("at least one calling window is needed")
        for (_, end), (start, _) in pairwise(spans):
            if start < end:
                raise BadCallingWindows("calling windows overlap", windows=texts)
        return cls(tuple(spans))

    def contains(self, moment: datetime) -> bool:
        """Whether ``moment`` falls inside a window."""
        local = beijing(moment)
        minute = local.hour * 60 + local.minute
        return any(start <= minute < end for start, end in self.spans)

    def next_open(self, moment: datetime) -> datetime:
        """``moment`` itself when inside a window, else the start of the next window."""
        if self.contains(moment):
            return moment
        local = beijing(moment)
        minute = local.hour * 60 + local.minute
        day = local.date()
        for offset in (0, 1):
            for start, _ in self.spans:
                if offset or start > minute:
                    return datetime.combine(day + timedelta(days=offset), time(),
                                            tzinfo=BEIJING) + timedelta(minutes=start)
        raise AssertionError("unreachable: a day always has a window")

    def describe(self) -> list[str]:
        """The windows as text, e.g. ``["09:00-12:00"]``."""
        return [f"{s // 60:02d}:{s % 60:02d}-{e // 60:02d}:{e % 60:02d}" for s, e in self.spans]
