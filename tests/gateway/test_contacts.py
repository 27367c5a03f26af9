"""Contact details through GraphQL, on the fakes: asked of the registry only when a query
selects them (so a read that shows none is never in anyone's audit log), batched per
request, and shown after a mutual yes to the two sides (``Match.counterpartContacts``)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from boyin_shared.api.registry import ContactOut
from boyin_shared.api.scheduling import PresenterIO
from boyin_shared.identity import Actor, Role
from tests.gateway.fake_records import demand, matched, organisation, session, talent
from tests.gateway.fakes import FakePlatform
from tests.gateway.harness import Contexts, gateway_server, record_contexts
from tests.gateway.scheduling_support import CREATE_EDITION, edition_input, ok, session_input
from tests.gateway.support import PROBLEM, SHAPINGBA, YUZHONG, staff_token
from tests.gateway.test_dataloaders import demo_gateway
from tests.gateway.test_registry_flow import AUDIT_ACTIONS, register_organisation
from tests.platform_harness import graphql
from tests.scheduling.support import FIRST_DAY, at

OWNER_CONTACTS = """
query {
  demands(first: 20) {
    edges { node { owner { ... on Organisation { id contacts { email } }
                           ... on Talent { id contact { email } } } } }
  }
}"""
OWNER_NAMES = """
query {
  demands(first: 20) {
    edges { node { owner { ... on Organisation { id name { en } }
                           ... on Talent { id name { en } } } } }
  }
}"""
SESSION_PRESENTERS = """
query($id: ID!) {
  session(id: $id) {
    presenters { party { ... on Talent { id name { en } } ... on Organisation { id name { en } } } }
  }
}"""
ADD_PRESENTED_SESSION = f"""
mutation($editionId: ID!, $input: AgendaSessionInput!) {{
  addSession(editionId: $editionId, input: $input) {{
    __typename
    ... on AgendaSession {{ id presenters {{ party {{ ... on Organisation {{ id name {{ en }} }} }} }} }}
    {PROBLEM}
  }}
}}"""
COUNTERPART = """
query($id: ID!) { matches(demandId: $id) { id status counterpartContacts { name email } } }
"""


def contact(party_id: str) -> ContactOut:
    email = f"{party_id}@example.org"
    return ContactOut(name=f"Contact of {party_id}", email=email, phone=None, role=None)


def contact_asks(platform: FakePlatform) -> list[bool]:
    """For each registry read of profiles, whether it asked for contact details."""
    return [
        bool(c.args["contacts"])
        for c in platform.log
        if c.method in ("organisations_by_id", "talents_by_id")
    ]


async def test_contacts_are_asked_for_only_when_selected_and_batched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    contexts: Contexts = record_contexts(monkeypatch)
    async with demo_gateway(tmp_path) as d:
        registry = d.gateway.platform.registry_data
        for party in d.organisations + d.talents:
            registry.contacts[party] = [contact(party)]
            await d.demand_for(party)

        # The owners' names: the registry is never asked for contacts (nothing to log).
        d.reset(contexts)
        names = await graphql(d.url, OWNER_NAMES, d.admin)
        assert len(names["demands"]["edges"]) == 9
        assert contact_asks(d.gateway.platform) == [False, False]

        # Their contacts: one more call per party type, however many owners.
        d.reset(contexts)
        data = await graphql(d.url, OWNER_CONTACTS, d.admin)
        owners = [e["node"]["owner"] for e in data["demands"]["edges"]]
        shown = {o["id"]: o.get("contacts") or [o.get("contact")] for o in owners}
        assert shown == {p: [{"email": f"{p}@example.org"}] for p in d.organisations + d.talents}
        assert sorted(contact_asks(d.gateway.platform)) == [False, False, True, True]
        assert d.calls_of_the_query(contexts) == 5
        asked = [
            sorted(c.args["ids"])
            for c in d.gateway.platform.log
            if c.method.endswith("_by_id") and c.args["contacts"]
        ]
        assert sorted(asked) == sorted([sorted(d.organisations), sorted(d.talents)])


async def test_a_sessions_presenters_are_resolved_without_their_contacts(tmp_path: Path) -> None:
    """An operator adding or reading a session with a presenter is shown no contact details
    and so causes no audit entry (the registry is not asked for them)."""
    platform = FakePlatform()
    platform.registry_data.add(talent("tal_presenter"), organisation("org_presenter", YUZHONG))
    platform.registry_data.contacts["tal_presenter"] = [contact("tal_presenter")]
    async with gateway_server(tmp_path, platform=platform) as gateway:
        made = session("ses_p", "edi_p")
        presenters = [PresenterIO(party_id="tal_presenter"), PresenterIO(party_id="org_presenter")]
        platform.scheduling_data.add(made.model_copy(update={"presenters": presenters}))
        operator = gateway.token(Actor("acc_ops", Role.OPERATOR))
        data = await graphql(gateway.url, SESSION_PRESENTERS, operator, id="ses_p")
        parties = [p["party"]["id"] for p in data["session"]["presenters"]]
        assert parties == ["tal_presenter", "org_presenter"]
        assert contact_asks(platform) and not any(contact_asks(platform))


async def test_an_operator_adding_a_session_with_a_presenter_discloses_nothing(url: str) -> None:
    """Through the whole platform: the presenter's name is shown, its contacts are not, and
    its audit log stays empty (it used to record a ``read_contacts``)."""
    org_id, org_token = await register_organisation(url, "presenter@org.example.cn", 3201)
    operator = await staff_token(url, "ops.presenter@example.org", "OPERATOR")
    edition = await ok(url, operator, CREATE_EDITION, "FairEdition", input=edition_input())
    presented = session_input(
        room=None,  # online: any presenter may take part
        start=at(FIRST_DAY, "14:00"),
        end=at(FIRST_DAY, "15:00"),
        presenters=[{"partyId": org_id}],
    )
    added: dict[str, Any] = {}
    for _ in range(150):  # until scheduling has heard of the organisation (an event)
        data = await graphql(
            url, ADD_PRESENTED_SESSION, operator, editionId=edition["id"], input=presented
        )
        added = data["addSession"]
        if added["__typename"] == "AgendaSession":
            break
        await asyncio.sleep(0.1)
    assert added["__typename"] == "AgendaSession", added
    [presenter] = added["presenters"]
    assert presenter["party"]["id"] == org_id and presenter["party"]["name"]["en"]
    audit = await graphql(url, AUDIT_ACTIONS, org_token, id=org_id)
    assert audit["auditOfParty"]["entries"] == []


ROLES = {
    "talent": Actor("acc_t", Role.TALENT, party_id="tal_m"),
    "organisation": Actor("acc_o", Role.ORGANISATION, party_id="org_m"),
    "other party": Actor("acc_x", Role.ORGANISATION, party_id="org_x"),
    "officer": Actor("acc_yz", Role.DISTRICT_OFFICER, district_code=YUZHONG),
    "other officer": Actor("acc_spb", Role.DISTRICT_OFFICER, district_code=SHAPINGBA),
    "investor": Actor("acc_i", Role.INVESTOR),
    "mentor": Actor("acc_m", Role.MENTOR),
    "operator": Actor("acc_op", Role.OPERATOR),
    "admin": Actor("acc_ad", Role.ADMIN),
}
PROFILE_CONTACTS = """
query { organisation(id: "org_m") { contacts { email } } talent(id: "tal_m") { contact { email } } }
"""


async def test_after_a_mutual_yes_each_side_reads_the_others_contacts(tmp_path: Path) -> None:
    platform = FakePlatform()
    registry = platform.registry_data
    registry.add(talent("tal_m"), organisation("org_m", YUZHONG), organisation("org_x", YUZHONG))
    for party in ("tal_m", "org_m"):
        registry.contacts[party] = [contact(party)]
    project = demand("dem_t", "tal_m", channel="PROJECT_COOPERATION", status="PUBLISHED")
    landing = demand("dem_o", "org_m", status="PUBLISHED", district_code=YUZHONG)
    registry.add(project, landing)
    platform.matching_data.matches["dem_t"] = [matched(project, landing, status="MUTUAL")]
    platform.matching_data.matches["dem_o"] = [matched(landing, project, status="MUTUAL")]
    registry.disclosed |= {("tal_m", "org_m"), ("org_m", "tal_m")}  # the registry's grants
    async with gateway_server(tmp_path, platform=platform) as gateway:

        async def seen(role: str) -> tuple[object, object]:
            token = gateway.token(ROLES[role])
            data = await graphql(gateway.url, PROFILE_CONTACTS, token)
            org, person = data["organisation"], data["talent"]
            return (
                org and org["contacts"] and org["contacts"][0]["email"],
                person and person["contact"] and person["contact"]["email"],
            )

        org_mail, talent_mail = "org_m@example.org", "tal_m@example.org"
        assert {role: await seen(role) for role in ROLES} == {
            "talent": (org_mail, talent_mail),
            "organisation": (org_mail, talent_mail),
            "other party": (None, None),
            "officer": (org_mail, None),  # an organisation's district officer
            "other officer": (None, None),  # does not even see the organisation
            "investor": (None, None),
            "mentor": (None, None),
            "operator": (org_mail, talent_mail),
            "admin": (org_mail, talent_mail),
        }

        talent_token = gateway.token(ROLES["talent"])
        [mine] = (await graphql(gateway.url, COUNTERPART, talent_token, id="dem_t"))["matches"]
        assert mine["status"] == "MUTUAL"
        assert mine["counterpartContacts"] == [{"name": "Contact of org_m", "email": org_mail}]
        org_token = gateway.token(ROLES["organisation"])
        [theirs] = (await graphql(gateway.url, COUNTERPART, org_token, id="dem_o"))["matches"]
        assert theirs["counterpartContacts"] == [{"name": "Contact of tal_m", "email": talent_mail}]

        # Before the yes (no grant), the same match shows no contacts.
        registry.disclosed.clear()
        [before] = (await graphql(gateway.url, COUNTERPART, talent_token, id="dem_t"))["matches"]
        assert before["counterpartContacts"] is None
