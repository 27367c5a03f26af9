"""CP-SAT (OR-Tools) on the slot model, started from a hint (normally the greedy plan).

One Boolean x[r, s] per request and feasible slot:

* Σ_s x[r, s] ≤ 1;
* per participant and slot, Σ x ≤ representatives (an at-most-one for most);
* per table pool and slot, Σ x over on-site requests of the pool ≤ tables set up;
* primary: maximise Σ priority × x.

The secondary solve (optional) keeps the primary at least at (1 − tolerance) × the value the
first solve reached and minimises, lexicographically, the total shortfall below participants'
minimum numbers of meetings, then the number of blocks of consecutive meetings per
participant and day (each extra block is one idle gap).

The result carries CP-SAT's status and own bound; with 2 workers that bound is weak, so
report the gap against ``bounds.compute_bounds`` as well.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from boyin_scheduling.solver.metrics import busy_matrix, idle, shortfall
from boyin_scheduling.solver.problem import BoolArray, IntArray, Plan, Problem


@dataclass(frozen=True)
class CpSatOptions:
    time_limit_s: float = 60.0
    workers: int = 2
    seed: int = 0
    #: 0 skips the secondary solve (gaps and fairness)
    secondary_time_limit_s: float = 0.0
    #: share of the primary objective the secondary solve may give up
    primary_tolerance: float = 0.0
    #: a proven upper bound on the primary objective (e.g. the LP's), added as a constraint
    #: so CP-SAT stops as soon as it reaches it
    objective_cap: int | None = None
    #: CP-SAT's linearization level (2 adds cuts: with one worker it proves the fractional
    #: triangle fair in under a second where the default portfolio of two does not in 60 s)
    linearization_level: int | None = None
    log: bool = False


@dataclass(frozen=True)
class SecondaryResult:
    status: str
    seconds: float
    #: (shortfall, idle gaps) before and after
    shortfall_before: int
    shortfall_after: int
    gaps_before: int
    gaps_after: int


@dataclass(frozen=True)
class CpSatResult:
    plan: Plan
    status: str
    objective: int
    #: CP-SAT's own upper bound on the primary objective
    bound: float
    seconds: float
    build_seconds: float
    hint_objective: int | None
    variables: int
    secondary: SecondaryResult | None = None


class _SlotModel:
    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.model = cp_model.CpModel()
        m = self.model
        r_idx, s_idx = np.nonzero(problem.feasible)
        self.r, self.s = r_idx.astype(np.int64), s_idx.astype(np.int64)
        self.x = [m.new_bool_var(f"x{r}_{s}") for r, s in zip(self.r, self.s, strict=True)]
        x = self.x
        n_slots = problem.n_slots

        # one slot per request
        bounds = np.searchsorted(self.r, np.arange(problem.n_requests + 1))
        for r in range(problem.n_requests):
            lo, hi = int(bounds[r]), int(bounds[r + 1])
            if hi - lo > 1:
                m.add_at_most_one(x[lo:hi])

        # participants: representatives per slot
        self.groups = self._group(
            np.concatenate([problem.a[self.r], problem.b[self.r]]) * n_slots
            + np.concatenate([self.s, self.s]),
            np.concatenate([np.arange(len(x))] * 2),
        )
        for key, members in self.groups.items():
            cap = int(problem.capacity[key // n_slots])
            if members.size <= cap:
                continue
            if cap == 1:
                m.add_at_most_one([x[j] for j in members.tolist()])
            else:
                m.add(cp_model.LinearExpr.sum([x[j] for j in members.tolist()]) <= cap)

        # tables: per pool and slot
        onsite = np.flatnonzero(problem.onsite[self.r])
        pools = self._group(problem.pool[self.r[onsite]] * n_slots + self.s[onsite], onsite)
        for key, members in pools.items():
            cap = int(problem.pool_cap[key // n_slots, key % n_slots])
            if members.size > cap:
                m.add(cp_model.LinearExpr.sum([x[j] for j in members.tolist()]) <= cap)

        self.weights = problem.priority[self.r]
        self.primary = cp_model.LinearExpr.weighted_sum(x, self.weights.tolist())
        m.maximize(self.primary)

    @staticmethod
    def _group(keys: IntArray, values: IntArray) -> dict[int, IntArray]:
        if keys.size == 0:
            return {}
        order = np.argsort(keys, kind="stable")
        keys, values = keys[order], values[order]
        cuts = np.flatnonzero(np.diff(keys)) + 1
        return {
            int(k[0]): v for k, v in zip(np.split(keys, cuts), np.split(values, cuts), strict=True)
        }

    def hint(self, plan: Plan) -> None:
        self.model.clear_hints()  # type: ignore[no-untyped-call]
        chosen = plan[self.r] == self.s
        for var, value in zip(self.x, chosen.tolist(), strict=True):
            self.model.add_hint(var, value)

    def plan_from(self, solver: cp_model.CpSolver) -> Plan:
        values = np.array(list(solver.response_proto.solution), np.int64)[: len(self.x)]
        plan = self.problem.empty_plan()
        on = values > 0
        plan[self.r[on]] = self.s[on]
        return plan

    def add_secondary(self, floor: int, hint: Plan) -> None:
        """Keep the primary ≥ floor; minimise shortfall, then blocks of meetings."""
        p, m, x = self.problem, self.model, self.x
        n_slots = p.n_slots
        m.add(self.primary >= floor)
        busy_now = busy_matrix(p, hint)
        counts = np.zeros(p.n_participants, np.int64)
        placed = hint >= 0
        np.add.at(counts, p.a[placed], 1)
        np.add.at(counts, p.b[placed], 1)
        starts: list[cp_model.IntVar] = []
        start_hints: list[int] = []
        busy: dict[tuple[int, int], cp_model.LinearExpr] = {}
        for key, members in self.groups.items():
            q, s = divmod(key, n_slots)
            terms = [x[j] for j in members.tolist()]
            if int(p.capacity[q]) == 1:
                busy[(q, s)] = cp_model.LinearExpr.sum(terms)  # at most one: 0 or 1
            else:
                b = m.new_bool_var("")
                for t in terms:
                    m.add_implication(t, b)
                m.add(b <= cp_model.LinearExpr.sum(terms))
                m.add_hint(b, bool(busy_now[q, s]))
                busy[(q, s)] = b
        for (q, s), expr in busy.items():
            start = m.new_bool_var("")
            prev = busy.get((q, s - 1)) if s > 0 and p.follows[s] else None
            if prev is None:
                m.add(start >= expr)
                start_hints.append(int(busy_now[q, s]))
            else:
                m.add(start >= expr - prev)
                start_hints.append(int(busy_now[q, s] and not busy_now[q, s - 1]))
            starts.append(start)
        shorts: list[cp_model.IntVar] = []
        for q in np.flatnonzero(p.min_meetings > 0).tolist():
            want = int(p.min_meetings[q])
            short = m.new_int_var(0, want, "")
            mine = [x[j] for key in self._keys_of(q) for j in self.groups[key].tolist()]
            m.add(short + cp_model.LinearExpr.sum(mine) >= want)
            m.add_hint(short, max(0, want - int(counts[q])))
            shorts.append(short)
        for var, value in zip(starts, start_hints, strict=True):
            m.add_hint(var, value)
        weight = len(starts) + 1  # one unit of shortfall outweighs every block
        m.minimize(weight * cp_model.LinearExpr.sum(shorts) + cp_model.LinearExpr.sum(starts))

    def _keys_of(self, q: int) -> list[int]:
        n = self.problem.n_slots
        return [q * n + s for s in range(n) if q * n + s in self.groups]


class _Improvements(cp_model.CpSolverSolutionCallback):
    """Tells ``report`` each improving solution's objective and the bound at that time."""

    def __init__(self, report: Callable[[int, float], None]) -> None:
        super().__init__()
        self.report = report

    def on_solution_callback(self) -> None:
        self.report(round(self.objective_value), self.best_objective_bound)


