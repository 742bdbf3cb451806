"""Period statistics and the monthly bulletin, pinned figure by figure on a known month."""

import csv
import io
from datetime import datetime
from itertools import count
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.numbers import luhn_digit
from tests.conftest import Api
from tickets.accounts.models import Unit
from tickets.errors import InvalidValue, TimezoneRequired
from tickets.policy.profiles import PROFILES
from tickets.stats.bulletin import build_bulletin, bulletin_csv, month_bounds
from tickets.stats.schemas import Count, UnitCount
from tickets.stats.service import period_stats
from tickets.workflow.machine import OPEN_STATES, TicketState
from tickets.workflow.models import Ticket, Transition

POLICY = PROFILES["default"]  # satisfied: 非常满意, 满意, 基本满意
MARCH = (datetime.fromisoformat("2025-03-01T00:00:00+08:00"),
         datetime.fromisoformat("2025-04-01T00:00:00+08:00"))
LATER = datetime.fromisoformat("2025-05-06T10:00:00+08:00")
_serial = count(1)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


async def add_unit(session: AsyncSession, code: str, name: str) -> Unit:
    row = Unit(code=code, name=name, created_at=at("2025-01-01T00:00:00+08:00"))
    session.add(row)
    await session.flush()
    return row


async def add_ticket(
    session: AsyncSession, name: str, created: str, *, lead: Unit | None, state: str,
    request_type: str, due: str | None = None, returns: int = 0, **fields: Any,
) -> Ticket:
    """A ticket with every non-null column filled; ``returns`` return transitions."""
    body = f"250301{next(_serial):06d}"
    row = Ticket(
        number=body + luhn_digit(body), profile="default", state=state,
        is_open=TicketState(state) in OPEN_STATES, channel="phone", media="voice",
        request_type=request_type, urgency="一般", created_at=at(created), summary=name,
        lead_unit_id=lead.id if lead else None, handle_due=at(due) if due else None,
        dispatched_at=at(created) if lead else None, **fields,
    )
    session.add(row)
    await session.flush()
    for _ in range(returns):
        session.add(Transition(ticket_id=row.id, at=at(created), actor="unit", event="return",
                               from_state="dispatched", to_state="returned"))
    return row


async def month_of_tickets(session: AsyncSession) -> dict[str, Any]:
    """March 2025 (Beijing) with units A, B and C and tickets on both edges of the month."""
    a = await add_unit(session, "a", "市住建局")
    b = await add_unit(session, "b", "市水务局")
    c = await add_unit(session, "c", "市交通局")
    replied = at("2025-03-05T10:00:00+08:00")
    await add_ticket(session, "T1 按时满意", "2025-03-03T09:00:00+08:00", lead=a,
                     state="closed", request_type="投诉", category="城乡建设",
                     district="海勃湾区", due="2025-03-10T23:59:59+08:00", returns=2,
                     final_evaluation="满意", replied_at=replied)
    await add_ticket(session, "T2 逾期答复不满意", "2025-03-04T09:00:00+08:00", lead=a,
                     state="closed", request_type="投诉", category="城乡建设",
                     district="海勃湾区", due="2025-03-04T23:59:59+08:00", replied_late=True,
                     final_evaluation="不满意", replied_at=replied)
    t3 = await add_ticket(session, "=HYPERLINK(\"http://x\")", "2025-03-12T09:00:00+08:00",
                          lead=b, state="handling", request_type="求助", category="住房保障",
                          district="乌达区", due="2025-03-20T23:59:59+08:00", returns=1)
    await add_ticket(session, "T4 直办", "2025-03-13T09:00:00+08:00", lead=None,
                     state="closed", request_type="咨询")
    await add_ticket(session, "T5 未到期", "2025-03-28T09:00:00+08:00", lead=b,
                     state="handling", request_type="建议", category="城乡建设",
                     due="2025-04-10T23:59:59+08:00")
    await add_ticket(session, "T6 草稿", "2025-03-14T09:00:00+08:00", lead=None,
                     state="draft", request_type="投诉")
    # 28 Feb 20:00 UTC is 1 March 04:00 in Beijing: a March ticket
    await add_ticket(session, "T7 月初", "2025-02-28T20:00:00+00:00", lead=a,
                     state="closed", request_type="举报", category="环境保护",
                     district="海勃湾区", due="2025-03-07T23:59:59+08:00",
                     final_evaluation="基本满意", replied_at=replied)
    # 28 Feb 23:00 in Beijing: February, but still overdue in March
    t8 = await add_ticket(session, "T8 二月逾期", "2025-02-28T15:00:00+00:00", lead=c,
                          state="handling", request_type="投诉",
                          due="2025-03-07T23:59:59+08:00")
    await add_ticket(session, "T9 四月", "2025-04-01T00:00:00+08:00", lead=a,
                     state="handling", request_type="投诉", due="2025-04-03T23:59:59+08:00")
    await session.commit()
    return {"a": a.id, "b": b.id, "c": c.id, "t3": t3.number, "t8": t8.number}


