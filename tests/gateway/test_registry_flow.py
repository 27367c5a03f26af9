"""The registry's story told through GraphQL only: accounts, profiles and demands under review.

The first story sees every demand of its platform, so it has one of its own; the other
tests share one (``platform_url``), each registering its own parties."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.gateway.support import (
    CREATE_DEMAND,
    DEMAND,
    DEMANDS,
    EDIT_DEMAND,
    ME,
    PUBLISH,
    REGISTER_ORGANISATION,
    REGISTER_TALENT,
    REVIEW_CLAIM,
    SHAPINGBA,
    START_REVIEW,
    YUZHONG,
    admin_token,
    assert_bilingual,
    claims_of,
    cooperation_content,
    demand_action,
    landing_content,
    organisation_input,
    refresh,
    sign_up,
    staff_token,
    talent_input,
)
from tests.platform_harness import graphql, graphql_raw

PUBLISHED = {"status": "PUBLISHED"}

#: a test on the module's one platform
shared = pytest.mark.asyncio(loop_scope="module")


async def register_talent(url: str, email: str, name_en: str = "Li Wei") -> tuple[str, str]:
    """A talent signs up and registers its profile; its id and a token acting for it."""
    signed_up = await sign_up(url, email, "TALENT")
    session = signed_up["session"]
    data = await graphql(
        url, REGISTER_TALENT, session["accessToken"], input=talent_input(email, name_en)
    )
    talent = data["registerTalent"]
    assert talent["__typename"] == "Talent", talent
    refreshed = await refresh(url, session["refreshToken"])
    assert refreshed["__typename"] == "Session", refreshed
    return talent["id"], refreshed["accessToken"]


async def register_organisation(
    url: str, login: str, serial: int, district_code: str = YUZHONG
) -> tuple[str, str]:
    """An organisation signs up and registers itself; its id and a token acting for it."""
    session = (await sign_up(url, login, "ORGANISATION"))["session"]
    data = await graphql(
        url,
        REGISTER_ORGANISATION,
        session["accessToken"],
        input=organisation_input(serial, district_code),
    )
    org = data["registerOrganisation"]
    assert org["__typename"] == "Organisation", org
    refreshed = await refresh(url, session["refreshToken"])
    assert refreshed["__typename"] == "Session", refreshed
    return org["id"], refreshed["accessToken"]


async def create_demand(
    url: str, token: str, owner_id: str, content: dict[str, Any], *, submit: bool = True
) -> dict[str, Any]:
    return await demand_action(
        url, token, CREATE_DEMAND, "createDemand", ownerId=owner_id, content=content, submit=submit
    )


async def review_and_publish(url: str, token: str, demand: dict[str, Any]) -> dict[str, Any]:
    """Start the review, confirm every claim and publish, as ``token``'s reviewer."""
    started = await demand_action(url, token, START_REVIEW, "startDemandReview", id=demand["id"])
    assert started["__typename"] == "Demand" and started["status"] == "UNDER_REVIEW", started
    for claim in started["claims"]:
        reviewed = await demand_action(
            url,
            token,
            REVIEW_CLAIM,
            "reviewClaim",
            id=demand["id"],
            criterion=claim["criterion"],
            confirmed=True,
            note="材料已核实",
        )
        assert reviewed["__typename"] == "Demand", reviewed
    published = await demand_action(url, token, PUBLISH, "publishDemand", id=demand["id"])
    assert published["__typename"] == "Demand", published
    return published


def assert_refused(result: dict[str, Any]) -> None:
    """A step on a demand the caller may not even see: the registry either forbids it or
    reports the demand as absent (so its existence does not leak); either way the gateway
    returns a Problem with its reason in Chinese and English."""
    assert result["__typename"] in ("Forbidden", "NotFound"), result
    assert result["code"] in ("FORBIDDEN", "NOT_FOUND"), result
    assert_bilingual(result)


async def listed(url: str, token: str | None, filter: dict[str, Any] | None = None) -> list[Any]:
    data = await graphql(url, DEMANDS, token, filter=filter, first=100)
    return [e["node"] for e in data["demands"]["edges"]]


