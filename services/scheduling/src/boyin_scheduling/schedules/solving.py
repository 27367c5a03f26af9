"""The operator's full solve and the automatic repair, from an ``Instance`` to a
``Timetable`` (pure, CPU-bound: the service runs them in a worker thread).

Solve: greedy, polish, then CP-SAT from that hint under a time limit; the LP bound says
how far from optimal the result can be; the validator must find no conflict.
Repair: ``solver.repair.place_waiting`` on the published timetable.

Each phase of a solve is a span (``schedule greedy``, ``schedule cp-sat``...) under the
planner's ``schedule solve``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from boyin_scheduling.schedules.domain import Placed, Timetable
from boyin_scheduling.solver import model as core
from boyin_scheduling.solver.bounds import compute_bounds
from boyin_scheduling.solver.cpsat import CpSatOptions, solve_cpsat
from boyin_scheduling.solver.greedy import solve_greedy
from boyin_scheduling.solver.polish import polish
from boyin_scheduling.solver.problem import Problem, build_problem
from boyin_scheduling.solver.repair import NO_COMMON_SLOT, NO_ROOM, place_waiting
from boyin_scheduling.solver.tables import schedule_from_plan
from boyin_scheduling.solver.validate import validate_schedule
from boyin_shared.errors import Message
from boyin_shared.propagation import TRACER

MAX_TIME_LIMIT_S = 300.0


@dataclass(frozen=True)
class SolveOptions:
    #: CP-SAT's time limit; 0 keeps the polished greedy schedule
    time_limit_s: float = 10.0
    workers: int = 2
    #: compute the LP relaxation's bound (about 3 s for 5,000 requests)
    lp_bound: bool = True


def _reasons(problem: Problem, unscheduled: tuple[str, ...]) -> dict[str, Message]:
    return {
        rid: NO_ROOM if problem.feasible[problem.request_index[rid]].any() else NO_COMMON_SLOT
        for rid in unscheduled
    }


def _timetable(
    instance: core.Instance,
    problem: Problem,
    schedule: core.Schedule,
    *,
    now: datetime,
    seconds: float,
    solver: str,
    bound: float | None,
    greedy: int | None,
) -> Timetable:
    report = validate_schedule(instance, schedule)
    plan_obj = sum(
        int(problem.priority[problem.request_index[p.request_id]]) for p in schedule.placements
    )
    return Timetable(
        placements=tuple(Placed(p.request_id, p.slot_id, p.table) for p in schedule.placements),
        unscheduled=schedule.unscheduled,
        reasons=_reasons(problem, schedule.unscheduled),
        objective=plan_obj,
        bound=bound,
        greedy_objective=greedy,
        solver=solver,
        seconds=seconds,
        computed_at=now,
        violations=len(report.violations),
    )


def solve(instance: core.Instance, options: SolveOptions, now: datetime) -> Timetable:
    """A full schedule of ``instance``; raises ``invalid`` for bad input."""
    t0 = time.perf_counter()
    with TRACER.start_as_current_span("schedule build"):
        problem = build_problem(instance)
    with TRACER.start_as_current_span("schedule greedy"):
        greedy = solve_greedy(problem)
    with TRACER.start_as_current_span("schedule polish"):
        plan = polish(problem, greedy.plan).plan
    solver = "greedy"
    if options.time_limit_s > 0 and problem.n_requests:
        with TRACER.start_as_current_span("schedule cp-sat") as span:
            cp = solve_cpsat(
                problem,
                plan,
                CpSatOptions(
                    time_limit_s=min(options.time_limit_s, MAX_TIME_LIMIT_S),
                    workers=options.workers,
                ),
            )
            span.set_attribute("boyin.solver.status", str(cp.status))
        if cp.objective >= problem.objective(plan):
            with TRACER.start_as_current_span("schedule polish"):
                plan = polish(problem, cp.plan).plan
            solver = f"cp-sat ({cp.status})"
    with TRACER.start_as_current_span("schedule bounds"):
        bounds = compute_bounds(problem, lp=options.lp_bound and problem.n_requests > 0)
    bound = bounds.lp if bounds.lp is not None else float(bounds.best)
    schedule = schedule_from_plan(problem, plan)
    return _timetable(
        instance,
        problem,
        schedule,
        now=now,
        seconds=time.perf_counter() - t0,
        solver=solver,
        bound=bound,
        greedy=greedy.objective,
    )


def repair(
    instance: core.Instance,
    published: Timetable,
    now: datetime,
    *,
    move_placed: bool = False,
) -> tuple[Timetable, tuple[str, ...]]:
    """The published timetable brought up to date with ``instance``; also the meetings
    that got a place or changed it. Slots that have begun receive no new meeting."""
    t0 = time.perf_counter()
    problem = build_problem(instance)
    starts = np.array([s.start >= now for s in problem.slots], np.bool_)
    first = int(np.argmax(starts)) if starts.any() else problem.n_slots
    current = core.Schedule(
        tuple(core.Placement(p.meeting_id, p.slot_id, p.table) for p in published.placements)
    )
    result = place_waiting(problem, current, first_slot=first, move_placed=move_placed)
    timetable = _timetable(
        instance,
        problem,
        result.schedule,
        now=now,
        seconds=time.perf_counter() - t0,
        solver="repair",
        bound=published.bound,
        greedy=None,
    )
    return timetable, (*result.placed, *result.moved, *result.dropped)
