"""The funnel through the gateway, on the real agreements service (in-process, its
embedded bus): the events of every service delivered scrambled and some twice, then the
``funnel`` query per district and per channel, a district officer held to their district,
the refusals as ``Forbidden``, and ``GET /files/exports/funnel`` as XLSX in ``lang``; a
gateway without an agreements service answers the funnel as unavailable."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

from boyin_agreements.app import definition
from boyin_gateway.clients.agreements import AgreementsClient, NoAgreements
from boyin_shared.bus import EventBus
from boyin_shared.identity import Actor, Role
from tests.agreements.funnel_support import (
    BY_DISTRICT,
    TOTAL,
    WANZHOU,
    YUZHONG,
    fair,
    scrambled,
)
from tests.apps import SECRET, running
from tests.gateway.fakes import FakePlatform
from tests.gateway.harness import Gateway, gateway_server
from tests.gateway.support import PROBLEM
from tests.platform_harness import graphql, http_client

FUNNEL = f"""
query($by: FunnelDimension!, $filter: FunnelFilter) {{
  funnel(by: $by, filter: $filter) {{
    __typename
    ... on Funnel {{
      by
      total {{ key steps {{ step count conversion }} contractValues {{ amount currency }}
               matchToSignature {{ agreements meanDays medianDays }} }}
      rows {{ key steps {{ step count }} }}
    }}
    {PROBLEM}
  }}
}}"""


@dataclass
class WithAgreements(FakePlatform):
    """The fakes, but the real agreements service behind the gateway's client."""

    pool: httpx.AsyncClient | None = None

    def agreements(self, actor: Actor) -> AgreementsClient:  # type: ignore[override]
        assert self.pool is not None
        return AgreementsClient(self.pool, SECRET, actor)


@dataclass
class Setup:
    gateway: Gateway
    bus: EventBus

    def token(self, actor: Actor) -> str:
        return self.gateway.token(actor)


@pytest.fixture
async def setup(tmp_path: Path) -> AsyncIterator[Setup]:
    async with running([definition], tmp_path / "agreements") as r:
        app = r.hosts["agreements"].app
        pool = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://ag")
        platform = WithAgreements(pool=pool)
        async with gateway_server(tmp_path / "gateway", platform=platform) as gateway:
            yield Setup(gateway, r.bus)
        await pool.aclose()


OPERATOR = Actor("acc_op", Role.OPERATOR)
OFFICER = Actor("acc_yz", Role.DISTRICT_OFFICER, district_code=YUZHONG)
INVESTOR = Actor("acc_vc", Role.INVESTOR)


def _counts(row: dict[str, Any]) -> list[int]:
    return [s["count"] for s in row["steps"]]


async def _funnel(s: Setup, actor: Actor | None, **variables: Any) -> dict[str, Any]:
    token = s.token(actor) if actor else None
    data = await graphql(s.gateway.url, FUNNEL, token, **variables)
    return dict(data["funnel"])


async def _counted(s: Setup) -> dict[str, Any]:
    for _ in range(200):
        answer = await _funnel(s, OPERATOR, by="DISTRICT")
        if _counts(answer["total"]) == TOTAL:
            return answer
        await asyncio.sleep(0.05)
    raise AssertionError(f"never counted {TOTAL}: {answer}")


async def test_operators_see_the_whole_funnel_and_officers_their_district(setup: Setup) -> None:
    s = setup
    for start in range(0, 80, 8):
        await s.bus.publish(scrambled(fair(), seed=3)[start : start + 8])
    answer = await _counted(s)
    assert answer["by"] == "DISTRICT"
    assert {r["key"]: _counts(r) for r in answer["rows"]} == BY_DISTRICT
    total = answer["total"]
    assert total["contractValues"] == [
        {"amount": "15000000", "currency": "CNY"},
        {"amount": "1000000", "currency": "USD"},
    ]
    assert total["matchToSignature"] == {"agreements": 2, "meanDays": 15.0, "medianDays": 15.0}
    assert total["steps"][1] == {"step": "PROPOSALS", "count": 3, "conversion": 0.75}

    mine = await _funnel(s, OFFICER, by="CHANNEL")
    assert _counts(mine["total"]) == BY_DISTRICT[YUZHONG]
    landing = await _funnel(s, OFFICER, by="EDITION", filter={"channel": "PROJECT_LANDING"})
    assert _counts(landing["total"])[:4] == [1, 1, 1, 1]
    other = await _funnel(s, OFFICER, by="EDITION", filter={"districtCode": WANZHOU})
    assert other["__typename"] == "Forbidden" and other["fields"][0]["field"] == "district_code"
    for refused in (INVESTOR, None):
        answer = await _funnel(s, refused, by="EDITION")
        assert answer["__typename"] == "Forbidden", answer
        assert answer["message"]["zh"] and answer["message"]["en"]


async def test_the_funnel_downloads_as_xlsx_in_either_language(setup: Setup) -> None:
    s = setup
    await s.bus.publish(fair())
    await _counted(s)
    url = s.gateway.url + "/files/exports/funnel"
    async with http_client() as client:
        params = {"by": "DISTRICT", "lang": "zh"}
        headers = {"authorization": f"Bearer {s.token(OPERATOR)}"}
        zh = await client.get(url, params=params, headers=headers)
        officer = {"authorization": f"Bearer {s.token(OFFICER)}"}
        theirs = await client.get(url, params=params | {"lang": "en"}, headers=officer)
        visitor = await client.get(url, params=params)
        investor = {"authorization": f"Bearer {s.token(INVESTOR)}"}
        refused = await client.get(url, params=params, headers=investor)
    assert zh.status_code == 200, zh.text
    assert "attachment" in zh.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(zh.content)).active
    assert sheet is not None
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:3] == ["区县", "需求", "推荐匹配"]
    assert rows[1][:2] == ["合计", TOTAL[0]]
    assert [r[0] for r in rows[2:]] == [WANZHOU, YUZHONG, "未注明"]
    en = load_workbook(io.BytesIO(theirs.content)).active
    assert en is not None
    en_rows = [[c.value for c in row] for row in en.iter_rows()]
    assert en_rows[0][0] == "District" and en_rows[1][0] == "Total"
    assert [r[0] for r in en_rows[2:]] == [YUZHONG]  # their district only
    assert visitor.status_code == 401
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "FORBIDDEN"


async def test_without_an_agreements_service_the_funnel_says_so(tmp_path: Path) -> None:
    class WithoutAgreements(FakePlatform):
        def agreements(self, actor: Actor) -> NoAgreements:  # type: ignore[override]
            return NoAgreements(actor)

    async with gateway_server(tmp_path, platform=WithoutAgreements()) as gateway:
        token = gateway.token(OPERATOR)
        answer = (await graphql(gateway.url, FUNNEL, token, by="CHANNEL"))["funnel"]
    assert (answer["__typename"], answer["code"]) == ("InvalidInput", "SERVICE_UNAVAILABLE")
    assert "agreements" in answer["message"]["en"]
