"""The LP relaxation of the slot model, solved for its primal solution and a certified bound.

x[r, s] in [0, 1] for every feasible (request, slot); Σ_s x[r, s] ≤ 1; per participant and
slot Σ x ≤ representatives; per table pool and slot Σ x ≤ tables set up. A capacity row with
no more members than its capacity is left out (x ≤ 1 already implies it).

The objective is ``weights`` (by default the priorities, i.e. the schedule's objective). The
bound is certified from the solver's dual prices (``certified_bound``): valid whatever
the solver did, so a first-order solver (PDLP) stopped at a time limit still yields a sound
bound, and at a simplex optimum (GLOP) it equals the LP value.

``integral_plan`` checks integrality: every variable within ``INTEGRALITY_TOL`` of 0 or 1 and
at most one slot per request; the caller then checks the plan itself exactly (validator,
objective in integer arithmetic against the bound).
"""

from __future__ import annotations

import dataclasses
import math
import time
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from ortools.linear_solver import linear_solver_pb2, pywraplp

from boyin_scheduling.solver.problem import BoolArray, IntArray, Plan, Problem

FloatArray = NDArray[np.float64]
#: how far from 0 or 1 a variable of a vertex may be and still count as integral
INTEGRALITY_TOL = 1e-6


@dataclass(frozen=True)
class LpSolution:
    #: the value of each (request, slot) pair, aligned with ``r`` and ``s``
    x: FloatArray
    r: IntArray
    s: IntArray
    #: the solver's own objective value and the bound certified from its duals
    value: float
    bound: float
    status: str
    seconds: float
    build_seconds: float
    #: the dual prices (request, participant × slot, pool × slot); None if not solved
    prices: tuple[FloatArray, FloatArray, FloatArray] | None = None
    #: rounds of column generation (1: every column from the start)
    rounds: int = 1

    @property
    def fractional(self) -> int:
        """Variables farther than ``INTEGRALITY_TOL`` from 0 and from 1."""
        x = self.x
        return int(((x > INTEGRALITY_TOL) & (x < 1.0 - INTEGRALITY_TOL)).sum())


def reduced_costs(
    problem: Problem,
    y_request: FloatArray,
    y_participant: FloatArray,
    y_pool: FloatArray,
    weights: NDArray[np.int64] | None = None,
) -> tuple[IntArray, IntArray, FloatArray]:
    """(r, s, weight − the prices x[r, s] pays) for every feasible pair, prices clipped at 0."""
    yr = np.maximum(y_request, 0.0)
    yp = np.maximum(y_participant, 0.0)
    yk = np.maximum(y_pool, 0.0)
    r_idx, s_idx = np.nonzero(problem.feasible)
    r, s = r_idx.astype(np.int64), s_idx.astype(np.int64)
    pool_price = np.where(problem.onsite[r], yk[np.maximum(problem.pool[r], 0), s], 0.0)
    w = problem.priority if weights is None else weights
    reduced: FloatArray = (
        w[r].astype(np.float64) - yr[r] - yp[problem.a[r], s] - yp[problem.b[r], s] - pool_price
    )
    return r, s, reduced


def certified_bound(
    problem: Problem,
    y_request: FloatArray,
    y_participant: FloatArray,
    y_pool: FloatArray,
    weights: NDArray[np.int64] | None = None,
) -> float:
    """An upper bound from any dual prices y ≥ 0 (Lagrangian relaxation with the box 0 ≤ x ≤ 1):
    Σ capacities × prices + Σ over (r, s) of max(0, priority − prices r's x[r, s] pays).

    ``weights`` replaces the priorities as the objective (a lexicographic weighting).
    Valid whatever y is, so a solver stopped early (or a first-order one such as PDLP)
    still yields a sound bound; at the LP optimum it equals the LP value.
    """
    _, _, reduced = reduced_costs(problem, y_request, y_participant, y_pool, weights)
    has_slot = problem.feasible.any(axis=1)
    return float(
        np.maximum(y_request, 0.0)[has_slot].sum()
        + (np.maximum(y_participant, 0.0) * problem.capacity[:, None]).sum()
        + (np.maximum(y_pool, 0.0) * problem.pool_cap).sum()
        + np.maximum(reduced, 0.0).sum()
    )


