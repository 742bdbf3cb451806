"""The agent's desk through a working day (issue 13), in Chromium on the served platform.

Calls reach the real call controller as typed AMI events, the IVR's emergency key reaches
the real linkage as the VarSet Asterisk sends, speech reaches the real ASR hub. There is no
Asterisk behind this platform: a command that passes the API's checks is answered 503
(ami-not-connected) and the screen says so; what the API refuses first (a number nobody
registered, an extension no seat has) is shown with its own error. The hang-up itself is
tested through the real Asterisk in tests/telephony/conference/.
"""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.console.agent_desk import (
    add_units,
    beijing,
    button,
    controls,
    ivr_emergency_answered,
    joins,
    keyed,
    picture,
    posts,
    registered,
)
from tests.console.desks import add_user, on_platform_time, script_errors_fail, served_from
from tests.console.screen import field, log_in
from tests.console.served import Platform

LEGACY_QUEUE = "water-96310"  # a legacy line's own queue (HOTLINE_LEGACY_QUEUES)


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[Platform]:
    """A platform of the test's own (its screenshots show its own calls, in any test order),
    with a legacy line's queue beside main, enterprise and dialect."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("HOTLINE_LEGACY_QUEUES", f'["{LEGACY_QUEUE}"]')
        with served_from(tmp_path / "data") as served:
            yield served


@pytest.fixture(autouse=True)
def screen(page: Page) -> Iterator[None]:
    """The browser on the platform's day; an uncaught script error fails the test."""
    page.set_viewport_size({"width": 1440, "height": 1100})
    on_platform_time(page)
    with script_errors_fail(page):
        yield


# -- 1. the call's buttons ---------------------------------------------------------------

def test_the_agents_live_call_has_transfer_provincial_conference_and_hang_up(
    page: Page, platform: Platform,
) -> None:
    add_units(platform)
    log_in(page, platform, seat="PJSIP/8001")
    platform.call_answered("1700001001.1", "13900001000", "PJSIP/8002")  # a colleague's
    page.locator('[data-linkedid="1700001001.1"]').click()
    expect(page.locator("#call-title")).to_have_text("13900001000 · 通话中")
    expect(controls(page)).to_be_hidden()  # not the agent's call to steer

    linkedid = "1700001002.1"
    platform.call_answered(linkedid, "13900001111", "PJSIP/8001")
    expect(page.locator("#call-title")).to_have_text("13900001111 · 通话中")
    expect(controls(page)).to_be_visible()
    platform.say(linkedid, "caller", "我 要 投诉 和平 路 的 路灯 不 亮 好 几 天 了", 1.0)
    expect(page.locator('#conference-unit optgroup[label="推荐单位"] option')).to_have_text(
        ["市城市管理局 · 联系电话 0435-3333333"])  # the suggested unit first
    expect(page.locator('#conference-unit optgroup[label="其他单位"] option')).to_have_text(
        ["市供电公司 · 值班电话 95598", "市水务集团 · 联系电话 0435-6666666"])
    expect(page.locator("#transfer-to option")).to_have_text(
        ["（选择队列，或输入分机号）", "综合队列", "企业专席", "方言专席", f"专线 {LEGACY_QUEUE}"])
    page.locator("#transfer-to").select_option("enterprise")
    page.locator("#conference-unit").select_option("0435-3333333")
    picture(page, "agent-call")

    sent = posts(page, f"/telephony/calls/{linkedid}/")
    error = page.locator("#call-error")
    button(page, "转接").click()
    expect(error).to_contain_text("ami-not-connected，HTTP 503")  # passed the checks
    page.locator("#transfer-ext").fill("9999")
    button(page, "转接").click()
    expect(error).to_contain_text("unknown-extension，HTTP 422")  # no seat of this PBX
    page.locator("#transfer-ext").fill("8002")
    button(page, "转接").click()
    expect(error).to_contain_text("ami-not-connected，HTTP 503")
    button(page, "转省级").click()
    expect(error).to_contain_text("ami-not-connected，HTTP 503")
    page.locator("#conference-number").fill("00900555123")
    button(page, "三方通话").click()
    expect(error).to_contain_text("dial-target-not-allowed，HTTP 403")  # nobody registered it
    picture(page, "agent-conference-refused")
    page.locator("#conference-number").fill("")
    button(page, "三方通话").click()
    expect(error).to_contain_text("ami-not-connected，HTTP 503")
    button(page, "挂断").click()
    expect(error).to_contain_text("ami-not-connected，HTTP 503")
    assert [(r.url.rsplit("/", 1)[1], r.post_data_json) for r in sent] == [
        ("transfer", {"to": "enterprise"}), ("transfer", {"to": "9999"}),
        ("transfer", {"to": "8002"}), ("transfer-provincial", None),
        ("conference", {"unit_number": "00900555123"}),
        ("conference", {"unit_number": "0435-3333333"}), ("hang-up", None)]

    platform.call_ends(linkedid, "13900001111", "PJSIP/8001")
    expect(page.locator("#call-title")).to_have_text("13900001111 · 已结束")
    expect(controls(page)).to_be_hidden()  # nothing left to steer


