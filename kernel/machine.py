"""The one transition rule of every lifecycle: check the source state, log, or refuse."""

import logging
from collections.abc import Mapping
from enum import StrEnum
from typing import Any, TypeVar

from kernel.errors import DomainError, IllegalTransition

State = TypeVar("State", bound=StrEnum)
Event = TypeVar("Event", bound=StrEnum)
Transitions = Mapping[Event, tuple[frozenset[State], State | None]]

_log = logging.getLogger(__name__)


def transition(
    table: "Mapping[Event, tuple[frozenset[State], State | None]]", current: State,
    event: Event, subject: str, *, refused: type[DomainError] = IllegalTransition,
    log: logging.Logger = _log, **details: Any,
) -> State:
    """The state ``event`` leads to from ``current``; logs ``old -> event -> new``.

    ``table`` maps each event to the states it may start from and the state it leads to
    (None: the state stays). A move from any other state raises ``refused`` naming the
    subject, the state, the event and the states it would have been legal from.
    """
    sources, target = table[event]
    if current not in sources:
        raise refused(
            f"{subject} cannot {event.value} while {current.value}",
            state=current.value, event=event.value,
            allowed_from=sorted(s.value for s in sources), **details)
    new = current if target is None else target
    log.info("%s: %s -> %s -> %s", subject, current.value, event.value, new.value)
    return new


def allowed(table: "Mapping[Event, tuple[frozenset[State], State | None]]",
            current: State) -> list[Event]:
    """Every event legal from ``current`` (for a client to draw its buttons)."""
    return [event for event, (sources, _) in table.items() if current in sources]
