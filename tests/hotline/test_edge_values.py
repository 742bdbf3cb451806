"""Values at the edges: a NUL character, dates past year 9999 or before year 1, huge numbers.

Each was a 500 (and a dropped keep-alive connection); each is now a 422 with an error_id,
refused before a database sees it, and nothing is written.
"""

import logging

import pytest

from tests.conftest import Api
from tests.tickets.workflow.test_lifecycle_api import COMPLAINT, create


async def _count(api: Api) -> int:
    total: int = (await api.call("GET", "/tickets?total=true", "supervisor")).json()["total"]
    return total


async def test_a_nul_in_a_ticket_text_is_invalid_text_and_nothing_is_written(
    api: Api, caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    response = await api.call("POST", "/tickets", "agent",
                              json={**COMPLAINT, "content": "停水\u0000三天"})
    assert response.status_code == 422, response.text
    assert response.json()["error_id"] == "invalid-text"
    assert response.json()["details"]["where"] == ["body", "content"]
    assert await _count(api) == 0
    assert "refused: invalid-text at ['body', 'content']" in caplog.text


async def test_a_nul_deep_in_a_nested_field_or_a_key_is_found(api: Api) -> None:
    requester = {**COMPLAINT["requester"], "name": "张\u0000三"}  # type: ignore[dict-item]
    response = await api.call("POST", "/tickets", "agent",
                              json={**COMPLAINT, "requester": requester})
    assert response.json()["details"]["where"] == ["body", "requester", "name"]
    response = await api.call("POST", "/tickets", "agent",
                              json={**COMPLAINT, "calls": ["a", "b\u0000"]})
    assert response.json()["details"]["where"] == ["body", "calls", "1"]


async def test_a_nul_at_login_is_refused_before_the_user_is_looked_up(api: Api) -> None:
    response = await api.client.post("/auth/login",
                                     json={"username": "ad\u0000min", "password": "x"})
    assert response.status_code == 422, response.text
    assert response.json()["error_id"] == "invalid-text"


async def test_a_nul_in_a_query_parameter_or_the_path_is_refused(api: Api) -> None:
    response = await api.call("GET", "/knowledge/search?q=%E5%81%9C%00%E6%B0%B4", "supervisor")
    assert response.status_code == 422, response.text
    assert response.json()["details"]["where"] == ["query", "q"]
    response = await api.call("GET", "/policies/tong%00hua", "supervisor")
    assert response.status_code == 422
    assert response.json()["error_id"] == "invalid-text"


async def test_a_backslash_u0000_written_as_text_is_no_nul(api: Api) -> None:
    ticket = await create(api, content="日志里写着 \\u0000 字样")
    assert ticket["content"] == "日志里写着 \\u0000 字样"


@pytest.mark.parametrize("at", ["9999-12-31T23:59:59+08:00", "9999-12-31T23:59:59-08:00",
                                "0001-01-01T00:00:00+08:00"])
async def test_a_deadline_past_the_calendar_is_a_422(api: Api, at: str) -> None:
    response = await api.call("GET", "/policies/tonghua/due", "supervisor",
                              params={"at": at, "type": "投诉"})
    assert response.status_code == 422, response.text
    assert response.json()["error_id"] == "date-out-of-range"


async def test_a_period_from_year_1_to_year_9999_is_a_422(api: Api) -> None:
    response = await api.call("GET", "/stats/summary", "supervisor", params={
        "start": "0001-01-01T00:00:00+08:00", "end": "9999-12-31T23:59:59+08:00"})
    assert response.status_code == 422, response.text
    assert response.json()["error_id"] == "date-out-of-range"


async def test_a_list_filter_before_year_1_utc_is_a_422(api: Api) -> None:
    response = await api.call("GET", "/tickets", "supervisor",
                              params={"created_from": "0001-01-01T00:00:00+08:00"})
    assert response.status_code == 422, response.text
    assert response.json()["error_id"] == "date-out-of-range"


async def test_a_number_no_database_column_holds_is_a_422(api: Api) -> None:
    response = await api.call("GET", "/tickets", "supervisor",
                              params={"unit_id": str(10**20)})
    assert response.status_code == 422, response.text
    assert response.json()["error_id"] in ("value-out-of-range", "invalid-value")
