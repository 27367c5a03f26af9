"""Mentors and screening through the gateway, on the in-memory fake of the mentors service
(``fake_mentors.py``): who may use which field (a role matrix), the blind mentor's view,
the rubric's refusals as result problems, the HTTP client's mapping, and a gateway
without a mentors service."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from boyin_gateway.clients import HttpServices, MentorsClient, ServiceError
from boyin_gateway.clients.mentors import NoMentors
from boyin_gateway.schema import schema
from boyin_shared.api.registry import DemandScreeningOut, ScreeningCriterionOut
from boyin_shared.identity import Actor, Role
from tests.apps import SECRET
from tests.gateway.fake_mentors import aggregated, mentor, screening
from tests.gateway.fake_records import demand
from tests.gateway.fakes import FakePlatform
from tests.gateway.harness import Gateway, gateway_server
from tests.gateway.support import PROBLEM
from tests.platform_harness import graphql

OWNER = "tal_00001"
ROLES: dict[str, Actor | None] = {
    "visitor": None,
    "owner": Actor("acc_owner", Role.TALENT, party_id=OWNER),
    "talent": Actor("acc_tal", Role.TALENT, party_id="tal_00002"),
    "organisation": Actor("acc_org", Role.ORGANISATION, party_id="org_00001"),
    "investor": Actor("acc_inv", Role.INVESTOR, party_id="org_00009"),
    "mentor": Actor("acc_m1", Role.MENTOR),
    "operator": Actor("acc_op", Role.OPERATOR),
    "admin": Actor("acc_ad", Role.ADMIN),
}
STAFF = {"operator", "admin"}
TASK = "screeningId demand { demandId title { en } } assignment { mentorId state dueAt } ownReview { total scores { criterion score comment } } otherReviews { mentorId total }"
SCORES = [
    {"criterion": c, "score": 4, "comment": "sound"}
    for c in ("NOVELTY_MATURITY", "MARKET_POTENTIAL", "TEAM", "CLUSTER_FIT", "READINESS_TO_LAND")
]
SUBMIT = f"""
mutation($id: ID!, $scores: [RubricScoreInput!]!) {{
  submitScreeningReview(screeningId: $id, scores: $scores) {{
    __typename ... on ScreeningTask {{ {TASK} }} {PROBLEM}
  }}
}}"""
# (name, document, variables, the field, who is allowed, what an allowed answer is)
OPERATIONS: list[tuple[str, str, dict[str, Any], str, set[str], str]] = [
    (
        "myMentorRecord",
        "{ myMentorRecord { id status versions { version } } }",
        {},
        "myMentorRecord",
        {"mentor"},
        "data",
    ),
    ("mentorQueue", f"{{ mentorQueue {{ {TASK} }} }}", {}, "mentorQueue", {"mentor"}, "data"),
    (
        "mentors",
        f"{{ mentors {{ __typename ... on MentorConnection {{ nodes {{ id }} }} {PROBLEM} }} }}",
        {},
        "mentors",
        STAFF,
        "MentorConnection",
    ),
    (
        "screeningBoard",
        f"{{ screeningBoard {{ __typename ... on ScreeningConnection {{ nodes {{ id ownerId }} }} {PROBLEM} }} }}",
        {},
        "screeningBoard",
        STAFF,
        "ScreeningConnection",
    ),
    ("overdueScreenings", "{ overdueScreenings { id } }", {}, "overdueScreenings", STAFF, "data"),
    (
        "demandScreeningResult",
        '{ demandScreeningResult(demandId: "dem_done") { reviews totalMean criteria { criterion mean spread } } }',
        {},
        "demandScreeningResult",
        {"owner", *STAFF},
        "data",
    ),
    (
        "approveMentor",
        f'mutation {{ approveMentor(id: "men_acc_new") {{ __typename ... on Mentor {{ id status }} {PROBLEM} }} }}',
        {},
        "approveMentor",
        STAFF,
        "Mentor",
    ),
    (
        "reassignScreening",
        f'mutation {{ reassignScreening(screeningId: "scr_dem_1", toMentorId: "men_acc_m2") {{ __typename ... on Screening {{ id }} {PROBLEM} }} }}',
        {},
        "reassignScreening",
        STAFF,
        "Screening",
    ),
    (
        "submitScreeningReview",
        SUBMIT,
        {"id": "scr_dem_1", "scores": SCORES},
        "submitScreeningReview",
        {"mentor"},
        "ScreeningTask",
    ),
    (
        "mentorRecord",
        '{ mentorRecord(id: "men_acc_m1") { id } }',
        {},
        "mentorRecord",
        STAFF,
        "data",
    ),
    (
        "screeningTask",
        '{ screeningTask(id: "scr_dem_1") { screeningId } }',
        {},
        "screeningTask",
        {"mentor"},
        "data",
    ),
    ("screening", '{ screening(id: "scr_dem_1") { id ownerId } }', {}, "screening", STAFF, "data"),
    (
        "applyAsMentor",
        f'mutation {{ applyAsMentor(input: {{name: "N"}}) {{ __typename ... on MentorRecord {{ id }} {PROBLEM} }} }}',
        {},
        "applyAsMentor",
        {"mentor"},
        "Conflict",  # the gateway lets the mentor through; the service: a record exists
    ),
    (
        "inviteMentor",
        f'mutation {{ inviteMentor(accountId: "acc_m9", input: {{name: "N"}}) {{ __typename ... on MentorRecord {{ id }} {PROBLEM} }} }}',
        {},
        "inviteMentor",
        STAFF,
        "MentorRecord",
    ),
    (
        "updateMentorProfile",
        f'mutation {{ updateMentorProfile(id: "men_acc_m1", input: {{name: "N"}}) {{ __typename ... on MentorRecord {{ id }} {PROBLEM} }} }}',
        {},
        "updateMentorProfile",
        {"mentor", *STAFF},
        "MentorRecord",
    ),
    (
        "suspendMentor",
        f'mutation {{ suspendMentor(id: "men_acc_m2", reason: "r") {{ __typename ... on Mentor {{ id }} {PROBLEM} }} }}',
        {},
        "suspendMentor",
        STAFF,
        "Mentor",
    ),
    (
        "retireMentor",
        f'mutation {{ retireMentor(id: "men_acc_m2", reason: "r") {{ __typename ... on Mentor {{ id }} {PROBLEM} }} }}',
        {},
        "retireMentor",
        STAFF,
        "Mentor",
    ),
]


def seed(platform: FakePlatform) -> None:
    data = platform.mentors_data
    for m in (mentor("acc_m1"), mentor("acc_m2"), mentor("acc_new", status="APPLIED")):  # type: ignore[arg-type]
        data.mentors[m.id] = m
    data.screenings["scr_dem_1"] = screening("dem_1", OWNER, ["men_acc_m1"])
    data.screenings["scr_dem_done"] = aggregated(screening("dem_done", OWNER, ["men_acc_m1"]))


def token(gateway: Gateway, role: str) -> str | None:
    actor = ROLES[role]
    return gateway.token(actor) if actor else None


@pytest.mark.parametrize("operation", OPERATIONS, ids=[o[0] for o in OPERATIONS])
async def test_the_role_matrix(
    tmp_path: Path, operation: tuple[str, str, dict[str, Any], str, set[str], str]
) -> None:
    name, document, variables, field, allowed, success = operation
    platform = FakePlatform()
    seed(platform)
    async with gateway_server(tmp_path, platform=platform) as gateway:
        for role in ROLES:
            answer = (await graphql(gateway.url, document, token(gateway, role), **variables))[
                field
            ]
            if role in allowed:
                if success == "data":
                    assert answer, (name, role, answer)
                else:
                    assert answer["__typename"] == success, (name, role, answer)
            elif success == "data":
                assert answer is None, (name, role, answer)
            else:
                assert answer["__typename"] in ("Forbidden", "NotFound"), (name, role, answer)
                assert answer["message"]["zh"] and answer["message"]["en"]
            seed(platform)  # a mutation allowed once leaves the next role the same world


def test_a_mentor_is_never_shown_the_owner() -> None:
    task = schema.get_type_by_name("ScreeningTask")
    demand = schema.get_type_by_name("ScreenedDemand")
    assert task is not None and demand is not None
    names = {f.name for f in task.fields} | {f.name for f in demand.fields}  # type: ignore[union-attr]
    assert not names & {"ownerId", "owner", "contact", "email"}


async def test_bad_reviews_are_answered_as_problems(tmp_path: Path) -> None:
    platform = FakePlatform()
    seed(platform)
    async with gateway_server(tmp_path, platform=platform) as gateway:
        me = token(gateway, "mentor")
        bad = [dict(s, score=7) if s["criterion"] == "TEAM" else s for s in SCORES]
        answer = (await graphql(gateway.url, SUBMIT, me, id="scr_dem_1", scores=bad))[
            "submitScreeningReview"
        ]
        assert answer["__typename"] == "InvalidInput" and answer["code"] == "VALIDATION_FAILED"
        assert [(f["field"], f["code"]) for f in answer["fields"]] == [
            ("scores.TEAM.score", "OUT_OF_RANGE")
        ]
        done = (await graphql(gateway.url, SUBMIT, me, id="scr_dem_1", scores=SCORES))[
            "submitScreeningReview"
        ]
        assert done["ownReview"]["total"] == 20 and done["otherReviews"] == []
        again = (await graphql(gateway.url, SUBMIT, me, id="scr_dem_1", scores=SCORES))[
            "submitScreeningReview"
        ]
        assert (again["__typename"], again["code"]) == ("Conflict", "ALREADY_SUBMITTED")
        missing = (await graphql(gateway.url, SUBMIT, me, id="scr_nope", scores=SCORES))[
            "submitScreeningReview"
        ]
        assert missing["__typename"] == "NotFound"


async def test_without_a_mentors_service_its_fields_say_so(tmp_path: Path) -> None:
    services = HttpServices.open(
        {
            "registry": "http://127.0.0.1:9",
            "matching": "http://127.0.0.1:9",
            "scheduling": "http://127.0.0.1:9",
        },
        SECRET,
    )
    assert services.mentors_pool is None
    assert isinstance(services.mentors(ROLES["operator"]), NoMentors)  # type: ignore[arg-type]
    await services.close()

    class WithoutMentors(FakePlatform):
        def mentors(self, actor: Actor) -> NoMentors:  # type: ignore[override]
            return NoMentors(actor)

    async with gateway_server(tmp_path, platform=WithoutMentors()) as gateway:
        staff = token(gateway, "operator")
        assert (await graphql(gateway.url, "{ overdueScreenings { id } }", staff))[
            "overdueScreenings"
        ] is None
        document = f'mutation {{ approveMentor(id: "men_x") {{ __typename {PROBLEM} }} }}'
        answer = (await graphql(gateway.url, document, staff))["approveMentor"]
        assert answer["code"] == "SERVICE_UNAVAILABLE" and "mentors" in answer["message"]["en"]


async def test_the_http_client_maps_the_services_answers() -> None:
    made = screening("dem_1", OWNER, ["men_acc_m1"])
    seen: list[tuple[str, str]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append((request.method, request.url.path))
        if request.url.path.endswith("/reassign"):
            error = {"code": "MENTOR_UNSUITABLE", "message": {"zh": "不可", "en": "no"}}
            return httpx.Response(409, json={"error": error})
        return httpx.Response(
            200, json={"items": [made.model_dump(mode="json")], "next_after": None}
        )

    pool = httpx.AsyncClient(base_url="http://mentors", transport=httpx.MockTransport(answer))
    client = MentorsClient(pool, SECRET, Actor("acc_op", Role.OPERATOR))
    page = await client.screenings(status=None, after=None, limit=5)
    assert page.items == [made]
    with pytest.raises(ServiceError) as refused:
        await client.reassign("scr_dem_1", {"to_mentor_id": "men_x"})
    assert (refused.value.status, refused.value.error.code) == (409, "MENTOR_UNSUITABLE")
    await pool.aclose()
    assert seen == [("GET", "/screenings"), ("POST", "/screenings/scr_dem_1/reassign")]


async def test_reviewers_see_the_screening_beside_the_demand(tmp_path: Path) -> None:
    """The registry keeps the aggregate beside the demand: its owner, the district officer
    of its district and staff see it on the demand; a published demand's other readers
    do not."""
    platform = FakePlatform()
    platform.registry_data.add(
        demand(
            "dem_00001",
            OWNER,
            channel="PROJECT_COOPERATION",
            status="PUBLISHED",
            district_code="500103",
        )
    )
    platform.registry_data.screenings["dem_00001"] = DemandScreeningOut(
        demand_id="dem_00001",
        reviews=2,
        criteria=[ScreeningCriterionOut(criterion="TEAM", mean=4.5, spread=1)],
        total_mean=20.0,
        total_spread=2,
        score=80,
        aggregated_at=datetime(2026, 9, 1, tzinfo=UTC),
    )
    query = '{ demand(id: "dem_00001") { id screening { reviews totalMean score criteria { criterion mean spread } } } }'
    officer = Actor("acc_d", Role.DISTRICT_OFFICER, district_code="500103")
    async with gateway_server(tmp_path, platform=platform) as gateway:
        for who, sees in (
            (ROLES["owner"], True),
            (officer, True),
            (ROLES["operator"], True),
            (ROLES["talent"], False),
            (None, False),
        ):
            found = (await graphql(gateway.url, query, gateway.token(who) if who else None))[
                "demand"
            ]
            assert found["id"] == "dem_00001"
            if sees:
                assert found["screening"]["score"] == 80, who
                assert found["screening"]["criteria"] == [
                    {"criterion": "TEAM", "mean": 4.5, "spread": 1}
                ]
            else:
                assert found["screening"] is None, who


async def test_consultations_through_the_gateway(tmp_path: Path) -> None:
    platform = FakePlatform()
    seed(platform)
    book = f"""
    mutation {{ bookConsultation(mentorId: "men_acc_m1", editionId: "2026", slotId: "s0",
                                 topic: "landing") {{
      __typename ... on Consultation {{ id status mode slotId }} {PROBLEM} }} }}"""
    async with gateway_server(tmp_path, platform=platform) as gateway:
        owner, mentor_token = token(gateway, "owner"), token(gateway, "mentor")
        made = (await graphql(gateway.url, book, owner))["bookConsultation"]
        assert (made["__typename"], made["status"], made["mode"]) == (
            "Consultation",
            "BOOKED",
            "ONLINE",
        )
        taken = (await graphql(gateway.url, book, owner))["bookConsultation"]
        assert (taken["__typename"], taken["code"]) == ("Conflict", "SLOT_TAKEN")
        visitor = (await graphql(gateway.url, book, None))["bookConsultation"]
        assert (visitor["__typename"], visitor["code"]) == ("Forbidden", "SIGN_IN_REQUIRED")
        note = f"""
        mutation($id: ID!) {{ addGuidanceNote(id: $id, text: "Meet the fund.") {{
          __typename ... on Consultation {{ notes {{ text }} }} {PROBLEM} }} }}"""
        refused = (await graphql(gateway.url, note, owner, id=made["id"]))["addGuidanceNote"]
        assert refused["__typename"] == "Forbidden"
        noted = (await graphql(gateway.url, note, mentor_token, id=made["id"]))["addGuidanceNote"]
        assert noted["notes"] == [{"text": "Meet the fund."}]
        mine = "{ myConsultations { id notes { text } } }"
        assert (await graphql(gateway.url, mine, owner))["myConsultations"][0]["notes"] == [
            {"text": "Meet the fund."}
        ]
        assert (await graphql(gateway.url, mine, token(gateway, "talent")))["myConsultations"] == []
        assert (await graphql(gateway.url, mine, None))["myConsultations"] is None

        move = f"""
        mutation($id: ID!) {{ moveConsultation(id: $id, slotId: "s1") {{
          __typename ... on Consultation {{ id slotId status }} {PROBLEM} }} }}"""
        moved = (await graphql(gateway.url, move, owner, id=made["id"]))["moveConsultation"]
        assert (moved["id"], moved["slotId"], moved["status"]) == (made["id"], "s1", "BOOKED")
        cancel = f"""
        mutation($id: ID!, $reason: String!) {{ cancelConsultation(id: $id, reason: $reason) {{
          __typename ... on Consultation {{ status cancelledBy cancelReason }} {PROBLEM} }} }}"""
        no_reason = (await graphql(gateway.url, cancel, owner, id=made["id"], reason=" "))[
            "cancelConsultation"
        ]
        assert no_reason["__typename"] == "InvalidInput"
        assert [(f["field"], f["code"]) for f in no_reason["fields"]] == [("reason", "REQUIRED")]
        assert no_reason["fields"][0]["message"]["zh"] == "请说明取消原因"
        gone = (await graphql(gateway.url, cancel, mentor_token, id=made["id"], reason="ill"))[
            "cancelConsultation"
        ]
        assert gone == {
            "__typename": "Consultation",
            "status": "CANCELLED",
            "cancelledBy": "MENTOR",
            "cancelReason": "ill",
        }
