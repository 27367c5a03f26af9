"""Element Plus as a person uses it, for the browser tests: choose in a select, tick a box;
steps several browser tests share: a page open once its live subscription reached the
server, a district officer's review confirmed claim by claim."""

from __future__ import annotations

import re
from collections.abc import Mapping

from playwright.sync_api import Locator, Page, expect


def choose(page: Page, select: Locator, *options: str) -> None:
    """Open the select and click each option (its visible text); a multiple select is
    closed afterwards."""
    select.click()
    for text in options:
        search = select.locator("input")
        if search.get_attribute("readonly") is None:
            search.fill(text)  # filterable: narrow the list as a person would
        item = page.locator(".el-select-dropdown__item:visible").filter(has_text=text).first
        item.click()
    page.keyboard.press("Escape")
    page.get_by_role("heading", level=1).click()  # a multiple select stays open otherwise
    page.locator(".el-select-dropdown:visible").first.wait_for(state="hidden")


def combobox(page: Page, name: str) -> Locator:
    """The select whose accessible name is ``name``."""
    return page.locator(".el-select").filter(
        has=page.get_by_role("combobox", name=name, exact=True)
    )


def tick(page: Page, text: str) -> None:
    page.locator("label.el-checkbox, label.el-radio").filter(has_text=text).first.click()


def open_live(page: Page, path: str, operation: str) -> None:
    """Open ``path`` and wait until its subscription ``operation`` reached the server (what
    is published afterwards is the page's news)."""
    with page.expect_websocket() as opened:
        page.goto(path)
    opened.value.wait_for_event("framesent", lambda f: operation in str(f))
    page.wait_for_timeout(500)  # the server has the subscription once it read the frame


def confirm_claim_by_claim(page: Page, notes: Mapping[str, str] | None = None) -> None:
    """On a district review page whose review is started: each claim confirmed in turn (with
    its note, if any), publishing refused until the last one is; publish is then enabled
    (clicking it is the caller's)."""
    publish = page.get_by_test_id("publish")
    claims = page.get_by_test_id("claims").locator(":scope > li").all()
    criteria = [str(c.get_attribute("data-testid")).removeprefix("claim-") for c in claims]
    assert criteria, "a review page without claims"
    for criterion in criteria:
        expect(publish).to_be_disabled()
        if note := (notes or {}).get(criterion):
            page.get_by_test_id(f"note-{criterion}").fill(note)
        page.get_by_test_id(f"confirm-{criterion}").click()
        tag = page.get_by_test_id(f"claim-{criterion}").get_by_test_id("claim-review")
        expect(tag).to_have_class(re.compile(r"\bsuccess\b"))
    expect(publish).to_be_enabled()
