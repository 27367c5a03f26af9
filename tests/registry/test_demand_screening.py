"""The mentors' aggregated screening beside a demand: the registry keeps it from the
mentors service's event (a repeat or an older one changes nothing) and shows it to the
demand's owner and reviewers, never to the public; stored alike on the embedded store and
the real MongoDB-wire server."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from boyin_registry.app import definition as registry
from boyin_registry.demands.repository import ScreeningResults
from boyin_registry.demands.screening import CriterionResult, ScreeningResult
from boyin_shared.contracts.mentors import Aggregate, ScreeningAggregated
from boyin_shared.contracts.mentors import CriterionResult as CriterionData
from boyin_shared.store import DocumentStore
from tests.apps import as_actor, running
from tests.registry.support import PUBLIC, demand_body, talent_body, talent_member

CRITERIA = ("NOVELTY_MATURITY", "MARKET_POTENTIAL", "TEAM", "CLUSTER_FIT", "READINESS_TO_LAND")


def aggregated(demand_id: str, mean: float) -> ScreeningAggregated:
    data = Aggregate(
        screening_id=f"scr_{demand_id}",
        demand_id=demand_id,
        reviews=2,
        criteria=tuple(CriterionData(criterion=c, mean=mean, spread=1) for c in CRITERIA),
        total_mean=mean * 5,
        total_spread=3,
        score=round(mean * 20),
    )
    return ScreeningAggregated.create(subject=f"scr_{demand_id}", data=data)


async def screening(
    api: httpx.AsyncClient, demand_id: str, headers: dict[str, str]
) -> httpx.Response:
    return await api.get(f"/demands/{demand_id}/screening", headers=headers)


async def test_reviewers_and_the_owner_see_the_aggregate(tmp_path: Path) -> None:
    async with running([registry], tmp_path) as r:
        api = r.client("registry")
        talent = (await api.post("/talents", json=talent_body())).json()
        owner = as_actor(talent_member(talent["id"]))
        body = demand_body("PROJECT_COOPERATION", talent["id"]) | {"submit": True}
        demand = (await api.post("/demands", json=body, headers=owner)).json()
        assert (await screening(api, demand["id"], owner)).status_code == 404  # none yet

        first = aggregated(demand["id"], 4.0)
        await r.bus.publish([first])
        for _ in range(100):
            seen = await screening(api, demand["id"], owner)
            if seen.status_code == 200:
                break
            await asyncio.sleep(0.05)
        result: dict[str, Any] = seen.json()
        assert (result["reviews"], result["total_mean"], result["score"]) == (2, 20.0, 80)
        assert [c["criterion"] for c in result["criteria"]] == list(CRITERIA)
        staff = await screening(api, demand["id"], {})  # the client calls as an operator
        assert staff.json() == result
        public = await screening(api, demand["id"], as_actor(PUBLIC))
        assert public.status_code == 404 and public.json()["error"]["code"] == "NOT_FOUND"


async def test_a_later_result_replaces_an_earlier_one_only(store: DocumentStore) -> None:
    results = ScreeningResults(store)
    at = datetime(2026, 12, 7, 9, tzinfo=UTC)

    def result(score: int, when: datetime) -> ScreeningResult:
        criteria = tuple(CriterionResult(c, score / 20, 0) for c in CRITERIA)
        return ScreeningResult("dem_1", 2, criteria, score / 4, 0, score, when)

    assert await results.put(result(60, at))
    assert not await results.put(result(60, at))  # a repeat
    assert not await results.put(result(40, at - timedelta(hours=1)))  # older
    assert await results.put(result(80, at + timedelta(hours=1)))  # a third review
    assert await results.get("dem_1") == result(80, at + timedelta(hours=1))
    assert await results.get("dem_2") is None
