"""Supervision: due-soon and overdue scans, the phone round, cases, same-matter flags, ladder."""

from datetime import datetime
from itertools import count
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from kernel.numbers import luhn_digit
from tests.conftest import Api
from tickets.accounts.models import Unit
from tickets.calendar.workdays import WorkingCalendar
from tickets.enums import Role, SupervisionForm
from tickets.errors import IllegalTransition
from tickets.policy.profiles import PROFILES
from tickets.policy.schema import Policy
from tickets.principal import SYSTEM, Principal
from tickets.supervision import matter as matters
from tickets.supervision import scan, service
from tickets.supervision.errors import (
    RemindersExhausted,
    SupervisionAlreadyOpen,
    SupervisionAlreadyResolved,
    SupervisionNotFound,
    UnknownTrigger,
)
from tickets.supervision.models import Reminder, Supervision
from tickets.supervision.schemas import ReminderForm, Trigger
from tickets.workflow.context import Context
from tickets.workflow.machine import OPEN_STATES, TicketState
from tickets.workflow.models import Assignment, Ticket, Transition

CALENDAR = WorkingCalendar()
SUPERVISOR = Principal(user_id=None, username="督办员", role=Role.SUPERVISOR)
_serial = count(1)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def number() -> str:
    body = f"250301{next(_serial):06d}"
    return body + luhn_digit(body)


def context(session: AsyncSession, profile: str, now: str,
            actor: Principal = SUPERVISOR) -> Context:
    moment = at(now)
    return Context(session, PROFILES[profile], CALENDAR, lambda: moment, actor)


async def unit(session: AsyncSession, code: str) -> Unit:
    row = Unit(code=code, name=f"{code}局", created_at=at("2025-01-01T00:00:00+08:00"))
    session.add(row)
    await session.flush()
    return row


async def ticket(
    session: AsyncSession, lead: Unit | None, *, state: str = "handling",
    due: str | None = None, created: str = "2025-03-03T09:00:00+08:00",
    request_type: str = "投诉", **fields: Any,
) -> Ticket:
    """A ticket with every non-null column filled, assigned to ``lead``."""
    row = Ticket(
        number=number(), profile="wuhai", state=state,
        is_open=TicketState(state) in OPEN_STATES, channel="phone", media="voice",
        request_type=request_type, urgency="一般", created_at=at(created),
        lead_unit_id=lead.id if lead else None, handle_due=at(due) if due else None,
        dispatched_at=at(created) if lead else None, **fields,
    )
    session.add(row)
    await session.flush()
    if lead is not None:
        session.add(Assignment(ticket_id=row.id, unit_id=lead.id, role="lead",
                               assigned_at=at(created)))
        await session.flush()
    return row


async def events(session: AsyncSession, row: Ticket) -> list[tuple[str, str | None, str]]:
    rows = await session.scalars(
        select(Transition).where(Transition.ticket_id == row.id).order_by(Transition.id))
    return [(t.event, t.from_state, t.to_state) for t in rows]


# --- due soon and overdue ------------------------------------------------------------------


def test_due_soon_threshold_skips_the_qingming_holiday() -> None:
    # Thu 3 April 2025; 4 April (Fri) is 清明, 5–6 the weekend: the next working day is Mon 7,
    # so with one working day of warning everything due before Tue 8 00:00 is due soon.
    period = PROFILES["wuhai"].supervision.due_soon
    threshold = scan.due_soon_threshold(at("2025-04-03T10:00:00+08:00"), period, CALENDAR)
    assert threshold == at("2025-04-08T00:00:00+08:00")