async def test_from_sign_up_to_published_demands(url: str) -> None:
    # A talent signs up and registers its profile; its account gets bound to it.
    signed_up = await sign_up(url, "lena.hoffmann@example.de", "TALENT")
    first_token = signed_up["session"]["accessToken"]
    data = await graphql(
        url,
        REGISTER_TALENT,
        first_token,
        input=talent_input("lena.hoffmann@example.de", "Dr. Lena Hoffmann"),
    )
    talent = data["registerTalent"]
    assert talent["__typename"] == "Talent", talent
    assert talent["name"]["en"] == "Dr. Lena Hoffmann" and talent["degree"] == "POSTDOC"
    talent_id = talent["id"]
    assert talent_id.startswith("tal_")
    assert "party" not in claims_of(first_token)
    # The token issued before registering does not act for the talent yet.
    stale = await create_demand(url, first_token, talent_id, cooperation_content())
    assert stale["__typename"] == "Forbidden", stale
    assert_bilingual(stale)

    refreshed = await refresh(url, signed_up["session"]["refreshToken"])
    talent_token = refreshed["accessToken"]
    me = (await graphql(url, ME, talent_token))["me"]
    assert me["partyId"] == talent_id and me["role"] == "TALENT"
    assert claims_of(talent_token)["party"] == talent_id

    # An organisation signs up and registers itself.
    org_session = (await sign_up(url, "hr@cq-sensors.example.cn", "ORGANISATION"))["session"]
    data = await graphql(
        url, REGISTER_ORGANISATION, org_session["accessToken"], input=organisation_input(3001)
    )
    org = data["registerOrganisation"]
    assert org["__typename"] == "Organisation", org
    assert org["districtCode"] == YUZHONG
    org_id = org["id"]
    org_token = (await refresh(url, org_session["refreshToken"]))["accessToken"]
    assert (await graphql(url, ME, org_token))["me"]["partyId"] == org_id

    # The admin creates a district officer for the organisation's district.
    officer_token = await staff_token(
        url, "officer.yuzhong@boyin.example", "DISTRICT_OFFICER", YUZHONG
    )

    # The organisation submits a project-landing demand straight away.
    landing = await create_demand(url, org_token, org_id, landing_content(), submit=True)
    assert landing["__typename"] == "Demand", landing
    assert landing["channel"] == "PROJECT_LANDING"
    assert (landing["status"], landing["districtCode"], landing["ownerId"]) == (
        "SUBMITTED",
        YUZHONG,
        org_id,
    )
    assert landing["owner"] == {"__typename": "Organisation", "id": org_id, "districtCode": YUZHONG}
    assert [c["review"] for c in landing["claims"]] == ["PENDING"]

    # The district officer reviews it: start, confirm the claim, publish.
    started = await demand_action(
        url, officer_token, START_REVIEW, "startDemandReview", id=landing["id"]
    )
    assert started["__typename"] == "Demand" and started["status"] == "UNDER_REVIEW", started
    confirmed = await demand_action(
        url,
        officer_token,
        REVIEW_CLAIM,
        "reviewClaim",
        id=landing["id"],
        criterion="KEY_PLATFORMS",
        confirmed=True,
        note="平台证书已核验",
    )
    assert confirmed["claims"] == [
        {
            "criterion": "KEY_PLATFORMS",
            "evidence": "重庆市工程技术研究中心",
            "review": "CONFIRMED",
            "reviewNote": "平台证书已核验",
        }
    ]
    published = await demand_action(url, officer_token, PUBLISH, "publishDemand", id=landing["id"])
    assert published["status"] == "PUBLISHED", published
    assert [(h["to"], h["role"]) for h in published["history"]] == [
        ("SUBMITTED", "ORGANISATION"),
        ("UNDER_REVIEW", "DISTRICT_OFFICER"),
        ("PUBLISHED", "DISTRICT_OFFICER"),
    ]

    # The talent submits a project-cooperation demand; talents' demands have no district,
    # so the district officer may not review it, an operator does.
    cooperation = await create_demand(url, talent_token, talent_id, cooperation_content())
    assert cooperation["__typename"] == "Demand", cooperation
    assert (cooperation["status"], cooperation["districtCode"]) == ("SUBMITTED", None)
    assert cooperation["owner"] == {"__typename": "Talent", "id": talent_id, "degree": "POSTDOC"}
    not_theirs = await demand_action(
        url, officer_token, START_REVIEW, "startDemandReview", id=cooperation["id"]
    )
    assert_refused(not_theirs)
    operator_token = await staff_token(url, "operator@boyin.example", "OPERATOR")
    assert (await review_and_publish(url, operator_token, cooperation))["status"] == "PUBLISHED"

    # Anyone sees both published demands; a visitor sees who the organisation is, but
    # talents' profiles are for signed-in members only.
    anonymous = {d["id"]: d for d in await listed(url, None, PUBLISHED)}
    assert set(anonymous) == {landing["id"], cooperation["id"]}
    assert anonymous[landing["id"]]["owner"]["__typename"] == "Organisation"
    assert anonymous[landing["id"]]["owner"]["id"] == org_id
    assert anonymous[cooperation["id"]]["owner"] is None
    assert all(d["status"] == "PUBLISHED" for d in anonymous.values())

    investor = (await sign_up(url, "fund@invest.example.cn", "INVESTOR"))["session"]["accessToken"]
    owners = {d["id"]: d["owner"] for d in await listed(url, investor, PUBLISHED)}
    assert owners[landing["id"]]["__typename"] == "Organisation"
    assert owners[landing["id"]]["id"] == org_id
    assert owners[cooperation["id"]] == {
        "__typename": "Talent",
        "id": talent_id,
        "degree": "POSTDOC",
    }

    # Another talent's draft is seen by that talent and staff, not by the first talent.
    other_id, other_token = await register_talent(url, "arjun.mehta@example.ca", "Arjun Mehta")
    draft = await create_demand(url, other_token, other_id, cooperation_content(), submit=False)
    assert draft["__typename"] == "Demand" and draft["status"] == "DRAFT", draft

    seen_by_first = {d["id"] for d in await listed(url, talent_token)}
    assert seen_by_first == {landing["id"], cooperation["id"]}
    assert (await graphql(url, DEMAND, talent_token, id=draft["id"]))["demand"] is None
    assert (await graphql(url, DEMAND, None, id=draft["id"]))["demand"] is None
    seen_by_other = {d["id"] for d in await listed(url, other_token)}
    assert seen_by_other == {landing["id"], cooperation["id"], draft["id"]}
    seen_by_operator = {d["id"] for d in await listed(url, operator_token, {"status": "DRAFT"})}
    assert seen_by_operator == {draft["id"]}
    mine = await listed(url, talent_token, {"ownerId": talent_id})
    assert [d["id"] for d in mine] == [cooperation["id"]]


