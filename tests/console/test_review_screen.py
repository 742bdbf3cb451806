"""The reviewer's and dispatcher's screen (审核派单) in Chromium, on the served platform.

Tickets come from the agent's desk or the API as an agent registers them; units act through
the API (their own screen is tested beside this one); the reviewer works on the screen.
"""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.console.desks import (
    Staff,
    add_staff,
    create,
    history,
    on_platform_time,
    open_desk,
    pick,
    row,
    script_errors_fail,
    served_from,
    shot,
    step,
    ticket,
)
from tests.console.screen import log_in
from tests.console.served import Platform

LABELS = {"litigation": "涉诉", "petition": "涉访", "secret": "涉密", "harassment": "骚扰",
          "illegal": "违法", "party_military": "涉党涉军", "out_of_jurisdiction": "非本辖区",
          "repeat": "重复诉求", "emergency": "紧急事项另行处置",
          "vertical_management": "垂直管理部门"}


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[Platform]:
    """A platform of the test's own: its screenshots show its own tickets, in any test order."""
    with served_from(tmp_path / "data") as served:
        yield served


@pytest.fixture
def staff(platform: Platform) -> Staff:
    return add_staff(platform)


@pytest.fixture(autouse=True)
def screen(page: Page) -> Iterator[None]:
    """The browser on the platform's day; an uncaught script error fails the test."""
    on_platform_time(page)
    with script_errors_fail(page):
        yield


def tab(page: Page, name: str) -> None:
    page.locator(f'[data-queue="{name}"]').click()
    expect(page.locator(f'[data-queue="{name}"]')).to_have_attribute("aria-selected", "true")


def test_a_new_ticket_waits_for_acceptance_and_is_accepted_or_refused_with_the_profiles_reasons(
    page: Page, platform: Platform, staff: Staff,
) -> None:
    first = create(platform, accept=False, category=None)["number"]  # as a web form sent it
    second = create(platform, accept=False, summary="对法院判决不服",
                    content="对区法院的民事判决不服，要求热线改判。")["number"]
    open_desk(page, "reviewer1", "review")
    expect(page.locator('[data-queue="intake"]')).to_have_text("待受理（2）")
    expect(row(page, first)).to_contain_text("待受理")
    pick(page, first)
    expect(page.locator("#ticket-view")).to_contain_text("张三 · 13812345678")
    expect(history(page)).to_have_count(1)
    expect(page.locator("#ticket-view")).to_contain_text("办理期限受理后按本地规定起算")
    expect(history(page).first).to_contain_text("登记")
    reasons = platform.api("GET", "/policies/tonghua").json()["refusal_reasons"]
    expect(page.locator("#refusal-reason option")).to_have_text(
        [f"{LABELS[reason]}（{article}）" for reason, article in reasons.items()])
    expect(page.get_by_role("button", name="派单")).to_be_hidden()  # not yet accepted
    shot(page, "review-intake")

    page.get_by_role("button", name="受理", exact=True).click()
    expect(page.locator("#action-error")).to_have_text(
        "fill in category before accepting（ticket-incomplete，HTTP 422）")
    page.get_by_label("诉求分类").select_option("城乡建设")
    page.get_by_role("button", name="保存修改").click()
    expect(page.locator("#action-result")).to_have_text(f"工单 {first}：修改完成，当前状态 待受理")
    expect(history(page).last).to_contain_text("修改更正：诉求分类")
    expect(page.get_by_label("诉求分类")).to_have_value("城乡建设")
    page.get_by_role("button", name="受理", exact=True).click()
    expect(page.locator("#action-result")).to_have_text(f"工单 {first}：受理完成，当前状态 已受理")
    expect(page.locator('[data-queue="intake"]')).to_have_text("待受理（1）")
    expect(page.locator('[data-queue="dispatch"]')).to_have_text("待审核派单（1）")
    assert ticket(platform, first)["state"] == "accepted"
    expect(page.locator("#ticket-view")).to_contain_text(  # tonghua: dispatched the same day
        f"审核派单期限{ticket(platform, first)['deadlines']['review_due'][:10]} 23:59")
    expect(page.get_by_role("button", name="受理", exact=True)).to_be_hidden()
    expect(page.get_by_role("button", name="派单")).to_be_visible()

    pick(page, second)
    page.get_by_label("不予受理原因").select_option("litigation")
    page.get_by_label("不予受理说明").fill("已进入诉讼程序，告知来电人依法上诉")
    page.get_by_role("button", name="不予受理").click()
    expect(page.locator("#action-result")).to_contain_text("当前状态 不予受理")
    expect(history(page).last).to_contain_text("已进入诉讼程序，告知来电人依法上诉")
    expect(history(page).last).to_contain_text(f"原因：涉诉；依据：{reasons['litigation']}")
    expect(page.locator("#ticket-view")).to_contain_text("不予受理原因涉诉")
    assert ticket(platform, second)["refusal_reason"] == "litigation"
    expect(page.locator('[data-queue="intake"]')).to_have_text("待受理（0）")


