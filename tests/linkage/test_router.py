"""The linkage API through the real app: the emergency list, the agent's commands, the
supervisors' alerts and statistics."""

from collections.abc import AsyncIterator

import httpx
import pytest

from hotline.feed_messages import FeedMessage, message_of
from linkage.data import DataSender
from linkage.delivery import Delivery
from linkage.events import EmergencyChanged
from linkage.service import LinkageService
from linkage.targets import Entries
from linkage.ticketing import Ticketing
from tests.conftest import Api
from tests.linkage.conftest import CALL, FakeVoice, closed_port_url, draft
from tests.waiting import wait_for
from tickets.calendar.workdays import WorkingCalendar
from tickets.workflow.emergency import EmergencyDesk

FIRE = {"kind": "119", "label": "火灾", "target": "119", "numbers": ["119", "0635119"]}


@pytest.fixture
async def linked(api: Api) -> AsyncIterator[tuple[Api, LinkageService, list[FeedMessage]]]:
    """The app with a running linkage (stand-in PBX); what the screens were told."""
    announced: list[FeedMessage] = []

    async def announce(change: EmergencyChanged) -> None:
        announced.append(message_of(change))

    sessions = api.runtime.sessionmaker
    async with httpx.AsyncClient(timeout=2.0) as client:
        service = LinkageService(
            entries=Entries(sessions), announce=announce, voice=FakeVoice(),
            data=DataSender(Delivery(client, attempts=2, backoff=0.01), api.clock),
            ticketing=Ticketing(sessions, EmergencyDesk(
                sessions, lambda: api.runtime.policy, WorkingCalendar, api.clock), api.clock),
            clock=api.clock)
        api.app.state.linkage = service
        yield api, service, announced
        await service.close()


async def test_an_entry_without_a_number_is_refused_with_a_clear_error(api: Api) -> None:
    for body in ({**FIRE, "numbers": []}, {k: v for k, v in FIRE.items() if k != "numbers"}):
        refused = await api.call("POST", "/linkage/targets", json=body)
        assert refused.status_code == 422, refused.text
        assert refused.json()["error_id"] == "linkage-target-number-missing"
    assert (await api.call("GET", "/linkage/targets")).json() == []


async def test_administrators_keep_the_list_and_the_secret_is_shown_once(api: Api) -> None:
    created = await api.call("POST", "/linkage/targets", json={
        **FIRE, "endpoint_url": "https://119.example/api/incidents", "pass_identity": True})
    assert created.status_code == 201, created.text
    entry = created.json()
    assert len(entry["secret"]) == 64 and entry["confirm_first"] is True
    listing = (await api.call("GET", "/linkage/targets", "agent")).json()
    assert [e["kind"] for e in listing] == ["119"] and "secret" not in listing[0]
    assert "secret" not in (await api.call("GET", f"/linkage/targets/{entry['id']}")).json()
    assert (await api.call("POST", "/linkage/targets", json=FIRE)).json()["error_id"] == \
        "linkage-target-kind-taken"
    assert (await api.call("POST", "/linkage/targets", "agent", json={**FIRE, "kind": "x"})
            ).status_code == 403
    emptied = await api.call("PATCH", f"/linkage/targets/{entry['id']}", json={"numbers": []})
    assert emptied.json()["error_id"] == "linkage-target-number-missing"
    changed = await api.call("PATCH", f"/linkage/targets/{entry['id']}",
                             json={"numbers": ["96119"], "confirm_first": False})
    assert changed.json()["numbers"] == ["96119"] and changed.json()["confirm_first"] is False
    rotated = (await api.call("POST", f"/linkage/targets/{entry['id']}/secret")).json()
    assert rotated["secret"] != entry["secret"]
    assert (await api.call("DELETE", f"/linkage/targets/{entry['id']}")).status_code == 204
    assert (await api.call("GET", f"/linkage/targets/{entry['id']}")).json()["error_id"] == \
        "linkage-target-not-found"


async def test_without_a_running_linkage_the_commands_answer_503(api: Api) -> None:
    off = await api.call("POST", f"/linkage/calls/{CALL}/confirm", "agent", json={})
    assert off.status_code == 503 and off.json()["error_id"] == "linkage-off"


async def test_the_agent_confirms_twice_and_gets_the_same_state_and_one_hand_off(
    linked: tuple[Api, LinkageService, list[FeedMessage]]
) -> None:
    api, service, announced = linked
    await api.call("POST", "/linkage/targets", json={**FIRE, "endpoint_url": closed_port_url()})
    await service.on_draft(draft("119"))
    first = await api.call("POST", f"/linkage/calls/{CALL}/confirm", "agent", json={})
    again = await api.call("POST", f"/linkage/calls/{CALL}/confirm", "agent",
                           json={"kind": "119"})
    assert first.status_code == again.status_code == 200
    assert first.json()["key"] == again.json()["key"]
    h = service.find(CALL, "119")
    await wait_for(lambda: h.data_state.value == "failed" and not h.tasks, "packet gave up")
    assert again.json()["confirmed_by"] == "agent"
    assert [c.state for c in announced].count("confirmed") == 1
    [call] = (await api.call("GET", f"/linkage/calls/{CALL}", "agent")).json()
    assert call["state"] == "joined" and call["number"] == "119"
    assert [s["event"] for s in call["timeline"]][:4] == ["alert", "confirm", "dial", "answer"]
    alerts = (await api.call("GET", "/linkage/alerts", "supervisor")).json()
    assert [(a["event"], a["kind"]) for a in alerts] == [("data-fail", "119")]
    assert (await api.call("GET", "/linkage/alerts", "agent")).status_code == 403


