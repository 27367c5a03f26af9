"""Dead letters on the real Kafka broker and FerretDB (issue #20): a poison event is kept
in the consuming service's own ``dead_letters`` collection while the events after it go
on; an operator lists it, a replay before the fix fails again and changes nothing, and
after the fix (the process restarted without the fault, as a deploy would) one replay
handles it once; a second replay does nothing.

Figures: 20 events sent, 19 handled before the fix, 1 dead letter, 20 after the replay,
duplicates 0. About 25 s (matching's start dominates)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from boyin_platform.processes import ManagedProcess
from boyin_shared.contracts.common import LocalizedText
from boyin_shared.contracts.registry import OrganisationProfile, OrganisationRegistered
from boyin_shared.identity import Actor, Role
from tests.apps import OPERATOR, as_actor
from tests.e2e.test_fault_tolerance import credit_code
from tests.processes import Environment, poll, produce, topic_now

pytestmark = [pytest.mark.infra, pytest.mark.slow]

SENT = 20
POISON = "org_poison_0"


def registered(org_id: str, seed: int) -> OrganisationRegistered:
    profile = OrganisationProfile(
        organisation_id=org_id,
        name=LocalizedText(zh=f"死信测试公司{seed}", en=f"Dead Letter Test Co. {seed}"),
        kind="ENTERPRISE",
        district_code="500106",
        credit_code=credit_code(7000 + seed),
        taxonomy_codes=("C33-L1",),
        revision=1,
    )
    return OrganisationRegistered.create(subject=org_id, data=profile)


async def pooled(client: httpx.AsyncClient, matching: ManagedProcess) -> int:
    rows = (await client.get(matching.url + "/pool/districts")).json()
    return sum(r["organisations"] for r in rows)


async def letters(client: httpx.AsyncClient, matching: ManagedProcess) -> list[dict[str, Any]]:
    answer = await client.get(matching.url + "/dead-letters")
    assert answer.status_code == 200, answer.text
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


async def test_a_poison_event_is_kept_listed_and_replayed_once_after_the_fix(
    environment: Environment, processes: list[ManagedProcess]
) -> None:
    matching = environment.process("matching")
    processes.append(matching)
    # the "bug": matching's handler raises for every event about one organisation
    await matching.start(extra_env={"BOYIN_FAULTS": f"handle:matching:{POISON}"})
    # the poison first, so the events after it in its partition have to get past it
    events = [registered(POISON, 0), *(registered(f"org_fine_{n}", n) for n in range(1, SENT))]
    await produce(environment, events)

    async with httpx.AsyncClient(headers=as_actor(OPERATOR), timeout=30) as client:

        async def the_others_handled() -> bool:
            return await pooled(client, matching) == SENT - 1

        await poll("the 19 events after the poison handled", the_others_handled)
        [letter] = await poll("the poison kept", lambda: letters(client, matching))
        assert letter["subject"] == POISON
        assert letter["event_type"] == "boyin.registry.organisation.registered"
        assert letter["group"] == "matching"
        assert letter["status"] == "OPEN"
        assert letter["reason"] == "handler_failed"
        assert f"fail point handle:matching:{POISON}" in letter["error"]
        # kept once in the store, and once on the dead-letter topic too
        assert len(await topic_now(environment, "boyin.dlq.matching")) == 1

        # not for anyone but staff
        talent = Actor(account_id="acc_t", role=Role.TALENT, party_id="tal_1")
        refused = await client.get(matching.url + "/dead-letters", headers=as_actor(talent))
        assert refused.status_code == 403, refused.text

        # replayed before the fix: it fails again, is still open, nothing changed
        again = await client.post(f"{matching.url}/dead-letters/{letter['id']}/replay")
        assert again.status_code == 409, again.text
        assert again.json()["error"]["code"] == "DEAD_LETTER_FAILED_AGAIN"
        [still] = await letters(client, matching)
        assert (still["status"], still["failed_replays"]) == ("OPEN", 1)
        assert await pooled(client, matching) == SENT - 1

        # the fix is deployed: the same service without the fault
        matching.stop()
        await matching.start(extra_env={"BOYIN_FAULTS": ""})
        replayed = await client.post(f"{matching.url}/dead-letters/{letter['id']}/replay")
        assert replayed.status_code == 200, replayed.text
        assert replayed.json()["status"] == "REPLAYED"
        assert replayed.json()["replayed_by"] == OPERATOR.account_id
        assert await pooled(client, matching) == SENT

        # a second replay does nothing; nothing else arrives twice
        twice = await client.post(f"{matching.url}/dead-letters/{letter['id']}/replay")
        assert twice.status_code == 200 and twice.json()["status"] == "REPLAYED"
        open_ = await client.get(matching.url + "/dead-letters", params={"status": "OPEN"})
        assert open_.json()["items"] == []
        await asyncio.sleep(1.5)
        received = await pooled(client, matching)
        assert received == SENT, f"sent {SENT}, counted {received} (duplicates 0 expected)"
