"""N+1 removal: a page of demands with their owners costs a constant number of service calls.

The gateway runs on the fakes of the services (``harness.py``), which log every call; the
count is cross-checked with the request context's own ``downstream_calls`` counter.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from strawberry.dataloader import DataLoader

from boyin_gateway import context as gateway_context
from boyin_shared.api.matching import MatchOut
from boyin_shared.identity import Actor, Role
from tests.gateway.fake_agreements import agreement
from tests.gateway.fake_records import demand, edition, meeting, organisation, talent
from tests.gateway.fakes import FakePlatform
from tests.gateway.harness import Contexts, Gateway, gateway_server, record_contexts
from tests.gateway.scheduling_support import solved_and_published
from tests.gateway.support import (
    CREATE_DEMAND,
    YUZHONG,
    admin_token,
    cooperation_content,
    landing_content,
)
from tests.platform_harness import graphql

OWNERS = """
query($first: Int!) {
  demands(first: $first) {
    edges { node { id channel ownerId
                   owner { __typename ... on Organisation { id } ... on Talent { id } } } }
  }
}"""

ORGANISATION_IDS = "{ organisations(first: 100) { edges { node { id } } } }"


def without_batching(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every loader load one key per call (what the gateway did before DataLoaders)."""

    class OneAtATime(DataLoader[str, Any]):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["max_batch_size"] = 1
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(gateway_context, "DataLoader", OneAtATime)


@dataclass
class Demo:
    gateway: Gateway
    admin: str
    organisations: list[str]
    talents: list[str]

    @property
    def url(self) -> str:
        return self.gateway.url

    async def demand_for(self, owner_id: str) -> str:
        content = cooperation_content() if owner_id in self.talents else landing_content()
        data = await graphql(
            self.url, CREATE_DEMAND, self.admin, ownerId=owner_id, content=content, submit=False
        )
        result = data["createDemand"]
        assert result["__typename"] == "Demand", result
        demand_id: str = result["id"]
        return demand_id

    async def owners_page(self, contexts: Contexts) -> list[dict[str, Any]]:
        """The owners query, as the admin (who may see every demand and owner)."""
        self.reset(contexts)
        data = await graphql(self.url, OWNERS, self.admin, first=20)
        nodes = [e["node"] for e in data["demands"]["edges"]]
        for node in nodes:  # every owner resolved, to its own type
            expected = "Talent" if node["channel"] == "PROJECT_COOPERATION" else "Organisation"
            assert node["owner"] == {"__typename": expected, "id": node["ownerId"]}, node
        return nodes

    def reset(self, contexts: Contexts) -> None:
        self.gateway.platform.log.clear()
        contexts.seen.clear()

    def calls_of_the_query(self, contexts: Contexts) -> int:
        """Service calls made for the one GraphQL request just run (both ways of counting)."""
        assert contexts.calls_of_one_request() == len(self.gateway.platform.log)
        return len(self.gateway.platform.log)

    def methods(self) -> list[str]:
        return self.gateway.platform.methods()

    def ids_asked(self, method: str) -> list[list[str]]:
        return self.gateway.platform.ids_asked(method)


@asynccontextmanager
async def demo_gateway(tmp_path: Path) -> AsyncIterator[Demo]:
    """Five organisations and four talents in the registry (fakes)."""
    platform = FakePlatform()
    orgs = [f"org_demo{n}" for n in range(5)]
    talents = [f"tal_demo{n}" for n in range(4)]
    platform.registry_data.add(*(organisation(o, YUZHONG) for o in orgs))
    platform.registry_data.add(*(talent(t) for t in talents))
    async with gateway_server(tmp_path, platform=platform) as gateway:
        yield Demo(gateway, await admin_token(gateway.url), orgs, talents)


