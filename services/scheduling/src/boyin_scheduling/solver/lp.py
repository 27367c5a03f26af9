"""The LP relaxation of the slot model, solved for its primal solution and a certified bound.

x[r, s] in [0, 1] for every feasible (request, slot); Σ_s x[r, s] ≤ 1; per participant and
slot Σ x ≤ representatives; per table pool and slot Σ x ≤ tables set up. A capacity row with
no more members than its capacity is left out (x ≤ 1 already implies it).

The objective is ``weights`` (by default the priorities, i.e. the schedule's objective). The
bound is certified from the solver's dual prices (``bounds.certified_bound``): valid whatever
the solver did, so a first-order solver (PDLP) stopped at a time limit still yields a sound
bound, and at a simplex optimum (GLOP) it equals the LP value.

``integral_plan`` checks integrality: every variable within ``INTEGRALITY_TOL`` of 0 or 1 and
at most one slot per request; the caller then checks the plan itself exactly (validator,
objective in integer arithmetic against the bound).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from ortools.linear_solver import linear_solver_pb2, pywraplp

from boyin_scheduling.solver.bounds import certified_bound
from boyin_scheduling.solver.problem import IntArray, Plan, Problem

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

    @property
    def fractional(self) -> int:
        """Variables farther than ``INTEGRALITY_TOL`` from 0 and from 1."""
        x = self.x
        return int(((x > INTEGRALITY_TOL) & (x < 1.0 - INTEGRALITY_TOL)).sum())


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
) -> LpSolution | None:
    """The LP's primal solution and certified bound; ``None`` when the solver is missing."""
    t0 = time.perf_counter()
    w = problem.priority if weights is None else weights
    r_idx, s_idx = np.nonzero(problem.feasible)
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
    bound = certified_bound(
        problem,
        prices["request"],
        prices["participant"].reshape(problem.n_participants, n_slots),
        prices["pool"].reshape(problem.pool_cap.shape),
        w,
    )
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
