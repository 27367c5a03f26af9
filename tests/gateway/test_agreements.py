"""Agreements through the gateway, on the in-memory fake of the agreements service
(``fake_agreements.py``): every query and mutation, the services' refusals as the result
unions' problems (404 NotFound, 409 Conflict, 422 InvalidInput, 403 Forbidden), paging,
the gateway's own refusal of visitors, and a gateway without an agreements service."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from boyin_gateway.clients import HttpServices
from boyin_gateway.clients.agreements import NoAgreements
from boyin_shared.api.agreements import AgreementStage
from boyin_shared.identity import Actor, Role
from tests.apps import SECRET
from tests.gateway.agreements_support import (
    ADVANCE,
    AMEND,
    CONFIRM,
    EVALUATE,
    EVALUATIONS,
    FOLLOW_UP,
    GET,
    LIST,
    PLAN,
    POLICIES,
    REACH,
    ROSTER,
    ROSTER_ORDERED,
    START,
    TERMINATE,
)
from tests.gateway.fake_agreements import agreement
from tests.gateway.fakes import FakePlatform
from tests.gateway.harness import Gateway, gateway_server
from tests.gateway.support import YUZHONG
from tests.platform_harness import graphql, graphql_raw

TALENT = "tal_00001"
ORG = "org_00001"
STAFF = Actor("acc_staff", Role.OPERATOR)


def parties() -> list[tuple[str, str, str]]:
    return [("talent", TALENT, "TALENT"), ("organisation", ORG, "ORGANISATION")]


def seeded(gateway: Gateway, **kwargs: Any) -> str:
    made = agreement(parties(), **kwargs)
    gateway.platform.agreements_data.add(made)
    return made.id


def tokens(gateway: Gateway) -> dict[str, str]:
    return {
        "staff": gateway.token(STAFF),
        "talent": gateway.token(Actor("acc_tal", Role.TALENT, party_id=TALENT)),
        "org": gateway.token(Actor("acc_org", Role.ORGANISATION, party_id=ORG)),
        "stranger": gateway.token(Actor("acc_x", Role.TALENT, party_id="tal_99999")),
        "officer": gateway.token(Actor("acc_do", Role.DISTRICT_OFFICER, district_code=YUZHONG)),
    }


async def test_the_pipeline_from_an_intention_to_implementing(gateway: Gateway) -> None:
    t = tokens(gateway)
    started = (
        await graphql(
            gateway.url,
            START,
            t["talent"],
            input={
                "parties": [
                    {"kind": "talent", "id": TALENT, "role": "TALENT"},
                    {"kind": "organisation", "id": ORG, "role": "ORGANISATION"},
                ],
                "terms": {"title": {"zh": "技术转让", "en": "Transfer"}, "districtCode": YUZHONG},
            },
        )
    )["startAgreement"]
    assert started["__typename"] == "Agreement", started
    assert started["stage"] == "INTENTION"
    assert started["unconfirmed"] == [TALENT, ORG]
    assert started["terms"]["districtCode"] == YUZHONG
    ag = started["id"]

    for to in ("NEGOTIATING", "DRAFTED"):
        moved = (await graphql(gateway.url, ADVANCE, t["staff"], id=ag, to=to))["advanceAgreement"]
        assert moved["stage"] == to, moved
    assert moved["history"][-1] == {
        "fromStage": "NEGOTIATING",
        "toStage": "DRAFTED",
        "by": "acc_staff",
        "role": "OPERATOR",
        "reason": "agreed",
    }

    # signing comes from every party's confirmation: a Conflict until then
    early = (await graphql(gateway.url, ADVANCE, t["staff"], id=ag, to="SIGNED"))[
        "advanceAgreement"
    ]
    assert early["__typename"] == "Conflict" and early["code"] == "UNCONFIRMED", early
    assert early["message"]["zh"] and early["message"]["en"]
    for who, party in (("talent", TALENT), ("org", ORG)):
        confirmed = (await graphql(gateway.url, CONFIRM, t[who], id=ag, partyId=party))[
            "confirmSignature"
        ]
        assert confirmed["__typename"] == "Agreement", confirmed
    assert confirmed["unconfirmed"] == []
    assert confirmed["stage"] == "SIGNED" and confirmed["signedAt"], confirmed
    assert [c["partyId"] for c in confirmed["confirmations"]] == [TALENT, ORG]

    amended = (
        await graphql(
            gateway.url,
            AMEND,
            t["org"],
            id=ag,
            terms={
                "cooperationType": "TECHNOLOGY_TRANSFER",
                "districtCode": YUZHONG,
                "amounts": [{"kind": "CONTRACT_VALUE", "amount": "2500000", "currency": "CNY"}],
            },
        )
    )["amendAgreementTerms"]
    assert amended["terms"]["cooperationType"] == "TECHNOLOGY_TRANSFER", amended
    assert amended["terms"]["amounts"] == [
        {"kind": "CONTRACT_VALUE", "amount": "2500000", "currency": "CNY"}
    ]

    planned = (
        await graphql(
            gateway.url,
            PLAN,
            t["staff"],
            id=ag,
            input={"kind": "FUNDS_RECEIVED", "due": "2026-12-01"},
        )
    )["planMilestone"]
    (milestone,) = planned["milestones"]
    assert milestone["kind"] == "FUNDS_RECEIVED" and milestone["due"] == "2026-12-01"
    followed = (await graphql(gateway.url, FOLLOW_UP, t["officer"], id=ag, m=milestone["id"]))[
        "followUpMilestone"
    ]
    assert followed["milestones"][0]["followUps"] == [{"note": "on track", "by": "acc_do"}]
    reached = (await graphql(gateway.url, REACH, t["talent"], id=ag, m=milestone["id"]))[
        "reachMilestone"
    ]
    assert reached["milestones"][0]["reachedOn"] == "2026-10-01"
    implementing = (await graphql(gateway.url, ADVANCE, t["staff"], id=ag, to="IMPLEMENTING"))[
        "advanceAgreement"
    ]
    assert implementing["stage"] == "IMPLEMENTING"

    # what the gateway sent is the service's request model as JSON
    (call,) = [c for c in gateway.platform.log if c.args.get("action") == "terms"]
    assert call.args["body"]["amounts"] == {
        "CONTRACT_VALUE": {"amount": "2500000", "currency": "CNY"}
    }


async def test_the_services_refusals_are_the_result_unions_problems(gateway: Gateway) -> None:
    t = tokens(gateway)
    ag = seeded(gateway)
    # 409: a stage jump that skips required steps
    skipped = (await graphql(gateway.url, ADVANCE, t["staff"], id=ag, to="SIGNED"))[
        "advanceAgreement"
    ]
    assert (skipped["__typename"], skipped["code"]) == ("Conflict", "STAGE_SKIPPED")
    # 422: a confirmation for someone who is no party, naming the field
    wrong = (await graphql(gateway.url, CONFIRM, t["staff"], id=ag, partyId="org_99999"))[
        "confirmSignature"
    ]
    assert wrong["__typename"] == "InvalidInput", wrong
    assert [f["field"] for f in wrong["fields"]] == ["party_id"]
    # 422: an amount without its currency
    no_currency = (
        await graphql(
            gateway.url,
            AMEND,
            t["staff"],
            id=ag,
            terms={"amounts": [{"kind": "INVESTMENT", "amount": "10"}]},
        )
    )["amendAgreementTerms"]
    assert no_currency["__typename"] == "InvalidInput"
    assert no_currency["fields"][0]["field"] == "amounts.INVESTMENT.currency"
    # 403: a party confirming another's signature
    theirs = (await graphql(gateway.url, CONFIRM, t["talent"], id=ag, partyId=ORG))[
        "confirmSignature"
    ]
    assert theirs["__typename"] == "Forbidden", theirs
    # 404: an agreement the caller may not see, or none at all
    for token, id_ in ((t["stranger"], ag), (t["staff"], "ag_nothing")):
        hidden = (await graphql(gateway.url, TERMINATE, token, id=id_))["terminateAgreement"]
        assert hidden["__typename"] == "NotFound", hidden
    # 409: a terminated agreement does not move again
    done = (await graphql(gateway.url, TERMINATE, t["org"], id=ag))["terminateAgreement"]
    assert done["stage"] == "TERMINATED"
    again = (await graphql(gateway.url, TERMINATE, t["org"], id=ag))["terminateAgreement"]
    assert again["__typename"] == "Conflict"


async def test_reads_show_what_the_service_lets_the_caller_see(gateway: Gateway) -> None:
    t = tokens(gateway)
    ours = seeded(gateway, district_code=YUZHONG)
    seeded(gateway, district_code="500106")
    assert (await graphql(gateway.url, GET, t["talent"], id=ours))["agreement"]["id"] == ours
    assert (await graphql(gateway.url, GET, t["stranger"], id=ours))["agreement"] is None
    assert (await graphql(gateway.url, GET, None, id=ours))["agreement"] is None

    async def ids(token: str | None, **variables: Any) -> list[str]:
        page = (await graphql(gateway.url, LIST, token, first=10, **variables))["agreements"]
        assert page["__typename"] == "AgreementConnection", page
        return [e["node"]["id"] for e in page["edges"]]

    assert len(await ids(t["staff"])) == 2
    assert await ids(t["officer"]) == [ours]
    assert await ids(t["stranger"]) == []
    assert await ids(t["staff"], filter={"districtCode": YUZHONG}) == [ours]
    assert await ids(t["staff"], filter={"stage": "SIGNED"}) == []


async def test_agreements_are_paged_and_bad_paging_is_refused(gateway: Gateway) -> None:
    staff = gateway.token(STAFF)
    made = sorted(seeded(gateway) for _ in range(5))
    seen: list[str] = []
    after: str | None = None
    while True:
        page = (await graphql(gateway.url, LIST, staff, first=2, after=after))["agreements"]
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == made
    # the service is asked for one more than the page to know whether another follows
    assert {c.args["limit"] for c in gateway.platform.log if c.method == "agreements"} == {3}

    small = (await graphql(gateway.url, LIST, staff, first=0))["agreements"]
    assert small["__typename"] == "InvalidInput" and small["fields"][0]["field"] == "first"
    bad = (await graphql(gateway.url, LIST, staff, first=5, after="mt_00001"))["agreements"]
    assert bad["__typename"] == "InvalidInput" and bad["fields"][0]["field"] == "after"
    asked = len([c for c in gateway.platform.log if c.method == "agreements"])
    assert asked == 3  # the refused pages asked the service nothing


async def test_support_policies_evaluations_and_the_3_percent_cap(gateway: Gateway) -> None:
    t = tokens(gateway)
    ag = seeded(gateway)
    (policy,) = (await graphql(gateway.url, POLICIES, None))["supportPolicies"]
    assert policy["id"] == "pol_national_lead" and policy["cap"] == "1000000"
    assert policy["title"]["zh"] and policy["title"]["en"]

    facts = [
        {
            "partyId": TALENT,
            "facts": [
                {"name": "leads_national_project", "boolean": True},
                {"name": "national_funds_last_year", "number": "50000000"},
            ],
        },
        {
            "partyId": ORG,
            "facts": [
                {"name": "leads_national_project", "boolean": True},
                {"name": "national_funds_last_year", "number": "20000000"},
            ],
        },
    ]
    evaluated = (await graphql(gateway.url, EVALUATE, t["talent"], id=ag, parties=facts))[
        "evaluateSupport"
    ]
    assert evaluated["__typename"] == "SupportEvaluation", evaluated
    capped, under = evaluated["results"]
    assert (capped["computed"], capped["amount"], capped["capped"]) == (
        "1500000.00",
        "1000000",
        True,
    )
    assert (under["amount"], under["capped"]) == ("600000.00", False)
    assert evaluated["policies"] == [{"id": "pol_national_lead", "version": 1}]
    assert evaluated["support"][0]["byLevel"] == [{"level": "CITY", "amount": "1000000"}]
    (sent,) = [c.args["body"] for c in gateway.platform.log if c.method == "evaluate"]
    assert sent["on"] == "2026-09-01"
    assert sent["parties"][0]["facts"] == {
        "leads_national_project": True,
        "national_funds_last_year": "50000000",
    }

    stored = (await graphql(gateway.url, EVALUATIONS, t["org"], id=ag))["agreementEvaluations"]
    assert [e["id"] for e in stored] == [evaluated["id"]]
    assert (await graphql(gateway.url, EVALUATIONS, t["stranger"], id=ag))[
        "agreementEvaluations"
    ] is None
    missing = (await graphql(gateway.url, EVALUATE, t["staff"], id="ag_none"))["evaluateSupport"]
    assert missing["__typename"] == "NotFound"


async def test_the_ceremony_roster_of_an_edition(gateway: Gateway) -> None:
    t = tokens(gateway)
    signed = seeded(gateway, stage=AgreementStage.SIGNED, edition_id="edi_1")
    seeded(gateway, edition_id="edi_1")  # not signed: not on stage
    roster = (await graphql(gateway.url, ROSTER, t["staff"], e="edi_1"))["editionRoster"]
    assert roster["__typename"] == "CeremonyRoster", roster
    assert roster["editionId"] == "edi_1"
    assert [(r["order"], r["agreementId"]) for r in roster["rows"]] == [(1, signed)]
    assert roster["rows"][0]["title"] == {"zh": "技术转让", "en": "Technology transfer"}
    # the operator's order is passed on (the service checks it)
    bad = (await graphql(gateway.url, ROSTER_ORDERED, t["staff"], e="edi_1", order=["ag_x"]))[
        "editionRoster"
    ]
    assert bad["__typename"] == "InvalidInput", bad
    assert gateway.platform.log[-1].args == {"edition_id": "edi_1", "order": ["ag_x"]}


async def test_visitors_are_refused_before_the_service_is_asked(gateway: Gateway) -> None:
    ag = seeded(gateway)
    documents: list[tuple[str, str, dict[str, Any]]] = [
        (START, "startAgreement", {"input": {"parties": []}}),
        (ADVANCE, "advanceAgreement", {"id": ag, "to": "NEGOTIATING"}),
        (TERMINATE, "terminateAgreement", {"id": ag}),
        (CONFIRM, "confirmSignature", {"id": ag, "partyId": TALENT}),
        (AMEND, "amendAgreementTerms", {"id": ag, "terms": {}}),
        (PLAN, "planMilestone", {"id": ag, "input": {"kind": "OTHER", "due": "2027-01-01"}}),
        (REACH, "reachMilestone", {"id": ag, "m": "ms_1"}),
        (FOLLOW_UP, "followUpMilestone", {"id": ag, "m": "ms_1"}),
        (EVALUATE, "evaluateSupport", {"id": ag}),
        (ROSTER, "editionRoster", {"e": "edi_1"}),
    ]
    for document, name, variables in documents:
        refused = (await graphql(gateway.url, document, None, **variables))[name]
        assert refused["__typename"] == "Forbidden", (name, refused)
        assert refused["code"] == "SIGN_IN_REQUIRED"
        assert refused["message"] == {"zh": "请先登录", "en": "sign in first"}
    assert gateway.platform.methods("agreements") == []


async def test_without_an_agreements_service_its_fields_say_so(tmp_path: Path) -> None:
    """A deployment whose BOYIN_SERVICE_URLS names no agreements service: the gateway
    starts, and agreements' fields answer SERVICE_UNAVAILABLE (a read: null)."""
    services = HttpServices.open(
        {
            "registry": "http://127.0.0.1:9",
            "matching": "http://127.0.0.1:9",
            "scheduling": "http://127.0.0.1:9",
        },
        SECRET,
    )
    assert services.agreements_pool is None
    assert isinstance(services.agreements(STAFF), NoAgreements)
    await services.close()

    class WithoutAgreements(FakePlatform):
        def agreements(self, actor: Actor) -> NoAgreements:  # type: ignore[override]
            return NoAgreements(actor)

    async with gateway_server(tmp_path, platform=WithoutAgreements()) as gateway:
        staff = gateway.token(STAFF)
        assert (await graphql(gateway.url, GET, staff, id="ag_1"))["agreement"] is None
        answer = (await graphql(gateway.url, TERMINATE, staff, id="ag_1"))["terminateAgreement"]
        assert answer["code"] == "SERVICE_UNAVAILABLE", answer
        assert "agreements" in answer["message"]["en"]
        # the rest of the gateway works on
        response = await graphql_raw(gateway.url, "{ editions { __typename } }", staff)
        assert response.status_code == 200 and "errors" not in response.json()


