"""PATCH of a ticket at intake: a partial change stays partial, a null is refused by name."""

import pytest

from tests.conftest import Api
from tests.tickets.workflow.test_lifecycle_api import create


async def patch(api: Api, number: str, **change: object) -> tuple[int, dict[str, object]]:
    response = await api.call("PATCH", f"/tickets/{number}", "reviewer", json=change)
    body: dict[str, object] = response.json()
    return response.status_code, body


async def test_patching_the_requesters_name_keeps_phone_and_address(api: Api) -> None:
    ticket = await create(api)
    status, after = await patch(api, ticket["number"], version=ticket["version"],
                                requester={"name": "张三丰"})
    assert status == 200, after
    assert after["requester"] == {"name": "张三丰", "phone": "13812345678",
                                  "address": "东昌区新华街1号"}


async def test_an_explicit_null_in_the_requester_clears_only_that_field(api: Api) -> None:
    ticket = await create(api)
    status, after = await patch(api, ticket["number"], version=ticket["version"],
                                requester={"address": None})
    assert status == 200, after
    assert after["requester"] == {"name": "张三", "phone": "13812345678", "address": None}


@pytest.mark.parametrize("field", ["place", "content", "summary", "request_type", "urgency",
                                   "channel", "media", "requester_kind",
                                   "identity_disclosable"])
async def test_null_for_a_field_that_must_have_a_value_is_invalid_request(
    api: Api, field: str,
) -> None:
    ticket = await create(api)
    status, body = await patch(api, ticket["number"], version=ticket["version"],
                               **{field: None})
    assert status == 422, body
    assert body["error_id"] == "invalid-request"
    problems = body["details"]["problems"]  # type: ignore[index]
    assert problems[0]["where"] == ["body", field]
    assert "NOT NULL" not in str(body) and "tickets." not in str(body)
    after = (await api.call("GET", f"/tickets/{ticket['number']}", "supervisor")).json()
    assert after["version"] == ticket["version"]  # nothing was changed


async def test_null_for_a_field_that_may_be_empty_clears_it(api: Api) -> None:
    ticket = await create(api)
    status, after = await patch(api, ticket["number"], version=ticket["version"],
                                district=None)
    assert status == 200, after
    assert after["district"] is None
