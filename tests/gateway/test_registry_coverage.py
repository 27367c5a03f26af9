"""Every capability of the registry, reached through the gateway only: reference data, the
taxonomy, organisations' updates, personal data, attachments, imports, exports and expiry.
Files go up as GraphQL multipart requests and come down from the gateway's /files routes.

The tests share one platform (each registers its own parties)."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from typing import Any

import httpx
import pytest

from boyin_platform.demo import CONSENT
from tests.gateway.support import (
    DEMAND,
    PASSWORD,
    PROBLEM,
    REGISTER_TALENT,
    SHAPINGBA,
    YUZHONG,
    admin_token,
    assert_bilingual,
    cooperation_content,
    landing_content,
    organisation_input,
    sign_up,
    staff_token,
    talent_input,
)
from tests.gateway.test_registry_flow import (
    create_demand,
    register_organisation,
    register_talent,
)
from tests.platform_harness import graphql, graphql_raw, http_client, sign_in

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.fixture
def url(platform_url: str) -> str:
    return platform_url


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PREFLIGHT = {"Apollo-Require-Preflight": "true"}

REFERENCE = """{
  districts { code kind name { zh en } }
  editions { code name { zh en } }
  eligibilityCriteria { code side name { zh en } }
  taxonomy { version nodes { code parent retired name { zh en } } }
  privacyNotice { version text { zh en } purposes { code description { zh en } } }
}"""

TAXONOMY_CHANGE = f"""
__typename
... on TaxonomyCodeChanged {{ taxonomyVersion node {{ code parent retired name {{ zh en }} }} }}
{PROBLEM}"""
ADD_CODE = f"""
mutation($code: String!, $parent: String, $zh: String!, $en: String!) {{
  addTaxonomyCode(code: $code, parent: $parent, nameZh: $zh, nameEn: $en) {{ {TAXONOMY_CHANGE} }}
}}"""
RENAME_CODE = f"""
mutation($code: String!, $zh: String!, $en: String!) {{
  renameTaxonomyCode(code: $code, nameZh: $zh, nameEn: $en) {{ {TAXONOMY_CHANGE} }}
}}"""
RETIRE_CODE = f"""
mutation($code: String!) {{ retireTaxonomyCode(code: $code) {{ {TAXONOMY_CHANGE} }} }}"""

UPDATE_ORGANISATION = f"""
mutation($id: ID!, $input: OrganisationInput!) {{
  updateOrganisation(id: $id, input: $input) {{
    __typename
    ... on Organisation {{
      id revision districtCode description {{ zh en }} platforms {{ level name }}
    }}
    {PROBLEM}
  }}
}}"""

EXPORT_FIELDS = f"__typename ... on PersonalDataExport {{ talentId data }} {PROBLEM}"
MY_DATA = f"{{ myPersonalData {{ {EXPORT_FIELDS} }} }}"
PERSONAL_DATA = f"query($id: ID!) {{ personalData(talentId: $id) {{ {EXPORT_FIELDS} }} }}"
AUDIT = f"""
query($id: ID!) {{
  auditOfParty(partyId: $id) {{
    __typename ... on PartyAudit {{ partyId entries {{ accountId role action at }} }} {PROBLEM}
  }}
}}"""
ERASED = f"__typename ... on Talent {{ id name {{ zh en }} field {{ en }} }} {PROBLEM}"
ERASE_MINE = f"mutation {{ eraseMyData {{ {ERASED} }} }}"
ERASE_TALENT = f"mutation($id: ID!) {{ eraseTalent(id: $id) {{ {ERASED} }} }}"

UPLOAD_ATTACHMENT = f"""
mutation($file: Upload!) {{
  uploadAttachment(file: $file) {{
    __typename ... on Attachment {{ id name size contentType downloadPath }} {PROBLEM}
  }}
}}"""

IMPORT_JOB_FIELDS = """
id status resumable scope filename format total processed
counts { created updated unchanged failed }
ignoredColumns error { code message { zh en } } createdAt startedAt finishedAt
errors { total offset nextOffset rows { row key errors { column field code message { zh en } } } }
"""
START_IMPORT = f"""
mutation($file: Upload!) {{
  startImport(file: $file) {{ __typename ... on ImportJob {{ {IMPORT_JOB_FIELDS} }} {PROBLEM} }}
}}"""
IMPORT_JOB = f"""
query($id: ID!, $first: Int!) {{
  importJob(id: $id, errorsFirst: $first) {{
    __typename ... on ImportJob {{ {IMPORT_JOB_FIELDS} }} {PROBLEM}
  }}
}}"""
RESUME_IMPORT = f"""
mutation($id: ID!) {{
  resumeImport(id: $id) {{ __typename ... on ImportJob {{ id status }} {PROBLEM} }}
}}"""
EXPIRE_DUE = f"""
mutation {{ expireDueDemands {{ __typename ... on ExpiredDemands {{ expired }} {PROBLEM} }} }}"""


def bearer(token: str | None) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"} if token else {}


async def upload(
    url: str,
    token: str | None,
    document: str,
    data: bytes,
    filename: str,
    content_type: str,
    *,
    preflight: bool = True,
) -> httpx.Response:
    """A GraphQL multipart request: ``operations``, ``map``, then the file as ``$file``."""
    operations = json.dumps({"query": document, "variables": {"file": None}})
    headers = bearer(token) | (PREFLIGHT if preflight else {})
    async with http_client() as client:
        return await client.post(
            url + "/graphql",
            data={"operations": operations, "map": json.dumps({"0": ["variables.file"]})},
            files={"0": (filename, data, content_type)},
            headers=headers,
        )


async def uploaded(
    url: str, token: str | None, document: str, data: bytes, filename: str, content_type: str
) -> dict[str, Any]:
    response = await upload(url, token, document, data, filename, content_type)
    body: dict[str, Any] = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    result: dict[str, Any] = next(iter(body["data"].values()))
    return result


async def download(url: str, path: str, token: str | None = None, **params: str) -> httpx.Response:
    async with http_client() as client:
        return await client.get(url + path, params=params, headers=bearer(token))


def assert_error_body(response: httpx.Response, status: int, code: str) -> None:
    """The platform's JSON error shape, with its message in both languages."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code, error
    assert_bilingual(error)


