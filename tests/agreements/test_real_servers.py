"""The agreements service as its own processes on the real Kafka broker and FerretDB (the
shared servers; these tests restart service processes, never the servers):

* two instances in one consumer group share the mutual matches by partition; one killed
  halfway loses none, and the redelivered and repeated matches create nothing twice;
* a process killed after offering an intention but before committing the event offers
  it once when the event comes again;
* a process killed between storing an intention and publishing ``AgreementCreated``
  publishes it after its restart, once.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from pymongo import AsyncMongoClient

from boyin_agreements.agreements.offers import agreement_of_match
from boyin_platform.processes import ManagedProcess
from boyin_shared.clock import new_id
from boyin_shared.contracts.matching import MatchMutuallyAccepted, MatchParty, MutualMatch
from boyin_shared.faults import EXIT_CODE
from tests.apps import OPERATOR, as_actor
from tests.processes import Environment, poll, produce, topic_now

pytestmark = [pytest.mark.infra, pytest.mark.slow]

TOPIC = "boyin.agreements.events"
CREATED = "boyin.agreements.agreement.created"
MUTUAL = "boyin.matching.match.mutually_accepted"


@pytest.fixture
def database(mongo: AsyncMongoClient[Any], environment: Environment) -> Any:
    """The agreements service's own database on the MongoDB-wire server."""
    return mongo[f"{environment.namespace}agreements"]


def mutual(n: int) -> MatchMutuallyAccepted:
    match_id = new_id("m_")
    data = MutualMatch(
        match_id=match_id,
        first=MatchParty(party_kind="talent", party_id=f"tal_{n}", demand_id=new_id("d_")),
        second=MatchParty(party_kind="organisation", party_id=f"org_{n}", demand_id=new_id("d_")),
        score=0.8,
    )
    return MatchMutuallyAccepted.create(subject=match_id, data=data)


async def start(
    processes: list[ManagedProcess], env: Environment, faults: str = ""
) -> ManagedProcess:
    proc = env.process("agreements")
    processes.append(proc)
    return await proc.start(extra_env={"BOYIN_FAULTS": faults})


async def agreement_ids(service: ManagedProcess) -> set[str]:
    async with httpx.AsyncClient(headers=as_actor(OPERATOR), timeout=30) as client:
        page = (await client.get(service.url + "/agreements", params={"limit": 200})).json()
    assert page["next_after"] is None
    return {a["id"] for a in page["items"]}


async def created_once_each(env: Environment, expected: set[str]) -> None:
    """Every agreement in ``expected`` announced on Kafka, each by one event (a relay
    repeated after a crash repeats the same event id), and no other."""

    async def announced() -> dict[str, set[str]] | None:
        ids: dict[str, set[str]] = {}
        for e in await topic_now(env, TOPIC):
            if e["type"] == CREATED:
                ids.setdefault(e["subject"], set()).add(e["id"])
        return ids if set(ids) >= expected else None

    ids = await poll("AgreementCreated on Kafka", announced)
    assert set(ids) == expected
    assert {len(v) for v in ids.values()} == {1}


async def test_two_instances_share_the_matches_and_survive_a_kill(
    environment: Environment, processes: list[ManagedProcess]
) -> None:
    workers = [await start(processes, environment), await start(processes, environment)]

    async def both_assigned() -> bool:
        return all("partitions assigned" in w.tail(400) for w in workers)

    await poll("both instances in the consumer group", both_assigned)
    first = [mutual(n) for n in range(16)]
    await produce(environment, first)
    workers[0].kill()  # one dies with work in hand; its partitions move to the other
    second = [mutual(n) for n in range(16, 32)]
    await produce(environment, [*second, *first[:8]])  # and some matches come again
    expected = {agreement_of_match(m.data.match_id) for m in first + second}

    async def all_offered() -> bool:
        return await agreement_ids(workers[1]) == expected

    await poll("an intention per match", all_offered, timeout=120)
    await created_once_each(environment, expected)


async def test_killed_after_offering_before_commit_offers_once(
    environment: Environment, processes: list[ManagedProcess], database: Any
) -> None:
    service = await start(processes, environment, f"after_handle:agreements.offers:{MUTUAL}")
    match = mutual(1)
    await produce(environment, [match])
    # the intention was stored, then the process died before committing the event
    assert await service.wait_exit() == EXIT_CODE
    assert f"fail point after_handle:agreements.offers:{MUTUAL} reached" in service.tail()
    ag = agreement_of_match(match.data.match_id)
    assert await database["agreements"].count_documents({"_id": ag}) == 1

    await service.start()  # the event is delivered again
    later = mutual(2)
    await produce(environment, [later])
    expected = {ag, agreement_of_match(later.data.match_id)}

    async def both() -> bool:
        return await agreement_ids(service) == expected

    await poll("both intentions", both)
    await created_once_each(environment, expected)


async def test_killed_before_publishing_loses_no_event(
    environment: Environment, processes: list[ManagedProcess], database: Any
) -> None:
    service = await start(processes, environment, "before_publish:agreements")
    match = mutual(3)
    await produce(environment, [match])
    assert await service.wait_exit() == EXIT_CODE
    ag = agreement_of_match(match.data.match_id)
    assert await database["agreements"].count_documents({"_id": ag}) == 1
    assert [e for e in await topic_now(environment, TOPIC) if e["type"] == CREATED] == []

    await service.start()  # the outbox sweep publishes what it kept
    await created_once_each(environment, {ag})
    assert await agreement_ids(service) == {ag}
