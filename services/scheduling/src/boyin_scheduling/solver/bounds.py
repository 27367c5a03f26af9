"""Upper bounds on the priority-weighted number of meetings any schedule can hold.

* ``total``: every request that has at least one feasible slot;
* ``capacity``: online requests, plus for each table pool only its best requests up to the
  pool's table-slots (Σ over slots of the tables set up);
* ``flow``: a max-weight b-matching, solved as a min-cost flow: each participant meets at
  most min(its requests, its usable slots × representatives) times (slots ignored; for
  talent–organisation requests this is Kőnig's bipartite degree bound);
* ``lp``: the LP relaxation of the slot model (the CP-SAT model with x in [0, 1]) solved
  by GLOP; the tightest. The objective is an integer, so its floor is a bound too.

``best`` is the smallest. Gaps are reported against it, not against CP-SAT's own bound
(weak with 2 workers).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from ortools.graph.python import min_cost_flow

from boyin_scheduling.solver.lp import lp_bound
from boyin_scheduling.solver.model import Kind
from boyin_scheduling.solver.problem import Problem


@dataclass(frozen=True)
class Bounds:
    total: int
    capacity: int
    flow: int
    #: the LP bound certified from the solver's duals (valid even if it stopped early)
    lp: float | None
    lp_status: str
    seconds: dict[str, float] = field(default_factory=dict)
    #: requests with no feasible slot at all
    infeasible_requests: int = 0

    @property
    def best(self) -> int:
        candidates = [self.total, self.capacity, self.flow]
        if self.lp is not None:
            candidates.append(math.floor(self.lp + 1e-6))
        return min(candidates)


def total_bound(problem: Problem) -> int:
    has_slot = problem.feasible.any(axis=1)
    return int(problem.priority[has_slot].sum())


def capacity_bound(problem: Problem) -> int:
    has_slot = problem.feasible.any(axis=1)
    value = int(problem.priority[has_slot & ~problem.onsite].sum())
    for k in range(len(problem.pool_owner)):
        members = np.flatnonzero(has_slot & problem.onsite & (problem.pool == k))
        if members.size == 0:
            continue
        usable = problem.feasible[members].any(axis=0)
        room = int(problem.pool_cap[k, usable].sum())
        best = np.sort(problem.priority[members])[::-1][:room]
        value += int(best.sum())
    return value


def participant_caps(problem: Problem) -> NDArray[np.int64]:
    """min(requests with a slot, usable slots × representatives) per participant."""
    caps = np.zeros(problem.n_participants, np.int64)
    has_slot = np.asarray(problem.feasible.any(axis=1), dtype=np.bool_)
    for p, mine in enumerate(problem.requests_of):
        reqs = mine[has_slot[mine]]
        if reqs.size == 0:
            continue
        slots = int(problem.feasible[reqs].any(axis=0).sum())
        caps[p] = min(reqs.size, slots * int(problem.capacity[p]))
    return caps


def flow_bound(problem: Problem) -> int:
    """Max-weight b-matching with participant caps, as a min-cost flow.

    Every participant has a left and a right node, each with its cap; a request is an arc
    from its talent's left node to its organisation's right node (from ``a`` to ``b`` when
    both are of one kind). Any schedule maps to such a flow, so this is a valid bound.
    """
    caps = participant_caps(problem)
    has_slot = problem.feasible.any(axis=1)
    reqs = np.flatnonzero(has_slot)
    if reqs.size == 0:
        return 0
    n = problem.n_participants
    source, sink = 2 * n, 2 * n + 1
    talent = np.array([p.kind is Kind.TALENT for p in problem.participants])
    a, b = problem.a[reqs], problem.b[reqs]
    swap = ~talent[a] & talent[b]
    left = np.where(swap, b, a)
    right = np.where(swap, a, b)
    total = int(reqs.size)
    tails = np.concatenate([np.full(n, source), left, n + np.arange(n), [source]])
    heads = np.concatenate([np.arange(n), n + right, np.full(n, sink), [sink]])
    capacities = np.concatenate([caps, np.ones(reqs.size, np.int64), caps, [total]])
    costs = np.concatenate(
        [np.zeros(n, np.int64), -problem.priority[reqs], np.zeros(n, np.int64), [0]]
    )
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32),
        heads.astype(np.int32),
        capacities.astype(np.int64),
        costs.astype(np.int64),
    )
    flow.set_node_supply(source, total)
    flow.set_node_supply(sink, -total)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed: {status}")
    return int(-flow.optimal_cost())


def compute_bounds(
    problem: Problem,
    *,
    lp: bool = True,
    lp_time_limit_s: float = 30.0,
    lp_solver: str = "GLOP",
) -> Bounds:
    seconds: dict[str, float] = {}
    t = time.perf_counter()
    total = total_bound(problem)
    seconds["total"] = time.perf_counter() - t
    t = time.perf_counter()
    capacity = capacity_bound(problem)
    seconds["capacity"] = time.perf_counter() - t
    t = time.perf_counter()
    flow = flow_bound(problem)
    seconds["flow"] = time.perf_counter() - t
    lp_value: float | None = None
    lp_status = "SKIPPED"
    if lp:
        t = time.perf_counter()
        lp_value, lp_status = lp_bound(problem, lp_time_limit_s, lp_solver)
        seconds["lp"] = time.perf_counter() - t
    return Bounds(
        total=total,
        capacity=capacity,
        flow=flow,
        lp=lp_value,
        lp_status=lp_status,
        seconds=seconds,
        infeasible_requests=int((~problem.feasible.any(axis=1)).sum()),
    )
