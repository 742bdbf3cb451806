"""并单 (a duplicate merged into its master) and the units suggested for a ticket, over HTTP."""

from typing import Any

from tests.conftest import Api
from tests.tickets.workflow.test_lifecycle_api import act, create

DUPLICATE = {"requester": {"name": "李四", "phone": "13911112222", "address": "东昌区新华街3号"},
             "content": "新华街停水，邻居也没有水", "summary": "新华街停水（又一户）",
             "calls": ["1700000900.1"]}


async def _master(api: Api) -> dict[str, Any]:
    master = await create(api, calls=["1700000800.1"])
    return await act(api, master["number"], "dispatch", "reviewer",
                     lead_unit_id=api.units["water"])


async def _history(api: Api, number: str) -> list[dict[str, Any]]:
    response = await api.call("GET", f"/tickets/{number}/history", "reviewer")
    assert response.status_code == 200, response.text
    steps: list[dict[str, Any]] = response.json()
    return steps


async def test_a_duplicate_merges_into_its_master_which_takes_its_content_calls_and_requester(
    api: Api,
) -> None:
    master = await _master(api)
    duplicate = await create(api, **DUPLICATE)
    assert "merge" in duplicate["allowed_events"]
    merged = await act(api, duplicate["number"], "merge", "reviewer",
                       version=duplicate["version"], master_number=master["number"],
                       reason="同一小区停水")
    assert (merged["state"], merged["is_open"]) == ("merged", False)
    assert merged["linked_ticket_id"] == master["id"] and merged["closed_at"] is not None
    assert merged["allowed_events"] == []

    after = (await api.call("GET", f"/tickets/{master['number']}", "reviewer")).json()
    assert after["state"] == "dispatched" and after["version"] > master["version"]
    assert after["content"].startswith("小区停水三天无人处理\n\n【并单 " + duplicate["number"])
    assert after["content"].endswith("】\n新华街停水，邻居也没有水")
    assert after["calls"] == ["1700000800.1", "1700000900.1"]

    steps = await _history(api, duplicate["number"])
    assert (steps[-1]["event"], steps[-1]["from_state"], steps[-1]["to_state"]) == (
        "merge", "accepted", "merged")
    assert steps[-1]["data"] == {"master": master["number"]}
    assert steps[-1]["reason"] == "同一小区停水" and steps[-1]["actor"] == "reviewer"
    taken = (await _history(api, master["number"]))[-1]
    assert (taken["event"], taken["to_state"], taken["data"]) == (
        "merge-in", "dispatched", {"merged": duplicate["number"]})

    for who in ("reviewer", "water"):  # the master's unit answers this requester too
        response = await api.call("GET", f"/tickets/{master['number']}/merged", who)
        assert response.status_code == 200, response.text
        [shown] = response.json()
        assert shown["number"] == duplicate["number"]
        assert shown["requester"]["phone"] == "13911112222"


async def test_a_merged_confidential_requester_stays_hidden_from_the_masters_unit(
    api: Api,
) -> None:
    master = await _master(api)
    duplicate = await create(api, **DUPLICATE, identity_disclosable=False)
    await act(api, duplicate["number"], "merge", "reviewer", master_number=master["number"])
    seen = (await api.call("GET", f"/tickets/{master['number']}/merged", "water")).json()
    assert [(t["requester"], t["requester_masked"]) for t in seen] == [(None, None)]
    centre = (await api.call("GET", f"/tickets/{master['number']}/merged", "reviewer")).json()
    assert centre[0]["requester"]["name"] == "李四"
    other = await api.call("GET", f"/tickets/{master['number']}/merged", "roads")
    assert other.status_code == 404  # not the roads unit's ticket at all
    content = (await api.call("GET", f"/tickets/{master['number']}", "water")).json()["content"]
    assert "邻居" not in content  # their own words stay on their own ticket
    assert content.endswith(f"【并单 {duplicate['number']}（2026-03-02 10:00）】\n"
                            "来电人要求保密，诉求内容见该工单")


async def test_a_merge_that_cannot_be_made_is_refused_and_changes_nothing(api: Api) -> None:
    master = await _master(api)
    duplicate = await create(api, **DUPLICATE)
    number = duplicate["number"]
    itself = await act(api, number, "merge", "reviewer", status=409, master_number=number)
    assert itself["error_id"] == "not-mergeable"
    unknown = await act(api, number, "merge", "reviewer", status=404,
                        master_number="99999999999999")
    assert unknown["error_id"] == "ticket-not-found"
    unit = await act(api, number, "merge", "water", status=403, master_number=master["number"])
    assert unit["error_id"] == "forbidden"
    stale = await act(api, number, "merge", "reviewer", status=409,
                      version=duplicate["version"] - 1, master_number=master["number"])
    assert stale["error_id"] == "version-conflict"

    await act(api, master["number"], "reply", "water", reply="已恢复供水")
    answered = await act(api, number, "merge", "reviewer", status=409,
                         master_number=master["number"])
    assert answered["error_id"] == "not-mergeable"
    assert answered["details"]["state"] == "replied"
    assert "handling" in answered["details"]["allowed"]

    dispatched = await _master(api)  # a duplicate a unit already has is handled there
    late = await act(api, dispatched["number"], "merge", "reviewer", status=409,
                     master_number=(await _master(api))["number"])
    assert late["error_id"] == "illegal-transition"

    still = (await api.call("GET", f"/tickets/{number}", "reviewer")).json()
    assert (still["state"], still["version"]) == ("accepted", duplicate["version"])
    unchanged = (await api.call("GET", f"/tickets/{master['number']}", "reviewer")).json()
    assert unchanged["content"] == "小区停水三天无人处理"
    assert (await api.call("GET", f"/tickets/{master['number']}/merged", "reviewer")).json() == []


async def test_a_merged_duplicate_leaves_the_open_lists_and_the_master_stays(api: Api) -> None:
    master = await _master(api)
    duplicate = await create(api, **DUPLICATE)
    await act(api, duplicate["number"], "merge", "reviewer", master_number=master["number"])
    open_ = (await api.call("GET", "/tickets?open=true", "reviewer")).json()["items"]
    assert [t["number"] for t in open_] == [master["number"]]
    merged = (await api.call("GET", "/tickets?state=merged", "reviewer")).json()["items"]
    assert [t["number"] for t in merged] == [duplicate["number"]]


async def test_units_are_suggested_for_a_ticket_by_its_place(api: Api) -> None:
    roads = await create(api, district="二道江区", place="二道江区东风路路口")
    response = await api.call("GET", f"/tickets/{roads['number']}/suggested-units", "reviewer")
    assert response.status_code == 200, response.text
    assert response.json() == [{"id": api.units["roads"], "name": "市城市管理局",
                                "territory": "二道江区", "duty_words": []}]
    water = await create(api)  # 东昌区新华街1号
    found = (await api.call("GET", f"/tickets/{water['number']}/suggested-units",
                            "agent")).json()
    assert [unit["id"] for unit in found] == [api.units["water"]]
    refused = await api.call("GET", f"/tickets/{water['number']}/suggested-units", "water")
    assert refused.status_code == 403
    missing = await api.call("GET", "/tickets/99999999999999/suggested-units", "reviewer")
    assert missing.json()["error_id"] == "ticket-not-found"
