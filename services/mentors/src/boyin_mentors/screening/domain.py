"""A screening: one submitted project-cooperation demand, the mentors assigned to it, their
blind reviews and the aggregated result.

IN_REVIEW (two mentors assigned) → AGGREGATED once every open assignment is in; when the
first two reviews disagree (:func:`rubric.disagree`) it is NEEDS_THIRD_REVIEW until one
more mentor's review is in. NO_ELIGIBLE_MENTOR when fewer than two mentors qualified: the
operators assign by hand, and it goes to IN_REVIEW once two are assigned.

Plain Python: the transitions take the actor and the time and return the changed
screening with the events the change publishes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from boyin_mentors.screening import rubric
from boyin_mentors.screening.routing import REVIEWERS, DemandBrief, Pick
from boyin_mentors.screening.rubric import Result, Review, ScoreDraft
from boyin_shared.api.mentors import AssignmentState, ScreeningStatus
from boyin_shared.contracts import mentors as contract
from boyin_shared.errors import BoyinError, FieldError, Message, forbidden, invalid
from boyin_shared.events import Event

S = ScreeningStatus
A = AssignmentState
#: how long a mentor has for a review
REVIEW_TIME = timedelta(days=7)
#: past the deadline this long, an overdue review is escalated to the operators
ESCALATE_AFTER = timedelta(days=3)
#: the screenings still waiting for reviews
OPEN = (S.IN_REVIEW, S.NEEDS_THIRD_REVIEW, S.NO_ELIGIBLE_MENTOR)


@dataclass(frozen=True)
class Assignment:
    mentor_id: str
    state: AssignmentState
    at: datetime
    due: datetime
    by: str
    relevance: float | None = None
    reminded_at: datetime | None = None
    escalated_at: datetime | None = None
    reason: str | None = None

    @property
    def next_check(self) -> datetime | None:
        """When the overdue job next has something to say about it."""
        if self.state is not A.OPEN:
            return None
        if self.reminded_at is None:
            return self.due
        return None if self.escalated_at else self.due + ESCALATE_AFTER


@dataclass(frozen=True)
class Screening:
    id: str
    demand: DemandBrief
    status: ScreeningStatus
    #: "MATCHING" (ranked by matching's relevance) or "CODES" (matching was unavailable:
    #: expertise codes and load alone)
    ranked_by: str
    assignments: tuple[Assignment, ...]
    reviews: tuple[Review, ...] = ()
    result: Result | None = None
    revision: int = 1

    def assignment_of(self, mentor_id: str) -> Assignment | None:
        return next((a for a in self.assignments if a.mentor_id == mentor_id), None)

    def review_of(self, mentor_id: str) -> Review | None:
        return next((r for r in self.reviews if r.mentor_id == mentor_id), None)

    @property
    def active(self) -> tuple[Assignment, ...]:
        """Assignments not withdrawn (open or submitted)."""
        return tuple(a for a in self.assignments if a.state is not A.WITHDRAWN)

    @property
    def open_mentors(self) -> tuple[str, ...]:
        return tuple(a.mentor_id for a in self.assignments if a.state is A.OPEN)

    @property
    def next_check(self) -> datetime | None:
        checks = [c for a in self.assignments if (c := a.next_check) is not None]
        return min(checks) if checks else None

    def _assigned(self, a: Assignment) -> Event:
        data = contract.Assignment(
            screening_id=self.id,
            demand_id=self.demand.demand_id,
            mentor_id=a.mentor_id,
            due_at=a.due,
        )
        return contract.AssignmentCreated.create(subject=self.id, sequence=self.revision, data=data)

    # -- assignments ------------------------------------------------------------------

    def assign(self, pick: Pick, by: str, now: datetime) -> tuple[Screening, list[Event]]:
        """One more mentor (a third review, or an operator's choice)."""
        if self.status is S.AGGREGATED:
            raise _closed()
        if (held := self.assignment_of(pick.mentor_id)) and held.state is not A.WITHDRAWN:
            raise _refuse(
                409,
                "ALREADY_ASSIGNED",
                "该导师已分配到此项目",
                "the mentor is assigned to this demand already",
                FieldError("to_mentor_id", "ALREADY_ASSIGNED", Message("已分配", "assigned")),
            )
        a = Assignment(pick.mentor_id, A.OPEN, now, now + REVIEW_TIME, by, pick.relevance)
        others = tuple(x for x in self.assignments if x.mentor_id != pick.mentor_id)
        status = self.status
        if status is S.NO_ELIGIBLE_MENTOR and len(self.active) + 1 >= REVIEWERS:
            status = S.IN_REVIEW
        changed = dataclasses.replace(
            self, assignments=(*others, a), status=status, revision=self.revision + 1
        )
        return changed, [changed._assigned(a)]

    def reassign(
        self, from_mentor_id: str | None, to: Pick, by: str, reason: str | None, now: datetime
    ) -> tuple[Screening, list[Event]]:
        """Withdraw ``from_mentor_id``'s open assignment (None: withdraw nothing) and assign
        ``to`` instead."""
        base = self
        if from_mentor_id is not None:
            held = self.assignment_of(from_mentor_id)
            if held is None or held.state is not A.OPEN:
                raise _refuse(
                    409,
                    "NOT_OPEN",
                    "该导师没有待完成的评审可转派",
                    "that mentor has no open review to move",
                    FieldError("from_mentor_id", "NOT_OPEN", Message("无待评审", "none open")),
                )
            withdrawn = dataclasses.replace(held, state=A.WITHDRAWN, reason=reason)
            base = dataclasses.replace(
                self,
                assignments=tuple(withdrawn if a is held else a for a in self.assignments),
            )
        return base.assign(to, by, now)

    # -- reviews ----------------------------------------------------------------------

    def submit(
        self,
        mentor_id: str,
        drafts: Mapping[str, ScoreDraft],
        conflict: FieldError | None,
        now: datetime,
    ) -> tuple[Screening, list[Event]]:
        """A mentor's review. Refused whole: by a mentor not assigned (or withdrawn), a
        second time, by a mentor with a conflict, or with any score outside the rubric."""
        held = self.assignment_of(mentor_id)
        if held is None or held.state is A.WITHDRAWN:
            raise forbidden(
                Message("您未被分配评审此项目", "you are not assigned to screen this demand")
            )
        if held.state is A.SUBMITTED:
            raise _refuse(
                409,
                "ALREADY_SUBMITTED",
                "您已提交过此项目的评审",
                "you have submitted your review of this demand already",
                FieldError("scores", "ALREADY_SUBMITTED", Message("已提交", "submitted")),
            )
        if conflict is not None:
            raise _refuse(
                409,
                "CONFLICT_OF_INTEREST",
                "存在利益冲突，不能评审",
                "a conflict of interest",
                conflict,
            )
        scores = rubric.checked_scores(drafts)
        if isinstance(scores, list):
            raise invalid(scores)
        done = dataclasses.replace(held, state=A.SUBMITTED)
        changed = dataclasses.replace(
            self,
            assignments=tuple(done if a is held else a for a in self.assignments),
            reviews=(*self.reviews, Review(mentor_id, now, scores)),
            revision=self.revision + 1,
        )
        submitted = contract.ScreeningSubmitted.create(
            subject=self.id,
            sequence=changed.revision,
            data=contract.Submitted(
                screening_id=self.id, demand_id=self.demand.demand_id, mentor_id=mentor_id
            ),
        )
        return changed._settle(now, [submitted])

    def _settle(self, now: datetime, events: list[Event]) -> tuple[Screening, list[Event]]:
        """Aggregate once every open assignment is in (two reviews at least); call a third
        review when the first two disagree."""
        if self.open_mentors or len(self.reviews) < REVIEWERS:
            return self, events
        result = rubric.aggregate(self.reviews, now)
        if len(self.reviews) == REVIEWERS and rubric.disagree(result):
            return dataclasses.replace(self, status=S.NEEDS_THIRD_REVIEW), events
        done = dataclasses.replace(self, status=S.AGGREGATED, result=result)
        return done, [*events, *done._published(result)]

    def _published(self, result: Result) -> list[Event]:
        aggregated = contract.ScreeningAggregated.create(
            subject=self.id,
            sequence=self.revision,
            data=contract.Aggregate(
                screening_id=self.id,
                demand_id=self.demand.demand_id,
                reviews=result.reviews,
                criteria=tuple(
                    contract.CriterionResult(
                        criterion=c.criterion.value, mean=c.mean, spread=c.spread
                    )
                    for c in result.criteria
                ),
                total_mean=result.total_mean,
                total_spread=result.total_spread,
                score=result.score,
            ),
        )
        # matching's screening signal: each mentor's score, on its 0–100 scale, once the
        # result is out (their mean is the aggregate's)
        screened: list[Event] = [
            contract.ProjectScreened.create(
                subject=self.id,
                sequence=self.revision,
                data=contract.Screening(
                    screening_id=f"{self.id}~{r.mentor_id}",
                    demand_id=self.demand.demand_id,
                    mentor_id=r.mentor_id,
                    score=round(r.total / len(r.scores) * 20),
                    recommendation=_recommendation(r.total / len(r.scores)),
                ),
            )
            for r in self.reviews
        ]
        return [aggregated, *screened]

    # -- deadlines --------------------------------------------------------------------

    def overdue(self, now: datetime) -> tuple[Screening, list[Event]]:
        """Remind each mentor past the deadline once, and escalate once
        :data:`ESCALATE_AFTER` later."""
        events: list[Event] = []
        changed: list[Assignment] = []
        for a in self.assignments:
            if a.state is A.OPEN and a.reminded_at is None and a.due <= now:
                a = dataclasses.replace(a, reminded_at=now)
                events.append(self._overdue(a, escalated=False))
            if a.state is A.OPEN and a.escalated_at is None and a.due + ESCALATE_AFTER <= now:
                a = dataclasses.replace(a, escalated_at=now)
                events.append(self._overdue(a, escalated=True))
            changed.append(a)
        if not events:
            return self, []
        return dataclasses.replace(
            self, assignments=tuple(changed), revision=self.revision + 1
        ), events

    def _overdue(self, a: Assignment, *, escalated: bool) -> Event:
        data = contract.Overdue(
            screening_id=self.id,
            demand_id=self.demand.demand_id,
            mentor_id=a.mentor_id,
            due_at=a.due,
            escalated=escalated,
        )
        return contract.ReviewOverdue.create(subject=self.id, sequence=self.revision, data=data)


def open_screening(
    screening_id: str,
    demand: DemandBrief,
    picks: Sequence[Pick],
    eligible: int,
    ranked_by: str,
    now: datetime,
) -> tuple[Screening, list[Event]]:
    """A new screening with the mentors routing picked; flagged NO_ELIGIBLE_MENTOR (for
    the operators) when fewer than two qualified."""
    status = S.IN_REVIEW if len(picks) >= REVIEWERS else S.NO_ELIGIBLE_MENTOR
    assignments = tuple(
        Assignment(p.mentor_id, A.OPEN, now, now + REVIEW_TIME, "system", p.relevance)
        for p in picks
    )
    screening = Screening(screening_id, demand, status, ranked_by, assignments)
    events = [screening._assigned(a) for a in assignments]
    if status is S.NO_ELIGIBLE_MENTOR:
        events.append(
            contract.ScreeningUnrouted.create(
                subject=screening_id,
                sequence=1,
                data=contract.Unrouted(
                    screening_id=screening_id, demand_id=demand.demand_id, eligible=eligible
                ),
            )
        )
    return screening, events


def _recommendation(mean: float) -> Literal["RECOMMEND", "NEUTRAL", "NOT_RECOMMEND"]:
    return "RECOMMEND" if mean >= 4 else "NOT_RECOMMEND" if mean < 2.5 else "NEUTRAL"


def _closed() -> BoyinError:
    return _refuse(
        409,
        "SCREENING_CLOSED",
        "评审已汇总，不能再分配",
        "the screening is aggregated: no more assignments",
        FieldError("status", "AGGREGATED", Message("已汇总", "aggregated")),
    )


def _refuse(status: int, code: str, zh: str, en: str, *fields: FieldError) -> BoyinError:
    return BoyinError(code=code, message=Message(zh, en), fields=list(fields), status=status)
