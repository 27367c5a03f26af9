"""The fair's journey in a real browser: a talent registers a project in English (an
investor's open feed shows it arrive once published), an organisation registers a demand in
Chinese, Yuzhong's district officer reviews it claim by claim and publishes it on the
district's page, the match reaches both sides live, both say yes and see each other's
contacts, an operator solves and publishes the timetable on the scheduling page and the
meeting shows in both agendas, the operators' dashboard (open all along) counts the new
demands and the mutual match; sessions with a waiting list. Screenshots of the main pages in both languages and on a
phone; axe-core on each."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from boyin_platform.demo import credit_code
from tests.portal.browser import DESKTOP, PHONE, assert_accessible, screenshot
from tests.portal.fair import (
    OFFICER,
    OPERATOR,
    meeting_requested,
    open_edition,
    staff,
)
from tests.portal.fair import PASSWORD as STAFF_PASSWORD
from tests.portal.roles_setup import signed_in, staff_account
from tests.portal.ui import choose, combobox, confirm_claim_by_claim, open_live, tick

TALENT = "lena.portal@example.de"
ORGANISATION = "hr@yuzhong-portal.example.cn"
PASSWORD = "portal-journey-Boyin-2026"
#: a one-page PDF as evidence
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]"
    b"/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def sign_up(page: Page, login: str, role_text: str) -> None:
    page.goto("/sign-up")
    tick(page, role_text)
    page.get_by_test_id("login").fill(login)
    page.get_by_test_id("password").fill(PASSWORD)
    page.get_by_test_id("password-again").fill(PASSWORD)
    page.get_by_test_id("sign-up-submit").click()
    expect(page).to_have_url(re.compile(r"/profile$"))


def check(page: Page, name: str) -> None:
    """axe-core on the page, and its screenshot."""
    page.wait_for_load_state("networkidle")
    assert_accessible(page, name)
    screenshot(page, name)


def test_talent_and_organisation_meet_through_the_portal(browser: Browser, portal_url: str) -> None:
    url = portal_url
    tokens = staff(url)
    edition_id = open_edition(url, tokens["operator"])
    talent_context = browser.new_context(
        base_url=url, viewport=DESKTOP, locale="en-GB", timezone_id="Europe/Zurich"
    )
    organisation_context = browser.new_context(
        base_url=url, viewport=DESKTOP, locale="zh-CN", timezone_id="Asia/Shanghai"
    )
    officer_context = browser.new_context(base_url=url, viewport=DESKTOP, locale="zh-CN")
    operator_context = browser.new_context(base_url=url, viewport=DESKTOP, locale="en-GB")
    investor_context = browser.new_context(base_url=url, viewport=DESKTOP, locale="en-GB")
    contexts = (
        talent_context,
        organisation_context,
        officer_context,
        operator_context,
        investor_context,
    )
    for c in contexts:
        c.set_default_timeout(20_000)
    talent = talent_context.new_page()
    organisation = organisation_context.new_page()

    # -- open all along: the operators' dashboard and an investor's feed, both live -------
    dashboard = signed_in(operator_context, url, OPERATOR, STAFF_PASSWORD)
    open_live(dashboard, "/operators?lang=en", "PipelineFeed")
    before = {
        step: int(dashboard.get_by_test_id(f"count-{step}").inner_text())
        for step in ("DEMANDS", "MUTUAL_MATCHES")
    }
    investor = signed_in(investor_context, url, staff_account(url, "INVESTOR"))
    open_live(investor, "/investor?lang=en", "NewProjects")

    # -- a talent, in English: account, profile, a project-cooperation offer -------------
    talent.goto("/?lang=en")
    sign_up(talent, TALENT, "A talent")
    talent.get_by_test_id("name-en").fill("Dr. Lena Portal")
    talent.get_by_test_id("field-en").fill("Flexible electronic films")
    talent.get_by_test_id("institution").fill("ETH Zurich")
    talent.get_by_test_id("country").fill("CH")
    talent.get_by_test_id("location").fill("Zurich")
    talent.get_by_test_id("timezone").fill("Europe/Zurich")
    talent.get_by_test_id("contact-name").fill("Lena Portal")
    expect(talent.get_by_test_id("contact-email")).to_have_value(TALENT)
    tick(talent, "I have read and accept the privacy notice")
    talent.get_by_test_id("profile-submit").click()
    expect(talent).to_have_url(re.compile(r"/channels$"))
    check(talent, "channels.en")

    talent.goto("/channels/project-cooperation/new")
    talent.get_by_test_id("submit-demand").click()  # empty: checked in the page
    expect(talent.get_by_text("Give a title in Chinese or English (or both)")).to_be_visible()
    talent.get_by_test_id("title-en").fill("Industrialising flexible electronic films")
    talent.wait_for_timeout(600)  # the draft is kept as it is typed
    talent.reload()
    expect(talent.get_by_text("The draft kept on this device was restored.")).to_be_visible()
    expect(talent.get_by_test_id("title-en")).to_have_value(
        "Industrialising flexible electronic films"
    )
    talent.get_by_test_id("description-en").fill(
        "Roll-to-roll flexible electronic films; seeking a pilot line and joint R&D in Chongqing."
    )
    choose(talent, talent.get_by_test_id("taxonomy"), "Advanced materials")
    choose(talent, combobox(talent, "Fair editions"), "Project Fair 2026")
    tick(talent, "Joint R&D")
    choose(talent, talent.get_by_test_id("criterion-0"), "Owns key core technology")
    talent.get_by_test_id("evidence-0").fill("Granted invention patent CN 2024 1 0000000.0")
    talent.get_by_test_id("evidence-file-0").set_input_files(
        {"name": "patent.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    expect(talent.get_by_test_id("evidence-uploaded-0")).to_contain_text("patent.pdf")
    check(talent, "demand-form.en")
    talent.get_by_test_id("submit-demand").click()
    expect(talent.get_by_test_id("demand-status")).to_have_text("Submitted")
    expect(talent).to_have_url(re.compile(r"/demands/[^/]+$"))
    project_id = talent.url.rsplit("/", 1)[-1]
    # no district officer for talents: an operator reviews it on the same review page
    review = operator_context.new_page()
    review.goto(f"/district/demands/{project_id}?lang=en")
    review.get_by_test_id("start-review").click()
    confirm_claim_by_claim(review)
    review.get_by_test_id("publish").click()
    expect(review.get_by_test_id("review-status")).to_have_text("Published")
    review.close()
    project = investor.get_by_test_id(f"project-{project_id}")  # arrived by itself
    expect(project).to_contain_text("Industrialising flexible electronic films", timeout=15_000)
    talent.goto("/matches")  # open before the organisation exists: the match comes live
    expect(talent.get_by_role("heading", name="My matches")).to_be_visible()

    # -- an organisation, in Chinese: account, profile, a project-landing demand ----------
    organisation.goto("/")
    expect(organisation.locator("html")).to_have_attribute("lang", "zh-CN")
    sign_up(organisation, ORGANISATION, "单位")
    organisation.get_by_test_id("name-zh").fill("重庆渝中柔性薄膜科技有限公司")
    choose(organisation, combobox(organisation, "所在区县"), "渝中区")
    organisation.get_by_test_id("credit-code").fill("91500103MA0000000X")  # a wrong check digit
    organisation.get_by_test_id("contact-name").fill("王经理")
    organisation.get_by_test_id("contact-phone").fill("+86 23 6300 0000")
    organisation.get_by_test_id("profile-submit").click()
    credit_item = organisation.locator(".el-form-item").filter(
        has=organisation.get_by_test_id("credit-code")
    )
    # the API's error, beside its field, in Chinese
    expect(credit_item.locator(".el-form-item__error")).to_contain_text(
        re.compile(r"[\u4e00-\u9fff]")
    )
    organisation.get_by_test_id("credit-code").fill(credit_code("500103", 7001))
    organisation.get_by_test_id("profile-submit").click()
    expect(organisation).to_have_url(re.compile(r"/channels$"))
    check(organisation, "channels.zh")

    organisation.goto("/channels/project-landing/new")
    organisation.get_by_test_id("title-zh").fill("柔性电子薄膜中试线落地合作")
    organisation.get_by_test_id("description-zh").fill(
        "提供中试线、场地与落地政策，寻求柔性电子薄膜项目联合研发。"
    )
    choose(organisation, organisation.get_by_test_id("taxonomy"), "先进材料")
    choose(organisation, combobox(organisation, "参加届次"), "2026年")
    tick(organisation, "联合研发")
    choose(organisation, organisation.get_by_test_id("criterion-0"), "具备场地、政策")
    organisation.get_by_test_id("evidence-0").fill("园区已建成 2000 平方米中试车间")
    check(organisation, "demand-form.zh")
    organisation.get_by_test_id("save-draft").click()  # kept on the platform as a DRAFT
    expect(organisation).to_have_url(re.compile(r"/demands/[^/]+$"))
    expect(organisation.get_by_test_id("demand-status")).to_have_text("草稿")
    organisation.reload()  # read back from the API
    expect(organisation.get_by_test_id("title-zh")).to_have_value("柔性电子薄膜中试线落地合作")
    organisation.get_by_test_id("submit-demand").click()
    expect(organisation.get_by_test_id("demand-status")).to_have_text("已提交")
    landing_id = organisation.url.rsplit("/", 1)[-1]

    # -- Yuzhong's district officer reviews it claim by claim and publishes it ------------
    officer = signed_in(officer_context, url, OFFICER, STAFF_PASSWORD)
    officer.goto("/district?lang=zh")
    card = officer.get_by_test_id(f"demand-{landing_id}")
    expect(card.get_by_test_id("demand-status")).to_have_text("待审核")
    officer.get_by_test_id(f"open-{landing_id}").click()
    expect(officer.get_by_test_id("review-title")).to_have_text("柔性电子薄膜中试线落地合作")
    officer.get_by_test_id("start-review").click()
    expect(officer.get_by_test_id("review-status")).to_have_text("审核中")
    confirm_claim_by_claim(officer, {})
    officer.get_by_test_id("publish").click()
    expect(officer.get_by_test_id("review-status")).to_have_text("已发布")

    # -- the match: live on the talent's open page, both say yes, contacts revealed --------
    talent_match = talent.locator("[data-testid^='match-']").first
    expect(talent_match).to_be_visible(timeout=60_000)
    expect(talent.get_by_test_id("live-news")).to_contain_text("News")
    expect(talent_match.get_by_test_id("counterpart-title")).to_have_text(
        "柔性电子薄膜中试线落地合作"  # no English title: the Chinese one
    )
    # marked as Chinese on the English page (screen readers, fonts)
    expect(talent_match.get_by_test_id("counterpart-title")).to_have_attribute("lang", "zh-CN")
    expect(talent_match.get_by_test_id("reasons").locator("li").first).to_be_visible()
    talent_match.get_by_test_id("interested").click()
    expect(talent_match.get_by_test_id("my-answer")).to_contain_text("Your answer: interested")
    talent_match.get_by_test_id("ask-to-meet").click()  # a request to meet, answered below
    expect(talent_match.get_by_test_id("asked")).to_contain_text("Meeting requested.")
    check(talent, "matches.en")

    organisation.goto("/agenda")  # the request, answered in the organisation's agenda
    request = organisation.get_by_test_id("meetings").locator("li").first
    expect(request).to_contain_text("Dr. Lena Portal 请求与您洽谈")
    expect(request.get_by_test_id("meeting-status")).to_have_text("待答复")
    request.get_by_test_id("accept-meeting").click()
    expect(request.get_by_test_id("meeting-status")).to_have_text("已接受")

    organisation.goto("/matches")
    organisation_match = organisation.locator("[data-testid^='match-']").first
    expect(organisation_match.get_by_test_id("counterpart-title")).to_have_text(
        "Industrialising flexible electronic films"
    )
    organisation_match.get_by_test_id("interested").click()
    expect(organisation_match.get_by_test_id("mutual")).to_contain_text("互选成功")
    expect(organisation_match.get_by_test_id("contacts")).to_contain_text(TALENT)
    check(organisation, "matches.zh")
    # the talent's page hears of it by itself
    expect(talent_match.get_by_test_id("contacts")).to_contain_text("王经理", timeout=30_000)

    # -- the meeting: scheduled by the operators, in both agendas ------------------------
    meeting_requested(url, tokens["operator"], edition_id)
    scheduling = operator_context.new_page()
    scheduling.goto("/operators/scheduling?lang=en")
    choose(scheduling, scheduling.get_by_test_id("edition"), "Chongqing Offshore Fair 2026")
    scheduling.get_by_test_id("solve").click()
    # the talent's request and the mutual match's meeting: at least one placed
    draft = scheduling.get_by_test_id("scheduled-draft")
    expect(draft).to_have_text(re.compile(r"^\s*[1-9]\d*\s*$"), timeout=60_000)
    scheduling.get_by_test_id("publish-schedule").click()
    expect(scheduling.get_by_test_id("scheduled-published")).to_have_text(draft.inner_text())
    talent.goto("/agenda")
    expect(talent.get_by_test_id("agenda-meeting").first).to_contain_text(
        "重庆渝中柔性薄膜科技有限公司"
    )
    expect(talent.get_by_test_id("meeting-status").first).to_have_text("Accepted")
    talent.get_by_test_id("sign-up-session").click()  # the one place
    expect(talent.get_by_test_id("session-state")).to_have_text("Signed up")
    expect(talent.get_by_test_id("agenda-session")).to_contain_text("Roadshow: advanced materials")
    # in the fair's time, named, whatever the reader's own zone (Zurich here)
    expect(talent.get_by_test_id("agenda-session")).to_contain_text("14:00–15:00 (Beijing time)")
    expect(talent.get_by_test_id("calendar-url")).to_have_value(re.compile(r"/calendar/.+\.ics$"))
    with talent.expect_download() as download:
        talent.get_by_test_id("download-ics").click()
    assert "BEGIN:VCALENDAR" in download.value.path().read_text("utf-8")
    check(talent, "agenda.en")

    organisation.goto("/agenda")
    expect(organisation.get_by_test_id("agenda-meeting").first).to_contain_text("Dr. Lena Portal")
    expect(organisation.get_by_test_id("sign-up-session")).to_have_text("加入候补")  # full
    organisation.get_by_test_id("sign-up-session").click()
    expect(organisation.get_by_test_id("session-state")).to_have_text("候补中")
    expect(organisation.get_by_test_id("meetings")).to_contain_text(
        re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
    )
    check(organisation, "agenda.zh")

    # -- on a phone ------------------------------------------------------------------------
    for name, context, path in (
        ("matches", talent_context, "/matches"),
        ("agenda", organisation_context, "/agenda"),
        ("channels", organisation_context, "/channels"),
        ("demand-form", talent_context, "/channels/job-seeking/new"),
    ):
        phone = browser.new_context(
            base_url=url, viewport=PHONE, storage_state=context.storage_state(), is_mobile=True
        )
        page = phone.new_page()
        page.goto(path)
        # a new context loads the page's chunk and its data afresh: slow on a busy machine
        expect(page.get_by_role("heading", level=1)).to_be_visible(timeout=20_000)
        language = "en" if context is talent_context else "zh"
        check(page, f"{name}.{language}.phone")
        phone.close()

    # -- the operators' dashboard has counted both demands and the mutual match ----------
    for step, more in (("DEMANDS", 2), ("MUTUAL_MATCHES", 1)):
        count = dashboard.get_by_test_id(f"count-{step}")
        expect(count).to_have_text(str(before[step] + more), timeout=40_000)
    for c in contexts:
        c.close()
