"""The one transition rule of every lifecycle: check the source state, log, or refuse.

Each lifecycle keeps its states and events in enums and a table mapping each event to the
states it may start from and the state it leads to (None: the state stays). A move from any
other state is refused with the lifecycle's domain error naming the subject, the state, the
event and the states it would have been legal from; a legal one is logged
``old -> event -> new``.
"""

import logging
from collections.abc import Mapping
from enum import StrEnum
from typing import Any, TypeVar

from kernel.errors import DomainError, IllegalTransition

State = TypeVar("State", bound=StrEnum)
Event = TypeVar("Event", bound=StrEnum)

_log = logging.getLogger(__name__)


def check(table: Mapping[Event, tuple[frozenset[State], State | None]], current: State,
          event: Event, subject: str, *, refused: type[DomainError] = IllegalTransition,
          **details: Any) -> State:
    """The state ``event`` leads to from ``current``, or ``refused``; logs nothing.

    For a move that is written before it counts (a compare-and-set): log it with
    :func:`note` once it is.
    """
    sources, target = table[event]
    if current not in sources:
        raise refused(
            f"{subject} cannot {event.value} while {current.value}",
            state=current.value, event=event.value,
            allowed_from=sorted(s.value for s in sources), **details)
    return current if target is None else target


def note(subject: str, old: str, event: str, new: str, why: str = "",
         log: logging.Logger = _log) -> None:
    """The one log line of a transition: ``subject: old -> event -> new (why)``."""
    log.info("%s: %s -> %s -> %s%s", subject, old, event, new, f" ({why})" if why else "")


def transition(table: Mapping[Event, tuple[frozenset[State], State | None]], current: State,
               event: Event, subject: str, *, refused: type[DomainError] = IllegalTransition,
               log: logging.Logger = _log, **details: Any) -> State:
    """Check the move, log it, return the new state."""
    new = check(table, current, event, subject, refused=refused, **details)
    note(subject, current.value, event.value, new.value, log=log)
    return new


def allowed(table: Mapping[Event, tuple[frozenset[State], State | None]],
            current: State) -> list[Event]:
    """Every event legal from ``current`` (for a client to draw its buttons)."""
    return [event for event, (sources, _) in table.items() if current in sources]
