"""Operators' control of matching through GraphQL, on the fakes: confirm or withdraw a
proposal, add a match by hand; matching's refusals come back as bilingual problems, and
the gateway refuses everyone but staff without asking matching."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from boyin_shared.identity import Actor, Role
from tests.gateway.fake_records import demand, matched, organisation, talent
from tests.gateway.fakes import FakePlatform
from tests.gateway.harness import Gateway, gateway_server
from tests.gateway.support import PROBLEM, YUZHONG, assert_bilingual
from tests.platform_harness import graphql

MATCH = f"__typename ... on Match {{ id status source counterpartDemandId }} {PROBLEM}"
CONFIRM = f"""
mutation($id: ID!, $note: String) {{ confirmMatch(id: $id, note: $note) {{ {MATCH} }} }}"""
WITHDRAW = f"""
mutation($id: ID!, $note: String) {{ withdrawMatch(id: $id, note: $note) {{ {MATCH} }} }}"""
ADD = f"""
mutation($a: ID!, $b: ID!, $note: String!) {{
  addMatch(demandId: $a, counterpartDemandId: $b, note: $note) {{ {MATCH} }}
}}"""
QUEUE = "{ matchReviewQueue { id } }"


def world() -> FakePlatform:
    """A talent's project and an organisation's landing offer, both published, with a
    proposed match waiting for review, and a mutual one."""
    platform = FakePlatform()
    registry = platform.registry_data
    registry.add(talent("tal_c"), organisation("org_c", YUZHONG))
    project = demand("dem_t", "tal_c", channel="PROJECT_COOPERATION", status="PUBLISHED")
    landing = demand("dem_o", "org_c", status="PUBLISHED", district_code=YUZHONG)
    other = demand("dem_o2", "org_c", status="PUBLISHED", district_code=YUZHONG)
    draft = demand("dem_draft", "org_c", status="DRAFT", district_code=YUZHONG)
    registry.add(project, landing, other, draft)
    proposed = matched(landing, project)
    mutual = matched(other, project, status="MUTUAL")
    platform.matching_data.matches = {"dem_o": [proposed], "dem_o2": [mutual]}
    platform.matching_data.queue = [proposed]
    return platform


async def result(gateway: Gateway, role: Role, document: str, **variables: Any) -> Any:
    token = gateway.token(Actor("acc_" + role.value.lower(), role, party_id="org_c"))
    data = await graphql(gateway.url, document, token, **variables)
    [answer] = data.values()
    return answer


async def test_an_operator_confirms_withdraws_and_adds_matches(tmp_path: Path) -> None:
    platform = world()
    async with gateway_server(tmp_path, platform=platform) as gateway:
        confirmed = await result(gateway, Role.OPERATOR, CONFIRM, id="dem_o~dem_t", note="ok")
        assert confirmed == {
            "__typename": "Match",
            "id": "dem_o~dem_t",
            "status": "PROPOSED",
            "source": "auto",
            "counterpartDemandId": "dem_t",
        }
        review = [c.args for c in platform.log if c.method == "review"]
        assert review == [{"match_id": "dem_o~dem_t", "note": "ok", "withdraw": False}]
        assert (await result(gateway, Role.OPERATOR, QUEUE)) == []  # reviewed: off the queue

        withdrawn = await result(gateway, Role.ADMIN, WITHDRAW, id="dem_o~dem_t")
        assert (withdrawn["__typename"], withdrawn["status"]) == ("Match", "WITHDRAWN")

        added = await result(gateway, Role.OPERATOR, ADD, a="dem_t", b="dem_o", note="met")
        assert (added["__typename"], added["source"], added["counterpartDemandId"]) == (
            "Match",
            "operator",
            "dem_o",
        )


async def test_matchings_refusals_are_bilingual_problems(tmp_path: Path) -> None:
    async with gateway_server(tmp_path, platform=world()) as gateway:
        mutual = await result(gateway, Role.OPERATOR, WITHDRAW, id="dem_o2~dem_t")
        assert (mutual["__typename"], mutual["code"]) == ("Conflict", "MATCH_MUTUAL")
        missing = await result(gateway, Role.OPERATOR, CONFIRM, id="nope")
        assert missing["__typename"] == "NotFound"
        unpublished = await result(gateway, Role.OPERATOR, ADD, a="dem_t", b="dem_draft", note="x")
        assert (unpublished["__typename"], unpublished["code"]) == ("InvalidInput", "NOT_MATCHABLE")
        for problem in (mutual, missing, unpublished):
            assert_bilingual(problem)


async def test_only_staff_act_and_matching_is_not_asked_for_anyone_else(tmp_path: Path) -> None:
    platform = world()
    async with gateway_server(tmp_path, platform=platform) as gateway:
        for role in (Role.ORGANISATION, Role.TALENT, Role.DISTRICT_OFFICER, Role.INVESTOR):
            for document, variables in (
                (CONFIRM, {"id": "dem_o~dem_t"}),
                (WITHDRAW, {"id": "dem_o~dem_t"}),
                (ADD, {"a": "dem_t", "b": "dem_o2", "note": "mine"}),
            ):
                refused = await result(gateway, role, document, **variables)
                assert refused["__typename"] == "Forbidden", (role, refused)
                assert_bilingual(refused)
        anonymous = await graphql(gateway.url, CONFIRM, None, id="dem_o~dem_t")
        assert anonymous["confirmMatch"]["__typename"] == "Forbidden"
        assert platform.methods("matching") == []