# -- 2. 签入 to the queues the agent serves ----------------------------------------------

def test_the_agent_chooses_the_queues_to_serve_and_the_seat_shows_those_it_is_in(
    page: Page, platform: Platform,
) -> None:
    seat = "PJSIP/8002"
    log_in(page, platform, seat=seat)
    choices = page.locator("#queue-choices label")
    expect(choices).to_have_text(["综合队列", "企业专席", "方言专席", f"专线 {LEGACY_QUEUE}"])
    boxes = page.locator("#queue-choices input")
    expect(boxes.nth(0)).to_be_checked()  # the main queue, until the agent chooses
    page.get_by_label("企业专席").check()
    page.get_by_label(f"专线 {LEGACY_QUEUE}").check()
    page.reload()  # the choice is remembered in this browser
    expect(page.locator("#link-status")).to_have_text("实时连接：已连接")
    expect(boxes).to_have_count(4)
    assert [boxes.nth(i).is_checked() for i in range(4)] == [True, True, False, True]

    sent = posts(page, "/telephony/agents/")
    button(page, "签入").click()
    expect(page.locator("#seat-error")).to_contain_text(
        f"专线 {LEGACY_QUEUE}：the AMI link is not connected")
    expect(page.locator("#seat-error")).to_contain_text("综合队列：")
    assert [(r.url.rsplit("/", 1)[1], r.post_data_json) for r in sent] == [
        ("login", {"interface": seat, "queue": q}) for q in ("main", "enterprise", LEGACY_QUEUE)]

    joins(platform, seat, "main")  # the line tells what Asterisk did
    joins(platform, seat, "enterprise")
    expect(page.locator("#seat-state")).to_have_text("空闲")
    expect(page.locator("#seat-in")).to_have_text("综合队列、企业专席")
    expect(page.locator("#queue-choices .joined")).to_have_text(
        ["（已签入）", "（已签入）", "", ""])
    picture(page, "agent-queues")
    sent.clear()
    button(page, "签入").click()  # only the chosen queue it is not in yet
    expect(page.locator("#seat-error")).to_contain_text(f"专线 {LEGACY_QUEUE}：")
    button(page, "签出").click()  # every queue it is in
    expect(page.locator("#seat-error")).to_contain_text("企业专席：")
    assert [(r.url.rsplit("/", 1)[1], r.post_data_json["queue"]) for r in sent] == [
        ("login", LEGACY_QUEUE), ("logout", "main"), ("logout", "enterprise")]


# -- 3. the caller's name, the full content, the callback number's source ----------------

