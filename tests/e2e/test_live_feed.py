"""An investor's subscription gets a project published through the registry, across the
real Kafka broker, with each service in its own process."""

from __future__ import annotations

import asyncio
import json
import time

import httpx
import pytest

from boyin_platform.processes import ManagedProcess
from tests.apps import OPERATOR, as_actor
from tests.gateway.support import PASSWORD, create_account
from tests.graphql_ws import subscribe
from tests.platform_harness import ADMIN_LOGIN, ADMIN_PASSWORD, sign_in
from tests.processes import Environment
from tests.registry.support import demand_body, talent_body

pytestmark = [pytest.mark.infra, pytest.mark.slow]
NEW_PROJECTS = "subscription { newProjects { demandId title { en } } }"


async def test_investor_feed_across_kafka(
    environment: Environment, processes: list[ManagedProcess]
) -> None:
    registry = environment.process("registry")
    matching = environment.process("matching")
    scheduling = environment.process("scheduling")
    gateway = environment.process("gateway")
    urls = {"registry": registry.url, "matching": matching.url, "scheduling": scheduling.url}
    gateway.env = gateway.env | {
        "BOYIN_SERVICE_URLS": json.dumps(urls),
        "BOYIN_ADMIN_LOGIN": ADMIN_LOGIN,
        "BOYIN_ADMIN_PASSWORD": ADMIN_PASSWORD,
    }
    processes.extend([registry, matching, scheduling, gateway])
    for proc in (registry, matching, scheduling, gateway):
        await proc.start()
    # an investor signed in as a person is: its access token names its session
    admin = await sign_in(gateway.url, ADMIN_LOGIN, ADMIN_PASSWORD)
    made = await create_account(gateway.url, admin, "feed.investor@fund.example", "INVESTOR")
    assert made["__typename"] == "Account", made
    token = await sign_in(gateway.url, "feed.investor@fund.example", PASSWORD)
    async with (
        httpx.AsyncClient(base_url=registry.url, headers=as_actor(OPERATOR), timeout=30) as reg,
        subscribe(gateway.url, NEW_PROJECTS, token) as feed,
    ):
        talent = (await reg.post("/talents", json=talent_body())).json()
        body = demand_body("PROJECT_COOPERATION", talent["id"], submit=True)
        demand = (await reg.post("/demands", json=body)).json()
        await reg.post(f"/demands/{demand['id']}/start-review")
        for claim in demand["claims"]:
            await reg.post(
                f"/demands/{demand['id']}/claims/{claim['criterion']}/review",
                json={"outcome": "CONFIRMED"},
            )
        await asyncio.sleep(1.0)  # the gateway's consumer has joined its group by now
        published_at = time.perf_counter()
        assert (await reg.post(f"/demands/{demand['id']}/publish")).status_code == 200
        data = await feed.next(timeout=15)
        waited = time.perf_counter() - published_at
    assert data["newProjects"]["demandId"] == demand["id"]
    print(f"feed delivery after publish: {waited * 1000:.0f} ms")
