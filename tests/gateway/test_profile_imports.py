"""Talents and organisations in bulk through the gateway: the template of each kind,
``startImport(kind:)``, the job's kind and its per-row bilingual errors, and the exports."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from tests.gateway.support import PROBLEM, YUZHONG, staff_token
from tests.gateway.test_registry_coverage import (
    IMPORT_JOB,
    _csv,
    download,
    uploaded,
)
from tests.platform_harness import graphql
from tests.registry.support import credit_code

pytestmark = pytest.mark.asyncio(loop_scope="module")

START_PROFILE_IMPORT = f"""
mutation($file: Upload!) {{
  startImport(file: $file, kind: ORGANISATIONS) {{
    __typename ... on ImportJob {{ id kind status total }} {PROBLEM}
  }}
}}"""


@pytest.fixture
def url(platform_url: str) -> str:
    return platform_url


async def _done(url: str, token: str, job_id: str) -> dict[str, Any]:
    for _ in range(200):
        job: dict[str, Any] = (await graphql(url, IMPORT_JOB, token, id=job_id, first=10))[
            "importJob"
        ]
        if job["status"] in ("DONE", "FAILED"):
            return job
    raise AssertionError(f"import {job_id} did not finish")


async def test_organisations_in_bulk_through_the_gateway(url: str) -> None:
    template = await download(
        url, "/files/imports/template", format="csv", lang="en", kind="ORGANISATIONS"
    )
    assert template.status_code == 200, template.text
    assert "organisation-import-template.csv" in template.headers["content-disposition"]
    headers = next(csv.reader(io.StringIO(template.content.decode("utf-8-sig"))))
    assert {"External ref", "Kind", "Credit code", "Contact 1 e-mail"} <= set(headers)

    good = {
        "External ref": "GW-O1",
        "Name (zh)": "重庆网关导入科技有限公司",
        "Kind": "ENTERPRISE",
        "District code": YUZHONG,
        "Credit code": credit_code(3457),
        "Taxonomy codes": "C33-L3",
        "Contact 1 name": "王经理",
        "Contact 1 e-mail": "wang@gateway-import.example",
    }
    bad = good | {"External ref": "GW-O2", "Kind": "FACTORY", "Contact 1 e-mail": "nope"}
    officer = await staff_token(url, "yz.profiles@coverage.example", "DISTRICT_OFFICER", YUZHONG)
    data = _csv([good, bad], headers)
    started = await uploaded(url, officer, START_PROFILE_IMPORT, data, "orgs.csv", "text/csv")
    assert (started["__typename"], started["kind"]) == ("ImportJob", "ORGANISATIONS"), started
    job = await _done(url, officer, started["id"])
    assert job["counts"] == {"created": 1, "updated": 0, "unchanged": 0, "failed": 1}, job
    [row] = job["errors"]["rows"]
    assert {(e["column"], e["code"]) for e in row["errors"]} == {
        ("Kind", "NOT_A_CHOICE"),
        ("Contact 1 e-mail", "EMAIL"),
    }

    export = await download(url, "/files/exports/organisations", officer, format="csv", lang="en")
    assert export.status_code == 200, export.text
    exported = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert [r["Contact 1 e-mail"] for r in exported] == ["wang@gateway-import.example"]
    visitor = await download(url, "/files/exports/talents", None, format="csv")
    assert visitor.status_code == 401, visitor.text
