"""Keep each ended call, once, whatever the controller saw twice after a resync."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from telephony.calls.machine import Call, CallState
from telephony.calls.models import CallRecord


def to_record(call: Call) -> CallRecord:
    """The row an ended call leaves."""
    if call.ended_at is None:
        raise ValueError(f"call {call.linkedid} has not ended")
    queued = call.entered.get(CallState.QUEUED)
    answered = call.entered.get(CallState.CONNECTED)
    return CallRecord(
        linkedid=call.linkedid, caller_number=call.caller_number, caller_name=call.caller_name,
        dialed=call.dialed, source_line=call.source_line, queue=call.queue, agent=call.agent,
        started_at=call.started_at, queued_at=queued, answered_at=answered,
        ended_at=call.ended_at, abandoned=queued is not None and answered is None,
        callback_id=call.callback_id, ivr_result=call.ivr_result,
    )


async def save_ended(session: AsyncSession, call: Call) -> bool:
    """Store an ended call unless it is stored already; whether it was new."""
    exists = await session.scalar(
        select(CallRecord.id).where(CallRecord.linkedid == call.linkedid))
    if exists is not None:
        return False
    session.add(to_record(call))
    await session.commit()
    return True