def _capacity_rows(
    keys: IntArray, cap_of_key: IntArray, columns: IntArray
) -> list[tuple[int, int, IntArray]]:
    """(key, capacity, member columns) of each key whose members outnumber its capacity."""
    if keys.size == 0:
        return []
    order = np.argsort(keys, kind="stable")
    keys, columns = keys[order], columns[order]
    cuts = np.flatnonzero(np.diff(keys)) + 1
    rows = []
    for k, cols in zip(np.split(keys, cuts), np.split(columns, cuts), strict=True):
        key = int(k[0])
        cap = int(cap_of_key[key])
        if cols.size > cap:
            rows.append((key, cap, cols))
    return rows


def solve_lp(
    problem: Problem,
    weights: IntArray | None = None,
    *,
    time_limit_s: float = 60.0,
    solver_name: str = "GLOP",
    columns: BoolArray | None = None,
) -> LpSolution | None:
    """The LP's primal solution and certified bound; ``None`` when the solver is missing.
    ``columns`` restricts the variables to those pairs (the bound still covers them all)."""
    t0 = time.perf_counter()
    w = problem.priority if weights is None else weights
    r_idx, s_idx = np.nonzero(problem.feasible if columns is None else columns & problem.feasible)
    r, s = r_idx.astype(np.int64), s_idx.astype(np.int64)
    n = r.size
    if n == 0:
        empty = np.zeros(0)
        return LpSolution(empty, r, s, 0.0, 0.0, "EMPTY", time.perf_counter() - t0, 0.0)
    cols = np.arange(n, dtype=np.int64)
    n_slots = problem.n_slots
    rows = {
        "request": _capacity_rows(r, np.ones(problem.n_requests, np.int64), cols),
        "participant": _capacity_rows(
            np.concatenate([problem.a[r], problem.b[r]]) * n_slots + np.concatenate([s, s]),
            np.repeat(problem.capacity, n_slots),
            np.concatenate([cols, cols]),
        ),
        "pool": _capacity_rows(
            problem.pool[r[problem.onsite[r]]] * n_slots + s[problem.onsite[r]],
            problem.pool_cap.ravel(),
            cols[problem.onsite[r]],
        ),
    }
    proto = linear_solver_pb2.MPModelProto(maximize=True)
    for weight in w[r].astype(np.float64).tolist():
        proto.variable.add(lower_bound=0.0, upper_bound=1.0, objective_coefficient=weight)
    for kind_rows in rows.values():
        for _, cap, members in kind_rows:
            c = proto.constraint.add(upper_bound=float(cap))
            c.var_index.extend(members.tolist())
            c.coefficient.extend([1.0] * members.size)
    solver = pywraplp.Solver.CreateSolver(solver_name)
    if solver is None:
        return None
    error = solver.LoadModelFromProto(proto)
    if error:
        raise RuntimeError(f"the LP did not load: {error}")
    solver.SetTimeLimit(int(time_limit_s * 1000))
    if solver_name == "GLOP":
        # every coefficient is 1: scaling only costs time
        solver.SetSolverSpecificParametersAsString("use_scaling: false")
    build = time.perf_counter() - t0
    status = solver.Solve()
    response = linear_solver_pb2.MPSolutionResponse()
    solver.FillSolutionResponseProto(response)
    x = np.clip(np.array(response.variable_value, np.float64), 0.0, 1.0)
    duals = np.array(response.dual_value, np.float64)
    n_rows = sum(len(kind_rows) for kind_rows in rows.values())
    if duals.size != n_rows or x.size != n:  # the solver stopped before it had a basis
        return LpSolution(
            np.zeros(n), r, s, 0.0, math.inf, "NOT_SOLVED", time.perf_counter() - t0, build
        )
    prices = {
        "request": np.zeros(problem.n_requests),
        "participant": np.zeros(problem.n_participants * n_slots),
        "pool": np.zeros(problem.pool_cap.size),
    }
    at = 0
    for kind, kind_rows in rows.items():
        keys = np.array([key for key, _, _ in kind_rows], np.int64)
        prices[kind][keys] = duals[at : at + keys.size]
        at += keys.size
    y = (
        prices["request"],
        prices["participant"].reshape(problem.n_participants, n_slots),
        prices["pool"].reshape(problem.pool_cap.shape),
    )
    bound = certified_bound(problem, *y, w)
    names = {
        pywraplp.Solver.OPTIMAL: "OPTIMAL",
        pywraplp.Solver.FEASIBLE: "FEASIBLE",
        pywraplp.Solver.NOT_SOLVED: "NOT_SOLVED",
    }
    return LpSolution(
        x=x,
        r=r,
        s=s,
        value=float(response.objective_value),
        bound=bound,
        status=names.get(status, f"STATUS_{status}"),
        seconds=time.perf_counter() - t0,
        build_seconds=build,
        prices=y,
    )


