"""Fixtures of the portal's browser tests: one platform and one Chromium for the module,
a fresh browser context (its own storage: a person) per use."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Playwright, sync_playwright

from tests.portal.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    missing_prerequisites,
    platform_in_thread,
)


@pytest.fixture(scope="module")
def portal_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    missing = missing_prerequisites()
    if missing:
        pytest.fail(missing)  # never a skip: CI must run these
    data_dir: Path = tmp_path_factory.mktemp("portal-platform")
    with platform_in_thread(data_dir) as url:
        yield url


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield launched
    launched.close()


@pytest.fixture
def context(browser: Browser, portal_url: str) -> Iterator[BrowserContext]:
    made = browser.new_context(base_url=portal_url, viewport=DESKTOP, locale="zh-CN")
    made.set_default_timeout(15_000)
    yield made
    made.close()
