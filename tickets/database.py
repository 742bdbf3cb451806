"""The base of the ticket domain's tables, and its commit that turns races into refusals."""

from collections.abc import Awaitable, Callable

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from kernel.database import Base as KernelBase
from kernel.database import package_metadata
from tickets.errors import Conflict, VersionConflict


class Base(KernelBase):
    """Base of the ticket domain's tables, on a metadata of their own."""

    __abstract__ = True
    metadata = package_metadata()


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
