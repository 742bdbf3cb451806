"""The agent's screen in Chromium, on the platform as ``hotline serve`` runs it.

Calls reach the real call controller as typed AMI events, speech reaches the real ASR hub as
recognised segments; from there the platform's own live drafting, linkage and WebSocket do
the rest. There is no Asterisk behind this platform: commands that need it are refused by the
API, and the screen says so.
"""

import re
from typing import Any

from playwright.sync_api import Page, WebSocketRoute, expect

from tests.console.screen import field, log_in
from tests.console.served import AGENT_PASSWORD, Platform

LOW = re.compile(r"\blow\b")
LOW_CONFIDENCE = 0.7  # below this the screen asks the agent to check a field
FIELDS = ("request_type", "category", "urgency", "emergency", "enterprise", "confidential",
          "phone", "address", "not_accepted", "summary")


def test_a_wrong_password_shows_the_apis_message_and_the_right_one_opens_the_desk(
    page: Page,
) -> None:
    page.goto("/console")
    page.get_by_label("用户名").fill("agent1")
    page.get_by_label("密码").fill("not-the-password")
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#login-error")).to_have_text(
        "wrong username or password（bad-credentials，HTTP 401）")
    page.get_by_label("密码").fill(AGENT_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#who")).to_have_text("agent1（坐席）")
    expect(page.locator("#link-status")).to_have_text("实时连接：已连接")
    page.reload()  # the login lasts as long as the tab (sessionStorage)
    expect(page.locator("#who")).to_have_text("agent1（坐席）")
    page.get_by_role("button", name="退出登录").click()
    expect(page.locator("#login-form")).to_be_visible()
    expect(page.locator("#desk")).to_be_hidden()
    assert page.evaluate("sessionStorage.getItem('hotline.token')") is None


def test_the_agents_own_state_follows_the_line_and_a_refused_pause_says_why(
    page: Page, platform: Platform,
) -> None:
    log_in(page, platform, seat="PJSIP/8011")
    expect(page.locator("#seat-state")).to_have_text("未签入")
    platform.seat_logs_in("PJSIP/8011")
    expect(page.locator("#seat-state")).to_have_text("空闲")
    expect(page.get_by_role("button", name="示闲")).to_be_disabled()
    page.get_by_role("button", name="示忙").click()  # no Asterisk to ask
    expect(page.locator("#seat-error")).to_contain_text("ami-not-connected，HTTP 503")
    platform.seat_pauses("PJSIP/8011", "午餐")  # paused from the softphone (*30)
    expect(page.locator("#seat-state")).to_have_text("示忙")
    expect(page.locator("#seat-reason")).to_have_text("（午餐）")
    expect(page.get_by_role("button", name="示闲")).to_be_enabled()


def test_the_draft_fills_the_form_as_the_caller_speaks_keeps_edits_and_becomes_a_ticket(
    page: Page, platform: Platform,
) -> None:
    unit = platform.api("POST", "/units", json={
        "code": "lights", "name": "市城市管理局", "duties": "路灯 市政设施",
        "territory": ["和平路"]})
    assert unit.status_code == 201, unit.text
    linkedid = "1700000201.1"
    log_in(page, platform, seat="PJSIP/8021")
    platform.call_answered(linkedid, "13900001111", "PJSIP/8021")
    expect(page.locator("#call-title")).to_have_text("13900001111 · 通话中")  # picked for them
    platform.say(linkedid, "caller", "我 要 投诉", 1.0, final=False)
    expect(page.locator("#transcript .turn.partial .text")).to_have_text("我要投诉")  # readable

    platform.say(linkedid, "agent", "您好 请 讲", 0.0)
    platform.say(linkedid, "caller", "我 要 投诉 和平 路 的 路灯 不 亮 好 几 天 了", 1.0)
    draft = drafted(platform, linkedid)
    assert draft["address"] == "和平路"
    assert (draft["phone"], draft["phone_source"]) == ("13900001111", "caller_id")
    expect_form_shows(page, draft)
    expect(page.locator("#transcript .turn .speaker")).to_have_text(["坐席", "市民"])
    expect(page.locator("#transcript .turn.caller .text")).to_have_text(
        "我要投诉和平路的路灯不亮好几天了")
    expect(page.locator("#transcript .partial")).to_have_count(0)
    expect(page.locator("#suggest-units")).to_contain_text("市城市管理局")

    page.locator("#f-summary").fill("和平路路灯不亮已持续数日")
    expect(field(page, "summary").locator(".confidence")).to_have_text("已人工修改")
    platform.say(linkedid, "caller", "电话 是 一 三 八 零 零 一 三 八 零 零 零", 5.0)
    expect(page.locator("#f-phone")).to_have_value("13800138000")  # the next draft came
    expect(page.locator("#transcript .turn.caller .text")).to_have_text(
        "我要投诉和平路的路灯不亮好几天了电话是13800138000")  # numbers read as digits
    expect(page.locator("#f-summary")).to_have_value("和平路路灯不亮已持续数日")

    page.get_by_role("button", name="登记工单").click()
    expect(page.locator("#ticket-result")).to_contain_text("（已受理）")
    number = _ticket_number(page)
    ticket = platform.api("GET", f"/tickets/{number}").json()
    assert (ticket["request_type"], ticket["category"], ticket["urgency"]) == (
        draft["request_type"], draft["category"], draft["urgency"])
    assert (ticket["place"], ticket["summary"]) == ("和平路", "和平路路灯不亮已持续数日")
    assert ticket["requester"]["phone"] == "13800138000"
    assert (ticket["state"], ticket["calls"], ticket["transcript_ref"]) == (
        "accepted", [linkedid], linkedid)
    expect(page.get_by_role("button", name="登记工单")).to_be_disabled()  # once per call


def test_a_screen_opened_after_the_call_began_shows_the_draft_so_far(
    page: Page, platform: Platform,
) -> None:
    linkedid = "1700000301.1"
    platform.call_answered(linkedid, "13700002222", "PJSIP/8031")
    platform.say(linkedid, "caller", "我 想 咨询 一下 灵活 就业 人员 社保 怎么 交", 1.0)
    log_in(page)  # no seat named: the agent picks the call
    page.locator(f'[data-linkedid="{linkedid}"]').click()
    expect(page.locator("#call-title")).to_have_text("13700002222 · 通话中")
    expect_form_shows(page, drafted(platform, linkedid))
    expect(page.locator("#transcript .turn.caller .text")).to_have_text(
        "我想咨询一下灵活就业人员社保怎么交")


def test_an_ended_call_keeps_the_agents_edits_until_its_ticket_is_registered(
    page: Page, platform: Platform,
) -> None:
    first, second = "1700000251.1", "1700000252.1"
    log_in(page, platform, seat="PJSIP/8025")
    platform.call_answered(first, "13900002222", "PJSIP/8025")
    platform.say(first, "caller", "我 要 投诉 和平 路 的 路灯 不 亮", 1.0)
    expect(page.locator("#draft-state")).to_have_text("草稿随通话实时更新")
    page.locator("#f-summary").fill("第一通：路灯不亮")
    platform.call_ends(first, "13900002222", "PJSIP/8025")
    expect(page.locator("#call-title")).to_have_text("13900002222 · 已结束")
    platform.call_answered(second, "13900003333", "PJSIP/8025")  # the next caller
    expect(page.locator("#call-title")).to_have_text("13900003333 · 通话中")
    expect(page.locator("#f-summary")).to_have_value("")
    page.locator(f'[data-linkedid="{first}"]').click()  # back to the first call's ticket
    expect(page.locator("#f-summary")).to_have_value("第一通：路灯不亮")
    page.get_by_role("button", name="登记工单").click()
    expect(page.locator("#ticket-result")).to_contain_text("（已受理）")
    page.locator(f'[data-linkedid="{second}"]').click()
    expect(page.locator(f'[data-linkedid="{first}"]')).to_have_count(0)  # done with it


def test_a_refused_ticket_is_registered_then_refused_with_the_reason_and_errors_are_shown(
    page: Page, platform: Platform,
) -> None:
    linkedid = "1700000351.1"
    log_in(page, platform, seat="PJSIP/8035")
    platform.call_answered(linkedid, "anonymous", "PJSIP/8035")
    platform.say(linkedid, "caller", "我 要 投诉 法院 的 判决 不 公", 1.0)
    expect(page.locator("#draft-state")).to_have_text("草稿随通话实时更新")
    page.locator("#f-phone").fill("not a number")
    page.get_by_role("button", name="登记工单").click()
    expect(page.locator("#form-error")).to_contain_text("invalid-request，HTTP 422")
    expect(page.locator("#form-error")).to_contain_text("requester.phone")
    page.locator("#f-phone").fill("")  # the caller withheld the number, the draft has none
    page.locator("#f-not_accepted").select_option("litigation")
    page.get_by_role("button", name="登记工单").click()
    expect(page.locator("#ticket-result")).to_contain_text("（不予受理）")
    ticket = platform.api("GET", f"/tickets/{_ticket_number(page)}").json()
    assert (ticket["state"], ticket["refusal_reason"]) == ("refused", "litigation")
    assert ticket["requester"]["phone"] is None


def test_an_emergency_in_the_callers_words_raises_the_banner_and_a_refused_confirm_is_shown(
    page: Page, platform: Platform,
) -> None:
    linkedid = "1700000401.1"
    log_in(page, platform, seat="PJSIP/8041")
    platform.call_answered(linkedid, "13600003333", "PJSIP/8041")
    platform.say(linkedid, "caller", "我 家 楼下 着火 了 在 和平 路 十 号", 1.0)
    expect(page.locator("#emergency")).to_be_visible()
    expect(page.locator("#emergency-title")).to_have_text("紧急情况：119 火警")
    expect(page.locator("#emergency-detail")).to_contain_text("应急联动清单中没有“119”")
    with page.expect_request(f"**/linkage/calls/{linkedid}/confirm") as sent:
        page.get_by_role("button", name="确认转接").click()
    assert sent.value.post_data_json == {"kind": "119"}
    expect(page.locator("#emergency-error")).to_contain_text(
        "linkage-target-not-listed，HTTP 409")


def test_a_hand_off_the_agent_raises_is_confirmed_retried_and_called_off(
    page: Page, platform: Platform,
) -> None:
    target = platform.api("POST", "/linkage/targets", json={
        "kind": "gas", "label": "燃气公司", "target": "gas", "numbers": ["96777", "96778"]})
    assert target.status_code == 201, target.text
    linkedid = "1700000501.1"
    log_in(page, platform, seat="PJSIP/8051")
    platform.call_answered(linkedid, "13500004444", "PJSIP/8051")
    expect(page.locator("#call-title")).to_contain_text("13500004444")
    page.locator("#f-emergency").select_option("gas")
    page.get_by_role("button", name="发起联动").click()
    detail = page.locator("#emergency-detail")
    expect(page.locator("#emergency-title")).to_have_text("紧急情况：燃气抢修（燃气公司）")
    expect(detail).to_contain_text("状态：待坐席确认")
    page.get_by_role("button", name="确认转接").click()
    # No Asterisk: the line cannot be called into the room, so it did not answer.
    expect(detail).to_contain_text("状态：未接通；当前号码 96777")
    page.get_by_role("button", name="拨打下一个号码").click()
    expect(detail).to_contain_text("状态：未接通；当前号码 96778")
    page.get_by_role("button", name="误报取消").click()
    expect(detail).to_contain_text("状态：已取消（误报）")
    expect(page.locator("#emergency")).to_have_class(re.compile(r"\bfinished\b"))
    expect(page.get_by_role("button", name="确认转接")).to_be_disabled()
    expect(page.locator("#emergency-error")).to_have_text("")


def test_the_screen_reconnects_after_the_live_link_drops_and_drafts_arrive_again(
    page: Page, platform: Platform,
) -> None:
    links: list[Any] = []

    def through(route: WebSocketRoute) -> None:  # the real server behind each connection
        links.append(route.connect_to_server())

    page.route_web_socket(re.compile(r"/telephony/events"), through)
    linkedid = "1700000601.1"
    log_in(page, platform, seat="PJSIP/8061")
    platform.call_answered(linkedid, "13400005555", "PJSIP/8061")
    expect(page.locator("#call-title")).to_contain_text("13400005555")
    links[-1].close()  # the server's side goes away
    expect(page.locator("#link-status")).to_contain_text("已断开")
    expect(page.locator("#link-status")).to_have_text("实时连接：已连接")
    assert len(links) == 2
    platform.say(linkedid, "caller", "我 要 投诉 和平 路 的 噪音 扰民", 1.0)
    expect_form_shows(page, drafted(platform, linkedid))
    expect(page.locator("#call-title")).to_contain_text("13400005555")


def drafted(platform: Platform, linkedid: str) -> dict[str, Any]:
    """The drafting's own answer for the call's stored transcript (the screen shows it)."""
    response = platform.api("GET", f"/calls/{linkedid}/draft", who="agent1")
    assert response.status_code == 200, response.text
    draft: dict[str, Any] = response.json()["draft"]
    return draft


def expect_form_shows(page: Page, draft: dict[str, Any]) -> None:
    """Every field holds the draft's value and its confidence; unsure ones are highlighted."""
    for name in FIELDS:
        value, box = draft[name], field(page, name)
        if isinstance(value, bool):
            expect(box.locator("input")).to_be_checked(checked=value)
        else:
            expect(page.locator(f"#f-{name}")).to_have_value(value or "")
        confidence = draft["confidence"][name]
        expect(box.locator(".confidence")).to_have_text(f"置信度 {round(confidence * 100)}%")
        if confidence < LOW_CONFIDENCE:
            expect(box).to_have_class(LOW)
        else:
            expect(box).not_to_have_class(LOW)


def _ticket_number(page: Page) -> str:
    text = page.locator("#ticket-result").text_content() or ""
    found = re.search(r"已登记工单 (\d+)", text)
    assert found, text
    return found.group(1)


def test_an_agent_without_a_bound_seat_is_told_to_ask_and_cannot_log_a_seat_in(
    page: Page, platform: Platform,
) -> None:
    made = platform.api("POST", "/users", json={"username": "seatless", "role": "agent",
                                                 "password": AGENT_PASSWORD})
    assert made.status_code == 201, made.text
    log_in(page, username="seatless")
    expect(page.locator("#seat-interface")).to_contain_text("未绑定")
    expect(page.get_by_role("button", name="签入")).to_be_disabled()
