"""The greedy schedule: fast (well under a second for 5,000 requests) and within about a
percent of the LP bound.

1. Order: must-meet requests first, then by weight, then the scarcest (fewest feasible
   slots) first. (Weight before scarcity: on the benchmark, where tables bind, this
   reaches 99.86–99.91% of the LP bound; 10-point weight bands then scarcity 99.72–99.83%,
   scarcity first 99.1–99.4%.)
2. Place each request in its open slot with the lowest cost: new idle gaps for both
   participants, plus how much the slot is wanted by the participants' remaining requests
   and, on site, by the pool's remaining requests per free table (keeps scarce slots free).
3. Then for each request left out, try one local move: shift up to two meetings that block
   it to other open slots (``Board.insert_with_moves``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from boyin_scheduling.solver.board import Board
from boyin_scheduling.solver.model import MUST_MEET_BONUS
from boyin_scheduling.solver.problem import IntArray, Plan, Problem


@dataclass(frozen=True)
class GreedyResult:
    plan: Plan
    objective: int
    scheduled: int
    seconds: float
    #: meetings placed by the local-move pass
    by_moves: int


def greedy_order(problem: Problem) -> IntArray:
    must = problem.must_meet
    weight = np.where(must, problem.priority - MUST_MEET_BONUS, problem.priority)
    scarcity = problem.feasible.sum(axis=1)
    # np.lexsort sorts by the last key first
    order: IntArray = np.lexsort((scarcity, -weight, ~must))
    return order


def solve_greedy(
    problem: Problem,
    *,
    moves: bool = True,
    demand_weight: float = 1.0,
    pool_weight: float = 1.0,
) -> GreedyResult:
    t0 = time.perf_counter()
    board = Board(problem)
    order = greedy_order(problem)
    feasible = problem.feasible
    n = problem.n_slots
    # how many not-yet-placed requests of each participant / pool want each slot
    demand = np.zeros((problem.n_participants, n), np.float64)
    np.add.at(demand, problem.a, feasible)
    np.add.at(demand, problem.b, feasible)
    pool_demand = np.zeros(problem.pool_cap.shape, np.float64)
    onsite = np.flatnonzero(problem.onsite)
    np.add.at(pool_demand, problem.pool[onsite], feasible[onsite])
    cap = problem.capacity.astype(np.float64)

    left: list[int] = []
    for r in order.tolist():
        a, b = int(problem.a[r]), int(problem.b[r])
        row = feasible[r]
        demand[a] -= row
        demand[b] -= row
        is_onsite = bool(problem.onsite[r])
        k = int(problem.pool[r])
        if is_onsite:
            pool_demand[k] -= row
        slots = board.open_slots(r)
        if slots.size == 0:
            left.append(r)
            continue
        cost = board.gap_delta(r, slots).astype(np.float64)
        cost += demand_weight * (demand[a, slots] / cap[a] + demand[b, slots] / cap[b])
        if is_onsite:
            free = problem.pool_cap[k, slots] - board.pool_load[k, slots]
            cost += pool_weight * pool_demand[k, slots] / free
        board.place(r, int(slots[int(np.argmin(cost))]))

    by_moves = 0
    if moves:
        for r in left:
            if board.insert_with_moves(r, lambda m: True) is not None:
                by_moves += 1
    plan = board.plan.copy()
    return GreedyResult(
        plan=plan,
        objective=problem.objective(plan),
        scheduled=int((plan >= 0).sum()),
        seconds=time.perf_counter() - t0,
        by_moves=by_moves,
    )
