"""Final segments stored one by one, read back as the call's transcript (SQLite, PostgreSQL)."""

import asyncio
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from asr.events import Segment
from asr.store import TranscriptStore
from tests.conftest import empty_tables

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


async def test_finals_get_a_seq_per_speaker_and_come_back_in_spoken_order(
        engine: AsyncEngine) -> None:
    await empty_tables(engine)
    store = TranscriptStore(async_sessionmaker(engine, expire_on_commit=False), lambda: NOW)
    await store.write(Segment("c1", "caller", "안녕", 0.0, 0.4, final=False))  # partial: not kept
    await store.write(Segment("c1", "caller", "one", 0.0, 1.0, final=True))
    await store.write(Segment("c1", "agent", "two", 0.5, 1.5, final=True))
    await store.write(Segment("c1", "caller", "three", 2.0, 3.25, final=True))
    await store.write(Segment("c2", "caller", "other call", 0.0, 1.0, final=True))
    rows = await store.transcript("c1")
    assert [(r.speaker, r.seq, r.text, r.start, r.end) for r in rows] == [
        ("caller", 1, "one", 0.0, 1.0), ("agent", 1, "two", 0.5, 1.5),
        ("caller", 2, "three", 2.0, 3.25)]
    assert all(r.created_at == NOW for r in rows)
    assert await store.transcript("nobody") == []


async def test_two_writers_of_one_label_both_get_stored(engine: AsyncEngine) -> None:
    await empty_tables(engine)
    store = TranscriptStore(async_sessionmaker(engine, expire_on_commit=False))
    await asyncio.gather(*(store.write(Segment("c3", "caller", f"s{i}", i, i + 1, True))
                           for i in range(3)))
    rows = await store.transcript("c3")
    assert sorted(r.seq for r in rows) == [1, 2, 3]
    assert sorted(r.text for r in rows) == ["s0", "s1", "s2"]
