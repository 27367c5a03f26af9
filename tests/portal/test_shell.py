"""The portal's shell in a real browser: served by the platform, in Chinese by default and
in English, the language switch keeping the page and remembered, sign-in with a field
error beside its field in the reader's language."""

from __future__ import annotations

import httpx
from playwright.sync_api import BrowserContext, expect

from tests.platform_harness import ADMIN_LOGIN, ADMIN_PASSWORD
from tests.portal.browser import assert_accessible, screenshot


def test_the_platform_serves_the_portal_beside_the_api(portal_url: str) -> None:
    page = httpx.get(portal_url + "/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["cache-control"] == "no-cache"
    deep = httpx.get(portal_url + "/matches")  # a page of the application: its index
    assert deep.status_code == 200 and deep.text == page.text
    asset = next(part.split('"')[0] for part in page.text.split('src="')[1:])
    script = httpx.get(portal_url + asset)
    assert script.status_code == 200
    assert script.headers["content-type"].startswith("text/javascript")
    assert "immutable" in script.headers["cache-control"]
    # the API, probes and files are never the portal's page
    assert httpx.get(portal_url + "/healthz").json()["status"] == "ok"
    missing = httpx.get(portal_url + "/files/no-such-thing")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith(
        "application/json"
    )
    assert httpx.get(portal_url + "/assets/no-such-file.js").status_code == 404
    graphql = httpx.post(portal_url + "/graphql", json={"query": "{ __typename }"})
    assert graphql.json() == {"data": {"__typename": "Query"}}


def test_both_languages_the_switch_keeps_the_page_and_is_remembered(
    context: BrowserContext,
) -> None:
    page = context.new_page()
    page.goto("/sign-in")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("heading", level=1)).to_have_text("登录")
    assert_accessible(page, "sign-in (zh)")
    screenshot(page, "sign-in.zh")
    page.get_by_test_id("language-switch").click()
    expect(page).to_have_url(f"{page.url.split('/sign-in')[0]}/sign-in")  # the same page
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert page.title() == "Sign in · Boyin"
    assert_accessible(page, "sign-in (en)")
    screenshot(page, "sign-in.en")
    page.reload()  # remembered
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.goto("/?lang=zh")  # a poster's link chooses too
    expect(page.get_by_role("heading", level=1)).to_contain_text("重庆离岸创新创业项目对接会")
    assert_accessible(page, "home (zh)")
    screenshot(page, "home.zh")


def test_sign_in_shows_the_api_error_in_the_readers_language_then_signs_in_and_out(
    context: BrowserContext,
) -> None:
    page = context.new_page()
    page.goto("/sign-in?lang=en")
    page.get_by_test_id("login").fill(ADMIN_LOGIN)
    page.get_by_test_id("password").fill("not-the-password-1")
    page.get_by_test_id("sign-in-submit").click()
    expect(page.get_by_test_id("problem")).to_be_visible()
    english = page.get_by_test_id("problem").inner_text()
    page.get_by_test_id("language-switch").click()
    chinese = page.get_by_test_id("problem").inner_text()
    assert english != chinese and any("\u4e00" <= c <= "\u9fff" for c in chinese)
    page.get_by_test_id("password").fill(ADMIN_PASSWORD)
    page.get_by_test_id("sign-in-submit").click()
    expect(page.get_by_test_id("signed-in-as")).to_have_text(ADMIN_LOGIN)
    page.reload()  # the session is kept
    expect(page.get_by_test_id("signed-in-as")).to_have_text(ADMIN_LOGIN)
    # an access token the gateway refuses (401): the portal refreshes the pair and goes on
    page.evaluate(
        """() => {
        const kept = JSON.parse(localStorage.getItem('boyin.session'))
        localStorage.setItem('boyin.session', JSON.stringify({...kept, accessToken: 'refused'}))
        }"""
    )
    page.reload()
    expect(page.get_by_test_id("signed-in-as")).to_have_text(ADMIN_LOGIN)
    kept = page.evaluate("() => JSON.parse(localStorage.getItem('boyin.session')).accessToken")
    assert kept != "refused"
    page.get_by_test_id("sign-out").click()
    expect(page.get_by_test_id("signed-in-as")).to_have_count(0)


def test_the_apis_field_error_shows_beside_its_field_in_the_readers_language(
    context: BrowserContext,
) -> None:
    page = context.new_page()
    page.goto("/sign-up?lang=en")
    page.get_by_test_id("login").fill("weak.password@example.org")
    page.get_by_test_id("password").fill("onlyletters")  # long enough: the API refuses it
    page.get_by_test_id("password-again").fill("onlyletters")
    page.get_by_test_id("sign-up-submit").click()
    item = page.locator(".el-form-item").filter(has=page.get_by_test_id("password"))
    expect(item.locator(".el-form-item__error")).to_have_text(
        "password: mix letters with digits or symbols"
    )
    page.get_by_test_id("language-switch").click()
    expect(item.locator(".el-form-item__error")).to_have_text("密码需同时包含字母和数字或符号")
    assert_accessible(page, "sign-up with an error (zh)")
    screenshot(page, "sign-up-error.zh")