async def test_the_button_alerts_and_an_unknown_call_is_404(
    linked: tuple[Api, LinkageService, list[FeedMessage]]
) -> None:
    api, _, announced = linked
    pressed = await api.call("POST", f"/linkage/calls/{CALL}/alert", "agent",
                             json={"kind": "110", "excerpt": "有人打架"})
    assert pressed.status_code == 200 and pressed.json()["state"] == "alerted"
    assert announced[-1].data["listed"] is False
    unlisted = await api.call("POST", f"/linkage/calls/{CALL}/confirm", "agent", json={})
    assert unlisted.status_code == 409
    assert unlisted.json()["error_id"] == "linkage-target-not-listed"
    missing = await api.call("POST", "/linkage/calls/9.9/retry", "agent", json={})
    assert missing.status_code == 404 and missing.json()["error_id"] == "handoff-not-found"
    bad = await api.call("POST", f"/linkage/calls/{CALL}/alert", "agent", json={"kind": "a b"})
    assert bad.status_code == 422


async def test_statistics_count_hand_offs_per_target(
    linked: tuple[Api, LinkageService, list[FeedMessage]]
) -> None:
    api, service, _ = linked
    await api.call("POST", "/linkage/targets", json=FIRE)
    await service.on_draft(draft("119", "1.1"))
    await service.on_draft(draft("119", "1.2"))
    await service.on_draft(draft("gas", "1.3"))
    h = await service.confirm("1.1", None, "agent")
    await wait_for(lambda: h.state.value == "joined" and not h.tasks, "joined and stored")
    await service.cancel("1.2", None, "agent", "a drill on TV")
    await wait_for(lambda: not service.find("1.2", "119").tasks, "stored")
    await wait_for(lambda: not service.find("1.3", "gas").tasks, "stored")
    day = {"start": "2026-03-02T00:00:00+08:00", "end": "2026-03-03T00:00:00+08:00"}
    figures = (await api.call("GET", "/linkage/stats", "supervisor", params=day)).json()
    by_target = {t["target"]: t for t in figures["targets"]}
    assert by_target["119"] == {"target": "119", "alerted": 2, "confirmed": 1, "joined": 1,
                                "line_unanswered": 0, "cancelled": 1, "data_delivered": 0,
                                "data_failed": 0}
    assert by_target["gas"]["alerted"] == 1 and by_target["gas"]["confirmed"] == 0


async def test_a_ticket_named_later_becomes_an_emergency_ticket_with_tonghuas_12_hours(
    linked: tuple[Api, LinkageService, list[FeedMessage]]
) -> None:
    api, service, _ = linked
    await api.call("POST", "/linkage/targets", json=FIRE)
    await service.on_draft(draft("119"))
    h = await service.confirm(CALL, None, "agent")
    await wait_for(lambda: not h.tasks, "settled without a ticket")
    assert h.ticket_number is None
    created = await api.call("POST", "/tickets", "agent", json={
        "request_type": "求助", "category": "公共安全", "place": "东昌区新华路18号",
        "content": "居民楼起火，已转119", "accept": True})
    number = created.json()["number"]
    api.clock.advance(minutes=5)
    attached = await api.call("POST", f"/linkage/calls/{CALL}/ticket", "agent",
                              json={"ticket_number": number})
    assert attached.status_code == 200, attached.text
    ticket = (await api.call("GET", f"/tickets/{number}", "agent")).json()
    assert ticket["urgency"] == "非常紧急"
    assert ticket["deadlines"]["handle_due"] == "2026-03-02T22:00:00+08:00"  # 10:00 + 12 h
    [handoff] = (await api.call("GET", f"/linkage/tickets/{number}", "agent")).json()
    assert handoff["key"] == h.key and handoff["ticket_number"] == number
    assert handoff["timeline"][-1]["event"] == "ticket"
    history = (await api.call("GET", f"/tickets/{number}/history", "agent")).json()
    assert "emergency" in [step["event"] for step in history]
    # Another node (or this one after a restart) attaches from the stored hand-off.
    service.handoffs.clear()
    again = await api.call("POST", f"/linkage/calls/{CALL}/ticket", "supervisor",
                           json={"ticket_number": number})
    assert again.status_code == 200 and again.json()["ticket"] == number
    unknown = await api.call("POST", f"/linkage/calls/{CALL}/ticket", "agent",
                             json={"ticket_number": "999"})
    assert unknown.status_code == 404 and unknown.json()["error_id"] == "ticket-not-found"
