"""The scheduler lease: one row, taken by an atomic UPDATE only when expired or already ours.

APScheduler 3 cannot share a job store between processes, so of several platform nodes only
the lease holder runs the scheduler. Each node's clock stamps the row: the expiry must exceed
the nodes' clock skew by far (NTP keeps it to milliseconds; the default lease is 30 s).
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import CursorResult, or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hotline.scheduler.models import SchedulerLease
from kernel.clock import now as beijing_now
from kernel.machine import check, note

log = logging.getLogger(__name__)


class LeaseState(StrEnum):
    """This node's relation to the lease."""

    FOLLOWER = "follower"
    HOLDER = "holder"


class LeaseEvent(StrEnum):
    ACQUIRE = "acquire"
    RENEW = "renew"
    LOSE = "lose"  # another node holds it, or the renewal could not be written in time
    RELEASE = "release"


S, E = LeaseState, LeaseEvent
LEASE_TRANSITIONS: dict[LeaseEvent, tuple[frozenset[LeaseState], LeaseState]] = {
    E.ACQUIRE: (frozenset({S.FOLLOWER}), S.HOLDER),
    E.RENEW: (frozenset({S.HOLDER}), S.HOLDER),
    E.LOSE: (frozenset({S.HOLDER}), S.FOLLOWER),
    E.RELEASE: (frozenset({S.HOLDER}), S.FOLLOWER),
}


class Lease:
    """This node's side of the lease row ``name``."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], node: str,
                 ttl: timedelta, name: str = "scheduler",
                 clock: Callable[[], datetime] = beijing_now) -> None:
        self.sessionmaker, self.node, self.ttl, self.name = sessionmaker, node[:128], ttl, name
        self.clock = clock
        self.state = LeaseState.FOLLOWER
        self.renewed_at: datetime | None = None

    @property
    def held(self) -> bool:
        """Whether this node held the lease at its last successful renewal, still unexpired."""
        return (self.state is LeaseState.HOLDER and self.renewed_at is not None
                and self.clock() < self.renewed_at + self.ttl)

    async def try_acquire(self) -> bool:
        """Take or renew the lease; True when this node holds it now."""
        now = self.clock()
        async with self.sessionmaker() as session:
            if await session.get(SchedulerLease, self.name) is None:
                await self._create(session, now)
            result = cast(CursorResult[Any], await session.execute(
                update(SchedulerLease)
                .where(SchedulerLease.name == self.name,
                       or_(SchedulerLease.expires_at <= now, SchedulerLease.holder == self.node))
                .values(holder=self.node, heartbeat=now, expires_at=now + self.ttl)
                .execution_options(synchronize_session=False)))
            await session.commit()
        if result.rowcount == 1:
            event = LeaseEvent.RENEW if self.state is LeaseState.HOLDER else LeaseEvent.ACQUIRE
            self._move(event)
            self.renewed_at = now
            return True
        if self.state is LeaseState.HOLDER:
            self._move(LeaseEvent.LOSE)
        return False

    async def _create(self, session: AsyncSession, now: datetime) -> None:
        session.add(SchedulerLease(name=self.name, holder="", heartbeat=now, expires_at=now))
        try:
            await session.commit()
        except IntegrityError:  # another node created it first: fine, the UPDATE decides
            await session.rollback()

    def lost(self) -> None:
        """The renewal failed (database away) for longer than the lease: stop acting on it."""
        if self.state is LeaseState.HOLDER:
            self._move(LeaseEvent.LOSE)

    async def release(self) -> None:
        """Give the lease up at once (a clean stop), so another node need not wait it out."""
        if self.state is not LeaseState.HOLDER:
            return
        now = self.clock()
        async with self.sessionmaker() as session:
            await session.execute(
                update(SchedulerLease)
                .where(SchedulerLease.name == self.name, SchedulerLease.holder == self.node)
                .values(expires_at=now, heartbeat=now)
                .execution_options(synchronize_session=False))
            await session.commit()
        self._move(LeaseEvent.RELEASE)

    def _move(self, event: LeaseEvent) -> None:
        old, subject = self.state, f"lease {self.name} on {self.node}"
        self.state = check(LEASE_TRANSITIONS, old, event, subject)
        if event is not LeaseEvent.RENEW:  # a renewal every few seconds is no news
            note(subject, old.value, event.value, self.state.value, log=log)
