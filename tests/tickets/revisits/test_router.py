"""The revisit API: the manual list for reviewers and supervisors, the do-not-call list."""

from tests.conftest import Api
from tests.tickets.revisits.helpers import RULES, revisit_ticket
from tickets.revisits.models import DoNotCall
from tickets.revisits.router import router
from tickets.revisits.schedule import schedule_pending


async def handed_over(api: Api) -> str:
    api.app.include_router(router)  # the composition root includes it; the test app here
    async with api.runtime.sessionmaker() as session:
        ticket = await revisit_ticket(session, phone=None, summary="噪音扰民")
        await schedule_pending(session, RULES, api.clock())
        session.add(DoNotCall(number="13700000000", at=api.clock()))
        await session.commit()
    return ticket.number or ""


async def test_the_manual_list_shows_what_a_person_must_revisit(api: Api) -> None:
    number = await handed_over(api)
    response = await api.call("GET", "/revisits/manual", "reviewer")
    assert response.status_code == 200, response.text
    (item,) = response.json()
    assert (item["ticket_number"], item["summary"]) == (number, "噪音扰民")
    assert (item["state"], item["handover_reason"]) == ("handed-over", "no-phone")
    detail = await api.call("GET", f"/revisits/{item['id']}", "supervisor")
    assert detail.json()["attempts"] == []
    missing = await api.call("GET", "/revisits/999999", "supervisor")
    assert (missing.status_code, missing.json()["error_id"]) == (404, "revisit-not-found")


async def test_agents_and_units_may_not_read_the_lists(api: Api) -> None:
    await handed_over(api)
    for who in ("agent", "water"):
        response = await api.call("GET", "/revisits/manual", who)
        assert response.status_code == 403


async def test_a_number_can_be_taken_off_the_do_not_call_list(api: Api) -> None:
    await handed_over(api)
    listed = await api.call("GET", "/revisits/do-not-call", "supervisor")
    assert [row["number"] for row in listed.json()] == ["13700000000"]
    assert (await api.call("DELETE", "/revisits/do-not-call/13700000000",
                           "supervisor")).status_code == 204
    again = await api.call("DELETE", "/revisits/do-not-call/13700000000", "supervisor")
    assert again.json()["error_id"] == "number-not-on-do-not-call"
