"""Changing an agreement's parties through GraphQL, on the real agreements service: staff
add and remove an investor before signing (the confirmations are cleared), a party is
refused, a signed agreement's parties do not change, visitors are refused by the gateway."""

from __future__ import annotations

from pathlib import Path

from boyin_shared.identity import Actor, Role
from tests.agreements.service_support import PARTIES, TALENT, TERMS, ok, signed
from tests.apps import Published, Service
from tests.gateway.agreements_support import ADD_PARTY, REMOVE_PARTY
from tests.gateway.live_services import live_gateway
from tests.platform_harness import graphql

STAFF = Actor("acc_staff", Role.OPERATOR)
ORG = Actor("acc_o", Role.ORGANISATION, party_id="org_1")
INVESTOR = {"kind": "organisation", "id": "org_vc", "role": "INVESTOR"}


async def test_staff_change_the_parties_before_signing(tmp_path: Path) -> None:
    async with live_gateway(tmp_path) as live:
        s = Service(live.services, live.services.client("agreements"), Published())
        a = ok(await s.api.post("/agreements", json={"parties": PARTIES, "terms": TERMS}), 201)
        for to in ("NEGOTIATING", "DRAFTED"):
            ok(await s.api.post(f"/agreements/{a['id']}/advance", json={"to": to}))
        ok(await s.call(TALENT, "POST", f"/agreements/{a['id']}/confirm", {"party_id": "tal_1"}))
        url, staff = live.gateway.url, live.gateway.token(STAFF)

        added = (await graphql(url, ADD_PARTY, staff, id=a["id"], party=INVESTOR))[
            "addAgreementParty"
        ]
        assert added["__typename"] == "Agreement", added
        assert [p["id"] for p in added["parties"]] == ["tal_1", "org_1", "org_vc"]
        assert added["confirmations"] == []
        assert added["unconfirmed"] == ["tal_1", "org_1", "org_vc"]

        twice = (await graphql(url, ADD_PARTY, staff, id=a["id"], party=INVESTOR))[
            "addAgreementParty"
        ]
        assert twice["__typename"] == "InvalidInput", twice
        assert [(f["field"], f["code"]) for f in twice["fields"]] == [("id", "ALREADY_A_PARTY")]

        by_party = (
            await graphql(url, REMOVE_PARTY, live.gateway.token(ORG), id=a["id"], p="org_vc")
        )["removeAgreementParty"]
        assert by_party["__typename"] == "Forbidden", by_party
        removed = (await graphql(url, REMOVE_PARTY, staff, id=a["id"], p="org_vc"))[
            "removeAgreementParty"
        ]
        assert [p["id"] for p in removed["parties"]] == ["tal_1", "org_1"]

        visitor = (await graphql(url, REMOVE_PARTY, None, id=a["id"], p="org_1"))[
            "removeAgreementParty"
        ]
        assert (visitor["__typename"], visitor["code"]) == ("Forbidden", "SIGN_IN_REQUIRED")

        done = await signed(s)
        late = (await graphql(url, ADD_PARTY, staff, id=done["id"], party=INVESTOR))[
            "addAgreementParty"
        ]
        assert (late["__typename"], late["code"]) == ("Conflict", "TERMS_SIGNED"), late
        assert late["message"]["zh"] and late["message"]["en"]
        gone = (await graphql(url, REMOVE_PARTY, staff, id="ag_none", p="org_1"))[
            "removeAgreementParty"
        ]
        assert gone["__typename"] == "NotFound", gone
