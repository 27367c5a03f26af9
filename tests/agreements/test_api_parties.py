"""Changing an agreement's parties over HTTP: staff add or remove an organisation or an
investor before signing (the confirmations given so far are cleared); after signing, by a
party, or the talent: refused in both languages, naming the field, nothing written."""

from __future__ import annotations

from pathlib import Path

from tests.agreements.service_support import (
    ORG,
    PARTIES,
    TALENT,
    TERMS,
    agreements_service,
    field_codes,
    ok,
    refusal,
    signed,
)

INVESTOR = {"kind": "organisation", "id": "org_vc", "role": "INVESTOR"}


async def test_staff_add_and_remove_an_investor_before_signing(tmp_path: Path) -> None:
    async with agreements_service(tmp_path) as s:
        a = ok(await s.api.post("/agreements", json={"parties": PARTIES, "terms": TERMS}), 201)
        aid = a["id"]
        for to in ("NEGOTIATING", "DRAFTED"):
            ok(await s.api.post(f"/agreements/{aid}/advance", json={"to": to}))
        confirmed = ok(
            await s.call(TALENT, "POST", f"/agreements/{aid}/confirm", {"party_id": "tal_1"})
        )
        assert confirmed["unconfirmed"] == ["org_1"]

        joined = ok(await s.api.post(f"/agreements/{aid}/parties", json=INVESTOR))
        assert [p["id"] for p in joined["parties"]] == ["tal_1", "org_1", "org_vc"]
        assert joined["confirmations"] == []
        assert joined["unconfirmed"] == ["tal_1", "org_1", "org_vc"]
        # the investor sees it now
        ok(await s.api.get(f"/agreements/{aid}"))

        left = ok(await s.api.delete(f"/agreements/{aid}/parties/org_vc"))
        assert [p["id"] for p in left["parties"]] == ["tal_1", "org_1"]
        assert left["revision"] == joined["revision"] + 1


async def test_bad_changes_of_the_parties_are_refused(tmp_path: Path) -> None:
    async with agreements_service(tmp_path) as s:
        a = ok(await s.api.post("/agreements", json={"parties": PARTIES, "terms": TERMS}), 201)
        aid = a["id"]
        url = f"/agreements/{aid}/parties"

        twice = refusal(await s.api.post(url, json=PARTIES[1]), 422, "VALIDATION_FAILED")
        assert field_codes(twice) == {"id": "ALREADY_A_PARTY"}
        talent = {"kind": "talent", "id": "tal_2", "role": "TALENT"}
        assert field_codes(
            refusal(await s.api.post(url, json=talent), 422, "VALIDATION_FAILED")
        ) == {"role": "ORGANISATIONS_ONLY"}
        assert field_codes(
            refusal(await s.api.delete(f"{url}/tal_1"), 422, "VALIDATION_FAILED")
        ) == {"party_id": "ORGANISATIONS_ONLY"}
        assert field_codes(
            refusal(await s.api.delete(f"{url}/org_x"), 422, "VALIDATION_FAILED")
        ) == {"party_id": "NOT_A_PARTY"}
        # the only organisation cannot leave
        alone = refusal(await s.api.delete(f"{url}/org_1"), 422, "VALIDATION_FAILED")
        assert [(f["field"], f["code"]) for f in alone["fields"]] == [
            ("parties", "NO_ORGANISATION"),
            ("parties", "TOO_FEW"),
        ]
        # a party does not change the parties, even its own agreement's
        refusal(await s.call(ORG, "POST", url, INVESTOR), 403, "FORBIDDEN")
        refusal(await s.api.post("/agreements/ag_none/parties", json=INVESTOR), 404, "NOT_FOUND")
        unchanged = ok(await s.api.get(f"/agreements/{aid}"))
        assert unchanged["revision"] == a["revision"]

        done = await signed(s)
        after = refusal(
            await s.api.post(f"/agreements/{done['id']}/parties", json=INVESTOR),
            409,
            "TERMS_SIGNED",
        )
        assert field_codes(after) == {"stage": "SIGNED"}
        refusal(await s.api.delete(f"/agreements/{done['id']}/parties/org_1"), 409, "TERMS_SIGNED")
