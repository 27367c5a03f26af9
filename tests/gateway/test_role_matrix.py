"""Who may do what, through GraphQL only: every role against every guarded operation.

The expectations are the platform's intended rules, written down here as a table (not
read from the code under test):

- accounts (gateway ``accounts/domain.py``): administrators create accounts of every staff
  role, operators those of district officers, mentors and investors; nobody else creates
  accounts; operators and administrators, and nobody else, list accounts;
- the registry (``domain/demands.py``, ``application.py``): staff (operators and
  administrators) and the district officer of the organisation's district register
  organisations and create, review and publish its demands; an organisation acts for
  itself; an unpublished demand is seen by those who may change it; talents' profiles are
  for signed-in people only, their personal data for operators and administrators, their
  erasure for administrators; the taxonomy is edited by staff;
- matching: the review queue, confirming or withdrawing a proposal and adding a match by
  hand are for staff;
- contacts (the registry's ``privacy/domain.py``): a party's contact details are shown to
  the party itself, staff, the district officer of an organisation's district and, after a
  mutual match, its counterpart (here the talent and the organisation are matched);
- matching: the review queue is for staff; operators and administrators start the
  rematch job, follow its progress and read the demands with no good match yet;
- the live feeds (``permissions.py``): new projects for investors and staff, district
  demands for district officers and staff, pipeline events for staff, a participant's
  meetings and sessions for talents and organisations;
- scheduling: staff prepare, open, close and publish editions, sessions and the timetable,
  read every meeting and the timetable, sign participants up and arrange meetings and
  check people in; a talent or organisation signs up, declares availability, reads its
  attendance, agenda and meetings and asks for meetings for itself; the invitee (or staff)
  answers a request; either side (or staff) cancels a meeting, sets its video link and
  records its outcome; a draft edition is seen by staff only, an open one by anyone;
- agreements: an agreement is seen by its parties, the district officers of its landing
  district and staff; its parties and staff act on it (start one, confirm their own
  signature; staff record anyone's); district officers of its district and staff follow
  its milestones up; the ceremony roster is for signed-in callers; the funnel report is
  for staff and district officers (each their own district's), the agreements feed for
  investors, district officers (their district's) and staff.

Each cell is ``allowed`` (the success type, or the data) or ``denied`` (a ``Forbidden`` or
``NotFound`` problem with a zh/en message, ``null`` for a read, an empty review queue, or
an error on a subscription); anything else is reported as it is.

The table runs on the gateway alone, its services the in-memory fakes (``fakes.py``),
which apply the services' rules as the services answer them (each service's own tests
check those rules against the real thing); the rules the gateway applies itself
(staff-only fields, the feeds, a talent's own data, accounts) are not in the fakes, so a
gateway that forgot one fails here. The feeds hear the platform's events as its bus
delivers them (``Gateway.publish``).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from argon2 import PasswordHasher

from boyin_gateway.accounts import passwords
from boyin_shared.api.agreements import AgreementStage, MilestoneKind, MilestoneOut
from boyin_shared.api.matching import MatchOut
from boyin_shared.api.registry import ContactOut
from boyin_shared.api.scheduling import TimetableDetailOut
from boyin_shared.contracts.agreements import AgreementOrigin
from boyin_shared.identity import Actor, Role
from tests.agreements import funnel_support
from tests.gateway import agreements_support as agr
from tests.gateway import scheduling_support as sched
from tests.gateway.events import landing, meeting_cancelled, project
from tests.gateway.fake_agreements import agreement
from tests.gateway.fake_records import (
    demand,
    edition,
    meeting,
    new_id,
    organisation,
    session,
    talent,
)
from tests.gateway.fakes import FakePlatform
from tests.gateway.harness import Gateway, gateway_server
from tests.gateway.support import (
    CREATE_ACCOUNT,
    CREATE_DEMAND,
    DEMAND,
    PASSWORD,
    PROBLEM,
    PUBLISH,
    REGISTER_ORGANISATION,
    SHAPINGBA,
    START_REVIEW,
    YUZHONG,
    admin_token,
    assert_bilingual,
    landing_content,
    organisation_input,
)
from tests.gateway.test_registry_coverage import (
    ADD_CODE,
    ERASE_TALENT,
    PERSONAL_DATA,
    UPDATE_ORGANISATION,
)
from tests.graphql_ws import Subscription, subscribe
from tests.platform_harness import graphql, graphql_raw

pytestmark = pytest.mark.asyncio(loop_scope="module")

ROLES = (
    "anonymous",
    "talent",
    "organisation",
    "officer",  # district officer of the demand's (and organisation's) district
    "other_officer",  # district officer of another district
    "investor",
    "mentor",
    "operator",
    "admin",
)
STAFF = frozenset({"operator", "admin"})
REVIEWERS = STAFF | {"officer"}
SIGNED_IN = frozenset(ROLES) - {"anonymous"}

ALLOWED, DENIED = "allowed", "denied"

TALENT = "query($id: ID!) { talent(id: $id) { id degree } }"
ORGANISATION = "query($id: ID!) { organisation(id: $id) { id districtCode } }"
REVIEW_QUEUE = "{ matchReviewQueue { id score } }"
MATCHES = "query($id: ID!) { matches(demandId: $id) { id score } }"
ORGANISATION_CONTACTS = "query($id: ID!) { organisation(id: $id) { contacts { email } } }"
TALENT_CONTACT = "query($id: ID!) { talent(id: $id) { contact { email } } }"
COUNTERPART_CONTACTS = (
    "query($id: ID!) { matches(demandId: $id) { counterpartContacts { email } } }"
)
MATCH_RESULT = f"__typename ... on Match {{ id }} {PROBLEM}"
CONFIRM_MATCH = f"mutation($id: ID!) {{ confirmMatch(id: $id) {{ {MATCH_RESULT} }} }}"
WITHDRAW_MATCH = f"mutation($id: ID!) {{ withdrawMatch(id: $id) {{ {MATCH_RESULT} }} }}"
ADD_MATCH = f"""
mutation($a: ID!, $b: ID!) {{
  addMatch(demandId: $a, counterpartDemandId: $b, note: "by hand") {{ {MATCH_RESULT} }}
}}"""
START_REMATCH = """mutation { startRematch {
  __typename ... on RematchJob { state total done }
  ... on Forbidden { code message { zh en } fields { field code message { zh en } } } } }"""
REMATCH_JOB = "{ rematchJob { state total done error } }"
WITHOUT_GOOD_MATCH = "{ demandsWithoutGoodMatch { demandId channel ownerId bestScore } }"
NEW_PROJECTS = "subscription { newProjects { demandId } }"
PIPELINE_EVENTS = "subscription { pipelineEvents { type } }"
DISTRICT_DEMANDS = "subscription { districtDemands { demandId districtCode } }"


@dataclass
class World:
    """The platform and what the operations act on; one of each per role where the
    operation changes it (so that each cell is independent of the others)."""

    gateway: Gateway
    admin: str
    tokens: dict[str, str | None] = field(default_factory=dict)
    talent_id: str = ""
    org_id: str = ""  # the organisation member's, in YUZHONG
    other_org_id: str = ""  # another organisation in YUZHONG (no account acts for it)
    far_org_id: str = ""  # an organisation in SHAPINGBA
    profile_id: str = ""  # a talent nobody of the roles is
    unpublished_id: str = ""  # a submitted demand of the member's organisation
    erasable: dict[str, str] = field(default_factory=dict)  # a talent per role
    submitted: dict[str, str] = field(default_factory=dict)  # a submitted demand per role
    ready: dict[str, str] = field(default_factory=dict)  # reviewed, to publish, per role
    matched_id: str = ""  # a published demand of the member's organisation, with a match
    project_id: str = ""  # the talent's published project, its counterpart
    reviewable: dict[str, str] = field(default_factory=dict)  # a proposed match per role
    # -- scheduling
    edition_id: str = ""  # open, its agenda published
    draft_edition_id: str = ""  # a draft edition
    session_id: str = ""  # published, nobody signed up
    joined_session_id: str = ""  # the talent and the organisation are signed up
    pair_meeting_id: str = ""  # the talent's with the organisation, accepted
    check_in_token: str = ""  # the organisation's (on site)
    drafts: dict[str, str] = field(default_factory=dict)  # a draft edition per role
    opened: dict[str, str] = field(default_factory=dict)  # an open edition per role
    solved: dict[str, str] = field(default_factory=dict)  # an edition with a draft timetable
    cancellable_sessions: dict[str, str] = field(default_factory=dict)
    guests: dict[str, str] = field(default_factory=dict)  # a talent per role, for arranging
    requested: dict[str, str] = field(default_factory=dict)  # a request to the organisation
    mutual: dict[str, str] = field(default_factory=dict)  # a meeting the role's side is in
    # -- agreements
    agreement_id: str = ""  # the talent's with the organisation, landing in YUZHONG
    drafted: dict[str, str] = field(default_factory=dict)  # a draft agreement per role

    @property
    def url(self) -> str:
        return self.gateway.url


# -- outcomes ----------------------------------------------------------------------------


def outcome(result: dict[str, Any] | None, success: str) -> str:
    """``allowed`` for the success type, ``denied`` for a refusal (checked bilingual) or a
    read that found nothing; anything else as it is."""
    if result is None:
        return DENIED
    kind = result["__typename"]
    if kind == success:
        return ALLOWED
    if kind in ("Forbidden", "NotFound"):
        assert_bilingual(result)
        return DENIED
    return f"{kind} {result.get('code')}"


async def mutation(
    world: World, caller: str, document: str, name: str, success: str, **variables: Any
) -> str:
    result = (await graphql(world.url, document, world.tokens[caller], **variables))[name]
    return outcome(result, success)


async def read(world: World, caller: str, document: str, name: str, **variables: Any) -> str:
    data = (await graphql(world.url, document, world.tokens[caller], **variables))[name]
    return DENIED if data is None else ALLOWED


async def first_answer(
    subscription: Subscription, wanted: Callable[[dict[str, Any]], bool], timeout: float = 10.0
) -> str:
    """``allowed`` for a first item (if ``wanted``: one the subscriber may see), ``denied``
    for an error (with the feed's zh/en reason)."""
    while True:
        message = json.loads(await asyncio.wait_for(subscription.ws.recv(), timeout))
        kind, payload = message["type"], message.get("payload")
        if kind == "ping":
            await subscription.ws.send(json.dumps({"type": "pong"}))
            continue
        errors = payload if kind == "error" else (payload or {}).get("errors")
        if errors:
            reason = errors[0]["message"]
            assert any("\u4e00" <= ch <= "\u9fff" for ch in reason) and " / " in reason, errors
            return DENIED
        if kind == "next":
            data = payload["data"]
            return ALLOWED if wanted(data) else f"unwanted {data}"
        return f"{kind} {payload}"


def anything(role: str, data: dict[str, Any]) -> bool:
    return True


async def feed_row(
    world: World,
    document: str,
    trigger: Callable[[World], Awaitable[None]],
    wanted: Callable[[str, dict[str, Any]], bool] = anything,
) -> dict[str, str]:
    """Every role subscribes; then ``trigger`` makes an event each allowed one should get."""
    async with AsyncExitStack() as stack:
        feeds = {
            role: await stack.enter_async_context(subscribe(world.url, document, token))
            for role, token in world.tokens.items()
        }
        await asyncio.sleep(0.3)  # the subscriptions are registered
        await trigger(world)
        answers = await asyncio.gather(
            *(first_answer(f, partial(wanted, role)) for role, f in feeds.items())
        )
    return dict(zip(feeds, answers, strict=True))


# -- the operations ----------------------------------------------------------------------

Cell = Callable[[World, str], Awaitable[str]]
Row = Callable[[World], Awaitable[dict[str, str]]]


@dataclass(frozen=True)
class Operation:
    name: str
    allowed: frozenset[str]
    cell: Cell | None = None  # one role at a time
    row: Row | None = None  # all roles at once (the feeds)

    async def outcomes(self, world: World) -> dict[str, str]:
        if self.row is not None:
            return await self.row(world)
        assert self.cell is not None
        return {role: await self.cell(world, role) for role in ROLES}


def serial(role: str, base: int) -> int:
    return base + ROLES.index(role)


async def register_organisation_cell(world: World, role: str) -> str:
    org = organisation_input(serial(role, 710), YUZHONG)
    return await mutation(
        world, role, REGISTER_ORGANISATION, "registerOrganisation", "Organisation", input=org
    )


async def create_demand_for_another(world: World, role: str) -> str:
    return await mutation(
        world,
        role,
        CREATE_DEMAND,
        "createDemand",
        "Demand",
        ownerId=world.other_org_id,
        content=landing_content(),
        submit=False,
    )


async def update_organisation(world: World, role: str) -> str:
    org = organisation_input(701, YUZHONG)  # as it was registered
    return await mutation(
        world,
        role,
        UPDATE_ORGANISATION,
        "updateOrganisation",
        "Organisation",
        id=world.org_id,
        input=org,
    )


async def start_review(world: World, role: str) -> str:
    doc, name = START_REVIEW, "startDemandReview"
    return await mutation(world, role, doc, name, "Demand", id=world.submitted[role])


async def publish(world: World, role: str) -> str:
    return await mutation(world, role, PUBLISH, "publishDemand", "Demand", id=world.ready[role])


async def read_unpublished_demand(world: World, role: str) -> str:
    return await read(world, role, DEMAND, "demand", id=world.unpublished_id)


async def read_organisation(world: World, role: str) -> str:
    return await read(world, role, ORGANISATION, "organisation", id=world.org_id)


async def read_talent(world: World, role: str) -> str:
    return await read(world, role, TALENT, "talent", id=world.profile_id)


async def personal_data(world: World, role: str) -> str:
    return await mutation(
        world, role, PERSONAL_DATA, "personalData", "PersonalDataExport", id=world.profile_id
    )


NOTIFICATION_PREFERENCES = """
query($partyId: ID!) {
  notificationPreferences(partyId: $partyId) {
    __typename ... on Problem { code message { zh en } fields { field message { zh en } } }
  }
}"""
SET_NOTIFICATION_PREFERENCES = """
mutation($partyId: ID!) {
  setNotificationPreferences(partyId: $partyId, input: {kinds: [MEETING], language: ZH}) {
    __typename ... on Problem { code message { zh en } fields { field message { zh en } } }
  }
}"""


async def notification_mailbox(world: World, role: str) -> str:
    return await read(world, role, "{ notificationMailbox { messageId } }", "notificationMailbox")


async def notification_preferences(world: World, role: str) -> str:
    return await mutation(
        world,
        role,
        NOTIFICATION_PREFERENCES,
        "notificationPreferences",
        "NotificationPreferences",
        partyId=world.talent_id,
    )


async def set_notification_preferences(world: World, role: str) -> str:
    return await mutation(
        world,
        role,
        SET_NOTIFICATION_PREFERENCES,
        "setNotificationPreferences",
        "NotificationPreferences",
        partyId=world.org_id,
    )


async def add_taxonomy_code(world: World, role: str) -> str:
    code = f"C33-X{ROLES.index(role)}"
    return await mutation(
        world,
        role,
        ADD_CODE,
        "addTaxonomyCode",
        "TaxonomyCodeChanged",
        code=code,
        parent="C33-L3",
        zh="矩阵测试",
        en="Matrix test",
    )


def create_account(new_role: str) -> Cell:
    async def cell(world: World, role: str) -> str:
        district = YUZHONG if new_role == "DISTRICT_OFFICER" else None
        login = f"{new_role.lower()}.by.{role}@matrix.example"
        return await mutation(
            world,
            role,
            CREATE_ACCOUNT,
            "createAccount",
            "Account",
            login=login,
            password=PASSWORD,
            role=new_role,
            districtCode=district,
        )

    return cell


LIST_ACCOUNTS = """
{ accounts(first: 5) {
    __typename ... on Problem { code message { zh en } fields { field message { zh en } } }
} }"""


async def list_accounts(world: World, role: str) -> str:
    return await mutation(world, role, LIST_ACCOUNTS, "accounts", "AccountConnection")


async def matches_of_demand(world: World, role: str) -> str:
    """A demand's matches: the owner's and staff's business (an empty list for others)."""
    response = await graphql_raw(world.url, MATCHES, world.tokens[role], id=world.matched_id)
    body: dict[str, Any] = response.json()
    if body.get("errors"):
        return f"error: {body['errors'][0]['message']}"
    return ALLOWED if body["data"]["matches"] else DENIED


async def review_queue(world: World, role: str) -> str:
    """The gateway answers a refused queue with an empty list: the queue is not empty."""
    queue = (await graphql(world.url, REVIEW_QUEUE, world.tokens[role]))["matchReviewQueue"]
    return ALLOWED if queue else DENIED


def contacts_read(document: str, name: str, field_name: str, party: str) -> Cell:
    """``allowed`` when the party's contact details (``party``: a World attribute) are
    shown, ``denied`` for null (or the profile itself unseen)."""

    async def cell(world: World, role: str) -> str:
        found = await graphql(world.url, document, world.tokens[role], id=getattr(world, party))
        return DENIED if found[name] is None or found[name][field_name] is None else ALLOWED

    return cell


async def counterpart_contacts(world: World, role: str) -> str:
    """A mutual match's counterpart contacts, where the caller sees the match at all."""
    response = await graphql_raw(
        world.url, COUNTERPART_CONTACTS, world.tokens[role], id=world.matched_id
    )
    matches = response.json()["data"]["matches"]
    return ALLOWED if matches and matches[0]["counterpartContacts"] else DENIED


async def confirm_match(world: World, role: str) -> str:
    doc, match_id = CONFIRM_MATCH, world.reviewable[role]
    return await mutation(world, role, doc, "confirmMatch", "Match", id=match_id)


async def withdraw_match(world: World, role: str) -> str:
    doc, match_id = WITHDRAW_MATCH, world.reviewable[role]
    return await mutation(world, role, doc, "withdrawMatch", "Match", id=match_id)


async def add_match(world: World, role: str) -> str:
    ids = {"a": world.matched_id, "b": world.project_id}
    return await mutation(world, role, ADD_MATCH, "addMatch", "Match", **ids)


async def start_rematch(world: World, role: str) -> str:
    return await mutation(world, role, START_REMATCH, "startRematch", "RematchJob")


async def rematch_job(world: World, role: str) -> str:
    return await read(world, role, REMATCH_JOB, "rematchJob")


async def demands_without_good_match(world: World, role: str) -> str:
    return await read(world, role, WITHOUT_GOOD_MATCH, "demandsWithoutGoodMatch")


async def erase_talent(world: World, role: str) -> str:
    target = world.erasable[role]
    return await mutation(world, role, ERASE_TALENT, "eraseTalent", "Talent", id=target)


async def publish_project(world: World) -> None:
    """A talent's project is published: new projects and pipeline events."""
    await world.gateway.publish(project("dem_project", world.talent_id, "C33-L3", 500))


async def submit_in_both_districts(world: World) -> None:
    await world.gateway.publish(
        landing("dem_yuzhong", world.org_id, YUZHONG),
        landing("dem_shapingba", world.far_org_id, SHAPINGBA),
    )


async def new_projects(world: World) -> dict[str, str]:
    return await feed_row(world, NEW_PROJECTS, publish_project)


async def pipeline_events(world: World) -> dict[str, str]:
    return await feed_row(world, PIPELINE_EVENTS, submit_in_both_districts)


async def district_demands(world: World) -> dict[str, str]:
    """An officer's first item is of their own district (the other district's came first)."""
    own = {"officer": YUZHONG, "other_officer": SHAPINGBA}

    def wanted(role: str, data: dict[str, Any]) -> bool:
        return role not in own or data["districtDemands"]["districtCode"] == own[role]

    return await feed_row(world, DISTRICT_DEMANDS, submit_in_both_districts, wanted)


OPERATIONS = (
    Operation("registerOrganisation", REVIEWERS, register_organisation_cell),
    Operation("createDemand for another party", REVIEWERS, create_demand_for_another),
    Operation("updateOrganisation", REVIEWERS | {"organisation"}, update_organisation),
    Operation("read an unpublished demand", REVIEWERS | {"organisation"}, read_unpublished_demand),
    Operation("startDemandReview", REVIEWERS, start_review),
    Operation("publishDemand", REVIEWERS, publish),
    Operation("read an organisation", frozenset(ROLES) - {"other_officer"}, read_organisation),
    Operation("read a talent", SIGNED_IN, read_talent),
    Operation("personalData (contacts)", STAFF, personal_data),
    Operation("addTaxonomyCode", STAFF, add_taxonomy_code),
    Operation("notificationMailbox", STAFF, notification_mailbox),
    Operation("a talent's notificationPreferences", STAFF | {"talent"}, notification_preferences),
    Operation(
        "an organisation's setNotificationPreferences",
        STAFF | {"organisation"},
        set_notification_preferences,
    ),
    Operation("createAccount ADMIN", frozenset({"admin"}), create_account("ADMIN")),
    Operation("createAccount OPERATOR", frozenset({"admin"}), create_account("OPERATOR")),
    Operation("createAccount DISTRICT_OFFICER", STAFF, create_account("DISTRICT_OFFICER")),
    Operation("createAccount MENTOR", STAFF, create_account("MENTOR")),
    Operation("createAccount INVESTOR", STAFF, create_account("INVESTOR")),
    Operation("list accounts", STAFF, list_accounts),
    Operation("matches of a demand", STAFF | {"organisation"}, matches_of_demand),
    Operation("matchReviewQueue", STAFF, review_queue),
    Operation("confirmMatch", STAFF, confirm_match),
    Operation("withdrawMatch", STAFF, withdraw_match),
    Operation("addMatch", STAFF, add_match),
    Operation(
        "contacts of the matched organisation",
        STAFF | {"organisation", "officer", "talent"},
        contacts_read(ORGANISATION_CONTACTS, "organisation", "contacts", "org_id"),
    ),
    Operation(
        "contacts of an unmatched organisation",
        STAFF | {"officer"},
        contacts_read(ORGANISATION_CONTACTS, "organisation", "contacts", "other_org_id"),
    ),
    Operation(
        "contact of the matched talent",
        STAFF | {"talent", "organisation"},
        contacts_read(TALENT_CONTACT, "talent", "contact", "talent_id"),
    ),
    Operation(
        "contact of an unmatched talent",
        STAFF,
        contacts_read(TALENT_CONTACT, "talent", "contact", "profile_id"),
    ),
    Operation(
        "counterpartContacts of a mutual match", STAFF | {"organisation"}, counterpart_contacts
    ),
    Operation("startRematch", STAFF, start_rematch),
    Operation("rematchJob", STAFF, rematch_job),
    Operation("demandsWithoutGoodMatch", STAFF, demands_without_good_match),
    Operation("eraseTalent", frozenset({"admin"}), erase_talent),
    Operation("subscribe newProjects", STAFF | {"investor"}, row=new_projects),
    Operation("subscribe pipelineEvents", STAFF, row=pipeline_events),
    Operation(
        "subscribe districtDemands", STAFF | {"officer", "other_officer"}, row=district_demands
    ),
)


# -- scheduling ---------------------------------------------------------------------------

PARTICIPANTS = frozenset({"talent", "organisation"})
SIDES = PARTICIPANTS | STAFF


def scheduling_mutation(document: str, success: str, target: Callable[[World, str], Any]) -> Cell:
    """A mutation whose one argument set comes from ``target(world, role)``."""

    async def cell(world: World, role: str) -> str:
        result = await sched.result(world.url, world.tokens[role], document, **target(world, role))
        return outcome(result, success)

    return cell


def scheduling_read(document: str, **fixed: str) -> Cell:
    """``allowed`` when the read found something (``fixed`` names World attributes):
    ``denied`` for null, an empty page or a refusal (checked bilingual)."""

    async def cell(world: World, role: str) -> str:
        variables = {k: getattr(world, v) for k, v in fixed.items()}
        data = await graphql(world.url, document, world.tokens[role], **variables)
        (value,) = data.values()
        if value is None:
            return DENIED
        if "edges" in value:
            return ALLOWED if value["edges"] else DENIED
        if value.get("__typename") in ("Forbidden", "NotFound", "InvalidInput", "Conflict"):
            return outcome(value, "")
        return ALLOWED

    return cell


async def sign_ups_of_session(world: World, role: str) -> str:
    data = await graphql(world.url, sched.SIGN_UPS, world.tokens[role], id=world.joined_session_id)
    return DENIED if data["session"]["signUps"] is None else ALLOWED


async def record_outcome(world: World, role: str) -> str:
    """Past the permission check, the meeting (not yet begun, or cancelled) is refused
    for its state: that refusal is the allowed outcome here."""
    result = await sched.result(
        world.url, world.tokens[role], sched.RECORD_OUTCOME, id=world.mutual[role], held=True
    )
    if result["__typename"] == "Conflict" and result["code"] in ("NOT_STARTED", "NOT_SCHEDULED"):
        return ALLOWED
    return outcome(result, "Meeting")


def own_availability(world: World, role: str) -> dict[str, Any]:
    online = {"mode": "ONLINE", "timezone": "Europe/Berlin"}
    on_site = {"mode": "ON_SITE", "timezone": "Asia/Shanghai"}
    return {"editionId": world.edition_id, "input": online if role == "talent" else on_site}


def own_request(world: World, role: str) -> dict[str, Any]:
    invitee = world.far_org_id if role == "talent" else world.profile_id
    return {"editionId": world.edition_id, "input": {"inviteeId": invitee}}


def arranged_request(world: World, role: str) -> dict[str, Any]:
    pair = {"requesterId": world.guests[role], "inviteeId": world.far_org_id, "weight": 80}
    return {"editionId": world.edition_id, "input": pair}


async def my_schedule(world: World) -> dict[str, str]:
    """Staff cancel the talent's meeting with the organisation: both sides hear of it."""

    async def cancel(world: World) -> None:
        done = await sched.result(
            world.url, world.admin, sched.CANCEL_MEETING, id=world.pair_meeting_id
        )
        assert done["__typename"] == "Meeting", done
        await world.gateway.publish(  # as scheduling announces it
            meeting_cancelled(
                world.pair_meeting_id, world.edition_id, world.talent_id, world.org_id
            )
        )

    return await feed_row(world, sched.MY_SCHEDULE, cancel)


SCHEDULING_OPERATIONS = (
    Operation(
        "createEdition",
        STAFF,
        scheduling_mutation(
            sched.CREATE_EDITION, "FairEdition", lambda w, r: {"input": sched.edition_input()}
        ),
    ),
    Operation(
        "updateEdition",
        STAFF,
        scheduling_mutation(
            sched.UPDATE_EDITION,
            "FairEdition",
            lambda w, r: {"id": w.draft_edition_id, "input": sched.edition_input()},
        ),
    ),
    Operation(
        "openEdition",
        STAFF,
        scheduling_mutation(sched.OPEN_EDITION, "FairEdition", lambda w, r: {"id": w.drafts[r]}),
    ),
    Operation(
        "closeEdition",
        STAFF,
        scheduling_mutation(sched.CLOSE_EDITION, "FairEdition", lambda w, r: {"id": w.opened[r]}),
    ),
    Operation(
        "publishAgenda",
        STAFF,
        scheduling_mutation(sched.PUBLISH_AGENDA, "FairEdition", lambda w, r: {"id": w.edition_id}),
    ),
    Operation(
        "read a draft edition", STAFF, scheduling_read(sched.FAIR_EDITION, id="draft_edition_id")
    ),
    Operation(
        "read an open edition",
        frozenset(ROLES),
        scheduling_read(sched.FAIR_EDITION, id="edition_id"),
    ),
    Operation(
        "addSession",
        STAFF,
        scheduling_mutation(
            sched.ADD_SESSION,
            "AgendaSession",
            lambda w, r: {"editionId": w.edition_id, "input": sched.session_input()},
        ),
    ),
    Operation(
        "updateSession",
        STAFF,
        scheduling_mutation(
            sched.UPDATE_SESSION,
            "AgendaSession",
            lambda w, r: {"id": w.session_id, "input": sched.session_input()},
        ),
    ),
    Operation(
        "cancelSession",
        STAFF,
        scheduling_mutation(
            sched.CANCEL_SESSION, "AgendaSession", lambda w, r: {"id": w.cancellable_sessions[r]}
        ),
    ),
    Operation("session signUps", STAFF, sign_ups_of_session),
    Operation(
        "signUpForSession (own)",
        PARTICIPANTS,
        scheduling_mutation(
            sched.SIGN_UP, "AgendaSession", lambda w, r: {"sessionId": w.session_id}
        ),
    ),
    Operation(
        "signUpForSession for another party",
        STAFF,
        scheduling_mutation(
            sched.SIGN_UP,
            "AgendaSession",
            lambda w, r: {"sessionId": w.session_id, "partyId": w.profile_id},
        ),
    ),
    Operation(
        "withdrawSignUp (own)",
        PARTICIPANTS,
        scheduling_mutation(
            sched.WITHDRAW, "AgendaSession", lambda w, r: {"sessionId": w.joined_session_id}
        ),
    ),
    Operation(
        "declareAvailability (own)",
        PARTICIPANTS,
        scheduling_mutation(sched.DECLARE, "Attendance", own_availability),
    ),
    Operation(
        "rotateCalendarToken",
        PARTICIPANTS,
        scheduling_mutation(sched.ROTATE, "Attendance", lambda w, r: {"editionId": w.edition_id}),
    ),
    Operation(
        "checkIn",
        STAFF,
        scheduling_mutation(sched.CHECK_IN, "Attendance", lambda w, r: {"code": w.check_in_token}),
    ),
    Operation(
        "myAttendance", PARTICIPANTS, scheduling_read(sched.MY_ATTENDANCE, editionId="edition_id")
    ),
    Operation("myAgenda", PARTICIPANTS, scheduling_read(sched.MY_AGENDA, editionId="edition_id")),
    Operation(
        "myMeetings", PARTICIPANTS, scheduling_read(sched.MY_MEETINGS, editionId="edition_id")
    ),
    Operation("read a meeting", SIDES, scheduling_read(sched.MEETING, id="pair_meeting_id")),
    Operation(
        "editionMeetings", STAFF, scheduling_read(sched.EDITION_MEETINGS, editionId="edition_id")
    ),
    Operation("schedule", STAFF, scheduling_read(sched.SCHEDULE, editionId="edition_id")),
    Operation(
        "requestMeeting (own)",
        PARTICIPANTS,
        scheduling_mutation(sched.REQUEST_MEETING, "Meeting", own_request),
    ),
    Operation(
        "requestMeeting between others",
        STAFF,
        scheduling_mutation(sched.REQUEST_MEETING, "Meeting", arranged_request),
    ),
    Operation(
        "answerMeeting",
        STAFF | {"organisation"},
        scheduling_mutation(
            sched.ANSWER_MEETING, "Meeting", lambda w, r: {"id": w.requested[r], "accept": True}
        ),
    ),
    Operation(
        "setVideoLink",
        SIDES,
        scheduling_mutation(
            sched.SET_VIDEO_LINK,
            "Meeting",
            lambda w, r: {"id": w.mutual[r], "videoLink": "https://meet.example.cn/boyin"},
        ),
    ),
    Operation("recordMeetingOutcome", SIDES, record_outcome),
    Operation(
        "cancelMeeting",
        SIDES,
        scheduling_mutation(sched.CANCEL_MEETING, "Meeting", lambda w, r: {"id": w.mutual[r]}),
    ),
    Operation(
        "solveSchedule",
        STAFF,
        scheduling_mutation(sched.SOLVE, "Schedule", lambda w, r: {"editionId": w.edition_id}),
    ),
    Operation(
        "publishSchedule",
        STAFF,
        scheduling_mutation(
            sched.PUBLISH_SCHEDULE, "Schedule", lambda w, r: {"editionId": w.solved[r]}
        ),
    ),
    Operation(
        "repairSchedule",
        STAFF,
        scheduling_mutation(
            sched.REPAIR_SCHEDULE, "Schedule", lambda w, r: {"editionId": w.edition_id}
        ),
    ),
    Operation("subscribe mySchedule", PARTICIPANTS, row=my_schedule),
)


# -- agreements ---------------------------------------------------------------------------

AGREEMENT_SIDES = SIDES | {"officer"}
AGREEMENTS = f"""{{
  agreements(first: 20) {{
    __typename ... on AgreementConnection {{ edges {{ node {{ id }} }} }} {PROBLEM}
  }}
}}"""


def own_confirmation(world: World, role: str) -> dict[str, Any]:
    party = world.org_id if role == "organisation" else world.talent_id
    return {"id": world.drafted[role], "partyId": party}


def own_start(world: World, role: str) -> dict[str, Any]:
    return {
        "input": {
            "parties": [
                {"kind": "talent", "id": world.talent_id, "role": "TALENT"},
                {"kind": "organisation", "id": world.org_id, "role": "ORGANISATION"},
            ],
            "terms": {"districtCode": YUZHONG},
        }
    }


FUNNEL = f"{{ funnel(by: DISTRICT) {{ __typename ... on Funnel {{ by }} {PROBLEM} }} }}"
MANUAL_ORIGIN = AgreementOrigin(kind="MANUAL", match_id=None, meeting_id=None)
AGREEMENT_NEWS = "subscription { agreementNews { agreementId districtCode } }"


async def agreements_in_both_districts(world: World) -> None:
    """An agreement started in another district, then one in the officer's."""
    for agreement_id, district in (("ag_shapingba", SHAPINGBA), ("ag_yuzhong", YUZHONG)):
        await world.gateway.publish(
            *funnel_support.pipeline(
                agreement_id, ["INTENTION"], None, origin=MANUAL_ORIGIN, district=district
            )
        )


async def agreement_news(world: World) -> dict[str, str]:
    """An officer's first item is of their own district (the other district's came first)."""
    own = {"officer": YUZHONG, "other_officer": SHAPINGBA}

    def wanted(role: str, data: dict[str, Any]) -> bool:
        return role not in own or data["agreementNews"]["districtCode"] == own[role]

    return await feed_row(world, AGREEMENT_NEWS, agreements_in_both_districts, wanted)


AGREEMENT_OPERATIONS = (
    Operation("read an agreement", AGREEMENT_SIDES, scheduling_read(agr.GET, id="agreement_id")),
    Operation("agreements", AGREEMENT_SIDES, scheduling_read(AGREEMENTS)),
    Operation("editionRoster", SIGNED_IN, scheduling_read(agr.ROSTER, e="edition_id")),
    Operation("funnel", STAFF | {"officer", "other_officer"}, scheduling_read(FUNNEL)),
    Operation(
        "subscribe agreementNews",
        STAFF | {"investor", "officer", "other_officer"},
        row=agreement_news,
    ),
    Operation(
        "startAgreement (as a party)", SIDES, scheduling_mutation(agr.START, "Agreement", own_start)
    ),
    Operation(
        "confirmSignature (own)",
        SIDES,
        scheduling_mutation(agr.CONFIRM, "Agreement", own_confirmation),
    ),
    Operation(
        "followUpMilestone",
        STAFF | {"officer"},
        scheduling_mutation(
            agr.FOLLOW_UP, "Agreement", lambda w, r: {"id": w.agreement_id, "m": "ms_matrix"}
        ),
    ),
)


def seed_agreements(world: World, platform: FakePlatform) -> None:
    data = platform.agreements_data
    sides = [
        ("talent", world.talent_id, "TALENT"),
        ("organisation", world.org_id, "ORGANISATION"),
    ]
    made = agreement(sides, stage=AgreementStage.SIGNED, district_code=YUZHONG)
    milestone = MilestoneOut(
        id="ms_matrix",
        kind=MilestoneKind.FUNDS_RECEIVED,
        due=date(2027, 1, 1),
        label=None,
        required=True,
        reached_on=None,
        reached_by=None,
        follow_ups=[],
        overdue_announced=False,
    )
    data.add(made.model_copy(update={"milestones": [milestone]}))
    world.agreement_id = made.id
    for role in ROLES:
        draft = agreement(sides, stage=AgreementStage.DRAFTED, district_code=YUZHONG)
        data.add(draft)
        world.drafted[role] = draft.id


# -- the world ---------------------------------------------------------------------------


def seed_registry(world: World, platform: FakePlatform) -> None:
    registry = platform.registry_data
    world.talent_id, world.profile_id = "tal_matrix", "tal_profile"
    world.org_id, world.other_org_id, world.far_org_id = "org_matrix", "org_other", "org_far"
    registry.add(
        talent(world.talent_id),
        talent(world.profile_id),
        organisation(world.org_id, YUZHONG),
        organisation(world.other_org_id, YUZHONG),
        organisation(world.far_org_id, SHAPINGBA),
    )

    def org_demand(status: str = "SUBMITTED") -> str:
        made = demand(new_id("dem_"), world.org_id, status=status, district_code=YUZHONG)
        registry.add(made)
        return made.id

    world.unpublished_id = org_demand()
    for role in ROLES:
        world.erasable[role] = talent(new_id("tal_")).id
        registry.add(talent(world.erasable[role]))
        world.submitted[role] = org_demand()
        world.ready[role] = org_demand("UNDER_REVIEW")  # its claims confirmed

    # A published landing offer with a match waiting for an operator's review.
    world.matched_id = org_demand("PUBLISHED")
    match = MatchOut(
        match_id="mat_matrix",
        demand_id=world.matched_id,
        counterpart_demand_id="dem_project",
        counterpart_kind="talent",
        counterpart_party_id=world.talent_id,
        score=0.8,
        good_match=True,
        status="PENDING_REVIEW",
        my_response=None,
        source="auto",
        explanation=None,
    )
    platform.matching_data.matches[world.matched_id] = [match]
    platform.matching_data.queue.append(match)

    # The talent's project and the organisation said yes to each other: the registry
    # disclosed their contacts to each other; one more proposal per role to review.
    project = demand(new_id("dem_"), world.talent_id, channel="PROJECT_COOPERATION")
    registry.add(project.model_copy(update={"status": "PUBLISHED"}))
    world.project_id = project.id
    for party in (world.talent_id, world.org_id, world.other_org_id, world.profile_id):
        registry.contacts[party] = [
            ContactOut(name="联系人", email=f"{party}@matrix.example", phone=None, role=None)
        ]
    registry.disclosed |= {(world.talent_id, world.org_id), (world.org_id, world.talent_id)}
    for role in ROLES:
        offered = match.model_copy(update={"match_id": f"mat_review_{role}", "status": "PROPOSED"})
        platform.matching_data.matches.setdefault("dem_review_pool", []).append(offered)
        world.reviewable[role] = offered.match_id


async def seed_scheduling(world: World, platform: FakePlatform) -> None:
    data, registry = platform.scheduling_data, platform.registry_data

    def an_edition(status: str) -> str:
        made = edition(new_id("edi_"), status)
        data.add(made)
        return made.id

    def a_session() -> str:
        made = session(new_id("ses_"), world.edition_id)
        data.add(made)
        return made.id

    def a_talent() -> str:
        made = talent(new_id("tal_"))
        registry.add(made)
        return made.id

    def a_meeting(requester: str, invitee: tuple[str, str]) -> str:
        made = meeting(new_id("mee_"), world.edition_id, (requester, "talent"), invitee)
        data.add(made)
        return made.id

    world.edition_id = an_edition("OPEN")  # its agenda published
    world.session_id, world.joined_session_id = a_session(), a_session()
    data.sign_ups[world.joined_session_id] = {
        world.talent_id: "CONFIRMED",
        world.org_id: "CONFIRMED",
    }
    world.draft_edition_id = an_edition("DRAFT")
    for role in ROLES:
        world.drafts[role] = an_edition("DRAFT")
        world.opened[role] = an_edition("OPEN")
        world.solved[role] = an_edition("OPEN")
        data.timetables[(world.solved[role], "draft")] = TimetableDetailOut(
            placements=[], unscheduled=[]
        )
        world.cancellable_sessions[role] = a_session()

    org = (world.org_id, "organisation")
    world.pair_meeting_id = a_meeting(world.talent_id, org)
    accepted = data.meetings[world.pair_meeting_id].model_copy(update={"status": "ACCEPTED"})
    data.add(accepted)
    attendance = await sched.ok(
        world.url,
        world.tokens["organisation"],
        sched.MY_ATTENDANCE,
        "Attendance",
        editionId=world.edition_id,
    )
    world.check_in_token = attendance["checkInToken"]

    for role in ROLES:
        world.guests[role] = a_talent()
        world.requested[role] = a_meeting(a_talent(), org)  # another talent asks the org
        world.mutual[role] = (
            a_meeting(world.talent_id, (world.other_org_id, "organisation"))
            if role == "talent"
            else a_meeting(a_talent(), org)
        )


async def build(gateway: Gateway) -> World:
    world = World(gateway, await admin_token(gateway.url))
    seed_registry(world, gateway.platform)

    def token(account_id: str, role: Role, **more: str) -> str:
        return gateway.token(Actor(account_id, role, **more))

    world.tokens = {
        "anonymous": None,
        "talent": token("acc_talent", Role.TALENT, party_id=world.talent_id),
        "organisation": token("acc_org", Role.ORGANISATION, party_id=world.org_id),
        "officer": token("acc_yz", Role.DISTRICT_OFFICER, district_code=YUZHONG),
        "other_officer": token("acc_spb", Role.DISTRICT_OFFICER, district_code=SHAPINGBA),
        "investor": token("acc_investor", Role.INVESTOR),
        "mentor": token("acc_mentor", Role.MENTOR),
        "operator": token("acc_ops", Role.OPERATOR),
        "admin": world.admin,
    }
    await seed_scheduling(world, gateway.platform)
    seed_agreements(world, gateway.platform)
    return world


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def world(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[World]:
    """One gateway for the whole table (its rate limits off: many calls, one client)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024))
        data_dir: Path = tmp_path_factory.mktemp("matrix")
        async with gateway_server(
            data_dir, rate_limit_per_minute=0, rate_limit_anonymous_per_minute=0
        ) as gateway:
            yield await build(gateway)


ALL_OPERATIONS = (*OPERATIONS, *SCHEDULING_OPERATIONS, *AGREEMENT_OPERATIONS)


@pytest.mark.parametrize("operation", ALL_OPERATIONS, ids=[o.name for o in ALL_OPERATIONS])
async def test_each_role_may_do_exactly_what_the_rules_allow(
    world: World, operation: Operation
) -> None:
    expected = {role: ALLOWED if role in operation.allowed else DENIED for role in ROLES}
    got = await operation.outcomes(world)
    wrong = {
        role: f"{got[role]} (expected {expected[role]})"
        for role in ROLES
        if got[role] != expected[role]
    }
    assert not wrong, f"{operation.name}: {wrong}"
