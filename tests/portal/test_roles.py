"""The role pages in a real browser: the district officer reviews a demand claim by claim
and publishes it, the investor's feed shows a project published while it is open, a
mentor submits the rubric, the operators' dashboard counts the funnel and follows it live;
each page in Chinese, in English and at a phone's width, checked by axe-core."""

from __future__ import annotations

import time

from playwright.sync_api import BrowserContext, Page, expect

from tests.gateway.support import YUZHONG, cooperation_content, landing_content
from tests.platform_harness import ADMIN_LOGIN, ADMIN_PASSWORD
from tests.portal.browser import PHONE, assert_accessible, gql, screenshot
from tests.portal.roles_setup import (
    admin_token,
    approved_mentor,
    assigned_screening,
    funnel_counts,
    participant,
    review_and_publish,
    signed_in,
    staff_account,
    submitted_demand,
)
from tests.portal.ui import confirm_claim_by_claim, open_live

DEMAND_STATUS = "query($id: ID!) { demand(id: $id) { status claims { review reviewNote } } }"


def tour(page: Page, path: str, name: str, heading_zh: str, heading_en: str) -> None:
    """The page in Chinese (axe-core on it: the English page has the same colours and
    structure), in English and at a phone's width, never wider than the phone; screenshots
    of the three."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{path}?lang=zh")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading_zh)
    page.wait_for_load_state("networkidle")
    assert_accessible(page, f"{name} (zh)")
    screenshot(page, f"{name}.zh")
    page.goto(f"{path}?lang=en")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading_en)
    page.wait_for_load_state("networkidle")
    screenshot(page, f"{name}.en")
    page.set_viewport_size(PHONE)
    page.goto(f"{path}?lang=zh")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading_zh)
    page.wait_for_load_state("networkidle")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name} scrolls sideways at 390 px ({width} px)"
    screenshot(page, f"{name}.phone")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_district_officer_reviews_claims_one_by_one_and_publishes(
    context: BrowserContext, portal_url: str
) -> None:
    org_id, org_token = participant(portal_url, "ORGANISATION")
    content = landing_content(
        claims=[
            {"criterion": "KEY_PLATFORMS", "evidence": "重庆市工程技术研究中心"},
            {"criterion": "SUPPORT_POLICIES", "evidence": "区级人才政策"},
        ]
    )
    demand_id = submitted_demand(portal_url, org_token, org_id, content)
    officer = staff_account(portal_url, "DISTRICT_OFFICER", YUZHONG)
    page = signed_in(context, portal_url, officer)
    tour(page, "/district", "district-demands", "本区需求审核", "Review the district’s demands")
    page.goto("/district?lang=zh")
    card = page.get_by_test_id(f"demand-{demand_id}")
    expect(card.get_by_test_id("demand-status")).to_have_text("待审核")
    page.get_by_test_id(f"open-{demand_id}").click()
    expect(page.get_by_test_id("review-title")).to_have_text("传感器材料项目落地")
    page.get_by_test_id("start-review").click()
    expect(page.get_by_test_id("review-status")).to_have_text("审核中")
    confirm_claim_by_claim(page, {"KEY_PLATFORMS": "已核对证书"})
    claim = page.get_by_test_id("claim-KEY_PLATFORMS").get_by_test_id("claim-review")
    expect(claim).to_have_text("已核实")
    assert_accessible(page, "district review (zh)")
    page.evaluate("window.scrollTo(0, 0)")  # the sticky header at the top
    screenshot(page, "district-review.zh")
    page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("review-done")).to_have_text("已发布。")
    expect(page.get_by_test_id("review-status")).to_have_text("已发布")
    stored = gql(portal_url, DEMAND_STATUS, admin_token(portal_url), id=demand_id)["demand"]
    assert stored["status"] == "PUBLISHED"
    assert [c["review"] for c in stored["claims"]] == ["CONFIRMED", "CONFIRMED"]
    assert stored["claims"][0]["reviewNote"] == "已核对证书"
    # a demand returned with the reason the owner sees
    second = submitted_demand(portal_url, org_token, org_id, landing_content(titleZh="退回测试"))
    page.goto(f"/district/demands/{second}?lang=en")
    page.get_by_test_id("start-review").click()
    page.get_by_test_id("return").click()  # no reason: refused beside the field
    expect(page.get_by_test_id("problem")).to_be_visible()
    page.get_by_test_id("return-comments").fill("请补充中试车间面积")
    page.get_by_test_id("return").click()
    expect(page.get_by_test_id("review-status")).to_have_text("Returned")
    # a spreadsheet: one good row, one with errors reported by row and column
    rows = [
        "External ref,Channel,Owner ID,Title (zh),Description (zh),Taxonomy codes,Editions,"
        "Claim 1 criterion,Claim 1 evidence,Cooperation modes,Wanted stage",
        f"YZ-001,PROJECT_LANDING,{org_id},导入的落地需求,园区提供中试场地。,C33-L3,CQ2026,"
        "KEY_PLATFORMS,市级孵化器,TECH_TRANSFER,PILOT",
        f"YZ-002,PROJECT_LANDING,{org_id},,,NO-SUCH-CODE,CQ2026,KEY_PLATFORMS,,TECH_TRANSFER,",
    ]
    page.goto("/district/import?lang=zh")
    page.get_by_test_id("import-file").set_input_files(
        {"name": "demands.csv", "mimeType": "text/csv", "buffer": "\n".join(rows).encode()}
    )
    page.get_by_test_id("import-start").click()
    expect(page.get_by_test_id("import-status")).to_contain_text("已完成", timeout=20_000)
    expect(page.get_by_test_id("import-counts")).to_contain_text("新增 1")
    expect(page.get_by_test_id("import-counts")).to_contain_text("失败 1")
    errors = page.get_by_test_id("import-errors")
    expect(errors.locator("tbody tr").first).to_contain_text("3")
    assert "YZ-002" in errors.inner_text() and "YZ-001" not in errors.inner_text()
    page.evaluate("window.scrollTo(0, 0)")  # the sticky header at the top
    screenshot(page, "district-import-errors.zh")
    tour(page, "/district/import", "district-import", "批量导入", "Import")


def test_the_investors_feed_shows_a_project_published_while_it_is_open(
    context: BrowserContext, portal_url: str
) -> None:
    investor = staff_account(portal_url, "INVESTOR")
    talent_id, talent_token = participant(portal_url, "TALENT")
    title = "钙钛矿叠层电池中试"
    demand_id = submitted_demand(
        portal_url, talent_token, talent_id, cooperation_content(titleZh=title)
    )
    page = signed_in(context, portal_url, investor)
    tour(page, "/investor", "investor-feed", "新项目动态", "New projects, live")
    open_live(page, "/investor?lang=zh", "NewProjects")
    expect(page.get_by_test_id(f"project-{demand_id}")).to_have_count(0)
    review_and_publish(portal_url, admin_token(portal_url), demand_id)
    card = page.get_by_test_id(f"project-{demand_id}")
    expect(card).to_contain_text(title, timeout=15_000)
    expect(card.get_by_test_id("fresh")).to_have_text("新")
    expect(card).to_contain_text("样机")
    # a saved filter is kept in this browser
    page.get_by_test_id("filter-name").fill("中试项目")
    page.get_by_test_id("save-filter").click()
    page.reload()
    expect(page.get_by_test_id("saved-filters")).to_contain_text("中试项目")


def test_a_mentor_submits_the_rubric(context: BrowserContext, portal_url: str) -> None:
    login, mentor_id = approved_mentor(portal_url, "张导师")
    talent_id, talent_token = participant(portal_url, "TALENT")
    demand_id = submitted_demand(
        portal_url,
        talent_token,
        talent_id,
        cooperation_content(titleZh="固态电解质评审"),
    )
    page = signed_in(context, portal_url, login)
    # the pages while the mentors service routes the screening
    tour(page, "/mentor/consultations", "mentor-consultations", "咨询辅导", "Consultations")
    screening_id = assigned_screening(portal_url, demand_id, mentor_id)
    tour(page, "/mentor", "mentor-screenings", "分配给我的项目评审", "Projects assigned to me")
    page.goto("/mentor?lang=zh")
    page.get_by_test_id(f"open-{screening_id}").click()
    expect(page.get_by_test_id("screening-title")).to_have_text("固态电解质评审")
    expect(page.locator("body")).not_to_contain_text("Li Wei")  # blind: never the owner
    page.get_by_test_id("submit-rubric").click()  # nothing scored: each criterion says so
    expect(page.get_by_text("请为每一项打分。")).to_have_count(5)
    scores = {
        "NOVELTY_MATURITY": 4,
        "MARKET_POTENTIAL": 3,
        "TEAM": 5,
        "CLUSTER_FIT": 4,
        "READINESS_TO_LAND": 2,
    }
    for criterion, score in scores.items():
        page.get_by_test_id(f"score-{criterion}-{score}").click()
        page.get_by_test_id(f"comment-{criterion}").fill(f"{criterion} 的评语")
    assert_accessible(page, "rubric (zh)")
    page.evaluate("window.scrollTo(0, 0)")  # the sticky header at the top
    screenshot(page, "mentor-rubric.zh")
    page.get_by_test_id("submit-rubric").click()
    expect(page.get_by_test_id("rubric-submitted")).to_have_text("评审已提交，总分 18。")


def test_the_operators_dashboard_counts_the_funnel_and_follows_it_live(
    context: BrowserContext, portal_url: str
) -> None:
    page = signed_in(context, portal_url, ADMIN_LOGIN, ADMIN_PASSWORD)
    tour(page, "/operators", "operators-dashboard", "对接会概况", "The fair at a glance")
    page.goto("/operators?lang=zh")
    before = funnel_counts(portal_url)
    expect(page.get_by_test_id("count-DEMANDS")).to_have_text(str(before["DEMANDS"]))
    expect(page.get_by_test_id("count-LANDED")).to_have_text(str(before["LANDED"]))
    # a demand published while the page is open: the count follows without a reload
    talent_id, talent_token = participant(portal_url, "TALENT")
    demand_id = submitted_demand(portal_url, talent_token, talent_id, cooperation_content())
    review_and_publish(portal_url, admin_token(portal_url), demand_id)
    deadline = time.monotonic() + 20
    while (after := funnel_counts(portal_url))["DEMANDS"] == before["DEMANDS"]:
        assert time.monotonic() < deadline, "the funnel never counted the new demand"
        time.sleep(0.3)
    assert after["DEMANDS"] > before["DEMANDS"]
    expect(page.get_by_test_id("count-DEMANDS")).to_have_text(str(after["DEMANDS"]), timeout=20_000)


def test_the_operators_other_pages(context: BrowserContext, portal_url: str) -> None:
    page = signed_in(context, portal_url, ADMIN_LOGIN, ADMIN_PASSWORD)
    pages = [
        ("/operators/matching", "operators-matching", "匹配审核", "Match review"),
        ("/operators/scheduling", "operators-scheduling", "日程编排", "Scheduling"),
        ("/operators/agreements", "operators-agreements", "签约进展", "Agreements"),
        ("/operators/reference", "operators-reference", "基础数据", "Reference data"),
        ("/operators/accounts", "operators-accounts", "账号", "Accounts"),
    ]
    for path, name, zh, en in pages:
        tour(page, path, name, zh, en)
    # an account opened from the page, its refusal beside its field first
    page.goto("/operators/accounts?lang=en")
    page.get_by_test_id("account-login").fill("officer.new@office.example.cn")
    page.get_by_test_id("account-password").fill("short")
    page.get_by_test_id("account-create").click()
    expect(page.get_by_test_id("problem")).to_be_visible()
    page.get_by_test_id("account-password").fill("a-long-enough-password-1")
    page.get_by_role("combobox", name="District (district officers only)").click()
    page.get_by_role("option", name="Yuzhong").first.click()
    page.get_by_test_id("account-create").click()
    expect(page.get_by_test_id("accounts-created")).to_contain_text("officer.new@office.example.cn")
    # the list shows it (the API's accounts); the login's start and the role narrow it
    listed = page.get_by_test_id("accounts-list")
    expect(listed.get_by_test_id("account-officer.new@office.example.cn")).to_contain_text(
        "District officer"
    )
    expect(listed.get_by_test_id("account-" + ADMIN_LOGIN)).to_be_visible()
    page.get_by_test_id("accounts-search").fill("OFFICER.NEW")
    page.get_by_test_id("accounts-search").press("Enter")
    expect(listed.get_by_test_id("account-" + ADMIN_LOGIN)).to_have_count(0)
    expect(listed.locator("tbody tr")).to_have_count(1)
    page.get_by_test_id("accounts-role").click()
    page.get_by_role("option", name="Mentor").last.click()
    expect(page.get_by_text("No accounts match.")).to_be_visible()
    assert_accessible(page, "the accounts list, filtered")
