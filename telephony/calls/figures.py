"""The line's figures over a period, per queue and per agent (GB/T 33358).

GB/T 33358 asks that a call be answered within 15 seconds and that at least 95% of the calls
of any 24 hours get through. Its definitions, as counted here:

- **offered** (呼入人工): inbound calls that asked for an agent, i.e. reached a queue. A caller
  refused by the block list, or served wholly by the IVR (a ticket followed by its number),
  never asked for one. A callback leg (漏接回拨: the dialer called the citizen back) is an
  outbound call: never offered, counted apart.
- **answered** (接通): offered calls an agent answered; **answered within 15 s**: of those,
  answered at most 15 seconds after reaching the queue.
- **abandoned** (放弃): offered calls whose caller hung up before an agent answered.
- **self-served** (自助服务): inbound calls the IVR served to the end without an agent.
- rates are over offered calls; ASA and AHT over answered inbound calls.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Float, and_, case, cast, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from telephony.calls.machine import SELF_SERVED
from telephony.calls.models import CallRecord

ANSWER_TARGET_SECONDS = 15
CONNECTION_RATE_TARGET = 0.95  # 连续24小时内呼叫接通率 ≥ 95%


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
    self_served: int = 0
    callback_calls: int = 0  # callback legs placed that reached a queue (outbound)
    callbacks_connected: int = 0  # of those, bridged to an agent


def _seconds(later: Any, earlier: Any) -> ColumnElement[float]:
    """Seconds between two timestamps, on SQLite and PostgreSQL alike."""
    return cast((func.julianday(later) - func.julianday(earlier)) * 86400.0, Float)


def _pg_seconds(later: Any, earlier: Any) -> ColumnElement[float]:
    return cast(func.extract("epoch", later - earlier), Float)


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _count(*conditions: ColumnElement[bool]) -> ColumnElement[int]:
    return func.sum(case((and_(*conditions), 1), else_=0))


def _columns(session: AsyncSession) -> list[ColumnElement[Any]]:
    seconds = _pg_seconds if session.get_bind().dialect.name == "postgresql" else _seconds
    wait = seconds(CallRecord.answered_at, CallRecord.queued_at)
    talk = seconds(CallRecord.ended_at, CallRecord.answered_at)
    inbound, outbound = CallRecord.callback_id.is_(None), CallRecord.callback_id.is_not(None)
    queued, answered = CallRecord.queued_at.is_not(None), CallRecord.answered_at.is_not(None)
    served = and_(inbound, ~queued, CallRecord.ivr_result.in_(SELF_SERVED))
    inbound_answered = and_(inbound, queued, answered)
    return [
        _count(inbound, queued), _count(inbound_answered),
        _count(inbound_answered, wait <= ANSWER_TARGET_SECONDS),
        _count(inbound, queued, ~answered),
        func.avg(case((inbound_answered, wait))), func.avg(case((inbound_answered, talk))),
        _count(served), _count(outbound, queued), _count(outbound, queued, answered),
    ]


async def figures(
    session: AsyncSession, start: datetime, end: datetime, by: str | None = None
) -> list[Figures]:
    """Figures of calls started in [start, end), overall or by ``queue`` or ``agent``."""
    group = getattr(CallRecord, by) if by else None
    counted = or_(CallRecord.queued_at.is_not(None), CallRecord.ivr_result.in_(SELF_SERVED))
    statement = select(*([group] if group is not None else []), *_columns(session)).where(
        CallRecord.started_at >= start, CallRecord.started_at < end, counted)
    if group is not None:
        statement = statement.group_by(group).order_by(group)
    rows = (await session.execute(statement)).all()
    return [_figures(row[0] if group is not None else None,
                     *row[1 if group is not None else 0:]) for row in rows]


def _figures(group: str | None, offered: int | None, answered: int | None, fast: int | None,
             abandoned: int | None, asa: float | None, aht: float | None, served: int | None,
             legs: int | None, connected: int | None) -> Figures:
    offered, answered, fast = offered or 0, answered or 0, fast or 0
    abandoned = abandoned or 0
    return Figures(
        group=group, offered=offered, answered=answered, answered_within_15s=fast,
        abandoned=abandoned, answer_rate=_ratio(answered, offered),
        answer_rate_15s=_ratio(fast, offered), abandonment_rate=_ratio(abandoned, offered),
        average_speed_of_answer=None if asa is None else round(float(asa), 2),
        average_handling_time=None if aht is None else round(float(aht), 2),
        self_served=served or 0, callback_calls=legs or 0, callbacks_connected=connected or 0,
    )
