"""Live feeds over graphql-transport-ws, on the single-process platform."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosedError

from boyin_gateway.accounts.tokens import issue_access
from boyin_gateway.feeds import QUEUE_BOUND, Feeds
from boyin_platform import app as platform_app
from boyin_shared import identity
from boyin_shared.bus import EventBus
from boyin_shared.contracts.matching import (
    MatchesProposed,
    MatchMutuallyAccepted,
    MatchParty,
    MatchProposed,
    MutualMatch,
    Proposal,
    ProposedMatches,
)
from boyin_shared.events import Event
from boyin_shared.identity import Actor, Role
from boyin_shared.runtime import make_bus
from boyin_shared.settings import PlatformSettings
from tests.apps import SECRET
from tests.gateway.support import jwt_secret
from tests.graphql_ws import Subscription, subscribe
from tests.platform_harness import ADMIN_LOGIN, ADMIN_PASSWORD, graphql, platform_server, sign_in
from tests.registry.support import demand_body, talent_body

NEW_PROJECTS = """
subscription($filter: ProjectFilter) {
  newProjects(filter: $filter) { demandId title { en } taxonomyCodes stage fundingSoughtWan }
}"""
PIPELINE = "subscription { pipelineEvents { type subject } }"
MY_MATCHES = """
subscription { myMatches { matchId kind myDemandId counterpartDemandId score at } }"""
CREATE = """
mutation($login: String!, $password: String!) {
  createAccount(login: $login, password: $password, role: INVESTOR) { __typename }
}"""
OPERATOR = Actor("acc_feed_operator", Role.OPERATOR)


async def publish_project(url: str, owner: str, code: str, funding: int) -> str:
    headers = {identity.HEADER: identity.issue(OPERATOR, SECRET)}
    body = demand_body("PROJECT_COOPERATION", owner, taxonomy_codes=[code], submit=True)
    body["details"] = body["details"] | {"funding_sought_wan": funding}
    async with httpx.AsyncClient(base_url=url + "/services/registry", headers=headers) as client:
        demand = (await client.post("/demands", json=body)).json()
        await client.post(f"/demands/{demand['id']}/start-review")
        for claim in demand["claims"]:
            await client.post(
                f"/demands/{demand['id']}/claims/{claim['criterion']}/review",
                json={"outcome": "CONFIRMED"},
            )
        published = await client.post(f"/demands/{demand['id']}/publish")
        assert published.status_code == 200, published.text
        return str(demand["id"])


async def investor_token(url: str) -> str:
    admin = await sign_in(url, ADMIN_LOGIN, ADMIN_PASSWORD)
    created = await graphql(url, CREATE, admin, login="vc@fund.example", password="investor-pw-123")
    assert created["createAccount"]["__typename"] == "Account"
    return await sign_in(url, "vc@fund.example", "investor-pw-123")


async def test_an_investor_receives_projects_matching_the_filter(tmp_path: Path) -> None:
    async with platform_server(tmp_path) as url:
        talents = await _talents(url)
        token = await investor_token(url)
        wanted: dict[str, Any] = {"taxonomyCodes": ["C33-N01"], "minFundingWan": 100}
        async with subscribe(url, NEW_PROJECTS, token, filter=wanted) as feed:
            await asyncio.sleep(0.3)
            await publish_project(url, talents[0], "C33-F5", 500)  # another cluster
            await publish_project(url, talents[0], "C33-N01", 50)  # too little funding
            wanted_id = await publish_project(url, talents[1], "C33-N01", 800)
            data = await feed.next()
        item = data["newProjects"]
        assert item["demandId"] == wanted_id
        assert item["taxonomyCodes"] == ["C33-N01"]
        assert item["fundingSoughtWan"] == 800


async def test_feeds_are_only_for_those_allowed(tmp_path: Path) -> None:
    async with platform_server(tmp_path) as url:
        async with subscribe(url, NEW_PROJECTS) as anonymous:
            errors = await anonymous.error()
        assert "Investors and staff only" in errors[0]["message"]
        token = await investor_token(url)
        async with subscribe(url, PIPELINE, token) as investor:
            errors = await investor.error()
        assert "Staff only" in errors[0]["message"]
        with pytest.raises((ConnectionClosedError, AssertionError)):
            async with subscribe(url, NEW_PROJECTS, "not-a-token") as forged:
                await forged.next(timeout=3)


async def _talents(url: str) -> list[str]:
    """Two fresh talents to own the projects."""
    headers = {identity.HEADER: identity.issue(OPERATOR, SECRET)}
    ids = []
    async with httpx.AsyncClient(base_url=url + "/services/registry", headers=headers) as client:
        for email in ("feed.one@example.de", "feed.two@example.de"):
            created = await client.post("/talents", json=talent_body(email))
            assert created.status_code == 201, created.text
            ids.append(created.json()["id"])
    return ids


# -- myMatches: the matching service's events, published on the platform's own bus -----------

ME = MatchParty(party_kind="talent", party_id="tal_feed_me", demand_id="dem_mine")
NOBODY = MatchParty(party_kind="organisation", party_id="org_feed_nobody", demand_id="dem_nobody")


def other(n: int) -> MatchParty:
    return MatchParty(party_kind="organisation", party_id=f"org_feed_{n}", demand_id=f"dem_{n}")


@dataclass
class Live:
    """The platform, its bus (to publish matching's events on) and the gateway's feeds."""

    url: str
    bus: EventBus
    feeds: Feeds
    secret: str

    def token(self, party: MatchParty) -> str:
        role = Role.TALENT if party.party_kind == "talent" else Role.ORGANISATION
        return issue_access(
            Actor(f"acc_{party.party_id}", role, party_id=party.party_id), self.secret
        )

    async def listening(self, count: int) -> None:
        """Until ``count`` subscriptions listen to the feeds."""
        for _ in range(100):
            if len(self.feeds.listeners) == count:
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f"{len(self.feeds.listeners)} listeners, not {count}")

    async def publish(self, *events: Event) -> None:
        await self.bus.publish(events)


@pytest.fixture
async def live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Live]:
    buses: list[EventBus] = []
    feeds = Feeds()

    def kept_bus(settings: PlatformSettings, client_id: str) -> EventBus:
        buses.append(make_bus(settings, client_id))
        return buses[-1]

    monkeypatch.setattr(platform_app, "make_bus", kept_bus)
    monkeypatch.setattr(platform_app, "Feeds", lambda: feeds)
    async with platform_server(tmp_path) as url:
        (bus,) = buses
        yield Live(url, bus, feeds, jwt_secret(tmp_path))


def proposal(match_id: str, supply: MatchParty, demand: MatchParty, score: float = 0.5) -> Proposal:
    return Proposal(match_id=match_id, supply=supply, demand=demand, score=score)


def ranked(demand_id: str, *proposals: Proposal) -> MatchesProposed:
    data = ProposedMatches(demand_id=demand_id, source="auto", proposals=proposals)
    return MatchesProposed.create(subject=demand_id, data=data)


def proposed(p: Proposal) -> MatchProposed:
    """The event matching published per proposal before it announced lists."""
    return MatchProposed.create(subject=p.match_id, data=p)


async def news(feed: Subscription) -> dict[str, Any]:
    item: dict[str, Any] = (await feed.next())["myMatches"]
    return item


def at(item: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(item.pop("at"))


async def test_my_matches_has_one_item_per_proposal_of_a_list_that_involves_the_party(
    live: Live,
) -> None:
    as_supply = proposal("mat_as_supply", ME, other(1), score=0.9)
    as_demand = proposal("mat_as_demand", other(2), ME, score=0.7)
    elsewhere = proposal("mat_elsewhere", other(3), other(4), score=0.8)
    mine_and_nobodys = proposal("mat_next", NOBODY, ME, score=0.6)
    async with (
        subscribe(live.url, MY_MATCHES, live.token(ME)) as mine,
        subscribe(live.url, MY_MATCHES, live.token(NOBODY)) as nobodys,
    ):
        await live.listening(2)
        listed = ranked("dem_ranked", as_supply, elsewhere, as_demand)
        # the next event involves both: what each gets before it is all the list gave them
        await live.publish(listed, ranked("dem_later", mine_and_nobodys))
        first, second, third = await news(mine), await news(mine), await news(mine)
        nobody_first = await news(nobodys)

    assert at(first) == at(second) == listed.time
    assert first == {
        "matchId": "mat_as_supply",  # the proposal's, not the event's subject (the demand)
        "kind": "PROPOSED",
        "myDemandId": "dem_mine",
        "counterpartDemandId": "dem_1",
        "score": 0.9,
    }
    assert second == {
        "matchId": "mat_as_demand",
        "kind": "PROPOSED",
        "myDemandId": "dem_mine",
        "counterpartDemandId": "dem_2",
        "score": 0.7,
    }
    assert third["matchId"] == nobody_first["matchId"] == "mat_next"
    assert (third["myDemandId"], third["counterpartDemandId"]) == ("dem_mine", "dem_nobody")
    assert (nobody_first["myDemandId"], nobody_first["counterpartDemandId"]) == (
        "dem_nobody",
        "dem_mine",
    )


async def test_a_list_longer_than_the_queue_drops_its_oldest_items(live: Live) -> None:
    extra = 5
    many = [proposal(f"mat_{n:03d}", ME, other(n)) for n in range(QUEUE_BOUND + extra)]
    async with subscribe(live.url, MY_MATCHES, live.token(ME)) as mine:
        await live.listening(1)
        await live.publish(ranked("dem_ranked", *many))
        received = [(await news(mine))["matchId"] for _ in range(QUEUE_BOUND)]
        (listener,) = live.feeds.listeners
        assert listener.dropped == extra
        await live.publish(proposed(proposal("mat_after", other(9), ME)))
        after = await news(mine)

    assert received == [p.match_id for p in many[extra:]]  # the newest, in order
    assert after["matchId"] == "mat_after"  # nothing else was left in the queue


async def test_my_matches_still_reads_single_proposals_and_mutual_matches(live: Live) -> None:
    old = proposal("mat_old", other(1), ME, score=0.4)
    mutual = MutualMatch(match_id="mat_old", first=ME, second=other(1), score=0.4)
    async with subscribe(live.url, MY_MATCHES, live.token(ME)) as mine:
        await live.listening(1)
        elsewhere = proposed(proposal("mat_elsewhere", other(2), other(3)))
        single = proposed(old)
        accepted = MatchMutuallyAccepted.create(subject="mat_old", data=mutual)
        await live.publish(elsewhere, single, accepted)
        first, second = await news(mine), await news(mine)

    assert (at(first), at(second)) == (single.time, accepted.time)
    assert first == {
        "matchId": "mat_old",
        "kind": "PROPOSED",
        "myDemandId": "dem_mine",
        "counterpartDemandId": "dem_1",
        "score": 0.4,
    }
    assert second == first | {"kind": "MUTUAL"}