async def test_scan_lists_due_soon_and_overdue_tickets_soonest_first(
    session: AsyncSession,
) -> None:
    water = await unit(session, "water")
    late_2 = await ticket(session, water, due="2025-04-02T23:59:59+08:00")
    late_1 = await ticket(session, water, due="2025-04-01T23:59:59+08:00", state="dispatched")
    await ticket(session, water, due="2025-04-01T23:59:59+08:00", state="suspended")
    await ticket(session, water, due="2025-04-01T23:59:59+08:00", state="replied")
    await ticket(session, water, due="2025-04-01T23:59:59+08:00", state="closed")
    soon_2 = await ticket(session, water, due="2025-04-07T23:59:59+08:00")
    soon_1 = await ticket(session, water, due="2025-04-03T23:59:59+08:00")
    await ticket(session, water, due="2025-04-07T23:59:59+08:00", state="replied")
    await ticket(session, water, due="2025-04-08T23:59:59+08:00")  # two working days left

    found = await service.scan(session, PROFILES["wuhai"], CALENDAR,
                               at("2025-04-03T10:00:00+08:00"))

    assert [t.number for t in found.overdue] == [late_1.number, late_2.number]
    assert [t.number for t in found.due_soon] == [soon_1.number, soon_2.number]


async def test_unit_scope_lists_only_the_units_own_tickets_with_a_total(
    session: AsyncSession,
) -> None:
    water, roads = await unit(session, "water"), await unit(session, "roads")
    mine = [await ticket(session, water, due=f"2025-03-1{d}T23:59:59+08:00") for d in (1, 2, 3)]
    await ticket(session, roads, due="2025-03-10T23:59:59+08:00")

    page = await service.overdue(session, at("2025-03-20T10:00:00+08:00"), unit_id=water.id,
                                 offset=1, limit=1)

    assert page.total == 3
    assert [t.number for t in page.items] == [mine[1].number]


# --- reminders -----------------------------------------------------------------------------


async def test_phone_reminder_is_recorded_counted_and_keeps_the_state(
    session: AsyncSession,
) -> None:
    row = await ticket(session, await unit(session, "water"), due="2025-03-10T23:59:59+08:00")
    ctx = context(session, "wuhai", "2025-03-11T09:30:00+08:00")

    reminder = await service.remind(ctx, row, ReminderForm.PHONE, "王科长 0473-1234567", "催办")

    assert row.phone_reminders == 1 and row.state == "handling"
    assert (reminder.form, reminder.contact, reminder.by) == ("phone", "王科长 0473-1234567",
                                                             "督办员")
    assert reminder.at == at("2025-03-11T09:30:00+08:00")
    assert await events(session, row) == [("remind", "handling", "handling")]


async def test_wuhai_refuses_a_third_phone_reminder_without_a_reply(
    session: AsyncSession,
) -> None:
    row = await ticket(session, await unit(session, "water"), due="2025-03-10T23:59:59+08:00")
    ctx = context(session, "wuhai", "2025-03-11T09:30:00+08:00")
    await service.remind(ctx, row, ReminderForm.PHONE)
    await service.remind(ctx, row, ReminderForm.PHONE)

    with pytest.raises(RemindersExhausted) as refused:
        await service.remind(ctx, row, ReminderForm.PHONE)

    assert refused.value.error_id == "reminders-exhausted"
    assert refused.value.details["limit"] == 2
    # a system (or SMS) reminder is not part of the phone round and is still recorded
    await service.remind(ctx, row, ReminderForm.SYSTEM)
    assert row.phone_reminders == 2
    assert len((await session.scalars(select(Reminder))).all()) == 3


async def test_phone_reminders_resume_once_the_ticket_is_under_supervision(
    session: AsyncSession,
) -> None:
    row = await ticket(session, await unit(session, "water"), due="2025-03-10T23:59:59+08:00")
    ctx = context(session, "wuhai", "2025-03-11T09:30:00+08:00")
    for _ in range(2):
        await service.remind(ctx, row, ReminderForm.PHONE)
    await service.supervise(ctx, row, Trigger.REMINDERS_EXHAUSTED, SupervisionForm.PHONE)

    await service.remind(ctx, row, ReminderForm.PHONE, note="电话督办分管领导")

    assert row.phone_reminders == 3


async def test_profiles_without_a_phone_round_allow_any_number_of_calls(
    session: AsyncSession,
) -> None:
    row = await ticket(session, await unit(session, "water"), due="2025-03-10T23:59:59+08:00")
    ctx = context(session, "tonghua", "2025-03-11T09:30:00+08:00")
    for _ in range(3):
        await service.remind(ctx, row, ReminderForm.PHONE)
    assert row.phone_reminders == 3