async def test_reference_data_and_the_privacy_notice_are_for_everyone(url: str) -> None:
    data = await graphql(url, REFERENCE)  # no token at all
    districts = {d["code"]: d for d in data["districts"]}
    assert districts[YUZHONG]["name"] == {"zh": "渝中区", "en": "Yuzhong District"}
    assert districts[YUZHONG]["kind"] == "district"
    assert "CQ2026" in {e["code"] for e in data["editions"]}
    criteria = {c["code"]: c for c in data["eligibilityCriteria"]}
    assert criteria["KEY_PLATFORMS"]["side"] in ("SUPPLIER", "DEMANDER")
    assert {c["side"] for c in criteria.values()} == {"SUPPLIER", "DEMANDER"}
    assert all(c["name"]["zh"] and c["name"]["en"] for c in criteria.values())
    taxonomy = data["taxonomy"]
    nodes = {n["code"]: n for n in taxonomy["nodes"]}
    assert taxonomy["version"] >= 1 and "C33-L3" in nodes
    assert nodes["C33-L3"]["retired"] is False
    notice = data["privacyNotice"]
    assert notice["version"] == CONSENT["notice_version"]
    assert {p["code"] for p in notice["purposes"]} == set(CONSENT["purposes"])
    assert notice["text"]["zh"] and notice["text"]["en"]