# -- contacts -------------------------------------------------------------------------

INTROSPECT = """
{ __schema { types { name kind fields { name } inputFields { name } } } }
"""


#: the only fields that lead to contact details (each of type ``Contact``)
CONTACT_FIELDS = {
    ("Organisation", "contacts"),
    ("Talent", "contact"),
    ("Match", "counterpartContacts"),
}
PROFILES = """
query($org: ID!, $talent: ID!) {
  organisation(id: $org) { id name { zh en } kind districtCode creditCode taxonomyCodes
                           description { zh en } revision registeredAt }
  talent(id: $talent) { id name { zh en } degree field { en } institution { en } country
                        timezone languages taxonomyCodes }
}"""
CONTACTS = """
query($org: ID!, $talent: ID!) {
  organisation(id: $org) { id contacts { name email phone role } }
  talent(id: $talent) { id contact { name email phone } }
}"""
AUDIT_ACTIONS = """
query($id: ID!) { auditOfParty(partyId: $id) { ... on PartyAudit { entries { role action } } } }
"""
SECRETS = ("hr3101@gateway-org.example.cn", "联系人甲", "private.mail", "+49 241")


@shared
async def test_contact_details_are_reached_only_through_the_contact_fields(
    platform_url: str,
) -> None:
    url = platform_url
    types = (await graphql(url, INTROSPECT))["__schema"]["types"]
    outputs = {t["name"]: t for t in types if t["kind"] in ("OBJECT", "INTERFACE")}
    assert {"Organisation", "Talent", "Demand", "Contact"} <= set(outputs)
    leading = {
        (name, f["name"])
        for name, t in outputs.items()
        if not name.startswith("__") and name != "Contact"
        for f in t["fields"]
        if any(w in f["name"].lower() for w in ("contact", "email", "phone"))
    }
    assert leading == CONTACT_FIELDS
    inputs = {t["name"]: t for t in types if t["kind"] == "INPUT_OBJECT"}
    assert "contacts" in {f["name"] for f in inputs["OrganisationInput"]["inputFields"]}
    assert "contact" in {f["name"] for f in inputs["TalentInput"]["inputFields"]}

    org_id, org_token = await register_organisation(url, "contacts@org.example.cn", 3101)
    talent_id, talent_token = await register_talent(url, "private.mail@example.de")
    admin = await admin_token(url)

    # The admin reads both profiles but not their contacts: none shown, nothing logged.
    response = await graphql(url, PROFILES, admin, org=org_id, talent=talent_id)
    assert (response["organisation"]["id"], response["talent"]["id"]) == (org_id, talent_id)
    assert not any(secret in str(response) for secret in SECRETS)
    for party, token in ((org_id, org_token), (talent_id, talent_token)):
        audit = await graphql(url, AUDIT_ACTIONS, token, id=party)
        assert audit["auditOfParty"]["entries"] == []

    # Each party reads its own (not logged); a stranger gets null; the admin asks: logged.
    own = await graphql(url, CONTACTS, org_token, org=org_id, talent=talent_id)
    assert own["organisation"]["contacts"][0]["email"] == "hr3101@gateway-org.example.cn"
    assert own["talent"]["contact"] is None  # not matched with the talent
    stranger = await staff_token(url, "investor.contacts@example.org", "INVESTOR")
    hidden = await graphql(url, CONTACTS, stranger, org=org_id, talent=talent_id)
    assert hidden["organisation"]["contacts"] is None and hidden["talent"]["contact"] is None
    shown = await graphql(url, CONTACTS, admin, org=org_id, talent=talent_id)
    assert shown["talent"]["contact"]["email"] == "private.mail@example.de"
    assert shown["organisation"]["contacts"][0]["name"].startswith("联系人甲")
    for party, token in ((org_id, org_token), (talent_id, talent_token)):
        audit = await graphql(url, AUDIT_ACTIONS, token, id=party)
        assert audit["auditOfParty"]["entries"] == [{"role": "ADMIN", "action": "read_contacts"}]


