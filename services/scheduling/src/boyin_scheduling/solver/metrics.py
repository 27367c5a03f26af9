"""What a plan is worth beyond its objective: idle gaps and how fairly meetings are spread."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from boyin_scheduling.solver.problem import BoolArray, IntArray, Plan, Problem


@dataclass(frozen=True)
class PlanMetrics:
    objective: int
    meetings: int
    online: int
    must_meet: int
    #: empty runs between two meetings of one participant on one day
    idle_gaps: int
    #: empty slots inside those runs
    idle_slots: int
    #: Σ over participants of max(0, minimum wanted − meetings)
    shortfall: int
    #: participants below their minimum
    below_minimum: int


def busy_matrix(problem: Problem, plan: Plan) -> BoolArray:
    busy = np.zeros((problem.n_participants, problem.n_slots), np.bool_)
    placed = np.flatnonzero(plan >= 0)
    busy[problem.a[placed], plan[placed]] = True
    busy[problem.b[placed], plan[placed]] = True
    return busy


def meetings_per_participant(problem: Problem, plan: Plan) -> IntArray:
    placed = plan >= 0
    counts: IntArray = np.bincount(
        problem.a[placed], minlength=problem.n_participants
    ) + np.bincount(problem.b[placed], minlength=problem.n_participants)
    return counts


def idle(problem: Problem, plan: Plan) -> tuple[int, int]:
    """(idle gaps, idle slots) summed over participants and days."""
    busy = busy_matrix(problem, plan)
    gaps = slots = 0
    for d in np.unique(problem.day).tolist():
        cols = busy[:, problem.day == d]
        if cols.shape[1] == 0:
            continue
        count = cols.sum(axis=1)
        any_ = count > 0
        starts = cols & ~np.pad(cols, ((0, 0), (1, 0)))[:, :-1]
        gaps += int((starts.sum(axis=1) - any_).sum())
        first = np.argmax(cols, axis=1)
        last = cols.shape[1] - 1 - np.argmax(cols[:, ::-1], axis=1)
        slots += int(np.where(any_, last - first + 1 - count, 0).sum())
    return gaps, slots


def shortfall(problem: Problem, plan: Plan) -> tuple[int, int]:
    """(total shortfall below the minimum wanted, participants below it)."""
    short = np.maximum(problem.min_meetings - meetings_per_participant(problem, plan), 0)
    return int(short.sum()), int((short > 0).sum())


def plan_metrics(problem: Problem, plan: Plan) -> PlanMetrics:
    placed = plan >= 0
    gaps, slots = idle(problem, plan)
    short, below = shortfall(problem, plan)
    return PlanMetrics(
        objective=problem.objective(plan),
        meetings=int(placed.sum()),
        online=int((placed & ~problem.onsite).sum()),
        must_meet=int((placed & problem.must_meet).sum()),
        idle_gaps=gaps,
        idle_slots=slots,
        shortfall=short,
        below_minimum=below,
    )
