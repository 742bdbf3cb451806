"""The unit handler's screen (承办单位) in Chromium, on the served platform.

The centre's side (dispatch, approval) runs on the reviewer's screen in a second browser where
the flow is walked end to end, through the API where it only sets the scene.
"""

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from kernel.clock import BEIJING
from tests.console.desks import (
    START,
    Staff,
    add_staff,
    another_page,
    create,
    history,
    on_platform_time,
    open_desk,
    pick,
    row,
    script_errors_fail,
    served_from,
    set_due,
    shot,
    step,
    ticket,
)
from tests.console.served import Platform

OVERDUE = re.compile(r"\boverdue\b")


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


def result(page: Page) -> str:
    return page.locator("#action-result").inner_text()


def test_a_ticket_is_dispatched_received_extended_within_the_limits_replied_and_approved(
    page: Page, browser: Browser, platform: Platform, staff: Staff,
) -> None:
    number = create(platform, summary="和平路路灯杆倾斜")["number"]
    with another_page(browser, platform) as centre:
        open_desk(centre, "reviewer1", "review")
        centre.locator('[data-queue="dispatch"]').click()
        pick(centre, number)
        expect(centre.get_by_label("主办单位")).to_have_value(str(staff.units["lights"]))
        centre.get_by_label("市供电公司（推荐）").check()
        centre.get_by_role("button", name="派单").click()
        expect(centre.locator("#action-result")).to_contain_text("当前状态 已派单")

        with another_page(browser, platform) as co:  # the assisting unit sees it, as 协办
            open_desk(co, "power-handler", "unit")
            expect(row(co, number).locator(".tag-role")).to_have_text("协办")
            pick(co, number)
            expect(co.locator("#co-note")).to_have_text(
                "本单位为协办单位：请将办理意见反馈主办单位市城市管理局，由主办单位答复")
            expect(co.get_by_role("button", name="提交答复")).to_be_hidden()
            expect(co.get_by_role("button", name="申请延期")).to_be_hidden()

        open_desk(page, "lights-handler", "unit")
        expect(page.locator("#unit-name")).to_have_text("本单位：市城市管理局")
        expect(row(page, number).locator(".tag-role")).to_have_text("主办")
        pick(page, number)
        expect(page.locator("#co-note")).to_be_hidden()
        page.get_by_role("button", name="签收").click()
        expect(page.locator("#action-result")).to_contain_text("签收完成，当前状态 办理中")
        expect(page.get_by_role("button", name="签收")).to_be_hidden()

        rule = platform.api("GET", "/policies/tonghua").json()["extension"]
        expect(page.locator("#extend-limits")).to_have_text(
            f"最多延期 2 次，每次不超过 5个工作日，须在办理期限前 1个自然日申请，"
            f"第 2 次起须单位负责人签批，本工单已延期 0 次（{rule['article']}）")
        due = ticket(platform, number)["deadlines"]["handle_due"]
        page.get_by_label("延期理由").fill("需协调供电公司更换灯杆")
        page.get_by_role("button", name="申请延期").click()
        expect(page.locator("#action-result")).to_contain_text("延期完成")
        extended = ticket(platform, number)
        assert extended["extension_count"] == 1 and extended["deadlines"]["handle_due"] > due
        expect(history(page).last).to_contain_text("需协调供电公司更换灯杆；新期限：")
        expect(page.locator("#ticket-view")).to_contain_text("已延期1 次")

        page.get_by_label("延期理由").fill("灯杆到货延迟")
        page.get_by_role("button", name="申请延期").click()
        expect(page.locator("#action-error")).to_have_text(
            f"extension 2 needs the unit leader's sign-off ({rule['article']})"
            "（extension-refused，HTTP 409）")
        page.get_by_label("延期理由").fill("灯杆到货延迟")
        page.get_by_label("单位负责人已签批").check()
        page.get_by_role("button", name="申请延期").click()
        expect(page.locator("#action-result")).to_contain_text("延期完成")
        expect(page.locator("#action-error")).to_have_text("")
        page.get_by_label("延期理由").fill("仍未到货")
        page.get_by_label("单位负责人已签批").check()
        page.get_by_role("button", name="申请延期").click()
        expect(page.locator("#action-error")).to_contain_text(
            "at most 2 extensions (tonghua 第十六条)")
        shot(page, "unit-extension")
        assert ticket(platform, number)["extension_count"] == 2

        page.get_by_label("答复内容").fill("已更换倾斜灯杆，路灯恢复照明")
        page.get_by_role("button", name="提交答复").click()
        expect(page.locator("#action-result")).to_contain_text("当前状态 已答复")
        expect(page.locator("#ticket-view")).to_contain_text("答复内容已更换倾斜灯杆，路灯恢复照明")
        shot(page, "unit-reply")

        centre.locator('[data-queue="replied"]').click()
        pick(centre, number)
        centre.get_by_role("button", name="答复审核通过").click()
        expect(centre.locator("#action-result")).to_contain_text("当前状态 待回访")
    page.get_by_role("button", name="刷新").click()
    expect(row(page, number)).to_contain_text("待回访")


