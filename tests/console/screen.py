"""What an agent does on the screen, in the tests' words."""

import re

from playwright.sync_api import Locator, Page, expect

from tests.console.served import AGENT_PASSWORD, Platform


def log_in(page: Page, platform: Platform | None = None, seat: str | None = None,
           username: str = "agent1", password: str = AGENT_PASSWORD) -> None:
    """Bind ``seat`` to the user (as an administrator would), open the screen, log in."""
    if seat is not None:
        assert platform is not None, "binding a seat needs the platform's API"
        extension = seat.split("/", 1)[1]
        bound = platform.api("PUT", f"/telephony/seats/{extension}", json={"username": username})
        assert bound.status_code == 200, bound.text
    page.goto("/console")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/console/agent$"))  # each role to its own screen
    expect(page.locator("#link-status")).to_have_text("实时连接：已连接")
    if seat is not None:
        expect(page.locator("#seat-interface")).to_have_text(seat)


def field(page: Page, name: str) -> Locator:
    """The form's box of a draft field (its input, confidence and marks)."""
    return page.locator(f'[data-field="{name}"]')
