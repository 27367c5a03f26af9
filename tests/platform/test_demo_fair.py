"""``run.sh --demo``: a small living fair, loaded into a running single-process platform.

Every role has an account, the four channels have published demands, matching proposes
matches with explanations, one match is mutual; loading again adds nothing.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from boyin_platform import demo_fair
from boyin_platform.demo_people import DEMO_PASSWORD, PEOPLE, accounts_table
from tests.apps import SECRET
from tests.platform_harness import ADMIN_LOGIN, ADMIN_PASSWORD, graphql, platform_server, sign_in

PUBLISHED = """{ demands(first: 50, filter: { status: PUBLISHED }) {
  edges { node { id channel ownerId } } } }"""
MATCHES = """query($id: ID!) { matches(demandId: $id) {
  id status counterpartDemandId explanation { reasons { code zh en } } } }"""

SCHEDULE = """query($id: ID!) { schedule(editionId: $id) {
  ... on Schedule { publishedAt published { scheduled } } } }"""


async def test_the_demo_fair_is_alive_and_loads_once(tmp_path: Path) -> None:
    async with platform_server(tmp_path) as url:
        first = await demo_fair.load(url, SECRET, ADMIN_LOGIN, ADMIN_PASSWORD)
        assert first["created"] > 10 and first["existing"] == 0, first

        roles = {p.role for p in PEOPLE}
        assert roles >= {"OPERATOR", "DISTRICT_OFFICER", "TALENT", "ORGANISATION", "INVESTOR"}
        assert "MENTOR" in roles
        for person in PEOPLE:  # every demo account signs in with its printed password
            await sign_in(url, person.login, DEMO_PASSWORD)

        demands = [e["node"] for e in (await graphql(url, PUBLISHED))["demands"]["edges"]]
        assert {d["channel"] for d in demands} == {
            "PROJECT_COOPERATION",
            "PROJECT_LANDING",
            "JOB_SEEKING",
            "TALENT_RECRUITMENT",
        }

        talent = await sign_in(url, "sophie.martin@demo.boyin.example", DEMO_PASSWORD)
        mine = [d for d in demands if d["channel"] == "PROJECT_COOPERATION"]
        matches = (await graphql(url, MATCHES, talent, id=mine[0]["id"]))["matches"]
        assert matches, "matching proposed nothing"
        assert all(m["explanation"]["reasons"] for m in matches)
        assert [m["status"] for m in matches].count("MUTUAL") == 1

        operator = await sign_in(url, "operator@demo.boyin.example", DEMO_PASSWORD)
        edition = (await graphql(url, "{ fairEditions { id sessions { id } } }", operator))[
            "fairEditions"
        ][0]
        assert edition["sessions"]
        schedule = (await graphql(url, SCHEDULE, operator, id=edition["id"]))["schedule"]
        assert schedule["publishedAt"] is not None and schedule["published"]["scheduled"] >= 1

        again = await demo_fair.load(url, SECRET, ADMIN_LOGIN, ADMIN_PASSWORD)
        assert again == {"created": 0, "existing": first["created"]}, again
        after = [e["node"] for e in (await graphql(url, PUBLISHED))["demands"]["edges"]]
        assert len(after) == len(demands)

    table = accounts_table(ADMIN_LOGIN, ADMIN_PASSWORD)
    assert "DEMO-ONLY" in table and all(p.login in table for p in PEOPLE)


AGREEMENTS = """{ agreements(first: 20) {
  __typename
  ... on AgreementConnection { edges { node {
    id stage origin { kind matchId } parties { kind id role } unconfirmed } } } } }"""
ADVANCE = """mutation($id: ID!) { advanceAgreement(id: $id, to: NEGOTIATING, reason: "演示") {
  __typename ... on Agreement { stage history { by } }
  ... on Problem { code message { zh en } } } }"""


async def test_the_demo_mutual_match_becomes_an_agreement_intention(tmp_path: Path) -> None:
    """The whole chain on the real services: matching's MatchMutuallyAccepted reaches the
    agreements service, which offers an intention to both sides; the gateway shows it to a
    party and to staff, and a party moves it on."""
    async with platform_server(tmp_path) as url:
        await demo_fair.load(url, SECRET, ADMIN_LOGIN, ADMIN_PASSWORD)
        talent = await sign_in(url, "sophie.martin@demo.boyin.example", DEMO_PASSWORD)
        operator = await sign_in(url, "operator@demo.boyin.example", DEMO_PASSWORD)

        seen: list[dict[str, Any]] = []
        for _ in range(100):  # the event crosses the embedded bus asynchronously
            answer = (await graphql(url, AGREEMENTS, talent))["agreements"]
            assert answer["__typename"] == "AgreementConnection", answer
            seen = [e["node"] for e in answer["edges"]]
            if seen:
                break
            await asyncio.sleep(0.1)
        assert len(seen) == 1, seen
        intention = seen[0]
        assert intention["stage"] == "INTENTION"
        assert intention["origin"]["kind"] == "MATCH" and intention["origin"]["matchId"]
        kinds = sorted(p["kind"] for p in intention["parties"])
        assert kinds == ["organisation", "talent"]

        staff = (await graphql(url, AGREEMENTS, operator))["agreements"]["edges"]
        assert [e["node"]["id"] for e in staff] == [intention["id"]]
        visitor = (await graphql(url, AGREEMENTS))["agreements"]
        assert visitor.get("edges", []) == [], visitor  # a visitor sees no agreement

        moved = (await graphql(url, ADVANCE, talent, id=intention["id"]))["advanceAgreement"]
        assert moved["__typename"] == "Agreement", moved
        assert moved["stage"] == "NEGOTIATING"
