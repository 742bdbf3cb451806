"""A ticket's whole life through the HTTP API, under the tonghua profile."""

from typing import Any

from tests.conftest import Api

COMPLAINT = {
    "channel": "phone", "media": "voice",
    "requester": {"name": "张三", "phone": "13812345678", "address": "东昌区新华街1号"},
    "request_type": "投诉", "category": "公共服务", "urgency": "一般",
    "district": "东昌区", "place": "东昌区新华街1号", "content": "小区停水三天无人处理",
    "summary": "新华街小区停水", "accept": True,
}


async def create(api: Api, **overrides: Any) -> dict[str, Any]:
    response = await api.call("POST", "/tickets", "agent", json={**COMPLAINT, **overrides})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def act(api: Api, number: str, action: str, who: str, status: int = 200,
              **body: Any) -> dict[str, Any]:
    response = await api.call("POST", f"/tickets/{number}/{action}", who, json=body)
    assert response.status_code == status, response.text
    result: dict[str, Any] = response.json()
    return result


async def test_ticket_number_is_digits_and_accepted_ticket_has_review_due(api: Api) -> None:
    ticket = await create(api)
    assert ticket["number"].isdigit()
    assert ticket["state"] == "accepted"
    # tonghua 第十五条: reviewed and dispatched the same day
    assert ticket["deadlines"]["review_due"] == "2026-03-02T23:59:59+08:00"


async def test_full_life_dispatch_reply_revisit_close(api: Api) -> None:
    ticket = await create(api)
    number = ticket["number"]
    dispatched = await act(api, number, "dispatch", "reviewer",
                           lead_unit_id=api.units["water"], co_unit_ids=[api.units["roads"]])
    assert dispatched["state"] == "dispatched"
    # tonghua 第十六条: 5 working days from the day after dispatch (Mon 2 March 2026)
    assert dispatched["deadlines"]["handle_due"] == "2026-03-09T23:59:59+08:00"
    assert dispatched["deadlines"]["return_due"] == "2026-03-04T23:59:59+08:00"
    assert [a["role"] for a in dispatched["assignments"]] == ["lead", "co"]
    await act(api, number, "receive", "water")
    replied = await act(api, number, "reply", "water", reply="已恢复供水")
    assert replied["state"] == "replied" and replied["replied_late"] is False
    await act(api, number, "approve-reply", "reviewer")
    closed = await act(api, number, "evaluate", "agent", level="满意", solved=True)
    assert closed["state"] == "closed"
    assert closed["final_evaluation"] == "满意"
    history = (await api.call("GET", f"/tickets/{number}/history", "supervisor")).json()
    assert [step["event"] for step in history] == [
        "create", "accept", "dispatch", "receive", "reply", "approve-reply", "evaluate",
        "close"]
    assert history[2]["actor"] == "reviewer"


async def test_unsatisfied_reasonable_goes_back_once_then_supervision(api: Api) -> None:
    number = (await create(api))["number"]
    await act(api, number, "dispatch", "reviewer", lead_unit_id=api.units["water"])
    for round_ in (1, 2):
        await act(api, number, "reply", "water", reply=f"第{round_}次答复")
        await act(api, number, "approve-reply", "reviewer")
        after = await act(api, number, "evaluate", "agent", level="不满意", reasonable=True)
        if round_ == 1:
            assert after["state"] == "handling" and after["rehandle_count"] == 1
    assert after["state"] == "evaluated"
    assert after["under_supervision"] is True
    assert after["investigation_flag"] is True  # tonghua 第二十九条(六)


async def test_illegal_transition_is_refused_with_its_error_id(api: Api) -> None:
    number = (await create(api))["number"]
    body = await act(api, number, "reply", "supervisor", status=409, reply="x")
    assert body["error_id"] == "illegal-transition"
    assert body["details"]["state"] == "accepted"


async def test_return_after_its_window_is_refused(api: Api) -> None:
    number = (await create(api))["number"]
    await act(api, number, "dispatch", "reviewer", lead_unit_id=api.units["water"])
    api.clock.set("2026-03-05T09:00:00+08:00")  # window closed 4 March 23:59:59
    body = await act(api, number, "return", "water", status=409, reason="不属于本单位职责")
    assert body["error_id"] == "return-window-closed"


async def test_return_accepted_restarts_the_clock_for_the_new_unit(api: Api) -> None:
    number = (await create(api))["number"]
    await act(api, number, "dispatch", "reviewer", lead_unit_id=api.units["water"])
    api.clock.set("2026-03-03T09:00:00+08:00")
    await act(api, number, "return", "water", reason="道路问题，属城管职责")
    moved = await act(api, number, "redispatch", "reviewer", lead_unit_id=api.units["roads"])
    assert moved["lead_unit_id"] == api.units["roads"]
    assert moved["deadlines"]["handle_due"] == "2026-03-10T23:59:59+08:00"
    hidden = await api.call("GET", f"/tickets/{number}", "water")
    assert hidden.status_code == 404  # the returning unit no longer sees it