async def test_operators_add_rename_and_retire_taxonomy_codes(url: str) -> None:
    operator = await staff_token(url, "ops.taxonomy@coverage.example", "OPERATOR")
    before = (await graphql(url, "{ taxonomy { version } }"))["taxonomy"]["version"]

    added = (
        await graphql(url, ADD_CODE, operator, code="C33-X9", parent="C33-L3", zh="新材料", en="X")
    )["addTaxonomyCode"]
    assert added["__typename"] == "TaxonomyCodeChanged", added
    assert added["node"] == {
        "code": "C33-X9",
        "parent": "C33-L3",
        "retired": False,
        "name": {"zh": "新材料", "en": "X"},
    }
    assert added["taxonomyVersion"] > before

    renamed = (
        await graphql(url, RENAME_CODE, operator, code="C33-X9", zh="先进材料", en="Advanced")
    )["renameTaxonomyCode"]
    assert renamed["node"]["name"] == {"zh": "先进材料", "en": "Advanced"}
    assert renamed["taxonomyVersion"] > added["taxonomyVersion"]

    retired = (await graphql(url, RETIRE_CODE, operator, code="C33-X9"))["retireTaxonomyCode"]
    assert retired["node"]["retired"] is True
    taxonomy = (await graphql(url, "{ taxonomy { version nodes { code retired } } }"))["taxonomy"]
    assert {"code": "C33-X9", "retired": True} in taxonomy["nodes"]  # retired codes are listed
    assert taxonomy["version"] == retired["taxonomyVersion"]

    # bad input: every field's problem at once, in both languages
    bad = (await graphql(url, ADD_CODE, operator, code="bad code", parent="NOPE", zh=" ", en="x"))[
        "addTaxonomyCode"
    ]
    assert bad["__typename"] == "InvalidInput", bad
    assert {f["field"] for f in bad["fields"]} == {"code", "parent", "name"}
    assert_bilingual(bad)
    missing = (await graphql(url, RETIRE_CODE, operator, code="NO-SUCH"))["retireTaxonomyCode"]
    assert missing["__typename"] == "NotFound", missing

    # permission: an organisation, and a visitor, may not change the taxonomy
    _, org = await register_organisation(url, "org.taxonomy@coverage.example", 301)
    for token in (org, None):
        refused = (await graphql(url, RENAME_CODE, token, code="C33-L3", zh="改", en="Changed"))[
            "renameTaxonomyCode"
        ]
        assert refused["__typename"] == "Forbidden", refused
        assert_bilingual(refused)


async def test_an_organisation_updates_its_profile_within_its_rights(url: str) -> None:
    org_id, org = await register_organisation(url, "org.profile@coverage.example", 311)
    changed = organisation_input(311) | {
        "descriptionEn": "Sensor materials research and pilot production.",
        "platforms": [{"level": "MUNICIPAL", "name": "重庆市传感材料工程技术研究中心"}],
    }
    result = (await graphql(url, UPDATE_ORGANISATION, org, id=org_id, input=changed))[
        "updateOrganisation"
    ]
    assert result["__typename"] == "Organisation", result
    assert result["revision"] == 2
    assert result["description"]["en"] == "Sensor materials research and pilot production."
    assert result["platforms"] == [{"level": "MUNICIPAL", "name": "重庆市传感材料工程技术研究中心"}]
    other_id, other = await register_organisation(url, "other.profile@coverage.example", 312)

    # permission: another organisation, and another district's officer
    shapingba = await staff_token(
        url, "spb.profile@coverage.example", "DISTRICT_OFFICER", SHAPINGBA
    )
    for token in (other, shapingba):
        refused = (await graphql(url, UPDATE_ORGANISATION, token, id=org_id, input=changed))[
            "updateOrganisation"
        ]
        assert refused["__typename"] == "Forbidden", refused
        assert_bilingual(refused)

    # bad input, a conflict with another organisation's credit code, an unknown id
    admin = await admin_token(url)
    bad = (
        await graphql(
            url,
            UPDATE_ORGANISATION,
            admin,
            id=org_id,
            input=changed | {"creditCode": "91500103MA0000000X", "districtCode": "999999"},
        )
    )["updateOrganisation"]
    assert bad["__typename"] == "InvalidInput", bad
    assert {"credit_code", "district_code"} <= {f["field"] for f in bad["fields"]}
    assert_bilingual(bad)
    taken = organisation_input(312) | {"nameZh": "改名"}
    conflict = (await graphql(url, UPDATE_ORGANISATION, admin, id=org_id, input=taken))[
        "updateOrganisation"
    ]
    assert conflict["__typename"] == "Conflict", conflict
    assert other_id != org_id
    missing = (await graphql(url, UPDATE_ORGANISATION, admin, id="org_missing", input=changed))[
        "updateOrganisation"
    ]
    assert missing["__typename"] == "NotFound", missing


