"""Bulk import and export of talents and organisations (in-process, SQLite): templates,
every field error of a row at once, idempotent re-imports, district scopes, exports that
re-import unchanged, and a row interrupted between binding its key and registering."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from boyin_registry.app import definition
from boyin_registry.imports.columns import Layout
from boyin_registry.imports.profile_columns import ORGANISATIONS, TALENTS
from boyin_registry.imports.profile_import import ProfileRowImporter
from boyin_registry.imports.spreadsheets import Row, Sheet
from boyin_shared.api.registry import ImportKind
from boyin_shared.identity import Actor
from tests.apps import OPERATOR, Running, running
from tests.registry.support import (
    PUBLIC,
    YUZHONG,
    credit_code,
    has_cjk,
    officer,
    ok,
    register_talent,
)
from tests.registry.test_import import JIANGBEI, api, counts, finished, importer, who


@pytest.fixture
async def registry(tmp_path: Path) -> AsyncIterator[Running]:
    async with running([definition], tmp_path) as r:
        yield r


def org_row(key: str, serial: int, **cells: str) -> dict[str, str]:
    row = {
        "external_ref": key,
        "name_zh": f"重庆导入科技有限公司{serial}",
        "name_en": f"Chongqing Import Technology {serial}",
        "kind": "企业",
        "district_code": YUZHONG,
        "credit_code": credit_code(100 + serial),
        "taxonomy_codes": "C33-L3；C33-N05",
        "description_zh": "传感器中试。",
        "platform_1_level": "市级",
        "platform_1_name": "重庆市工程技术研究中心",
        "contact_1_name": "王经理",
        "contact_1_email": f"hr{serial}@import-example.cn",
        "contact_1_role": "人事",
        "contact_2_name": "赵主任",
        "contact_2_phone": "+86 23 6123 0001",
    }
    row.update(cells)
    return row


def talent_row(key: str, email: str, **cells: str) -> dict[str, str]:
    row = {
        "external_ref": key,
        "name_zh": "陈博士",
        "name_en": "Dr Chen",
        "degree": "博士后",
        "field_en": "Materials science",
        "institution_en": "RWTH Aachen University",
        "country": "DE",
        "location": "Aachen",
        "timezone": "Europe/Berlin",
        "languages": "zh; en; de",
        "contact_name": "Chen",
        "contact_email": email,
        "team_1_name": "Anna",
        "team_1_role": "PhD candidate",
        "taxonomy_codes": "C33-L3",
        "consent_notice_version": "2026-11",
        "consent_purposes": "REGISTRATION; MATCHING; CONTACT_AFTER_MUTUAL_MATCH",
    }
    row.update(cells)
    return row


def csv_of(layout: Layout, rows: Sequence[Mapping[str, str]], lang: str = "zh") -> bytes:
    keys = [c.key for c in layout.import_columns]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([layout.by_key[k].header(lang) for k in keys])
    writer.writerows([row.get(k, "") for k in keys] for row in rows)
    return out.getvalue().encode()


async def imported(
    r: Running, kind: ImportKind, data: bytes, actor: Actor | None = None
) -> dict[str, Any]:
    response = await api(r).post(
        "/imports",
        params={"kind": kind.value},
        files={"file": ("profiles.csv", data, "text/csv")},
        headers=who(actor),
    )
    assert response.status_code == 202, response.text
    assert response.json()["kind"] == kind.value
    job = await finished(r, response.json()["id"], actor)
    assert job["status"] == "done", job
    return job


def errors_of(job: Mapping[str, Any], row: int) -> dict[str, tuple[str, str | None]]:
    """Field path -> (code, column) of one row's errors, each message bilingual."""
    [found] = [r for r in job["errors"]["items"] if r["row"] == row]
    for e in found["errors"]:
        assert has_cjk(e["message"]["zh"]) and e["message"]["en"], e
        assert e["code"] == e["code"].upper(), e
    return {e["field"]: (e["code"], e["column"]) for e in found["errors"]}


async def organisations(r: Running) -> list[dict[str, Any]]:
    params: dict[str, str | int] = {"limit": 100, "include_contacts": "true"}
    page = ok(await api(r).get("/organisations", params=params, headers=who(None)))
    return list(page["items"])


# -- templates ------------------------------------------------------------------------