async def test_period_counts_by_type_category_district_and_unit(session: AsyncSession) -> None:
    ids = await month_of_tickets(session)

    stats = await period_stats(session, POLICY, *MARCH, now=LATER)

    assert stats.total == 6  # T1–T5 and T7; not the draft, February's T8 or April's T9
    assert stats.by_request_type == [
        Count(key="投诉", count=2), Count(key="举报", count=1), Count(key="咨询", count=1),
        Count(key="建议", count=1), Count(key="求助", count=1)]
    assert stats.by_category == [
        Count(key="城乡建设", count=3), Count(key="住房保障", count=1),
        Count(key="环境保护", count=1), Count(key=None, count=1)]
    assert stats.by_district == [
        Count(key="海勃湾区", count=3), Count(key=None, count=2), Count(key="乌达区", count=1)]
    assert stats.by_unit == [
        UnitCount(unit_id=ids["a"], unit_name="市住建局", count=3),
        UnitCount(unit_id=ids["b"], unit_name="市水务局", count=2),
        UnitCount(unit_id=None, unit_name=None, count=1)]


async def test_period_rates_count_open_overdue_tickets_as_late(session: AsyncSession) -> None:
    await month_of_tickets(session)

    stats = await period_stats(session, POLICY, *MARCH, now=LATER)

    assert (stats.replied, stats.late_open) == (3, 1)  # T1, T2, T7 replied; T3 overdue
    assert (stats.on_time.numerator, stats.on_time.denominator, stats.on_time.value) == (
        2, 4, 0.5)
    assert (stats.satisfaction.numerator, stats.satisfaction.denominator) == (2, 3)
    assert stats.satisfaction.value == 0.6667
    # T1 (returned twice) and T3 of five dispatched tickets
    assert (stats.returns.numerator, stats.returns.denominator, stats.returns.value) == (
        2, 5, 0.4)


async def test_overdue_list_covers_earlier_months_longest_overdue_first(
    session: AsyncSession,
) -> None:
    ids = await month_of_tickets(session)

    stats = await period_stats(session, POLICY, *MARCH, now=LATER)

    assert stats.as_of == MARCH[1]
    assert [(t.number, t.unit_name, t.days_overdue) for t in stats.overdue] == [
        (ids["t8"], "市交通局", 25), (ids["t3"], "市水务局", 12)]


async def test_a_period_not_yet_over_judges_deadlines_now(session: AsyncSession) -> None:
    ids = await month_of_tickets(session)
    now = at("2025-03-15T12:00:00+08:00")

    stats = await period_stats(session, POLICY, *MARCH, now=now)

    assert stats.as_of == now
    assert stats.late_open == 0  # T3 is due on the 20th
    assert (stats.on_time.numerator, stats.on_time.denominator) == (2, 3)
    assert [t.number for t in stats.overdue] == [ids["t8"]]


async def test_empty_period_has_no_rates(session: AsyncSession) -> None:
    stats = await period_stats(session, POLICY, *MARCH, now=LATER)
    assert stats.total == 0 and stats.by_unit == [] and stats.overdue == []
    assert (stats.on_time.value, stats.satisfaction.value, stats.returns.value) == (
        None, None, None)