async def test_a_talent_takes_away_and_erases_their_data(url: str) -> None:
    # a token from before the profile existed still finds it (through the account)
    signed_up = await sign_up(url, "li.wei@coverage.example", "TALENT")
    early = signed_up["session"]["accessToken"]
    registered = (
        await graphql(url, REGISTER_TALENT, early, input=talent_input("li.wei@coverage.example"))
    )["registerTalent"]
    talent_id = registered["id"]
    mine = (await graphql(url, MY_DATA, early))["myPersonalData"]
    assert mine["__typename"] == "PersonalDataExport", mine
    assert mine["talentId"] == talent_id
    assert mine["data"]["profile"]["contact"]["email"] == "li.wei@coverage.example"
    assert mine["data"]["profile"]["consents"][0]["notice_version"] == CONSENT["notice_version"]

    # staff read it: the read is in the person's audit log
    operator = await staff_token(url, "ops.privacy@coverage.example", "OPERATOR")
    staff_copy = (await graphql(url, PERSONAL_DATA, operator, id=talent_id))["personalData"]
    assert staff_copy["__typename"] == "PersonalDataExport", staff_copy
    token = await sign_in(url, "li.wei@coverage.example", PASSWORD)
    audit = (await graphql(url, AUDIT, token, id=talent_id))["auditOfParty"]
    assert audit["__typename"] == "PartyAudit", audit
    assert "export_personal_data" in {e["action"] for e in audit["entries"]}
    assert {e["role"] for e in audit["entries"]} == {"OPERATOR"}

    # permission: others may not export it, see its audit log, or erase it
    org_id, org = await register_organisation(url, "org.privacy@coverage.example", 321)
    for document, field in ((MY_DATA, "myPersonalData"), (PERSONAL_DATA, "personalData")):
        refused = (await graphql(url, document, org, id=talent_id))[field]
        assert refused["__typename"] == "Forbidden", refused
        assert_bilingual(refused)
    assert (await graphql(url, AUDIT, org, id=talent_id))["auditOfParty"][
        "__typename"
    ] == "Forbidden"
    own_audit = (await graphql(url, AUDIT, org, id=org_id))["auditOfParty"]
    assert own_audit == {"__typename": "PartyAudit", "partyId": org_id, "entries": []}
    assert (await graphql(url, ERASE_TALENT, operator, id=talent_id))["eraseTalent"][
        "__typename"
    ] == "Forbidden"  # administrators only
    not_yet = (
        await graphql(
            url,
            ERASE_MINE,
            (await sign_up(url, "t2@c.example", "TALENT"))["session"]["accessToken"],
        )
    )["eraseMyData"]
    assert not_yet["__typename"] == "NotFound", not_yet  # no profile to erase yet

    # the talent erases their data; their open demands are withdrawn
    demand = await create_demand(url, token, talent_id, cooperation_content(), submit=True)
    assert demand["status"] == "SUBMITTED", demand
    erased = (await graphql(url, ERASE_MINE, token))["eraseMyData"]
    assert erased["__typename"] == "Talent", erased
    assert erased["name"] == {"zh": "已删除用户", "en": "Deleted user"}
    assert erased["field"] == {"en": None}
    admin = await admin_token(url)
    after = await graphql(url, PERSONAL_DATA, admin, id=talent_id)
    assert "li.wei@coverage.example" not in json.dumps(after)
    assert after["personalData"]["data"]["profile"]["erased_at"], after
    withdrawn = (await graphql(url, DEMAND, operator, id=demand["id"]))["demand"]
    assert withdrawn["status"] == "WITHDRAWN", withdrawn

    # an administrator erases another talent; an unknown one is not found
    other_id, _ = await register_talent(url, "zhang.min@coverage.example", "Zhang Min")
    by_admin = (await graphql(url, ERASE_TALENT, admin, id=other_id))["eraseTalent"]
    assert by_admin["__typename"] == "Talent" and by_admin["name"]["en"] == "Deleted user"
    missing = (await graphql(url, ERASE_TALENT, admin, id="tal_missing"))["eraseTalent"]
    assert missing["__typename"] == "NotFound", missing


