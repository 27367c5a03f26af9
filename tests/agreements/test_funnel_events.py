"""The funnel through the agreements service: the events of every service delivered on
the bus in a scrambled order, some twice, on the embedded bus and SQLite and on the real
Kafka broker and FerretDB; the report as JSON and XLSX, for operators and for a district
officer their district only."""

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
from pymongo import AsyncMongoClient

from boyin_agreements.app import definition
from boyin_shared.bus import EventBus
from boyin_shared.bus.kafka import KafkaBus
from boyin_shared.events import Event
from boyin_shared.identity import Actor, Role
from tests.agreements.funnel_support import (
    BY_DISTRICT,
    TOTAL,
    WANZHOU,
    YUZHONG,
    demand,
    fair,
    published,
    scrambled,
)
from tests.apps import as_actor, running
from tests.conftest import unique_name

OFFICER = Actor("acc_d", Role.DISTRICT_OFFICER, district_code=YUZHONG)
TALENT = Actor("acc_t", Role.TALENT, party_id="tal_1")


@dataclass
class Reports:
    api: httpx.AsyncClient
    bus: EventBus

    async def funnel(self, actor: Actor | None = None, **params: str) -> httpx.Response:
        headers = as_actor(actor) if actor else None
        return await self.api.get("/reports/funnel", params=params, headers=headers)

    async def until_total(self, expected: list[int]) -> dict[str, Any]:
        """The funnel once it counts ``expected`` (a consumer group's first join on a fresh
        broker can take tens of seconds)."""
        body: dict[str, Any] = {}
        deadline = asyncio.get_running_loop().time() + 90
        while asyncio.get_running_loop().time() < deadline:
            body = (await self.funnel(by="DISTRICT")).json()
            if [s["count"] for s in body["total"]["steps"]] == expected:
                return body
            await asyncio.sleep(0.1)
        raise AssertionError(f"the funnel never counted {expected}: {body['total']}")


@pytest.fixture(params=["embedded", pytest.param("kafka", marks=pytest.mark.infra)])
async def reports(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Reports]:
    if request.param == "embedded":
        async with running([definition], tmp_path) as r:
            yield Reports(r.client("agreements"), r.bus)
        return
    bootstrap = request.getfixturevalue("kafka_bootstrap")
    url = request.getfixturevalue("mongo_url")
    prefix = unique_name("f")
    bus = KafkaBus(bootstrap, client_id="tests", partitions=3, topic_prefix=prefix + ".")
    try:
        async with running(
            [definition], tmp_path, bus=bus, store="mongo", mongo_url=url, mongo_db_prefix=prefix
        ) as r:
            yield Reports(r.client("agreements"), r.bus)
    finally:
        client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(url)
        for name in await client.list_database_names():
            if name.startswith(prefix):
                await client.drop_database(name)
        await client.close()


def _rows(body: dict[str, Any]) -> dict[str | None, list[int]]:
    return {r["key"]: [s["count"] for s in r["steps"]] for r in body["rows"]}


async def test_scrambled_redelivered_events_of_every_service_are_counted_once(
    reports: Reports,
) -> None:
    events: list[Event] = scrambled(fair(), seed=7)
    assert len(events) > len(fair())  # some come twice
    for start in range(0, len(events), 5):  # in several deliveries, as they would come
        await reports.bus.publish(events[start : start + 5])
    body = await reports.until_total(TOTAL)
    assert _rows(body) == BY_DISTRICT
    # later redeliveries of everything change nothing
    await reports.bus.publish(fair())
    await reports.bus.publish([e for e in fair() if e.type.endswith("demand.published")])
    await asyncio.sleep(1.0)
    again = (await reports.funnel(by="DISTRICT")).json()
    assert _rows(again) == BY_DISTRICT
    total = again["total"]
    assert total["contract_values"] == [
        {"amount": "15000000", "currency": "CNY"},
        {"amount": "1000000", "currency": "USD"},
    ]
    assert total["match_to_signature"] == {"agreements": 2, "mean_days": 15.0, "median_days": 15.0}
    assert [s["conversion"] for s in total["steps"]][:3] == [None, 0.75, 2 / 3]


async def test_a_district_officer_sees_their_district_only(reports: Reports) -> None:
    await reports.bus.publish(fair())
    await reports.until_total(TOTAL)
    mine = (await reports.funnel(OFFICER, by="CHANNEL")).json()
    assert [s["count"] for s in mine["total"]["steps"]] == BY_DISTRICT[YUZHONG]
    refused = await reports.funnel(OFFICER, district_code=WANZHOU)
    assert refused.status_code == 403, refused.text
    assert refused.json()["error"]["fields"][0]["code"] == "NOT_YOUR_DISTRICT"
    assert (await reports.funnel(TALENT)).status_code == 403


async def test_the_funnel_as_a_spreadsheet_never_runs_a_formula(reports: Reports) -> None:
    sneaky = demand("dem_x", "PROJECT_LANDING", "org_x", YUZHONG, ("=1+2",), ("CQ2026",))
    await reports.bus.publish([*fair(), published(sneaky)])
    await reports.until_total([5, *TOTAL[1:]])
    response = await reports.api.get("/exports/funnel", params={"by": "CLUSTER", "headers": "en"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:3] == ["Cluster", "Demands", "Proposals"]
    assert rows[1][:2] == ["Total", 5]
    formula = next(r for r in rows if r[0] == "=1+2")
    assert formula[1] == 1  # shown as the text it is, counted, never computed
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
