"""Issue #16's write mix for ``bench load``: create + submit a demand, as a pair of calls,
by signed-in talents and organisations with their profiles (signed up and registered
through the public GraphQL API, as the demo fair seeds its people), through GraphQL
(``createDemand`` then ``submitDemand``) and the same pair straight from the registry's
own HTTP API (``POST /demands`` then ``POST /demands/{id}/submit``, signed with the
internal identity as the gateway signs)."""

from __future__ import annotations

import asyncio
import itertools
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from boyin_platform.bench.drive import Send, cpu_seconds
from boyin_platform.bench.queries import Platform
from boyin_platform.demo import CONSENT, credit_code
from boyin_platform.demo_people import DEMO_DISTRICT, GraphQL, Person, SignedIn, ensure
from boyin_shared import identity
from boyin_shared.identity import Actor, Role

RESULT = "__typename ... on Demand { id status } ... on Problem { code }"
CREATE = f"""mutation($ownerId: String!, $content: DemandContentInput!) {{
  createDemand(ownerId: $ownerId, content: $content) {{ {RESULT} }} }}"""
SUBMIT = f"mutation($id: ID!) {{ submitDemand(id: $id) {{ {RESULT} }} }}"
ACCOUNT = "{ me { id partyId } }"

#: a talent seeks a post, an organisation recruits (GraphQL's input, camelCase)
CONTENT: dict[str, dict[str, Any]] = {
    "TALENT": {
        "titleZh": "求职：机器人运动控制研究员",
        "titleEn": "Seeking a post: motion-control researcher",
        "descriptionZh": "希望在重庆从事机器人控制研发。",
        "descriptionEn": "Wants to do robot control R&D in Chongqing.",
        "taxonomyCodes": ["C33-N02"],
        "editions": ["CQ2026"],
        "details": {
            "jobSeeking": {"desiredRole": "Motion-control researcher", "workMode": "FULL_TIME"}
        },
        "claims": [{"criterion": "CHONGQING_INTENTION", "evidence": "已与两家在渝单位面谈"}],
    },
    "ORGANISATION": {
        "titleZh": "招聘机器人控制方向博士",
        "titleEn": "Recruiting PhDs in robot control",
        "descriptionZh": "两个全职研究岗位，提供安家支持。",
        "descriptionEn": "Two full-time research posts with relocation support.",
        "taxonomyCodes": ["C33-N02"],
        "editions": ["CQ2026"],
        "details": {
            "talentRecruitment": {
                "positions": 2,
                "degreeRequired": "PHD",
                "workMode": "FULL_TIME",
            }
        },
        "claims": [{"criterion": "SUPPORT_POLICIES", "evidence": "渝中区高层次人才安家补贴"}],
    },
}
CHANNEL = {"TALENT": "JOB_SEEKING", "ORGANISATION": "TALENT_RECRUITMENT"}


@dataclass(frozen=True)
class Writer:
    """A virtual user of the write mix: its token, account, party and role."""

    token: str
    account_id: str
    party_id: str
    role: str


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def direct_body(role: str, owner_id: str) -> dict[str, Any]:
    """The same content as the registry's ``DemandIn`` takes it."""
    content = CONTENT[role]
    body = {_snake(k): v for k, v in content.items() if k != "details"}
    ((_, details),) = content["details"].items()
    body["details"] = {"channel": CHANNEL[role]} | {_snake(k): v for k, v in details.items()}
    return body | {"owner_id": owner_id}


def _person(i: int, run: str) -> Person:
    login = f"writer{i}.{run}@bench.boyin.example"
    if i % 2 == 0:
        talent = {
            "nameZh": f"压测人才{i}",
            "nameEn": f"Bench talent {i}",
            "fieldZh": "机器人运动控制",
            "fieldEn": "Motion control for robots",
            "contact": {"name": f"Bench talent {i}", "email": login},
            "consent": {
                "noticeVersion": CONSENT["notice_version"],
                "purposes": CONSENT["purposes"],
            },
            "degree": "PHD",
            "institutionZh": "东京大学",
            "institutionEn": "The University of Tokyo",
            "country": "JP",
            "location": "Tokyo",
            "timezone": "Asia/Tokyo",
            "languages": ["zh", "en"],
            "taxonomyCodes": ["C33-N02"],
        }
        return Person(login, "TALENT", "压测人才", "Bench talent", talent=talent)
    organisation = {
        "nameZh": f"重庆压测机器人公司{i}",
        "nameEn": f"Chongqing Bench Robotics {i}",
        "kind": "ENTERPRISE",
        "districtCode": DEMO_DISTRICT,
        "creditCode": credit_code(DEMO_DISTRICT, 5000 + i),
        "taxonomyCodes": ["C33-N02"],
        "descriptionZh": "服务机器人控制算法研发。",
        "descriptionEn": "Control algorithms for service robots.",
        "contacts": [{"name": f"Bench {i}", "email": login}],
    }
    return Person(
        login, "ORGANISATION", "压测单位", "Bench organisation", organisation=organisation
    )