async def test_second_extension_needs_signoff_and_third_is_refused(api: Api) -> None:
    number = (await create(api))["number"]
    await act(api, number, "dispatch", "reviewer", lead_unit_id=api.units["water"])
    first = await act(api, number, "extend", "water", reason="需现场勘查")
    assert first["deadlines"]["handle_due"] == "2026-03-16T23:59:59+08:00"
    refused = await act(api, number, "extend", "water", status=409, reason="仍需协调")
    assert refused["details"]["needs"] == "leader_signoff"
    await act(api, number, "extend", "water", reason="仍需协调", leader_signoff=True)
    third = await act(api, number, "extend", "water", status=409, reason="再延",
                      leader_signoff=True)
    assert third["error_id"] == "extension-refused"


async def test_unit_handler_never_sees_a_confidential_requester(api: Api) -> None:
    number = (await create(api, identity_disclosable=False))["number"]
    await act(api, number, "dispatch", "reviewer", lead_unit_id=api.units["water"])
    seen = (await api.call("GET", f"/tickets/{number}", "water")).json()
    assert seen["requester"] is None and seen["requester_masked"] is None
    other = await api.call("GET", f"/tickets/{number}", "roads")
    assert other.status_code == 404


async def test_stale_version_is_a_conflict_and_nothing_changes(api: Api) -> None:
    ticket = await create(api)
    number, version = ticket["number"], ticket["version"]
    first = await api.call("PATCH", f"/tickets/{number}", "supervisor",
                           json={"version": version, "summary": "A 的摘要"})
    assert first.status_code == 200
    second = await api.call("PATCH", f"/tickets/{number}", "reviewer",
                            json={"version": version, "summary": "B 的摘要"})
    assert second.status_code == 409
    assert second.json()["error_id"] == "version-conflict"
    now = (await api.call("GET", f"/tickets/{number}", "supervisor")).json()
    assert now["summary"] == "A 的摘要"


async def test_repeat_complaints_three_months_running_flag_accountability(api: Api) -> None:
    api.clock.set("2026-01-10T10:00:00+08:00")
    root = (await create(api))["number"]
    await act(api, root, "dispatch", "reviewer", lead_unit_id=api.units["water"])
    linked = {}
    for month in ("02", "03"):
        api.clock.set(f"2026-{month}-10T10:00:00+08:00")
        repeat = (await create(api))["number"]
        linked[month] = await act(api, repeat, "link", "agent", earlier_number=root,
                                  reason="同一事实重复反映")
    assert linked["02"]["state"] == "linked" and linked["02"]["accountability_flag"] is False
    assert linked["03"]["accountability_flag"] is True  # tonghua 第二十九条(七)
    supervised = (await api.call("GET", f"/tickets/{root}", "supervisor")).json()
    assert supervised["under_supervision"] is True


async def test_direct_answer_closes_a_consultation_at_once(api: Api) -> None:
    number = (await create(api, request_type="咨询", accept=False))["number"]
    closed = await act(api, number, "answer", "agent", answer="可在爱山东APP办理",
                       knowledge_article_id=None)
    assert closed["state"] == "closed" and closed["answer"] == "可在爱山东APP办理"


async def test_refusal_records_the_reason_and_its_article(api: Api) -> None:
    number = (await create(api, accept=False))["number"]
    refused = await act(api, number, "refuse", "agent", refusal_reason="litigation",
                        reason="已进入诉讼程序")
    assert refused["state"] == "refused" and refused["refusal_reason"] == "litigation"
    history = (await api.call("GET", f"/tickets/{number}/history", "agent")).json()
    assert history[-1]["data"]["article"].startswith("tonghua 第十条")


async def test_suspension_stops_the_clock_and_resume_moves_the_deadline(api: Api) -> None:
    number = (await create(api))["number"]
    await act(api, number, "dispatch", "reviewer", lead_unit_id=api.units["water"])
    await act(api, number, "receive", "water")
    api.clock.set("2026-03-04T10:00:00+08:00")  # 3 working days left (5, 6, 9 March)
    await act(api, number, "suspend", "water", until="2026-04-30T00:00:00+08:00",
              legal_basis="行政处罚法 第六十条 法定期限")
    api.clock.set("2026-03-16T10:00:00+08:00")
    resumed = await act(api, number, "resume", "water")
    assert resumed["state"] == "handling"
    assert resumed["deadlines"]["handle_due"] == "2026-03-19T23:59:59+08:00"


async def test_missing_required_fields_block_acceptance(api: Api) -> None:
    draft = await create(api, accept=False, category=None, place="")
    body = await act(api, draft["number"], "accept", "agent", status=422)
    assert body["error_id"] == "ticket-incomplete"
    assert body["details"]["missing"] == ["category", "place"]
