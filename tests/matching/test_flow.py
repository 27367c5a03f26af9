"""Registry and matching together: publish both sides, read explained matches, say yes on
both sides, and the registry discloses contacts."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx

from boyin_matching.app import definition as matching
from boyin_registry.app import definition as registry
from boyin_shared.identity import Actor
from tests.apps import Running, as_actor, running
from tests.registry.support import (
    demand_body,
    organisation_body,
    organisation_member,
    talent_body,
    talent_member,
)

LANDING = {
    "title_zh": "车规级激光雷达感知方案",
    "title_en": None,
    "description_zh": "需要面向L3级自动驾驶的固态激光雷达与多传感器融合算法，提供测试场和整车验证。",
    "description_en": None,
    "taxonomy_codes": ["C33-L1"],
    "keywords": ["激光雷达", "自动驾驶"],
}
PROJECT = {
    "title_zh": None,
    "title_en": "Solid-state laser scanner for self-driving cars",
    "description_zh": None,
    "description_en": "Our team builds a chip-scale solid-state laser ranging sensor and perception fusion software for automated driving.",
    "taxonomy_codes": ["C33-L1"],
    "keywords": ["laser ranging", "perception"],
}
OTHER_PROJECT = {
    "title_zh": None,
    "title_en": "Low-sugar fermented hotpot base",
    "description_en": "A fermentation process that cuts sugar in Chongqing hotpot seasoning by half.",
    "description_zh": None,
    "taxonomy_codes": ["C33-P2"],
    "keywords": ["food"],
}

#: a registry read that asks for the contact details too
CONTACTS = {"include_contacts": True}


async def publish(r: Running, body: dict[str, Any], owner: Actor) -> str:
    client = r.client("registry")
    created = await client.post("/demands", json=body | {"submit": True}, headers=as_actor(owner))
    assert created.status_code == 201, created.text
    demand = created.json()
    assert (await client.post(f"/demands/{demand['id']}/start-review")).status_code == 200
    for claim in demand["claims"]:
        await client.post(
            f"/demands/{demand['id']}/claims/{claim['criterion']}/review",
            json={"outcome": "CONFIRMED"},
        )
    published = await client.post(f"/demands/{demand['id']}/publish")
    assert published.status_code == 200, published.text
    return str(demand["id"])


async def matches(client: httpx.AsyncClient, demand_id: str, who: Actor) -> list[dict[str, Any]]:
    for _ in range(300):  # matching runs behind the registry's events
        response = await client.get(f"/demands/{demand_id}/matches", headers=as_actor(who))
        assert response.status_code == 200, response.text
        if response.json():
            return list(response.json())
        await asyncio.sleep(0.1)
    raise AssertionError(f"no matches for {demand_id}: {response.text}")


async def test_publish_match_explain_agree_disclose(tmp_path: Path) -> None:
    async with running([registry, matching], tmp_path) as r:
        reg = r.client("registry")
        org = (await reg.post("/organisations", json=organisation_body(1))).json()
        talent = (await reg.post("/talents", json=talent_body())).json()
        other = (await reg.post("/talents", json=talent_body("other@example.de"))).json()
        org_member = organisation_member(org["id"])
        me = talent_member(talent["id"])
        landing = await publish(r, demand_body("PROJECT_LANDING", org["id"]) | LANDING, org_member)
        await publish(
            r,
            demand_body("PROJECT_COOPERATION", other["id"]) | OTHER_PROJECT,
            talent_member(other["id"], "acc_o"),
        )
        project = await publish(r, demand_body("PROJECT_COOPERATION", talent["id"]) | PROJECT, me)

        found = await matches(r.client("matching"), project, me)
        best = found[0]
        assert best["counterpart_demand_id"] == landing
        assert best["counterpart_party_id"] == org["id"]
        assert 0 < best["score"] <= 1
        reasons = best["explanation"]["reasons"]
        assert "SAME_CLUSTER" in [line["code"] for line in reasons]
        assert "same industry cluster" in " ".join(line["en"] for line in reasons)
        assert all(line["zh"] for line in reasons)

        # The organisation sees the same match from its side, ranked above the food project.
        theirs = await matches(r.client("matching"), landing, org_member)
        assert theirs[0]["counterpart_demand_id"] == project
        assert theirs[0]["match_id"] == best["match_id"]

        # Nobody else may read the talent's matches.
        stranger = talent_member(other["id"], "acc_o")
        denied = await r.client("matching").get(
            f"/demands/{project}/matches", headers=as_actor(stranger)
        )
        assert denied.status_code == 404

        # Contacts stay hidden until both say yes (asked for, and not shown).
        seen = (
            await reg.get(f"/organisations/{org['id']}", params=CONTACTS, headers=as_actor(me))
        ).json()
        assert seen["contacts"] is None
        m = r.client("matching")
        yes = {"interested": True}
        first = await m.post(f"/matches/{best['match_id']}/respond", json=yes, headers=as_actor(me))
        assert first.json()["status"] == "PROPOSED"
        both = await m.post(
            f"/matches/{best['match_id']}/respond", json=yes, headers=as_actor(org_member)
        )
        assert both.json()["status"] == "MUTUAL"
        for _ in range(200):
            seen = (
                await reg.get(f"/organisations/{org['id']}", params=CONTACTS, headers=as_actor(me))
            ).json()
            if seen["contacts"]:
                break
            await asyncio.sleep(0.05)
        assert seen["contacts"][0]["email"]
        back = (
            await reg.get(f"/talents/{talent['id']}", params=CONTACTS, headers=as_actor(org_member))
        ).json()
        assert back["contact"]["email"] == talent["contact"]["email"]


async def test_a_no_is_never_shown_and_withdrawn_demands_disappear(tmp_path: Path) -> None:
    async with running([registry, matching], tmp_path) as r:
        reg = r.client("registry")
        org = (await reg.post("/organisations", json=organisation_body(2))).json()
        talent = (await reg.post("/talents", json=talent_body())).json()
        org_member = organisation_member(org["id"])
        me = talent_member(talent["id"])
        landing = await publish(r, demand_body("PROJECT_LANDING", org["id"]) | LANDING, org_member)
        project = await publish(r, demand_body("PROJECT_COOPERATION", talent["id"]) | PROJECT, me)
        [match] = await matches(r.client("matching"), landing, org_member)
        m = r.client("matching")
        no = await m.post(
            f"/matches/{match['match_id']}/respond",
            json={"interested": False},
            headers=as_actor(org_member),
        )
        assert no.status_code == 200
        [seen] = await matches(m, project, me)
        assert seen["status"] == "PROPOSED"  # the talent is not told about the no
        assert seen["my_response"] is None

        withdrawn = await reg.post(
            f"/demands/{landing}/withdraw", json={}, headers=as_actor(org_member)
        )
        assert withdrawn.status_code == 200
        for _ in range(200):
            left = (await m.get(f"/demands/{project}/matches", headers=as_actor(me))).json()
            if not left:
                break
            await asyncio.sleep(0.05)
        assert left == []