def test_the_inbox_is_in_due_order_with_the_overdue_ticket_marked(
    page: Page, platform: Platform, staff: Staff,
) -> None:
    water = {"district": "东昌区", "category": "城乡建设"}
    normal = create(platform, summary="东昌区供水压力低", place="东昌区新华街5号",
                    content="新华街5号一周来水压很低，高层用不上水。", **water)["number"]
    urgent = create(platform, summary="东昌区水管爆裂", urgency="紧急", place="东昌区建设路",
                    content="建设路口自来水管爆裂，路面积水。", **water)["number"]
    late = create(platform, summary="东昌区水表漏水", place="东昌区新华街9号",
                  content="新华街9号楼道水表漏水多日。", **water)["number"]
    for number in (normal, urgent, late):
        step(platform, number, "dispatch", "reviewer1", lead_unit_id=staff.units["water"])
    # a week went by (the clock of this platform only runs forward): due two days ago
    set_due(platform, late, datetime(2026, 2, 27, 23, 59, 59, tzinfo=BEIJING))

    open_desk(page, "water-handler", "unit")
    page.goto("/console/review")  # not a unit's page: back to its own
    expect(page).to_have_url(re.compile(r"/console/unit$"))
    expect(page.locator("#queue .ticket-pick strong")).to_have_text([late, urgent, normal])
    expect(row(page, late)).to_have_class(OVERDUE)
    expect(row(page, late).locator(".tag-overdue")).to_have_text("已超期")
    expect(row(page, urgent)).not_to_have_class(OVERDUE)
    expect(row(page, urgent).locator(".tag-urgent")).to_have_text("紧急")
    pick(page, late)
    expect(page.locator("#ticket-view dd.overdue")).to_contain_text("（已超期）")
    shot(page, "unit-inbox")


