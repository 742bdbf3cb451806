"""Whether a token still counts, checked against the database at most every few seconds."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tickets.accounts.errors import TokenRevoked
from tickets.accounts.models import RevokedToken, User
from tickets.accounts.tokens import TokenClaims
from tickets.errors import Unauthenticated


@dataclass(frozen=True)
class _Seen:
    """One user's state as last read: active, token generation, tokens given up."""

    active: bool
    generation: int
    revoked: frozenset[str]
    read_at: datetime


@dataclass
class ActiveUsers:
    """A short cache of users' token state, so a disabled user or a revoked token is refused
    in seconds on every node, without a database read on every request.

    Tokens are signed and carry no state; without this a disabled user would keep access
    until the token expires. The cache bounds the extra database read to one per user per
    ``ttl_seconds`` on each node; a change made on this node is seen here at once
    (:meth:`forget`), on the others within ``ttl_seconds``.
    """

    ttl_seconds: float = 15.0
    _seen: dict[int, _Seen] = field(default_factory=dict)

    async def require_valid(
        self, sessionmaker: async_sessionmaker[AsyncSession], claims: TokenClaims,
        now: datetime,
    ) -> None:
        """Raise :class:`Unauthenticated` unless the token's user is active and the token
        neither revoked by a logout nor older than the user's last revocation."""
        principal = claims.principal
        if principal.user_id is None:
            return
        seen = self._seen.get(principal.user_id)
        age = None if seen is None else (now - seen.read_at).total_seconds()
        if seen is None or age is None or not 0 <= age <= self.ttl_seconds:
            seen = await self._read(sessionmaker, principal.user_id, now)
            self._seen[principal.user_id] = seen
        if not seen.active:
            raise Unauthenticated("this user is disabled", username=principal.username)
        if claims.generation != seen.generation or claims.token_id in seen.revoked:
            raise TokenRevoked("this login was revoked; log in again",
                               username=principal.username)

    def forget(self, user_id: int) -> None:
        """Drop a user's cached state (after changing it on this node)."""
        self._seen.pop(user_id, None)

    @staticmethod
    async def _read(sessionmaker: async_sessionmaker[AsyncSession], user_id: int,
                    now: datetime) -> _Seen:
        """The user's flag, generation and unexpired revoked tokens, in one query."""
        query = (
            select(User.active, User.token_generation, RevokedToken.token_id)
            .outerjoin(RevokedToken, and_(RevokedToken.user_id == User.id,
                                          RevokedToken.expires_at > now))
            .where(User.id == user_id)
        )
        async with sessionmaker() as session:
            rows = (await session.execute(query)).all()
        if not rows:
            return _Seen(False, -1, frozenset(), now)
        revoked = frozenset(row.token_id for row in rows if row.token_id is not None)
        return _Seen(bool(rows[0].active), int(rows[0].token_generation), revoked, now)
