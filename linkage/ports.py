"""What the linkage needs of the tickets, as small protocols (the root passes tickets' desk).

The linkage imports nothing of the ticket domain: it asks for a ticket by number or by call,
and has it marked an emergency ticket; what it gets back is read through
:class:`TicketFacts`.
"""

from collections.abc import Mapping
from datetime import datetime
from typing import Protocol


class TicketFacts(Protocol):
    """A ticket as the hand-off needs it: to name it in the packet and on the timeline."""

    @property
    def ticket_id(self) -> int: ...

    @property
    def number(self) -> str: ...

    @property
    def place(self) -> str: ...

    @property
    def summary(self) -> str: ...

    @property
    def handle_due(self) -> datetime | None: ...


class TicketDesk(Protocol):
    """The tickets' side of a hand-off."""

    async def by_number(self, number: str) -> TicketFacts | None: ...

    async def of_call(self, linkedid: str, around: datetime) -> TicketFacts | None: ...

    async def mark_emergency(self, ticket_id: int, kind: str, at: datetime, actor: str,
                             about: Mapping[str, str | None]) -> TicketFacts: ...
