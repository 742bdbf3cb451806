"""Hand-offs and their timeline in the database; the reads of the API and the statistics."""

import logging
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from linkage.handoff import LiveHandoff, Step
from linkage.machine import DataState, HandoffState
from linkage.models import Handoff, HandoffRecord
from linkage.schemas import AlertOut, HandoffOut, RecordOut, StatsOut, TargetStats

log = logging.getLogger(__name__)


def _copy(h: LiveHandoff, row: Handoff, now: datetime) -> None:
    receipt = h.receipt
    row.target = h.entry.target if h.entry else None
    row.target_id = h.entry.id if h.entry else None
    row.state, row.excerpt = h.state.value, h.excerpt
    row.numbers = list(h.entry.numbers) if h.entry else []
    row.number_index, row.dial_attempts, row.room = h.number_index, h.dial_attempts, h.room
    row.ticket_id, row.ticket_number = h.ticket_id, h.ticket_number
    row.confirmed_at, row.confirmed_by = h.confirmed_at, h.confirmed_by
    row.joined_at, row.ended_at, row.updated_at = h.joined_at, h.ended_at, now
    row.data_state, row.data_attempts = h.data_state.value, h.data_attempts
    row.packet_hash, row.data_error = h.packet_hash, h.data_error
    row.receipt_status = receipt.status if receipt else None
    row.receipt_hash = receipt.body_hash if receipt else None
    row.receipt_verified = receipt.verified if receipt else None


async def save(sessionmaker: async_sessionmaker[AsyncSession], h: LiveHandoff,
               now: datetime) -> bool:
    """Write the hand-off and its unsaved timeline; False (kept for later) if it failed.

    The call goes on without the database: what could not be written is written with the
    next change of the same hand-off.
    """
    async with h.lock:  # one writer per hand-off, so its rows keep their order
        steps = list(h.unsaved)
        try:
            try:
                h.row_id = await _write(sessionmaker, h, steps, now)
            except IntegrityError:  # another node stored this call and kind first: share it
                h.row_id = await _write(sessionmaker, h, steps, now)
        except Exception:  # the database may be down; the hand-off itself goes on
            log.exception("hand-off %s: could not store %d timeline steps", h.key, len(steps))
            return False
        del h.unsaved[:len(steps)]
        return True


async def _write(sessionmaker: async_sessionmaker[AsyncSession], h: LiveHandoff,
                 steps: list[Step], now: datetime) -> int:
    async with sessionmaker() as session:
        row = await session.get(Handoff, h.row_id) if h.row_id else await session.scalar(
            select(Handoff).where(Handoff.linkedid == h.linkedid, Handoff.kind == h.kind))
        if row is None:
            row = Handoff(key=h.key, linkedid=h.linkedid, kind=h.kind, source=h.source,
                          alerted_at=h.alerted_at)
            session.add(row)
        elif row.key != h.key:
            log.info("hand-off %s: call %s's %s hand-off is stored as %s already; sharing it",
                     h.key, h.linkedid, h.kind, row.key)
        _copy(h, row, now)
        await session.flush()
        session.add_all(HandoffRecord(
            handoff_id=row.id, at=s.at, actor=s.actor, event=s.event, from_state=s.from_state,
            to_state=s.to_state, supervisor=s.supervisor, data=s.data) for s in steps)
        await session.commit()
        return row.id


async def records(session: AsyncSession, handoff_ids: Sequence[int]
                  ) -> dict[int, list[RecordOut]]:
    rows = await session.scalars(select(HandoffRecord).where(
        HandoffRecord.handoff_id.in_(handoff_ids)).order_by(HandoffRecord.id))
    found: dict[int, list[RecordOut]] = {i: [] for i in handoff_ids}
    for row in rows:
        found[row.handoff_id].append(RecordOut.model_validate(row))
    return found


async def views(session: AsyncSession, *, linkedid: str | None = None,
                ticket_id: int | None = None) -> list[HandoffOut]:
    """Hand-offs of a call or of a ticket, oldest first, each with its timeline."""
    query = select(Handoff)
    if linkedid is not None:
        query = query.where(Handoff.linkedid == linkedid)
    if ticket_id is not None:
        query = query.where(Handoff.ticket_id == ticket_id)
    rows = (await session.scalars(query.order_by(Handoff.id))).all()
    timelines = await records(session, [h.id for h in rows])
    return [_out(h, h.ticket_number, timelines[h.id]) for h in rows]


def _out(row: Handoff, ticket_number: str | None, timeline: list[RecordOut]) -> HandoffOut:
    number = row.numbers[row.number_index % len(row.numbers)] if row.numbers else None
    return HandoffOut(
        key=row.key, linkedid=row.linkedid, kind=row.kind, target=row.target, source=row.source,
        state=row.state, excerpt=row.excerpt, numbers=row.numbers, number=number,
        dial_attempts=row.dial_attempts, room=row.room, ticket_number=ticket_number,
        alerted_at=row.alerted_at, confirmed_at=row.confirmed_at, confirmed_by=row.confirmed_by,
        joined_at=row.joined_at, ended_at=row.ended_at, data_state=row.data_state,
        data_attempts=row.data_attempts, receipt_status=row.receipt_status,
        receipt_hash=row.receipt_hash, receipt_verified=row.receipt_verified,
        data_error=row.data_error, timeline=timeline)


async def alerts(session: AsyncSession, since: datetime | None, limit: int) -> list[AlertOut]:
    """What the supervisors must see, newest first."""
    query = select(HandoffRecord, Handoff).join(Handoff, Handoff.id == HandoffRecord.handoff_id)
    query = query.where(HandoffRecord.supervisor.is_(True))
    if since is not None:
        query = query.where(HandoffRecord.at >= since)
    rows = (await session.execute(query.order_by(HandoffRecord.at.desc(),
                                                 HandoffRecord.id.desc()).limit(limit))).all()
    return [AlertOut(at=r.at, event=r.event, handoff=h.key, linkedid=h.linkedid, kind=h.kind,
                     target=h.target, data=r.data) for r, h in rows]


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.sum(case((condition, 1), else_=0))


async def stats(session: AsyncSession, start: datetime, end: datetime) -> StatsOut:
    """Hand-offs alerted in [start, end), per target (an unlisted kind counts as itself)."""
    target = func.coalesce(Handoff.target, Handoff.kind)
    unanswered = select(HandoffRecord.handoff_id).where(
        HandoffRecord.to_state == HandoffState.LINE_UNANSWERED.value)
    query = select(
        target, func.count(Handoff.id), _count(Handoff.confirmed_at.is_not(None)),
        _count(Handoff.joined_at.is_not(None)), _count(Handoff.id.in_(unanswered)),
        _count(Handoff.state == HandoffState.CANCELLED.value),
        _count(Handoff.data_state == DataState.DELIVERED.value),
        _count(Handoff.data_state.in_((DataState.FAILED.value, DataState.REJECTED.value))),
    ).where(Handoff.alerted_at >= start, Handoff.alerted_at < end).group_by(target)
    rows = (await session.execute(query.order_by(target))).all()
    return StatsOut(start=start, end=end, targets=[TargetStats(
        target=r[0], alerted=r[1], confirmed=int(r[2] or 0), joined=int(r[3] or 0),
        line_unanswered=int(r[4] or 0), cancelled=int(r[5] or 0),
        data_delivered=int(r[6] or 0), data_failed=int(r[7] or 0)) for r in rows])
