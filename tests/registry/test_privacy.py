"""Contact details: answered only when asked for, who sees them, the audit of every
disclosure, and grants from mutual matches."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from boyin_registry.app import definition
from boyin_registry.privacy.repository import Disclosures
from boyin_shared.bus.embedded import EmbeddedBus
from boyin_shared.bus.port import dead_letter_topic
from boyin_shared.contracts.matching import MatchMutuallyAccepted, MatchParty, MutualMatch
from boyin_shared.identity import Actor, Role
from tests.apps import OPERATOR, Running, as_actor, running
from tests.registry.support import (
    ADMIN,
    INVESTOR,
    LIANGJIANG,
    PUBLIC,
    YUZHONG,
    error_of,
    officer,
    ok,
    organisation_body,
    organisation_member,
    register_organisation,
    register_talent,
    talent_member,
)

ORG_CONTACTS = [
    {
        "name": "联系人甲1",
        "email": "hr1@example-org.cn",
        "phone": "+86 23 6123 0001",
        "role": "人事经理",
    }
]
SERVICE = Actor(account_id="svc_scheduling", role=Role.SERVICE)
MENTOR = Actor(account_id="acc_mentor", role=Role.MENTOR)
TALENT_CONTACT = {
    "name": "Li Wei (private)",
    "email": "li.wei@uni-example.de",
    "phone": "+49 241 8012345",
    "role": None,
}


@dataclass
class Parties:
    r: Running
    org_a: str  # YUZHONG, serial 1
    org_b: str  # LIANGJIANG, serial 2
    talent_1: str  # li.wei@uni-example.de
    talent_2: str

    @property
    def api(self) -> httpx.AsyncClient:
        return self.r.client("registry")

    async def org_as(
        self, actor: Actor, org_id: str | None = None, *, contacts: bool = True
    ) -> httpx.Response:
        """The organisation as ``actor`` reads it, asking for its contacts (or not)."""
        return await self.api.get(
            f"/organisations/{org_id or self.org_a}",
            params={"include_contacts": contacts},
            headers=as_actor(actor),
        )

    async def talent_as(
        self, actor: Actor, talent_id: str | None = None, *, contacts: bool = True
    ) -> httpx.Response:
        return await self.api.get(
            f"/talents/{talent_id or self.talent_1}",
            params={"include_contacts": contacts},
            headers=as_actor(actor),
        )

    async def org_contacts_everywhere(
        self, actor: Actor, org_id: str, *, contacts: bool = True
    ) -> list[Any]:
        """The contacts ``actor`` gets for ``org_id`` from the get, the list and the batch."""
        asked = {"include_contacts": contacts}
        single = ok(await self.org_as(actor, org_id, contacts=contacts))["contacts"]
        listing = ok(await self.api.get("/organisations", params=asked, headers=as_actor(actor)))
        [listed] = [o["contacts"] for o in listing["items"] if o["id"] == org_id]
        batch = await self.api.get(
            "/organisations", params={"ids": [org_id], **asked}, headers=as_actor(actor)
        )
        [batched] = [o["contacts"] for o in ok(batch)["items"]]
        return [single, listed, batched]

    async def talent_contact_everywhere(
        self, actor: Actor, talent_id: str, *, contacts: bool = True
    ) -> list[Any]:
        single = ok(await self.talent_as(actor, talent_id, contacts=contacts))["contact"]
        batch = await self.api.get(
            "/talents",
            params={"ids": [talent_id], "include_contacts": contacts},
            headers=as_actor(actor),
        )
        [batched] = [t["contact"] for t in ok(batch)["items"]]
        return [single, batched]

    async def audit(self, party_id: str) -> list[tuple[str, str, str]]:
        """The party's audit log (read by an operator): (account, role, action) each."""
        entries = entries_of(await self.api.get(f"/parties/{party_id}/audit"))
        assert {e["subject"] for e in entries} <= {party_id}
        return [(e["account_id"], e["role"], e["action"]) for e in entries]

    def disclosures(self) -> Disclosures:
        found = self.r.hosts["registry"].app.state.service.privacy.disclosures
        assert isinstance(found, Disclosures)
        return found


