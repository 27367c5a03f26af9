"""The agreements service through its HTTP API, on the service host: the pipeline from an
intention to landed, bad input, who may see and do what, the intention a mutual match
offers (once), and the overdue job announcing once."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import cast

from boyin_agreements.agreements.service import AgreementCommands, today
from boyin_shared.contracts.agreements import (
    AgreementCreated,
    AgreementLanded,
    AgreementSigned,
    MilestoneOverdue,
)
from boyin_shared.contracts.matching import MatchMutuallyAccepted, MatchParty, MutualMatch
from boyin_shared.contracts.scheduling import (
    MeetingChange,
    MeetingHeld,
    MeetingParty,
    MeetingSnapshot,
)
from tests.agreements.service_support import (
    DISTRICT,
    EDITION,
    OFFICER,
    ORG,
    OTHER_OFFICER,
    PARTIES,
    STRANGER,
    TALENT,
    TERMS,
    agreements_service,
    day,
    field_codes,
    ok,
    refusal,
    signed,
)
from tests.apps import Service


def commands(s: Service) -> AgreementCommands:
    return cast(AgreementCommands, s.r.hosts["agreements"].app.state.service.agreements)


async def test_the_pipeline_from_intention_to_landed(tmp_path: Path) -> None:
    async with agreements_service(tmp_path) as s:
        a = await signed(s)
        aid = a["id"]
        assert [h["to_stage"] for h in a["history"]] == [
            "INTENTION",
            "NEGOTIATING",
            "DRAFTED",
            "SIGNED",
        ]
        assert a["history"][-1]["by"] == ORG.account_id
        assert {c["party_id"] for c in a["confirmations"]} == {"tal_1", "org_1"}
        assert a["terms"]["amounts"]["CONTRACT_VALUE"] == {
            "amount": "15000000.00",
            "currency": "CNY",
        }
        planned = ok(
            await s.api.post(
                f"/agreements/{aid}/milestones",
                json={"kind": "COMPANY_REGISTERED", "due": day(30)},
            )
        )
        mid = planned["milestones"][0]["id"]
        ok(await s.api.post(f"/agreements/{aid}/advance", json={"to": "IMPLEMENTING"}))
        noted = ok(
            await s.call(
                OFFICER,
                "POST",
                f"/agreements/{aid}/milestones/{mid}/follow-ups",
                {"note": "营业执照已受理"},
            )
        )
        assert noted["milestones"][0]["follow_ups"][0]["by"] == OFFICER.account_id
        ok(
            await s.call(
                TALENT,
                "POST",
                f"/agreements/{aid}/milestones/{mid}/reached",
                {"reached_on": day()},
            )
        )
        landed = ok(await s.call(ORG, "POST", f"/agreements/{aid}/advance", {"to": "LANDED"}))
        assert landed["stage"] == "LANDED"
        assert ok(await s.api.get(f"/agreements/{aid}"))["stage"] == "LANDED"
        await s.until_published(AgreementLanded, 1)
        assert len(await s.until_published(AgreementSigned, 1)) == 1
        roster = ok(await s.api.get(f"/editions/{EDITION}/roster"))
        assert [(r["order"], r["agreement_id"], r["headline"]) for r in roster] == [
            (1, aid, "CNY 15,000,000.00")
        ]


async def test_signing_needs_every_party_and_no_stage_is_skipped(tmp_path: Path) -> None:
    async with agreements_service(tmp_path) as s:
        a = ok(await s.api.post("/agreements", json={"parties": PARTIES, "terms": TERMS}), 201)
        aid = a["id"]
        skipped = refusal(
            await s.api.post(f"/agreements/{aid}/advance", json={"to": "DRAFTED"}),
            409,
            "STAGE_SKIPPED",
        )
        assert field_codes(skipped) == {"stage": "SKIPPED"}
        ok(await s.api.post(f"/agreements/{aid}/advance", json={"to": "NEGOTIATING"}))
        ok(await s.api.post(f"/agreements/{aid}/advance", json={"to": "DRAFTED"}))
        ok(await s.call(TALENT, "POST", f"/agreements/{aid}/confirm", {"party_id": "tal_1"}))
        missing = refusal(
            await s.api.post(f"/agreements/{aid}/advance", json={"to": "SIGNED"}),
            409,
            "SIGNATURES_MISSING",
        )
        assert field_codes(missing) == {"confirmations.org_1": "NOT_CONFIRMED"}
        # a party confirms only its own signature
        refusal(
            await s.call(TALENT, "POST", f"/agreements/{aid}/confirm", {"party_id": "org_1"}),
            403,
            "FORBIDDEN",
        )
        assert ok(await s.api.get(f"/agreements/{aid}"))["stage"] == "DRAFTED"


async def test_bad_amounts_are_refused_naming_the_field_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    async with agreements_service(tmp_path) as s:
        terms = TERMS | {
            "amounts": {
                "CONTRACT_VALUE": {"amount": "-5", "currency": "CNY"},
                "INVESTMENT": {"amount": "100"},
            }
        }
        error = refusal(
            await s.api.post("/agreements", json={"parties": PARTIES, "terms": terms}),
            422,
            "VALIDATION_FAILED",
        )
        assert field_codes(error) == {
            "amounts.contract_value.amount": "NEGATIVE",
            "amounts.investment.currency": "REQUIRED",
        }
        unknown = refusal(
            await s.api.post("/agreements", json={"parties": PARTIES, "terms": {"nope": 1}}),
            422,
            "VALIDATION_FAILED",
        )
        assert "terms.nope" in field_codes(unknown)
        assert ok(await s.api.get("/agreements"))["items"] == []


async def test_a_milestone_due_before_the_signature_is_refused(tmp_path: Path) -> None:
    async with agreements_service(tmp_path) as s:
        a = await signed(s)
        error = refusal(
            await s.api.post(
                f"/agreements/{a['id']}/milestones",
                json={"kind": "FUNDS_RECEIVED", "due": day(-1)},
            ),
            422,
            "VALIDATION_FAILED",
        )
        assert list(field_codes(error)) == ["due"]


async def test_who_sees_and_does_what(tmp_path: Path) -> None:
    async with agreements_service(tmp_path) as s:
        a = await signed(s)
        aid = a["id"]
        for viewer in (TALENT, ORG, OFFICER):
            assert ok(await s.call(viewer, "GET", f"/agreements/{aid}"))["id"] == aid
            listed = ok(await s.call(viewer, "GET", "/agreements"))["items"]
            assert [x["id"] for x in listed] == [aid]
        for outsider in (STRANGER, OTHER_OFFICER):
            refusal(await s.call(outsider, "GET", f"/agreements/{aid}"), 404, "NOT_FOUND")
            assert ok(await s.call(outsider, "GET", "/agreements"))["items"] == []
            refusal(
                await s.call(outsider, "POST", f"/agreements/{aid}/terminate", {"reason": "x"}),
                404,
                "NOT_FOUND",
            )
        # a party starts only an agreement it is part of; the roster is the staff's
        refusal(
            await s.call(STRANGER, "POST", "/agreements", {"parties": PARTIES, "terms": TERMS}),
            403,
            "FORBIDDEN",
        )
        refusal(await s.call(ORG, "GET", f"/editions/{EDITION}/roster"), 403, "FORBIDDEN")
        # the landing district's officer follows up; a party does not
        mid = ok(
            await s.api.post(
                f"/agreements/{aid}/milestones", json={"kind": "TEAM_ARRIVED", "due": day(9)}
            )
        )["milestones"][0]["id"]
        refusal(
            await s.call(
                ORG, "POST", f"/agreements/{aid}/milestones/{mid}/follow-ups", {"note": "ok"}
            ),
            403,
            "FORBIDDEN",
        )
        assert ok(await s.call(OFFICER, "GET", f"/agreements?district_code={DISTRICT}"))["items"]


async def test_a_mutual_match_offers_one_intention_however_often_it_comes(
    tmp_path: Path,
) -> None:
    async with agreements_service(tmp_path) as s:
        event = MatchMutuallyAccepted.create(
            subject="mat_1",
            data=MutualMatch(
                match_id="mat_1",
                first=MatchParty(party_kind="talent", party_id="tal_1", demand_id="dem_t"),
                second=MatchParty(party_kind="organisation", party_id="org_1", demand_id="dem_o"),
                score=0.9,
            ),
        )
        two_talents = MatchMutuallyAccepted.create(
            subject="mat_2",
            data=MutualMatch(
                match_id="mat_2",
                first=MatchParty(party_kind="talent", party_id="tal_1", demand_id="dem_t"),
                second=MatchParty(party_kind="talent", party_id="tal_2", demand_id="dem_x"),
                score=0.5,
            ),
        )
        await s.r.bus.publish([event])
        await s.r.bus.publish([event, two_talents])
        await s.r.bus.publish([MatchMutuallyAccepted.create(subject="m", data=event.data)])
        created = await s.until_published(AgreementCreated, 1)
        await asyncio.sleep(0.5)
        assert len(s.published.of(AgreementCreated)) == 1 == len(created)
        listed = ok(await s.api.get("/agreements"))["items"]
        assert [(x["id"], x["stage"], x["origin"]["match_id"]) for x in listed] == [
            ("ag_match_mat_1", "INTENTION", "mat_1")
        ]
        assert [p["demand_id"] for p in listed[0]["parties"]] == ["dem_t", "dem_o"]


async def test_the_overdue_job_announces_each_milestone_once(tmp_path: Path) -> None:
    async with agreements_service(tmp_path) as s:
        a = await signed(s)
        ok(
            await s.api.post(
                f"/agreements/{a['id']}/milestones",
                json={"kind": "FUNDS_RECEIVED", "due": day()},
            )
        )
        job = commands(s)
        later = today() + timedelta(days=3)
        assert await job.announce_overdue(today()) == 0  # due today: not overdue yet
        assert await job.announce_overdue(later) == 1
        assert await job.announce_overdue(later) == 0
        overdue = await s.until_published(MilestoneOverdue, 1)
        await asyncio.sleep(0.3)
        assert len(s.published.of(MilestoneOverdue)) == 1 == len(overdue)
        stored = ok(await s.api.get(f"/agreements/{a['id']}"))
        assert stored["milestones"][0]["overdue_announced"] is True


def held(meeting_id: str, match_id: str | None) -> MeetingHeld:
    return MeetingHeld.create(
        subject=meeting_id,
        data=MeetingChange(
            meeting=MeetingSnapshot(
                meeting_id=meeting_id,
                edition_id=EDITION,
                requester=MeetingParty(party_kind="organisation", party_id="org_1"),
                invitee=MeetingParty(party_kind="talent", party_id="tal_1"),
                source="MATCH" if match_id else "DIRECT",
                match_id=match_id,
                status="ACCEPTED",
                outcome="HELD",
                mode="ON_SITE",
                place=None,
                revision=3,
            ),
            by_role="OPERATOR",
        ),
    )


async def test_a_meeting_held_offers_an_intention_unless_its_match_did(tmp_path: Path) -> None:
    async with agreements_service(tmp_path) as s:
        await s.r.bus.publish([held("mtg_direct", None)])
        await s.until_published(AgreementCreated, 1)
        # the meeting a match became finds the match's agreement: nothing new
        match = MatchMutuallyAccepted.create(
            subject="mat_1",
            data=MutualMatch(
                match_id="mat_1",
                first=MatchParty(party_kind="talent", party_id="tal_1", demand_id="dem_t"),
                second=MatchParty(party_kind="organisation", party_id="org_1", demand_id="dem_o"),
                score=0.9,
            ),
        )
        await s.r.bus.publish([match])
        await s.until_published(AgreementCreated, 2)
        await s.r.bus.publish([held("mtg_of_match", "mat_1"), held("mtg_direct", None)])
        await asyncio.sleep(0.5)
        assert len(s.published.of(AgreementCreated)) == 2
        listed = ok(await s.api.get("/agreements"))["items"]
        assert sorted((x["id"], x["origin"]["kind"], x["terms"]["edition_id"]) for x in listed) == [
            ("ag_match_mat_1", "MATCH", None),
            ("ag_meeting_mtg_direct", "MEETING", EDITION),
        ]
