"""Legacy numbers and the block list: the database is the truth, AstDB the dialplan's copy.

AstDB layout, read by the dialplan without the platform's help:
``legacy/<number>`` = ``mode,source_line,queue`` and ``block/<number>`` = expiry epoch
seconds (the dialplan compares it with ``${EPOCH}``, so an entry expires by itself even when
the platform is down).
"""

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from telephony.routing.errors import (
    AlreadyBlocked,
    BlockNotFound,
    LegacyNumberExists,
    LegacyNumberNotFound,
)
from telephony.routing.models import BlockEntry, LegacyNumber
from telephony.routing.schemas import BlockIn, LegacyNumberIn

log = logging.getLogger(__name__)

LEGACY_FAMILY = "legacy"
BLOCK_FAMILY = "block"


class AstDb(Protocol):
    """Where the dialplan reads routing data (AMI ``DBPut``/``DBDel``/``DBDelTree``)."""

    async def put(self, family: str, key: str, value: str) -> None: ...

    async def delete(self, family: str, key: str) -> None: ...

    async def delete_tree(self, family: str) -> None: ...


def legacy_value(row: LegacyNumber) -> str:
    """The AstDB value of a legacy number."""
    return f"{row.mode},{row.source_line},{row.queue or ''}"


async def _push(astdb: AstDb | None, action: str, *args: str) -> None:
    """Mirror a change into AstDB; the database stays right if Asterisk is away."""
    if astdb is None:
        return
    try:
        await getattr(astdb, action)(*args)
    except Exception:  # the next resync after the AMI link returns repairs AstDB
        log.warning("AstDB %s %s failed; it will be repaired at the next resync", action, args,
                    exc_info=True)


async def list_legacy(session: AsyncSession) -> Sequence[LegacyNumber]:
    """Every legacy number."""
    return (await session.scalars(select(LegacyNumber).order_by(LegacyNumber.number))).all()


async def save_legacy(
    session: AsyncSession, astdb: AstDb | None, data: LegacyNumberIn, now: datetime,
    number_id: int | None = None,
) -> LegacyNumber:
    """Create or replace a legacy number; the next call on it is routed the new way."""
    row = LegacyNumber(created_at=now) if number_id is None else await session.get(
        LegacyNumber, number_id)
    if row is None:
        raise LegacyNumberNotFound(f"no legacy number {number_id}", id=number_id)
    old_number = row.number
    for name, value in data.model_dump().items():
        setattr(row, name, getattr(value, "value", value))
    row.updated_at = now
    session.add(row)
    try:
        await session.commit()
    except IntegrityError as exc:
        await session.rollback()
        raise LegacyNumberExists(f"{data.number} is already a legacy number",
                                 number=data.number) from exc
    if old_number and old_number != row.number:
        await _push(astdb, "delete", LEGACY_FAMILY, old_number)
    if row.active:
        await _push(astdb, "put", LEGACY_FAMILY, row.number, legacy_value(row))
    else:
        await _push(astdb, "delete", LEGACY_FAMILY, row.number)
    return row


async def delete_legacy(session: AsyncSession, astdb: AstDb | None, number_id: int) -> None:
    """Remove a legacy number; calls to it then reach nobody special."""
    row = await session.get(LegacyNumber, number_id)
    if row is None:
        raise LegacyNumberNotFound(f"no legacy number {number_id}", id=number_id)
    await session.delete(row)
    await session.commit()
    await _push(astdb, "delete", LEGACY_FAMILY, row.number)


async def active_blocks(session: AsyncSession, now: datetime) -> Sequence[BlockEntry]:
    """Blocks in force at ``now``."""
    return (await session.scalars(
        select(BlockEntry).where(BlockEntry.lifted_at.is_(None), BlockEntry.expires_at > now)
        .order_by(BlockEntry.expires_at))).all()


async def block(
    session: AsyncSession, astdb: AstDb | None, data: BlockIn, by: str, now: datetime
) -> BlockEntry:
    """Keep a harassing caller off the line for ``days`` natural days (zhanjiang 第九条)."""
    current = await session.scalar(select(BlockEntry).where(
        BlockEntry.number == data.number, BlockEntry.lifted_at.is_(None),
        BlockEntry.expires_at > now))
    if current is not None:
        raise AlreadyBlocked(f"{data.number} is blocked until {current.expires_at.isoformat()}",
                             number=data.number, expires_at=current.expires_at.isoformat())
    entry = BlockEntry(number=data.number, reason=data.reason, created_by=by, created_at=now,
                       expires_at=now + timedelta(days=data.days))
    session.add(entry)
    await session.commit()
    await _push(astdb, "put", BLOCK_FAMILY, entry.number, str(int(entry.expires_at.timestamp())))
    log.info("blocked %s until %s by %s: %s", entry.number, entry.expires_at, by, entry.reason)
    return entry


async def lift(
    session: AsyncSession, astdb: AstDb | None, entry_id: int, by: str, now: datetime
) -> BlockEntry:
    """End a block before it expires."""
    entry = await session.get(BlockEntry, entry_id)
    if entry is None or entry.lifted_at is not None:
        raise BlockNotFound(f"no block {entry_id} in force", id=entry_id)
    entry.lifted_at, entry.lifted_by = now, by
    await session.commit()
    await _push(astdb, "delete", BLOCK_FAMILY, entry.number)
    return entry


async def resync(session: AsyncSession, astdb: AstDb, now: datetime) -> tuple[int, int]:
    """Rewrite both AstDB families from the database (after every AMI (re)connect)."""
    await astdb.delete_tree(LEGACY_FAMILY)
    await astdb.delete_tree(BLOCK_FAMILY)
    legacy = [row for row in await list_legacy(session) if row.active]
    for row in legacy:
        await astdb.put(LEGACY_FAMILY, row.number, legacy_value(row))
    blocks = await active_blocks(session, now)
    for entry in blocks:
        await astdb.put(BLOCK_FAMILY, entry.number, str(int(entry.expires_at.timestamp())))
    return len(legacy), len(blocks)
