"""The IVR's ticket lookup: state label and due date by number, nothing personal."""

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from hotline.ivr import TicketStatusLookup
from tests.conftest import FakeClock, empty_tables
from tickets.workflow.models import Ticket


async def test_a_caller_hears_state_and_due_date_and_whether_it_is_overdue(
    engine: AsyncEngine, clock: FakeClock,
) -> None:
    await empty_tables(engine)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    due = clock() - timedelta(days=1)
    async with sessions() as session:
        session.add(Ticket(number="2603020000017", profile="tonghua", state="handling",
                           channel="phone", media="voice", request_type="投诉", urgency="一般",
                           requester_name="王小明", requester_phone="13800138000",
                           handle_due=due, created_at=clock() - timedelta(days=9)))
        session.add(Ticket(number="2603020000025", profile="tonghua", state="closed",
                           channel="phone", media="voice", request_type="咨询", urgency="一般",
                           handle_due=due, created_at=clock() - timedelta(days=9)))
        await session.commit()
    lookup = TicketStatusLookup(sessions, clock)
    status = await lookup.status("2603020000017")
    assert status is not None
    assert (status.state_label, status.due, status.overdue) == ("办理中", due.date(), True)
    assert "王小明" not in repr(status) and "13800138000" not in repr(status)
    closed = await lookup.status("2603020000025")
    assert closed is not None and (closed.state_label, closed.overdue) == ("已办结", False)
    assert await lookup.status("2603029999999") is None