# --- supervision cases ---------------------------------------------------------------------


async def test_supervise_opens_a_case_flags_the_ticket_and_records_the_event(
    session: AsyncSession,
) -> None:
    row = await ticket(session, await unit(session, "water"), due="2025-03-10T23:59:59+08:00")
    ctx = context(session, "tonghua", "2025-03-11T09:30:00+08:00")

    case = await service.supervise(ctx, row, "overdue", SupervisionForm.PHONE, "逾期一天")

    assert row.under_supervision is True and row.state == "handling"
    assert (case.trigger, case.form, case.note, case.resolved_at) == (
        "overdue", "phone", "逾期一天", None)
    history = (await session.scalars(select(Transition))).one()
    assert (history.event, history.data) == ("supervise", {"trigger": "overdue", "form": "phone"})


async def test_the_same_trigger_and_form_cannot_be_opened_twice(session: AsyncSession) -> None:
    row = await ticket(session, await unit(session, "water"), due="2025-03-10T23:59:59+08:00")
    ctx = context(session, "tonghua", "2025-03-11T09:30:00+08:00")
    await service.supervise(ctx, row, Trigger.OVERDUE)

    with pytest.raises(SupervisionAlreadyOpen):
        await service.supervise(ctx, row, Trigger.OVERDUE)
    # escalating to another form (wuhai 6.5: system, then phone, then SMS…) is allowed
    await service.supervise(ctx, row, Trigger.OVERDUE, SupervisionForm.SMS)
    assert len((await session.scalars(select(Supervision))).all()) == 2


async def test_supervise_refuses_unknown_triggers_and_closed_tickets(
    session: AsyncSession,
) -> None:
    water = await unit(session, "water")
    ctx = context(session, "tonghua", "2025-03-11T09:30:00+08:00")
    with pytest.raises(UnknownTrigger):
        await service.supervise(ctx, await ticket(session, water), "because")
    with pytest.raises(IllegalTransition):
        await service.supervise(ctx, await ticket(session, water, state="closed"), "manual")


async def test_resolve_clears_the_flag_only_with_the_last_open_case(
    session: AsyncSession,
) -> None:
    row = await ticket(session, await unit(session, "water"), due="2025-03-10T23:59:59+08:00")
    ctx = context(session, "tonghua", "2025-03-11T09:30:00+08:00")
    first = await service.supervise(ctx, row, Trigger.OVERDUE)
    second = await service.supervise(ctx, row, Trigger.REPEATED_COMPLAINTS)

    await service.resolve(ctx, first.id, "单位已承诺周五前答复")
    assert row.under_supervision is True
    done = await service.resolve(ctx, second.id, "已答复")

    assert row.under_supervision is False
    assert (done.resolved_at, done.resolution) == (at("2025-03-11T09:30:00+08:00"), "已答复")
    assert [e for e, _, _ in await events(session, row)][-1] == "resolve-supervision"
    with pytest.raises(SupervisionAlreadyResolved):
        await service.resolve(ctx, second.id, "again")
    with pytest.raises(SupervisionNotFound):
        await service.resolve(ctx, second.id + 100, "x")


# --- same matter, consecutive months (tonghua 第二十九条(七)) ----------------------------------


async def matter(session: AsyncSession, created: list[str], **last: Any) -> list[Ticket]:
    """A root ticket and repeats linked to it, created at the given instants."""
    water = await unit(session, "water")
    root = await ticket(session, water, created=created[0])
    root.matter_id = root.id
    rows = [root]
    for moment in created[1:]:
        rows.append(await ticket(session, None, state="linked", created=moment,
                                 matter_id=root.id, linked_ticket_id=root.id))
    for name, value in last.items():
        setattr(rows[-1], name, value)
    await session.flush()
    return rows


