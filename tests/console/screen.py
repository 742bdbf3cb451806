"""What an agent does on the screen, in the tests' words."""

from playwright.sync_api import Locator, Page, expect

from tests.console.served import AGENT_PASSWORD


def log_in(page: Page, seat: str | None = None, username: str = "agent1",
           password: str = AGENT_PASSWORD) -> None:
    """Open the screen, log in, wait for the live link; then name the agent's seat."""
    page.goto("/console")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#link-status")).to_have_text("实时连接：已连接")
    if seat is not None:
        page.locator("#seat-interface").fill(seat)
        page.locator("#seat-interface").dispatch_event("change")


def field(page: Page, name: str) -> Locator:
    """The form's box of a draft field (its input, confidence and marks)."""
    return page.locator(f'[data-field="{name}"]')
