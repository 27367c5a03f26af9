"""Feedback from the fair: meeting outcomes (scheduling's events) lower the scores of a
party that did not come, mark the match with its meeting, and are counted once."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from boyin_matching.app import definition as matching
from boyin_matching.feedback.domain import Record, Screened, rerank
from boyin_matching.lists.service import Lists
from boyin_registry.app import definition as registry
from boyin_shared.contracts.agreements import AgreementParty, AgreementSigned, Signing
from boyin_shared.contracts.mentors import ProjectScreened, Screening
from boyin_shared.contracts.scheduling import (
    MeetingChange,
    MeetingHeld,
    MeetingNoShow,
    MeetingParty,
    MeetingSnapshot,
)
from boyin_shared.identity import Actor, Role
from tests.apps import as_actor, running
from tests.matching.test_flow import LANDING, PROJECT, matches, publish
from tests.matching.test_ranking_support import candidate
from tests.registry.support import (
    demand_body,
    organisation_body,
    organisation_member,
    talent_body,
    talent_member,
)

OPERATOR = Actor(account_id="acc_op", role=Role.OPERATOR)


def test_reliability_of_a_record() -> None:
    assert Record("p").factor == 1.0 and Record("p").note() is None
    assert Record("p", showed=5).factor == 1.0
    once = Record("p", missed=1)
    assert once.reliability == pytest.approx(2 / 3) and once.factor == pytest.approx(
        0.8 + 0.2 * 2 / 3
    )
    assert Record("p", missed=3).factor < once.factor < Record("p", showed=3, missed=1).factor
    note = Record("p", showed=1, missed=2).note()
    assert note is not None and "2" in note.zh and "missed 2 of 3" in note.en


def test_rerank_scales_by_the_owner_and_cuts_to_k() -> None:
    found = [candidate("d1", 0.90), candidate("d2", 0.85), candidate("d3", 0.50)]
    owners = {"d1": "p1", "d2": "p2", "d3": "p3"}
    ranked = rerank(("q", "me"), found, owners, {"p1": Record("p1", missed=2)}, k=2)
    assert [c.demand_id for c in ranked] == ["d2", "d1"]
    assert ranked[1].score == pytest.approx(0.90 * Record("p1", missed=2).factor)
    # without records nothing changes
    assert rerank(("q", "me"), found, owners, {}, k=3) == found
    # the query's own record scales every pair alike: the order stays
    mine = rerank(("q", "me"), found, owners, {"me": Record("me", missed=1)}, k=3)
    assert [c.demand_id for c in mine] == ["d1", "d2", "d3"]
    assert mine[0].score == pytest.approx(0.90 * Record("me", missed=1).factor)


def outcome(
    kind: type[MeetingHeld] | type[MeetingNoShow],
    match_id: str,
    talent: str,
    org: str,
    meeting_id: str,
    absent: tuple[str, ...] = (),
    revision: int = 3,
) -> MeetingHeld | MeetingNoShow:
    snapshot = MeetingSnapshot(
        meeting_id=meeting_id,
        edition_id="ed_1",
        requester=MeetingParty(party_kind="talent", party_id=talent),
        invitee=MeetingParty(party_kind="organisation", party_id=org),
        source="MATCH",
        match_id=match_id,
        status="ACCEPTED",
        outcome="HELD" if kind is MeetingHeld else "NO_SHOW",
        mode="ON_SITE",
        place=None,
        revision=revision,
    )
    return kind.create(
        subject=meeting_id,
        data=MeetingChange(meeting=snapshot, by_role="OPERATOR", absent=absent),
    )


async def test_a_missed_meeting_lowers_the_partys_scores_once_and_marks_the_match(
    tmp_path: Path,
) -> None:
    async with running([registry, matching], tmp_path) as r:
        reg = r.client("registry")
        org = (await reg.post("/organisations", json=organisation_body(1))).json()
        talent = (await reg.post("/talents", json=talent_body())).json()
        org_member = organisation_member(org["id"])
        landing = await publish(r, demand_body("PROJECT_LANDING", org["id"]) | LANDING, org_member)
        project = await publish(
            r,
            demand_body("PROJECT_COOPERATION", talent["id"]) | PROJECT,
            talent_member(talent["id"]),
        )
        found = await matches(r.client("matching"), landing, org_member)
        match = next(m for m in found if m["counterpart_demand_id"] == project)
        lists = r.hosts["matching"].app.state.service.lists
        assert isinstance(lists, Lists) and lists.feedback is not None
        before = {c.demand_id: c.score for c in await lists.ranked(landing)}

        missed = outcome(
            MeetingNoShow,
            match["match_id"],
            talent["id"],
            org["id"],
            "mt_1",
            absent=(talent["id"],),
        )
        await r.bus.publish([missed])
        await r.bus.publish([missed])  # a redelivery counts once
        feedback = lists.feedback
        assert feedback is not None

        async def recorded() -> bool:
            got = await feedback.records([talent["id"]])
            return talent["id"] in got

        for _ in range(100):
            if await recorded():
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)  # let the repeat arrive too
        record = await feedback.records([talent["id"], org["id"]])
        assert record[talent["id"]] == Record(talent["id"], showed=0, missed=1)
        assert record[org["id"]] == Record(org["id"], showed=1, missed=0)

        after = {c.demand_id: c.score for c in await lists.ranked(landing)}
        assert after[project] == pytest.approx(before[project] * record[talent["id"]].factor)
        # the full rematch job writes each pair with the same feedback: the talent's own
        # record scales the pair there too (ranked on the pool the job settled)
        await lists.rematch()
        seen_from_project = {c.demand_id: c.score for c in await lists.ranked(project)}
        stored = await lists.repository.collection.get(match["match_id"])
        assert stored is not None
        assert stored["score"] == pytest.approx(seen_from_project[landing], rel=1e-4)
        [unscaled] = lists.pool.matcher.candidates(project)  # no feedback
        assert stored["score"] == pytest.approx(
            unscaled.score * record[talent["id"]].factor, rel=1e-4
        )

        # the operator reads why; the organisation sees the meeting, not the note
        op_view = await r.client("matching").get(
            f"/demands/{landing}/matches", headers=as_actor(OPERATOR)
        )
        mine = next(m for m in op_view.json() if m["match_id"] == match["match_id"])
        assert mine["meeting"] == {
            "meeting_id": "mt_1",
            "outcome": "NO_SHOW",
            "absent": [talent["id"]],
        }
        assert "missed 1 of 1" in mine["explanation"]["reliability_note"]["en"]
        org_view = await matches(r.client("matching"), landing, org_member)
        theirs = next(m for m in org_view if m["match_id"] == match["match_id"])
        assert theirs["meeting"]["outcome"] == "NO_SHOW"
        assert theirs["explanation"]["reliability_note"] is None

        # a corrected outcome replaces the first: the talent did come after all
        held = outcome(MeetingHeld, match["match_id"], talent["id"], org["id"], "mt_1", revision=4)
        await r.bus.publish([held, missed])  # the old no-show, redelivered late, changes nothing
        for _ in range(100):
            if (await feedback.records([talent["id"]]))[talent["id"]].missed == 0:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)  # the late no-show has been handled too
        assert (await feedback.records([talent["id"]]))[talent["id"]] == replace(
            Record(talent["id"]), showed=1
        )


def test_screening_moves_scores_around_the_neutral_sixty() -> None:
    assert Screened("d", 60, 1).factor == 1.0
    assert Screened("d", 100, 2).factor == pytest.approx(1.10)
    assert Screened("d", 0, 1).factor == pytest.approx(0.85)
    found = [candidate("d1", 0.80), candidate("d2", 0.78), candidate("d3", 0.95)]
    ranked = rerank(
        ("q", "me"),
        found,
        {"d1": "p1", "d2": "p2", "d3": "p3"},
        {},
        k=3,
        screenings={"d2": Screened("d2", 90, 3), "d3": Screened("d3", 100, 1)},
    )
    assert [c.demand_id for c in ranked] == ["d3", "d2", "d1"]
    assert ranked[0].score == 1.0  # capped
    assert "3 mentors: 90/100" in Screened("d2", 90, 3).reason().en


def test_a_signed_agreement_counts_twice_as_a_meeting_attended() -> None:
    assert Record("p", missed=1, signed=1).reliability == pytest.approx(4 / 5)
    assert Record("p", missed=1, signed=1).factor > Record("p", showed=1, missed=1).factor


async def test_mentors_screening_and_a_signed_agreement_reach_the_match(tmp_path: Path) -> None:
    async with running([registry, matching], tmp_path) as r:
        reg = r.client("registry")
        org = (await reg.post("/organisations", json=organisation_body(1))).json()
        talent = (await reg.post("/talents", json=talent_body())).json()
        org_member = organisation_member(org["id"])
        landing = await publish(r, demand_body("PROJECT_LANDING", org["id"]) | LANDING, org_member)
        project = await publish(
            r,
            demand_body("PROJECT_COOPERATION", talent["id"]) | PROJECT,
            talent_member(talent["id"]),
        )
        found = await matches(r.client("matching"), landing, org_member)
        match = next(m for m in found if m["counterpart_demand_id"] == project)
        lists = r.hosts["matching"].app.state.service.lists
        assert isinstance(lists, Lists) and lists.feedback is not None
        before = {c.demand_id: c.score for c in await lists.ranked(landing)}

        def screened(mentor: str, score: int) -> ProjectScreened:
            return ProjectScreened.create(
                subject=project,
                data=Screening(
                    screening_id=f"s_{mentor}_{score}",
                    demand_id=project,
                    mentor_id=mentor,
                    score=score,
                    recommendation="RECOMMEND",
                ),
            )

        # a mentor scores 40, then changes their mind to 90; another gives 70
        await r.bus.publish([screened("m1", 40), screened("m1", 90), screened("m2", 70)])
        signed = AgreementSigned.create(
            subject="ag_1",
            data=Signing(
                agreement_id="ag_1",
                match_id=match["match_id"],
                parties=(
                    AgreementParty(party_kind="talent", party_id=talent["id"], demand_id=project),
                    AgreementParty(
                        party_kind="organisation", party_id=org["id"], demand_id=landing
                    ),
                ),
                signed_at=datetime(2026, 12, 12, 10, 0, tzinfo=UTC),
            ),
        )
        await r.bus.publish([signed, signed])
        feedback = lists.feedback

        async def settled() -> bool:
            s = await feedback.screenings([project])
            rec = await feedback.records([talent["id"]])
            return (
                project in s
                and s[project].mentors == 2
                and s[project].mean == 80
                and talent["id"] in rec
            )

        for _ in range(100):
            if await settled():
                break
            await asyncio.sleep(0.05)
        assert await settled()
        assert (await feedback.records([talent["id"]]))[talent["id"]].signed == 1

        after = {c.demand_id: c.score for c in await lists.ranked(landing)}
        expected = min(1.0, before[project] * Screened(project, 80, 2).factor)
        assert after[project] == pytest.approx(expected)

        view = await matches(r.client("matching"), landing, org_member)
        mine = next(m for m in view if m["match_id"] == match["match_id"])
        assert mine["agreement"]["agreement_id"] == "ag_1"
        mentors = [
            line for line in mine["explanation"]["reasons"] if line["code"] == "MENTOR_SCREENING"
        ]
        assert len(mentors) == 1
        assert "2 mentors: 80/100" in mentors[0]["en"]
        assert "2 位导师评审" in mentors[0]["zh"]
