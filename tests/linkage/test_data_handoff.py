"""The data hand-off against a real HTTP server on loopback: signed, one idempotency key,
retries, receipts; a target that is down or refuses costs the voice hand-off nothing."""

import json
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from linkage.handoff import LiveHandoff
from linkage.machine import DataState, HandoffState
from linkage.models import Handoff, HandoffRecord
from linkage.packet import HANDOFF_HEADER, IDEMPOTENCY_HEADER, SIGNATURE_HEADER, verify
from tests.conftest import FakeClock
from tests.linkage.conftest import CALL, Receiver, Reply, Wired, closed_port_url, draft
from tests.linkage.test_service import listed
from tests.waiting import wait_for
from tickets.calendar.workdays import WorkingCalendar
from tickets.enums import Role, Urgency
from tickets.policy.registry import get_policy
from tickets.principal import Principal
from tickets.workflow.context import Context
from tickets.workflow.intake import create_ticket
from tickets.workflow.models import Ticket, Transition
from tickets.workflow.schemas import TicketCreate


async def handed_off(wired: Wired) -> LiveHandoff:
    """A fire reported, the agent confirmed; once the packet's fate is settled."""
    await wired.service.on_draft(draft("119"))
    h = await wired.service.confirm(CALL, None, "agent")
    await wait_for(lambda: h.data_state not in (DataState.PENDING, DataState.SENDING)
                   and not h.tasks, "packet settled")
    return h


async def stored(db: async_sessionmaker[AsyncSession]) -> tuple[Handoff, list[HandoffRecord]]:
    async with db() as session:
        row = await session.scalar(select(Handoff))
        assert row is not None
        records = (await session.scalars(select(HandoffRecord).order_by(HandoffRecord.id))).all()
        return row, list(records)


async def test_the_packet_arrives_signed_with_the_handoff_as_idempotency_key(
    wired: Wired, db: async_sessionmaker[AsyncSession], receiver: Receiver
) -> None:
    receiver.secret = await listed(db, "119", endpoint_url=receiver.url, pass_identity=False)
    h = await handed_off(wired)
    [got] = receiver.requests
    assert verify(receiver.secret, got.body, got.headers[SIGNATURE_HEADER.lower()])
    assert got.headers[IDEMPOTENCY_HEADER.lower()] == h.key == got.headers[HANDOFF_HEADER.lower()]
    packet = json.loads(got.body)
    assert packet["kind"] == "119" and packet["target"] == "119"
    assert packet["place"] == "东昌区新华路18号" and packet["summary"] == "居民楼起火"
    assert "着火" in packet["transcript_excerpt"]
    assert packet["callback_number"] is None  # the list does not pass the identity on
    assert packet["reported_at"].endswith("+08:00")
    assert h.data_state is DataState.DELIVERED and h.state is HandoffState.JOINED
    row, records = await stored(db)
    assert (row.data_state, row.receipt_status, row.receipt_verified, row.data_attempts) == \
        ("delivered", 200, True, 1)
    assert row.receipt_hash is not None and len(row.receipt_hash) == 64
    assert not any(r.supervisor for r in records)
    assert "data-delivered" in [c.state for c in wired.told]


async def test_the_callback_number_goes_only_where_the_list_allows(
    wired: Wired, db: async_sessionmaker[AsyncSession], receiver: Receiver
) -> None:
    receiver.secret = await listed(db, "119", endpoint_url=receiver.url, pass_identity=True)
    await handed_off(wired)
    assert json.loads(receiver.requests[0].body)["callback_number"] == "13800138000"


async def test_a_target_that_is_down_gets_bounded_retries_then_the_supervisor_is_told(
    wired: Wired, db: async_sessionmaker[AsyncSession]
) -> None:
    await listed(db, "119", endpoint_url=closed_port_url())
    h = await handed_off(wired)
    assert h.data_state is DataState.FAILED and h.data_attempts == 3
    assert h.state is HandoffState.JOINED  # the voice hand-off went on regardless
    [failed] = [c for c in wired.told if c.state == "data-failed"]
    assert failed.data["outcome"] == "failed" and failed.data["attempts"] == 3
    row, records = await stored(db)
    assert row.data_state == "failed" and "ConnectError" in (row.data_error or "")
    assert [r.event for r in records if r.supervisor] == ["data-fail"]


