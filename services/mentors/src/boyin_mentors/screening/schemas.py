"""Screenings between the HTTP models of :mod:`boyin_shared.api.mentors` and the domain.
A mentor's view (:func:`task_out`) carries the demand's content only, and the other
mentors' reviews only once their own is in."""

from __future__ import annotations

from boyin_mentors.mentors.profile import Text
from boyin_mentors.screening.domain import Assignment, Screening
from boyin_mentors.screening.rubric import Result, Review, ScoreDraft
from boyin_shared.api import mentors as api


def scores_in(body: api.SubmitIn) -> dict[str, ScoreDraft]:
    return {name: ScoreDraft(s.score, s.comment) for name, s in body.scores.items()}


def _text(t: Text) -> api.TextOut:
    return api.TextOut(zh=t.zh, en=t.en)


def _assignment(a: Assignment) -> api.AssignmentOut:
    return api.AssignmentOut(
        mentor_id=a.mentor_id,
        state=a.state,
        assigned_at=a.at,
        due_at=a.due,
        reminded_at=a.reminded_at,
        escalated_at=a.escalated_at,
        relevance=a.relevance,
    )


def _review(r: Review) -> api.ReviewOut:
    return api.ReviewOut(
        mentor_id=r.mentor_id,
        submitted_at=r.at,
        scores=[
            api.ScoreOut(criterion=s.criterion, score=s.score, comment=s.comment) for s in r.scores
        ],
        total=r.total,
    )


def result_out(r: Result) -> api.ResultOut:
    return api.ResultOut(
        reviews=r.reviews,
        criteria=[
            api.CriterionResultOut(criterion=c.criterion, mean=c.mean, spread=c.spread)
            for c in r.criteria
        ],
        total_mean=r.total_mean,
        total_spread=r.total_spread,
        aggregated_at=r.at,
    )


def _demand(s: Screening) -> api.DemandOut:
    d = s.demand
    return api.DemandOut(
        demand_id=d.demand_id,
        title=_text(d.title),
        description=_text(d.description),
        language=d.language,
        taxonomy_codes=list(d.taxonomy_codes),
        keywords=list(d.keywords),
    )


def screening_out(s: Screening) -> api.ScreeningOut:
    return api.ScreeningOut(
        id=s.id,
        demand=_demand(s),
        owner_id=s.demand.owner_id,
        status=s.status,
        ranked_by=s.ranked_by,
        assignments=[_assignment(a) for a in s.assignments],
        reviews=[_review(r) for r in s.reviews],
        result=result_out(s.result) if s.result else None,
    )


def task_out(s: Screening, mentor_id: str) -> api.TaskOut:
    assignment = s.assignment_of(mentor_id)
    assert assignment is not None
    own = s.review_of(mentor_id)
    return api.TaskOut(
        screening_id=s.id,
        demand=_demand(s),
        assignment=_assignment(assignment),
        own_review=_review(own) if own else None,
        other_reviews=[_review(r) for r in s.reviews if r.mentor_id != mentor_id] if own else [],
    )
