"""Agreements' files through the gateway, on the real agreements and registry services:
the ceremony roster downloaded as XLSX and as a printable page (staff only, ``lang``,
``order``); an agreement's documents uploaded into the registry's attachment store and
recorded on the agreement, downloaded by those who see the agreement."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import httpx
from openpyxl import load_workbook

from boyin_shared.identity import Actor, Role
from tests.agreements.service_support import (
    DISTRICT,
    EDITION,
    OFFICER,
    OTHER_OFFICER,
    PARTIES,
    STRANGER,
    TALENT,
    TERMS,
    ok,
    signed,
)
from tests.apps import Published, Service
from tests.gateway.agreements_support import ROSTER_ORDERED
from tests.gateway.live_services import live_gateway
from tests.platform_harness import graphql

STAFF = Actor("acc_staff", Role.OPERATOR)
PARTY = Actor("acc_o", Role.ORGANISATION, party_id="org_1")


def bearer(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}


async def test_the_roster_downloads_as_xlsx_and_as_a_printable_page(tmp_path: Path) -> None:
    async with live_gateway(tmp_path) as live:
        s = Service(live.services, live.services.client("agreements"), Published())
        first, second = await signed(s), await signed(s)
        staff = live.gateway.token(STAFF)
        path = f"{live.gateway.url}/files/editions/{EDITION}/roster"
        async with httpx.AsyncClient() as http:
            xlsx = await http.get(
                path,
                params={"lang": "en", "order": [second["id"], first["id"]]},
                headers=bearer(staff),
            )
            assert xlsx.status_code == 200, xlsx.text
            assert xlsx.headers["cache-control"] == "private, no-store"
            assert "attachment;" in xlsx.headers["content-disposition"]
            sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
            rows = list(sheet.iter_rows(values_only=True))
            assert rows[0][0] == "No."
            assert [(r[0], r[6]) for r in rows[1:]] == [(1, second["id"]), (2, first["id"])]

            page = await http.get(path, params={"format": "html"}, headers=bearer(staff))
            assert page.status_code == 200, page.text
            assert page.headers["content-type"] == "text/html; charset=utf-8"
            assert '<html lang="zh">' in page.text and "size: A4" in page.text
            assert page.text.index(first["id"]) < page.text.index(second["id"])

            refused = await http.get(path, headers=bearer(live.gateway.token(PARTY)))
            assert refused.status_code == 403 and refused.json()["error"]["code"] == "FORBIDDEN"
            visitor = await http.get(path)
            assert visitor.status_code == 401
            bad = await http.get(path, params={"format": "pdf"}, headers=bearer(staff))
            assert bad.status_code == 422

        # the same roster in GraphQL, in the operator's order
        ordered = (
            await graphql(
                live.gateway.url,
                ROSTER_ORDERED,
                staff,
                e=EDITION,
                order=[second["id"], first["id"]],
            )
        )["editionRoster"]
        assert [(r["order"], r["agreementId"]) for r in ordered["rows"]] == [
            (1, second["id"]),
            (2, first["id"]),
        ]
        assert ordered["rows"][0]["headline"] == "CNY 15,000,000.00"
        twice = (
            await graphql(
                live.gateway.url, ROSTER_ORDERED, staff, e=EDITION, order=[first["id"]] * 2
            )
        )["editionRoster"]
        assert twice["__typename"] == "InvalidInput", twice
        assert [(f["field"], f["code"]) for f in twice["fields"]] == [("order.1", "DUPLICATE")]


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
ADD_DOCUMENT = """
mutation($id: ID!, $file: Upload!, $kind: AgreementDocumentKind!) {
  addAgreementDocument(id: $id, file: $file, kind: $kind) {
    __typename
    ... on Agreement { unconfirmed terms { documents { attachmentId name kind } } }
    ... on Problem { code fields { field code } }
  }
}"""
REMOVE_DOCUMENT = """
mutation($id: ID!, $a: ID!) {
  removeAgreementDocument(id: $id, attachmentId: $a) {
    __typename ... on Agreement { terms { documents { attachmentId } } }
    ... on Problem { code }
  }
}"""


async def add_document(
    url: str, token: str, agreement_id: str, data: bytes, name: str, content_type: str
) -> dict[str, Any]:
    """``addAgreementDocument`` as a GraphQL multipart request."""
    variables = {"id": agreement_id, "file": None, "kind": "DRAFT_CONTRACT"}
    operations = json.dumps({"query": ADD_DOCUMENT, "variables": variables})
    async with httpx.AsyncClient() as http:
        response = await http.post(
            url + "/graphql",
            data={"operations": operations, "map": json.dumps({"0": ["variables.file"]})},
            files={"0": (name, data, content_type)},
            headers=bearer(token) | {"Apollo-Require-Preflight": "true"},
        )
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    result: dict[str, Any] = body["data"]["addAgreementDocument"]
    return result


async def test_documents_go_to_the_attachment_store_and_to_those_who_see_the_agreement(
    tmp_path: Path,
) -> None:
    async with live_gateway(tmp_path) as live:
        s = Service(live.services, live.services.client("agreements"), Published())
        a = ok(await s.api.post("/agreements", json={"parties": PARTIES, "terms": TERMS}), 201)
        gw, aid = live.gateway, a["id"]
        org = gw.token(PARTY)

        added = await add_document(gw.url, org, aid, PDF, "合同草稿.pdf", "application/pdf")
        assert added["__typename"] == "Agreement", added
        (doc,) = added["terms"]["documents"]
        assert (doc["name"], doc["kind"]) == ("合同草稿.pdf", "DRAFT_CONTRACT")
        att = doc["attachmentId"]
        path = f"{gw.url}/files/agreements/{aid}/documents/{att}"
        async with httpx.AsyncClient() as http:
            # the other party and the landing district's officers have it
            for who in (TALENT, OFFICER, STAFF):
                got = await http.get(path, headers=bearer(gw.token(who)))
                assert got.status_code == 200, (who, got.text)
                assert got.content == PDF
                assert got.headers["content-type"] == "application/pdf"
            # to others the agreement (and so its document) does not exist
            for who in (STRANGER, OTHER_OFFICER):
                got = await http.get(path, headers=bearer(gw.token(who)))
                assert got.status_code == 404, (who, got.text)
            assert (await http.get(path)).status_code == 401
            other = await http.get(
                f"{gw.url}/files/agreements/{aid}/documents/att_other", headers=bearer(org)
            )
            assert other.status_code == 404 and other.json()["error"]["code"] == "NOT_FOUND"
            # the store alone does not know the agreement's parties
            direct = await http.get(
                f"{gw.url}/files/attachments/{att}", headers=bearer(gw.token(TALENT))
            )
            assert direct.status_code == 404

        text = await add_document(gw.url, org, aid, b"hello", "notes.txt", "text/plain")
        assert text["__typename"] == "InvalidInput", text
        assert {f["code"] for f in text["fields"]} == {"FILE_TYPE"}
        stranger = await add_document(
            gw.url, gw.token(STRANGER), aid, PDF, "x.pdf", "application/pdf"
        )
        assert stranger["__typename"] == "NotFound", stranger

        removed = (await graphql(gw.url, REMOVE_DOCUMENT, org, id=aid, a=att))[
            "removeAgreementDocument"
        ]
        assert removed == {"__typename": "Agreement", "terms": {"documents": []}}
        again = (await graphql(gw.url, REMOVE_DOCUMENT, org, id=aid, a=att))[
            "removeAgreementDocument"
        ]
        assert (again["__typename"], again["code"]) == ("InvalidInput", "VALIDATION_FAILED")
        assert TERMS["district_code"] == DISTRICT
