"""The demo fair come alive, through the public GraphQL API: the demo people's demands in
all four channels submitted, reviewed and published (talents' by the operator,
organisations' by their district's officer), the matches the matching service proposes
for them with explanations, and one mutual match (both sides say yes), which reveals the
two parties' contact details to each other and asks for a meeting at the fair, which the
scheduler places in a published timetable (:mod:`boyin_platform.demo_schedule`).

Idempotent: a demand of the same owner and English title is not made again, a match
already answered is not answered again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

import httpx

from boyin_platform import demo
from boyin_platform.demo_people import PEOPLE, GraphQL, SignedIn, accounts_table, ensure, sign_in
from boyin_platform.demo_schedule import publish_schedule

log = logging.getLogger("boyin.demo")

PROBLEM = "... on Problem { code message { zh en } fields { field message { en } } }"
DEMAND = "id channel status title { en } claims { criterion }"
DEMAND_RESULT = f"__typename ... on Demand {{ {DEMAND} }} {PROBLEM}"
OWN_DEMANDS = f"""query($ownerId: String!) {{
  demands(first: 50, filter: {{ ownerId: $ownerId }}) {{ edges {{ node {{ {DEMAND} }} }} }} }}"""
CREATE_DEMAND = f"""mutation($ownerId: String!, $content: DemandContentInput!) {{
  createDemand(ownerId: $ownerId, content: $content, submit: true) {{ {DEMAND_RESULT} }} }}"""
START_REVIEW = f"mutation($id: ID!) {{ startDemandReview(id: $id) {{ {DEMAND_RESULT} }} }}"
REVIEW_CLAIM = f"""mutation($id: ID!, $criterion: Criterion!) {{
  reviewClaim(id: $id, criterion: $criterion, confirmed: true, note: "演示：材料已核实") {{
    {DEMAND_RESULT} }} }}"""
PUBLISH = f"mutation($id: ID!) {{ publishDemand(id: $id) {{ {DEMAND_RESULT} }} }}"
MATCHES = """query($id: ID!) { matches(demandId: $id) {
  id counterpartDemandId status myResponse score explanation { reasons { code zh en } } } }"""
ANSWER = """mutation($id: ID!) { answerMatch(id: $id, interested: true) {
  __typename ... on MatchAnswer { status } ... on Problem { code message { en } } } }"""


def _content(
    title: tuple[str, str], description: tuple[str, str], code: str, details: dict[str, Any]
) -> dict[str, Any]:
    return {
        "titleZh": title[0],
        "titleEn": title[1],
        "descriptionZh": description[0],
        "descriptionEn": description[1],
        "taxonomyCodes": [code],
        "keywords": [],
        "editions": ["CQ2026"],
        "details": details,
    }


#: login of the owner -> its demand (one per channel)
DEMANDS: dict[str, dict[str, Any]] = {
    "sophie.martin@demo.boyin.example": _content(
        ("柔性传感器薄膜的中试合作", "Pilot production of thin films for flexible sensors"),
        ("寻求中试线与投资，已有样品。", "Seeking a pilot line and investment; samples ready."),
        "C33-L3",
        {
            "projectCooperation": {
                "stage": "PROTOTYPE",
                "trl": 5,
                "ipStatus": "GRANTED",
                "sought": ["JOINT_RD", "INVESTMENT"],
            }
        },
    )
    | {"claims": [{"criterion": "BOTTLENECK_TECHNOLOGY", "evidence": "已获授权发明专利两项"}]},
    "zhou.kai@demo.boyin.example": _content(
        ("求职：机器人运动控制研究员", "Seeking a post: motion-control researcher"),
        ("希望在重庆从事机器人控制研发。", "Wants to do robot control R&D in Chongqing."),
        "C33-N02",
        {"jobSeeking": {"desiredRole": "Motion-control researcher", "workMode": "FULL_TIME"}},
    )
    | {"claims": [{"criterion": "CHONGQING_INTENTION", "evidence": "已与两家在渝单位面谈"}]},
    "bd@demo-sensors.example.cn": _content(
        ("柔性传感器材料项目落地", "Landing of a flexible sensor materials project"),
        ("提供中试车间、设备与落地政策。", "Pilot workshop, equipment and landing policies."),
        "C33-L3",
        {
            "projectLanding": {
                "cooperationModes": ["TECH_TRANSFER", "INCUBATION"],
                "budgetWan": 500,
                "wantedStage": "PILOT",
            }
        },
    )
    | {"claims": [{"criterion": "KEY_PLATFORMS", "evidence": "重庆市工程技术研究中心"}]},
    "hr@demo-robotics.example.cn": _content(
        ("招聘机器人控制方向博士", "Recruiting PhDs in robot control"),
        (
            "两个全职研究岗位，提供安家支持。",
            "Two full-time research posts with relocation support.",
        ),
        "C33-N02",
        {
            "talentRecruitment": {
                "positions": 2,
                "degreeRequired": "PHD",
                "workMode": "FULL_TIME",
            }
        },
    )
    | {"claims": [{"criterion": "SUPPORT_POLICIES", "evidence": "渝中区高层次人才安家补贴"}]},
}

#: the mutual match: the first login's demand and the second's say yes to each other
MUTUAL = ("sophie.martin@demo.boyin.example", "bd@demo-sensors.example.cn")


def _demand(result: dict[str, Any], what: str) -> dict[str, Any]:
    if result["__typename"] != "Demand":
        raise RuntimeError(f"demo: {what} refused: {result}")
    return result


async def ensure_demand(
    gql: GraphQL, owner: SignedIn, reviewer: SignedIn, counts: dict[str, int]
) -> dict[str, Any]:
    """The owner's demo demand, published (created, reviewed and published if missing)."""
    content = DEMANDS[owner.person.login]
    assert owner.party_id is not None
    edges = (await gql(OWN_DEMANDS, owner.token, ownerId=owner.party_id))["demands"]["edges"]
    found = [e["node"] for e in edges if e["node"]["title"]["en"] == content["titleEn"]]
    if found:
        demand: dict[str, Any] = found[0]
        counts["existing"] += 1
    else:
        made = await gql(CREATE_DEMAND, owner.token, ownerId=owner.party_id, content=content)
        demand = _demand(made["createDemand"], f"demand of {owner.person.login}")
        counts["created"] += 1
    if demand["status"] == "SUBMITTED":
        started = await gql(START_REVIEW, reviewer.token, id=demand["id"])
        demand = _demand(started["startDemandReview"], "start of review")
    if demand["status"] == "UNDER_REVIEW":
        for claim in demand["claims"]:
            reviewed = await gql(
                REVIEW_CLAIM, reviewer.token, id=demand["id"], criterion=claim["criterion"]
            )
            _demand(reviewed["reviewClaim"], "claim review")
        demand = _demand(
            (await gql(PUBLISH, reviewer.token, id=demand["id"]))["publishDemand"], "publication"
        )
    return demand


