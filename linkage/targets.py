"""The emergency event list (zhanjiang 14): entries administrators keep current."""

import logging
import secrets
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from linkage.errors import TargetKindTaken, TargetNotFound, TargetNumberMissing
from linkage.handoff import Entry
from linkage.models import LinkageTarget
from linkage.schemas import TargetIn, TargetPatch

log = logging.getLogger(__name__)


def new_secret() -> str:
    """A per-target HMAC key: 256 random bits."""
    return secrets.token_hex(32)


def _require_numbers(numbers: Sequence[str], kind: str) -> None:
    # A hand-off with nowhere to ring would fail in the middle of an emergency: refuse now.
    if not numbers:
        raise TargetNumberMissing(
            f"the entry {kind!r} has no number: an emergency line needs at least one",
            kind=kind, field="numbers")


async def create(session: AsyncSession, body: TargetIn, now: datetime, by: str
                 ) -> LinkageTarget:
    """Add an entry with a fresh secret (the caller shows it once)."""
    _require_numbers(body.numbers, body.kind)
    row = LinkageTarget(
        kind=body.kind, label=body.label, target=body.target.value, numbers=list(body.numbers),
        endpoint_url=str(body.endpoint_url) if body.endpoint_url else None, secret=new_secret(),
        pass_identity=body.pass_identity, confirm_first=body.confirm_first, active=body.active,
        created_at=now, updated_at=now, updated_by=by)
    session.add(row)
    try:
        await session.commit()
    except IntegrityError as taken:
        await session.rollback()
        raise TargetKindTaken(f"the list already has an entry for {body.kind!r}",
                              kind=body.kind) from taken
    log.info("linkage list: %s added %r -> %s %s", by, row.kind, row.target, row.numbers)
    return row


async def get(session: AsyncSession, target_id: int) -> LinkageTarget:
    row = await session.get(LinkageTarget, target_id)
    if row is None:
        raise TargetNotFound(f"no entry {target_id} in the emergency list", id=target_id)
    return row


async def listing(session: AsyncSession) -> Sequence[LinkageTarget]:
    """Every entry, by kind."""
    return (await session.scalars(select(LinkageTarget).order_by(LinkageTarget.kind))).all()


async def update(session: AsyncSession, target_id: int, patch: TargetPatch, now: datetime,
                 by: str) -> LinkageTarget:
    """Change an entry; the fields the patch names."""
    row = await get(session, target_id)
    given = patch.model_fields_set
    if "numbers" in given:
        _require_numbers(patch.numbers or [], row.kind)
        row.numbers = list(patch.numbers or [])
    if "endpoint_url" in given:
        row.endpoint_url = str(patch.endpoint_url) if patch.endpoint_url else None
    if patch.target is not None:
        row.target = patch.target.value
    for name in ("label", "pass_identity", "confirm_first", "active"):
        value = getattr(patch, name)
        if name in given and value is not None:
            setattr(row, name, value)
    row.updated_at, row.updated_by = now, by
    await session.commit()
    log.info("linkage list: %s changed %r (%s)", by, row.kind, ", ".join(sorted(given)))
    return row


async def rotate_secret(session: AsyncSession, target_id: int, now: datetime, by: str
                        ) -> LinkageTarget:
    """A new secret for an entry (a leaked one); the caller shows it once."""
    row = await get(session, target_id)
    row.secret, row.updated_at, row.updated_by = new_secret(), now, by
    await session.commit()
    log.info("linkage list: %s rotated the secret of %r", by, row.kind)
    return row


async def delete(session: AsyncSession, target_id: int, by: str) -> None:
    """Remove an entry; past hand-offs keep their kind and target."""
    row = await get(session, target_id)
    await session.delete(row)
    await session.commit()
    log.info("linkage list: %s removed %r", by, row.kind)


async def for_kind(session: AsyncSession, kind: str) -> LinkageTarget | None:
    """The active entry a detected kind goes to: its own entry, else one for that target."""
    rows = (await session.scalars(
        select(LinkageTarget).where(LinkageTarget.active.is_(True),
                                    (LinkageTarget.kind == kind) | (LinkageTarget.target == kind))
        .order_by(LinkageTarget.id))).all()
    return next((r for r in rows if r.kind == kind), rows[0] if rows else None)


class Entries:
    """The list as this node knows it: read at start, after a change here, and now and then.

    An alert reads it from memory, so it reaches the agent's screen without a database trip;
    a kind it does not know is looked up once (another node may have just added it).
    """

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self.sessionmaker = sessionmaker
        self.rows: list[Entry] = []

    async def refresh(self) -> None:
        async with self.sessionmaker() as session:
            rows = (await session.scalars(select(LinkageTarget).where(
                LinkageTarget.active.is_(True)).order_by(LinkageTarget.id))).all()
            self.rows = [Entry.of(r) for r in rows]

    def cached(self, kind: str) -> Entry | None:
        """Its own entry, else the first one for that target."""
        return next((e for e in self.rows if e.kind == kind),
                    next((e for e in self.rows if e.target == kind), None))

    async def for_kind(self, kind: str) -> Entry | None:
        known = self.cached(kind)
        if known is not None:
            return known
        try:
            async with self.sessionmaker() as session:
                row = await for_kind(session, kind)
                return Entry.of(row) if row is not None else None
        except Exception:  # the database may be down: the alert goes out without a number
            log.exception("looking up the emergency list for %r failed", kind)
            return None
