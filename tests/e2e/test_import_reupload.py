"""Re-uploading a file after the registry was killed during its import (issue #20), on the
real Kafka broker and FerretDB: the file's 3,000 keys make 3,000 demands, none twice,
after one kill between binding a batch's keys and writing its demands (a fail point) and
one SIGKILL at whatever the import was doing once half the rows were in.

Figures: 3,000 rows sent three times (about 5,300 rows processed), 3,000 demands,
duplicates 0. About 80 s on FerretDB on a busy 2-core machine."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from boyin_platform.processes import ManagedProcess
from boyin_shared.faults import EXIT_CODE
from tests.apps import OPERATOR, as_actor
from tests.e2e.test_fault_tolerance import organisation
from tests.processes import Environment, poll
from tests.registry.test_import import csv_file, landing_row

pytestmark = [pytest.mark.infra, pytest.mark.slow]

KEYS = 3000


async def upload(client: httpx.AsyncClient, registry: ManagedProcess, data: bytes) -> str:
    answer = await client.post(
        registry.url + "/imports", files={"file": ("demands.csv", data, "text/csv")}
    )
    assert answer.status_code == 202, answer.text
    job_id: str = answer.json()["id"]
    return job_id


async def job(client: httpx.AsyncClient, registry: ManagedProcess, job_id: str) -> dict[str, Any]:
    answer = await client.get(f"{registry.url}/imports/{job_id}", params={"errors_limit": 1})
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()
    return found


async def demands(client: httpx.AsyncClient, registry: ManagedProcess) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    after: str | None = None
    while True:
        params: dict[str, str | int] = {"limit": 200, **({"after": after} if after else {})}
        page = (await client.get(registry.url + "/demands", params=params)).json()
        out += page["items"]
        after = page["next_after"]
        if after is None:
            return out


async def test_a_file_uploaded_again_after_kills_makes_each_demand_once(
    environment: Environment, processes: list[ManagedProcess]
) -> None:
    registry = environment.process("registry")
    processes.append(registry)
    # the first kill: in the 8th batch, its keys bound and its demands not yet written
    await registry.start(extra_env={"BOYIN_FAULTS": "import_keys_bound@8"})
    async with httpx.AsyncClient(headers=as_actor(OPERATOR), timeout=60) as client:
        answer = await client.post(registry.url + "/organisations", json=organisation(9001))
        assert answer.status_code == 201, answer.text
        org = answer.json()["id"]
        data = csv_file([landing_row(f"R{i:04d}", org) for i in range(KEYS)])

        first = await upload(client, registry, data)
        assert await registry.wait_exit(timeout=120) == EXIT_CODE
        await registry.start(extra_env={"BOYIN_FAULTS": ""})
        assert (await job(client, registry, first))["processed"] == 700

        # the second kill: SIGKILL at whatever it is doing once half the rows are in
        second = await upload(client, registry, data)

        async def half_in() -> bool:
            processed: int = (await job(client, registry, second))["processed"]
            return processed >= KEYS // 2

        await poll("half the rows of the second upload imported", half_in, timeout=120)
        registry.kill()
        await registry.start()
        assert (await job(client, registry, second))["processed"] < KEYS

        third = await upload(client, registry, data)  # the same file once more

        async def done() -> dict[str, Any] | None:
            found = await job(client, registry, third)
            assert found["status"] != "failed", found
            return found if found["status"] == "done" else None

        finished = await poll("the third upload imported", done, timeout=300)
        assert finished["counts"]["failed"] == 0, finished
        listed = await demands(client, registry)
        refs = [d["external_ref"] for d in listed]
        assert len(listed) == KEYS, f"{KEYS} keys sent, {len(listed)} demands"
        assert sorted(refs) == sorted(f"ops:R{i:04d}" for i in range(KEYS)), "duplicates"
        assert len({d["id"] for d in listed}) == KEYS
