"""Live feeds over graphql-transport-ws: the gateway on the fakes (``harness.py``) hears
the platform's events as its bus would deliver them (``Gateway.publish``), and each feed
shows a subscriber what they may see. (The flows in test_scheduling.py carry live feeds
through the whole platform, on its bus.)"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosedError

import boyin_shared.contracts  # noqa: F401  (every contract in the catalogue)
from boyin_gateway.accounts.tokens import issue_access
from boyin_gateway.feeds import QUEUE_BOUND, Feeds
from boyin_shared.contracts.matching import (
    MatchesProposed,
    MatchMutuallyAccepted,
    MatchParty,
    MatchProposed,
    MutualMatch,
    Proposal,
    ProposedMatches,
)
from boyin_shared.events import CATALOG
from boyin_shared.identity import Actor, Role
from tests.gateway.events import project
from tests.gateway.harness import SESSION, Gateway
from tests.gateway.support import SIGN_IN, SIGN_OUT
from tests.graphql_ws import Subscription, subscribe
from tests.platform_harness import ADMIN_LOGIN, ADMIN_PASSWORD, graphql, sign_in

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


async def investor_token(url: str) -> str:
    admin = await sign_in(url, ADMIN_LOGIN, ADMIN_PASSWORD)
    created = await graphql(url, CREATE, admin, login="vc@fund.example", password="investor-pw-123")
    assert created["createAccount"]["__typename"] == "Account"
    return await sign_in(url, "vc@fund.example", "investor-pw-123")


async def test_an_investor_receives_projects_matching_the_filter(gateway: Gateway) -> None:
    token = await investor_token(gateway.url)
    wanted: dict[str, Any] = {"taxonomyCodes": ["C33-N01"], "minFundingWan": 100}
    async with subscribe(gateway.url, NEW_PROJECTS, token, filter=wanted) as feed:
        await gateway.listening(1)
        await gateway.publish(
            project("dem_other_cluster", "tal_one", "C33-F5", 500),
            project("dem_too_little", "tal_one", "C33-N01", 50),
            project("dem_wanted", "tal_two", "C33-N01", 800),
        )
        data = await feed.next()
    item = data["newProjects"]
    assert item["demandId"] == "dem_wanted"
    assert item["taxonomyCodes"] == ["C33-N01"]
    assert item["fundingSoughtWan"] == 800


async def test_feeds_are_only_for_those_allowed(gateway: Gateway) -> None:
    url = gateway.url
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


def test_the_feeds_hear_every_contract_of_the_catalogue() -> None:
    """The catalogue is the list: a new contract needs no line in the gateway."""
    events = set(CATALOG.values())
    assert {cls.topic for cls in events} >= {
        "boyin.registry.events",
        "boyin.matching.events",
        "boyin.scheduling.events",
    }
    assert set(Feeds().subscription().handlers) == events


async def test_every_contract_of_the_catalogue_reaches_the_pipeline_feed(
    gateway: Gateway,
) -> None:
    """Each contract class, delivered as the bus delivers it (through the feeds'
    subscription), is an item of the operators' ``pipelineEvents``."""
    handlers = gateway.feeds.subscription().handlers
    staff = gateway.token(OPERATOR)
    classes = sorted(set(CATALOG.values()), key=lambda c: c.__name__)
    now = datetime.now().astimezone()
    # the envelope only (type and source are the class's): the feed reads nothing else
    envelopes: list[dict[str, Any]] = [
        {"id": f"ev_{n}", "subject": f"sub_{n}", "time": now} for n in range(len(classes))
    ]
    events = [cls.model_construct(**e) for cls, e in zip(classes, envelopes, strict=True)]
    async with subscribe(gateway.url, PIPELINE, staff) as pipeline:
        await gateway.listening(1)
        for event in events:
            await handlers[type(event)](event)
        received = [(await pipeline.next())["pipelineEvents"] for _ in events]
    assert received == [{"type": e.type, "subject": e.subject} for e in events]


# -- myMatches: the matching service's events, published on the platform's own bus -----------

ME = MatchParty(party_kind="talent", party_id="tal_feed_me", demand_id="dem_mine")
NOBODY = MatchParty(party_kind="organisation", party_id="org_feed_nobody", demand_id="dem_nobody")