async def test_complaints_three_months_running_flag_the_ticket_and_supervise_the_root(
    session: AsyncSession,
) -> None:
    # 31 Jan 17:00 UTC is 1 Feb 01:00 in Beijing: February has its complaint.
    rows = await matter(session, ["2025-01-10T09:00:00+08:00", "2025-01-31T17:00:00+00:00",
                                  "2025-03-05T09:00:00+08:00"])
    ctx = context(session, "tonghua", "2025-03-05T09:10:00+08:00")

    outcome = await matters.flag_same_matter(ctx, rows[-1])

    assert outcome.flagged and outcome.months == ("2025-01", "2025-02", "2025-03")
    assert rows[-1].accountability_flag is True
    # the new ticket is linked (terminal), so the case goes to the open root ticket
    assert outcome.supervision is not None
    assert (outcome.supervision.ticket_id, outcome.supervision.trigger) == (
        rows[0].id, "same-matter-months")
    assert rows[0].under_supervision is True


async def test_a_month_without_complaints_breaks_the_run(session: AsyncSession) -> None:
    # 31 Jan 15:00 UTC is still 31 Jan in Beijing: February has none.
    rows = await matter(session, ["2025-01-10T09:00:00+08:00", "2025-01-31T15:00:00+00:00",
                                  "2025-03-05T09:00:00+08:00"])
    outcome = await matters.flag_same_matter(
        context(session, "tonghua", "2025-03-05T09:10:00+08:00"), rows[-1])
    assert (outcome.flagged, outcome.supervision) == (False, None)
    assert rows[-1].accountability_flag is False


async def test_consultations_do_not_count_as_complaints(session: AsyncSession) -> None:
    rows = await matter(session, ["2025-01-10T09:00:00+08:00", "2025-02-10T09:00:00+08:00",
                                  "2025-03-05T09:00:00+08:00"], request_type="咨询")
    outcome = await matters.flag_same_matter(
        context(session, "tonghua", "2025-03-05T09:10:00+08:00"), rows[-1])
    assert outcome.flagged is False


async def test_a_matter_gets_one_open_same_matter_case_however_many_repeats(
    session: AsyncSession,
) -> None:
    rows = await matter(session, ["2025-01-10T09:00:00+08:00", "2025-02-10T09:00:00+08:00",
                                  "2025-03-05T09:00:00+08:00", "2025-03-20T09:00:00+08:00"])
    ctx = context(session, "tonghua", "2025-03-20T09:10:00+08:00")
    await matters.flag_same_matter(ctx, rows[2])

    again = await matters.flag_same_matter(ctx, rows[3])

    assert again.flagged and again.supervision is None
    assert rows[3].accountability_flag is True
    assert len((await session.scalars(select(Supervision))).all()) == 1


# --- the ladder ----------------------------------------------------------------------------


async def test_ladder_supervises_overdue_tickets_once(engine: AsyncEngine,
                                                      session: AsyncSession) -> None:
    water = await unit(session, "water")
    late = await ticket(session, water, due="2025-03-10T23:59:59+08:00")
    await ticket(session, water, due="2025-03-10T23:59:59+08:00", state="returned")
    await ticket(session, water, due="2025-03-30T23:59:59+08:00")
    busy = await ticket(session, water, due="2025-03-09T23:59:59+08:00")
    session.add(Supervision(ticket_id=busy.id, at=at("2025-03-10T10:00:00+08:00"),
                            trigger="manual", form="phone", by="督办员"))
    await session.commit()

    # the job's own session expires objects on commit, as a default sessionmaker does
    async with async_sessionmaker(engine)() as job_session:
        ctx = Context(job_session, PROFILES["tonghua"], CALENDAR,
                      lambda: at("2025-03-12T02:00:00+08:00"), SYSTEM)
        first = await service.run_ladder(ctx)
        second = await service.run_ladder(ctx)

    assert (first.supervised, first.failed) == ([late.number], [])
    assert second.supervised == []
    case = (await session.scalars(
        select(Supervision).where(Supervision.ticket_id == late.id))).one()
    assert (case.trigger, case.form, case.by) == ("overdue", "system", "system")


