"""What ``bench load`` asks: each measure through GraphQL and the same data read straight
from the services' own HTTP APIs (signed with the internal identity, as the gateway signs),
and the read mix of issue #16 (35% demand pages, 30% a demand's matches, 20% the agenda,
15% reference data)."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import httpx

from boyin_platform.bench.drive import Send
from boyin_platform.demo_people import DEMO_PASSWORD
from boyin_shared import identity
from boyin_shared.identity import Actor, Role

TALENT_LOGIN = "sophie.martin@demo.boyin.example"
SIGN_IN = """mutation($login: String!, $password: String!) {
  signIn(login: $login, password: $password) { ... on Session { accessToken } } }"""
DEMANDS = """query($first: Int!) { demands(first: $first) { edges { node { id channel status
  title { zh en } districtCode taxonomyCodes } } } }"""
TALENT_WITH_DEMANDS = """query($id: ID!, $owner: String!) {
  talent(id: $id) { id name { zh en } degree field { zh en } institution { zh en } country
    timezone languages taxonomyCodes }
  demands(first: 20, filter: { ownerId: $owner }) { edges { node { id channel status
    title { zh en } districtCode taxonomyCodes } } } }"""
MATCHES = """query($demand: ID!) { matches(demandId: $demand, first: 20) { id score status
  counterpartDemandId counterpartKind goodMatch
  explanation { reasons { code zh en } mismatches { code zh en } } } }"""
AGENDA = """query($edition: ID!) { myAgenda(editionId: $edition) { ... on Agenda {
  items { kind id start end title { zh en } location state } } } }"""
REFERENCE = "{ districts { code name { zh en } } editions { code name { zh en } } }"
ME = "{ me { id partyId } }"
MINE = """query($owner: String!) { demands(first: 5, filter: { ownerId: $owner }) {
  edges { node { id } } } fairEditions { id } }"""


@dataclass(frozen=True)
class Platform:
    """A running platform as the bench reaches it: the gateway, each service's own base URL
    (its process, or its mount in the single-process platform), the internal secret, and
    the processes whose CPU and memory are reported."""

    name: str
    gateway: str
    services: Mapping[str, str]
    secret: str
    pids: Mapping[str, int]


@dataclass(frozen=True)
class Seen:
    """What the demo talent sees: its token, party, one of its demands, the edition."""

    token: str
    account_id: str
    party_id: str
    demand_id: str
    edition_id: str


def graphql(query: str, token: str | None = None, **variables: object) -> Send:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    body = {"query": query, "variables": variables}
    return lambda client: client.post("/graphql", json=body, headers=headers)


def direct(secret: str, actor: Actor, *urls: str) -> Send:
    """GETs of ``urls`` one after the other (the last answer is the one checked)."""

    async def send(client: httpx.AsyncClient) -> httpx.Response:
        signed = {identity.HEADER: identity.issue(actor, secret)}  # as the gateway signs
        answer: httpx.Response | None = None
        for url in urls:
            answer = await client.get(url, headers=signed)
            if answer.status_code != 200:
                return answer
        assert answer is not None
        return answer

    return send


async def seen(client: httpx.AsyncClient) -> Seen | None:
    """The demo talent's view once the demo fair is loaded (None: not yet)."""
    variables = {"login": TALENT_LOGIN, "password": DEMO_PASSWORD}
    answer = await client.post("/graphql", json={"query": SIGN_IN, "variables": variables})
    token = answer.json()["data"]["signIn"].get("accessToken")
    if not token:
        return None
    me = (await graphql(ME, token)(client)).json()["data"]["me"]
    if not me.get("partyId"):
        return None
    mine = (await graphql(MINE, token, owner=me["partyId"])(client)).json()["data"]
    demands, editions = mine["demands"]["edges"], mine["fairEditions"]
    if not demands or not editions:
        return None
    return Seen(token, me["id"], me["partyId"], demands[0]["node"]["id"], editions[0]["id"])


def pairs(p: Platform, s: Seen) -> list[tuple[str, Send, Send]]:
    """Each measure: (name, through GraphQL, straight from the services)."""
    talent = Actor(s.account_id, Role.TALENT, party_id=s.party_id, session_id="bench")
    staff = Actor("bench", Role.SERVICE)
    registry, matching, scheduling = (p.services[n] for n in ("registry", "matching", "scheduling"))
    return [
        ("{__typename} / healthz", graphql("{ __typename }"), lambda c: c.get("/healthz")),
        (
            "50 published demands",
            graphql(DEMANDS, first=50),
            direct(p.secret, staff, f"{registry}/demands?limit=50&status=PUBLISHED"),
        ),
        (
            "a talent with its demands",
            graphql(TALENT_WITH_DEMANDS, s.token, id=s.party_id, owner=s.party_id),
            direct(
                p.secret,
                talent,
                f"{registry}/talents/{s.party_id}",
                f"{registry}/demands?limit=20&owner_id={s.party_id}",
            ),
        ),
        (
            "a demand's 20 matches, explained",
            graphql(MATCHES, s.token, demand=s.demand_id),
            direct(p.secret, talent, f"{matching}/demands/{s.demand_id}/matches?limit=20"),
        ),
        (
            "my agenda",
            graphql(AGENDA, s.token, edition=s.edition_id),
            direct(p.secret, talent, f"{scheduling}/editions/{s.edition_id}/agenda"),
        ),
        (
            "reference data (districts, editions)",
            graphql(REFERENCE),
            direct(
                p.secret,
                staff,
                f"{registry}/reference/districts",
                f"{registry}/reference/editions",
            ),
        ),
    ]


def mix(s: Seen) -> Callable[[random.Random], Send]:
    """Issue #16's read mix, drawn request by request."""
    weighted = [
        (0.35, graphql(DEMANDS, s.token, first=20)),
        (0.30, graphql(MATCHES, s.token, demand=s.demand_id)),
        (0.20, graphql(AGENDA, s.token, edition=s.edition_id)),
        (0.15, graphql(REFERENCE, s.token)),
    ]
    sends = [send for _, send in weighted]
    weights = [w for w, _ in weighted]
    return lambda draw: draw.choices(sends, weights)[0]
