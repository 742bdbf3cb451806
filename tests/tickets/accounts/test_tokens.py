"""Logout and revocation through the served API, across two nodes on one database; tokens
that are not ASCII are a 401, over HTTP and on the events WebSocket."""

import httpx
import pytest
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketDenialResponse

from tests.conftest import Api
from tests.tickets.accounts.conftest import bearer, log_in


async def user_id(api: Api, username: str) -> int:
    users = (await api.call("GET", "/users")).json()
    found: int = next(u["id"] for u in users if u["username"] == username)
    return found


async def token_of(client: httpx.AsyncClient, username: str, password: str = "password") -> str:
    response = await log_in(client, username, password)
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


async def status(client: httpx.AsyncClient, token: str) -> tuple[int, str | None]:
    response = await client.get("/auth/me", headers=bearer(token))
    return response.status_code, response.json().get("error_id")


async def test_logout_revokes_the_presented_token_here_at_once_and_elsewhere_in_seconds(
    api: Api, other_node: httpx.AsyncClient,
) -> None:
    desk, phone = await token_of(api.client, "agent"), await token_of(api.client, "agent")
    assert await status(other_node, desk) == (200, None)  # the other node has it cached
    out = await api.client.post("/auth/logout", headers=bearer(desk))
    assert out.status_code == 204
    assert await status(api.client, desk) == (401, "token-revoked")
    assert await status(api.client, phone) == (200, None)  # the other login stays
    api.clock.advance(seconds=16)  # the other node's cache is older than its 15 s
    assert await status(other_node, desk) == (401, "token-revoked")
    assert await status(other_node, phone) == (200, None)
    again = await api.client.post("/auth/logout", headers=bearer(desk))
    assert again.status_code == 401


async def test_resetting_a_password_revokes_every_token_and_sets_the_new_one(
    api: Api, other_node: httpx.AsyncClient,
) -> None:
    old = await token_of(other_node, "agent")
    assert await status(other_node, old) == (200, None)
    agent = await user_id(api, "agent")
    reset = await api.call("POST", f"/users/{agent}/password",
                           json={"password": "new-password-1"})
    assert reset.status_code == 200, reset.text
    assert await status(api.client, old) == (401, "token-revoked")
    api.clock.advance(seconds=16)
    assert await status(other_node, old) == (401, "token-revoked")
    assert (await log_in(other_node, "agent")).status_code == 401
    fresh = await token_of(other_node, "agent", "new-password-1")
    assert await status(api.client, fresh) == (200, None)


async def test_an_admin_revokes_every_token_of_a_user(api: Api) -> None:
    token = await token_of(api.client, "reviewer")
    reviewer = await user_id(api, "reviewer")
    revoked = await api.call("POST", f"/users/{reviewer}/revoke-tokens")
    assert revoked.status_code == 200
    assert await status(api.client, token) == (401, "token-revoked")
    assert await status(api.client, await token_of(api.client, "reviewer")) == (200, None)
    refused = await api.call("POST", f"/users/{reviewer}/revoke-tokens", "supervisor")
    assert refused.status_code == 403


async def test_enabling_a_disabled_user_again_does_not_revive_its_old_tokens(api: Api) -> None:
    token = await token_of(api.client, "supervisor")
    supervisor = await user_id(api, "supervisor")
    await api.call("POST", f"/users/{supervisor}/disable")
    assert await status(api.client, token) == (401, "unauthenticated")
    await api.call("POST", f"/users/{supervisor}/enable")
    assert await status(api.client, token) == (401, "token-revoked")
    assert (await log_in(api.client, "supervisor")).status_code == 200


async def test_a_new_role_revokes_tokens_that_name_the_old_one(api: Api) -> None:
    token = await token_of(api.client, "agent")
    agent = await user_id(api, "agent")
    renamed = await api.call("PATCH", f"/users/{agent}", json={"display_name": "李娜"})
    assert renamed.json()["display_name"] == "李娜"
    assert await status(api.client, token) == (200, None)  # a name is not in the token
    promoted = await api.call("PATCH", f"/users/{agent}", json={"role": "supervisor"})
    assert promoted.json()["role"] == "supervisor"
    assert await status(api.client, token) == (401, "token-revoked")
    me = await api.client.get("/auth/me", headers=bearer(await token_of(api.client, "agent")))
    assert me.json()["role"] == "supervisor"


NOT_ASCII = ["é.é", "令牌", "eyJ1Ijo.签名"]


@pytest.mark.parametrize("token", NOT_ASCII)
async def test_a_token_that_is_not_ascii_is_a_401_over_http(api: Api, token: str) -> None:
    response = await api.client.get(
        "/tickets", headers={"Authorization": b"Bearer " + token.encode()})
    assert response.status_code == 401, response.text
    assert response.json()["error_id"] == "unauthenticated"
    # and the connection is still good for the next request
    assert (await api.call("GET", "/auth/me", "agent")).status_code == 200


@pytest.mark.parametrize("token", NOT_ASCII)
def test_a_token_that_is_not_ascii_is_a_401_on_the_events_websocket(
    api: Api, token: str,
) -> None:
    client = TestClient(api.app)
    with (pytest.raises(WebSocketDenialResponse) as refused,
          client.websocket_connect(f"/telephony/events?token={token}")):
        pass
    assert refused.value.status_code == 401
    assert refused.value.json()["error_id"] == "unauthenticated"