# -- expected failures are Problem results, in Chinese and English ---------------------


@dataclass
class World:
    admin: str
    officer: str
    other_officer: str
    org_id: str
    org_token: str
    talent_id: str
    talent_token: str
    other_talent_id: str
    other_talent_token: str


async def world(url: str, n: int) -> World:
    """The parties of the ``n``th test on the shared platform."""
    org_id, org_token = await register_organisation(url, f"org{n}@yuzhong.example.cn", 3201 + n)
    talent_id, talent_token = await register_talent(url, f"first{n}@example.de")
    other_id, other_token = await register_talent(url, f"second{n}@example.de")
    return World(
        admin=await admin_token(url),
        officer=await staff_token(url, f"officer{n}@yuzhong.example", "DISTRICT_OFFICER", YUZHONG),
        other_officer=await staff_token(
            url, f"officer{n}@shapingba.example", "DISTRICT_OFFICER", SHAPINGBA
        ),
        org_id=org_id,
        org_token=org_token,
        talent_id=talent_id,
        talent_token=talent_token,
        other_talent_id=other_id,
        other_talent_token=other_token,
    )


@shared
async def test_an_officer_of_another_district_may_not_review_or_publish(platform_url: str) -> None:
    url = platform_url
    w = await world(url, 1)
    demand = await create_demand(url, w.org_token, w.org_id, landing_content())
    assert demand["__typename"] == "Demand", demand

    refused = await demand_action(
        url, w.other_officer, START_REVIEW, "startDemandReview", id=demand["id"]
    )
    assert_refused(refused)

    started = await demand_action(
        url, w.officer, START_REVIEW, "startDemandReview", id=demand["id"]
    )
    assert started["status"] == "UNDER_REVIEW"
    confirmed = await demand_action(
        url,
        w.officer,
        REVIEW_CLAIM,
        "reviewClaim",
        id=demand["id"],
        criterion="KEY_PLATFORMS",
        confirmed=True,
    )
    assert confirmed["__typename"] == "Demand", confirmed

    publish = await demand_action(url, w.other_officer, PUBLISH, "publishDemand", id=demand["id"])
    assert_refused(publish)
    # Nothing changed, and the other district's officer cannot even see the demand.
    assert (await graphql(url, DEMAND, w.other_officer, id=demand["id"]))["demand"] is None
    still = (await graphql(url, DEMAND, w.officer, id=demand["id"]))["demand"]
    assert still["status"] == "UNDER_REVIEW" and still["revision"] == confirmed["revision"]


