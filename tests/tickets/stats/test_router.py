"""The statistics API over HTTP: a month of tickets made through the workflow, tonghua scale."""

import csv
import io
from datetime import datetime
from typing import Any

from tests.conftest import Api
from tests.tickets.workflow.test_lifecycle_api import act, create


def instant(text: str) -> datetime:
    """Timestamps are compared as instants: the overdue list gives them in UTC."""
    return datetime.fromisoformat(text)


MARCH = {"start": "2026-03-01T00:00:00+08:00", "end": "2026-04-01T00:00:00+08:00"}


async def finish(api: Api, number: str, who: str, level: str) -> None:
    """Reply, approve and rate the ticket (reasonable=False: the rating closes it)."""
    await act(api, number, "reply", who, reply="已处理")
    await act(api, number, "approve-reply", "reviewer")
    closed = await act(api, number, "evaluate", "agent", level=level, reasonable=False)
    assert closed["state"] == "closed" and closed["final_evaluation"] == level


async def month(api: Api) -> dict[str, str]:
    """One January leftover and four March tickets; the clock ends on Tuesday 10 March."""
    water, roads = api.units["water"], api.units["roads"]
    api.clock.set("2026-01-20T10:00:00+08:00")
    old = (await create(api, summary="一月旧单"))["number"]
    await act(api, old, "dispatch", "reviewer", lead_unit_id=water)

    api.clock.set("2026-03-02T10:00:00+08:00")
    t1 = (await create(api, summary="按时满意"))["number"]
    t2 = (await create(api, summary="逾期答复不满意", request_type="求助", category="城乡建设",
                       district="二道江区"))["number"]
    t3 = (await create(api, summary="退回后比较满意"))["number"]
    t4 = (await create(api, summary="逾期未答复", request_type="建议", category="交通出行"))[
        "number"]
    for number, unit in ((t1, water), (t2, roads), (t3, water), (t4, water)):
        dispatched = await act(api, number, "dispatch", "reviewer", lead_unit_id=unit)
        assert dispatched["deadlines"]["handle_due"] == "2026-03-09T23:59:59+08:00"
    await finish(api, t1, "water", "满意")
    await act(api, t3, "return", "water", reason="道路问题，属城管职责")
    await act(api, t3, "redispatch", "reviewer", lead_unit_id=roads)
    await finish(api, t3, "roads", "比较满意")  # satisfied on the tonghua scale

    api.clock.set("2026-03-10T10:00:00+08:00")  # past the 9 March deadline
    await finish(api, t2, "roads", "不满意")
    return {"old": old, "t1": t1, "t2": t2, "t3": t3, "t4": t4}


async def test_summary_counts_rates_and_overdue_list(api: Api) -> None:
    numbers = await month(api)
    response = await api.call("GET", "/stats/summary", "supervisor", params=MARCH)
    assert response.status_code == 200, response.text
    s = response.json()
    assert s["as_of"] == "2026-03-10T10:00:00+08:00"  # the month is not over: judged now
    assert s["total"] == 4  # the January ticket is not in the period
    assert s["by_request_type"] == [{"key": "投诉", "count": 2}, {"key": "建议", "count": 1},
                                    {"key": "求助", "count": 1}]
    assert s["by_category"] == [{"key": "公共服务", "count": 2}, {"key": "交通出行", "count": 1},
                                {"key": "城乡建设", "count": 1}]
    assert s["by_district"] == [{"key": "东昌区", "count": 3}, {"key": "二道江区", "count": 1}]
    assert s["by_unit"] == [
        {"unit_id": api.units["water"], "unit_name": "市水务集团", "count": 2},
        {"unit_id": api.units["roads"], "unit_name": "市城市管理局", "count": 2},
    ]
    assert s["replied"] == 3 and s["late_open"] == 1
    # replied in time (t1, t3) ÷ (replied 3 + late and open 1)
    assert s["on_time"] == {"numerator": 2, "denominator": 4, "value": 0.5}
    # 满意 and 比较满意 are satisfied, 不满意 is not
    assert s["satisfaction"] == {"numerator": 2, "denominator": 3, "value": 0.6667}
    assert s["returns"] == {"numerator": 1, "denominator": 4, "value": 0.25}

    overdue = s["overdue"]
    assert [t["number"] for t in overdue] == [numbers["old"], numbers["t4"]]
    assert instant(overdue[0]["handle_due"]) == instant("2026-01-27T23:59:59+08:00")
    assert [t["days_overdue"] for t in overdue] == [42, 1]
    late = overdue[1]
    assert instant(late.pop("created_at")) == instant("2026-03-02T10:00:00+08:00")
    assert instant(late.pop("handle_due")) == instant("2026-03-09T23:59:59+08:00")
    assert late == {  # every field, and none of the requester's personal data
        "number": numbers["t4"], "state": "dispatched", "request_type": "建议",
        "category": "交通出行", "summary": "逾期未答复", "lead_unit_id": api.units["water"],
        "unit_name": "市水务集团", "days_overdue": 1, "phone_reminders": 0,
        "under_supervision": False,
    }