async def test_attachments_go_up_by_multipart_and_come_down_by_the_files_route(url: str) -> None:
    org_id, org = await register_organisation(url, "org.files@coverage.example", 331)
    attachment = await uploaded(url, org, UPLOAD_ATTACHMENT, PDF, "资质证明.pdf", "application/pdf")
    assert attachment["__typename"] == "Attachment", attachment
    assert (attachment["name"], attachment["size"]) == ("资质证明.pdf", len(PDF))
    assert attachment["contentType"] == "application/pdf"
    assert attachment["downloadPath"] == f"/files/attachments/{attachment['id']}"

    # attached to a demand, and as a claim's evidence
    content = landing_content(
        attachmentIds=[attachment["id"]],
        claims=[{"criterion": "KEY_PLATFORMS", "evidenceFile": attachment["id"]}],
    )
    demand = await create_demand(url, org, org_id, content, submit=False)
    assert demand["__typename"] == "Demand", demand
    attached = await graphql(
        url,
        "query($id: ID!) { demand(id: $id) { attachments { id name } claims { evidenceFile } } }",
        org,
        id=demand["id"],
    )
    assert attached["demand"]["attachments"] == [{"id": attachment["id"], "name": "资质证明.pdf"}]
    assert attached["demand"]["claims"] == [{"evidenceFile": attachment["id"]}]

    got = await download(url, attachment["downloadPath"], org)
    assert got.status_code == 200 and got.content == PDF
    assert got.headers["content-type"] == "application/pdf"
    assert "attachment;" in got.headers["content-disposition"]

    # others may not have it (as if it did not exist); a bad token is 401
    _, talent = await register_talent(url, "li.wei.files@coverage.example")
    assert_error_body(await download(url, attachment["downloadPath"], talent), 404, "NOT_FOUND")
    assert_error_body(await download(url, attachment["downloadPath"]), 404, "NOT_FOUND")
    unauthenticated = await download(url, attachment["downloadPath"], "not-a-token")
    assert_error_body(unauthenticated, 401, "UNAUTHENTICATED")
    assert unauthenticated.headers["www-authenticate"] == "Bearer"

    # bad input: the bytes are not what the type claims
    fake = await uploaded(url, org, UPLOAD_ATTACHMENT, b"hello", "x.pdf", "application/pdf")
    assert fake["__typename"] == "InvalidInput", fake
    assert {f["code"] for f in fake["fields"]} == {"FILE_CONTENT"}
    assert_bilingual(fake)
    # permission: a visitor may not upload
    anonymous = await uploaded(url, None, UPLOAD_ATTACHMENT, PDF, "a.pdf", "application/pdf")
    assert anonymous["__typename"] == "Forbidden", anonymous

    # a multipart request without a header that makes browsers ask first is refused
    forged = await upload(
        url, org, UPLOAD_ATTACHMENT, PDF, "a.pdf", "application/pdf", preflight=False
    )
    assert_error_body(forged, 400, "PREFLIGHT_REQUIRED")


