"""The declarative base every ticket-domain table derives from, and shared column types."""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, MetaData
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.types import TypeDecorator

from tickets.errors import Conflict, VersionConflict
from tickets.timeutil import BEIJING, utc

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class AwareDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC, read back aware on Beijing's clock (SQLite forgets zones).

    Every time the API shows is then ``+08:00``, whichever database it came from.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return utc(value)  # a date with no UTC form is refused (DateOutOfRange), not a 500

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(BEIJING)  # type: ignore[no-any-return]


class Base(DeclarativeBase):
    """Base of the ticket domain's tables."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: AwareDateTime()}


async def commit(session: AsyncSession) -> None:
    """Commit, turning a lost optimistic-lock race into :class:`VersionConflict`."""
    await _guarded(session, session.commit)


async def flush(session: AsyncSession) -> None:
    """Flush, with the same translation of races and conflicts as :func:`commit`."""
    await _guarded(session, session.flush)


async def _guarded(session: AsyncSession, write: Callable[[], Awaitable[None]]) -> None:
    try:
        await write()
    except StaleDataError as exc:
        await session.rollback()
        raise VersionConflict(
            "someone else changed this record first; reload it and try again"
        ) from exc
    except IntegrityError as exc:
        await session.rollback()
        # the driver's text names the constraint and, on PostgreSQL, the whole row (the
        # requester's name and phone included): none of it goes into the answer or a log
        raise Conflict("the change conflicts with existing data") from exc
