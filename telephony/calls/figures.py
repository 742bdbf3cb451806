"""The line's figures over a period, per queue and per agent (GB/T 33358).

GB/T 33358 asks for an answer within 15 seconds and a 24-hour answer rate of at least 95%.
Only calls that reached a queue count: a caller refused by the block list or served wholly
by the IVR never asked for an agent.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Float, and_, case, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from telephony.calls.models import CallRecord

ANSWER_TARGET_SECONDS = 15


@dataclass(frozen=True)
class Figures:
    """One group's figures; rates are None where nothing was offered."""

    group: str | None
    offered: int
    answered: int
    answered_within_15s: int
    abandoned: int
    answer_rate: float | None
    answer_rate_15s: float | None
    abandonment_rate: float | None
    average_speed_of_answer: float | None
    average_handling_time: float | None


def _seconds(later: Any, earlier: Any) -> ColumnElement[float]:
    """Seconds between two timestamps, on SQLite and PostgreSQL alike."""
    return cast((func.julianday(later) - func.julianday(earlier)) * 86400.0, Float)


def _pg_seconds(later: Any, earlier: Any) -> ColumnElement[float]:
    return cast(func.extract("epoch", later - earlier), Float)


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


async def figures(
    session: AsyncSession, start: datetime, end: datetime, by: str | None = None
) -> list[Figures]:
    """Figures of calls started in [start, end), overall or by ``queue`` or ``agent``."""
    seconds = _pg_seconds if session.get_bind().dialect.name == "postgresql" else _seconds
    wait = seconds(CallRecord.answered_at, CallRecord.queued_at)
    talk = seconds(CallRecord.ended_at, CallRecord.answered_at)
    answered = CallRecord.answered_at.is_not(None)
    group = getattr(CallRecord, by) if by else None
    columns = [
        func.count(), func.count(CallRecord.answered_at),
        func.sum(case((and_(answered, wait <= ANSWER_TARGET_SECONDS), 1), else_=0)),
        func.sum(case((CallRecord.abandoned.is_(True), 1), else_=0)),
        func.avg(case((answered, wait))), func.avg(case((answered, talk))),
    ]
    statement = select(*([group] if group is not None else []), *columns).where(
        CallRecord.started_at >= start, CallRecord.started_at < end,
        CallRecord.queued_at.is_not(None))
    if group is not None:
        statement = statement.group_by(group).order_by(group)
    rows = (await session.execute(statement)).all()
    return [_figures(row[0] if group is not None else None,
                     *row[1 if group is not None else 0:]) for row in rows]


def _figures(group: str | None, offered: int, answered: int, fast: int | None,
             abandoned: int | None, asa: float | None, aht: float | None) -> Figures:
    fast, abandoned = fast or 0, abandoned or 0
    return Figures(
        group=group, offered=offered, answered=answered, answered_within_15s=fast,
        abandoned=abandoned, answer_rate=_ratio(answered, offered),
        answer_rate_15s=_ratio(fast, offered), abandonment_rate=_ratio(abandoned, offered),
        average_speed_of_answer=None if asa is None else round(float(asa), 2),
        average_handling_time=None if aht is None else round(float(aht), 2),
    )
