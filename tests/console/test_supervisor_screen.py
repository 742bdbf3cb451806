"""The supervisor's screen (班长席) in Chromium, on the served platform.

The line moves as the AMI link would move it (typed events into the app's controller, on a
clock the test sets); the day's calls before the screen opened are stored as the controller
stores them. Tickets reach supervision through the API as agents, reviewers and units make
them. The browser's clock is the platform's day (durations and waits tick from it).
"""

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from telephony.ami.events import (
    AgentComplete,
    AgentConnect,
    Channel,
    Hangup,
    Newchannel,
    QueueCallerJoin,
    QueueMemberAdded,
    QueueMemberPause,
)
from telephony.callbacks.service import offer_callbacks
from telephony.calls.machine import Call, CallEvent
from telephony.calls.records import save_ended
from tests.console.desks import (
    PASSWORD,
    SCREENSHOTS,
    START,
    Staff,
    add_staff,
    add_user,
    another_page,
    create,
    script_errors_fail,
    served_from,
    set_due,
    step,
)
from tests.console.served import Platform

BROWSER_AT = START + timedelta(minutes=10)  # 08:40 on Monday 2 March 2026, Beijing time
SEAT = "8005"


class Clock:
    """The controller's clock, moved by the test: the line's times are the same every run."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[Platform]:
    """A platform of the test's own whose controller runs on the test's clock."""
    with served_from(tmp_path / "data") as served:
        clock = Clock(BROWSER_AT)
        served.controller.clock = clock
        served.controller.line.clock = clock
        add_user(served, "supervisor1", "supervisor")
        bound = served.api("PUT", f"/telephony/seats/{SEAT}", json={"username": "supervisor1"})
        assert bound.status_code == 200, bound.text
        yield served


@pytest.fixture(autouse=True)
def screen(page: Page) -> Iterator[None]:
    page.clock.set_fixed_time(BROWSER_AT)
    with script_errors_fail(page):
        yield


def clock_of(platform: Platform) -> Clock:
    clock = platform.controller.line.clock
    assert isinstance(clock, Clock)
    return clock


def open_screen(page: Page, username: str = "supervisor1") -> None:
    page.goto("/console")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/console/supervisor$"))
    expect(page.locator("#link-status")).to_have_text("实时连接：已连接")


def section_shot(page: Page, section: str, name: str) -> None:
    """One section of the screen, for the README (docs/screenshots/supervisor-<what>.png)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.mouse.move(0, 0)
    page.locator(f"#{section}").screenshot(path=SCREENSHOTS / f"supervisor-{name}.png",
                                           animations="disabled", caret="hide")


# -- the line, as the AMI link would deliver it ---------------------------------------------

def leg(name: str, uniqueid: str, linkedid: str, caller: str) -> Channel:
    return Channel(name, uniqueid, linkedid, 6, caller, "", "", "", "hotline-inbound", "12345",
                   MappingProxyType({}))


def member(event: type[Any], seat: str, queue: str, *, paused: bool = False,
           reason: str = "") -> Any:
    return event(queue=queue, member_name=seat, interface=seat, state_interface=seat,
                 membership="dynamic", penalty=0, calls_taken=0, in_call=False, status=1,
                 paused=paused, paused_reason=reason)


class Line:
    """Calls and seats on the platform's controller, at the test's times."""

    def __init__(self, platform: Platform) -> None:
        self.platform, self.clock = platform, clock_of(platform)

    def at(self, seconds: float) -> "Line":
        """The line's clock ``seconds`` after the browser's first moment (the same timeline:
        the agents' since and the calls' queue times come from the line)."""
        self.clock.at = BROWSER_AT + timedelta(seconds=seconds)
        return self

    def logs_in(self, seat: str, *queues: str) -> None:
        self.platform.events(*(member(QueueMemberAdded, seat, q) for q in queues))

    def pauses(self, seat: str, reason: str) -> None:
        self.platform.events(member(QueueMemberPause, seat, "main", paused=True, reason=reason))

    def queued(self, linkedid: str, caller: str, queue: str = "main") -> None:
        ours = leg("PJSIP/carrier-0001", linkedid, linkedid, caller)
        self.platform.events(Newchannel(ours), QueueCallerJoin(ours, queue, 1, 1))

    def answered(self, linkedid: str, caller: str, seat: str, queue: str = "main") -> None:
        ours = leg("PJSIP/carrier-0001", linkedid, linkedid, caller)
        theirs = leg(f"{seat}-0002", f"{linkedid}1", linkedid, seat.split("/")[-1])
        self.platform.events(Newchannel(theirs),
                             AgentConnect(ours, theirs, queue, seat, seat, 3, 2))

    def ends(self, linkedid: str, caller: str, seat: str, queue: str = "main") -> None:
        ours = leg("PJSIP/carrier-0001", linkedid, linkedid, caller)
        theirs = leg(f"{seat}-0002", f"{linkedid}1", linkedid, seat.split("/")[-1])
        self.platform.events(AgentComplete(ours, theirs, queue, seat, seat, 3, 60, "caller"),
                             Hangup(theirs, 16, "Normal Clearing"),
                             Hangup(ours, 16, "Normal Clearing"))


