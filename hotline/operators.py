"""Who steers the PBX: the authenticated user as telephony sees them, and the units' numbers.

Telephony imports nothing of the ticket domain; the root tells it who asks (an
:class:`~telephony.seats.service.Operator` on the request) and which numbers the handling
units registered (:class:`RegisteredUnitNumbers`), so an agent can make the trunk dial
neither another seat's calls nor a number nobody registered.
"""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import HTTPConnection

from telephony.seats.service import Operator
from telephony.targets.service import digits_of
from tickets.accounts.models import Unit
from tickets.deps import CurrentUser
from tickets.enums import Role

SUPERVISING = frozenset({Role.SUPERVISOR, Role.ADMIN})


async def record_operator(request: HTTPConnection, user: CurrentUser) -> None:
    """Put the authenticated user on the request, as telephony's routers read them."""
    request.state.operator = Operator(user.username, supervises=user.role in SUPERVISING)


class RegisteredUnitNumbers:
    """Active units' contact and holiday duty numbers, from the ticket domain's units."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self.sessionmaker = sessionmaker

    async def registered(self, digits: str) -> bool:
        """Whether an active unit registered ``digits`` (dashes and a plus sign ignored)."""
        async with self.sessionmaker() as session:
            rows = await session.execute(
                select(Unit.contact_phone, Unit.duty_phone).where(Unit.active.is_(True)))
            return any(digits_of(phone) == digits for row in rows for phone in row if phone)
