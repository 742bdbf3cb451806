"""The supervisors' callback list and cancel over HTTP."""

from datetime import timedelta

from telephony.callbacks.service import offer_callbacks
from tests.conftest import Api
from tests.telephony.callbacks.test_service import T0, abandoned


async def seed(api: Api) -> None:
    async with api.runtime.sessionmaker() as session:
        await offer_callbacks(session, [
            abandoned("2.1", caller="13800000002", at=T0 + timedelta(minutes=10)),
            abandoned("1.1", caller="13800000001", at=T0),
        ])


async def test_pending_callbacks_are_listed_in_due_order(api: Api) -> None:
    await seed(api)
    response = await api.call("GET", "/telephony/callbacks?state=pending", "supervisor")
    assert response.status_code == 200, response.text
    listed = response.json()
    assert [row["linkedid"] for row in listed] == ["1.1", "2.1"]
    assert listed[0]["due_by"] == "2026-03-02T10:31:10+08:00"
    assert listed[0]["state"] == "pending" and listed[0]["attempts"] == 0
    none = await api.call("GET", "/telephony/callbacks?state=done", "supervisor")
    assert none.json() == []


async def test_cancel_once_then_conflict(api: Api) -> None:
    await seed(api)
    [first, _] = (await api.call("GET", "/telephony/callbacks", "supervisor")).json()
    api.clock.advance(minutes=5)
    cancelled = await api.call("POST", f"/telephony/callbacks/{first['id']}/cancel",
                               "supervisor")
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["state"] == "cancelled"
    assert cancelled.json()["updated_by"] == "supervisor"
    again = await api.call("POST", f"/telephony/callbacks/{first['id']}/cancel", "supervisor")
    assert again.status_code == 409
    assert again.json()["error_id"] == "illegal-callback-transition"
    pending = (await api.call("GET", "/telephony/callbacks?state=pending", "supervisor")).json()
    assert [row["linkedid"] for row in pending] == ["2.1"]


async def test_unknown_callback_and_bad_state(api: Api) -> None:
    missing = await api.call("POST", "/telephony/callbacks/999/cancel", "supervisor")
    assert missing.status_code == 404
    assert missing.json()["error_id"] == "callback-not-found"
    bad = await api.call("GET", "/telephony/callbacks?state=nonsense", "supervisor")
    assert bad.status_code == 422


async def test_agents_cannot_see_or_cancel_callbacks(api: Api) -> None:
    await seed(api)
    assert (await api.call("GET", "/telephony/callbacks", "agent")).status_code == 403
    assert (await api.call("POST", "/telephony/callbacks/1/cancel", "agent")).status_code == 403