def earlier_call(linkedid: str, minute: int, *, wait: float | None, caller: str = "13800001111",
                 callback_id: int | None = None, ivr_result: str | None = None) -> Call:
    """A call of this morning, ended: through the IVR, queued (unless served there)."""
    began = START - timedelta(minutes=40 - minute)
    call = Call(linkedid, caller, "", "12345", began, queue=None)
    call.callback_id, call.ivr_result = callback_id, ivr_result
    call.apply(CallEvent.ENTER_IVR, began)
    at = began + timedelta(seconds=20)
    if ivr_result != "followed":
        call.queue = "main"
        call.apply(CallEvent.QUEUE, at)
        if wait is not None:
            at += timedelta(seconds=wait)
            call.agent = "PJSIP/8001"
            call.apply(CallEvent.CONNECT, at)
    call.apply(CallEvent.END, at + timedelta(seconds=90))
    return call


def store(platform: Platform, *calls: Call) -> None:
    """As the controller stores ended calls, and offers callbacks for the abandoned ones."""
    async def run() -> None:
        async with platform.app.state.runtime.sessionmaker() as session:
            for call in calls:
                await save_ended(session, call)
            await offer_callbacks(session, calls)

    platform.run(run())


def this_morning(platform: Platform) -> None:
    """4 callers asked for an agent: 2 answered within 15 s, 1 after 40 s, 1 hung up (owed a
    callback); 1 followed a ticket in the IVR; 1 callback leg reached an agent."""
    store(platform, earlier_call("m.1", 0, wait=5), earlier_call("m.2", 3, wait=8),
          earlier_call("m.3", 6, wait=40), earlier_call("m.4", 9, wait=None, caller="13912340000"),
          earlier_call("m.5", 12, wait=None, ivr_result="followed"),
          earlier_call("m.6", 15, wait=4, caller="13512345678", callback_id=1))


def card(page: Page, name: str) -> Locator:
    return page.locator("#rates .card").filter(has_text=name)


def queue_row(page: Page, queue: str) -> Locator:
    return page.locator(f'#queues-body tr[data-queue="{queue}"] td')


# -- the wallboard ------------------------------------------------------------------------------

def test_the_wallboard_shows_queues_agents_and_the_days_figures_against_gbt_33358(
    page: Page, platform: Platform,
) -> None:
    this_morning(platform)
    line = Line(platform)
    open_screen(page)
    # 4 offered: the IVR's self-service and the callback leg are not inbound calls to agents
    expect(card(page, "今日人工呼入").locator(".card-value")).to_have_text("4")
    expect(card(page, "15秒接通率").locator(".card-value")).to_have_text("50.0%")
    expect(card(page, "24小时接通率").locator(".card-value")).to_have_text("75.0%")
    expect(card(page, "24小时接通率")).to_have_class(re.compile(r"\bbad\b"))
    expect(card(page, "放弃呼叫").locator(".card-value")).to_have_text("1")
    expect(card(page, "自助服务").locator(".card-value")).to_have_text("1")
    expect(card(page, "待回拨").locator(".card-value")).to_have_text("1")
    expect(page.locator("#callbacks-body tr")).to_have_count(1)
    expect(page.locator("#callbacks-body td").first).to_have_text("13912340000")
    expect(queue_row(page, "main").first).to_have_text("综合队列")
    expect(page.locator("#queues-body tr")).to_have_count(3)  # main, enterprise, dialect

    line.at(0).logs_in("PJSIP/8001", "main")
    line.logs_in("PJSIP/8002", "main", "enterprise")
    line.logs_in("PJSIP/8003", "main")
    line.logs_in("PJSIP/8004", "enterprise")
    line.pauses("PJSIP/8003", "培训")
    expect(page.locator("#agents-body tr")).to_have_count(4)
    line.at(10).queued("1772412300.1", "13900001111")
    line.at(14).answered("1772412300.1", "13900001111", "PJSIP/8002")
    expect(page.locator('#calls-body tr[data-linkedid="1772412300.1"]')).to_contain_text("通话中")
    page.clock.set_fixed_time(BROWSER_AT + timedelta(seconds=60))
    line.at(60).queued("1772412400.1", "13700002222")
    expect(queue_row(page, "main").nth(1)).to_have_text("1")
    page.clock.set_fixed_time(BROWSER_AT + timedelta(seconds=100))
    line.at(100).queued("1772412500.1", "13600003333", "enterprise")
    expect(queue_row(page, "enterprise").nth(1)).to_have_text("1")
    page.clock.set_fixed_time(BROWSER_AT + timedelta(seconds=125))

    main = queue_row(page, "main")
    expect(main.nth(2)).to_have_text("1分05秒")  # the longest wait, ticking
    expect(main).to_have_text(["综合队列", "1", "1分05秒", "3", "1", "1", "1", "4", "75.0%"])
    expect(queue_row(page, "enterprise")).to_have_text(
        ["企业专席", "1", "25秒", "2", "1", "1", "0", "0", "—"])
    paused = page.locator('#agents-body tr[data-agent="PJSIP/8003"] td')
    expect(paused).to_have_text(["PJSIP/8003", "示忙", "培训", "2分05秒", "综合队列"])
    expect(page.locator('#agents-body tr[data-agent="PJSIP/8002"] td').nth(4)).to_have_text(
        "综合队列、企业专席")
    section_shot(page, "wallboard", "wallboard")

    page.clock.set_fixed_time(BROWSER_AT + timedelta(seconds=128))
    expect(main.nth(2)).to_have_text("1分08秒")  # each second, without a new event

    # A call ends: the figures are fetched again (answered within 15 s of queuing)
    line.at(200).ends("1772412300.1", "13900001111", "PJSIP/8002")
    expect(card(page, "今日人工呼入").locator(".card-value")).to_have_text("5")
    expect(card(page, "15秒接通率").locator(".card-value")).to_have_text("60.0%")
    expect(card(page, "24小时接通率").locator(".card-value")).to_have_text("80.0%")
    store(platform, *(earlier_call(f"n.{i}", 16 + i, wait=3) for i in range(16)))
    line.at(210).answered("1772412400.1", "13700002222", "PJSIP/8001")
    line.at(260).ends("1772412400.1", "13700002222", "PJSIP/8001")
    expect(card(page, "24小时接通率").locator(".card-value")).to_have_text("95.5%")  # 21/22
    expect(card(page, "24小时接通率")).to_have_class(re.compile(r"\bgood\b"))
    expect(queue_row(page, "main").nth(7)).to_have_text("22")


