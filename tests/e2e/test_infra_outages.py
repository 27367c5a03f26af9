"""The broker and the database go away mid-traffic and come back (issue #20), on servers of
this test's own (the shared ones stay up for every other test): Apache Kafka 4.1 and
FerretDB started by the project's scripts on free loopback ports, their binaries borrowed
from the shared cache.

- Kafka stopped for ``KAFKA_OUTAGE`` seconds while the registry takes registrations and
  matching consumes them: no event lost, no effect doubled, no service restarted by hand,
  every outbox drained.
- FerretDB stopped while registrations come in: each is answered ``503
  SERVICE_UNAVAILABLE`` with ``Retry-After`` (never a 500), nothing is half-written, and
  once the database is back the same processes serve again.

Each test states its figures in its assertions' messages (sent, received, duplicates)."""

from __future__ import annotations

import asyncio
import os
import subprocess
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from pymongo import AsyncMongoClient

from boyin_platform.processes import ManagedProcess, free_port
from tests.apps import OPERATOR, as_actor
from tests.conftest import unique_name
from tests.e2e.test_fault_tolerance import organisation
from tests.processes import Environment

pytestmark = [pytest.mark.infra, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
SHARED_CACHE = Path(os.environ.get("BOYIN_CACHE", ROOT / ".cache")).resolve()
KAFKA_OUTAGE = 30.0


@dataclass
class OwnServers:
    """A broker and a database of the test's own, started and stopped by deploy/'s scripts."""

    cache: Path
    kafka_port: int
    controller_port: int
    mongo_port: int

    @property
    def kafka(self) -> str:
        return f"127.0.0.1:{self.kafka_port}"

    @property
    def mongo(self) -> str:
        return f"mongodb://127.0.0.1:{self.mongo_port}/?directConnection=true"

    def _run(self, script: str, action: str) -> None:
        env = os.environ | {
            "BOYIN_CACHE": str(self.cache),
            "BOYIN_KAFKA_PORT": str(self.kafka_port),
            "BOYIN_KAFKA_CONTROLLER_PORT": str(self.controller_port),
            "BOYIN_MONGO_PORT": str(self.mongo_port),
        }
        done = subprocess.run(
            ["bash", str(ROOT / "deploy" / script), action],
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert done.returncode == 0, (script, action, done.stdout[-2000:], done.stderr[-2000:])

    async def kafka_(self, action: str) -> None:
        await asyncio.to_thread(self._run, "kafka/kafka.sh", action)

    async def mongo_(self, action: str) -> None:
        await asyncio.to_thread(self._run, "ferretdb/ferretdb.sh", action)


@pytest.fixture
async def own(tmp_path: Path) -> AsyncIterator[OwnServers]:
    cache = tmp_path / "cache"
    (cache / "kafka").mkdir(parents=True)
    (cache / "ferretdb").mkdir(parents=True)
    # the jars and the binary the shared servers run (installed by deploy/test.sh)
    (cache / "kafka" / "lib").symlink_to(SHARED_CACHE / "kafka" / "lib")
    (cache / "ferretdb" / "bin").symlink_to(SHARED_CACHE / "ferretdb" / "bin")
    servers = OwnServers(cache, free_port(), free_port(), free_port())
    await servers.kafka_("start")
    await servers.mongo_("start")
    try:
        yield servers
    finally:
        await servers.kafka_("stop")
        await servers.mongo_("stop")


async def poll(check: Callable[[], Awaitable[Any]], timeout: float, what: str) -> Any:
    deadline = asyncio.get_running_loop().time() + timeout
    last: Any = None
    while asyncio.get_running_loop().time() < deadline:
        last = await check()
        if last:
            return last
        await asyncio.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}: {last!r}")


async def supply(client: httpx.AsyncClient, matching: ManagedProcess) -> dict[str, int]:
    rows = (await client.get(matching.url + "/pool/districts")).json()
    return {r["district_code"]: r["organisations"] for r in rows}


async def register(
    client: httpx.AsyncClient, registry: ManagedProcess, seed: int, district: str
) -> httpx.Response:
    return await client.post(registry.url + "/organisations", json=organisation(seed, district))


async def pending_outboxes(mongo_url: str, namespace: str) -> int:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_url)
    try:
        found = 0
        for name in await client.list_database_names():
            if not name.startswith(namespace):
                continue
            for collection in await client[name].list_collection_names():
                found += await client[name][collection].count_documents({"_pending": True})
        return found
    finally:
        await client.close()