def test_a_ticket_from_the_agents_desk_is_dispatched_to_a_lead_and_an_assisting_unit(
    page: Page, platform: Platform, staff: Staff,
) -> None:
    linkedid = "1700001101.1"
    log_in(page, platform, seat="PJSIP/8091")
    platform.call_answered(linkedid, "13900001111", "PJSIP/8091")
    platform.say(linkedid, "caller", "我 要 投诉 和平 路 的 路灯 不 亮 好 几 天 了", 1.0)
    expect(page.locator("#f-address")).to_have_value("和平路")
    page.locator("#f-summary").fill("和平路路灯不亮多日")
    page.get_by_role("button", name="登记工单").click()
    expect(page.locator("#ticket-result")).to_contain_text("（已受理）")
    found = re.search(r"\d{6,}", page.locator("#ticket-result").inner_text())
    assert found is not None
    number = found.group(0)
    page.get_by_role("button", name="退出登录").click()
    expect(page.locator("#login-form")).to_be_visible()

    open_desk(page, "reviewer1", "review")
    tab(page, "dispatch")
    pick(page, number)
    lead = page.get_by_label("主办单位")
    expect(lead.locator("optgroup").first).to_have_attribute("label", "推荐承办单位")
    suggested = platform.api("GET", f"/tickets/{number}/suggested-units", "reviewer1").json()
    assert [(s["id"], s["territory"]) for s in suggested][:1] == [(staff.units["lights"], "和平路")]
    expect(lead.locator("option").first).to_have_text(
        f"市城市管理局（推荐：辖区 和平路，职责 {'、'.join(suggested[0]['duty_words'])}）")
    expect(lead).to_have_value(str(staff.units["lights"]))  # the best suggestion first
    expect(lead.locator('optgroup[label="其他单位"] option')).to_have_text(["市水务集团"])
    page.get_by_label("市供电公司（推荐）").check()
    page.get_by_label("派单说明").fill("请供电公司配合检查线路")
    shot(page, "review-dispatch")

    page.get_by_role("button", name="派单").click()
    expect(page.locator("#action-result")).to_contain_text("当前状态 已派单")
    units = page.locator("#ticket-view .assignments li")
    expect(units).to_have_text(["市城市管理局（主办）", "市供电公司（协办）"])
    dispatched = ticket(platform, number)
    assert dispatched["lead_unit_id"] == staff.units["lights"]
    assert [(a["unit_id"], a["role"]) for a in dispatched["assignments"]] == [
        (staff.units["lights"], "lead"), (staff.units["power"], "co")]
    expect(page.locator("#ticket-view .facts").nth(1)).to_contain_text("办理期限")
    expect(history(page)).to_have_count(3)
    expect(history(page).last).to_contain_text("派单")
    expect(history(page).last).to_contain_text("请供电公司配合检查线路；主办：市城市管理局；协办：市供电公司")
    expect(page.locator("#ticket-view")).to_contain_text("市民：我要投诉和平路的路灯不亮")
    shot(page, "review-ticket")


def test_a_units_return_is_refused_once_then_accepted_and_redispatched(
    page: Page, platform: Platform, staff: Staff,
) -> None:
    number = create(platform, summary="和平路路面积水", place="和平路18号",
                    content="和平路18号门前路面积水，行人无法通过。")["number"]
    step(platform, number, "dispatch", "reviewer1", lead_unit_id=staff.units["lights"])
    step(platform, number, "return", "lights-handler", reason="积水属排水设施，非路灯职责")
    open_desk(page, "reviewer1", "review")
    tab(page, "returned")
    pick(page, number)
    expect(page.locator("#return-reason")).to_have_text(
        "退回理由：积水属排水设施，非路灯职责（lights-handler）")
    expect(history(page).last).to_contain_text("申请退回")
    page.get_by_label("不同意退回的理由").fill("道路积水由城管牵头")
    page.get_by_role("button", name="不同意退回").click()
    expect(page.locator("#action-result")).to_contain_text("当前状态 办理中")
    assert ticket(platform, number)["state"] == "handling"

    step(platform, number, "return", "lights-handler", reason="经核实为供水管道破裂")
    page.get_by_role("button", name="刷新").click()
    expect(page.locator('[data-queue="returned"]')).to_have_text("退回待定（1）")
    pick(page, number)
    expect(page.locator("#return-reason")).to_contain_text("经核实为供水管道破裂")
    lead = page.get_by_label("主办单位")  # the returning unit last, never the default
    expect(lead.locator("option").last).to_have_text("市城市管理局（申请退回）")
    expect(lead).not_to_have_value(str(staff.units["lights"]))
    page.get_by_label("主办单位").select_option(str(staff.units["water"]))
    shot(page, "review-return")
    page.get_by_role("button", name="同意退回并改派").click()
    expect(page.locator("#action-result")).to_contain_text("当前状态 已派单")
    expect(page.locator("#ticket-view .assignments li")).to_have_text(
        ["市城市管理局（主办），已结束", "市水务集团（主办）"])
    assert ticket(platform, number)["lead_unit_id"] == staff.units["water"]


