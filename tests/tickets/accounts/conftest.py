"""A second platform node on the same database, as a province runs several (DESIGN §4)."""

from collections.abc import AsyncIterator
from dataclasses import replace

import httpx
import pytest

from hotline.app import create_app
from hotline.settings import Settings
from tests.conftest import Api
from tickets.runtime import Runtime


@pytest.fixture
async def other_node(api: Api) -> AsyncIterator[httpx.AsyncClient]:
    """Another node: its own app, caches and throttles; the same database, secret and clock."""
    runtime = Runtime(sessionmaker=api.runtime.sessionmaker, policy=api.runtime.policy,
                      tokens=replace(api.runtime.tokens), calendar=api.runtime.calendar,
                      clock=api.clock)
    app = create_app(Settings(policy="tonghua"), runtime=runtime)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://node-b") as client:
        yield client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def log_in(client: httpx.AsyncClient, username: str, password: str = "password"
                 ) -> httpx.Response:
    return await client.post("/auth/login", json={"username": username, "password": password})
