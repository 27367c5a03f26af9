"""N+1 removal: a page of demands with their owners costs a constant number of service calls.

Every HTTP request the gateway sends to a service is recorded by an httpx event hook on the
gateway's connection pools (nothing else uses them), and cross-checked with the request
context's own ``downstream_calls`` counter.
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
from boyin_platform import demo
from tests.apps import SECRET
from tests.gateway.support import (
    CREATE_DEMAND,
    REGISTER_TALENT,
    Recorder,
    admin_token,
    cooperation_content,
    landing_content,
    record_gateway_calls,
    talent_input,
)
from tests.platform_harness import graphql, platform_server

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
    url: str
    admin: str
    organisations: list[str]
    talents: list[str]

    async def demand_for(self, owner_id: str) -> str:
        content = cooperation_content() if owner_id in self.talents else landing_content()
        data = await graphql(
            self.url, CREATE_DEMAND, self.admin, ownerId=owner_id, content=content, submit=False
        )
        result = data["createDemand"]
        assert result["__typename"] == "Demand", result
        demand_id: str = result["id"]
        return demand_id

    async def owners_page(self, recorder: Recorder) -> list[dict[str, Any]]:
        """The owners query, as the admin (who may see every demand and owner)."""
        recorder.reset()
        data = await graphql(self.url, OWNERS, self.admin, first=20)
        nodes = [e["node"] for e in data["demands"]["edges"]]
        for node in nodes:  # every owner resolved, to its own type
            expected = "Talent" if node["channel"] == "PROJECT_COOPERATION" else "Organisation"
            assert node["owner"] == {"__typename": expected, "id": node["ownerId"]}, node
        return nodes


@asynccontextmanager
async def demo_platform(tmp_path: Path) -> AsyncIterator[Demo]:
    async with platform_server(tmp_path) as url:
        assert await demo.load(url, SECRET) == {
            # and the demo fair's edition
            "created": len(demo.ORGANISATIONS) + len(demo.TALENTS) + 1,
            "existing": 0,
        }
        admin = await admin_token(url)
        orgs = [
            e["node"]["id"]
            for e in (await graphql(url, ORGANISATION_IDS))["organisations"]["edges"]
        ]
        assert len(orgs) == len(demo.ORGANISATIONS)
        talents = []
        for n in range(4):
            data = await graphql(
                url, REGISTER_TALENT, admin, input=talent_input(f"talent{n}@loader.example")
            )
            assert data["registerTalent"]["__typename"] == "Talent", data
            talents.append(data["registerTalent"]["id"])
        yield Demo(url, admin, orgs, talents)


def calls_of_the_query(recorder: Recorder) -> int:
    """Service calls made for the one GraphQL request just run (both ways of counting)."""
    assert len(recorder.contexts) == 1
    assert recorder.contexts[0].downstream_calls == len(recorder.requests)
    return len(recorder.requests)


async def test_owners_of_a_page_cost_one_call_per_owner_type(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder = record_gateway_calls(monkeypatch)
    async with demo_platform(tmp_path) as d:
        await d.demand_for(d.organisations[0])
        await d.demand_for(d.talents[0])
        assert len(await d.owners_page(recorder)) == 2
        assert calls_of_the_query(recorder) == 3
        assert sorted(recorder.paths()) == sorted(
            [
                "/services/registry/demands",
                "/services/registry/organisations",
                "/services/registry/talents",
            ]
        )

        # Seven times the demands, every organisation and talent an owner: same three calls.
        for owner in d.organisations + d.talents + d.organisations[:3]:
            await d.demand_for(owner)
        nodes = await d.owners_page(recorder)
        assert len(nodes) == 14
        assert calls_of_the_query(recorder) == 3
        assert recorder.paths()[0] == "/services/registry/demands"  # the page comes first
        # Each owner is asked for once, all in one batch per type.
        assert [sorted(ids) for ids in recorder.ids_asked("/organisations")] == [
            sorted(d.organisations)
        ]
        assert [sorted(ids) for ids in recorder.ids_asked("/talents")] == [sorted(d.talents)]

        # A page of only organisations' demands makes no call for talents.
        recorder.reset()
        data = await graphql(
            d.url,
            """query { demands(first: 20, filter: {channel: PROJECT_LANDING}) {
                 edges { node { owner { ... on Organisation { id } ... on Talent { id } } } } } }""",
            d.admin,
        )
        assert len(data["demands"]["edges"]) == 9
        assert calls_of_the_query(recorder) == 2
        assert recorder.ids_asked("/talents") == []


async def test_without_batching_the_calls_grow_with_the_owners(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The counting above would catch a gateway that loads owners one by one."""
    recorder = record_gateway_calls(monkeypatch)
    without_batching(monkeypatch)
    async with demo_platform(tmp_path) as d:
        await d.demand_for(d.organisations[0])
        await d.demand_for(d.talents[0])
        await d.owners_page(recorder)
        assert calls_of_the_query(recorder) == 3

        for owner in d.organisations + d.talents + d.organisations[:3]:
            await d.demand_for(owner)
        assert len(await d.owners_page(recorder)) == 14
        # One call for the page and one per distinct owner (the per-request cache still
        # asks for an owner of several demands once).
        assert calls_of_the_query(recorder) == 1 + len(d.organisations) + len(d.talents)
        assert all(len(ids) == 1 for ids in recorder.ids_asked("/organisations"))


async def test_single_lookups_in_one_request_are_batched_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder = record_gateway_calls(monkeypatch)
    async with demo_platform(tmp_path) as d:
        recorder.reset()
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
        assert calls_of_the_query(recorder) == 2
        assert sorted(recorder.ids_asked("/organisations")[0]) == sorted(
            [*d.organisations[:3], "org_missing"]
        )
