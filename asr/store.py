"""Final segments into the database as they arrive, and a call's transcript back out."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from asr.events import Segment
from asr.models import TranscriptSegment

ATTEMPTS = 5


@dataclass(frozen=True, slots=True)
class StoredSegment:
    """A stored final segment; ``seq`` counts the speaker's segments in the call from 1."""

    call_id: str
    speaker: str
    seq: int
    text: str
    start: float
    end: float
    created_at: datetime


def _utc_now() -> datetime:
    return datetime.now(UTC)


class TranscriptStore:
    """Writes each final segment in its own transaction: a crash loses only the one in hand."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession],
                 clock: Callable[[], datetime] = _utc_now) -> None:
        self._sessionmaker = sessionmaker
        self._clock = clock

    async def write(self, segment: Segment) -> None:
        """Store ``segment`` if final (partials are for the screen only); usable as a sink."""
        if not segment.final:
            return
        for attempt in range(ATTEMPTS):
            try:
                await self._insert(segment)
                return
            except (IntegrityError, OperationalError):
                # Another writer took the same seq (two streams with one label; on SQLite a
                # stale snapshot): count again.
                if attempt == ATTEMPTS - 1:
                    raise

    async def _insert(self, segment: Segment) -> None:
        async with self._sessionmaker() as session, session.begin():
            last = await session.scalar(
                select(func.max(TranscriptSegment.seq))
                .where(TranscriptSegment.call_id == segment.call_id,
                       TranscriptSegment.speaker == segment.speaker))
            session.add(TranscriptSegment(
                call_id=segment.call_id, speaker=segment.speaker, seq=(last or 0) + 1,
                text=segment.text, start_seconds=segment.start, end_seconds=segment.end,
                created_at=self._clock()))

    async def transcript(self, call_id: str) -> list[StoredSegment]:
        """Every stored segment of the call, every speaker, in the order they were spoken."""
        async with self._sessionmaker() as session:
            rows = await session.scalars(
                select(TranscriptSegment).where(TranscriptSegment.call_id == call_id)
                .order_by(TranscriptSegment.start_seconds, TranscriptSegment.speaker,
                          TranscriptSegment.seq))
            return [StoredSegment(row.call_id, row.speaker, row.seq, row.text,
                                  row.start_seconds, row.end_seconds, row.created_at)
                    for row in rows]
