"""Greedy, CP-SAT, bounds and polishing on small instances: valid, ordered, optimal when tiny."""

from __future__ import annotations

import numpy as np
import pytest

from boyin_scheduling.solver.bounds import compute_bounds
from boyin_scheduling.solver.cpsat import CpSatOptions, solve_cpsat
from boyin_scheduling.solver.greedy import solve_greedy
from boyin_scheduling.solver.lp import certified_bound, lp_bound
from boyin_scheduling.solver.metrics import idle, plan_metrics, shortfall
from boyin_scheduling.solver.model import Instance, Mode
from boyin_scheduling.solver.polish import polish
from boyin_scheduling.solver.problem import Plan, Problem, build_problem
from boyin_scheduling.solver.tables import schedule_from_plan
from boyin_scheduling.solver.validate import validate_schedule
from tests.scheduling.solver_support import (
    brute_force,
    grid,
    org,
    random_tiny,
    request,
    small_fair,
    talent,
)

QUICK = CpSatOptions(time_limit_s=10.0, workers=2, seed=1)


def assert_valid(problem: Problem, plan: Plan) -> None:
    report = validate_schedule(problem.instance, schedule_from_plan(problem, plan))
    assert report.ok, report.violations[:5]
    assert report.meetings == int((plan >= 0).sum())


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_greedy_and_cpsat_are_valid_and_ordered_below_every_bound(seed: int) -> None:
    problem = build_problem(small_fair(seed))
    greedy = solve_greedy(problem)
    assert_valid(problem, greedy.plan)
    cp = solve_cpsat(problem, greedy.plan, QUICK)
    assert cp.status == "OPTIMAL"
    assert_valid(problem, cp.plan)
    bounds = compute_bounds(problem)
    assert bounds.lp_status == "OPTIMAL" and bounds.lp is not None
    assert greedy.objective <= cp.objective <= bounds.lp + 1e-6
    assert bounds.lp <= min(bounds.flow, bounds.total) + 1e-6
    assert bounds.capacity <= bounds.total and bounds.flow <= bounds.total
    assert cp.objective <= bounds.best
    assert cp.bound >= cp.objective - 1e-6


@pytest.mark.parametrize("seed", range(8))
def test_cpsat_optimum_equals_brute_force_on_tiny_instances(seed: int) -> None:
    problem = build_problem(random_tiny(seed))
    best = brute_force(problem)
    cp = solve_cpsat(problem, None, QUICK)
    assert cp.status == "OPTIMAL"
    assert cp.objective == best
    assert_valid(problem, cp.plan)
    greedy = solve_greedy(problem)
    assert greedy.objective <= best
    bounds = compute_bounds(problem)
    assert bounds.best >= best


@pytest.mark.parametrize("seed", range(4))
def test_any_dual_prices_give_a_valid_bound(seed: int) -> None:
    problem = build_problem(random_tiny(seed))
    best = brute_force(problem)
    rng = np.random.default_rng(seed)
    for _ in range(20):
        scale = float(rng.uniform(0, 10))
        bound = certified_bound(
            problem,
            rng.uniform(0, scale, problem.n_requests),
            rng.uniform(0, scale, (problem.n_participants, problem.n_slots)),
            rng.uniform(0, scale, problem.pool_cap.shape),
        )
        assert bound >= best - 1e-9
    value, status = lp_bound(problem, solver_name="PDLP")
    assert status in {"OPTIMAL", "FEASIBLE"} and value is not None
    assert value >= best - 1e-6


def test_greedy_puts_must_meet_first() -> None:
    # o1 has one slot; two ordinary requests of higher weight compete with one must-meet
    edition = grid(n_slots=1, n_tables=3)
    inst = Instance(
        edition,
        (talent("t1"), talent("t2"), talent("t3"), org("o1")),
        (
            request("r1", "t1", "o1", weight=100),
            request("r2", "t2", "o1", weight=90, must=True),
            request("r3", "t3", "o1", weight=100),
        ),
    )
    problem = build_problem(inst)
    greedy = solve_greedy(problem)
    assert greedy.plan.tolist() == [-1, 0, -1]
    cp = solve_cpsat(problem, greedy.plan, QUICK)
    assert cp.plan.tolist() == [-1, 0, -1]


def test_scarce_requests_are_placed_first() -> None:
    # t1 can only meet in slot 1; the flexible request must leave it
    from boyin_scheduling.solver.model import Interval

    edition = grid(n_slots=2, n_tables=1)
    s2 = edition.slots[1]
    inst = Instance(
        edition,
        (talent("t1", blocked=(Interval(s2.start, s2.end),)), talent("t2"), org("o1")),
        (request("flex", "t2", "o1"), request("scarce", "t1", "o1")),
    )
    problem = build_problem(inst)
    greedy = solve_greedy(problem, moves=False)
    assert (greedy.plan >= 0).all()
    assert_valid(problem, greedy.plan)


def test_online_meetings_need_no_table_but_local_hours() -> None:
    edition = grid(n_slots=4, n_tables=1)
    # 09:00-11:00 Shanghai = 21:00-23:00 in New York the day before: only 09:00-10:00 fit
    inst = Instance(
        edition,
        (
            talent("ny", online_only=True, timezone="America/New_York"),
            talent("t1"),
            org("o1", representatives=2),
        ),
        (
            request("online", "ny", "o1", mode=Mode.ONLINE),
            request("onsite", "t1", "o1"),
        ),
    )
    problem = build_problem(inst)
    assert problem.feasible[0].tolist() == [True, True, False, False]
    cp = solve_cpsat(problem, None, QUICK)
    assert cp.objective == 200
    assert_valid(problem, cp.plan)


def test_the_secondary_solve_keeps_the_primary_and_reduces_gaps() -> None:
    problem = build_problem(small_fair(5))
    greedy = solve_greedy(problem)
    options = CpSatOptions(time_limit_s=10.0, secondary_time_limit_s=3.0, seed=1)
    cp = solve_cpsat(problem, greedy.plan, options)
    first = solve_cpsat(problem, greedy.plan, QUICK)
    assert cp.secondary is not None
    assert cp.secondary.status in {"OPTIMAL", "FEASIBLE"}
    assert cp.objective >= first.objective
    assert cp.secondary.shortfall_after <= cp.secondary.shortfall_before
    assert cp.secondary.gaps_after <= cp.secondary.gaps_before
    assert idle(problem, cp.plan)[0] == cp.secondary.gaps_after
    assert shortfall(problem, cp.plan)[0] == cp.secondary.shortfall_after
    assert_valid(problem, cp.plan)


@pytest.mark.parametrize("seed", [1, 4])
def test_polish_never_lowers_the_objective_nor_adds_gaps(seed: int) -> None:
    problem = build_problem(small_fair(seed))
    greedy = solve_greedy(problem)
    before = plan_metrics(problem, greedy.plan)
    result = polish(problem, greedy.plan)
    after = plan_metrics(problem, result.plan)
    assert after.objective >= before.objective
    assert after.idle_gaps <= before.idle_gaps
    assert after.shortfall <= before.shortfall
    assert_valid(problem, result.plan)


def test_an_instance_without_requests() -> None:
    inst = Instance(grid(), (talent("t1"), org("o1")), ())
    problem = build_problem(inst)
    assert solve_greedy(problem).objective == 0
    assert solve_cpsat(problem, None, QUICK).objective == 0
    assert compute_bounds(problem).best == 0