def solve_lp_by_columns(
    problem: Problem,
    weights: IntArray,
    start: Plan,
    *,
    per_request: int = 4,
    time_limit_s: float = 60.0,
    seed: int = 0,
) -> LpSolution | None:
    """The same LP by column generation: first each request's slot in ``start`` and up to
    ``per_request`` other feasible slots (seeded), then, while some left-out pair has a
    positive reduced cost at the duals, those pairs too. When none has, the restricted LP's
    optimum is the full LP's (its certified bound, over every pair, meets its value). If
    time runs out first, the last restricted optimum comes back as "RESTRICTED" (a primal
    to round) with the smallest certified bound of the rounds."""
    t0 = time.perf_counter()
    rng = np.random.default_rng(seed)
    noise = rng.random(problem.feasible.shape)
    # the per_request feasible slots of smallest noise, and the starting slot
    keyed = np.where(problem.feasible, noise, np.inf)
    k = min(per_request, problem.n_slots)
    mask = np.zeros_like(problem.feasible)
    if k > 0:
        pick = np.argpartition(keyed, k - 1, axis=1)[:, :k]
        np.put_along_axis(mask, pick, True, axis=1)
    placed = np.flatnonzero(start >= 0)
    mask[placed, start[placed]] = True
    mask &= problem.feasible
    tolerance = 1e-9 * float(max(int(weights.max(initial=1)), 1))
    rounds = 0
    solution: LpSolution | None = None
    restricted: LpSolution | None = None  # the last restricted LP solved to optimality
    bound = math.inf
    converged = False
    while True:
        rounds += 1
        remaining = time_limit_s - (time.perf_counter() - t0)
        solution = solve_lp(
            problem, weights, time_limit_s=max(remaining, 0.1), solver_name="GLOP", columns=mask
        )
        if solution is None or solution.prices is None or solution.status != "OPTIMAL":
            break
        restricted = solution
        bound = min(bound, solution.bound)
        r, s, reduced = reduced_costs(problem, *solution.prices, weights)
        enter = (reduced > tolerance) & ~mask[r, s]
        if not enter.any():
            converged = True
            break
        if time.perf_counter() - t0 >= time_limit_s:
            break
        mask[r[enter], s[enter]] = True
    if restricted is None:
        return solution
    # stopped before convergence: the last restricted optimum is still a good primal, and
    # every round's certified bound is valid (the smallest is kept)
    return dataclasses.replace(
        restricted,
        bound=bound,
        status="OPTIMAL" if converged else "RESTRICTED",
        seconds=time.perf_counter() - t0,
        rounds=rounds,
    )


def integral_plan(problem: Problem, lp: LpSolution) -> Plan | None:
    """The LP's solution as a plan when every variable is within ``INTEGRALITY_TOL`` of 0
    or 1 (and no request takes two slots); else ``None``."""
    if lp.fractional:
        return None
    on = lp.x > 0.5
    plan = problem.empty_plan()
    if np.bincount(lp.r[on], minlength=problem.n_requests).max(initial=0) > 1:
        return None
    plan[lp.r[on]] = lp.s[on]
    return plan


def lp_bound(
    problem: Problem, time_limit_s: float = 30.0, solver_name: str = "GLOP"
) -> tuple[float | None, str]:
    """The LP relaxation's bound on the priorities, certified from the solver's duals, and
    the solver's status; ``solver_name`` is "GLOP" (simplex, exact) or "PDLP" (first order)."""
    solution = solve_lp(problem, time_limit_s=time_limit_s, solver_name=solver_name)
    if solution is None:
        return None, "UNAVAILABLE"
    if solution.status == "NOT_SOLVED":
        return None, solution.status
    return solution.bound, solution.status