def test_listening_to_a_call_rings_the_supervisors_own_seat_and_shows_errors_with_their_id(
    page: Page, browser: Browser, platform: Platform,
) -> None:
    line = Line(platform)
    open_screen(page)
    expect(page.locator("#monitor-seat")).to_contain_text(f"监听分机：{SEAT}")
    line.at(0).logs_in("PJSIP/8001", "main")
    line.queued("1772412600.1", "13900005555")
    row = page.locator('#calls-body tr[data-linkedid="1772412600.1"]')
    expect(row.get_by_role("button", name="监听")).to_be_disabled()  # nobody to listen to yet
    line.at(5).answered("1772412600.1", "13900005555", "PJSIP/8001")
    expect(row.get_by_role("button", name="监听")).to_be_enabled()
    with page.expect_request(re.compile(r"/telephony/calls/1772412600\.1/monitor$")) as sent:
        row.get_by_role("button", name="强插").click()
    assert json.loads(sent.value.post_data or "{}") == {"mode": "barge", "supervisor_phone": SEAT}
    # no Asterisk behind this platform: the API's refusal, shown with its error_id
    expect(page.locator("#monitor-error")).to_have_text(re.compile(r"（[a-z-]+，HTTP \d{3}）"))
    section_shot(page, "wallboard", "monitor")

    add_user(platform, "supervisor2", "supervisor")  # no seat bound
    with another_page(browser, platform) as other:
        other.clock.set_fixed_time(BROWSER_AT)
        open_screen(other, "supervisor2")
        expect(other.locator("#monitor-seat")).to_contain_text("未绑定分机")
        other_row = other.locator('#calls-body tr[data-linkedid="1772412600.1"]')
        for mode in ("监听", "耳语", "强插"):
            expect(other_row.get_by_role("button", name=mode)).to_be_disabled()


# -- supervision -------------------------------------------------------------------------------

def dispatched(platform: Platform, staff: Staff, summary: str, unit: str) -> str:
    number: str = create(platform, summary=summary)["number"]
    step(platform, number, "dispatch", "reviewer1", lead_unit_id=staff.units[unit])
    return number


