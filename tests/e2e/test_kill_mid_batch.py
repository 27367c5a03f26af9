"""The registry and the mentors service killed in the middle of a batch, on the real Kafka
broker and FerretDB (issue #20), with the harness of the other services' kill tests
(``tests/processes.py``): the process dies abruptly (``os._exit``, as ``kill -9``: no
cleanup, no commit) after handling the 12th of 30 events, partway through the batch of a
partition it has not committed; restarted, it handles the rest and the uncommitted ones
again, and every event has its effect once.

Figures, each test: 30 events sent, 30 effects found, duplicates 0. About 15 s each."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from pymongo import AsyncMongoClient

from boyin_platform.processes import ManagedProcess
from boyin_shared.faults import EXIT_CODE
from tests.agreements.test_real_servers import mutual
from tests.mentors.screening_support import submitted
from tests.processes import Environment, poll, produce, topic_now

pytestmark = [pytest.mark.infra, pytest.mark.slow]

SENT = 30
KILLED_AT = 12


async def start(
    processes: list[ManagedProcess], env: Environment, service: str, faults: str
) -> ManagedProcess:
    proc = env.process(service)
    processes.append(proc)
    return await proc.start(extra_env={"BOYIN_FAULTS": faults})


async def killed_then_restarted(service: ManagedProcess, point: str) -> None:
    assert await service.wait_exit() == EXIT_CODE
    assert f"fail point {point} reached" in service.tail()
    await service.start(extra_env={"BOYIN_FAULTS": ""})


async def test_the_registry_killed_mid_batch_grants_each_mutual_match_once(
    environment: Environment, processes: list[ManagedProcess], mongo: AsyncMongoClient[Any]
) -> None:
    point = "after_handle:registry.disclosures"
    registry = await start(processes, environment, "registry", f"{point}@{KILLED_AT}")
    events = [mutual(n) for n in range(SENT)]
    await produce(environment, events)
    await killed_then_restarted(registry, point)

    grants = mongo[f"{environment.namespace}registry"]["disclosures"]

    async def all_granted() -> list[dict[str, Any]] | None:
        docs: list[dict[str, Any]] = await grants.find({}).to_list(None)
        return docs if len(docs) >= 2 * SENT else None

    docs = await poll("a grant each way for every mutual match", all_granted)
    per_match = Counter(d["match_id"] for d in docs)
    assert set(per_match) == {e.data.match_id for e in events}, "an event was lost"
    assert set(per_match.values()) == {2}, f"sent {SENT}, grants per match {per_match}"


async def test_the_mentors_service_killed_mid_batch_opens_each_screening_once(
    environment: Environment, processes: list[ManagedProcess], mongo: AsyncMongoClient[Any]
) -> None:
    point = "after_handle:mentors"
    mentors = await start(processes, environment, "mentors", f"{point}@{KILLED_AT}")
    events = [submitted(f"dem_k{n}") for n in range(SENT)]
    await produce(environment, events)
    await killed_then_restarted(mentors, point)

    screenings = mongo[f"{environment.namespace}mentors"]["screenings"]

    async def all_opened() -> int | None:
        found: int = await screenings.count_documents({})
        return found if found >= SENT else None

    assert await poll("a screening per submitted demand", all_opened) == SENT

    async def announced() -> dict[str, set[str]] | None:
        ids: dict[str, set[str]] = {}
        for e in await topic_now(environment, "boyin.mentors.events"):
            if e["type"] == "boyin.mentors.screening.unrouted":
                ids.setdefault(e["data"]["demand_id"], set()).add(e["id"])
        return ids if len(ids) >= SENT else None

    # no mentor is registered: each screening is announced unrouted, by one event each (a
    # relay repeated after the kill repeats the same event id)
    ids = await poll("ScreeningUnrouted on Kafka", announced)
    assert set(ids) == {f"dem_k{n}" for n in range(SENT)}
    assert {len(v) for v in ids.values()} == {1}, f"sent {SENT}, duplicates {ids}"
