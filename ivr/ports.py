"""What the IVR needs from the rest of the platform; the composition root binds these."""

from dataclasses import dataclass
from datetime import date
from typing import Protocol


@dataclass(frozen=True)
class TicketStatus:
    """What a caller may hear about a ticket: never anyone's personal data."""

    number: str
    state_label: str
    due: date | None
    overdue: bool


class TicketLookup(Protocol):
    """Finds a ticket by its number for the caller following it."""

    async def status(self, number: str) -> TicketStatus | None: ...


@dataclass(frozen=True)
class SurveyScript:
    """What a revisit call says: ``scale`` is the profile's rating labels, best first."""

    attempt_id: str
    ticket_number: str
    summary: str
    scale: tuple[str, ...]  # key 1 = best


@dataclass(frozen=True)
class SurveyAnswer:
    """A citizen's confirmed answer to a revisit call."""

    attempt_id: str
    rating: str | None
    solved: bool | None
    do_not_call: bool


class SurveyBackend(Protocol):
    """The revisit scheduler's side of a survey call."""

    async def verify(self, attempt_id: str, token: str) -> bool:
        """Whether the call carries the secret the platform gave the call it placed."""

    async def script(self, attempt_id: str) -> SurveyScript | None: ...

    async def answered(self, answer: SurveyAnswer) -> None:
        """Called once, with the confirmed answer."""

    async def abandoned(self, attempt_id: str, reason: str) -> None:
        """Hung up, or no valid answer."""
