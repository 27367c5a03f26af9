"""Screening through the service's HTTP API and the embedded bus: a submitted project
demand is routed once to two approved mentors who fit, reviews are blind, a bad review
changes nothing, the result is aggregated and published, operators reassign and see the
overdue, the owner sees the aggregate only; when matching cannot answer routing says so."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from boyin_mentors.app import mentors_definition
from boyin_mentors.screening.domain import REVIEW_TIME
from boyin_shared.clock import utcnow
from boyin_shared.contracts.mentors import (
    AssignmentCreated,
    ProjectScreened,
    ReviewOverdue,
    ScreeningAggregated,
    ScreeningUnrouted,
)
from boyin_shared.identity import Actor, Role
from tests.apps import Service
from tests.mentors.screening_support import FixedRelevance, review_body, submitted
from tests.mentors.support import (
    OPERATOR,
    TALENT,
    ShippedTaxonomy,
    field_codes,
    mentors_service,
    ok,
    profile_body,
    refusal,
)

M = [Actor(f"acc_r{i}", Role.MENTOR) for i in range(4)]


@asynccontextmanager
async def desk(tmp_path: Path, relevance: FixedRelevance) -> AsyncIterator[Service]:
    definition = mentors_definition(
        lambda _: relevance, taxonomy_source=lambda _: ShippedTaxonomy()
    )
    async with mentors_service(tmp_path, [definition]) as s:
        yield s


async def recruit(s: Service, actor: Actor, **changes: object) -> str:
    m = ok(await s.call(actor, "POST", "/mentors/apply", profile_body(**changes)), 201)
    ok(await s.call(OPERATOR, "POST", f"/mentors/{m['id']}/approve"))
    return str(m["id"])


async def routed(s: Service, count: int = 2) -> dict[str, Any]:
    await s.until_published(AssignmentCreated, count)
    return dict(ok(await s.call(OPERATOR, "GET", "/screenings/scr_dem_p1")))


async def test_routing_blind_review_and_the_aggregate(tmp_path: Path) -> None:
    relevance = FixedRelevance()
    async with desk(tmp_path, relevance) as s:
        ids = [
            await recruit(s, M[0]),
            await recruit(s, M[1], expertise={"en": "battery chemistry"}),
            await recruit(s, M[2], organisation_id="tal_1"),  # the owner's organisation
            await recruit(s, M[3], languages=["de"]),  # does not speak English
        ]
        await s.r.bus.publish([submitted(), submitted()])  # a repeat routes nothing twice
        await s.r.bus.publish([submitted("dem_job", channel="JOB_SEEKING")])  # not screened
        board = await routed(s)
        assert sorted(a["mentor_id"] for a in board["assignments"]) == ids[:2]
        assert board["ranked_by"] == "MATCHING" and board["status"] == "IN_REVIEW"

        # blind: the mentor sees the content, not the owner, and nobody's scores yet
        (task,) = ok(await s.call(M[0], "GET", "/queue"))
        assert "owner_id" not in task and task["other_reviews"] == []
        refusal(await s.call(M[2], "GET", "/queue/scr_dem_p1"), 404, "NOT_FOUND")

        bad = review_body(4, TEAM=7)
        error = refusal(
            await s.call(M[0], "POST", "/queue/scr_dem_p1/review", bad), 422, "VALIDATION_FAILED"
        )
        assert field_codes(error) == {"scores.TEAM.score": "OUT_OF_RANGE"}
        mine = ok(await s.call(M[0], "POST", "/queue/scr_dem_p1/review", review_body(4)))
        assert mine["own_review"]["total"] == 20 and mine["other_reviews"] == []
        refusal(
            await s.call(M[0], "POST", "/queue/scr_dem_p1/review", review_body(4)),
            409,
            "ALREADY_SUBMITTED",
        )
        refusal(
            await s.call(M[2], "POST", "/queue/scr_dem_p1/review", review_body(4)), 404, "NOT_FOUND"
        )
        # the owner sees nothing until the result is out
        refusal(await s.call(TALENT, "GET", "/demands/dem_p1/screening-result"), 404, "NOT_FOUND")
        ok(await s.call(M[1], "POST", "/queue/scr_dem_p1/review", review_body(3)))
        # once in, a mentor sees the other's review
        again = ok(await s.call(M[0], "GET", "/queue/scr_dem_p1"))
        assert [r["total"] for r in again["other_reviews"]] == [15]

        (aggregated,) = await s.until_published(ScreeningAggregated, 1)
        assert isinstance(aggregated, ScreeningAggregated)
        assert aggregated.data.total_mean == 17.5 and aggregated.data.score == 70
        assert len(await s.until_published(ProjectScreened, 2)) == 2
        result = ok(await s.call(TALENT, "GET", "/demands/dem_p1/screening-result"))
        assert result["reviews"] == 2 and "scores" not in str(result)
        other = Actor("acc_o", Role.TALENT, party_id="tal_9")
        refusal(await s.call(other, "GET", "/demands/dem_p1/screening-result"), 404, "NOT_FOUND")
        refusal(await s.call(M[0], "GET", "/screenings"), 403, "FORBIDDEN")


async def test_no_eligible_mentor_reassignment_and_overdue(tmp_path: Path) -> None:
    async with desk(tmp_path, FixedRelevance(word=None)) as s:  # matching unavailable
        first = await recruit(s, M[0])
        await s.r.bus.publish([submitted()])
        (unrouted,) = await s.until_published(ScreeningUnrouted, 1)
        assert isinstance(unrouted, ScreeningUnrouted)
        assert unrouted.data.eligible == 1
        board = await routed(s, 1)
        assert board["status"] == "NO_ELIGIBLE_MENTOR" and board["ranked_by"] == "CODES"

        conflicted = await recruit(
            s, M[1], conflicts={"organisations": [], "people": ["tal_2"], "interests": []}
        )
        error = refusal(
            await s.call(
                OPERATOR, "POST", "/screenings/scr_dem_p1/reassign", {"to_mentor_id": conflicted}
            ),
            409,
            "MENTOR_UNSUITABLE",
        )
        assert field_codes(error) == {"to_mentor_id": "DECLARED_CONFLICT"}
        full = await recruit(s, M[2], max_open_reviews=1)
        await s.r.bus.publish([submitted("dem_p2")])
        await s.until_published(AssignmentCreated, 2)
        error = refusal(
            await s.call(
                OPERATOR, "POST", "/screenings/scr_dem_p1/reassign", {"to_mentor_id": full}
            ),
            409,
            "MENTOR_UNSUITABLE",
        )
        assert field_codes(error) == {"to_mentor_id": "OVER_LOAD"}
        # an operator assigns a mentor outside the expertise: allowed by hand
        other = await recruit(s, M[3], expertise_codes=["C33-L2"])
        board = ok(
            await s.call(
                OPERATOR, "POST", "/screenings/scr_dem_p1/reassign", {"to_mentor_id": other}
            )
        )
        assert board["status"] == "IN_REVIEW"
        assert sorted(a["mentor_id"] for a in board["assignments"]) == sorted([first, other])

        desk_service = s.r.hosts["mentors"].app.state.service.screening
        assert await desk_service.announce_overdue(utcnow() + REVIEW_TIME + timedelta(hours=1)) == 2
        assert await desk_service.announce_overdue(utcnow() + REVIEW_TIME + timedelta(hours=2)) == 0
        # dem_p1: the first mentor and the one assigned by hand; dem_p2: the first and the full one
        assert len(await s.until_published(ReviewOverdue, 4)) == 4
        assert ok(await s.call(OPERATOR, "GET", "/screenings/overdue")) == []  # not yet late now


async def test_a_suspended_mentors_open_reviews_move_to_another(tmp_path: Path) -> None:
    async with desk(tmp_path, FixedRelevance()) as s:
        ids = [await recruit(s, M[i]) for i in range(3)]
        await s.r.bus.publish([submitted()])
        board = await routed(s)
        held = sorted(a["mentor_id"] for a in board["assignments"])
        free = next(i for i in ids if i not in held)
        ok(await s.call(M[ids.index(held[0])], "POST", "/queue/scr_dem_p1/review", review_body(4)))
        # the one who reviewed already keeps their review; the other's open one moves
        gone = held[1]
        ok(await s.call(OPERATOR, "POST", f"/mentors/{gone}/suspend", {"reason": "on leave"}))
        await s.until_published(AssignmentCreated, 3)
        after = ok(await s.call(OPERATOR, "GET", "/screenings/scr_dem_p1"))
        states = {a["mentor_id"]: a["state"] for a in after["assignments"]}
        assert states == {held[0]: "SUBMITTED", gone: "WITHDRAWN", free: "OPEN"}
