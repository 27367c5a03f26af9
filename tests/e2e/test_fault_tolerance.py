"""Service processes across the real Kafka broker and the MongoDB-wire database.

These are the foundation's promises: an event crosses processes, a consumer killed
before its commit repeats no effect, a producer killed before its publish loses no
event.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from pymongo import AsyncMongoClient

from boyin_platform.processes import ManagedProcess
from boyin_registry.profiles.credit_code import check_character
from boyin_shared.faults import EXIT_CODE
from tests.apps import OPERATOR, as_actor
from tests.processes import Environment

pytestmark = [pytest.mark.infra, pytest.mark.slow]


def credit_code(seed: int) -> str:
    body = f"91500000{seed:09d}"
    return body + check_character(body)


def organisation(seed: int, district: str = "500106") -> dict[str, Any]:
    return {
        "name_zh": f"重庆测试科技有限公司{seed}",
        "name_en": f"Chongqing Test Technology Co. {seed}",
        "kind": "ENTERPRISE",
        "district_code": district,
        "credit_code": credit_code(seed),
        "taxonomy_codes": ["C33-L1"],
        "contacts": [{"name": "王经理", "email": f"wang{seed}@example.cn"}],
    }


async def poll(fn: Any, *, timeout: float = 30.0) -> Any:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = await fn()
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.2)


async def supply(matching: ManagedProcess) -> dict[str, int]:
    async with httpx.AsyncClient(headers=as_actor(OPERATOR)) as client:
        rows = (await client.get(matching.url + "/pool/districts")).json()
    return {r["district_code"]: r["organisations"] for r in rows}


async def start(
    processes: list[ManagedProcess], env: Environment, service: str, faults: str = ""
) -> ManagedProcess:
    proc = env.process(service)
    processes.append(proc)
    return await proc.start(extra_env={"BOYIN_FAULTS": faults})


async def test_event_crosses_kafka_between_processes_into_mongodb(
    environment: Environment,
    processes: list[ManagedProcess],
    mongo: AsyncMongoClient,  # type: ignore[type-arg]
) -> None:
    registry = await start(processes, environment, "registry")
    matching = await start(processes, environment, "matching")
    async with httpx.AsyncClient(headers=as_actor(OPERATOR)) as client:
        response = await client.post(registry.url + "/organisations", json=organisation(1))
        assert response.status_code == 201, response.text
        org_id = response.json()["id"]

        async def seen() -> Any:
            r = await client.get(f"{matching.url}/counterparts/{org_id}")
            return r.json() if r.status_code == 200 else None

        counterpart = await poll(seen)
    assert counterpart["name_zh"] == "重庆测试科技有限公司1"
    assert counterpart["district_code"] == "500106"
    # It landed in matching's own database on the MongoDB-wire server.
    stored = await mongo[f"{environment.namespace}matching"]["counterparts"].find_one(
        {"_id": org_id}
    )
    assert stored is not None
    assert stored["revision"] == 1


async def test_consumer_killed_after_handling_before_commit_repeats_no_effect(
    environment: Environment, processes: list[ManagedProcess]
) -> None:
    registry = await start(processes, environment, "registry")
    matching = await start(
        processes,
        environment,
        "matching",
        faults="after_handle:matching:boyin.registry.organisation.registered",
    )
    async with httpx.AsyncClient(headers=as_actor(OPERATOR)) as client:
        r = await client.post(registry.url + "/organisations", json=organisation(2, "500103"))
        assert r.status_code == 201, r.text
    # The handler ran (effects written) and the process died before committing.
    assert await matching.wait_exit() == EXIT_CODE
    assert (
        "fail point after_handle:matching:boyin.registry.organisation.registered reached"
        in matching.tail()
    )

    await matching.start()  # the event is delivered again
    async with httpx.AsyncClient(headers=as_actor(OPERATOR)) as client:
        r = await client.post(registry.url + "/organisations", json=organisation(3, "500105"))
        assert r.status_code == 201, r.text
    # The later event is counted, so the redelivered one was handled before it.
    await poll(lambda: _has(matching, "500105"))
    assert await supply(matching) == {"500103": 1, "500105": 1}


async def _has(matching: ManagedProcess, district: str) -> bool:
    return district in await supply(matching)


async def test_producer_killed_between_write_and_publish_loses_nothing(
    environment: Environment, processes: list[ManagedProcess]
) -> None:
    matching = await start(processes, environment, "matching")
    registry = await start(
        processes, environment, "registry", faults="before_publish:organisations"
    )
    async with httpx.AsyncClient(headers=as_actor(OPERATOR)) as client:
        try:
            r = await client.post(registry.url + "/organisations", json=organisation(4, "500112"))
            assert r.status_code == 201, r.text
        except httpx.TransportError:
            pass  # the process may die before the response is sent
    assert await registry.wait_exit() == EXIT_CODE
    await asyncio.sleep(1.0)
    assert await supply(matching) == {}  # nothing was published

    await registry.start()  # the sweep publishes what the outbox kept
    await poll(lambda: _has(matching, "500112"))
    async with httpx.AsyncClient(headers=as_actor(OPERATOR)) as client:
        orgs = (await client.get(registry.url + "/organisations")).json()["items"]
    assert [o["credit_code"] for o in orgs] == [credit_code(4)]
    await asyncio.sleep(1.5)  # let any duplicate publish arrive before counting
    assert await supply(matching) == {"500112": 1}
