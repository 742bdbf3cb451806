"""The units' registered numbers, as telephony asks for them before a call dials one.

Telephony imports nothing of the ticket domain; the root tells it which numbers the handling
units registered (:class:`RegisteredUnitNumbers`), so an agent can never make the trunk dial
a number nobody registered.
"""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from telephony.targets.service import digits_of
from tickets.accounts.models import Unit


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