def test_a_reply_sent_back_needs_a_reason_and_the_next_one_is_approved(
    page: Page, platform: Platform, staff: Staff,
) -> None:
    number = create(platform, summary="和平路井盖缺失", place="和平路30号",
                    content="和平路30号人行道井盖缺失，夜里容易掉进去。")["number"]
    step(platform, number, "dispatch", "reviewer1", lead_unit_id=staff.units["lights"])
    step(platform, number, "receive", "lights-handler")
    step(platform, number, "reply", "lights-handler", reply="已设置围挡")
    open_desk(page, "reviewer1", "review")
    tab(page, "replied")
    pick(page, number)
    expect(page.locator("#ticket-view")).to_contain_text("答复内容已设置围挡")
    page.get_by_role("button", name="退回重办").click()
    expect(page.locator("#action-error")).to_have_text(
        "say why the reply is sent back（reason-required，HTTP 422）")
    page.get_by_label("退回重办的理由").fill("仅设围挡，井盖未补装")
    page.get_by_role("button", name="退回重办").click()
    expect(page.locator("#action-result")).to_contain_text("当前状态 办理中")
    expect(page.locator("#action-error")).to_have_text("")

    step(platform, number, "reply", "lights-handler", reply="井盖已补装，现场已恢复通行")
    page.get_by_role("button", name="刷新").click()
    pick(page, number)
    expect(page.locator("#ticket-view")).to_contain_text("井盖已补装，现场已恢复通行")
    shot(page, "review-reply")
    page.get_by_role("button", name="答复审核通过").click()
    expect(page.locator("#action-result")).to_contain_text("当前状态 待回访")
    assert ticket(platform, number)["state"] == "revisit"
    expect(history(page).filter(has_text="答复退回重办")).to_contain_text("仅设围挡，井盖未补装")


def test_a_repeat_is_linked_and_a_duplicate_merged_into_its_master(
    page: Page, platform: Platform, staff: Staff,
) -> None:
    market = {"category": "环境保护", "place": "和平路菜市场"}
    master = create(platform, summary="和平路菜市场油烟扰民", content="和平路菜市场烧烤油烟大。",
                    **market)["number"]
    step(platform, master, "dispatch", "reviewer1", lead_unit_id=staff.units["lights"])
    repeat = create(platform, summary="和平路菜市场油烟（同一来电人再次来电）",
                    content="又来问菜市场油烟的事办得怎么样了。", **market)["number"]
    duplicate = create(platform, summary="和平路菜市场油烟（邻居）",
                       requester={"name": "李四", "phone": "13911112222"},
                       content="菜市场门口烧烤油烟熏到二楼住户。", **market)["number"]
    open_desk(page, "reviewer1", "review")
    tab(page, "dispatch")
    pick(page, repeat)
    page.get_by_label("此前工单编号").fill(master)
    page.get_by_label("关联说明").fill("同一来电人就同一事项再次来电")
    page.get_by_role("button", name="关联为重复件").click()
    expect(page.locator("#action-result")).to_contain_text("当前状态 已关联重复件")
    expect(history(page).last).to_contain_text(f"重复件，关联工单 {master}")

    pick(page, duplicate)
    page.get_by_label("主工单编号").fill(duplicate)
    page.get_by_role("button", name="并单").click()
    expect(page.locator("#action-error")).to_have_text(
        "a ticket cannot be merged into itself（not-mergeable，HTTP 409）")
    page.get_by_label("主工单编号").fill(master)
    page.get_by_label("并单说明").fill("同一菜市场油烟")
    page.get_by_role("button", name="并单").click()
    expect(page.locator("#action-result")).to_contain_text("当前状态 已并单")
    expect(history(page).last).to_contain_text(f"同一菜市场油烟；已并入主工单 {master}")
    assert ticket(platform, duplicate)["linked_ticket_id"] == ticket(platform, master)["id"]

    tab(page, "open")
    pick(page, master)
    expect(page.locator("#no-commands")).to_be_visible()  # with its unit: nothing to decide
    merged = page.locator("#ticket-view .merged li")
    expect(merged).to_have_count(1)
    expect(merged).to_contain_text(duplicate)
    expect(merged).to_contain_text("来电人：李四 · 13911112222")
    expect(page.locator("#ticket-view")).to_contain_text(
        f"和平路菜市场烧烤油烟大。\n\n【并单 {duplicate}")
    expect(history(page).last).to_contain_text(f"接收并单同一菜市场油烟；并入工单 {duplicate}")
    shot(page, "review-merge")

    step(platform, master, "reply", "lights-handler", reply="已责令商户安装油烟净化器")
    late = create(platform, summary="菜市场油烟（第三户）", content="菜市场油烟太大。",
                  **market)["number"]
    tab(page, "dispatch")
    pick(page, late)
    page.get_by_label("主工单编号").fill(master)
    page.get_by_role("button", name="并单").click()
    expect(page.locator("#action-error")).to_contain_text("not-mergeable，HTTP 409")
    expect(page.locator("#action-error")).to_contain_text(f"ticket {master} is replied")
