"""The operator's full solve and the automatic repair, from an ``Instance`` to a
``Timetable`` (pure, CPU-bound: the service runs them in a worker thread).

Solve: ``solver.optimal`` (greedy first, then the LP: proven optimal when integral, else
rounded and CP-SAT from it under the time limit; then the best optimal schedule for
people); the validator must find no conflict.
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
from boyin_scheduling.solver.optimal import Progress, ProgressFn, solve_optimal
from boyin_scheduling.solver.problem import Problem, build_problem
from boyin_scheduling.solver.repair import NO_COMMON_SLOT, NO_ROOM, place_waiting
from boyin_scheduling.solver.tables import schedule_from_plan
from boyin_scheduling.solver.validate import validate_schedule
from boyin_shared.errors import Message
from boyin_shared.propagation import TRACER

MAX_TIME_LIMIT_S = 300.0


@dataclass(frozen=True)
class SolveOptions:
    #: the whole solve's time limit (LP, then CP-SAT when the LP is fractional)
    time_limit_s: float = 10.0
    workers: int = 2
    #: solve the LP relaxation (about 3 s for 5,000 requests): the optimum when integral
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


def solve(
    instance: core.Instance,
    options: SolveOptions,
    now: datetime,
    progress: ProgressFn | None = None,
) -> Timetable:
    """A full schedule of ``instance`` (``solver.optimal``: the LP first, proven optimal
    when integral); raises ``invalid`` for bad input. ``progress`` hears each phase."""
    t0 = time.perf_counter()
    with TRACER.start_as_current_span("schedule build"):
        problem = build_problem(instance)
    with TRACER.start_as_current_span("schedule optimal") as span:

        def phase(p: Progress) -> None:
            # each phase the solver reports is an event of the span (from its thread)
            found = {"incumbent": p.incumbent, "bound": p.bound}
            span.add_event(p.phase, {k: v for k, v in found.items() if v is not None})
            if progress is not None:
                progress(p)

        result = solve_optimal(
            problem,
            time_limit_s=min(options.time_limit_s, MAX_TIME_LIMIT_S),
            workers=options.workers,
            progress=phase,
            lp=options.lp_bound,
        )
        span.set_attribute("boyin.solver.path", result.path)
        span.set_attribute("boyin.solver.gap", result.gap)
    schedule = schedule_from_plan(problem, result.plan)
    return _timetable(
        instance,
        problem,
        schedule,
        now=now,
        seconds=time.perf_counter() - t0,
        solver=result.path,
        bound=float(result.bound),
        greedy=result.greedy_objective,
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
