"""Throttling of failed logins: per username in the database (every node sees it), per client
address in this node's memory."""

import math
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import case, delete, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from tickets.accounts.errors import TooManyLoginAttempts
from tickets.accounts.models import LoginThrottle


@dataclass(frozen=True)
class ThrottleRules:
    """How many failures are let through, and how long a lock-out lasts."""

    user_failures: int = 5  # then the username is locked for user_lock, doubling each time
    user_lock: timedelta = timedelta(minutes=1)
    user_lock_max: timedelta = timedelta(minutes=15)
    user_window: timedelta = timedelta(minutes=15)  # failures older than this are forgotten
    address_failures: int = 20  # failures from one address within address_window
    address_window: timedelta = timedelta(minutes=1)
    addresses_kept: int = 10_000  # memory bound of the per-address table


def _seconds_until(moment: datetime, now: datetime) -> int:
    return max(1, math.ceil((moment - now).total_seconds()))


@dataclass
class AddressThrottle:
    """Failed logins per client address on this node, in a sliding window."""

    rules: ThrottleRules = field(default_factory=ThrottleRules)
    _failures: dict[str, deque[datetime]] = field(default_factory=dict)

    def check(self, address: str, now: datetime) -> None:
        """Raise :class:`TooManyLoginAttempts` while ``address`` is over its limit."""
        until = self._locked_until(address, now)
        if until is not None:
            raise TooManyLoginAttempts(
                "too many failed logins from this address; wait before trying again",
                retry_after=_seconds_until(until, now), scope="address")

    def failed(self, address: str, now: datetime) -> datetime | None:
        """Count a failure; the end of the lock-out it starts, if it starts one."""
        times = self._failures.get(address)
        if times is None:
            if len(self._failures) >= self.rules.addresses_kept:
                self._prune(now)
            times = self._failures[address] = deque()
        times.append(now)
        self._expire(times, now)
        return self._locked_until(address, now) if len(times) == self.rules.address_failures \
            else None

    def _locked_until(self, address: str, now: datetime) -> datetime | None:
        times = self._failures.get(address)
        if not times:
            return None
        self._expire(times, now)
        if len(times) < self.rules.address_failures:
            return None
        # free again when enough failures have left the window to allow one more
        return times[len(times) - self.rules.address_failures] + self.rules.address_window

    def _expire(self, times: deque[datetime], now: datetime) -> None:
        while times and times[0] <= now - self.rules.address_window:
            times.popleft()

    def _prune(self, now: datetime) -> None:
        for address in list(self._failures):
            self._expire(self._failures[address], now)
            if not self._failures[address]:
                del self._failures[address]
        while len(self._failures) >= self.rules.addresses_kept:  # a flood of new addresses
            del self._failures[next(iter(self._failures))]


async def check_user(session: AsyncSession, username: str, now: datetime) -> None:
    """Raise :class:`TooManyLoginAttempts` while ``username`` is locked out (any node's)."""
    until = await session.scalar(
        select(LoginThrottle.locked_until).where(LoginThrottle.username == username))
    if until is not None and until > now:
        raise TooManyLoginAttempts(
            "too many failed logins for this user; wait before trying again",
            retry_after=_seconds_until(until, now), scope="user")


async def user_failed(session: AsyncSession, rules: ThrottleRules, username: str,
                      now: datetime) -> datetime | None:
    """Count a failure for ``username`` atomically across nodes; the lock-out it starts."""
    stale = LoginThrottle.last_failure_at <= now - rules.user_window
    values = {"username": username, "failures": 1, "last_failure_at": now}
    insert = (postgresql_insert if _dialect(session) == "postgresql" else sqlite_insert)
    statement = insert(LoginThrottle).values(values).on_conflict_do_update(
        index_elements=[LoginThrottle.username],
        set_={"failures": case((stale, 1), else_=LoginThrottle.failures + 1),
              "last_failure_at": now},
    ).returning(LoginThrottle.failures)
    failures = int((await session.execute(statement)).scalar_one())
    if failures < rules.user_failures:
        return None
    doublings = min(failures - rules.user_failures, 16)
    until = now + min(rules.user_lock * (1 << doublings), rules.user_lock_max)
    await session.execute(update(LoginThrottle).where(LoginThrottle.username == username)
                          .values(locked_until=until))
    return until


async def user_succeeded(session: AsyncSession, rules: ThrottleRules, username: str,
                         now: datetime) -> None:
    """Forget ``username``'s failures, and everyone's long past ones."""
    await session.execute(delete(LoginThrottle).where(
        (LoginThrottle.username == username)
        | ((LoginThrottle.last_failure_at <= now - rules.user_window)
           & ((LoginThrottle.locked_until.is_(None)) | (LoginThrottle.locked_until <= now)))))


def _dialect(session: AsyncSession) -> str:
    return session.get_bind().dialect.name
