"""Element Plus as a person uses it, for the browser tests: choose in a select, tick a box."""

from __future__ import annotations

from playwright.sync_api import Locator, Page


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