def test_overdue_and_due_soon_tickets_are_reminded_supervised_and_resolved(
    page: Page, platform: Platform,
) -> None:
    staff = add_staff(platform)
    late = dispatched(platform, staff, "和平路路灯不亮一周无人处理", "lights")
    soon = dispatched(platform, staff, "东昌区停水未通知", "water")
    set_due(platform, late, START - timedelta(days=2))
    set_due(platform, soon, START + timedelta(days=1))
    open_screen(page)
    overdue = page.locator(f'#list-overdue [data-number="{late}"]')
    expect(overdue).to_contain_text("市城市管理局")
    expect(page.locator("#count-overdue")).to_have_text("（1）")
    expect(page.locator(f'#list-due-soon [data-number="{soon}"]')).to_contain_text("市水务集团")

    overdue.click()
    expect(page.locator("#case-title")).to_have_text(f"工单 {late} 的催办与督办")
    page.get_by_label("催办方式").select_option("phone")
    page.get_by_label("联系人").fill("王科长")
    page.get_by_label("催办内容").fill("请今日内答复")
    page.get_by_role("button", name="催办", exact=True).click()
    expect(page.locator("#case-result")).to_have_text(f"工单 {late}：催办已记录")
    expect(page.locator("#case-reminders li")).to_contain_text(["电话催办（王科长）：请今日内答复"])
    expect(overdue).to_contain_text("电话催办 1 次")

    page.get_by_label("督办原因").select_option("overdue")
    page.get_by_label("督办方式").select_option("phone")
    page.get_by_label("督办意见").fill("超期两日，请单位负责人说明")
    page.get_by_role("button", name="督办", exact=True).click()
    expect(page.locator("#case-result")).to_have_text(f"工单 {late}：督办已记录")
    expect(overdue).to_contain_text("督办中")
    case = page.locator("#case-supervisions li.open")
    expect(case).to_contain_text("电话督办，原因：超期未办结；超期两日，请单位负责人说明")
    section_shot(page, "supervision", "supervision")

    case.get_by_label("办结意见").fill("单位已答复并说明原因")
    case.get_by_role("button", name="督办办结").click()
    expect(page.locator("#case-supervisions li.resolved")).to_contain_text(
        "已办结（2026-03-02 08:")
    expect(page.locator("#case-supervisions li.open")).to_have_count(0)
    # a refusal reaches the screen with its error_id (the note is too long for the API)
    page.get_by_label("督办意见").evaluate("(input) => { input.maxLength = 5000; }")
    page.get_by_label("督办意见").fill("长" * 2001)
    page.get_by_role("button", name="督办", exact=True).click()
    expect(page.locator("#case-error")).to_contain_text("invalid-request，HTTP 422")


# -- the monthly bulletin ------------------------------------------------------------------------

def test_the_monthly_bulletin_is_drawn_with_charts_and_its_csv_downloads(
    page: Page, platform: Platform,
) -> None:
    fixed = START + timedelta(minutes=20)
    platform.app.state.runtime.clock = lambda: fixed  # the bulletin says when it was made
    staff = add_staff(platform)
    for summary, unit in (("和平路路灯不亮", "lights"), ("东昌区停水", "water"),
                          ("路灯闪烁", "lights")):
        dispatched(platform, staff, summary, unit)
    create(platform, request_type="咨询", category="民生保障", summary="社保卡补办流程",
           district="东昌区")
    late = dispatched(platform, staff, "供电线路老化", "power")
    set_due(platform, late, START - timedelta(days=3))
    open_screen(page)
    expect(page.locator("#bulletin-month")).to_have_value("2026-03")
    expect(page.locator("#bulletin-title")).to_have_text("2026年3月 12345热线月通报（tonghua）")
    figures = page.locator("#bulletin-figures .card")
    expect(figures.filter(has_text="受理总量").locator(".card-value")).to_have_text("5")
    expect(figures.filter(has_text="逾期未办结").locator(".card-value")).to_have_text("1")
    charts = page.locator("#bulletin-charts figure")
    expect(charts.locator("figcaption")).to_have_text(
        ["诉求类型", "诉求分类", "所属区域", "承办单位按时答复率"])
    types = charts.first.locator("svg g.bar")
    expect(types).to_have_count(2)
    expect(types.first.locator("text.label")).to_have_text("投诉")
    expect(types.first.locator("text.value")).to_have_text("4")
    expect(page.locator("#bulletin-units tr")).to_have_count(4)  # a head and three units
    expect(page.locator("#bulletin-overdue li")).to_contain_text([re.compile(late)])
    section_shot(page, "bulletin", "bulletin")

    with page.expect_download() as got:
        page.get_by_role("button", name="下载 CSV").click()
    assert got.value.suggested_filename == "bulletin-2026-03.csv"
    text = Path(got.value.path()).read_text(encoding="utf-8")
    assert text.startswith("\ufeff12345热线月通报,2026年3月,tonghua")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert ["受理总量", "5"] in rows
    expect(page.locator("#bulletin-result")).to_have_text(
        "已下载 bulletin-2026-03.csv（UTF-8，Excel 可直接打开）")

    page.get_by_label("月份").fill("2026-02")
    page.get_by_role("button", name="查看").click()
    expect(page.locator("#bulletin-title")).to_have_text("2026年2月 12345热线月通报（tonghua）")
    expect(figures.filter(has_text="受理总量").locator(".card-value")).to_have_text("0")
