"""Loading next year's holidays firms up provisional deadlines."""

from datetime import date

from tests.conftest import Api
from tests.tickets.workflow.test_lifecycle_api import act, create
from tickets.calendar.workdays import packaged_years

NEXT = max(packaged_years()) + 1


async def test_deadline_in_an_unknown_year_is_provisional_then_recomputed(api: Api) -> None:
    api.clock.set(f"{NEXT - 1}-12-30T10:00:00+08:00")
    number = (await create(api))["number"]
    dispatched = await act(api, number, "dispatch", "reviewer", lead_unit_id=api.units["water"])
    assert dispatched["deadlines"]["provisional"] is True
    guessed = dispatched["deadlines"]["handle_due"]
    # the administrator loads next year: 1–3 January off
    holidays = [{"day": f"{NEXT}-01-0{d}", "working": False, "name": "元旦"} for d in (1, 2, 3)]
    response = await api.call("POST", "/calendar/import", "admin",
                              json={"years": [NEXT], "days": holidays, "source": "国务院通知"})
    assert response.status_code == 200, response.text
    assert response.json()["recomputed_tickets"] == 1
    firm = (await api.call("GET", f"/tickets/{number}", "supervisor")).json()["deadlines"]
    assert firm["provisional"] is False
    assert firm["handle_due"] > guessed


async def test_imported_days_are_known_and_shown(api: Api) -> None:
    await api.call("POST", "/calendar/import", "admin", json={
        "years": [NEXT], "days": [{"day": f"{NEXT}-01-01", "working": False}]})
    days = (await api.call("GET", f"/calendar/days?start={NEXT}-01-01&end={NEXT}-01-02",
                           "agent")).json()
    assert days[0] == {"day": f"{NEXT}-01-01", "working": False, "known": True}
    assert days[1]["known"] is True
    assert date.fromisoformat(days[1]["day"]).year == NEXT


async def test_only_an_administrator_imports_a_calendar(api: Api) -> None:
    response = await api.call("POST", "/calendar/import", "supervisor",
                              json={"years": [NEXT], "days": []})
    assert response.status_code == 403
