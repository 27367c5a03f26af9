"""Two matching workers in one consumer group on the real broker: the work is shared by
partition, every demand is matched once, and a worker killed mid-way loses nothing."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaConsumer

from boyin_platform.processes import ManagedProcess
from tests.apps import OPERATOR, as_actor
from tests.processes import Environment
from tests.registry.support import demand_body, organisation_body, talent_body

pytestmark = [pytest.mark.infra, pytest.mark.slow]
ANNOUNCED = "boyin.matching.matches.proposed"
TOPICS = ["C33-L1", "C33-L3", "C33-F5", "C33-N01", "C33-P3", "C33-F6"]


async def publish(client: httpx.AsyncClient, body: dict[str, Any]) -> str:
    created = await client.post("/demands", json=body | {"submit": True})
    assert created.status_code == 201, created.text
    demand = created.json()
    assert (await client.post(f"/demands/{demand['id']}/start-review")).status_code == 200
    for claim in demand["claims"]:
        r = await client.post(
            f"/demands/{demand['id']}/claims/{claim['criterion']}/review",
            json={"outcome": "CONFIRMED"},
        )
        assert r.status_code == 200
    assert (await client.post(f"/demands/{demand['id']}/publish")).status_code == 200
    return str(demand["id"])


async def proposed_events(
    environment: Environment, kafka_bootstrap: str, expected: int
) -> list[dict[str, Any]]:
    """MatchesProposed events on the topic, until ``expected`` matches are announced."""
    consumer = AIOKafkaConsumer(
        environment.namespace + ".boyin.matching.events",
        bootstrap_servers=kafka_bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    out: list[dict[str, Any]] = []
    try:
        for _ in range(60):
            batch = await consumer.getmany(timeout_ms=500)
            out += [json.loads(m.value) for ms in batch.values() for m in ms]
            proposed = [e for e in out if e["type"] == ANNOUNCED]
            if len({p["match_id"] for e in proposed for p in e["data"]["proposals"]}) >= expected:
                break
    finally:
        await consumer.stop()
    return [e for e in out if e["type"] == ANNOUNCED]


async def test_two_workers_share_the_work_and_survive_a_kill(
    environment: Environment, processes: list[ManagedProcess], kafka_bootstrap: str
) -> None:
    registry = environment.process("registry")
    workers = [environment.process("matching"), environment.process("matching")]
    processes.extend([registry, *workers])
    await registry.start()
    for w in workers:
        await w.start()
    async with httpx.AsyncClient(
        base_url=registry.url, headers=as_actor(OPERATOR), timeout=30
    ) as client:
        org_response = await client.post("/organisations", json=organisation_body(7))
        assert org_response.status_code == 201, org_response.text
        org = org_response.json()
        talent_response = await client.post("/talents", json=talent_body())
        assert talent_response.status_code == 201, talent_response.text
        talent = talent_response.json()
        landings = []
        for code in TOPICS:
            body = demand_body("PROJECT_LANDING", org["id"], taxonomy_codes=[code])
            landings.append(await publish(client, body))
        projects = []
        for i, code in enumerate(TOPICS):
            if i == 3:
                workers[0].kill()  # a worker dies in the middle; its partitions move
            body = demand_body("PROJECT_COOPERATION", talent["id"], taxonomy_codes=[code])
            projects.append(await publish(client, body))

    # Every project got its proposals, each announced exactly once.
    survivor = workers[1]
    async with httpx.AsyncClient(
        base_url=survivor.url, headers=as_actor(OPERATOR), timeout=30
    ) as m:
        for project in projects:
            for _ in range(300):
                found = (await m.get(f"/demands/{project}/matches")).json()
                if len(found) == len(landings):
                    break
                await asyncio.sleep(0.1)
            assert {f["counterpart_demand_id"] for f in found} == set(landings), project
    events = await proposed_events(environment, kafka_bootstrap, len(projects) * len(landings))
    # One announcement per match: the killed worker's unpublished outbox is relayed by the
    # survivor, so a message may arrive twice, but always as the same event (same id).
    ids_per_match: dict[str, set[str]] = {}
    for e in events:
        for p in e["data"]["proposals"]:
            ids_per_match.setdefault(p["match_id"], set()).add(e["id"])
    assert len(ids_per_match) == len(projects) * len(landings)
    assert {len(ids) for ids in ids_per_match.values()} == {1}
    # Both workers did part of the work before the kill.
    logs = [w.tail(400) for w in workers]
    assert all("partitions assigned" in text for text in logs)
