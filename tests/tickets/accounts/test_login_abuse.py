"""Login abuse through the served API: throttles per username (every node) and per address,
the same work for unknown usernames, scrypt off the event loop, an audit of failures."""

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.conftest import Api
from tests.tickets.accounts.conftest import log_in
from tests.waiting import wait_for
from tickets.accounts.passwords import PasswordHasher
from tickets.audit.service import events


def assert_throttled(response: httpx.Response, scope: str, seconds: int) -> None:
    assert response.status_code == 429, response.text
    body = response.json()
    assert body["error_id"] == "too-many-login-attempts"
    assert body["details"] == {"retry_after": seconds, "scope": scope}
    assert response.headers["retry-after"] == str(seconds)


async def test_a_username_is_locked_after_five_failures_on_every_node(
    api: Api, other_node: httpx.AsyncClient,
) -> None:
    for _ in range(5):
        wrong = await log_in(api.client, "agent", "wrong-password")
        assert wrong.json()["error_id"] == "bad-credentials"
    # the other node refuses even the right password: the lock-out lives in the database
    assert_throttled(await log_in(other_node, "agent"), "user", 60)
    assert_throttled(await log_in(api.client, "agent"), "user", 60)
    api.clock.advance(seconds=30)
    assert_throttled(await log_in(other_node, "agent"), "user", 30)
    api.clock.advance(seconds=31)
    assert (await log_in(other_node, "agent")).status_code == 200
    # a success forgets the failures: one more wrong password is a plain refusal again
    assert (await log_in(api.client, "agent", "wrong-password")).status_code == 401


async def test_an_unknown_username_is_locked_alike_and_lock_outs_grow(api: Api) -> None:
    for _ in range(5):
        assert (await log_in(api.client, "ghost", "guess")).status_code == 401
    assert_throttled(await log_in(api.client, "ghost", "guess"), "user", 60)
    api.clock.advance(seconds=61)
    assert (await log_in(api.client, "ghost", "guess")).status_code == 401
    assert_throttled(await log_in(api.client, "ghost", "guess"), "user", 120)


async def test_an_address_is_throttled_after_twenty_failures_whatever_the_username(
    api: Api,
) -> None:
    def client_from(address: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=api.app, client=(address, 40000))
        return httpx.AsyncClient(transport=transport, base_url="http://test")

    async with client_from("203.0.113.9") as sprayer, client_from("198.51.100.4") as other:
        for n in range(20):
            assert (await log_in(sprayer, f"user{n}", "guess")).status_code == 401
        assert_throttled(await log_in(sprayer, "agent"), "address", 60)
        assert (await log_in(other, "agent")).status_code == 200
        api.clock.advance(seconds=61)
        assert (await log_in(sprayer, "agent")).status_code == 200


async def test_each_failed_login_and_each_lock_out_is_audited(api: Api) -> None:
    for _ in range(5):
        await log_in(api.client, "agent", "wrong-password")
    await log_in(api.client, "nobody", "guess")
    async with api.runtime.sessionmaker() as session:
        failed = await events(session, "login-failed")
        locked = await events(session, "login-locked")
    agent_id = (await api.call("GET", "/auth/me", "agent")).json()["user_id"]
    assert [(e.username, e.user_id, e.detail) for e in failed] == [
        *[("agent", agent_id, "from 127.0.0.1: wrong password")] * 5,
        ("nobody", None, "from 127.0.0.1: unknown user")]
    [lock] = locked
    assert (lock.username, lock.user_id) == ("agent", agent_id)
    assert lock.detail.startswith("username locked until 2026-03-02T10:01:00+08:00")


@pytest.mark.parametrize("username", ["nobody", "agent", "disabled"])
async def test_every_refused_login_costs_one_scrypt_known_user_or_not(
    api: Api, username: str,
) -> None:
    if username == "disabled":
        users = (await api.call("GET", "/users")).json()
        water = next(u for u in users if u["username"] == "water")
        await api.call("POST", f"/users/{water['id']}/disable")
        username = "water"
    before = api.runtime.passwords.runs
    response = await log_in(api.client, username, "password" if username == "water" else "x")
    assert response.status_code == 401
    assert response.json()["error_id"] == "bad-credentials"
    assert api.runtime.passwords.runs == before + 1


async def test_scrypt_runs_in_a_small_pool_of_its_own_and_a_flood_is_turned_away(
    api: Api,
) -> None:
    pool = ThreadPoolExecutor(1)
    api.runtime.passwords = PasswordHasher(workers=1, max_pending=2, executor=pool)
    release = threading.Event()
    pool.submit(release.wait, 30)  # the pool's only thread is busy: hashes must wait
    try:
        first = asyncio.create_task(log_in(api.client, "agent", "wrong-password"))
        second = asyncio.create_task(log_in(api.client, "reviewer", "wrong-password"))
        await wait_for(lambda: api.runtime.passwords.pending == 2, "two logins waiting")
        # the event loop is free while they wait: other requests are answered
        assert (await api.client.get("/health")).status_code == 200
        busy = await log_in(api.client, "supervisor", "wrong-password")
        assert busy.status_code == 503
        assert busy.json()["error_id"] == "login-busy"
        assert busy.headers["retry-after"] == "1"
        assert not first.done() and not second.done()
    finally:
        release.set()
    assert (await first).status_code == 401
    assert (await second).status_code == 401
    assert (await log_in(api.client, "supervisor")).status_code == 200
    pool.shutdown()


async def test_a_nul_byte_in_the_username_is_refused_before_the_database(api: Api) -> None:
    response = await log_in(api.client, "ad\x00min", "password")
    assert response.status_code == 422, response.text
    # the edge refuses a NUL in any text before a route sees it (the schema would too)
    assert response.json()["error_id"] == "invalid-text"
    assert (await log_in(api.client, "admin")).status_code == 200
