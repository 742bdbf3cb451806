"""Callbacks owed to callers who hung up in the queue, and their state machine.

国办函〔2025〕66号 asks hotlines to call back a caller whose call was missed (漏接回拨)
within a set time; how many minutes is the deployment's setting
(``callback_within_minutes``), passed in here as ``within``.

No callback is owed to the platform's own numbers (12345, the legacy lines, the agents'
extensions: an agent's test call) nor for a callback leg the dialer placed: a citizen who
hangs up on the callback before an agent takes it is called again by the dialer's own
attempts. A callback is done once an agent is bridged with the citizen, not when the citizen
answers (the queue may still lose them).
"""

import logging
from collections.abc import Iterable, Sequence
from datetime import datetime, time, timedelta
from enum import StrEnum

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.clock import BEIJING
from kernel.machine import check, note
from telephony.callbacks.models import CallbackRequest, CallbackState
from telephony.calls.machine import Call, CallState
from telephony.calls.models import CallRecord
from telephony.errors import TelephonyError
from telephony.routing.models import BlockEntry, LegacyNumber

log = logging.getLogger(__name__)

CALLBACK_WITHIN = timedelta(minutes=30)  # the setting's default
HOTLINE_NUMBER = "12345"  # the PBX's own number (telephony.pbx.render.PbxConfig's)
RETRY_AFTER = timedelta(minutes=5)  # a caller who did not answer is not rung again at once


class CallbackNotFound(TelephonyError):
    status = 404
    error_id = "callback-not-found"


class IllegalCallbackTransition(TelephonyError):
    status = 409
    error_id = "illegal-callback-transition"


class CallbackEvent(StrEnum):
    DIAL = "dial"  # the job places the call
    ANSWER = "answer"  # the citizen answered: the leg waits in the queue for an agent
    BRIDGE = "bridge"  # an agent is bridged with the citizen: done
    NO_ANSWER = "no-answer"  # back to pending for another attempt
    GIVE_UP = "give-up"  # attempts exhausted
    CANCEL = "cancel"  # a supervisor decides no callback is owed


S, E = CallbackState, CallbackEvent
OPEN = (S.PENDING.value, S.CALLING.value)

CALLBACK_TRANSITIONS: dict[CallbackEvent, tuple[frozenset[CallbackState], CallbackState]] = {
    E.DIAL: (frozenset({S.PENDING}), S.CALLING),
    # still calling: a citizen who hangs up in the queue is no callback done
    E.ANSWER: (frozenset({S.CALLING}), S.CALLING),
    E.BRIDGE: (frozenset({S.CALLING}), S.DONE),
    E.NO_ANSWER: (frozenset({S.CALLING}), S.PENDING),
    E.GIVE_UP: (frozenset({S.CALLING}), S.FAILED),
    # a call in progress is left to finish: the job reports how it ended
    E.CANCEL: (frozenset({S.PENDING}), S.CANCELLED),
}


def target_of(row: CallbackRequest, event: CallbackEvent) -> CallbackState:
    """Where ``event`` takes ``row``; an illegal move is refused."""
    return check(CALLBACK_TRANSITIONS, CallbackState(row.state), event, f"callback {row.id}",
                 refused=IllegalCallbackTransition, id=row.id)


