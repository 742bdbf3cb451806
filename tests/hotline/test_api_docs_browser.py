"""``/docs`` in Chromium with every request off the platform refused, as on an intranet: the
page renders under its self-only policy and a call made from it carries the token."""

from playwright.sync_api import ConsoleMessage, Page, Request, Route, expect

from tests.console.conftest import browser, page, platform  # noqa: F401  (fixtures)
from tests.console.served import Platform


def test_the_docs_page_renders_offline_and_tries_a_call_with_the_token(
    page: Page, platform: Platform,  # noqa: F811
) -> None:
    outside: list[str] = []
    problems: list[str] = []

    def only_the_platform(route: Route, request: Request) -> None:
        if request.url.startswith(platform.base + "/"):
            route.continue_()
        else:
            outside.append(request.url)
            route.abort()

    def console(message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            problems.append(message.text)

    page.context.route("**/*", only_the_platform)
    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto("/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("12345 hotline platform")
    operation = page.locator("#operations-accounts-me_auth_me_get")
    expect(operation).to_be_visible()
    page.get_by_role("button", name="Authorize").click()
    page.locator(".auth-container input").fill(platform.tokens["admin"])
    page.locator(".auth-btn-wrapper").get_by_role("button", name="Authorize").click()
    page.get_by_role("button", name="Close", exact=True).click()
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    answer = operation.locator(".live-responses-table")
    expect(answer.locator("tr.response .response-col_status")).to_have_text("200")
    expect(answer).to_contain_text('"username": "admin"')
    assert outside == []
    assert [p for p in problems if "Content Security Policy" in p or "Refused" in p] == []
