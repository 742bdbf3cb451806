"""Creations arriving together share a transaction; a bad one never costs the others."""

import asyncio

from tests.conftest import Api
from tests.tickets.workflow.test_lifecycle_api import COMPLAINT


async def test_concurrent_creations_are_batched_and_each_gets_its_own_ticket(api: Api) -> None:
    before = api.runtime.creations.batches
    responses = await asyncio.gather(*(
        api.call("POST", "/tickets", "agent", json={**COMPLAINT, "summary": f"第{i}件"})
        for i in range(20)))
    assert [r.status_code for r in responses] == [201] * 20
    bodies = [r.json() for r in responses]
    assert sorted(b["summary"] for b in bodies) == sorted(f"第{i}件" for i in range(20))
    assert len({b["number"] for b in bodies}) == 20
    assert all(b["state"] == "accepted" for b in bodies)
    assert api.runtime.creations.batches - before < 20
    page = (await api.call("GET", "/tickets?total=true", "supervisor")).json()
    assert page["total"] == 20


async def test_an_incomplete_ticket_in_a_batch_fails_alone(api: Api) -> None:
    good = [api.call("POST", "/tickets", "agent", json=COMPLAINT) for _ in range(5)]
    bad = api.call("POST", "/tickets", "agent", json={**COMPLAINT, "place": ""})
    *fine, refused = await asyncio.gather(*good, bad)
    assert [r.status_code for r in fine] == [201] * 5
    assert refused.status_code == 422
    assert refused.json()["error_id"] == "ticket-incomplete"
    page = (await api.call("GET", "/tickets?total=true", "supervisor")).json()
    assert page["total"] == 5