async def writers(gateway: str, count: int) -> list[Writer]:
    """``count`` talents and organisations (alternating), signed up and registered."""
    run = secrets.token_hex(3)
    async with httpx.AsyncClient(timeout=60) as client:
        gql = GraphQL(client, gateway)
        found = []
        for i in range(count):
            signed = await _ensured(gql, _person(i, run))
            me = (await gql(ACCOUNT, signed.token))["me"]
            found.append(Writer(signed.token, me["id"], me["partyId"], signed.person.role))
    return found


async def _ensured(gql: GraphQL, person: Person) -> SignedIn:
    """The person signed up and registered, waiting out the gateway's password throttle
    (sign-ups hash a password: a few a second per address)."""
    for _ in range(60):
        try:
            return await ensure(gql, "", person, {"created": 0, "existing": 0})
        except RuntimeError as refused:
            if "TOO_MANY_" not in str(refused):
                raise
            await asyncio.sleep(1.0)
    raise RuntimeError(f"bench: sign-up of {person.login} throttled for a minute")


def _refused(answer: httpx.Response, what: str) -> httpx.Response | None:
    """A failed answer (as the drivers count failures) unless ``what`` is a Demand."""
    if answer.status_code != 200 or b'"errors"' in answer.content:
        return answer
    if answer.json()["data"][what]["__typename"] != "Demand":
        return httpx.Response(422, content=answer.content)
    return None


def through_graphql(w: Writer) -> Send:
    headers = {"authorization": f"Bearer {w.token}"}
    created = {"query": CREATE, "variables": {"ownerId": w.party_id, "content": CONTENT[w.role]}}

    async def send(client: httpx.AsyncClient) -> httpx.Response:
        made = await client.post("/graphql", json=created, headers=headers)
        if (refused := _refused(made, "createDemand")) is not None:
            return refused
        demand = made.json()["data"]["createDemand"]["id"]
        body = {"query": SUBMIT, "variables": {"id": demand}}
        answer = await client.post("/graphql", json=body, headers=headers)
        return _refused(answer, "submitDemand") or answer

    return send


def straight(p: Platform, w: Writer) -> Send:
    actor = Actor(w.account_id, Role(w.role), party_id=w.party_id, session_id="bench")
    registry = p.services["registry"]
    body = direct_body(w.role, w.party_id)

    async def send(client: httpx.AsyncClient) -> httpx.Response:
        signed = {identity.HEADER: identity.issue(actor, p.secret)}  # as the gateway signs
        made = await client.post(f"{registry}/demands", json=body, headers=signed)
        if made.status_code != 201:
            return made
        demand = made.json()["id"]
        return await client.post(f"{registry}/demands/{demand}/submit", headers=signed)

    return send


def round_robin(sends: list[Send]) -> Callable[[object], Send]:
    """The writers in turn: concurrent callers act for different users."""
    turn = itertools.cycle(sends)
    return lambda _: next(turn)


async def after_work(p: Platform, pairs: int, limit: float = 30.0) -> float:
    """The platform's CPU, in ms a pair, spent after the load stopped until it is idle
    again (what the events' consumers had left to do), waiting at most ``limit`` s."""
    total, deadline = 0.0, time.perf_counter() + limit
    while time.perf_counter() < deadline:
        before = sum(cpu_seconds(pid) for pid in p.pids.values())
        await asyncio.sleep(0.5)
        used = sum(cpu_seconds(pid) for pid in p.pids.values()) - before
        total += used
        if used < 0.02:  # under 4% of a core: idle
            break
    return total * 1000 / pairs if pairs else 0.0
