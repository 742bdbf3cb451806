"""Bad input gets a clear error with its error_id and changes nothing."""

import pytest

from hotline.app import create_app
from hotline.settings import Settings
from tests.conftest import Api
from tests.tickets.workflow.test_lifecycle_api import COMPLAINT, create
from tickets.errors import UnknownProfile


async def _count(api: Api) -> int:
    page = (await api.call("GET", "/tickets?total=true", "supervisor")).json()
    total: int = page["total"]
    return total


async def test_no_token_is_unauthenticated(api: Api) -> None:
    response = await api.client.get("/tickets")
    assert response.status_code == 401
    assert response.json()["error_id"] == "unauthenticated"


async def test_forged_token_is_unauthenticated(api: Api) -> None:
    forged = api.tokens["agent"][:-3] + "abc"
    response = await api.client.get("/tickets", headers={"Authorization": f"Bearer {forged}"})
    assert response.json()["error_id"] == "unauthenticated"


async def test_wrong_role_is_forbidden(api: Api) -> None:
    response = await api.call("POST", "/units", "agent", json={"code": "x", "name": "x"})
    assert response.status_code == 403
    assert response.json()["error_id"] == "forbidden"


async def test_unknown_request_type_is_rejected_and_nothing_is_written(api: Api) -> None:
    response = await api.call("POST", "/tickets", "agent",
                              json={**COMPLAINT, "request_type": "闲聊"})
    assert response.status_code == 422
    body = response.json()
    assert body["error_id"] == "invalid-request"
    assert body["details"]["problems"][0]["where"] == ["body", "request_type"]
    assert await _count(api) == 0


async def test_unknown_field_is_rejected_not_silently_dropped(api: Api) -> None:
    response = await api.call("POST", "/tickets", "agent", json={**COMPLAINT, "adress": "x"})
    assert response.status_code == 422


async def test_truncated_json_is_an_invalid_request(api: Api) -> None:
    response = await api.client.post(
        "/tickets", content='{"request_type": "投诉", '.encode(), headers={
            **api.auth("agent"), "content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["details"]["problems"][0]["type"] == "json_invalid"


async def test_body_that_is_not_utf8_is_a_bad_request(api: Api) -> None:
    response = await api.client.post(
        "/tickets", content=b'{"request_type": "\xe6\x8a"}', headers={
            **api.auth("agent"), "content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error_id"] == "bad-request"


async def test_oversized_body_is_refused_before_it_is_read(api: Api) -> None:
    huge = {**COMPLAINT, "content": "很长" * 40_000}
    response = await api.call("POST", "/tickets", "agent", json=huge)
    assert response.status_code == 413
    assert response.json()["error_id"] == "request-too-large"
    assert await _count(api) == 0


async def test_streamed_oversized_body_is_refused_too(api: Api) -> None:
    async def chunks():  # type: ignore[no-untyped-def]
        for _ in range(100):
            yield b"x" * 1024

    response = await api.client.post("/tickets", content=chunks(), headers={
        **api.auth("agent"), "content-type": "application/json"})
    assert response.status_code == 413


async def test_naive_datetime_is_refused(api: Api) -> None:
    number = (await create(api))["number"]
    await api.call("POST", f"/tickets/{number}/dispatch", "reviewer",
                   json={"lead_unit_id": api.units["water"]})
    response = await api.call("POST", f"/tickets/{number}/suspend", "water",
                              json={"until": "2026-04-01T00:00:00", "legal_basis": "行政处罚法"})
    assert response.status_code == 422
    assert response.json()["details"]["problems"][0]["type"] == "timezone_aware"


async def test_unknown_ticket_number_is_not_found(api: Api) -> None:
    response = await api.call("GET", "/tickets/260302000001", "agent")
    assert response.status_code == 404
    assert response.json()["error_id"] == "ticket-not-found"


async def test_refusal_reason_outside_the_profile_is_refused(api: Api) -> None:
    number = (await create(api))["number"]
    # tonghua 第十条 does not list the emergency hand-off as a refusal reason
    response = await api.call("POST", f"/tickets/{number}/refuse", "agent",
                              json={"refusal_reason": "emergency"})
    assert response.status_code == 422
    assert response.json()["error_id"] == "refusal-reason-not-allowed"


async def test_unknown_route_uses_the_same_error_shape(api: Api) -> None:
    response = await api.call("GET", "/no-such-thing", "agent")
    assert response.status_code == 404
    assert response.json()["error_id"] == "not-found"


def test_unknown_profile_stops_the_app_at_start() -> None:
    with pytest.raises(UnknownProfile):
        create_app(Settings(policy="atlantis"))


async def test_unknown_state_filter_is_rejected(api: Api) -> None:
    response = await api.call("GET", "/tickets?state=vanished", "supervisor")
    assert response.status_code == 422
    assert response.json()["details"]["problems"][0]["where"] == ["query", "state", 0]


async def test_a_refused_step_leaves_the_ticket_and_its_history_untouched(api: Api) -> None:
    ticket = await create(api)
    number = ticket["number"]
    response = await api.call("POST", f"/tickets/{number}/dispatch", "reviewer",
                              json={"lead_unit_id": 999_999})
    assert response.status_code == 404
    assert response.json()["error_id"] == "unit-not-found"
    after = (await api.call("GET", f"/tickets/{number}", "supervisor")).json()
    assert after["state"] == "accepted" and after["version"] == ticket["version"]
    history = (await api.call("GET", f"/tickets/{number}/history", "supervisor")).json()
    assert [h["event"] for h in history] == ["create", "accept"]