def test_the_form_has_the_callers_name_and_content_and_says_where_the_number_came_from(
    page: Page, platform: Platform,
) -> None:
    linkedid = "1700001301.1"
    log_in(page, platform, seat="PJSIP/8003")
    platform.call_answered(linkedid, "13900003333", "PJSIP/8003")
    expect(page.locator("#f-phone")).to_have_value("13900003333")  # before a word is said
    expect(page.locator("#phone-source")).to_have_text("来电号码")
    platform.say(linkedid, "agent", "您好 请 讲", 0.0)
    platform.say(linkedid, "caller", "我 要 投诉 和平 路 的 路灯 不 亮 好 几 天 了", 1.0)
    expect(page.locator("#f-phone")).to_have_value("13900003333")  # the caller ID
    expect(page.locator("#phone-source")).to_have_text("来电号码")
    expect(page.locator("#f-content")).to_have_value(
        "坐席：您好请讲\n市民：我要投诉和平路的路灯不亮好几天了")  # readable, not the raw words

    platform.say(linkedid, "caller", "电话 是 一 三 八 零 零 一 三 八 零 零 零", 5.0)
    expect(page.locator("#f-phone")).to_have_value("13800138000")
    expect(page.locator("#phone-source")).to_have_text("市民口述")
    expect(page.locator("#f-content")).to_have_value(  # the caller's turn goes on
        "坐席：您好请讲\n市民：我要投诉和平路的路灯不亮好几天了电话是13800138000")
    page.locator("#f-name").fill("王先生")
    page.locator("#f-content").fill("市民反映和平路路灯不亮已有数日，夜间出行不便。")
    expect(field(page, "content").locator(".confidence")).to_have_text("已人工修改")
    platform.say(linkedid, "caller", "好 的 谢谢", 8.0)
    expect(page.locator("#transcript .turn.caller .text").last).to_have_text(
        re.compile("好的谢谢$"))  # the next draft came
    expect(page.locator("#f-content")).to_have_value("市民反映和平路路灯不亮已有数日，夜间出行不便。")
    expect(page.locator("#f-name")).to_have_value("王先生")

    button(page, "登记工单").click()
    expect(page.locator("#ticket-result")).to_contain_text("（已受理）")
    ticket = registered(page, platform)
    assert ticket["requester"] == {"name": "王先生", "phone": "13800138000", "address": None}
    assert ticket["content"] == "市民反映和平路路灯不亮已有数日，夜间出行不便。"


# -- 4. after 登记: the ticket's number, state, deadline, and the ticket itself ------------