@shared
async def test_a_talent_may_not_edit_or_create_for_another_talent(platform_url: str) -> None:
    url = platform_url
    w = await world(url, 2)
    operator = await staff_token(url, "operator@boyin.example", "OPERATOR")
    theirs = await create_demand(
        url, w.other_talent_token, w.other_talent_id, cooperation_content()
    )
    assert theirs["__typename"] == "Demand", theirs
    published = await review_and_publish(url, operator, theirs)
    draft = await create_demand(
        url, w.other_talent_token, w.other_talent_id, cooperation_content(), submit=False
    )

    # A published demand everyone sees: editing it is forbidden, not hidden.
    edit = await demand_action(
        url,
        w.talent_token,
        EDIT_DEMAND,
        "editDemand",
        id=theirs["id"],
        content=cooperation_content(titleEn="Hijacked"),
    )
    assert edit["__typename"] == "Forbidden", edit
    assert edit["code"] == "FORBIDDEN"
    assert edit["message"] == {"zh": "无权修改此需求", "en": "you may not edit this demand"}
    assert_bilingual(edit)
    # Another's draft is not even visible.
    assert_refused(
        await demand_action(
            url,
            w.talent_token,
            EDIT_DEMAND,
            "editDemand",
            id=draft["id"],
            content=cooperation_content(titleEn="Hijacked"),
        )
    )
    create = await create_demand(url, w.talent_token, w.other_talent_id, cooperation_content())
    assert create["__typename"] == "Forbidden", create
    assert_bilingual(create)
    # Organisations' channels are not for talents either.
    landing = await create_demand(url, w.talent_token, w.org_id, landing_content())
    assert landing["__typename"] == "Forbidden", landing

    for before in (published, draft):
        after = (await graphql(url, DEMAND, w.other_talent_token, id=before["id"]))["demand"]
        assert after["title"]["en"] == cooperation_content()["titleEn"]
        assert (after["revision"], after["status"]) == (before["revision"], before["status"])
    # The owner may edit it.
    own = await demand_action(
        url,
        w.other_talent_token,
        EDIT_DEMAND,
        "editDemand",
        id=draft["id"],
        content=cooperation_content(titleEn="Revised title"),
    )
    assert own["__typename"] == "Demand" and own["title"]["en"] == "Revised title", own


@shared
async def test_invalid_demand_content_lists_every_field_in_both_languages(
    platform_url: str,
) -> None:
    url = platform_url
    w = await world(url, 3)
    content = cooperation_content(
        titleZh=None,
        titleEn=None,
        taxonomyCodes=["NOT-A-CODE"],
        editions=["CQ1999"],
        claims=[
            {"criterion": "KEY_PLATFORMS", "evidence": "不适用于人才"},
            {"criterion": "CHONGQING_INTENTION"},
        ],
        details={
            "projectCooperation": {
                "stage": "PROTOTYPE",
                "trl": 12,
                "ipStatus": "GRANTED",
                "sought": [],
            }
        },
    )
    result = await create_demand(url, w.talent_token, w.talent_id, content)
    assert result["__typename"] == "InvalidInput", result
    assert result["code"] == "VALIDATION_FAILED"
    assert_bilingual(result)
    assert {(f["field"], f["code"]) for f in result["fields"]} >= {
        ("taxonomy_codes.0", "UNKNOWN_TAXONOMY"),
        ("editions.0", "UNKNOWN_EDITION"),
        ("claims.0.criterion", "WRONG_SIDE"),
        ("claims.1.evidence", "EVIDENCE_REQUIRED"),
        ("details.trl", "RANGE"),
        ("details.sought", "REQUIRED"),
    }
    assert any(f["field"].startswith("title") for f in result["fields"]), result["fields"]
    # Nothing was created.
    assert await listed(url, w.talent_token, {"ownerId": w.talent_id}) == []

    # A stage that is not one of the schema's ProjectStage values is refused by GraphQL's
    # validation of the variables (the schema says which values there are), before the
    # registry is asked; the error says so in both languages.
    bad_stage = cooperation_content(
        details={
            "projectCooperation": {
                "stage": "SOMEDAY",
                "trl": 3,
                "ipStatus": "GRANTED",
                "sought": ["JOINT_RD"],
            }
        }
    )
    response = await graphql_raw(
        url,
        CREATE_DEMAND,
        w.talent_token,
        ownerId=w.talent_id,
        content=bad_stage,
        submit=False,
    )
    body = response.json()
    assert body["data"] is None, body
    [error] = body["errors"]
    assert "stage" in error["message"] and "ProjectStage" in error["message"], error
    assert error["extensions"]["code"] == "INVALID_VARIABLE", error
    for language in ("zh", "en"):  # both name the value and list the allowed ones
        said = error["extensions"]["message"][language]
        assert "SOMEDAY" in said and "PROTOTYPE" in said and "PRODUCT" in said, error
    assert await listed(url, w.talent_token, {"ownerId": w.talent_id}) == []


