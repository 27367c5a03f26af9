"""Optimal first (``solver.optimal``): the LP's integral solution checked against the
validator and an exhaustive optimum; the fractional path on an instance built to be
fractional; the secondary criteria never lowering the objective; progress reports."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from boyin_scheduling.solver.generator import triangle_fair
from boyin_scheduling.solver.greedy import solve_greedy
from boyin_scheduling.solver.lp import integral_plan, solve_lp, solve_lp_by_columns
from boyin_scheduling.solver.model import Instance, Mode
from boyin_scheduling.solver.optimal import (
    Progress,
    lexicographic_weights,
    plan_conflicts,
    solve_optimal,
)
from boyin_scheduling.solver.problem import Problem, build_problem
from boyin_scheduling.solver.secondary import improve_for_people, people_metrics
from boyin_scheduling.solver.tables import schedule_from_plan
from boyin_scheduling.solver.validate import validate_schedule
from tests.scheduling.solver_support import (
    brute_force_lex,
    grid,
    org,
    random_tiny,
    request,
    small_fair,
    talent,
)


def assert_valid(problem: Problem, plan: np.ndarray) -> None:
    report = validate_schedule(problem.instance, schedule_from_plan(problem, plan))
    assert report.ok, report.violations[:5]
    assert plan_conflicts(problem, plan) == 0


@pytest.mark.parametrize("seed", range(12))
def test_an_integral_lp_is_the_exhaustive_optimum_with_the_most_meetings(seed: int) -> None:
    problem = build_problem(random_tiny(seed))
    best, most = brute_force_lex(problem)
    lp = solve_lp(problem, lexicographic_weights(problem))
    assert lp is not None and lp.status == "OPTIMAL"
    plan = integral_plan(problem, lp)
    result = solve_optimal(problem, time_limit_s=10.0, people=False)
    assert result.objective == best
    assert result.bound == best and result.gap == 0.0 and result.optimal
    assert_valid(problem, result.plan)
    if plan is not None:
        # the LP's own vertex: a valid schedule, the optimum, and the most meetings there
        assert result.path == "lp-integral"
        assert_valid(problem, plan)
        assert problem.objective(plan) == best
        assert int((plan >= 0).sum()) == most
    else:
        assert result.path.startswith("lp-rounded")


def test_a_fractional_lp_is_rounded_then_proven_by_cpsat() -> None:
    instance = triangle_fair(triangles=4)
    problem = build_problem(instance)
    lp = solve_lp(problem)
    assert lp is not None and lp.status == "OPTIMAL"
    assert lp.fractional > 0
    assert integral_plan(problem, lp) is None
    # the LP counts all three meetings of every triangle; two of three fit
    weights = problem.priority.reshape(-1, 3)
    assert lp.bound == pytest.approx(float(weights.sum()))
    optimum = int((weights.sum(axis=1) - weights.min(axis=1)).sum())
    result = solve_optimal(problem, time_limit_s=10.0, people=False)
    assert result.path == "lp-rounded+cpsat"
    assert result.lp_fractional > 0
    assert result.objective == optimum
    assert result.bound == optimum and result.gap == 0.0
    assert_valid(problem, result.plan)


def test_zero_weight_requests_that_fit_are_placed() -> None:
    edition = grid(n_slots=2, n_tables=1)
    people = (talent("t1"), talent("t2"), org("o1"), org("o2"))
    reqs = (
        request("r1", "t1", "o1", weight=90),
        request("r2", "t2", "o1", weight=0),
        request("r3", "t2", "o2", weight=0, mode=Mode.ONLINE),
        request("r4", "t1", "o2", weight=0),
    )
    problem = build_problem(Instance(edition, people, reqs))
    result = solve_optimal(problem, time_limit_s=5.0)
    assert result.objective == 90 and result.optimal
    # one table, two slots: r1 and one on-site zero-weight meeting, plus the online one
    assert int((result.plan >= 0).sum()) == 3
    assert result.plan[problem.request_index["r3"]] >= 0
    assert_valid(problem, result.plan)


@pytest.mark.parametrize("seed", [1, 2])
def test_people_come_second_and_never_cost_objective(seed: int) -> None:
    problem = build_problem(small_fair(seed))
    result = solve_optimal(problem, time_limit_s=10.0, people=False)
    improved, report = improve_for_people(problem, result.plan)
    assert problem.objective(improved) == result.objective
    assert report.before == people_metrics(problem, result.plan)
    assert report.after == people_metrics(problem, improved)
    after = report.after
    assert after.meetings >= report.before.meetings
    assert after.idle_gaps <= report.before.idle_gaps
    assert after.without_meeting <= report.before.without_meeting
    assert after.shortfall <= report.before.shortfall
    assert_valid(problem, improved)


def test_conflicts_are_counted_in_integers() -> None:
    problem = build_problem(small_fair(1))
    result = solve_optimal(problem, time_limit_s=10.0, people=False)
    plan = result.plan.copy()
    placed = np.flatnonzero(plan >= 0)
    a = int(problem.a[placed[0]])
    other = [r for r in problem.requests_of[a].tolist() if r != placed[0]]
    assert other
    plan[other[0]] = plan[placed[0]]  # the same participant twice in one slot
    assert plan_conflicts(problem, plan) > 0


def test_progress_reports_phases_with_a_bound_above_the_incumbent() -> None:
    problem = build_problem(triangle_fair(triangles=2))
    seen: list[Progress] = []
    result = solve_optimal(problem, time_limit_s=5.0, progress=seen.append)
    phases = [p.phase for p in seen]
    assert phases[0] == "greedy" and phases[-1] == "done"
    assert "lp" in phases and "cp-sat" in phases and "people" in phases
    for p in seen:
        assert p.incumbent is not None and p.bound is not None
        assert p.incumbent <= p.bound
    incumbents = [p.incumbent or 0 for p in seen]
    assert incumbents == sorted(incumbents)
    assert seen[-1].gap == 0.0 and seen[-1].incumbent == result.objective
    # CP-SAT reports each improving solution while it runs, not only when it is done
    assert phases.count("cp-sat") >= 2


def test_without_the_lp_the_cheap_bounds_still_give_a_proven_gap() -> None:
    problem = build_problem(small_fair(3))
    result = solve_optimal(problem, time_limit_s=0.0, lp=False, people=False)
    assert result.path == "greedy" and result.lp_status == "SKIPPED"
    assert result.objective <= result.bound
    assert 0.0 <= result.gap < 1.0
    assert dataclasses.replace(result, objective=result.bound).gap == 0.0


@pytest.mark.parametrize("seed", [15, 49, 163])
def test_talent_organisation_requests_alone_can_be_fractional(seed: int) -> None:
    # found by searching random_tiny: an organisation with two representatives and a
    # table pool smaller than the meetings that want it give the LP a fractional optimum
    problem = build_problem(random_tiny(seed))
    best, _ = brute_force_lex(problem)
    lp = solve_lp(problem)
    assert lp is not None and lp.bound > best + 0.5
    result = solve_optimal(problem, time_limit_s=10.0, people=False)
    # CP-SAT proves it from the rounded LP or from greedy, whichever was better
    assert result.lp_fractional > 0 and result.path.endswith("+cpsat")
    assert result.objective == best and result.bound == best
    assert_valid(problem, result.plan)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_column_generation_reaches_the_whole_lp_and_certifies_it(seed: int) -> None:
    problem = build_problem(small_fair(seed))
    weights = lexicographic_weights(problem)
    whole = solve_lp(problem, weights)
    start = solve_greedy(problem).plan
    by_columns = solve_lp_by_columns(problem, weights, start, per_request=0)
    assert whole is not None and by_columns is not None
    assert whole.status == by_columns.status == "OPTIMAL"
    # greedy's slots alone were not enough: pairs priced in, then no positive reduced cost
    assert by_columns.rounds >= 2
    assert by_columns.r.size <= whole.r.size
    assert by_columns.value == pytest.approx(whole.value, abs=1e-6)
    assert by_columns.bound == pytest.approx(whole.value, abs=1e-3)


def test_column_generation_cut_short_keeps_a_primal_and_a_valid_bound() -> None:
    problem = build_problem(small_fair(1))
    weights = lexicographic_weights(problem)
    whole = solve_lp(problem, weights)
    start = solve_greedy(problem).plan
    short = solve_lp_by_columns(problem, weights, start, per_request=0, time_limit_s=0.0)
    assert whole is not None and short is not None
    assert short.status == "RESTRICTED" and short.rounds == 1
    assert short.bound >= whole.value - 1e-6  # still a bound on the whole LP
    assert short.value <= whole.value + 1e-6  # a restricted optimum
    result = solve_optimal(problem, time_limit_s=10.0, people=False)
    assert result.optimal and result.lp_status == "OPTIMAL"