def test_after_registering_the_desk_shows_the_tickets_deadline_and_opens_the_ticket(
    page: Page, platform: Platform,
) -> None:
    units = add_units(platform)
    add_user(platform, "reviewer1", "reviewer")
    linkedid = "1700001401.1"
    log_in(page, platform, seat="PJSIP/8004")
    platform.call_answered(linkedid, "13900004444", "PJSIP/8004")
    platform.say(linkedid, "agent", "您好 请 讲", 0.0)
    platform.say(linkedid, "caller", "我 要 投诉 和平 路 的 路灯 不 亮 好 几 天 了", 1.0)
    expect(page.locator("#f-address")).to_have_value("和平路")
    page.locator("#f-name").fill("李女士")
    button(page, "登记工单").click()
    expect(page.locator("#ticket-result")).to_contain_text("（已受理）")
    ticket = registered(page, platform)
    assert ticket["content"] == "坐席：您好请讲\n市民：我要投诉和平路的路灯不亮好几天了"
    deadlines = ticket["deadlines"]
    assert deadlines["review_due"] and deadlines["handle_due"] is None  # not dispatched yet
    mark = "（暂定：该年节假日尚未导入）" if deadlines["provisional"] else ""
    expect(page.locator("#ticket-due")).to_have_text(
        f"审核派单期限 {beijing(deadlines['review_due'])}{mark}（办理期限派单后起算）")
    expect(button(page, "登记工单")).to_be_disabled()

    button(page, "查看工单").click()
    dialog = page.locator("#ticket-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("h2").nth(1)).to_contain_text(f"工单 {ticket['number']}")
    expect(dialog).to_contain_text("李女士 · 13900004444")
    expect(dialog.locator(".history li")).to_have_count(2)
    expect(dialog.locator(".history li strong")).to_have_text(["登记", "受理"])
    picture(page, "agent-ticket")
    button(page, "关闭").click()
    expect(dialog).to_be_hidden()

    # The reviewer dispatches it; the ticket opened again is the ticket as it stands now.
    done = platform.api("POST", f"/tickets/{ticket['number']}/dispatch", "reviewer1",
                        json={"version": ticket["version"], "lead_unit_id": units["lights"]})
    assert done.status_code == 200, done.text
    due = done.json()["deadlines"]["handle_due"]
    button(page, "查看工单").click()
    expect(dialog).to_contain_text("已派单")
    expect(dialog).to_contain_text(f"办理期限{beijing(due)}")
    expect(dialog).to_contain_text("市城市管理局（主办）")


# -- 5. ended calls can be dismissed ----------------------------------------------------

def test_an_ended_call_is_kept_until_its_ticket_or_its_dismissal(
    page: Page, platform: Platform,
) -> None:
    first, second = "1700001501.1", "1700001502.1"
    log_in(page, platform, seat="PJSIP/8005")
    platform.call_answered(first, "13900005551", "PJSIP/8005")
    platform.say(first, "caller", "我 想 咨询 一下 社保 怎么 交", 1.0)
    expect(page.locator("#draft-state")).to_have_text("草稿随通话实时更新")
    platform.call_ends(first, "13900005551", "PJSIP/8005")  # no ticket needed after all
    platform.call_answered(second, "13900005552", "PJSIP/8005")
    expect(page.locator("#call-title")).to_have_text("13900005552 · 通话中")
    dismiss_first = page.get_by_role("button", name="移除通话 13900005551")
    expect(dismiss_first).to_be_visible()  # kept: its ticket is not registered
    expect(page.get_by_role("button", name="移除通话 13900005552")).to_have_count(0)  # live
    picture(page, "agent-calls")
    dismiss_first.click()
    expect(page.locator(f'[data-linkedid="{first}"]')).to_have_count(0)
    expect(page.locator("#call-title")).to_have_text("13900005552 · 通话中")  # still picked

    platform.call_ends(second, "13900005552", "PJSIP/8005")
    expect(page.locator("#call-title")).to_have_text("13900005552 · 已结束")
    page.get_by_role("button", name="移除通话 13900005552").click()  # the picked one
    expect(page.locator("#calls li")).to_have_count(0)
    expect(page.locator("#no-calls")).to_be_visible()
    expect(page.locator("#call-title")).to_have_text("（未选择通话）")
    expect(page.locator("#f-content")).to_have_value("")


# -- 6. an emergency keyed in the IVR prefills the form ----------------------------------

def test_an_emergency_keyed_in_the_ivr_prefills_the_kind_and_the_urgency(
    page: Page, platform: Platform,
) -> None:
    listed = platform.api("POST", "/linkage/targets", json={
        "kind": "119", "label": "消防救援支队", "target": "119", "numbers": ["119"]})
    assert listed.status_code == 201, listed.text
    linkedid = "1700001601.1"
    log_in(page, platform, seat="PJSIP/8006")
    ivr_emergency_answered(platform, linkedid, "13900006666", "PJSIP/8006", "119")
    expect(page.locator("#emergency-title")).to_have_text("紧急情况：119 火警（消防救援支队）")
    expect(page.locator("#f-emergency")).to_have_value("119")
    expect(page.locator("#f-urgency")).to_have_value("非常紧急")
    expect(field(page, "urgency").locator(".confidence")).to_have_text("语音导航按键")
    platform.say(linkedid, "caller", "喂 你好 我 在 和平 路 十 号", 1.0)  # a draft of its own
    expect(page.locator("#f-address")).to_have_value(re.compile("和平路"))
    expect(page.locator("#f-urgency")).to_have_value("非常紧急")  # the key outranks the draft
    expect(page.locator("#f-emergency")).to_have_value("119")
    picture(page, "agent-ivr-emergency")

    # What the agent set stays: a key arriving after the agent edited the urgency.
    other = "1700001602.1"
    platform.call_ends(linkedid, "13900006666", "PJSIP/8006")
    platform.call_answered(other, "13900006667", "PJSIP/8006")
    expect(page.locator("#call-title")).to_have_text("13900006667 · 通话中")
    page.locator("#f-urgency").select_option("紧急")
    keyed(platform, other, "13900006667", "120")
    expect(page.locator("#f-emergency")).to_have_value("120")
    expect(page.locator("#f-urgency")).to_have_value("紧急")