def _solver(options: CpSatOptions, seconds: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(seconds, 0.01)
    solver.parameters.num_workers = options.workers
    solver.parameters.random_seed = options.seed
    solver.parameters.log_search_progress = options.log
    if options.linearization_level is not None:
        solver.parameters.linearization_level = options.linearization_level
    return solver


def solve_cpsat(
    problem: Problem,
    hint: Plan | None = None,
    options: CpSatOptions | None = None,
    *,
    must_place: BoolArray | None = None,
    on_solution: Callable[[int, float], None] | None = None,
) -> CpSatResult:
    """``must_place``: requests that must get one of their feasible slots; ``on_solution``
    hears (objective, CP-SAT's bound) at each improving solution."""
    options = options or CpSatOptions()
    t0 = time.perf_counter()
    model = _SlotModel(problem)
    if hint is not None:
        model.hint(hint)
    if must_place is not None:
        starts = np.searchsorted(model.r, np.arange(problem.n_requests + 1))
        for r in np.flatnonzero(must_place).tolist():
            model.model.add(
                cp_model.LinearExpr.sum(model.x[int(starts[r]) : int(starts[r + 1])]) == 1
            )
    if options.objective_cap is not None:
        model.model.add(model.primary <= options.objective_cap)
    build = time.perf_counter() - t0
    solver = _solver(options, options.time_limit_s)
    status = solver.solve(model.model, _Improvements(on_solution) if on_solution else None)
    status_name = solver.status_name(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        plan = hint.copy() if hint is not None else problem.empty_plan()
        return CpSatResult(
            plan=plan,
            status=status_name,
            objective=problem.objective(plan),
            bound=float(solver.best_objective_bound),
            seconds=time.perf_counter() - t0,
            build_seconds=build,
            hint_objective=None if hint is None else problem.objective(hint),
            variables=len(model.x),
        )
    plan = model.plan_from(solver)
    objective = problem.objective(plan)
    bound = float(solver.best_objective_bound)
    secondary = None
    if options.secondary_time_limit_s > 0:
        t1 = time.perf_counter()
        floor = math.ceil(objective * (1.0 - options.primary_tolerance))
        short0, _ = shortfall(problem, plan)
        gaps0, _ = idle(problem, plan)
        model.hint(plan)
        model.add_secondary(floor, plan)
        solver2 = _solver(options, options.secondary_time_limit_s)
        status2 = solver2.solve(model.model)
        if status2 in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            plan = model.plan_from(solver2)
            objective = problem.objective(plan)
        short1, _ = shortfall(problem, plan)
        gaps1, _ = idle(problem, plan)
        secondary = SecondaryResult(
            status=solver2.status_name(status2),
            seconds=time.perf_counter() - t1,
            shortfall_before=short0,
            shortfall_after=short1,
            gaps_before=gaps0,
            gaps_after=gaps1,
        )
    return CpSatResult(
        plan=plan,
        status=status_name,
        objective=objective,
        bound=bound,
        seconds=time.perf_counter() - t0,
        build_seconds=build,
        hint_objective=None if hint is None else problem.objective(hint),
        variables=len(model.x),
        secondary=secondary,
    )
