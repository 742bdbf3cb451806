"""The reviewer's and the unit's screens in the tests' words: staff, tickets, screenshots."""

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Locator, Page, expect
from sqlalchemy import select

from kernel.clock import BEIJING
from tests.console.served import Platform
from tickets.workflow.models import Ticket

PASSWORD = "staff-password-1"
# Where the platform's business clock starts: a Monday morning before the revisit windows
# open, so deadlines, ticket numbers and the screenshots' times are the same in every run.
START = datetime(2026, 3, 2, 8, 30, tzinfo=BEIJING)
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
COMPLAINT = {
    "channel": "phone", "media": "voice", "request_type": "投诉", "category": "城乡建设",
    "urgency": "一般", "district": "和平区", "place": "和平路12号",
    "requester": {"name": "张三", "phone": "13812345678"},
    "content": "和平路12号门前路灯不亮已有一周，晚上出行不安全。", "summary": "和平路路灯不亮",
    "accept": True,
}


@contextmanager
def served_from(data_dir: Path, start: datetime = START) -> Iterator[Platform]:
    """A platform of a test's own whose clock starts at ``start`` and runs on from there."""
    platform = Platform(data_dir)
    platform.start()
    began = time.monotonic()
    platform.app.state.runtime.clock = lambda: start + timedelta(seconds=time.monotonic() - began)
    try:
        yield platform
    finally:
        platform.stop()


def on_platform_time(page: Page, at: datetime = START) -> None:
    """The browser's clock shows the platform's day (its overdue marks compare with it)."""
    page.clock.set_fixed_time(at)


@dataclass(frozen=True)
class Staff:
    """The units and the people of a module's platform."""

    units: dict[str, int]  # code -> id


def add_staff(platform: Platform) -> Staff:
    """Three units, a reviewer and a handler for each unit (``<code>-handler``)."""
    units = {}
    for code, name, duties, territory in (
        ("lights", "市城市管理局", "路灯 市政设施 道路", ["和平路"]),
        ("power", "市供电公司", "供电 电力 路灯", []),
        ("water", "市水务集团", "供水 停水 自来水", ["东昌区"]),
    ):
        made = platform.api("POST", "/units", json={"code": code, "name": name,
                                                     "duties": duties, "territory": territory})
        assert made.status_code == 201, made.text
        units[code] = made.json()["id"]
    add_user(platform, "reviewer1", "reviewer")
    for code, unit_id in units.items():
        add_user(platform, f"{code}-handler", "unit_handler", unit_id)
    return Staff(units)


def add_user(platform: Platform, username: str, role: str, unit_id: int | None = None) -> None:
    made = platform.api("POST", "/users", json={"username": username, "password": PASSWORD,
                                                 "role": role, "unit_id": unit_id})
    assert made.status_code == 201, made.text
    platform.tokens[username] = platform.log_in(username, PASSWORD)


def open_desk(page: Page, username: str, desk: str) -> None:
    """Log in on the log-in page; the role's own screen opens and shows its queue."""
    page.goto("/console")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(rf"/console/{desk}$"))
    expect(page.locator("#who")).to_contain_text(username)
    expect(page.locator("#queue li").first).to_be_visible()  # the queue has been drawn


@contextmanager
def script_errors_fail(page: Page) -> Iterator[None]:
    """Any uncaught error of the page's scripts fails the test (an error must be shown)."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield
    assert errors == []


@contextmanager
def another_page(browser: Browser, platform: Platform) -> Iterator[Page]:
    """A second person's browser (its own log-in) beside the test's page."""
    context = browser.new_context(base_url=platform.base, locale="zh-CN")
    page = context.new_page()
    on_platform_time(page)
    try:
        with script_errors_fail(page):
            yield page
    finally:
        context.close()


def create(platform: Platform, **overrides: Any) -> dict[str, Any]:
    """A ticket as an agent registers it (accepted unless ``accept=False``)."""
    made = platform.api("POST", "/tickets", "agent1", json={**COMPLAINT, **overrides})
    assert made.status_code == 201, made.text
    ticket: dict[str, Any] = made.json()
    return ticket


def step(platform: Platform, number: str, action: str, who: str, **body: Any
         ) -> dict[str, Any]:
    """A workflow step through the API, as someone else does it on their own screen."""
    done = platform.api("POST", f"/tickets/{number}/{action}", who, json=body)
    assert done.status_code == 200, done.text
    ticket: dict[str, Any] = done.json()
    return ticket


def ticket(platform: Platform, number: str) -> dict[str, Any]:
    got = platform.api("GET", f"/tickets/{number}", "reviewer1")
    assert got.status_code == 200, got.text
    found: dict[str, Any] = got.json()
    return found


def row(page: Page, number: str) -> Locator:
    """The ticket's row in the screen's queue."""
    return page.locator(f'#queue [data-number="{number}"]')


def pick(page: Page, number: str) -> None:
    row(page, number).click()
    expect(page.locator("#ticket-view h2")).to_contain_text(f"工单 {number}")


def history(page: Page) -> Locator:
    return page.locator("#ticket-view .history li")


def shot(page: Page, name: str) -> None:
    """The screen as it stands, for the README (docs/screenshots/<screen>-<what>.png)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.mouse.move(0, 0)  # no hover highlight in the picture
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True, animations="disabled",
                    caret="hide")


def set_due(platform: Platform, number: str, due: datetime) -> None:
    """Move a ticket's handling deadline, as the days passing would (the platform's clock is
    the real one): the ORM's flush keeps the unit's inbox index in step."""
    async def move() -> None:
        async with platform.app.state.runtime.sessionmaker() as session:
            found = await session.scalar(select(Ticket).where(Ticket.number == number))
            assert found is not None
            found.handle_due = due
            await session.commit()

    platform.run(move())

