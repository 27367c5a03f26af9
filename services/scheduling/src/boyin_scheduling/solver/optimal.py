"""Optimal first: the LP relaxation's solution, proven optimal when it is integral.

1. greedy: the first feasible schedule (incumbent) against the cheap bounds;
2. the LP with the lexicographic weights ``priority × (N + 1) + 1`` (N requests): one unit of
   priority outweighs every meeting there could be, so an optimum of the weighted problem is
   an optimum of the priorities first and, among those, holds the most meetings (zero-weight
   requests included). Its certified bound B gives the priority bound ⌊B / (N + 1)⌋;
3. when every LP variable is within ``lp.INTEGRALITY_TOL`` of 0 or 1, the rounded plan is
   checked exactly (``plan_conflicts``: slots, capacities, tables, in integers) and its
   objective compared with the bound in integer arithmetic: equal means proven optimal
   (path ``lp-integral``, gap 0);
4. otherwise the LP is rounded (largest values first, each kept only if it still fits),
   completed (``secondary.place_all``), then CP-SAT solves what the LP left open with the
   rest fixed where the rounding put it (``fix_and_solve``: small, usually optimal in
   seconds), and if the bound is still not reached, CP-SAT on the whole model from the best
   plan, with the objective capped at the LP's bound, one worker and linearization level 2
   (cuts: the work left is mostly proving) — path ``lp-rounded+cpsat`` (``greedy+cpsat``
   when greedy was better or the LP did not finish).

``progress`` is called at each phase with the incumbent, the bound and the gap.
The gap is ``(bound − objective) / bound``: 0 means proven optimal; else it is the distance
to a bound, and the optimum lies somewhere in between.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from boyin_scheduling.solver.board import Board
from boyin_scheduling.solver.bounds import capacity_bound, flow_bound, total_bound
from boyin_scheduling.solver.cpsat import CpSatOptions, solve_cpsat
from boyin_scheduling.solver.greedy import solve_greedy
from boyin_scheduling.solver.lp import (
    INTEGRALITY_TOL,
    LpSolution,
    integral_plan,
    solve_lp_by_columns,
)
from boyin_scheduling.solver.problem import IntArray, Plan, Problem
from boyin_scheduling.solver.secondary import PeopleReport, improve_for_people, place_all

#: a float certificate is trusted up to this absolute error before taking its floor
CERTIFICATE_SLACK = 1e-3


@dataclass(frozen=True)
class Progress:
    """Where a solve stands: phase, best objective so far, best bound, proven gap."""

    phase: str
    incumbent: int | None
    bound: int | None

    @property
    def gap(self) -> float | None:
        return relative_gap(self.incumbent, self.bound)


ProgressFn = Callable[[Progress], None]


def relative_gap(objective: int | None, bound: int | None) -> float | None:
    if objective is None or bound is None:
        return None
    if bound <= 0:
        return 0.0
    return max(0.0, (bound - objective) / bound)


@dataclass(frozen=True)
class OptimalResult:
    plan: Plan
    #: lp-integral, lp-rounded+cpsat, greedy+cpsat or greedy
    path: str
    objective: int
    #: the proven upper bound on the objective (the LP's, or CP-SAT's when tighter)
    bound: int
    greedy_objective: int
    lp_status: str
    #: LP variables strictly between 0 and 1
    lp_fractional: int
    #: rounds of column generation the LP took
    lp_rounds: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    people: PeopleReport | None = None
    #: time to the first feasible schedule (greedy)
    first_feasible_s: float = 0.0

    @property
    def gap(self) -> float:
        return relative_gap(self.objective, self.bound) or 0.0

    @property
    def optimal(self) -> bool:
        return self.objective >= self.bound


def lexicographic_weights(problem: Problem) -> IntArray:
    """priority × (N + 1) + 1: the priorities first, then the number of meetings."""
    w: IntArray = problem.priority * (problem.n_requests + 1) + 1
    return w


def plan_conflicts(problem: Problem, plan: Plan) -> int:
    """Broken rules of ``plan`` counted in integers: infeasible slots, participants over
    their representatives, pools over their tables (0 for a valid plan)."""
    placed = np.flatnonzero(plan >= 0)
    s = plan[placed]
    bad = int((~problem.feasible[placed, s]).sum())
    load = np.zeros((problem.n_participants, problem.n_slots), np.int64)
    np.add.at(load, (problem.a[placed], s), 1)
    np.add.at(load, (problem.b[placed], s), 1)
    bad += int((load > problem.capacity[:, None]).sum())
    on = placed[problem.onsite[placed]]
    pool = np.zeros(problem.pool_cap.shape, np.int64)
    np.add.at(pool, (problem.pool[on], plan[on]), 1)
    bad += int((pool > problem.pool_cap).sum())
    return bad


def round_lp(problem: Problem, lp: LpSolution) -> Plan:
    """The LP rounded: pairs by decreasing value (ties: higher priority first), each placed
    if its request is unplaced and the slot still fits; then every request that still fits,
    directly or moving up to two placed meetings (``secondary.place_all``)."""
    board = Board(problem)
    order = np.lexsort((-problem.priority[lp.r], -np.round(lp.x, 6)))
    for j in order.tolist():
        if lp.x[j] <= 1e-9:
            break
        r, s = int(lp.r[j]), int(lp.s[j])
        if board.plan[r] < 0 and board.fits(r, s):
            board.place(r, s)
    place_all(board)
    return board.plan.copy()


def fix_and_solve(
    problem: Problem, lp: LpSolution, rounded: Plan, cap: int, time_limit_s: float
) -> Plan:
    """CP-SAT on what the LP left open: requests with a fractional variable or no place in
    ``rounded`` are free; every other request stays where the rounding put it (it must
    keep a place there). Small, so it is usually solved to optimality in seconds; its plan
    (never worse than ``rounded``, which is its hint) is returned."""
    frac = (lp.x > INTEGRALITY_TOL) & (lp.x < 1.0 - INTEGRALITY_TOL)
    free = rounded < 0
    free[lp.r[frac]] = True
    fixed = np.flatnonzero(~free)
    feasible = problem.feasible.copy()
    feasible[fixed] = False
    feasible[fixed, rounded[fixed]] = True
    sub = dataclasses.replace(problem, feasible=feasible)
    options = CpSatOptions(
        time_limit_s=time_limit_s, workers=1, objective_cap=cap, linearization_level=2
    )
    result = solve_cpsat(sub, rounded, options, must_place=~free)
    if plan_conflicts(problem, result.plan) or problem.objective(result.plan) < problem.objective(
        rounded
    ):
        return rounded
    return result.plan


def _bound_from(lp: LpSolution | None, problem: Problem) -> int | None:
    if lp is None or not math.isfinite(lp.bound) or lp.bound <= 0:
        return None
    return math.floor((lp.bound + CERTIFICATE_SLACK) / (problem.n_requests + 1))


def solve_optimal(
    problem: Problem,
    *,
    time_limit_s: float = 60.0,
    workers: int = 2,
    progress: ProgressFn | None = None,
    people: bool = True,
    lp: bool = True,
) -> OptimalResult:
    """The best schedule this module can prove, within about ``time_limit_s`` (plus the
    people phase); ``lp=False`` skips the LP (greedy, then CP-SAT if time is left)."""
    t0 = time.perf_counter()
    tell = progress or (lambda p: None)
    seconds: dict[str, float] = {}
    greedy = solve_greedy(problem)
    first_feasible = time.perf_counter() - t0
    seconds["greedy"] = greedy.seconds
    t = time.perf_counter()
    bound = min(total_bound(problem), capacity_bound(problem), flow_bound(problem))
    seconds["cheap_bounds"] = time.perf_counter() - t
    best, best_obj = greedy.plan, greedy.objective
    tell(Progress("greedy", best_obj, bound))

    if lp:
        tell(Progress("lp", best_obj, bound))
    # the LP gets three quarters of the time left: rounding and CP-SAT need the rest
    remaining = max(0.75 * (time_limit_s - (time.perf_counter() - t0)), 1.0)
    weights = lexicographic_weights(problem)
    relaxed = (
        solve_lp_by_columns(problem, weights, greedy.plan, time_limit_s=remaining)
        if problem.n_requests and lp
        else None
    )
    seconds["lp"] = relaxed.seconds if relaxed is not None else 0.0
    lp_status = relaxed.status if relaxed is not None else ("EMPTY" if lp else "SKIPPED")
    lp_bound = _bound_from(relaxed, problem)
    if lp_bound is not None:
        bound = min(bound, lp_bound)
    path = "greedy"
    fractional = relaxed.fractional if relaxed is not None else 0
    if problem.n_requests == 0:
        bound = 0
    elif relaxed is not None and relaxed.status in ("OPTIMAL", "RESTRICTED"):
        # a restricted LP (column generation cut short) is only rounded
        plan = integral_plan(problem, relaxed) if relaxed.status == "OPTIMAL" else None
        if plan is not None and plan_conflicts(problem, plan) == 0:
            objective = problem.objective(plan)
            if objective >= best_obj:
                best, best_obj, path = plan, objective, "lp-integral"
        if path != "lp-integral":
            t = time.perf_counter()
            rounded = round_lp(problem, relaxed)
            seconds["round"] = time.perf_counter() - t
            tell(Progress("lp-rounded", max(best_obj, problem.objective(rounded)), bound))
            remaining = time_limit_s - (time.perf_counter() - t0)
            source = "lp-rounded"
            if problem.objective(rounded) < bound and remaining > 0.5:
                t = time.perf_counter()
                rounded = fix_and_solve(problem, relaxed, rounded, bound, remaining / 2)
                seconds["fix_and_solve"] = time.perf_counter() - t
                source = "lp-rounded+cpsat"
            if problem.objective(rounded) >= best_obj:
                best, best_obj, path = rounded, problem.objective(rounded), source
    tell(Progress(path, best_obj, bound))

    remaining = time_limit_s - (time.perf_counter() - t0)
    if best_obj < bound and remaining > 0.5:
        tell(Progress("cp-sat", best_obj, bound))
        # after a fractional LP the work left is mostly proving: one worker with cuts
        proving = relaxed is not None and relaxed.status == "OPTIMAL"
        options = CpSatOptions(
            time_limit_s=remaining,
            workers=1 if proving else workers,
            objective_cap=bound,
            linearization_level=2 if proving else None,
        )
        floor_obj, cap = best_obj, bound

        def improved(objective: int, cp_bound: float) -> None:
            tight = math.floor(cp_bound + CERTIFICATE_SLACK) if math.isfinite(cp_bound) else cap
            tell(Progress("cp-sat", max(floor_obj, objective), min(cap, tight)))

        cp = solve_cpsat(problem, best, options, on_solution=improved)
        seconds["cpsat"] = cp.seconds
        if math.isfinite(cp.bound):
            bound = min(bound, math.floor(cp.bound + CERTIFICATE_SLACK))
        if cp.objective > best_obj:
            best, best_obj = cp.plan, cp.objective
        if not path.endswith("+cpsat"):
            path += "+cpsat"
        tell(Progress(path, best_obj, bound))
    report = None
    if people:
        tell(Progress("people", best_obj, bound))
        t = time.perf_counter()
        best, report = improve_for_people(problem, best)
        seconds["people"] = time.perf_counter() - t
        best_obj = problem.objective(best)
    seconds["total"] = time.perf_counter() - t0
    tell(Progress("done", best_obj, bound))
    return OptimalResult(
        plan=best,
        path=path,
        objective=best_obj,
        bound=bound,
        greedy_objective=greedy.objective,
        lp_status=lp_status,
        lp_fractional=fractional,
        lp_rounds=relaxed.rounds if relaxed is not None else 0,
        seconds=seconds,
        people=report,
        first_feasible_s=first_feasible,
    )