async def test_owners_of_a_page_cost_one_call_per_owner_type(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    contexts = record_contexts(monkeypatch)
    async with demo_gateway(tmp_path) as d:
        await d.demand_for(d.organisations[0])
        await d.demand_for(d.talents[0])
        assert len(await d.owners_page(contexts)) == 2
        assert d.calls_of_the_query(contexts) == 3
        assert sorted(d.methods()) == ["demands", "organisations_by_id", "talents_by_id"]

        # Seven times the demands, every organisation and talent an owner: same three calls.
        for owner in d.organisations + d.talents + d.organisations[:3]:
            await d.demand_for(owner)
        nodes = await d.owners_page(contexts)
        assert len(nodes) == 14
        assert d.calls_of_the_query(contexts) == 3
        assert d.methods()[0] == "demands"  # the page comes first
        # Each owner is asked for once, all in one batch per type.
        assert [sorted(ids) for ids in d.ids_asked("organisations_by_id")] == [
            sorted(d.organisations)
        ]
        assert [sorted(ids) for ids in d.ids_asked("talents_by_id")] == [sorted(d.talents)]

        # A page of only organisations' demands makes no call for talents.
        d.reset(contexts)
        data = await graphql(
            d.url,
            """query { demands(first: 20, filter: {channel: PROJECT_LANDING}) {
                 edges { node { owner { ... on Organisation { id } ... on Talent { id } } } } } }""",
            d.admin,
        )
        assert len(data["demands"]["edges"]) == 9
        assert d.calls_of_the_query(contexts) == 2
        assert d.ids_asked("talents_by_id") == []


async def test_without_batching_the_calls_grow_with_the_owners(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The counting above would catch a gateway that loads owners one by one."""
    contexts = record_contexts(monkeypatch)
    without_batching(monkeypatch)
    async with demo_gateway(tmp_path) as d:
        await d.demand_for(d.organisations[0])
        await d.demand_for(d.talents[0])
        await d.owners_page(contexts)
        assert d.calls_of_the_query(contexts) == 3

        for owner in d.organisations + d.talents + d.organisations[:3]:
            await d.demand_for(owner)
        assert len(await d.owners_page(contexts)) == 14
        # One call for the page and one per distinct owner (the per-request cache still
        # asks for an owner of several demands once).
        assert d.calls_of_the_query(contexts) == 1 + len(d.organisations) + len(d.talents)
        assert all(len(ids) == 1 for ids in d.ids_asked("organisations_by_id"))


async def test_single_lookups_in_one_request_are_batched_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    contexts = record_contexts(monkeypatch)
    async with demo_gateway(tmp_path) as d:
        d.reset(contexts)
        data = await graphql(
            d.url,
            """query($a: ID!, $b: ID!, $c: ID!, $t: ID!, $u: ID!, $missing: ID!) {
                 a: organisation(id: $a) { id } b: organisation(id: $b) { id }
                 c: organisation(id: $c) { id } again: organisation(id: $a) { id }
                 missing: organisation(id: $missing) { id }
                 t: talent(id: $t) { id } u: talent(id: $u) { id } }""",
            d.admin,
            a=d.organisations[0],
            b=d.organisations[1],
            c=d.organisations[2],
            t=d.talents[0],
            u=d.talents[1],
            missing="org_missing",
        )
        assert data["a"]["id"] == data["again"]["id"] == d.organisations[0]
        assert (data["b"]["id"], data["c"]["id"]) == (d.organisations[1], d.organisations[2])
        assert (data["t"]["id"], data["u"]["id"]) == (d.talents[0], d.talents[1])
        assert data["missing"] is None
        assert d.calls_of_the_query(contexts) == 2
        assert sorted(d.ids_asked("organisations_by_id")[0]) == sorted(
            [*d.organisations[:3], "org_missing"]
        )


MEETINGS_WITH_PARTIES = """
query($editionId: ID!) {
  myMeetings(editionId: $editionId, first: 50) {
    edges { node { id counterpartId
      counterpart { __typename ... on Talent { id name { en } } ... on Organisation { id } }
      requester { __typename ... on Talent { id } }
      invitee { __typename ... on Organisation { id name { zh } } } } }
  }
}"""

PLACEMENTS_WITH_PARTIES = """
query($editionId: ID!) {
  schedule(editionId: $editionId) {
    __typename
    ... on Schedule {
      published {
        placements { slotId meeting { id requester { ... on Talent { id } }
                                      invitee { ... on Organisation { id } } } }
      }
    }
  }
}"""


async def test_nested_meeting_parties_cost_one_call_per_party_type(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An organisation's meetings with their counterparts, and the timetable's placements
    with their meetings and both sides: a fixed number of service calls, however many."""
    contexts = record_contexts(monkeypatch)
    platform = FakePlatform()
    org_id, edition_id = "org_loaders", "edi_loaders"
    talents = [f"tal_loaders{n}" for n in range(3)]
    platform.registry_data.add(organisation(org_id, YUZHONG), *(talent(t) for t in talents))
    platform.scheduling_data.add(edition(edition_id))
    for n, talent_id in enumerate(talents):
        request = meeting(f"mee_{n}", edition_id, (talent_id, "talent"), (org_id, "organisation"))
        platform.scheduling_data.add(request.model_copy(update={"status": "ACCEPTED"}))
    async with gateway_server(tmp_path, platform=platform) as gateway:
        d = Demo(gateway, await admin_token(gateway.url), [org_id], talents)
        org = gateway.token(Actor("acc_org", Role.ORGANISATION, party_id=org_id))

        d.reset(contexts)
        data = await graphql(d.url, MEETINGS_WITH_PARTIES, org, editionId=edition_id)
        nodes = [e["node"] for e in data["myMeetings"]["edges"]]
        assert sorted(n["counterpartId"] for n in nodes) == sorted(talents)
        assert all(n["counterpart"]["id"] == n["counterpartId"] for n in nodes)
        assert all(n["invitee"]["id"] == org_id for n in nodes)
        assert d.calls_of_the_query(contexts) == 3
        assert sorted(d.methods()) == ["my_meetings", "organisations_by_id", "talents_by_id"]
        assert [sorted(ids) for ids in d.ids_asked("talents_by_id")] == [sorted(talents)]

        published = await solved_and_published(d.url, d.admin, edition_id)
        assert published["published"]["scheduled"] == 3, published
        d.reset(contexts)
        data = await graphql(d.url, PLACEMENTS_WITH_PARTIES, d.admin, editionId=edition_id)
        placements = data["schedule"]["published"]["placements"]
        assert sorted(p["meeting"]["requester"]["id"] for p in placements) == sorted(talents)
        assert {p["meeting"]["invitee"]["id"] for p in placements} == {org_id}
        # the schedule, its placements, the edition's meetings (one page), both party types
        assert d.calls_of_the_query(contexts) == 5


def match(match_id: str, demand_id: str, talent_id: str) -> MatchOut:
    return MatchOut(
        match_id=match_id,
        demand_id=demand_id,
        counterpart_demand_id=f"dem_of_{talent_id}",
        counterpart_kind="talent",
        counterpart_party_id=talent_id,
        score=0.5,
        good_match=False,
        status="MUTUAL",
        my_response="YES",
        source="auto",
        explanation=None,
    )


MATCH_AGREEMENTS = """query($d: ID!) {
  matches(demandId: $d, first: 50) { id agreement { id origin { matchId } } }
}"""


async def test_the_agreements_of_a_page_of_matches_cost_one_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    contexts = record_contexts(monkeypatch)
    async with demo_gateway(tmp_path) as d:
        org, platform = d.organisations[0], d.gateway.platform
        platform.registry_data.add(demand("dem_m", org, district_code=YUZHONG))
        platform.matching_data.matches["dem_m"] = [
            match(f"mat_{n}", "dem_m", d.talents[n % 4]) for n in range(12)
        ]
        parties = [("talent", d.talents[0], "TALENT"), ("organisation", org, "ORGANISATION")]
        for n in (1, 5, 11):
            platform.agreements_data.add(agreement(parties, match_id=f"mat_{n}"))
        d.reset(contexts)
        data = await graphql(d.url, MATCH_AGREEMENTS, d.admin, d="dem_m")
        shown = {m["id"]: m["agreement"] for m in data["matches"]}
        assert len(shown) == 12
        assert {k for k, v in shown.items() if v} == {"mat_1", "mat_5", "mat_11"}
        assert all(v["origin"]["matchId"] == k for k, v in shown.items() if v)
        assert d.calls_of_the_query(contexts) == 2
        assert d.methods() == ["matches", "of_matches"]
        assert [sorted(ids) for ids in d.ids_asked("of_matches")] == [
            sorted(f"mat_{n}" for n in range(12))
        ]