@pytest.mark.parametrize("layout", [ORGANISATIONS, TALENTS], ids=lambda x: x.name)
@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_templates_of_talents_and_organisations(
    registry: Running, layout: Layout, lang: str
) -> None:
    params = {"kind": layout.kind.value, "headers": lang}
    response = await api(registry).get("/imports/template", params={**params, "format": "csv"})
    assert response.status_code == 200, response.text
    header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header == [c.header(lang) for c in layout.import_columns]
    response = await api(registry).get("/imports/template", params={**params, "format": "xlsx"})
    assert f"{layout.name}-import-template.xlsx" in response.headers["content-disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [layout.sheet_name(lang), "说明" if lang == "zh" else "Notes"]


# -- organisations --------------------------------------------------------------------


async def test_organisations_with_contacts_and_every_error_of_a_row_at_once(
    registry: Running,
) -> None:
    bad = org_row(
        "BAD",
        3,
        kind="工厂",
        district_code="999999",
        credit_code="123",
        taxonomy_codes="NOPE",
        contact_1_email="not-an-address",
        platform_1_level="宇宙级",
    )
    data = csv_of(ORGANISATIONS, [org_row("O1", 1), bad, org_row("O2", 2)])
    job = await imported(registry, ImportKind.ORGANISATIONS, data)
    assert counts(job) == (2, 0, 0, 1)
    assert errors_of(job, 3) == {
        "rows.3.kind": ("NOT_A_CHOICE", "单位类型"),
        "rows.3.platform_1_level": ("NOT_A_CHOICE", "平台1级别"),
        "rows.3.district_code": ("UNKNOWN_DISTRICT", "所在区县代码"),
        "rows.3.credit_code": ("CREDIT_CODE", "统一社会信用代码"),
        "rows.3.taxonomy_codes.0": ("UNKNOWN_TAXONOMY", "产业分类代码"),
        "rows.3.contacts.0.email": ("EMAIL", "联系人1邮箱"),
    }
    [first] = [o for o in await organisations(registry) if o["name"]["en"].endswith(" 1")]
    assert first["kind"] == "ENTERPRISE" and first["taxonomy_codes"] == ["C33-L3", "C33-N05"]
    assert [c["name"] for c in first["contacts"]] == ["王经理", "赵主任"]
    assert first["platforms"] == [{"level": "MUNICIPAL", "name": "重庆市工程技术研究中心"}]


async def test_a_re_import_registers_nothing_twice_and_a_changed_row_updates(
    registry: Running,
) -> None:
    rows = [org_row("O1", 1), org_row("O2", 2)]
    await imported(registry, ImportKind.ORGANISATIONS, csv_of(ORGANISATIONS, rows))
    before = {o["id"] for o in await organisations(registry)}
    again = await imported(registry, ImportKind.ORGANISATIONS, csv_of(ORGANISATIONS, rows, "en"))
    assert counts(again) == (0, 0, 2, 0)
    rows[1]["description_zh"] = "改过的简介"
    changed = await imported(registry, ImportKind.ORGANISATIONS, csv_of(ORGANISATIONS, rows))
    assert counts(changed) == (0, 1, 1, 0)
    after = await organisations(registry)
    assert {o["id"] for o in after} == before
    assert "改过的简介" in [o["description"]["zh"] for o in after]


async def test_a_district_officer_imports_organisations_of_the_district_only(
    registry: Running,
) -> None:
    yuzhong = officer(YUZHONG)
    rows = [org_row("O1", 1), org_row("O2", 2, district_code=JIANGBEI)]
    job = await imported(registry, ImportKind.ORGANISATIONS, csv_of(ORGANISATIONS, rows), yuzhong)
    assert counts(job) == (1, 0, 0, 1)
    assert errors_of(job, 3) == {"rows.3.district_code": ("OUT_OF_DISTRICT", "所在区县代码")}
    # the officer's keys are the district's own: the operators' O1 is another organisation
    ops = await imported(registry, ImportKind.ORGANISATIONS, csv_of(ORGANISATIONS, rows[:1]))
    assert counts(ops) == (0, 0, 0, 1)
    assert errors_of(ops, 2) == {"rows.2.credit_code": ("ALREADY_REGISTERED", "统一社会信用代码")}


async def test_an_organisation_export_re_imports_unchanged(registry: Running) -> None:
    rows = [org_row(f"O{i}", i) for i in range(1, 4)]
    await imported(registry, ImportKind.ORGANISATIONS, csv_of(ORGANISATIONS, rows))
    for fmt in ("csv", "xlsx"):
        response = await api(registry).get(
            "/exports/organisations", params={"format": fmt}, headers=who(None)
        )
        assert response.status_code == 200, response.text
        job = await imported(registry, ImportKind.ORGANISATIONS, response.content)
        assert counts(job) == (0, 0, 3, 0), job
    assert len(await organisations(registry)) == 3


# -- talents --------------------------------------------------------------------------


async def test_talents_with_consent_by_a_district_officer(registry: Running) -> None:
    taken = await register_talent(registry, "taken@example.de")
    assert taken
    rows = [
        talent_row("T1", "chen@example.de"),
        talent_row(
            "T2",
            "taken@example.de",
            degree="本科",
            timezone="Mars/Base",
            consent_notice_version="2020-01",
            consent_purposes="MATCHING",
        ),
        talent_row("T3", "taken@example.de"),
    ]
    yuzhong = officer(YUZHONG)
    job = await imported(registry, ImportKind.TALENTS, csv_of(TALENTS, rows, "en"), yuzhong)
    assert counts(job) == (1, 0, 0, 2)
    assert errors_of(job, 3) == {
        "rows.3.degree": ("NOT_A_CHOICE", "Degree"),
        "rows.3.timezone": ("TIMEZONE", "Time zone"),
        "rows.3.consent.notice_version": ("OUTDATED_NOTICE", "Notice version"),
        "rows.3.consent.purposes": ("CONSENT_REQUIRED", "Consent purposes"),
    }
    assert errors_of(job, 4) == {
        "rows.4.contact.email": ("ALREADY_REGISTERED", "Contact e-mail"),
    }
    # a re-import needs no new consent, and changes the talent it registered
    rows = [talent_row("T1", "chen@example.de", location="Berlin", consent_purposes="")]
    again = await imported(registry, ImportKind.TALENTS, csv_of(TALENTS, rows), yuzhong)
    assert counts(again) == (0, 1, 0, 0)
    export = await api(registry).get(
        "/exports/talents", params={"format": "csv"}, headers=who(None)
    )
    assert export.status_code == 200, export.text
    lines = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert sorted(line["所在城市"] for line in lines) == ["Aachen", "Berlin"]
    back = await imported(registry, ImportKind.TALENTS, export.content)
    assert counts(back) == (0, 0, 2, 0)
    # the district re-imports the export: the talent it imported, not the other one
    mine = await imported(registry, ImportKind.TALENTS, export.content, yuzhong)
    assert counts(mine) == (0, 0, 1, 1)
    [other] = [line for line in lines if line["人才编号"] == taken]
    [refused] = [r for r in mine["errors"]["items"]]
    assert refused["key"] == other["外部编号"] == taken
    assert [(e["code"], e["column"]) for e in refused["errors"]] == [("FORBIDDEN", "外部编号")]


async def test_an_export_with_contacts_is_an_audited_disclosure(registry: Running) -> None:
    await imported(registry, ImportKind.ORGANISATIONS, csv_of(ORGANISATIONS, [org_row("O1", 1)]))
    yuzhong = officer(YUZHONG)
    export = await api(registry).get(
        "/exports/organisations", params={"format": "csv", "headers": "en"}, headers=who(yuzhong)
    )
    [line] = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert line["Contact 1 e-mail"] == "hr1@import-example.cn"
    audit = await api(registry).get(f"/parties/{line['Organisation ID']}/audit", headers=who(None))
    assert audit.status_code == 200, audit.text
    assert [(e["account_id"], e["action"]) for e in audit.json()] == [
        (yuzhong.account_id, "read_contacts")
    ]


async def test_visitors_export_no_talents(registry: Running) -> None:
    response = await api(registry).get("/exports/talents", headers=who(PUBLIC))
    assert response.status_code == 403, response.text
    assert response.json()["error"]["code"] == "SIGN_IN_REQUIRED"


# -- interrupted rows -----------------------------------------------------------------


async def test_a_row_interrupted_after_binding_its_key_registers_under_that_id(
    registry: Running,
) -> None:
    """What a resumed job meets: the key is bound to an id no organisation has yet."""
    imports = importer(registry)
    await imports.jobs.bind_profile("ops:ORGANISATIONS:O1", "org_chosen_before_the_crash")
    sheet = Sheet(ORGANISATIONS, "csv", "zh", {}, (), ())
    rows = ProfileRowImporter(
        imports.profiles, imports.jobs, await imports.reference(), OPERATOR, sheet
    )
    [result] = await rows.run([Row(2, org_row("O1", 1))])
    assert (result.outcome.value, result.errors) == ("created", ())
    [org] = await organisations(registry)
    assert org["id"] == "org_chosen_before_the_crash"
    [again] = await rows.run([Row(2, org_row("O1", 1))])
    assert again.outcome.value == "unchanged"


async def test_a_file_of_another_kind_is_refused_whole(registry: Running) -> None:
    data = csv_of(TALENTS, [talent_row("T1", "chen@example.de")])
    response = await api(registry).post(
        "/imports",
        params={"kind": "ORGANISATIONS"},
        files={"file": ("t.csv", data, "text/csv")},
        headers=who(None),
    )
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "MISSING_COLUMNS"
