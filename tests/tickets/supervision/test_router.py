"""The supervision API over HTTP: due-soon and overdue lists, reminders, supervision cases."""

from typing import Any

from tests.conftest import Api
from tests.tickets.workflow.test_lifecycle_api import act, create


async def two_tickets(api: Api) -> tuple[str, str]:
    """One ticket with water and one with roads, both due Monday 9 March (dispatched 2 March)."""
    numbers = []
    for unit, summary in (("water", "新华街小区停水"), ("roads", "二道江区路面塌陷")):
        number = (await create(api, summary=summary))["number"]
        dispatched = await act(api, number, "dispatch", "reviewer", lead_unit_id=api.units[unit])
        assert dispatched["deadlines"]["handle_due"] == "2026-03-09T23:59:59+08:00"
        numbers.append(number)
    return numbers[0], numbers[1]


async def listing(api: Api, which: str, who: str) -> list[str]:
    response = await api.call("GET", f"/supervision/{which}", who)
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    assert page["total"] == len(page["items"])
    return [item["number"] for item in page["items"]]


async def post(api: Api, path: str, who: str, status: int, **body: Any) -> dict[str, Any]:
    response = await api.call("POST", f"/supervision/{path}", who, json=body)
    assert response.status_code == status, response.text
    result: dict[str, Any] = response.json()
    return result


async def flag(api: Api, number: str) -> bool:
    ticket = (await api.call("GET", f"/tickets/{number}", "supervisor")).json()
    under: bool = ticket["under_supervision"]
    return under


async def test_due_soon_and_overdue_lists_a_unit_sees_only_its_own(api: Api) -> None:
    water, roads = await two_tickets(api)
    replied = (await create(api, summary="已答复的工单"))["number"]
    await act(api, replied, "dispatch", "reviewer", lead_unit_id=api.units["water"])
    await act(api, replied, "reply", "water", reply="已处理")

    api.clock.set("2026-03-05T10:00:00+08:00")  # Thursday: two working days still left
    assert await listing(api, "due-soon", "supervisor") == []
    api.clock.set("2026-03-06T10:00:00+08:00")  # Friday: one working day left (Monday)
    assert await listing(api, "due-soon", "supervisor") == [water, roads]
    assert await listing(api, "due-soon", "water") == [water]
    assert await listing(api, "due-soon", "roads") == [roads]
    assert await listing(api, "overdue", "supervisor") == []

    api.clock.set("2026-03-10T10:00:00+08:00")  # past the deadline; the replied one is not
    assert await listing(api, "overdue", "supervisor") == [water, roads]
    assert await listing(api, "overdue", "reviewer") == [water, roads]
    assert await listing(api, "overdue", "water") == [water]
    assert await listing(api, "overdue", "roads") == [roads]
    assert await listing(api, "due-soon", "supervisor") == []
    page = (await api.call("GET", "/supervision/overdue", "supervisor",
                           params={"page": 2, "size": 1})).json()
    assert [item["number"] for item in page["items"]] == [roads]
    assert (page["total"], page["page"], page["size"]) == (2, 2, 1)
    row = page["items"][0]
    assert row["summary"] == "二道江区路面塌陷" and row["lead_unit_id"] == api.units["roads"]
    assert row["state"] == "dispatched" and "requester" not in row

    refused = await api.call("GET", "/supervision/overdue", "agent")
    assert refused.status_code == 403


async def test_reminder_is_recorded_and_counted(api: Api) -> None:
    water, _ = await two_tickets(api)
    api.clock.set("2026-03-10T10:00:00+08:00")
    reminder = await post(api, f"tickets/{water}/reminders", "supervisor", 201,
                          form="phone", contact="王科长", note="请今日答复")
    assert (reminder["by"], reminder["form"], reminder["contact"], reminder["note"]) == (
        "supervisor", "phone", "王科长", "请今日答复")
    await post(api, f"tickets/{water}/reminders", "reviewer", 201, form="sms")

    record = (await api.call("GET", f"/supervision/tickets/{water}/supervisions", "water")).json()
    assert record["phone_reminders"] == 1  # an SMS is not a phone reminder
    assert [r["form"] for r in record["reminders"]] == ["phone", "sms"]
    overdue = (await api.call("GET", "/supervision/overdue", "supervisor")).json()["items"]
    assert overdue[0]["number"] == water and overdue[0]["phone_reminders"] == 1
    history = (await api.call("GET", f"/tickets/{water}/history", "supervisor")).json()
    reminds = [step for step in history if step["event"] == "remind"]
    assert [(s["actor"], s["data"]["form"]) for s in reminds] == [("supervisor", "phone"),
                                                                  ("reviewer", "sms")]


async def test_supervision_opened_and_resolved_toggles_the_ticket_flag(api: Api) -> None:
    water, roads = await two_tickets(api)
    api.clock.set("2026-03-10T10:00:00+08:00")
    assert await flag(api, water) is False
    case = await post(api, f"tickets/{water}/supervisions", "supervisor", 201,
                      trigger="overdue", form="system", note="逾期未答复")
    assert (case["trigger"], case["form"], case["by"], case["resolved_at"]) == (
        "overdue", "system", "supervisor", None)
    assert await flag(api, water) is True and await flag(api, roads) is False
    overdue = (await api.call("GET", "/supervision/overdue", "supervisor")).json()["items"]
    assert [item["under_supervision"] for item in overdue] == [True, False]

    again = await post(api, f"tickets/{water}/supervisions", "reviewer", 409, trigger="overdue")
    assert again["error_id"] == "supervision-already-open"

    api.clock.set("2026-03-11T09:00:00+08:00")
    resolved = await post(api, f"supervisions/{case['id']}/resolve", "supervisor", 200,
                          resolution="单位已承诺当日答复")
    assert resolved["resolution"] == "单位已承诺当日答复"
    assert resolved["resolved_at"] is not None
    assert await flag(api, water) is False
    twice = await post(api, f"supervisions/{case['id']}/resolve", "supervisor", 409,
                       resolution="再次办结")
    assert twice["error_id"] == "supervision-already-resolved"

    history = (await api.call("GET", f"/tickets/{water}/history", "supervisor")).json()
    events = [step["event"] for step in history]
    assert events[-2:] == ["supervise", "resolve-supervision"]
    supervise = history[-2]
    assert supervise["actor"] == "supervisor" and supervise["reason"] == "逾期未答复"
    assert supervise["data"] == {"trigger": "overdue", "form": "system"}
    record = (await api.call("GET", f"/supervision/tickets/{water}/supervisions",
                             "supervisor")).json()
    assert record["under_supervision"] is False
    assert [c["id"] for c in record["supervisions"]] == [case["id"]]


async def test_unknown_ticket_and_supervision_are_not_found(api: Api) -> None:
    for path in ("tickets/000000000/supervisions", "tickets/000000000/reminders"):
        missing = await post(api, path, "supervisor", 404)
        assert missing["error_id"] == "ticket-not-found"
    unknown = await post(api, "supervisions/987654/resolve", "supervisor", 404, resolution="x")
    assert unknown["error_id"] == "supervision-not-found"


async def test_unit_handler_may_not_supervise_nor_see_another_units_record(api: Api) -> None:
    water, roads = await two_tickets(api)
    for path in (f"tickets/{water}/supervisions", f"tickets/{water}/reminders"):
        refused = await post(api, path, "water", 403)
        assert refused["error_id"] == "forbidden"
    assert await flag(api, water) is False
    other = await api.call("GET", f"/supervision/tickets/{roads}/supervisions", "water")
    assert other.status_code == 404
    assert other.json()["error_id"] == "ticket-not-found"