def alive(*processes: ManagedProcess) -> bool:
    return all(p.proc is not None and p.proc.poll() is None for p in processes)


async def test_kafka_stopped_for_30_s_loses_no_event_and_doubles_no_effect(
    own: OwnServers, tmp_path: Path
) -> None:
    env = Environment(own.kafka, own.mongo, unique_name("k"), tmp_path / "logs")
    registry = await env.process("registry").start()
    matching = await env.process("matching").start()
    try:
        async with httpx.AsyncClient(headers=as_actor(OPERATOR), timeout=30) as client:
            for seed in range(10):
                assert (await register(client, registry, 1000 + seed, "500106")).status_code == 201

            async def before() -> bool:
                return await supply(client, matching) == {"500106": 10}

            await poll(before, 60, "the first 10 organisations in matching's pool")

            await own.kafka_("stop")
            for seed in range(10):  # the registry goes on: its outboxes hold the events
                answer = await register(client, registry, 2000 + seed, "500103")
                assert answer.status_code == 201, answer.text
            await asyncio.sleep(KAFKA_OUTAGE)
            assert alive(registry, matching), "a service died while the broker was away"
            await own.kafka_("start")

            async def after() -> dict[str, int] | None:
                found = await supply(client, matching)
                return found if found == {"500106": 10, "500103": 10} else None

            await poll(after, 180, "all 20 organisations in matching's pool")
            await asyncio.sleep(5)  # anything doubled would show by now
            final = await supply(client, matching)
            assert final == {"500106": 10, "500103": 10}, f"sent 20, counted {final}"
            assert alive(registry, matching), "a service was restarted or died"

            async def drained() -> bool:
                return await pending_outboxes(own.mongo, env.namespace) == 0

            await poll(drained, 60, "every outbox relayed")
    finally:
        registry.stop()
        matching.stop()


async def test_the_database_restarted_mid_traffic_answers_503_then_serves_again(
    own: OwnServers, tmp_path: Path
) -> None:
    env = Environment(own.kafka, own.mongo, unique_name("m"), tmp_path / "logs")
    registry = await env.process("registry").start()
    matching = await env.process("matching").start()
    try:
        async with httpx.AsyncClient(headers=as_actor(OPERATOR), timeout=60) as client:
            for seed in range(5):
                assert (await register(client, registry, 3000 + seed, "500106")).status_code == 201

            await own.mongo_("stop")
            refused = [await register(client, registry, 4000 + seed, "500103") for seed in range(3)]
            for answer in refused:
                assert answer.status_code == 503, answer.text
                assert answer.headers["retry-after"] == "5"
                error = answer.json()["error"]
                assert error["code"] == "SERVICE_UNAVAILABLE"
                assert error["message"]["zh"] and error["message"]["en"]
            # the same connection is still usable for the next request
            assert (await client.get(registry.url + "/healthz")).status_code == 200
            await own.mongo_("start")

            async def accepted() -> httpx.Response | None:
                answer = await register(client, registry, 5000, "500103")
                return answer if answer.status_code == 201 else None

            await poll(accepted, 90, "a registration accepted after the restart")
            assert alive(registry, matching), "a service had to be restarted by hand"

            listed = (
                await client.get(registry.url + "/organisations", params={"limit": 50})
            ).json()
            seeds = sorted(int(o["credit_code"][8:17]) for o in listed["items"])
            # the five before, the one after: none of the refused three half-written
            assert seeds == [3000, 3001, 3002, 3003, 3004, 5000], seeds

            async def pooled() -> bool:
                return await supply(client, matching) == {"500106": 5, "500103": 1}

            await poll(pooled, 90, "matching's pool after the restart")
    finally:
        registry.stop()
        matching.stop()
