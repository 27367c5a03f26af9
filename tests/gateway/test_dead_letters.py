"""Dead letters through GraphQL, on the real registry service (in-process, its embedded
bus and store): an event the registry's consumer keeps failing on is kept; an operator
lists it with ``deadLetters`` and, after the fix, replays it with ``replayDeadLetter``:
handled once; a replay before the fix is a ``Conflict``; nobody but staff sees them.

Figures: 3 events sent, 2 handled at once, 1 dead letter, 3 handled after the replay,
duplicates 0 (each mutual match grants its contacts once)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from boyin_shared import faults
from boyin_shared.clock import new_id
from boyin_shared.contracts.matching import MatchMutuallyAccepted, MatchParty, MutualMatch
from boyin_shared.identity import Actor, Role
from tests.gateway.live_services import live_gateway
from tests.platform_harness import graphql

STAFF = Actor("acc_staff", Role.OPERATOR)
TALENT = Actor("acc_t", Role.TALENT, party_id="tal_1")
GROUP = "registry.disclosures"

LETTERS = """query($status: DeadLetterStatus) {
  deadLetters(service: REGISTRY, status: $status) {
    nodes { id service group status subject eventType reason error failedReplays replayedBy }
    nextAfter
  }
}"""
REPLAY = """mutation($id: ID!) {
  replayDeadLetter(service: REGISTRY, id: $id) {
    __typename
    ... on DeadLetter { id status replayedBy }
    ... on Problem { code message { zh en } }
  }
}"""


def mutual(n: int) -> MatchMutuallyAccepted:
    match_id = new_id("m_")
    data = MutualMatch(
        match_id=match_id,
        first=MatchParty(party_kind="talent", party_id=f"tal_{n}", demand_id=new_id("d_")),
        second=MatchParty(party_kind="organisation", party_id=f"org_{n}", demand_id=new_id("d_")),
        score=0.8,
    )
    return MatchMutuallyAccepted.create(subject=match_id, data=data)


@pytest.fixture
def poison() -> Iterator[MatchMutuallyAccepted]:
    event = mutual(0)
    faults.arm(f"handle:{GROUP}:{event.subject}")  # the "bug", in this process
    yield event
    faults.arm(None)


async def test_an_operator_lists_and_replays_a_dead_letter_once(
    tmp_path: Path, poison: MatchMutuallyAccepted
) -> None:
    async with live_gateway(tmp_path) as live:
        url, staff = live.gateway.url, live.gateway.token(STAFF)
        registry = live.services.hosts["registry"]
        grants = registry.app.state.service.privacy.disclosures.collection

        async def letters(status: str | None = None) -> list[dict[str, Any]]:
            data = await graphql(url, LETTERS, staff, status=status)
            nodes: list[dict[str, Any]] = data["deadLetters"]["nodes"]
            return nodes

        await live.services.bus.publish([poison, mutual(1), mutual(2)])
        for _ in range(200):
            if await letters() and await grants.count() == 4:
                break
            await asyncio.sleep(0.05)
        [letter] = await letters()
        assert letter["service"] == "REGISTRY" and letter["group"] == GROUP
        assert (letter["status"], letter["subject"]) == ("OPEN", poison.subject)
        assert letter["eventType"] == MatchMutuallyAccepted.model_fields["type"].default
        assert letter["reason"] == "handler_failed"

        # nobody but staff: a null read, a Forbidden replay
        assert (await graphql(url, LETTERS, live.gateway.token(TALENT)))["deadLetters"] is None
        refused = await graphql(url, REPLAY, live.gateway.token(TALENT), id=letter["id"])
        assert refused["replayDeadLetter"]["__typename"] == "Forbidden"

        # before the fix: fails again, stays open
        again = (await graphql(url, REPLAY, staff, id=letter["id"]))["replayDeadLetter"]
        assert (again["__typename"], again["code"]) == ("Conflict", "DEAD_LETTER_FAILED_AGAIN")
        assert again["message"]["zh"] and again["message"]["en"]
        assert [(x["status"], x["failedReplays"]) for x in await letters()] == [("OPEN", 1)]

        faults.arm(None)  # the fix
        assert await grants.count() == 4, "the two events after the poison: two grants each"
        done = (await graphql(url, REPLAY, staff, id=letter["id"]))["replayDeadLetter"]
        assert (done["__typename"], done["status"]) == ("DeadLetter", "REPLAYED")
        assert done["replayedBy"] == STAFF.account_id
        assert await grants.count() == 6, "sent 3, handled 3"
        twice = (await graphql(url, REPLAY, staff, id=letter["id"]))["replayDeadLetter"]
        assert twice["status"] == "REPLAYED"
        assert await grants.count() == 6, "a second replay handled it again"
        assert await letters("OPEN") == []
        missing = (await graphql(url, REPLAY, staff, id="dl_none"))["replayDeadLetter"]
        assert missing["__typename"] == "NotFound"