async def test_wuhai_ladder_waits_for_two_phone_reminders(session: AsyncSession) -> None:
    water = await unit(session, "water")
    called_once = await ticket(session, water, due="2025-03-10T23:59:59+08:00",
                               phone_reminders=1)
    called_twice = await ticket(session, water, due="2025-03-10T23:59:59+08:00",
                                phone_reminders=2)
    await session.commit()
    ctx = context(session, "wuhai", "2025-03-12T02:00:00+08:00", SYSTEM)

    run = await service.run_ladder(ctx)

    assert run.supervised == [called_twice.number]
    assert run.awaiting_phone_round == [called_once.number]
    case = (await session.scalars(select(Supervision))).one()
    assert case.trigger == "reminders-exhausted"


# --- the API -------------------------------------------------------------------------------


async def seeded(api: Api, policy: Policy | None = None) -> tuple[str, str]:
    """An overdue ticket of the water unit and one of the roads unit, committed."""
    if policy is not None:
        api.runtime.policy = policy
    async with api.runtime.sessionmaker() as db:
        water = await db.get_one(Unit, api.units["water"])
        roads = await db.get_one(Unit, api.units["roads"])
        mine = await ticket(db, water, due="2025-12-01T23:59:59+08:00",
                            created="2025-11-20T09:00:00+08:00")
        other = await ticket(db, roads, due="2025-12-02T23:59:59+08:00",
                             created="2025-11-20T09:00:00+08:00")
        await db.commit()
        return mine.number or "", other.number or ""


async def test_api_reminder_round_then_supervision_then_resolve(api: Api) -> None:
    api.clock.set("2025-12-03T10:00:00+08:00")
    number, _ = await seeded(api, PROFILES["wuhai"])
    path = f"/supervision/tickets/{number}"
    for expected in (201, 201, 409):
        response = await api.call("POST", f"{path}/reminders", "supervisor",
                                  json={"form": "phone", "contact": "王科长"})
        assert response.status_code == expected, response.text
    assert response.json()["error_id"] == "reminders-exhausted"

    opened = await api.call("POST", f"{path}/supervisions", "reviewer",
                            json={"trigger": "reminders-exhausted", "form": "sms"})
    assert opened.status_code == 201, opened.text
    case_id = opened.json()["id"]
    resolved = await api.call("POST", f"/supervision/supervisions/{case_id}/resolve",
                              "supervisor", json={"resolution": "单位已答复"})
    assert resolved.json()["resolution"] == "单位已答复"

    record = (await api.call("GET", f"{path}/supervisions", "water")).json()
    assert (record["phone_reminders"], record["under_supervision"]) == (2, False)
    assert [r["form"] for r in record["reminders"]] == ["phone", "phone"]
    assert [s["trigger"] for s in record["supervisions"]] == ["reminders-exhausted"]


async def test_api_unit_handler_reads_only_its_own_and_cannot_write(api: Api) -> None:
    api.clock.set("2025-12-03T10:00:00+08:00")
    mine, other = await seeded(api)

    listed = (await api.call("GET", "/supervision/overdue", "water")).json()
    everything = (await api.call("GET", "/supervision/overdue?size=1&page=2",
                                 "supervisor")).json()
    hidden = await api.call("GET", f"/supervision/tickets/{other}/supervisions", "water")
    write = await api.call("POST", f"/supervision/tickets/{mine}/reminders", "water", json={})

    assert ([t["number"] for t in listed["items"]], listed["total"]) == ([mine], 1)
    assert ([t["number"] for t in everything["items"]], everything["total"]) == ([other], 2)
    assert (hidden.status_code, hidden.json()["error_id"]) == (404, "ticket-not-found")
    assert write.status_code == 403


async def test_api_due_soon_lists_tickets_due_within_a_working_day(api: Api) -> None:
    api.clock.set("2025-12-01T10:00:00+08:00")  # Monday; the water ticket is due tonight
    mine, other = await seeded(api)
    listed = (await api.call("GET", "/supervision/due-soon", "reviewer")).json()
    assert [t["number"] for t in listed["items"]] == [mine, other]
    assert at(listed["items"][0]["handle_due"]) == at("2025-12-01T23:59:59+08:00")