def test_a_return_needs_its_reason_and_a_suspension_its_legal_basis_within_the_limit(
    page: Page, platform: Platform, staff: Staff,
) -> None:
    returned = create(platform, summary="和平路小区内部绿化")["number"]
    suspended = create(platform, summary="和平路违建拆除")["number"]
    for number in (returned, suspended):
        step(platform, number, "dispatch", "reviewer1", lead_unit_id=staff.units["lights"])
    open_desk(page, "lights-handler", "unit")
    pick(page, returned)
    expect(page.locator("#return-limits")).to_contain_text("前说明理由退回（tonghua 第十五条）")
    page.get_by_role("button", name="退回").click()
    expect(page.locator("#action-error")).to_have_text(
        "a return needs its reason and basis（reason-required，HTTP 422）")
    page.get_by_label("退回理由").fill("小区内部绿化属物业管理，非城管职责")
    page.get_by_role("button", name="退回").click()
    expect(page.locator("#action-result")).to_contain_text("当前状态 退回待定")
    expect(row(page, returned)).to_contain_text("退回待定")

    pick(page, suspended)
    page.get_by_role("button", name="签收").click()
    expect(page.locator("#action-result")).to_contain_text("当前状态 办理中")
    expect(page.locator("#suspend-limits")).to_contain_text("最长 90个自然日")
    page.get_by_role("button", name="挂单").click()
    expect(page.locator("#action-error")).to_contain_text("invalid-request，HTTP 422")
    too_late = START + timedelta(days=120)
    page.get_by_label("挂单至").fill(too_late.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("法律依据").fill("《行政强制法》第四十四条：违建强拆须经公告及复议诉讼期限")
    page.get_by_role("button", name="挂单").click()
    expect(page.locator("#action-error")).to_contain_text("suspension-refused，HTTP 409")
    until = START + timedelta(days=60)
    page.get_by_label("挂单至").fill(until.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("法律依据").fill("《行政强制法》第四十四条：违建强拆须经公告及复议诉讼期限")
    page.get_by_role("button", name="挂单").click()
    expect(page.locator("#action-result")).to_contain_text("当前状态 已挂单")
    expect(history(page).last).to_contain_text(f"挂单至：{until:%Y-%m-%d %H:%M}")
    expect(history(page).last).to_contain_text("《行政强制法》第四十四条")
    shot(page, "unit-suspend")
    page.get_by_role("button", name="恢复办理").click()
    expect(page.locator("#action-result")).to_contain_text("当前状态 办理中")
    assert ticket(platform, suspended)["state"] == "handling"


def test_a_confidential_requester_is_never_shown_to_the_unit(
    page: Page, platform: Platform, staff: Staff,
) -> None:
    secret = {"name": "王五", "phone": "13700001234", "address": "东昌区光明街8号"}
    master = create(platform, summary="东昌区光明街举报偷水", request_type="举报",
                    requester=secret, identity_disclosable=False, district="东昌区",
                    place="东昌区光明街", content="举报光明街有商户私接自来水管。")["number"]
    step(platform, master, "dispatch", "reviewer1", lead_unit_id=staff.units["water"])
    shown = create(platform, summary="光明街偷水（邻居）", request_type="举报",
                   requester={"name": "赵六", "phone": "13600005678"}, district="东昌区",
                   place="东昌区光明街", content="光明街一商户夜里接水管往店里引水。")["number"]
    hidden = create(platform, summary="光明街偷水（另一户）", request_type="举报",
                    requester={"name": "钱七", "phone": "13500009876"}, district="东昌区",
                    place="东昌区光明街", identity_disclosable=False,
                    content="光明街商户偷接自来水，水压都低了。")["number"]
    for number in (shown, hidden):
        step(platform, number, "merge", "reviewer1", master_number=master)

    open_desk(page, "water-handler", "unit")
    pick(page, master)
    expect(page.locator("#ticket-view dd.secret")).to_have_text("来电人要求保密，不向承办单位显示")
    merged = page.locator("#ticket-view .merged li")
    expect(merged).to_have_count(2)
    expect(merged.nth(0)).to_contain_text("来电人：赵六 · 13600005678")
    expect(merged.nth(1)).to_contain_text("来电人：来电人要求保密，不向承办单位显示")
    expect(page.locator("#ticket-view")).to_contain_text("举报光明街有商户私接自来水管。")
    expect(page.locator("#ticket-view")).to_contain_text("光明街一商户夜里接水管往店里引水。")
    expect(page.locator("#ticket-view")).to_contain_text(
        f"【并单 {hidden}（2026-03-02 08:30）】\n来电人要求保密，诉求内容见该工单")
    expect(page.locator("#ticket-view")).not_to_contain_text("水压都低了")
    text = page.locator("body").inner_text()
    for personal in ("王五", "13700001234", "光明街8号", "钱七", "13500009876", "****"):
        assert personal not in text, personal
    shot(page, "unit-confidential")