@shared
async def test_missing_things_are_not_found_and_wrong_steps_conflict(platform_url: str) -> None:
    url = platform_url
    w = await world(url, 4)
    for result in (
        await demand_action(url, w.admin, START_REVIEW, "startDemandReview", id="dem_missing"),
        await create_demand(url, w.admin, "org_missing", landing_content()),
        await create_demand(url, w.admin, "tal_missing", cooperation_content()),
    ):
        assert result["__typename"] == "NotFound", result
        assert result["code"] == "NOT_FOUND"
        assert_bilingual(result)

    demand = await create_demand(url, w.org_token, w.org_id, landing_content())
    early = await demand_action(url, w.officer, PUBLISH, "publishDemand", id=demand["id"])
    assert early["__typename"] == "Conflict" and early["code"] == "ILLEGAL_TRANSITION", early
    assert_bilingual(early)
    await demand_action(url, w.officer, START_REVIEW, "startDemandReview", id=demand["id"])
    unreviewed = await demand_action(url, w.officer, PUBLISH, "publishDemand", id=demand["id"])
    assert unreviewed["__typename"] == "Conflict", unreviewed
    assert unreviewed["code"] == "CLAIMS_NOT_REVIEWED"
    assert_bilingual(unreviewed)
    no_such_claim = await demand_action(
        url,
        w.officer,
        REVIEW_CLAIM,
        "reviewClaim",
        id=demand["id"],
        criterion="INVESTMENT_CAPABILITY",
        confirmed=True,
    )
    assert no_such_claim["__typename"] == "NotFound", no_such_claim
    assert no_such_claim["code"] == "NO_SUCH_CLAIM"
    assert_bilingual(no_such_claim)


# -- one account, one profile -----------------------------------------------------------


@shared
async def test_an_account_registers_one_profile_even_with_its_first_token(
    platform_url: str,
) -> None:
    url = platform_url
    """The access token issued at sign-up says "no party" until it expires; registering a
    second profile with it must not create an orphan profile nobody can act for."""
    talent = (await sign_up(url, "twice@example.de", "TALENT"))["session"]
    org = (await sign_up(url, "twice@org.example.cn", "ORGANISATION"))["session"]
    for session, document, field, inputs in (
        (
            talent,
            REGISTER_TALENT,
            "registerTalent",
            [talent_input("twice@example.de"), talent_input("second.profile@example.de")],
        ),
        (
            org,
            REGISTER_ORGANISATION,
            "registerOrganisation",
            [organisation_input(3301), organisation_input(3302)],
        ),
    ):
        first = (await graphql(url, document, session["accessToken"], input=inputs[0]))[field]
        assert first["__typename"] in ("Talent", "Organisation"), first
        again = (await graphql(url, document, session["accessToken"], input=inputs[1]))[field]
        assert again["__typename"] == "Conflict", again
        assert again["code"] == "ALREADY_BOUND"
        assert_bilingual(again)
        # The account still acts for its first profile.
        token = (await refresh(url, session["refreshToken"]))["accessToken"]
        assert (await graphql(url, ME, token))["me"]["partyId"] == first["id"]

    # Nothing of the refused registrations was kept: their e-mail and credit code are free.
    other_talent = (await sign_up(url, "someone.else@example.de", "TALENT"))["session"]
    data = await graphql(
        url,
        REGISTER_TALENT,
        other_talent["accessToken"],
        input=talent_input("second.profile@example.de"),
    )
    assert data["registerTalent"]["__typename"] == "Talent", data
    other_org = (await sign_up(url, "someone.else@org.example.cn", "ORGANISATION"))["session"]
    data = await graphql(
        url, REGISTER_ORGANISATION, other_org["accessToken"], input=organisation_input(3302)
    )
    assert data["registerOrganisation"]["__typename"] == "Organisation", data
