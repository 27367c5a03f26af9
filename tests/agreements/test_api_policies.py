"""Support policies through the service's HTTP API: the fair's measures are seeded once,
an agreement is evaluated (the 3% rule below and beyond its cap, city and district
support combined, unknown party facts named), evaluations are kept with the versions
used and shown to whoever sees the agreement, policies are saved by staff only and
validated on save."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from boyin_agreements.policies.service import PolicyBook
from tests.agreements.service_support import (
    OFFICER,
    ORG,
    OTHER_OFFICER,
    PARTIES,
    STRANGER,
    TALENT,
    TERMS,
    agreements_service,
    field_codes,
    ok,
    refusal,
    signed,
)
from tests.apps import Service

REWARD = "fair.national-project-reward"
STARTUP = "example.liangjiang-startup-subsidy"
#: a day the fair's measures are in force
ON = "2027-03-01"


def leads(funds: str) -> dict[str, Any]:
    return {
        "party_id": "tal_1",
        "facts": {"leads_national_project": True, "previous_year_national_funds": funds},
        "documents": ["national_project_approval"],
    }


def result(evaluation: dict[str, Any], policy_id: str, party_id: str) -> dict[str, Any]:
    [found] = [
        r
        for r in evaluation["results"]
        if r["policy"]["id"] == policy_id and r["party_id"] == party_id
    ]
    return dict(found)


async def evaluated(s: Service, aid: str, *parties: dict[str, Any]) -> dict[str, Any]:
    body = {"parties": list(parties), "on": ON}
    return dict(ok(await s.api.post(f"/agreements/{aid}/evaluations", json=body), 201))


async def test_the_three_percent_rule_below_and_beyond_its_cap(tmp_path: Path) -> None:
    async with agreements_service(tmp_path) as s:
        aid = (await signed(s))["id"]
        below = result(await evaluated(s, aid, leads("20000000")), REWARD, "tal_1")
        assert below["verdict"] == "APPLIES"
        assert Decimal(below["amount"]) == Decimal("600000")
        assert below["capped"] is False
        assert [e["key"] for e in below["missing_evidence"]] == ["national_funds_statement"]
        beyond = result(await evaluated(s, aid, leads("50000000")), REWARD, "tal_1")
        assert Decimal(beyond["computed"]) == Decimal("1500000")
        assert Decimal(beyond["amount"]) == Decimal("1000000")
        assert beyond["capped"] is True
        # the organisation stated nothing: the reward cannot be decided for it, and says why
        unknown = result(await evaluated(s, aid), REWARD, "org_1")
        assert unknown["verdict"] == "MISSING_FACTS"
        assert "party.leads_national_project" in unknown["missing_facts"]


async def test_city_and_district_support_combine(tmp_path: Path) -> None:
    async with agreements_service(tmp_path) as s:
        terms = TERMS | {
            "district_code": "LJXQ",
            "amounts": {"START_UP_FUNDS": {"amount": "2000000", "currency": "CNY"}},
        }
        a = ok(await s.api.post("/agreements", json={"parties": PARTIES, "terms": terms}), 201)
        aid = a["id"]
        for to in ("NEGOTIATING", "DRAFTED"):
            ok(await s.api.post(f"/agreements/{aid}/advance", json={"to": to}))
        # before signing neither applies
        early = await evaluated(s, aid, leads("20000000"))
        assert result(early, STARTUP, "tal_1")["verdict"] == "NOT_APPLICABLE"
        for party in ("tal_1", "org_1"):
            ok(await s.api.post(f"/agreements/{aid}/confirm", json={"party_id": party}))
        evaluation = await evaluated(s, aid, leads("20000000"))
        assert Decimal(result(evaluation, STARTUP, "tal_1")["amount"]) == Decimal("200000")
        [talent] = [x for x in evaluation["support"] if x["party_id"] == "tal_1"]
        assert {k: Decimal(v) for k, v in talent["by_level"].items()} == {
            "CITY": Decimal("600000"),
            "DISTRICT": Decimal("200000"),
        }
        assert Decimal(talent["total"]) == Decimal("800000")
        assert {(p["id"], p["version"]) for p in evaluation["policies"]} >= {
            (REWARD, 1),
            (STARTUP, 1),
        }


async def test_evaluations_are_kept_and_shown_to_whoever_sees_the_agreement(
    tmp_path: Path,
) -> None:
    async with agreements_service(tmp_path) as s:
        aid = (await signed(s))["id"]
        first = ok(
            await s.call(TALENT, "POST", f"/agreements/{aid}/evaluations", {"parties": []}), 201
        )
        # a party states only its own facts
        refusal(
            await s.call(ORG, "POST", f"/agreements/{aid}/evaluations", {"parties": [leads("1")]}),
            403,
            "FORBIDDEN",
        )
        for viewer in (TALENT, ORG, OFFICER):
            kept = ok(await s.call(viewer, "GET", f"/agreements/{aid}/evaluations"))
            assert [e["id"] for e in kept] == [first["id"]]
            assert kept[0] == first
        for outsider in (STRANGER, OTHER_OFFICER):
            refusal(
                await s.call(outsider, "GET", f"/agreements/{aid}/evaluations"), 404, "NOT_FOUND"
            )
        bad = refusal(
            await s.api.post(
                f"/agreements/{aid}/evaluations",
                json={
                    "parties": [
                        {"party_id": "tal_1", "facts": {"signed": True, "nope": 1}},
                        {"party_id": "tal_9"},
                    ]
                },
            ),
            422,
            "VALIDATION_FAILED",
        )
        assert field_codes(bad) == {
            "parties.0.facts.signed": "UNKNOWN_FACT",
            "parties.0.facts.nope": "UNKNOWN_FACT",
            "parties.1.party_id": "NOT_A_PARTY",
        }


def new_policy(**changes: Any) -> dict[str, Any]:
    policy: dict[str, Any] = {
        "id": "district.test-bonus",
        "version": 1,
        "title": {"zh": "测试奖励", "en": "A test bonus"},
        "issuer": {"level": "DISTRICT", "name": {"zh": "某区", "en": "A district"}},
        "scope": "AGREEMENT",
        "effective_from": "2026-01-01",
        "condition": 'agreement.stage == "SIGNED"',
        "outcome": {
            "eligibility": {"zh": "奖励", "en": "a bonus"},
            "amount": "agreement.contract_value * 0.01",
            "cap": "100000",
        },
    }
    return policy | changes


async def test_policies_are_seeded_once_and_saved_by_staff_validated(tmp_path: Path) -> None:
    async with agreements_service(tmp_path) as s:
        book = cast(PolicyBook, s.r.hosts["agreements"].app.state.service.policies)
        assert await book.seed() == 0  # seeded at start already
        listed = ok(await s.call(TALENT, "GET", "/policies"))
        assert REWARD in [p["id"] for p in listed]
        facts = [f["name"] for f in ok(await s.api.get("/policy-facts"))]
        assert "party.previous_year_national_funds" in facts

        refusal(await s.call(ORG, "POST", "/policies", new_policy()), 403, "FORBIDDEN")
        bad = refusal(
            await s.api.post(
                "/policies",
                json=new_policy(condition="agreement.nonexistent > 1 &&", scope="AGREEMENT"),
            ),
            422,
            "VALIDATION_FAILED",
        )
        assert "condition" in field_codes(bad)
        reads_party = refusal(
            await s.api.post("/policies", json=new_policy(condition="party.signed")),
            422,
            "VALIDATION_FAILED",
        )
        assert "condition" in field_codes(reads_party)

        assert ok(await s.api.post("/policies", json=new_policy()), 201)["version"] == 1
        refusal(await s.api.post("/policies", json=new_policy()), 409, "STALE_POLICY_VERSION")
        revised = new_policy(version=2, outcome=new_policy()["outcome"] | {"cap": "5000"})
        assert ok(await s.api.post("/policies", json=revised), 201)["version"] == 2
        current = {p["id"]: p for p in ok(await s.api.get("/policies"))}
        assert (
            current["district.test-bonus"]["version"],
            current["district.test-bonus"]["cap"],
        ) == (
            2,
            "5000",
        )
        every = ok(await s.api.get("/policies?versions=true"))
        assert [p["version"] for p in every if p["id"] == "district.test-bonus"] == [1, 2]
        # nothing half-written: the refused ones left no version behind
        assert len(every) == len(listed) + 2