async def proposal(
    gql: GraphQL, token: str, demand_id: str, counterpart: str, timeout: float = 60.0
) -> dict[str, Any]:
    """The match proposed between two demands, once matching has proposed it."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        for match in (await gql(MATCHES, token, id=demand_id))["matches"]:
            if match["counterpartDemandId"] == counterpart:
                found: dict[str, Any] = match
                return found
        if asyncio.get_running_loop().time() > deadline:
            raise RuntimeError(f"demo: no match proposed for {demand_id} within {timeout} s")
        await asyncio.sleep(0.3)


async def say_yes(gql: GraphQL, token: str, match: dict[str, Any], counts: dict[str, int]) -> None:
    if match["myResponse"] is not None:
        counts["existing"] += 1
        return
    answered = (await gql(ANSWER, token, id=match["id"]))["answerMatch"]
    if answered["__typename"] != "MatchAnswer":
        raise RuntimeError(f"demo: answer refused: {answered}")
    counts["created"] += 1


async def load_fair(
    client: httpx.AsyncClient, base_url: str, admin_login: str, admin_password: str
) -> dict[str, int]:
    """The demo people, their published demands and the mutual match; counts by outcome."""
    counts = {"created": 0, "existing": 0}
    gql = GraphQL(client, base_url)
    admin = await sign_in(gql, admin_login, admin_password)
    if admin is None:
        raise RuntimeError(f"demo: cannot sign in as the administrator {admin_login}")
    people = {p.login: await ensure(gql, admin["accessToken"], p, counts) for p in PEOPLE}
    operator = people["operator@demo.boyin.example"]
    officer = people["officer.yuzhong@demo.boyin.example"]
    demands: dict[str, dict[str, Any]] = {}
    for login in DEMANDS:
        owner = people[login]
        reviewer = operator if owner.person.role == "TALENT" else officer
        demands[login] = await ensure_demand(gql, owner, reviewer, counts)
    first, second = (people[login] for login in MUTUAL)
    first_demand, second_demand = (demands[login]["id"] for login in MUTUAL)
    await say_yes(
        gql, first.token, await proposal(gql, first.token, first_demand, second_demand), counts
    )
    await say_yes(
        gql, second.token, await proposal(gql, second.token, second_demand, first_demand), counts
    )
    await publish_schedule(gql, operator.token, counts)
    return counts


async def load(
    base_url: str,
    secret: str,
    admin_login: str,
    admin_password: str,
    services: Mapping[str, str] | None = None,
) -> dict[str, int]:
    """The whole demo: the reference parties and the fair's edition
    (:func:`boyin_platform.demo.load`, at ``services``' own URLs if given), then the living
    fair through the gateway at ``base_url``; counts by outcome."""
    counts = await demo.load(base_url, secret, services)
    async with httpx.AsyncClient(timeout=30) as client:
        fair = await load_fair(client, base_url, admin_login, admin_password)
    return {k: counts[k] + fair[k] for k in counts}


async def load_when_ready(
    base_url: str,
    secret: str,
    admin_login: str,
    admin_password: str | None,
    timeout: float = 60.0,
) -> None:
    """Wait for the platform, load the demo and print its accounts (``run.sh --demo``)."""
    deadline = asyncio.get_running_loop().time() + timeout
    async with httpx.AsyncClient(timeout=5) as client:
        while True:
            try:
                if (await client.get(base_url + "/readyz")).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if asyncio.get_running_loop().time() > deadline:
                log.error("platform not ready; demo data not loaded")
                return
            await asyncio.sleep(0.2)
    if admin_password is None:
        counts = await demo.load(base_url, secret)
        print("Demo fair not loaded: BOYIN_ADMIN_PASSWORD is not known here", flush=True)
    else:
        counts = await load(base_url, secret, admin_login, admin_password)
    print(f"Demo data: {counts['created']} created, {counts['existing']} already there", flush=True)
    print(accounts_table(admin_login, admin_password), flush=True)
