"""The knowledge-base API over HTTP under the tonghua profile (upkeep rule: zhanjiang 第十八条)."""

from datetime import datetime
from typing import Any

from kernel.clock import BEIJING
from tests.conftest import Api

FUND = {
    "title": "住房公积金提取条件",
    "body": "职工购买、建造、翻建、大修自住住房的，可以提取住房公积金账户内的存储余额。",
    "kind": "policy",
}


def bj(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(BEIJING)


async def write(api: Api, who: str = "water", status: int = 201, **fields: Any) -> dict[str, Any]:
    response = await api.call("POST", "/knowledge/articles", who, json={**FUND, **fields})
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


async def step(api: Api, article_id: int, action: str, who: str = "water", status: int = 200,
               **body: Any) -> dict[str, Any]:
    response = await api.call("POST", f"/knowledge/articles/{article_id}/{action}", who,
                              json=body or None)
    assert response.status_code == status, response.text
    result: dict[str, Any] = response.json()
    return result


async def search(api: Api, query: str, who: str = "agent") -> list[dict[str, Any]]:
    response = await api.call("GET", "/knowledge/search", who, params={"q": query})
    assert response.status_code == 200, response.text
    hits: list[dict[str, Any]] = response.json()
    return hits


async def published(api: Api) -> dict[str, Any]:
    article = await write(api)
    return await step(api, article["id"], "publish")


async def test_handler_publishes_for_its_unit_and_agent_finds_it_by_words(api: Api) -> None:
    draft = await write(api)
    assert draft["unit_id"] == api.units["water"]  # defaults to the handler's own unit
    assert draft["status"] == "draft" and draft["published_at"] is None
    assert await search(api, "公积金提取") == []  # drafts are not searched
    roads = await write(api, "roads", title="道路积水报修电话", body="路面积水请拨打市政热线。",
                        kind="contact")
    await step(api, roads["id"], "publish", "roads")

    article = await step(api, draft["id"], "publish")
    assert article["status"] == "published"
    assert bj(article["published_at"]) == datetime(2026, 3, 2, 10, tzinfo=BEIJING)

    hits = await search(api, "公积金提取")
    assert [hit["id"] for hit in hits] == [draft["id"]]
    assert hits[0]["title"] == "住房公积金提取条件"
    assert hits[0]["unit_id"] == api.units["water"] and hits[0]["kind"] == "policy"
    assert hits[0]["terms"] == ["公积", "积金", "公积金", "提取"]
    assert hits[0]["score"] > 0 and "公积金" in hits[0]["snippet"]
    assert [hit["id"] for hit in await search(api, "积水")] == [roads["id"]]


async def test_handler_of_another_unit_may_not_edit_the_article(api: Api) -> None:
    article = await write(api)
    patched = await api.call("PATCH", f"/knowledge/articles/{article['id']}", "roads",
                             json={"version": article["version"], "title": "改错的标题"})
    assert patched.status_code == 403
    assert patched.json()["error_id"] == "article-of-another-unit"
    refused = await step(api, article["id"], "publish", "roads", status=403)
    assert refused["error_id"] == "article-of-another-unit"
    agent = await api.call("POST", "/knowledge/articles", "agent",
                           json={**FUND, "unit_id": api.units["water"]})
    assert agent.status_code == 403
    now = (await api.call("GET", f"/knowledge/articles/{article['id']}", "agent")).json()
    assert now["title"] == "住房公积金提取条件" and now["status"] == "draft"


async def test_query_without_a_searchable_word_is_refused(api: Api) -> None:
    for query in ("", "的了吗？"):
        response = await api.call("GET", "/knowledge/search", "agent", params={"q": query})
        assert response.status_code == 422
        assert response.json()["error_id"] == "empty-query"


async def test_unknown_article_is_not_found(api: Api) -> None:
    response = await api.call("GET", "/knowledge/articles/987654", "agent")
    assert response.status_code == 404
    assert response.json()["error_id"] == "article-not-found"
    await step(api, 987654, "withdraw", status=404)


async def test_stale_version_on_patch_is_a_conflict_and_nothing_changes(api: Api) -> None:
    article = await write(api)
    path, version = f"/knowledge/articles/{article['id']}", article["version"]
    first = await api.call("PATCH", path, "water", json={"version": version, "title": "公积金提取"})
    assert first.status_code == 200, first.text
    assert first.json()["version"] == version + 1
    second = await api.call("PATCH", path, "water", json={"version": version, "title": "旧标题"})
    assert second.status_code == 409
    assert second.json()["error_id"] == "version-conflict"
    assert (await api.call("GET", path, "agent")).json()["title"] == "公积金提取"


async def test_finding_sets_correction_deadline_and_appears_in_review_due(api: Api) -> None:
    # tonghua has no knowledge rule of its own: the platform default applies, taken from
    # zhanjiang 第十八条: an error found must be corrected within 2 working days.
    rule = api.runtime.policy.knowledge
    assert api.runtime.policy.name == "tonghua"
    assert (rule.correction.amount, rule.correction.unit.value) == (2, "working_days")
    assert "zhanjiang 第十八条" in rule.article
    article = await published(api)

    found = await step(api, article["id"], "findings", "supervisor", finding="提取条件已变更")
    assert found["finding"] == "提取条件已变更"
    assert bj(found["found_at"]) == datetime(2026, 3, 2, 10, tzinfo=BEIJING)
    # found Monday 2 March: Tuesday and Wednesday are the two working days
    assert bj(found["correction_due"]) == datetime(2026, 3, 4, 23, 59, 59, tzinfo=BEIJING)
    assert found["corrected_late"] is False
    await step(api, article["id"], "findings", "agent", status=403, finding="x")

    async def due(who: str) -> list[dict[str, Any]]:
        response = await api.call("GET", "/knowledge/review-due", who)
        assert response.status_code == 200, response.text
        items: list[dict[str, Any]] = response.json()
        return items

    assert await due("supervisor") == []  # more than a day away on Monday
    api.clock.set("2026-03-04T09:00:00+08:00")
    [item] = await due("supervisor")
    assert item["article"]["id"] == article["id"] and item["reason"] == "correction"
    assert bj(item["due"]) == datetime(2026, 3, 4, 23, 59, 59, tzinfo=BEIJING)
    assert item["overdue"] is False
    assert [i["article"]["id"] for i in await due("water")] == [article["id"]]
    assert await due("roads") == []  # a handler sees only its own unit's

    api.clock.set("2026-03-05T09:00:00+08:00")
    assert [i["overdue"] for i in await due("supervisor")] == [True]
    fixed = await api.call("PATCH", f"/knowledge/articles/{article['id']}", "water",
                           json={"version": found["version"], "body": "新的提取条件。"})
    assert fixed.status_code == 200, fixed.text
    assert fixed.json()["correction_due"] is None and fixed.json()["corrected_late"] is True
    assert await due("supervisor") == []


async def test_withdrawn_article_leaves_search(api: Api) -> None:
    article = await published(api)
    assert [hit["id"] for hit in await search(api, "公积金提取")] == [article["id"]]
    withdrawn = await step(api, article["id"], "withdraw")
    assert withdrawn["status"] == "withdrawn"
    assert await search(api, "公积金提取") == []
    listed = await api.call("GET", "/knowledge/articles", "agent",
                            params={"status": "withdrawn"})
    assert [a["id"] for a in listed.json()] == [article["id"]]


async def test_an_empty_patch_does_not_close_a_finding(api: Api) -> None:
    created = await api.call("POST", "/knowledge/articles", "water", json={
        "unit_id": api.units["water"], "title": "停水通知查询", "body": "停水通知在官网公布",
        "kind": "faq"})
    article = created.json()
    await api.call("POST", f"/knowledge/articles/{article['id']}/publish", "water")
    finding = await api.call("POST", f"/knowledge/articles/{article['id']}/findings",
                             "supervisor", json={"finding": "电话号码已变更"})
    assert finding.status_code == 200, finding.text
    version = finding.json()["version"]
    await api.call("PATCH", f"/knowledge/articles/{article['id']}", "water",
                   json={"version": version})
    after = (await api.call("GET", f"/knowledge/articles/{article['id']}", "water")).json()
    assert after["correction_due"] == "2026-03-04T23:59:59+08:00"
