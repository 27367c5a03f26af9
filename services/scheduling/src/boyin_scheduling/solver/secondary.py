"""The best optimal schedule for people: secondary criteria that never lower the objective.

In order (each step keeps the priority-weighted objective at least where it was, so an
optimal plan stays optimal):

1. every request that fits is placed, zero-weight ones too: first into an open slot (fewest
   new idle gaps), then by moving up to two placed meetings to other open slots (the set of
   meetings grows, nobody is dropped);
2. fairness: a participant with no meeting although one of their requests has a feasible
   slot counts as wanting one (on top of their own minimum); ``polish.lift_minimums`` then
   swaps in one of their requests for a meeting of equal or lower priority whose two sides
   stay at or above their own minimums;
3. fewer idle gaps: ``polish.compact`` moves single meetings to slots that close gaps (the
   set of meetings is unchanged);
4. tables: numbered so an organisation keeps its table across consecutive slots
   (``tables.number_tables``); measured as ``table_changes``.

``people_metrics`` measures each criterion; ``improve_for_people`` reports them before and
after.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from boyin_scheduling.solver.board import Board
from boyin_scheduling.solver.greedy import greedy_order
from boyin_scheduling.solver.metrics import idle, meetings_per_participant, shortfall
from boyin_scheduling.solver.polish import compact, lift_minimums
from boyin_scheduling.solver.problem import IntArray, Plan, Problem
from boyin_scheduling.solver.tables import number_tables, seated


@dataclass(frozen=True)
class PeopleMetrics:
    objective: int
    meetings: int
    #: zero-weight requests placed / that have a feasible slot
    zero_weight_placed: int
    zero_weight_feasible: int
    #: requests with a feasible slot left unplaced
    unplaced_feasible: int
    #: participants with no meeting although one of their requests has a feasible slot
    without_meeting: int
    #: Σ max(0, minimum wanted − meetings) and participants below their minimum
    shortfall: int
    below_minimum: int
    #: standard deviation of meetings per participant who has a feasible request
    meetings_stdev: float
    idle_gaps: int
    idle_slots: int
    #: an organisation at another table than in the previous slot of the same day
    table_changes: int

    def describe(self) -> str:
        return (
            f"objective {self.objective:,}, meetings {self.meetings:,}, zero-weight placed "
            f"{self.zero_weight_placed}/{self.zero_weight_feasible}, unplaced with a slot "
            f"{self.unplaced_feasible}, without a meeting {self.without_meeting}, shortfall "
            f"{self.shortfall} ({self.below_minimum} people), meetings stdev "
            f"{self.meetings_stdev:.3f}, idle gaps {self.idle_gaps:,} ({self.idle_slots:,} "
            f"slots), table changes {self.table_changes:,}"
        )


@dataclass(frozen=True)
class PeopleReport:
    before: PeopleMetrics
    after: PeopleMetrics
    placed: int
    swaps: int
    moves: int


def table_changes(problem: Problem, plan: Plan) -> int:
    tables = number_tables(problem, plan)
    last: dict[int, tuple[int, int]] = {}  # seated participant -> (slot, table)
    changes = 0
    for r in sorted(tables, key=lambda r: int(plan[r])):
        s, t = int(plan[r]), tables[r]
        q = seated(problem, r)
        prev = last.get(q)
        if prev is not None and prev[0] == s - 1 and problem.follows[s] and prev[1] != t:
            changes += 1
        last[q] = (s, t)
    return changes


def _could_meet(problem: Problem) -> IntArray:
    """1 for participants with a request that has a feasible slot, else 0."""
    has_slot = problem.feasible.any(axis=1)
    could = np.zeros(problem.n_participants, np.int64)
    could[problem.a[has_slot]] = 1
    could[problem.b[has_slot]] = 1
    return could


def people_metrics(problem: Problem, plan: Plan) -> PeopleMetrics:
    placed = plan >= 0
    has_slot = problem.feasible.any(axis=1)
    zero = problem.priority == 0
    counts = meetings_per_participant(problem, plan)
    could = _could_meet(problem) > 0
    gaps, idle_slots = idle(problem, plan)
    short, below = shortfall(problem, plan)
    return PeopleMetrics(
        objective=problem.objective(plan),
        meetings=int(placed.sum()),
        zero_weight_placed=int((placed & zero).sum()),
        zero_weight_feasible=int((has_slot & zero).sum()),
        unplaced_feasible=int((~placed & has_slot).sum()),
        without_meeting=int((could & (counts == 0)).sum()),
        shortfall=short,
        below_minimum=below,
        meetings_stdev=float(counts[could].std()) if could.any() else 0.0,
        idle_gaps=gaps,
        idle_slots=idle_slots,
        table_changes=table_changes(problem, plan),
    )


def place_all(board: Board) -> int:
    """Place every unplaced request that fits, directly or with up to two moves."""
    problem = board.problem
    placed = 0
    for r in greedy_order(problem).tolist():
        if board.plan[r] >= 0 or not problem.feasible[r].any():
            continue
        slots = board.open_slots(r)
        if slots.size:
            board.place(r, int(slots[int(np.argmin(board.gap_delta(r, slots)))]))
            placed += 1
        elif board.insert_with_moves(r, lambda m: True) is not None:
            placed += 1
    return placed


def improve_for_people(problem: Problem, plan: Plan) -> tuple[Plan, PeopleReport]:
    """``plan`` improved for people without lowering its objective, and the measures."""
    before = people_metrics(problem, plan)
    board = Board(problem, plan)
    placed = place_all(board)
    wanting = dataclasses.replace(
        problem, min_meetings=np.maximum(problem.min_meetings, _could_meet(problem))
    )
    fair = Board(wanting, board.plan)
    swaps = lift_minimums(fair)
    board = Board(problem, fair.plan)
    moves = compact(board)
    result = board.plan.copy()
    if problem.objective(result) < before.objective:  # cannot happen: every step keeps it
        raise AssertionError("a secondary step lowered the objective")
    return result, PeopleReport(
        before=before,
        after=people_metrics(problem, result),
        placed=placed,
        swaps=swaps,
        moves=moves,
    )
