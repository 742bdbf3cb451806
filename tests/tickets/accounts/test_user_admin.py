"""An administrator manages users over HTTP: changes, password resets, the last admin kept."""

from tests.conftest import Api
from tests.tickets.accounts.conftest import log_in
from tickets.audit.service import events


async def ids(api: Api) -> dict[str, int]:
    return {u["username"]: u["id"] for u in (await api.call("GET", "/users")).json()}


async def test_an_admin_changes_name_role_and_unit(api: Api) -> None:
    users = await ids(api)
    moved = await api.call("PATCH", f"/users/{users['water']}",
                           json={"display_name": "王工", "unit_id": api.units["roads"]})
    assert moved.status_code == 200, moved.text
    assert (moved.json()["display_name"], moved.json()["unit_id"]) == ("王工", api.units["roads"])
    assert moved.json()["role"] == "unit_handler"  # what the patch leaves out stays
    agent = await api.call("PATCH", f"/users/{users['water']}",
                           json={"role": "agent", "unit_id": None})
    assert (agent.json()["role"], agent.json()["unit_id"]) == ("agent", None)


async def test_bad_changes_are_refused_with_their_error_ids(api: Api) -> None:
    users = await ids(api)
    cases = [
        (users["agent"], {"role": "unit_handler"}, 422, "unit-required"),
        (users["agent"], {"unit_id": 999_999}, 404, "unit-not-found"),
        (users["agent"], {"role": None}, 422, "invalid-request"),
        (users["agent"], {"password": "sneaky-password"}, 422, "invalid-request"),
        (999_999, {"display_name": "x"}, 404, "user-not-found"),
        (users["admin"], {"role": "supervisor"}, 409, "last-admin"),
    ]
    for user_id, body, code, error_id in cases:
        response = await api.call("PATCH", f"/users/{user_id}", json=body)
        assert (response.status_code, response.json()["error_id"]) == (code, error_id), body
    disabled = await api.call("POST", f"/users/{users['admin']}/disable")
    assert (disabled.status_code, disabled.json()["error_id"]) == (409, "last-admin")
    refused = await api.call("PATCH", f"/users/{users['agent']}", "supervisor",
                             json={"display_name": "x"})
    assert refused.status_code == 403


async def test_a_second_admin_lets_the_first_one_step_down(api: Api) -> None:
    users = await ids(api)
    created = await api.call("POST", "/users", json={
        "username": "admin2", "password": "long-enough", "role": "admin"})
    assert created.status_code == 201
    demoted = await api.call("PATCH", f"/users/{users['admin']}", json={"role": "supervisor"})
    assert demoted.status_code == 200


async def test_a_password_reset_lifts_a_lock_out_and_is_audited(api: Api) -> None:
    for _ in range(6):
        await log_in(api.client, "agent", "forgotten")
    assert (await log_in(api.client, "agent", "forgotten")).status_code == 429
    users = await ids(api)
    short = await api.call("POST", f"/users/{users['agent']}/password", json={"password": "abc"})
    assert (short.status_code, short.json()["error_id"]) == (422, "invalid-request")
    reset = await api.call("POST", f"/users/{users['agent']}/password",
                           json={"password": "remembered-1"})
    assert reset.status_code == 200
    assert (await log_in(api.client, "agent", "remembered-1")).status_code == 200
    async with api.runtime.sessionmaker() as session:
        [row] = await events(session, "tokens-revoked")
    assert (row.username, row.detail) == ("agent", "by admin: password reset")