async def test_bulletin_json_has_a_row_per_unit_most_overdue_first(api: Api) -> None:
    await month(api)
    response = await api.call("GET", "/stats/bulletin/2026/3.json", "reviewer")
    assert response.status_code == 200, response.text
    b = response.json()
    assert (b["year"], b["month"], b["profile"]) == (2026, 3, "tonghua")
    assert b["summary"]["total"] == 4 and len(b["summary"]["overdue"]) == 2
    rows = {row["unit_name"]: row for row in b["units"]}
    assert [row["unit_name"] for row in b["units"]] == ["市水务集团", "市城市管理局"]
    water, roads = rows["市水务集团"], rows["市城市管理局"]
    assert (water["received"], water["replied"], water["replied_on_time"], water["late_open"],
            water["overdue"], water["evaluated"], water["satisfied"]) == (2, 1, 1, 1, 2, 1, 1)
    assert (roads["received"], roads["replied"], roads["replied_on_time"], roads["late_open"],
            roads["overdue"], roads["evaluated"], roads["satisfied"]) == (2, 2, 1, 0, 0, 2, 1)
    assert water["on_time"]["value"] == 0.5 and roads["satisfaction"]["value"] == 0.5


async def test_bulletin_csv_opens_in_excel_with_chinese_headers(api: Api) -> None:
    numbers = await month(api)
    response = await api.call("GET", "/stats/bulletin/2026/3.csv", "supervisor")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert 'filename="bulletin-2026-03.csv"' in response.headers["content-disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["12345热线月通报", "2026年3月", "tonghua"]
    assert ["受理总量", "4"] in rows
    assert ["满意率", "66.67%", "2", "3"] in rows
    head = rows.index(["承办单位", "受理量", "已答复", "按时答复", "逾期未答复",
                       "逾期未办结(截至时点)", "已评价", "满意", "按时答复率", "满意率"])
    assert rows[head + 1:head + 3] == [
        ["市水务集团", "2", "1", "1", "1", "2", "1", "1", "50.00%", "100.00%"],
        ["市城市管理局", "2", "2", "1", "0", "0", "2", "1", "50.00%", "50.00%"],
    ]
    overdue_numbers = [row[0] for row in rows[rows.index(["逾期未办结事项"]) + 2:]]
    assert overdue_numbers == [numbers["old"], numbers["t4"]]


async def test_naive_datetime_is_refused(api: Api) -> None:
    params: dict[str, Any] = {"start": "2026-03-01T00:00:00", "end": MARCH["end"]}
    response = await api.call("GET", "/stats/summary", "supervisor", params=params)
    assert response.status_code == 422
    body = response.json()
    assert body["error_id"] == "invalid-request"
    assert [p["where"] for p in body["details"]["problems"]] == [["query", "start"]]


async def test_start_after_end_is_refused(api: Api) -> None:
    params = {"start": MARCH["end"], "end": MARCH["start"]}
    response = await api.call("GET", "/stats/summary", "supervisor", params=params)
    assert response.status_code == 422
    assert response.json()["error_id"] == "invalid-value"


async def test_agents_and_unit_handlers_may_not_read_statistics(api: Api) -> None:
    for who in ("agent", "water"):
        for path in ("/stats/summary", "/stats/bulletin/2026/3.json", "/stats/bulletin/2026/3.csv"):
            response = await api.call("GET", path, who, params=MARCH)
            assert response.status_code == 403, (who, path)
            assert response.json()["error_id"] == "forbidden"


async def test_plain_dates_are_beijing_days_and_the_end_day_is_included(api: Api) -> None:
    await month(api)  # the four March tickets are created on 2 March, 10:00 Beijing time
    march = await api.call("GET", "/stats/summary", "supervisor",
                           params={"start": "2026-03-01", "end": "2026-03-31"})
    assert march.status_code == 200, march.text
    s = march.json()
    assert instant(s["start"]) == instant("2026-03-01T00:00:00+08:00")
    assert instant(s["end"]) == instant("2026-04-01T00:00:00+08:00")
    assert s["total"] == 4
    one_day = {"start": "2026-03-02", "end": "2026-03-02"}
    assert (await api.call("GET", "/stats/summary", "supervisor",
                           params=one_day)).json()["total"] == 4
    day_before = {"start": "2026-03-01", "end": "2026-03-01"}
    assert (await api.call("GET", "/stats/summary", "supervisor",
                           params=day_before)).json()["total"] == 0


async def test_a_plain_end_date_on_the_last_day_of_the_calendar_is_refused(api: Api) -> None:
    response = await api.call("GET", "/stats/summary", "supervisor",
                              params={"start": "2026-03-01", "end": "9999-12-31"})
    assert response.status_code == 422
    assert [p["where"] for p in response.json()["details"]["problems"]] == [["query", "end"]]