def _csv(rows: list[dict[str, str]], headers: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([row.get(h, "") for h in headers] for row in rows)
    return out.getvalue().encode("utf-8")


async def _finished(url: str, token: str, job_id: str) -> dict[str, Any]:
    for _ in range(200):
        job: dict[str, Any] = (await graphql(url, IMPORT_JOB, token, id=job_id, first=10))[
            "importJob"
        ]
        assert job["__typename"] == "ImportJob", job
        if job["status"] in ("DONE", "FAILED"):
            return job
        await asyncio.sleep(0.05)
    raise AssertionError(f"import {job_id} did not finish")


async def test_imports_exports_and_expiry_through_the_gateway(url: str) -> None:
    org_id, org = await register_organisation(url, "org.imports@coverage.example", 341)
    operator = await staff_token(url, "ops.imports@coverage.example", "OPERATOR")

    # the template, for anyone: an empty CSV with English headers
    template = await download(url, "/files/imports/template", format="csv", lang="en")
    assert template.status_code == 200, template.text
    assert template.headers["content-type"].startswith("text/csv")
    assert "demand-import-template.csv" in template.headers["content-disposition"]
    headers = next(csv.reader(io.StringIO(template.content.decode("utf-8-sig"))))
    assert {"External ref", "Channel", "Owner ID", "Title (en)"} <= set(headers)
    bad_format = await download(url, "/files/imports/template", format="pdf")
    assert_error_body(bad_format, 422, "VALIDATION_FAILED")

    good = {
        "External ref": "G1",
        "Channel": "PROJECT_LANDING",
        "Owner ID": org_id,
        "Title (zh)": "传感器项目落地",
        "Title (en)": "Landing of sensor projects",
        "Description (zh)": "提供中试场地。",
        "Description (en)": "A pilot workshop is available.",
        "Taxonomy codes": "C33-L3",
        "Claim 1 criterion": "KEY_PLATFORMS",
        "Claim 1 evidence": "重庆市工程技术研究中心",
        "Editions": "CQ2026",
        "Cooperation modes": "TECH_TRANSFER",
    }
    bad = good | {"External ref": "B1", "Title (zh)": "", "Title (en)": "", "Editions": "CQ1999"}
    data = _csv([good, bad], headers)

    started = await uploaded(url, operator, START_IMPORT, data, "demands.csv", "text/csv")
    assert started["__typename"] == "ImportJob", started
    assert (started["filename"], started["format"], started["total"]) == ("demands.csv", "csv", 2)
    job = await _finished(url, operator, started["id"])
    assert job["status"] == "DONE" and job["processed"] == 2 and job["resumable"] is False
    assert job["counts"] == {"created": 1, "updated": 0, "unchanged": 0, "failed": 1}, job["errors"]
    assert job["errors"]["total"] == 1 and job["errors"]["nextOffset"] is None
    [row] = job["errors"]["rows"]
    assert (row["row"], row["key"]) == (3, "B1")  # the header is row 1
    columns = {e["column"] for e in row["errors"]}
    assert {"Title (zh)", "Editions"} <= columns
    for error in row["errors"]:
        assert error["message"]["zh"] and error["message"]["en"], error

    # resuming a finished import conflicts; unknown and others' jobs are not found
    resumed = (await graphql(url, RESUME_IMPORT, operator, id=started["id"]))["resumeImport"]
    assert resumed["__typename"] == "Conflict", resumed
    assert_bilingual(resumed)
    unknown = (await graphql(url, IMPORT_JOB, operator, id="imp_missing", first=5))["importJob"]
    assert unknown["__typename"] == "NotFound", unknown
    officer = await staff_token(url, "yz.imports@coverage.example", "DISTRICT_OFFICER", YUZHONG)
    other_scope = (await graphql(url, IMPORT_JOB, officer, id=started["id"], first=5))["importJob"]
    assert other_scope["__typename"] == "NotFound", other_scope

    # permission: an organisation may not import, nor see an import
    refused = await uploaded(url, org, START_IMPORT, data, "demands.csv", "text/csv")
    assert refused["__typename"] == "Forbidden", refused
    assert_bilingual(refused)
    hidden = (await graphql(url, IMPORT_JOB, org, id=started["id"], first=5))["importJob"]
    assert hidden["__typename"] == "Forbidden", hidden
    # bad input: a file that is no spreadsheet
    empty = await uploaded(url, operator, START_IMPORT, b"   ", "empty.csv", "text/csv")
    assert empty["__typename"] == "InvalidInput", empty
    assert_bilingual(empty)

    # the export: what the caller may see, with the demand filters
    export = await download(
        url,
        "/files/exports/demands",
        operator,
        format="csv",
        lang="en",
        owner_id=org_id,
        channel="PROJECT_LANDING",
    )
    assert export.status_code == 200, export.text
    assert export.headers["content-type"].startswith("text/csv")
    exported = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert [r["Title (en)"] for r in exported] == ["Landing of sensor projects"]
    assert_error_body(
        await download(url, "/files/exports/demands", operator, status="NOPE"),
        422,
        "VALIDATION_FAILED",
    )
    nothing = await download(url, "/files/exports/demands", None, format="csv", owner_id=org_id)
    assert nothing.status_code == 200  # a visitor sees published demands only: none here
    assert list(csv.DictReader(io.StringIO(nothing.content.decode("utf-8-sig")))) == []
    assert_error_body(
        await download(url, "/files/exports/demands", "expired.token.here"), 401, "UNAUTHENTICATED"
    )

    # expiring due demands now is for operators and administrators
    expired = (await graphql(url, EXPIRE_DUE, operator))["expireDueDemands"]
    assert expired == {"__typename": "ExpiredDemands", "expired": 0}
    refused_expiry = (await graphql(url, EXPIRE_DUE, org))["expireDueDemands"]
    assert refused_expiry["__typename"] == "Forbidden", refused_expiry
    assert_bilingual(refused_expiry)


async def test_an_upload_variable_that_is_not_a_file_is_bad_input(url: str) -> None:
    operator = await staff_token(url, "ops.upload@coverage.example", "OPERATOR")
    response = await graphql_raw(url, UPLOAD_ATTACHMENT, operator, file="not a file")
    body = response.json()
    assert "errors" not in body, body
    result = body["data"]["uploadAttachment"]
    assert result["__typename"] == "InvalidInput", result
    assert [f["code"] for f in result["fields"]] == ["NOT_A_FILE"]
    assert_bilingual(result)