@pytest.fixture
async def parties(tmp_path: Path) -> AsyncIterator[Parties]:
    async with running([definition], tmp_path) as r:
        yield Parties(
            r,
            org_a=await register_organisation(r, 1, YUZHONG),
            org_b=await register_organisation(r, 2, LIANGJIANG),
            talent_1=await register_talent(r, "Li.Wei@Uni-Example.de"),
            talent_2=await register_talent(r, "wang.fang@uni-example.de"),
        )


def match(talent_id: str, org_id: str, match_id: str = "mat_1") -> MatchMutuallyAccepted:
    return MatchMutuallyAccepted.create(
        subject=match_id,
        data=MutualMatch(
            match_id=match_id,
            first=MatchParty(party_kind="talent", party_id=talent_id, demand_id="dem_t"),
            second=MatchParty(party_kind="organisation", party_id=org_id, demand_id="dem_o"),
            score=0.87,
        ),
    )


async def until_visible(p: Parties, actor: Actor, org_id: str) -> None:
    """Wait until the disclosure consumer has granted ``actor`` the contacts of ``org_id``."""
    for _ in range(100):
        if ok(await p.org_as(actor, org_id))["contacts"] is not None:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{actor.party_id} never saw the contacts of {org_id}")


# -- who sees contact details -----------------------------------------------------------


async def test_an_organisations_contacts_are_hidden_from_other_parties(parties: Parties) -> None:
    p = parties
    for actor in (
        talent_member(p.talent_1),
        organisation_member(p.org_b, "acc_org_b"),
        INVESTOR,
        MENTOR,
        PUBLIC,
    ):
        seen = await p.org_contacts_everywhere(actor, p.org_a)
        assert seen == [None, None, None], actor
        response = await p.org_as(actor)
        assert response.json()["name"]["zh"] == "重庆测试科技有限公司1"  # the profile is public
        for secret in ("hr1@example-org.cn", "6123 0001", "联系人甲1"):
            assert secret not in response.text


async def test_a_district_officer_of_another_district_gets_no_contacts_at_all(
    parties: Parties,
) -> None:
    p = parties
    officer_b = officer(LIANGJIANG, "acc_officer_b")
    response = await p.org_as(officer_b)
    assert error_of(response, 404)["code"] == "NOT_FOUND"
    listing = await p.api.get("/organisations", headers=as_actor(officer_b))
    assert [o["id"] for o in ok(listing)["items"]] == [p.org_b]
    batch = await p.api.get(
        "/organisations",
        params={"ids": [p.org_a, p.org_b], "include_contacts": True},
        headers=as_actor(officer_b),
    )
    assert [(o["id"], o["contacts"] is not None) for o in ok(batch)["items"]] == [(p.org_b, True)]
    for text in (response.text, listing.text, batch.text):
        assert "hr1@example-org.cn" not in text


async def test_an_organisations_contacts_are_shown_to_it_its_officer_and_the_staff(
    parties: Parties,
) -> None:
    p = parties
    officer_a = officer(YUZHONG, "acc_officer_a")
    for actor in (organisation_member(p.org_a), officer_a, OPERATOR, ADMIN, SERVICE):
        assert await p.org_contacts_everywhere(actor, p.org_a) == [ORG_CONTACTS] * 3, actor


async def test_a_talents_contact_is_shown_only_to_the_talent_and_the_staff(
    parties: Parties,
) -> None:
    p = parties
    for actor in (talent_member(p.talent_1), OPERATOR, ADMIN, SERVICE):
        assert await p.talent_contact_everywhere(actor, p.talent_1) == [TALENT_CONTACT] * 2
    officer_a = officer(YUZHONG, "acc_officer_a")
    for actor in (
        talent_member(p.talent_2, "acc_talent_2"),
        organisation_member(p.org_a),
        officer_a,
        INVESTOR,
        MENTOR,
    ):
        assert await p.talent_contact_everywhere(actor, p.talent_1) == [None, None], actor
        assert "li.wei@uni-example.de" not in (await p.talent_as(actor)).text
    assert error_of(await p.talent_as(PUBLIC), 404)["code"] == "NOT_FOUND"
    batch = await p.api.get("/talents", params={"ids": [p.talent_1]}, headers=as_actor(PUBLIC))
    assert ok(batch)["items"] == []


# -- the audit of staff reads -------------------------------------------------------------