def other(n: int) -> MatchParty:
    return MatchParty(party_kind="organisation", party_id=f"org_feed_{n}", demand_id=f"dem_{n}")


def token(gateway: Gateway, party: MatchParty) -> str:
    role = Role.TALENT if party.party_kind == "talent" else Role.ORGANISATION
    return gateway.token(Actor(f"acc_{party.party_id}", role, party_id=party.party_id))


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
    gateway: Gateway,
) -> None:
    as_supply = proposal("mat_as_supply", ME, other(1), score=0.9)
    as_demand = proposal("mat_as_demand", other(2), ME, score=0.7)
    elsewhere = proposal("mat_elsewhere", other(3), other(4), score=0.8)
    mine_and_nobodys = proposal("mat_next", NOBODY, ME, score=0.6)
    async with (
        subscribe(gateway.url, MY_MATCHES, token(gateway, ME)) as mine,
        subscribe(gateway.url, MY_MATCHES, token(gateway, NOBODY)) as nobodys,
    ):
        await gateway.listening(2)
        listed = ranked("dem_ranked", as_supply, elsewhere, as_demand)
        # the next event involves both: what each gets before it is all the list gave them
        await gateway.publish(listed, ranked("dem_later", mine_and_nobodys))
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


async def test_a_list_longer_than_the_queue_drops_its_oldest_items(gateway: Gateway) -> None:
    extra = 5
    many = [proposal(f"mat_{n:03d}", ME, other(n)) for n in range(QUEUE_BOUND + extra)]
    async with subscribe(gateway.url, MY_MATCHES, token(gateway, ME)) as mine:
        await gateway.listening(1)
        await gateway.publish(ranked("dem_ranked", *many))
        received = [(await news(mine))["matchId"] for _ in range(QUEUE_BOUND)]
        (listener,) = gateway.feeds.listeners
        assert listener.dropped == extra
        await gateway.publish(proposed(proposal("mat_after", other(9), ME)))
        after = await news(mine)

    assert received == [p.match_id for p in many[extra:]]  # the newest, in order
    assert after["matchId"] == "mat_after"  # nothing else was left in the queue


async def test_my_matches_still_reads_single_proposals_and_mutual_matches(gateway: Gateway) -> None:
    old = proposal("mat_old", other(1), ME, score=0.4)
    mutual = MutualMatch(match_id="mat_old", first=ME, second=other(1), score=0.4)
    async with subscribe(gateway.url, MY_MATCHES, token(gateway, ME)) as mine:
        await gateway.listening(1)
        elsewhere = proposed(proposal("mat_elsewhere", other(2), other(3)))
        single = proposed(old)
        accepted = MatchMutuallyAccepted.create(subject="mat_old", data=mutual)
        await gateway.publish(elsewhere, single, accepted)
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


# -- a feed lasts as long as the sign-in --------------------------------------------------


async def test_a_feed_ends_when_its_subscriber_signs_out(gateway: Gateway) -> None:
    await investor_token(gateway.url)
    session = (
        await graphql(gateway.url, SIGN_IN, login="vc@fund.example", password="investor-pw-123")
    )["signIn"]
    token = session["accessToken"]
    async with subscribe(gateway.url, NEW_PROJECTS, token) as feed:
        await gateway.listening(1)
        await gateway.publish(project("dem_before", "tal_one", "C33-N01", 800))
        assert (await feed.next())["newProjects"]["demandId"] == "dem_before"

        await graphql(gateway.url, SIGN_OUT, token, refreshToken=session["refreshToken"])
        await gateway.publish(project("dem_after", "tal_one", "C33-N01", 800))
        (error,) = await feed.error()
    assert error["extensions"]["code"] == "SESSION_ENDED"
    assert error["extensions"]["message"]["zh"] == "登录已结束，请重新登录后再订阅"
    assert "dem_after" not in str(error)


async def test_a_feed_ends_when_its_token_expires_even_if_nothing_happens(
    gateway: Gateway,
) -> None:
    investor = Actor("acc_feed_investor", Role.INVESTOR)
    token = issue_access(dataclasses.replace(investor, session_id=SESSION), gateway.secret, ttl=2)
    async with subscribe(gateway.url, NEW_PROJECTS, token) as feed:
        (error,) = await feed.error(timeout=10)
    assert error["extensions"]["code"] == "SESSION_ENDED"