async def move(session: AsyncSession, callback_id: int, event: CallbackEvent, now: datetime,
               by: str = "system") -> CallbackRequest:
    """Apply ``event`` to a callback, compare-and-set, so two nodes never both dial it."""
    row = await session.get(CallbackRequest, callback_id)
    if row is None:
        raise CallbackNotFound(f"no callback {callback_id}", id=callback_id)
    old, target = row.state, target_of(row, event)
    values: dict[str, object] = {"state": target.value, "updated_at": now, "updated_by": by}
    if event is E.DIAL:
        values |= {"attempts": CallbackRequest.attempts + 1, "last_attempt_at": now}
    result = await session.execute(
        update(CallbackRequest).where(CallbackRequest.id == callback_id,
                                      CallbackRequest.state == old).values(**values)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:  # type: ignore[attr-defined]
        await session.rollback()
        raise IllegalCallbackTransition(f"callback {callback_id} moved meanwhile",
                                        id=callback_id, state=old, event=event.value)
    await session.commit()
    await session.refresh(row)
    note(f"callback {callback_id}", old, event.value, target.value, by, log=log)
    return row


async def listing(session: AsyncSession, state: CallbackState | None = None,
                  limit: int = 500) -> Sequence[CallbackRequest]:
    """Callbacks in ``state`` (all when none), soonest due first."""
    query = select(CallbackRequest).order_by(CallbackRequest.due_by, CallbackRequest.id)
    if state is not None:
        query = query.where(CallbackRequest.state == state.value)
    return (await session.scalars(query.limit(limit))).all()


async def bridged(session: AsyncSession, callback_id: int, now: datetime
                  ) -> CallbackRequest | None:
    """An agent took the callback leg: done (None when it was settled already)."""
    try:
        return await move(session, callback_id, CallbackEvent.BRIDGE, now)
    except (IllegalCallbackTransition, CallbackNotFound) as refused:
        # another node's follower was first, or the callback was settled meanwhile
        log.info("callback %d bridged, left as it is: %s", callback_id, refused.message)
        return None


async def next_due(session: AsyncSession, now: datetime, limit: int,
                   retry_after: timedelta = RETRY_AFTER) -> Sequence[CallbackRequest]:
    """Pending callbacks to place now, soonest due first (the callback job's feed)."""
    rested = or_(CallbackRequest.last_attempt_at.is_(None),
                 CallbackRequest.last_attempt_at <= now - retry_after)
    return (await session.scalars(
        select(CallbackRequest).where(CallbackRequest.state == S.PENDING.value, rested)
        .order_by(CallbackRequest.due_by, CallbackRequest.id).limit(limit))).all()


def abandoned_in_queue(call: Call) -> bool:
    """A caller (not a callback leg) waited in a queue and hung up before anyone answered."""
    return (call.ended_at is not None and call.callback_id is None
            and CallState.QUEUED in call.entered and CallState.CONNECTED not in call.entered)


def dialable(number: str) -> str:
    """The caller's number as digits; empty for a withheld or garbled caller ID."""
    return "".join(ch for ch in number if ch.isdigit())


async def _blocked(session: AsyncSession, raw: str, digits: str, at: datetime) -> bool:
    """Whether the caller is on the block list at ``at`` (a blocked caller is not rung)."""
    found = await session.scalar(select(BlockEntry.id).where(
        BlockEntry.number.in_({raw, digits, f"+{digits}"}), BlockEntry.lifted_at.is_(None),
        BlockEntry.expires_at > at).limit(1))
    return found is not None


async def _open_same_day(session: AsyncSession, caller: str, at: datetime
                         ) -> CallbackRequest | None:
    """The caller's callback of ``at``'s Beijing day still owed (or cancelled by a person)."""
    day = datetime.combine(at.astimezone(BEIJING).date(), time(), BEIJING)
    return await session.scalar(select(CallbackRequest).where(
        CallbackRequest.caller_number == caller, CallbackRequest.requested_at >= day,
        CallbackRequest.requested_at < day + timedelta(days=1),
        CallbackRequest.state.in_((*OPEN, S.CANCELLED.value))).limit(1))


async def _already_handled(session: AsyncSession, linkedid: str) -> bool:
    """A call seen again after a resync must not count twice."""
    exists = await session.scalar(select(CallbackRequest.id).where(
        CallbackRequest.linkedid == linkedid))
    offered = await session.scalar(select(CallRecord.callback_offered).where(
        CallRecord.linkedid == linkedid))
    return exists is not None or bool(offered)


async def own_numbers(session: AsyncSession, fixed: Iterable[str] = ()) -> frozenset[str]:
    """The numbers that are the platform's own: ``fixed`` (12345, the agents' extensions)
    and every legacy line in the routing table (read now: an administrator adds them live)."""
    legacy = (await session.scalars(select(LegacyNumber.number))).all()
    return frozenset(dialable(n) for n in (*fixed, *legacy)) - {""}


async def _offer(session: AsyncSession, call: Call, within: timedelta,
                 own: frozenset[str]) -> bool:
    """Record a callback for one abandoned call, or fold it into the caller's open one."""
    assert call.ended_at is not None
    caller = dialable(call.caller_number)
    if not caller or await _already_handled(session, call.linkedid):
        return False
    if caller in own:
        log.info("no callback to our own number %s (call %s)", caller, call.linkedid)
        return False
    if await _blocked(session, call.caller_number.strip(), caller, call.ended_at):
        log.info("no callback for blocked caller %s (call %s)", caller, call.linkedid)
        return False
    await session.execute(update(CallRecord).where(CallRecord.linkedid == call.linkedid)
                          .values(callback_offered=True))
    current = await _open_same_day(session, caller, call.ended_at)
    if current is not None:
        current.abandonments += 1
        return False
    session.add(CallbackRequest(
        caller_number=caller, linkedid=call.linkedid, source_line=call.source_line,
        queue=call.queue, requested_at=call.ended_at, due_by=call.ended_at + within,
        updated_at=call.ended_at))
    await session.flush()
    log.info("callback owed to %s for call %s, due by %s", caller, call.linkedid,
             call.ended_at + within)
    return True


async def offer_callbacks(session: AsyncSession, ended: Iterable[Call],
                          within: timedelta = CALLBACK_WITHIN, fixed: Iterable[str] = ()
                          ) -> int:
    """A pending callback for each caller who hung up in a queue, one per caller per day;
    ``fixed``: the platform's own numbers besides its legacy lines (12345, the extensions)."""
    missed = [call for call in ended if abandoned_in_queue(call)]
    if not missed:  # most calls are answered: no query, no commit
        return 0
    own = await own_numbers(session, (HOTLINE_NUMBER, *fixed))
    created = 0
    for call in missed:
        created += await _offer(session, call, within, own)
    await session.commit()
    return created