def entries_of(response: httpx.Response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    entries: list[dict[str, str]] = response.json()
    assert isinstance(entries, list)
    return entries


async def test_contacts_are_answered_only_when_asked_for_and_then_nothing_is_logged(
    parties: Parties,
) -> None:
    """Reading a profile (its name, say) is no disclosure: no contacts, no audit entry,
    whoever reads it, through the get, the list and the batch."""
    p = parties
    officer_a = officer(YUZHONG, "acc_officer_a")
    readers = (organisation_member(p.org_a), officer_a, OPERATOR, ADMIN, SERVICE)
    for actor in readers:
        assert await p.org_contacts_everywhere(actor, p.org_a, contacts=False) == [None] * 3
    for actor in (talent_member(p.talent_1), OPERATOR, ADMIN, SERVICE):
        got = await p.talent_contact_everywhere(actor, p.talent_1, contacts=False)
        assert got == [None, None], actor
        assert ok(await p.talent_as(actor, contacts=False))["name"]["en"]
    assert await p.audit(p.org_a) == []
    assert await p.audit(p.talent_1) == []


async def test_each_disclosure_to_someone_but_the_party_is_logged_and_nothing_else(
    parties: Parties,
) -> None:
    p = parties
    officer_a = officer(YUZHONG, "acc_officer_a")
    member_a = organisation_member(p.org_a, "acc_org_a")
    # not logged: the party itself, a service, and those who asked and were shown nothing
    for actor in (member_a, SERVICE):
        assert ok(await p.org_as(actor))["contacts"] == ORG_CONTACTS
    for actor in (talent_member(p.talent_1), INVESTOR, MENTOR, officer(LIANGJIANG, "acc_b")):
        await p.org_as(actor)
    ok(await p.talent_as(SERVICE))
    assert await p.audit(p.org_a) == []
    assert await p.audit(p.talent_1) == []

    ok(await p.org_as(officer_a))
    ok(await p.org_as(OPERATOR))
    ok(await p.api.get("/organisations", params={"district_code": YUZHONG, "include_contacts": 1}))
    ok(await p.api.get("/organisations", params={"ids": [p.org_a], "include_contacts": 1}))
    ok(await p.org_as(ADMIN))
    ok(await p.talent_as(OPERATOR))
    await p.r.bus.publish([match(p.talent_1, p.org_a)])
    await until_visible(p, talent_member(p.talent_1, "acc_talent_1"), p.org_a)

    assert await p.audit(p.org_a) == [
        ("acc_officer_a", "DISTRICT_OFFICER", "read_contacts"),
        ("acc_operator", "OPERATOR", "read_contacts"),
        ("acc_operator", "OPERATOR", "read_contacts"),
        ("acc_operator", "OPERATOR", "read_contacts"),
        ("acc_admin", "ADMIN", "read_contacts"),
        ("acc_talent_1", "TALENT", "read_contacts"),  # the matched counterpart
    ]
    assert await p.audit(p.talent_1) == [("acc_operator", "OPERATOR", "read_contacts")]
    assert await p.audit(p.org_b) == []  # never shown to anyone


async def test_the_audit_log_is_shown_to_the_party_and_operators_only(parties: Parties) -> None:
    p = parties
    officer_a = officer(YUZHONG, "acc_officer_a")
    member_a = organisation_member(p.org_a, "acc_org_a")
    ok(await p.org_as(OPERATOR))
    ok(await p.org_as(ADMIN))
    entries = entries_of(await p.api.get(f"/parties/{p.org_a}/audit", headers=as_actor(member_a)))
    assert [(e["account_id"], e["subject"]) for e in entries] == [
        ("acc_operator", p.org_a),
        ("acc_admin", p.org_a),
    ]
    assert [e["at"] for e in entries] == sorted(e["at"] for e in entries)
    assert set(entries[0]) == {"account_id", "role", "action", "subject", "at"}
    # the moments as the log has always written them (isoformat), not pydantic's "Z"
    assert all(e["at"].endswith("+00:00") for e in entries), entries

    for stranger in (
        organisation_member(p.org_b, "acc_org_b"),
        talent_member(p.talent_1),
        officer_a,
        INVESTOR,
        PUBLIC,
    ):
        response = await p.api.get(f"/parties/{p.org_a}/audit", headers=as_actor(stranger))
        error = error_of(response, 403)
        assert error["message"]["en"] == "you may not see this audit log"
    assert len(await p.audit(p.org_a)) == 2  # operators may look


# -- grants from mutual matches ---------------------------------------------------------


async def test_a_mutual_match_discloses_contacts_to_both_sides_only(parties: Parties) -> None:
    p = parties
    talent_1 = talent_member(p.talent_1, "acc_talent_1")
    member_a = organisation_member(p.org_a, "acc_org_a")
    assert ok(await p.org_as(talent_1))["contacts"] is None
    assert ok(await p.talent_as(member_a))["contact"] is None

    await p.r.bus.publish([match(p.talent_1, p.org_a)])
    await until_visible(p, talent_1, p.org_a)

    assert await p.org_contacts_everywhere(talent_1, p.org_a) == [ORG_CONTACTS] * 3
    assert await p.talent_contact_everywhere(member_a, p.talent_1) == [TALENT_CONTACT] * 2
    # a grant is between the two parties: every account of theirs, nobody else
    other_account = organisation_member(p.org_a, "acc_org_a_colleague")
    assert ok(await p.talent_as(other_account))["contact"] == TALENT_CONTACT

    talent_2 = talent_member(p.talent_2, "acc_talent_2")
    member_b = organisation_member(p.org_b, "acc_org_b")
    assert await p.org_contacts_everywhere(talent_2, p.org_a) == [None, None, None]
    assert await p.org_contacts_everywhere(INVESTOR, p.org_a) == [None, None, None]
    assert await p.talent_contact_everywhere(member_b, p.talent_1) == [None, None]
    assert await p.talent_contact_everywhere(talent_2, p.talent_1) == [None, None]
    # and it is not transitive: the matched talent sees no other organisation's contacts
    assert await p.org_contacts_everywhere(talent_1, p.org_b) == [None, None, None]


async def test_the_same_match_delivered_twice_grants_once(parties: Parties) -> None:
    p = parties
    event = match(p.talent_1, p.org_a, "mat_twice")
    await p.r.bus.publish([event])
    await p.r.bus.publish([event])
    await p.r.bus.publish([match(p.talent_1, p.org_a, "mat_again")])  # same pair, new match
    # a later event for other parties: once it is handled, the ones before it are too
    await p.r.bus.publish([match(p.talent_2, p.org_b, "mat_marker")])
    await until_visible(p, talent_member(p.talent_2), p.org_b)

    grants = await p.disclosures().collection.find({}, sort=[("_id", 1)])
    assert sorted((g["viewer"], g["subject"], g["match_id"]) for g in grants) == sorted(
        [
            (p.talent_1, p.org_a, "mat_twice"),
            (p.org_a, p.talent_1, "mat_twice"),
            (p.talent_2, p.org_b, "mat_marker"),
            (p.org_b, p.talent_2, "mat_marker"),
        ]
    )
    assert isinstance(p.r.bus, EmbeddedBus)
    assert await p.r.bus.read_topic(dead_letter_topic("registry.disclosures")) == []
    assert ok(await p.org_as(talent_member(p.talent_1)))["contacts"] == ORG_CONTACTS


async def test_grants_survive_a_restart(tmp_path: Path) -> None:
    async with running([definition], tmp_path) as r:
        org = await register_organisation(r, 1, YUZHONG)
        talent = await register_talent(r, "li.wei@uni-example.de")
        p = Parties(r, org, org, talent, talent)
        await r.bus.publish([match(talent, org)])
        await until_visible(p, talent_member(talent), org)
    async with running([definition], tmp_path) as r:
        response = await r.client("registry").get(
            f"/talents/{talent}",
            params={"include_contacts": True},
            headers=as_actor(organisation_member(org)),
        )
        assert ok(response)["contact"] == TALENT_CONTACT


async def test_registration_responses_show_the_registrant_its_own_contacts(
    parties: Parties,
) -> None:
    """The one write that returns contacts goes to whoever may change the profile."""
    p = parties
    body = organisation_body(1, name_en="Renamed Ltd.")
    response = await p.api.put(
        f"/organisations/{p.org_a}", json=body, headers=as_actor(organisation_member(p.org_a))
    )
    assert ok(response)["contacts"] == ORG_CONTACTS
    stranger = await p.api.put(
        f"/organisations/{p.org_a}", json=body, headers=as_actor(talent_member(p.talent_1))
    )
    assert error_of(stranger, 403)["code"] == "FORBIDDEN"
    assert "hr1@example-org.cn" not in stranger.text
