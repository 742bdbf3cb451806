"""A real browser on the served platform: Debian's Chromium driven by Playwright.

In CI (``CI=true``) a missing or broken Chromium fails these tests; elsewhere they skip.
Playwright never downloads a browser here: it drives the system's Chromium.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Error, Page, expect, sync_playwright

from tests.console.served import Platform
from tests.required import unavailable

CHROMIUM = Path(os.environ.get("HOTLINE_TEST_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Chromium, headless, for the module's tests."""
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is missing: run scripts/install-system-packages")
    expect.set_options(timeout=15_000)  # a loaded CI machine; expectations still auto-wait
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                 args=CHROMIUM_ARGS)
        except Error as exc:
            unavailable(f"Chromium does not start: {exc.message}")
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    """The platform served on a free loopback port, SQLite in a temporary directory."""
    served = Platform(tmp_path_factory.mktemp("console") / "data")
    served.start()
    try:
        yield served
    finally:
        served.stop()


@pytest.fixture
def page(browser: Browser, platform: Platform) -> Iterator[Page]:
    """A fresh browser context (its own sessionStorage) on the platform."""
    context = browser.new_context(base_url=platform.base, locale="zh-CN")
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()