async def test_the_http_client_maps_the_services_answers() -> None:
    """The client calls the service's routes and parses its answers into the shared
    models; a 409 in the platform's error shape is a ServiceError with its status."""
    from boyin_gateway.clients import AgreementsClient, ServiceError

    made = agreement(parties())
    seen: list[tuple[str, str]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append((request.method, request.url.path))
        if request.url.path.endswith("/advance"):
            error = {"code": "STAGE_SKIPPED", "message": {"zh": "不可跳步", "en": "no skipping"}}
            return httpx.Response(409, json={"error": error})
        if request.url.path == "/agreements":
            return httpx.Response(
                200, json={"items": [made.model_dump(mode="json")], "next_after": None}
            )
        return httpx.Response(200, json=made.model_dump(mode="json"))

    pool = httpx.AsyncClient(base_url="http://agreements", transport=httpx.MockTransport(answer))
    client = AgreementsClient(pool, SECRET, STAFF)
    page = await client.agreements(
        stage=None, district_code=None, edition_id=None, party_id=None, after=None, limit=3
    )
    assert page.items == [made]
    assert await client.agreement_action(made.id, "terms", {}) == made
    try:
        await client.agreement_action(made.id, "advance", {"to": "SIGNED"})
    except ServiceError as exc:
        assert (exc.status, exc.error.code) == (409, "STAGE_SKIPPED")
    else:
        raise AssertionError("a 409 is a ServiceError")
    await pool.aclose()
    assert seen == [
        ("GET", "/agreements"),
        ("PUT", f"/agreements/{made.id}/terms"),
        ("POST", f"/agreements/{made.id}/advance"),
    ]
