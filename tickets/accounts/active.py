"""Whether a token's user is still active, checked at most every few seconds per user."""

import time
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tickets.accounts.models import User
from tickets.errors import Unauthenticated
from tickets.principal import Principal


@dataclass
class ActiveUsers:
    """A short cache of users' ``active`` flag, so a disabled user is locked out in seconds.

    Tokens are signed and carry no state; without this a disabled user would keep access
    until the token expires. The cache bounds the extra database read to one per user per
    ``ttl_seconds`` on each node.
    """

    ttl_seconds: float = 15.0
    _seen: dict[int, tuple[bool, float]] = field(default_factory=dict)

    async def require_active(
        self, sessionmaker: async_sessionmaker[AsyncSession], principal: Principal
    ) -> None:
        """Raise :class:`Unauthenticated` if the principal's user is disabled or gone."""
        if principal.user_id is None:
            return
        cached = self._seen.get(principal.user_id)
        now = time.monotonic()
        if cached is None or now - cached[1] > self.ttl_seconds:
            async with sessionmaker() as session:
                active = await session.scalar(
                    select(User.active).where(User.id == principal.user_id))
            cached = (bool(active), now)
            self._seen[principal.user_id] = cached
        if not cached[0]:
            raise Unauthenticated("this user is disabled", username=principal.username)

    def forget(self, user_id: int) -> None:
        """Drop a user's cached flag (after enabling or disabling it on this node)."""
        self._seen.pop(user_id, None)
