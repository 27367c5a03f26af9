"""Agreements' files through the gateway, on the real agreements and registry services:
the ceremony roster downloaded as XLSX and as a printable page (staff only, ``lang``,
``order``)."""

from __future__ import annotations

import io
from pathlib import Path

import httpx
from openpyxl import load_workbook

from boyin_shared.identity import Actor, Role
from tests.agreements.service_support import EDITION, Published, Service, signed
from tests.gateway.live_services import live_gateway

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
