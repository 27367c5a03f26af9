"""Screening's pure parts: routing (fit, language, conflicts, load, fewer than two), the
rubric's checks and aggregation, and the screening's transitions (blind review, a second
submission, disagreement calling a third review, deadlines)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from boyin_mentors.mentors.profile import Conflicts
from boyin_mentors.screening.domain import ESCALATE_AFTER, REVIEW_TIME, Screening, open_screening
from boyin_mentors.screening.routing import Candidate, Pick, route, unsuitable
from boyin_mentors.screening.rubric import aggregate, checked_scores, disagree
from boyin_shared.api.mentors import AssignmentState, MentorStatus, ScreeningStatus
from boyin_shared.contracts.mentors import (
    AssignmentCreated,
    ProjectScreened,
    ReviewOverdue,
    ScreeningAggregated,
    ScreeningSubmitted,
    ScreeningUnrouted,
)
from boyin_shared.errors import BoyinError
from boyin_shared.events import Event
from tests.mentors.screening_support import PARENTS, PROJECT, candidate, review
from tests.mentors.support import NOW, bilingual

S = ScreeningStatus


def test_routing_picks_two_who_fit_ranked_by_relevance_and_load() -> None:
    pool = [
        candidate("m1", load=2),  # fits, loaded
        candidate("m2"),
        candidate("m3", expertise_codes=("C33-L",)),  # an ancestor code fits
        candidate("m4", expertise_codes=("C33",)),  # only the root: too broad
    ]
    relevance = {"m1": 0.9, "m2": 0.7, "m3": 0.8, "m4": 0.95}
    picks, eligible = route(PROJECT, pool, relevance, PARENTS)
    assert eligible == 4  # m4 fits by relevance (≥ 0.6) though not by code
    # m4 ranks first (0.95, no load); m1 (0.9) is discounted by its load below m3 (0.8)
    assert [p.mentor_id for p in picks] == ["m4", "m3"]
    picks, eligible = route(PROJECT, pool, {"m4": 0.1}, PARENTS)
    assert eligible == 3 and "m4" not in [p.mentor_id for p in picks]


@pytest.mark.parametrize(
    ("c", "code"),
    [
        (candidate("m1", languages=("zh",)), "LANGUAGE"),
        (candidate("m1", organisation_id="tal_1"), "SAME_ORGANISATION"),
        (candidate("m1", conflicts=Conflicts(people=("tal_2",))), "DECLARED_CONFLICT"),
        (candidate("m1", conflicts=Conflicts(interests=("Battery",))), "COMPETING_INTEREST"),
        (candidate("m1", load=3), "OVER_LOAD"),
        (candidate("m1", status=MentorStatus.SUSPENDED), "MENTOR_NOT_APPROVED"),
        (candidate("m1", expertise_codes=("C33-L2",)), "EXPERTISE"),
    ],
)
def test_who_does_not_qualify(c: Candidate, code: str) -> None:
    why = unsuitable(c, PROJECT, PARENTS, None)
    assert why is not None and why.code == code and why.message.zh and why.message.en
    picks, eligible = route(PROJECT, [c, candidate("m2")], None, PARENTS)
    assert eligible == 1 and [p.mentor_id for p in picks] == ["m2"]


def test_a_bilingual_project_is_read_by_a_mentor_of_either_language() -> None:
    both = PROJECT.__class__(**{**PROJECT.__dict__, "language": "zh+en"})
    assert unsuitable(candidate("m1", languages=("zh",)), both, PARENTS, None) is None
    assert unsuitable(candidate("m2", languages=("en",)), both, PARENTS, None) is None
    why = unsuitable(candidate("m3", languages=("de",)), both, PARENTS, None)
    assert why is not None and why.code == "LANGUAGE"


def test_a_co_applicant_mentor_is_detected() -> None:
    c = candidate("m9")
    why = unsuitable(
        c, PROJECT.__class__(**{**PROJECT.__dict__, "co_applicants": ("acc_m9",)}), PARENTS, None
    )
    assert why is not None and why.code == "CO_APPLICANT"


def test_fewer_than_two_qualified_is_flagged_for_operators() -> None:
    picks, eligible = route(PROJECT, [candidate("m1")], None, PARENTS)
    s, events = open_screening("scr_1", PROJECT, picks, eligible, "CODES", NOW)
    assert s.status is S.NO_ELIGIBLE_MENTOR and [a.mentor_id for a in s.assignments] == ["m1"]
    assert [type(e) for e in events] == [AssignmentCreated, ScreeningUnrouted]
    assert isinstance(events[1], ScreeningUnrouted) and events[1].data.eligible == 1
    s, events = s.assign(Pick("m2", None), "acc_op", NOW)
    assert s.status is S.IN_REVIEW and isinstance(events[0], AssignmentCreated)


def test_the_rubric_refuses_every_bad_score_at_once() -> None:
    drafts = review(4, NOVELTY_MATURITY=0, TEAM=6)
    del drafts["READINESS_TO_LAND"]
    drafts["CHARISMA"] = drafts["MARKET_POTENTIAL"]
    drafts["MARKET_POTENTIAL"] = drafts["MARKET_POTENTIAL"].__class__(3, "  ")
    problems = checked_scores(drafts)
    assert isinstance(problems, list)
    assert {p.field: p.code for p in problems} == {
        "scores.CHARISMA": "UNKNOWN_CRITERION",
        "scores.NOVELTY_MATURITY.score": "OUT_OF_RANGE",
        "scores.MARKET_POTENTIAL.comment": "REQUIRED",
        "scores.TEAM.score": "OUT_OF_RANGE",
        "scores.READINESS_TO_LAND": "REQUIRED",
    }


def _two_assigned() -> Screening:
    picks = [Pick("m1", 0.9), Pick("m2", 0.8)]
    s, _ = open_screening("scr_1", PROJECT, picks, 2, "MATCHING", NOW)
    return s


def test_two_agreeing_reviews_are_aggregated_and_published() -> None:
    s = _two_assigned()
    s, events = s.submit("m1", review(4), None, NOW)
    assert s.status is S.IN_REVIEW and [type(e) for e in events] == [ScreeningSubmitted]
    s, events = s.submit("m2", review(3, TEAM=5), None, NOW)
    assert s.status is S.AGGREGATED and s.result is not None
    team = next(c for c in s.result.criteria if c.criterion.value == "TEAM")
    assert (team.mean, team.spread) == (4.5, 1)
    assert (s.result.total_mean, s.result.total_spread) == (18.5, 3)
    kinds = [type(e) for e in events]
    assert kinds == [ScreeningSubmitted, ScreeningAggregated, ProjectScreened, ProjectScreened]
    assert isinstance(events[1], ScreeningAggregated)
    assert events[1].data.score == 74  # mean criterion 3.7 × 20
    assert sorted(e.data.score for e in events if isinstance(e, ProjectScreened)) == [68, 80]


def test_a_disagreement_calls_a_third_review() -> None:
    s = _two_assigned()
    s, _ = s.submit("m1", review(5), None, NOW)
    s, events = s.submit("m2", review(2), None, NOW)
    assert s.status is S.NEEDS_THIRD_REVIEW and s.result is None
    assert [type(e) for e in events] == [ScreeningSubmitted]
    s, _ = s.assign(Pick("m3", 0.7), "system", NOW)
    s, events = s.submit("m3", review(4), None, NOW)
    assert s.status is S.AGGREGATED and s.result is not None and s.result.reviews == 3
    assert disagree(aggregate(s.reviews, NOW))  # still apart, but three reviews settle it


@pytest.mark.parametrize(
    ("mentor", "code", "status"),
    [("m9", "FORBIDDEN", 403), ("m1", "ALREADY_SUBMITTED", 409)],
)
def test_refused_reviews_change_nothing(mentor: str, code: str, status: int) -> None:
    s, _ = _two_assigned().submit("m1", review(4), None, NOW)
    with pytest.raises(BoyinError) as caught:
        s.submit(mentor, review(3), None, NOW)
    assert (caught.value.code, caught.value.status) == (code, status)
    bilingual(caught.value)
    assert len(s.reviews) == 1


def test_a_conflicted_or_out_of_rubric_review_is_refused() -> None:
    s = _two_assigned()
    conflict = unsuitable(candidate("m1", organisation_id="tal_1"), PROJECT, PARENTS, None)
    with pytest.raises(BoyinError) as caught:
        s.submit("m1", review(4), conflict, NOW)
    assert caught.value.code == "CONFLICT_OF_INTEREST"
    assert [f.code for f in caught.value.fields] == ["SAME_ORGANISATION"]
    with pytest.raises(BoyinError) as caught:
        s.submit("m1", review(9), None, NOW)
    assert caught.value.code == "VALIDATION_FAILED" and len(caught.value.fields) == 5


def test_a_reassigned_mentor_no_longer_reviews() -> None:
    s, events = _two_assigned().reassign("m1", Pick("m3", None), "acc_op", "on leave", NOW)
    withdrawn = s.assignment_of("m1")
    assert withdrawn is not None and withdrawn.state is AssignmentState.WITHDRAWN
    assert isinstance(events[0], AssignmentCreated) and events[0].data.mentor_id == "m3"
    with pytest.raises(BoyinError) as caught:
        s.submit("m1", review(4), None, NOW)
    assert caught.value.code == "FORBIDDEN"
    with pytest.raises(BoyinError) as caught:
        s.reassign("m1", Pick("m4", None), "acc_op", None, NOW)
    assert caught.value.code == "NOT_OPEN"
    with pytest.raises(BoyinError) as caught:
        s.reassign(None, Pick("m2", None), "acc_op", None, NOW)
    assert caught.value.code == "ALREADY_ASSIGNED"


def overdue(events: list[Event]) -> list[ReviewOverdue]:
    return [e for e in events if isinstance(e, ReviewOverdue)]


def test_overdue_reviews_are_reminded_then_escalated_once() -> None:
    s, _ = _two_assigned().submit("m1", review(4), None, NOW)
    assert s.next_check == NOW + REVIEW_TIME
    same, none = s.overdue(NOW + timedelta(days=1))
    assert same is s and none == []
    s, events = s.overdue(NOW + REVIEW_TIME)
    assert [type(e) for e in events] == [ReviewOverdue]
    assert [(e.data.mentor_id, e.data.escalated) for e in overdue(events)] == [("m2", False)]
    assert s.overdue(NOW + REVIEW_TIME + timedelta(hours=1))[1] == []
    s, events = s.overdue(NOW + REVIEW_TIME + ESCALATE_AFTER)
    assert [(e.data.mentor_id, e.data.escalated) for e in overdue(events)] == [("m2", True)]
    assert s.next_check is None