async def test_period_needs_aware_ordered_bounds(session: AsyncSession) -> None:
    with pytest.raises(TimezoneRequired):
        await period_stats(session, POLICY, datetime(2025, 3, 1), MARCH[1])
    with pytest.raises(InvalidValue):
        await period_stats(session, POLICY, MARCH[1], MARCH[0])


def test_month_bounds_run_from_beijing_midnight_to_the_next_month() -> None:
    assert month_bounds(2025, 12) == (at("2025-12-01T00:00:00+08:00"),
                                      at("2026-01-01T00:00:00+08:00"))
    with pytest.raises(InvalidValue):
        month_bounds(2025, 13)


async def test_bulletin_unit_rows_put_the_most_overdue_first(session: AsyncSession) -> None:
    ids = await month_of_tickets(session)

    bulletin = await build_bulletin(session, POLICY, 2025, 3, LATER)

    rows = [(u.unit_id, u.received, u.replied, u.replied_on_time, u.late_open, u.overdue,
             u.evaluated, u.satisfied) for u in bulletin.units]
    assert rows == [
        (ids["b"], 2, 0, 0, 1, 1, 0, 0),
        (ids["c"], 0, 0, 0, 0, 1, 0, 0),  # only February's overdue ticket
        (ids["a"], 3, 3, 2, 0, 0, 3, 2),
    ]
    assert bulletin.units[2].satisfaction.value == 0.6667
    assert bulletin.units[0].on_time.value == 0.0
    assert bulletin.summary.total == 6 and bulletin.profile == "default"


async def test_bulletin_csv_opens_in_excel_and_defuses_formulas(session: AsyncSession) -> None:
    ids = await month_of_tickets(session)
    text = bulletin_csv(await build_bulletin(session, POLICY, 2025, 3, LATER))

    assert text.startswith("\ufeff12345热线月通报,2025年3月,default")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert ["按时答复率", "50.00%", "2", "4"] in rows
    assert ["满意率", "66.67%", "2", "3"] in rows
    assert ["市住建局", "3", "3", "2", "0", "0", "3", "2", "66.67%", "66.67%"] in rows
    overdue = rows[rows.index(["逾期未办结事项"]) + 2:]
    assert [r[0] for r in overdue] == [ids["t8"], ids["t3"]]
    assert overdue[1][4] == "'=HYPERLINK(\"http://x\")"
    assert overdue[1][6] == "2025-03-20 23:59:59"


async def test_api_bulletin_as_json_and_csv_for_centre_roles_only(api: Api) -> None:
    api.clock.set("2025-05-06T10:00:00+08:00")
    async with api.runtime.sessionmaker() as db:
        await month_of_tickets(db)

    as_json = await api.call("GET", "/stats/bulletin/2025/3.json", "supervisor")
    as_csv = await api.call("GET", "/stats/bulletin/2025/3.csv", "reviewer")
    refused = await api.call("GET", "/stats/bulletin/2025/3.json", "agent")

    assert as_json.status_code == 200, as_json.text
    assert as_json.json()["summary"]["total"] == 6
    assert as_csv.headers["content-type"] == "text/csv; charset=utf-8"
    assert as_csv.headers["content-disposition"] == (
        'attachment; filename="bulletin-2025-03.csv"')
    assert as_csv.content.startswith("\ufeff".encode())
    assert refused.status_code == 403


async def test_api_summary_refuses_naive_datetimes(api: Api) -> None:
    naive = await api.call("GET", "/stats/summary",
                           params={"start": "2025-03-01T00:00:00", "end": "2025-04-01T00:00:00"})
    aware = await api.call("GET", "/stats/summary", "reviewer", params={
        "start": "2025-03-01T00:00:00+08:00", "end": "2025-04-01T00:00:00+08:00"})
    assert naive.status_code == 422
    assert aware.status_code == 200 and aware.json()["total"] == 0
