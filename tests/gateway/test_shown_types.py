"""The registry's and matching's answers as the GraphQL types show them (``schema.execute``
on the fakes): every field of a demand (each channel's details), an organisation, a talent
and a match, read from the services' own API models with the renames, dates and notes
the schema has always had."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from graphql import ExecutionResult

from boyin_gateway.accounts.service import Accounts
from boyin_gateway.context import Context
from boyin_gateway.feeds import Feeds
from boyin_gateway.schema import match_operations, schema
from boyin_shared.api.agreements import AgreementStage
from boyin_shared.api.matching import (
    ExplanationLineOut,
    ExplanationOut,
    JobOut,
    MatchOut,
    MeetingOutcomeOut,
    NoGoodMatchOut,
)
from boyin_shared.api.registry import Channel, DemandAttachmentOut
from boyin_shared.identity import Actor, Role
from boyin_shared.store.sqlite import SqliteStore
from tests.gateway.fake_agreements import agreement
from tests.gateway.fake_records import NOW, demand, organisation, talent
from tests.gateway.fakes import FakePlatform
from tests.gateway.harness import JWT_SECRET

OPERATOR = Actor("acc_op", Role.OPERATOR)

DETAILS = """
details {
  __typename
  ... on ProjectCooperationDetails { stage trl ipStatus sought fundingSoughtWan teamSize }
  ... on JobSeekingDetails { desiredRole workMode earliestStart salaryMinWan salaryMaxWan }
  ... on ProjectLandingDetails { cooperationModes budgetWan facilities policies wantedStage }
  ... on TalentRecruitmentDetails {
    positions degreeRequired workMode package locationDistrict
  }
}"""
DEMAND = f"""query($id: ID!) {{ demand(id: $id) {{
  id channel ownerId districtCode status language taxonomyCodes keywords editions
  title {{ zh en }} description {{ zh en }}
  claims {{ criterion evidence evidenceFile review reviewNote }}
  {DETAILS}
  attachments {{ id name contentType size downloadPath }}
  expiresOn history {{ to role at reason }} revision externalRef updatedAt
  owner {{ __typename ... on Organisation {{ id }} ... on Talent {{ id }} }}
}} }}"""
PARTIES = """query($org: ID!, $tal: ID!) {
  organisation(id: $org) {
    id name { zh en } kind districtCode creditCode platforms { level name } taxonomyCodes
    description { zh en } revision registeredAt updatedAt
  }
  talent(id: $tal) {
    id name { zh en } degree field { zh en } institution { zh en } country timezone
    languages taxonomyCodes
  }
}"""
MATCHES = """query($id: ID!) { matches(demandId: $id) {
  id demandId counterpartDemandId counterpartKind counterpartPartyId score goodMatch status
  myResponse source
  explanation {
    reasons { code zh en } mismatches { code zh en }
    congestionNote { zh en } reliabilityNote { zh en }
  }
  meeting { meetingId outcome absentPartyIds }
  agreement { id stage signedAt origin { kind matchId } }
} }"""


class Run:
    def __init__(self, platform: FakePlatform, accounts: Accounts) -> None:
        self.platform = platform
        self.accounts = accounts

    async def __call__(self, document: str, **variables: Any) -> Any:
        context = Context(self.platform, self.accounts, OPERATOR, Feeds())
        result = await schema.execute(document, variable_values=variables, context_value=context)
        assert result.errors is None, result.errors
        assert result.data is not None
        return result.data


@pytest.fixture
async def run(tmp_path: Path) -> AsyncIterator[Run]:
    platform = FakePlatform()
    platform.registry_data.add(organisation("org_1", "500103"), talent("tal_1"))
    store = SqliteStore(tmp_path / "gateway.sqlite")
    yield Run(platform, Accounts(store, JWT_SECRET))
    await store.close()


async def test_a_demand_shows_every_field_with_its_dates_as_iso_strings(run: Run) -> None:
    made = demand("dem_1", "org_1", status="PUBLISHED", district_code="500103").model_copy(
        update={
            "attachments": [
                DemandAttachmentOut(
                    id="att/1", name="plan.pdf", content_type="application/pdf", size=3
                )
            ],
            "expires_on": date(2026, 12, 31),
            "external_ref": "ROW-7",
        }
    )
    run.platform.registry_data.add(made)
    shown = (await run(DEMAND, id="dem_1"))["demand"]
    assert shown == {
        "id": "dem_1",
        "channel": "PROJECT_LANDING",
        "ownerId": "org_1",
        "districtCode": "500103",
        "status": "PUBLISHED",
        "language": "zh",
        "taxonomyCodes": ["C33-L3"],
        "keywords": [],
        "editions": ["CQ2026"],
        "title": {"zh": "需求", "en": "Demand dem_1"},
        "description": {"zh": "说明", "en": "Description"},
        "claims": [
            {
                "criterion": "KEY_PLATFORMS",
                "evidence": None,
                "evidenceFile": None,
                "review": "PENDING",
                "reviewNote": None,
            }
        ],
        "details": {
            "__typename": "ProjectLandingDetails",
            "cooperationModes": ["TECH_TRANSFER"],
            "budgetWan": 500,
            "facilities": None,
            "policies": None,
            "wantedStage": "PILOT",
        },
        "attachments": [
            {
                "id": "att/1",
                "name": "plan.pdf",
                "contentType": "application/pdf",
                "size": 3,
                "downloadPath": "/files/attachments/att%2F1",
            }
        ],
        "expiresOn": "2026-12-31",
        "history": [],
        "revision": 1,
        "externalRef": "ROW-7",
        "updatedAt": NOW.isoformat(),
        "owner": {"__typename": "Organisation", "id": "org_1"},
    }


@pytest.mark.parametrize(
    ("channel", "details", "shown"),
    [
        (
            "PROJECT_COOPERATION",
            {
                "stage": "PROTOTYPE",
                "trl": 5,
                "ip_status": "GRANTED",
                "sought": ["JOINT_RD"],
                "funding_sought_wan": None,
                "team_size": 1,
            },
            {
                "__typename": "ProjectCooperationDetails",
                "stage": "PROTOTYPE",
                "trl": 5,
                "ipStatus": "GRANTED",
                "sought": ["JOINT_RD"],
                "fundingSoughtWan": None,
                "teamSize": 1,
            },
        ),
        (
            "JOB_SEEKING",
            {
                "desired_role": "研究员",
                "work_mode": "FLEXIBLE",
                "earliest_start": "2026-10-01",
                "salary_min_wan": 30,
                "salary_max_wan": None,
            },
            {
                "__typename": "JobSeekingDetails",
                "desiredRole": "研究员",
                "workMode": "FLEXIBLE",
                "earliestStart": "2026-10-01",
                "salaryMinWan": 30,
                "salaryMaxWan": None,
            },
        ),
        (
            "TALENT_RECRUITMENT",
            {
                "positions": 2,
                "degree_required": "PHD",
                "work_mode": "FULL_TIME",
                "package": None,
                "location_district": "500103",
            },
            {
                "__typename": "TalentRecruitmentDetails",
                "positions": 2,
                "degreeRequired": "PHD",
                "workMode": "FULL_TIME",
                "package": None,
                "locationDistrict": "500103",
            },
        ),
    ],
    ids=["cooperation", "job", "recruitment"],
)
async def test_each_channels_details_are_shown_as_its_type(
    run: Run, channel: str, details: dict[str, object], shown: dict[str, object]
) -> None:
    made = demand("dem_2", "tal_1", channel="PROJECT_COOPERATION")
    answer = {"channel": Channel(channel), "details": {"channel": channel, **details}}
    run.platform.registry_data.add(made.model_copy(update=answer))
    assert (await run(f'{{ demand(id: "dem_2") {{ {DETAILS} }} }}'))["demand"]["details"] == shown


async def test_organisations_and_talents_show_their_public_fields(run: Run) -> None:
    shown = await run(PARTIES, org="org_1", tal="tal_1")
    assert shown["organisation"] == {
        "id": "org_1",
        "name": {"zh": "机构org_1", "en": "Organisation org_1"},
        "kind": "ENTERPRISE",
        "districtCode": "500103",
        "creditCode": "91500103MA00org_1",
        "platforms": [],
        "taxonomyCodes": ["C33-L3"],
        "description": {"zh": "传感器材料", "en": "Sensor materials"},
        "revision": 1,
        "registeredAt": NOW.isoformat(),
        "updatedAt": NOW.isoformat(),
    }
    assert shown["talent"] == {
        "id": "tal_1",
        "name": {"zh": "李伟", "en": "Talent tal_1"},
        "degree": "POSTDOC",
        "field": {"zh": "材料", "en": "Materials science"},
        "institution": {"zh": "亚琛工业大学", "en": "RWTH Aachen University"},
        "country": "DE",
        "timezone": "Europe/Berlin",
        "languages": ["zh", "en"],
        "taxonomyCodes": ["C33-L3"],
    }


async def test_a_match_shows_its_explanation_meeting_and_agreement(run: Run) -> None:
    run.platform.registry_data.add(demand("dem_3", "org_1", district_code="500103"))
    run.platform.matching_data.matches["dem_3"] = [
        MatchOut(
            match_id="mat_1",
            demand_id="dem_3",
            counterpart_demand_id="dem_9",
            counterpart_kind="talent",
            counterpart_party_id="tal_1",
            score=0.75,
            good_match=True,
            status="MUTUAL",
            my_response="YES",
            source="auto",
            explanation=ExplanationOut(
                reasons=[
                    ExplanationLineOut(code="SAME_CLUSTER", zh="领域相同。", en="Same field.")
                ],
                mismatches=[
                    ExplanationLineOut(
                        code="BUDGET_BELOW_SOUGHT", zh="预算不足。", en="The budget is short."
                    )
                ],
                capped_note={"zh": "已限流", "en": "Held back"},
            ),
            meeting=MeetingOutcomeOut(meeting_id="mee_1", outcome="HELD", absent=["org_1"]),
        )
    ]
    signed = agreement(
        [("talent", "tal_1", "TALENT"), ("organisation", "org_1", "ORGANISATION")],
        stage=AgreementStage.SIGNED,
        match_id="mat_1",
    )
    run.platform.agreements_data.add(signed)
    (shown,) = (await run(MATCHES, id="dem_3"))["matches"]
    assert shown == {
        "id": "mat_1",
        "demandId": "dem_3",
        "counterpartDemandId": "dem_9",
        "counterpartKind": "talent",
        "counterpartPartyId": "tal_1",
        "score": 0.75,
        "goodMatch": True,
        "status": "MUTUAL",
        "myResponse": "YES",
        "source": "auto",
        "explanation": {
            "reasons": [{"code": "SAME_CLUSTER", "zh": "领域相同。", "en": "Same field."}],
            "mismatches": [
                {"code": "BUDGET_BELOW_SOUGHT", "zh": "预算不足。", "en": "The budget is short."}
            ],
            "congestionNote": {"zh": "已限流", "en": "Held back"},
            "reliabilityNote": None,
        },
        "meeting": {"meetingId": "mee_1", "outcome": "HELD", "absentPartyIds": ["org_1"]},
        "agreement": {
            "id": signed.id,
            "stage": "SIGNED",
            "signedAt": "2026-09-01T09:00:00+00:00",
            "origin": {"kind": "MATCH", "matchId": "mat_1"},
        },
    }


async def test_the_rematch_job_shows_its_progress_and_starts_once(run: Run) -> None:
    """``rematchJob`` shows matching's progress as it reports it (its state as the
    ``RematchState`` enum); ``startRematch`` answers the job running."""
    run.platform.matching_data.job = JobOut(state="failed", total=10, done=4, error="killed")
    job = "{ rematchJob { state total done error } }"
    assert (await run(job))["rematchJob"] == {
        "state": "FAILED",
        "total": 10,
        "done": 4,
        "error": "killed",
    }
    started = "mutation { startRematch { __typename ... on RematchJob { state done } } }"
    for _ in range(2):  # one running is not started again
        assert (await run(started))["startRematch"] == {
            "__typename": "RematchJob",
            "state": "RUNNING",
            "done": 0,
        }
    assert (await run(job))["rematchJob"]["state"] == "RUNNING"


async def test_demands_without_a_good_match_show_for_operators(run: Run) -> None:
    run.platform.matching_data.without_good_match = [
        NoGoodMatchOut(
            demand_id="dem_5", channel="PROJECT_LANDING", owner_id="org_1", best_score=None
        ),
        NoGoodMatchOut(demand_id="dem_6", channel="JOB_SEEKING", owner_id="tal_1", best_score=0.61),
    ]
    found = await run("{ demandsWithoutGoodMatch { demandId channel ownerId bestScore } }")
    assert found["demandsWithoutGoodMatch"] == [
        {"demandId": "dem_5", "channel": "PROJECT_LANDING", "ownerId": "org_1", "bestScore": None},
        {"demandId": "dem_6", "channel": "JOB_SEEKING", "ownerId": "tal_1", "bestScore": 0.61},
    ]


async def test_operators_follow_the_rematch_job_by_subscription(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``rematchProgress`` reports the job while it runs and ends with its last state;
    it is for staff only."""
    monkeypatch.setattr(match_operations, "PROGRESS_EVERY", 0.01)
    data = run.platform.matching_data
    data.job = JobOut(state="running", total=10, done=4, error=None)
    document = "subscription { rematchProgress { state total done } }"
    context = Context(run.platform, run.accounts, OPERATOR, Feeds())
    stream = await schema.subscribe(document, context_value=context)
    assert not isinstance(stream, ExecutionResult)
    seen = []
    async for result in stream:
        assert result.errors is None and result.data is not None
        seen.append(result.data["rematchProgress"])
        data.job = JobOut(state="done", total=10, done=10, error=None)
    assert seen == [
        {"state": "RUNNING", "total": 10, "done": 4},
        {"state": "DONE", "total": 10, "done": 10},
    ]
    talent = Context(
        run.platform, run.accounts, Actor("acc_t", Role.TALENT, party_id="tal_1"), Feeds()
    )
    refused = await schema.subscribe(document, context_value=talent)
    if isinstance(refused, ExecutionResult):
        assert refused.errors
    else:
        results = [r async for r in refused]
        assert results and results[0].errors and "Staff only" in results[0].errors[0].message