async def test_a_busy_target_gets_the_same_packet_and_key_again_and_it_counts_once(
    wired: Wired, db: async_sessionmaker[AsyncSession], receiver: Receiver
) -> None:
    receiver.secret = await listed(db, "119", endpoint_url=receiver.url)
    receiver.replies = [Reply(503, b"busy", None), Reply(200)]
    h = await handed_off(wired)
    first, second = receiver.requests
    assert first.body == second.body
    assert first.headers[IDEMPOTENCY_HEADER.lower()] == second.headers[IDEMPOTENCY_HEADER.lower()]
    assert h.data_state is DataState.DELIVERED and h.data_attempts == 2
    await wired.service.confirm(CALL, None, "agent")  # a second confirm sends nothing
    assert len(receiver.requests) == 2


async def test_a_target_that_refuses_the_packet_is_not_pestered_and_the_supervisor_is_told(
    wired: Wired, db: async_sessionmaker[AsyncSession], receiver: Receiver
) -> None:
    receiver.secret = await listed(db, "119", endpoint_url=receiver.url)
    receiver.replies = [Reply(422, b'{"error": "unknown district"}', None)]
    h = await handed_off(wired)
    assert len(receiver.requests) == 1 and h.data_state is DataState.REJECTED
    [failed] = [c for c in wired.told if c.state == "data-failed"]
    assert failed.data["outcome"] == "rejected" and failed.data["status"] == 422
    row, records = await stored(db)
    assert row.receipt_status == 422 and [r.event for r in records if r.supervisor] == \
        ["data-reject"]


async def test_a_receipt_with_a_bad_signature_is_recorded_unverified_for_the_supervisor(
    wired: Wired, db: async_sessionmaker[AsyncSession], receiver: Receiver
) -> None:
    receiver.secret = await listed(db, "119", endpoint_url=receiver.url)
    receiver.replies = [Reply(200, b'{"received": true}', "bad")]
    h = await handed_off(wired)
    assert h.data_state is DataState.DELIVERED
    assert [c.state for c in wired.told if c.state.startswith(("data", "receipt"))] == \
        ["data-delivered", "receipt-unverified"]
    row, records = await stored(db)
    assert row.receipt_verified is False
    assert [r.event for r in records if r.supervisor] == ["receipt-unverified"]


async def test_an_unsigned_receipt_is_recorded_as_such(
    wired: Wired, db: async_sessionmaker[AsyncSession], receiver: Receiver
) -> None:
    receiver.secret = await listed(db, "119", endpoint_url=receiver.url)
    receiver.replies = [Reply(202, b"ok", None)]
    h = await handed_off(wired)
    assert h.receipt is not None and h.receipt.verified is None and h.receipt.status == 202


async def test_the_calls_ticket_becomes_an_emergency_ticket_due_in_the_profiles_urgent_period(
    wired: Wired, db: async_sessionmaker[AsyncSession], receiver: Receiver, clock: FakeClock
) -> None:
    receiver.secret = await listed(db, "119", endpoint_url=receiver.url)
    async with db() as session:
        ctx = Context(session, get_policy("wuhai"), WorkingCalendar(), clock,
                      Principal(None, "agent", Role.AGENT))
        ticket = await create_ticket(ctx, TicketCreate(
            request_type="求助", category="公共安全", place="东昌区新华路十八号三单元",
            summary="三单元楼道电动车起火", content="居民楼起火", calls=[CALL]))
        await session.commit()
        number = ticket.number
    clock.advance(minutes=3)
    h = await handed_off(wired)
    assert h.ticket_number == number
    packet = json.loads(receiver.requests[0].body)
    assert packet["ticket_number"] == number
    # the registered ticket's place and summary, not the live draft's (issue 13)
    assert packet["place"] == "东昌区新华路十八号三单元"
    assert packet["summary"] == "三单元楼道电动车起火"
    async with db() as session:
        ticket = await session.scalar(select(Ticket).where(Ticket.number == number))
        assert ticket is not None
        assert ticket.urgency == Urgency.VERY_URGENT.value
        assert ticket.handle_due == clock() + timedelta(hours=2)  # wuhai 6.4.2
        history = (await session.scalars(select(Transition).where(
            Transition.ticket_id == ticket.id).order_by(Transition.id))).all()
        assert history[-1].event == "emergency" and history[-1].data["handoff"] == h.key
