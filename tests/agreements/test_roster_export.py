"""The ceremony roster as files: the XLSX sheet (opened and read cell by cell, text that
looks like a formula kept as text) and the printable A4 page (every row, every text
escaped), pure and through the service's HTTP API."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

from openpyxl import load_workbook

from boyin_agreements.agreements.roster import RosterRow
from boyin_agreements.agreements.roster_export import roster_html, roster_xlsx
from boyin_agreements.agreements.terms import Text
from boyin_shared.api.agreements import CooperationType
from boyin_shared.contracts.common import LocalizedText
from boyin_shared.contracts.registry import (
    OrganisationProfile,
    OrganisationRegistered,
    TalentProfile,
    TalentUpdated,
)
from tests.agreements.service_support import (
    EDITION,
    ORG,
    PARTIES,
    TERMS,
    agreements_service,
    ok,
    refusal,
    signed,
)

ROWS = [
    RosterRow(
        order=1,
        agreement_id="ag_b",
        parties=(Text("张博士团队", "Dr Zhang's team"), Text("重庆材料公司", None)),
        title=Text('=HYPERLINK("http://x")', "<script>alert(1)</script>"),
        cooperation_type=CooperationType.LICENCE,
        headline="JPY 800,000",
    ),
    RosterRow(
        order=2,
        agreement_id="ag_a",
        parties=(Text(None, "Acme & Sons"), Text("某投资", "An investor")),
        title=Text("中试基地", "A pilot plant"),
        cooperation_type=None,
        headline=None,
    ),
]


def talent(talent_id: str, zh: str, en: str, revision: int) -> TalentUpdated:
    profile = TalentProfile(
        talent_id=talent_id,
        name=LocalizedText(zh=zh, en=en),
        degree="PHD",
        field=LocalizedText(en="materials"),
        institution=LocalizedText(en="TU Example"),
        country="CN",
        timezone="Asia/Shanghai",
        revision=revision,
    )
    return TalentUpdated.create(subject=talent_id, data=profile)


def organisation(org_id: str, zh: str, en: str, revision: int) -> OrganisationRegistered:
    profile = OrganisationProfile(
        organisation_id=org_id,
        name=LocalizedText(zh=zh, en=en),
        kind="ENTERPRISE",
        district_code="500103",
        credit_code="91500000000000000X",
        revision=revision,
    )
    return OrganisationRegistered.create(subject=org_id, data=profile)


def _sheet(data: bytes) -> list[tuple[object, ...]]:
    book = load_workbook(io.BytesIO(data))
    return list(book.worksheets[0].iter_rows(values_only=True))


def test_the_xlsx_has_a_heading_row_and_a_row_per_agreement_in_order() -> None:
    rows = _sheet(roster_xlsx("CQ2026", ROWS, "zh"))
    assert rows == [
        (
            "序号",
            "签约各方",
            "项目名称（中文）",
            "项目名称（英文）",
            "合作方式",
            "金额",
            "协议编号",
        ),
        (
            1,
            "张博士团队; 重庆材料公司",
            '=HYPERLINK("http://x")',
            "<script>alert(1)</script>",
            "许可",
            "JPY 800,000",
            "ag_b",
        ),
        (2, "Acme & Sons; 某投资", "中试基地", "A pilot plant", None, None, "ag_a"),
    ]


def test_the_xlsx_in_english_and_a_title_is_never_a_formula() -> None:
    data = roster_xlsx("CQ2026", ROWS, "en")
    rows = _sheet(data)
    assert rows[0][:2] == ("No.", "Parties")
    assert rows[1][1] == "Dr Zhang's team; 重庆材料公司"
    assert rows[1][4] == "Licence"
    cell = load_workbook(io.BytesIO(data)).worksheets[0]["C2"]
    assert cell.data_type == "s", cell.data_type


def test_the_page_is_a4_bilingual_and_escapes_every_text() -> None:
    page = roster_html("CQ<2026>", ROWS, "zh").decode("utf-8")
    assert "size: A4" in page and '<html lang="zh">' in page
    assert "签约仪式名单" in page and "Signing ceremony roster" in page
    assert page.count("<tr data-agreement=") == 2
    assert page.index('data-agreement="ag_b"') < page.index('data-agreement="ag_a"')
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Acme &amp; Sons" in page and "CQ&lt;2026&gt;" in page
    assert "张博士团队" in page and "Dr Zhang&#x27;s team" in page
    assert "许可" in page and "Licence" in page and "JPY 800,000" in page


async def test_the_exports_over_http_follow_the_order_and_are_staff_only(
    tmp_path: Path,
) -> None:
    async with agreements_service(tmp_path) as s:
        first = await signed(s)
        second = await signed(s)
        base = f"/editions/{EDITION}/roster/export"
        xlsx = await s.api.get(base, params={"order": [second["id"], first["id"]], "lang": "en"})
        assert xlsx.status_code == 200, xlsx.text
        assert xlsx.headers["content-type"].startswith(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        assert f"ceremony-roster-{EDITION}.xlsx" in xlsx.headers["content-disposition"]
        rows = _sheet(xlsx.content)
        assert [(r[0], r[6]) for r in rows[1:]] == [(1, second["id"]), (2, first["id"])]
        assert rows[1][2] == TERMS["title"]["zh"] and rows[1][3] == TERMS["title"]["en"]
        assert rows[1][5] == "CNY 15,000,000.00"
        # the parties without a registered name show their ids
        assert rows[1][1] == "; ".join(p["id"] for p in PARTIES)

        # the registry's names, kept from its events (a late older revision changes nothing)
        await s.r.bus.publish(
            [
                talent("tal_1", "张博士团队", "Dr Zhang's team", 2),
                talent("tal_1", "旧名", "Old name", 1),
                organisation("org_1", "重庆新材料公司", "Chongqing New Materials", 1),
            ]
        )

        async def parties_cell() -> object:
            for _ in range(100):
                cell = _sheet((await s.api.get(base, params={"lang": "en"})).content)[1][1]
                if "tal_1" not in str(cell) and "org_1" not in str(cell):
                    return cell
                await asyncio.sleep(0.05)
            raise AssertionError("the names did not arrive")

        assert await parties_cell() == "Dr Zhang's team; Chongqing New Materials"
        zh = _sheet((await s.api.get(base)).content)
        assert zh[1][1] == "张博士团队; 重庆新材料公司"

        page = await s.api.get(base, params={"format": "html"})
        assert page.headers["content-type"] == "text/html; charset=utf-8"
        assert page.text.count("<tr data-agreement=") == 2

        bad = refusal(
            await s.api.get(base, params={"order": [first["id"], first["id"]]}),
            422,
            "VALIDATION_FAILED",
        )
        assert {f["field"]: f["code"] for f in bad["fields"]} == {"order.1": "DUPLICATE"}
        refusal(await s.call(ORG, "GET", base), 403, "FORBIDDEN")
        ok(await s.api.get(f"/editions/{EDITION}/roster"))
