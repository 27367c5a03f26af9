"""``python -m boyin_scheduling.bench``: the scheduling solver on three fairs.

For the 5,000-request benchmark fair, the 20,000-request fair (4,000 talents, 1,200
organisations, 3 days) and a deliberately fractional instance (``triangle_fair``), each in
its own process (so peak memory is its own): the instance, the optimal-first solve
(``solver.optimal``) with every progress report timed (phase, incumbent, bound, proven
gap), the path taken, objective, bound, proven gap, time, time to the first feasible
schedule, peak memory, each secondary criterion before and after, and the validator's
verdict. On the 5,000-request fair also single-change repairs and one iCalendar export;
``--cpsat-seconds`` adds the old comparison (CP-SAT from greedy alone).

Numbers depend on the machine and on whatever else runs on it: the load average is
printed next to the core count.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

import numpy as np

from boyin_scheduling.solver.cpsat import CpSatOptions, solve_cpsat
from boyin_scheduling.solver.generator import (
    LARGE_FAIR,
    FairConfig,
    generate_fair,
    triangle_fair,
)
from boyin_scheduling.solver.greedy import solve_greedy
from boyin_scheduling.solver.ics import agenda_ics
from boyin_scheduling.solver.metrics import PlanMetrics, plan_metrics
from boyin_scheduling.solver.model import Instance, Kind, Mode, Request, Schedule
from boyin_scheduling.solver.optimal import Progress, solve_optimal
from boyin_scheduling.solver.problem import Problem, build_problem
from boyin_scheduling.solver.repair import add_meeting, cancel_meeting
from boyin_scheduling.solver.tables import schedule_from_plan
from boyin_scheduling.solver.validate import validate_schedule

T = TypeVar("T")


def timed(f: Callable[[], T]) -> tuple[T, float]:
    t = time.perf_counter()
    value = f()
    return value, time.perf_counter() - t


def pct(value: float, bound: float) -> str:
    return f"{100.0 * value / bound:.3f}%" if bound else "n/a"


def describe(m: PlanMetrics) -> str:
    return (
        f"objective {m.objective:,}, meetings {m.meetings:,} ({m.online:,} online, "
        f"{m.must_meet} must-meet), idle gaps {m.idle_gaps:,} ({m.idle_slots:,} idle slots), "
        f"shortfall below minimums {m.shortfall} ({m.below_minimum} participants)"
    )


def new_request(
    problem: Problem, rng: np.random.Generator, online: bool, rid: str, booth: bool = False
) -> Request:
    """A new request between a talent and an organisation (one with a fixed booth if
    ``booth``) that have a common feasible slot."""
    pairs = {(r.a, r.b) for r in problem.requests}
    talents = [
        i
        for i, p in enumerate(problem.participants)
        if p.kind is Kind.TALENT and p.online_only == online
    ]
    with_booth = problem.pool_of_participant
    orgs = [
        i
        for i, p in enumerate(problem.participants)
        if p.kind is Kind.ORGANISATION and (not booth or p.id in with_booth)
    ]
    for _ in range(10_000):
        t, o = int(rng.choice(talents)), int(rng.choice(orgs))
        ta, ob = problem.participants[t], problem.participants[o]
        ok = problem.available[t] & problem.available[o]
        if online:
            ok &= problem.in_hours[t] & problem.in_hours[o]
        if (ta.id, ob.id) not in pairs and ok.any():
            mode = Mode.ONLINE if online else Mode.ON_SITE
            return Request(rid, ta.id, ob.id, weight=80, mode=mode)
    raise RuntimeError("no pair with a common slot")


def changed(before: Schedule, after: Schedule) -> set[str]:
    old = before.by_request
    return {p.request_id for p in after.placements if p.request_id in old} - {
        p.request_id for p in after.placements if old.get(p.request_id) == p
    }


def repair_trials(
    problem: Problem,
    schedule: Schedule,
    rng: np.random.Generator,
    online: bool,
    n: int,
    booth: bool = False,
) -> None:
    """``n`` random new requests: first with every meeting confirmed, then (if that fails)
    with none confirmed, allowing one local move."""
    direct = by_move = impossible = invalid = 0
    touched_confirmed = 0
    times: list[float] = []
    for k in range(n):
        req = new_request(problem, rng, online, f"new-{k}", booth)
        first = add_meeting(problem, schedule, req)
        times.append(first.seconds)
        touched_confirmed += bool(changed(schedule, first.schedule))
        invalid += not validate_schedule(first.problem.instance, first.schedule).ok
        if first.placed:
            direct += 1
            continue
        second = add_meeting(problem, schedule, req, confirmed=())
        times.append(second.seconds)
        invalid += not validate_schedule(second.problem.instance, second.schedule).ok
        if second.placed:
            by_move += 1
            assert changed(schedule, second.schedule) <= set(second.moved)
        else:
            impossible += 1
    ms = np.array(times) * 1000
    kind = "online" if online else "on-site with a booth organisation" if booth else "on-site"
    print(
        f"  {n} new {kind} requests: {direct} placed with every meeting confirmed (nothing "
        f"else moved: {n - touched_confirmed}/{n}), {by_move} more with one local move when "
        f"none is confirmed, {impossible} impossible (every feasible slot full); "
        f"time per repair median {np.median(ms):.0f} ms, max {ms.max():.0f} ms; "
        f"invalid schedules: {invalid}"
    )


def cancel_trials(problem: Problem, schedule: Schedule, rng: np.random.Generator, n: int) -> None:
    backfilled = invalid = others_changed = 0
    times = []
    for k in rng.choice(len(schedule.placements), size=n, replace=False).tolist():
        victim = schedule.placements[k].request_id
        result = cancel_meeting(problem, schedule, victim)
        times.append(result.seconds)
        backfilled += len(result.backfilled)
        others_changed += bool(changed(schedule, result.schedule))
        invalid += not validate_schedule(result.problem.instance, result.schedule).ok
    ms = np.array(times) * 1000
    print(
        f"  {n} cancellations: {backfilled} waiting requests backfilled into the freed slots, "
        f"other meetings changed in {others_changed}; time median {np.median(ms):.0f} ms, "
        f"max {ms.max():.0f} ms; invalid schedules: {invalid}"
    )


#: the fairs the bench knows; "tiny" is for the test that keeps the bench from rotting
FAIRS: dict[str, Callable[[int], Instance]] = {
    "5k": lambda seed: generate_fair(FairConfig(seed=seed, zero_weight_share=0.005)).instance,
    "20k": lambda seed: generate_fair(dataclasses.replace(LARGE_FAIR, seed=seed)).instance,
    "fractional": lambda seed: triangle_fair(triangles=300),
    "tiny": lambda seed: (
        generate_fair(
            FairConfig(
                seed=seed,
                talents=30,
                organisations=10,
                requests=80,
                days=1,
                slots_per_day=8,
                tables=5,
                booths=1,
                cleared_tables=1,
                roadshows=2,
                zero_weight_share=0.05,
            )
        ).instance
    ),
}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def describe_instance(name: str, seed: int, inst: Instance, problem: Problem) -> None:
    ed = inst.edition
    n_online = int((~problem.onsite).sum())
    options = problem.feasible.sum(axis=1)
    n = max(problem.n_requests, 1)
    print(
        f"[{name}] seed {seed}: {sum(p.kind is Kind.TALENT for p in inst.participants):,} "
        f"talents, {sum(p.kind is Kind.ORGANISATION for p in inst.participants):,} "
        f"organisations, {problem.n_requests:,} requests ({n_online:,} online = "
        f"{100 * n_online / n:.1f}%, {int(problem.must_meet.sum())} must-meet, "
        f"{int((problem.priority == 0).sum())} of weight 0), {len(ed.slots)} slots over "
        f"{(ed.last_day - ed.first_day).days + 1} days, {len(ed.tables)} tables; "
        f"feasible (request, slot) pairs {int(options.sum()):,}"
    )


def run_fair(name: str, seed: int, time_limit_s: float, workers: int) -> tuple[Problem, Schedule]:
    """The optimal-first solve of one fair, every number printed; the problem and schedule."""
    (inst, t_gen) = timed(lambda: FAIRS[name](seed))
    problem, t_build = timed(lambda: build_problem(inst))
    describe_instance(name, seed, inst, problem)
    print(f"  generated in {t_gen:.2f} s, checked and compiled in {t_build:.2f} s")
    t0 = time.perf_counter()

    def show(p: Progress) -> None:
        gap = "n/a" if p.gap is None else f"{100 * p.gap:.4f}%"
        print(
            f"  {time.perf_counter() - t0:7.2f} s  {p.phase:<17} incumbent {p.incumbent:,} "
            f"bound {p.bound:,} proven gap {gap}"
        )

    result = solve_optimal(problem, time_limit_s=time_limit_s, workers=workers, progress=show)
    sec = result.seconds
    people = sec.get("people", 0.0)
    print(
        f"  path {result.path}: objective {result.objective:,}, bound {result.bound:,}, "
        f"proven gap {100 * result.gap:.4f}%{' (optimal)' if result.optimal else ''}; "
        f"LP {result.lp_status} (column generation rounds: {result.lp_rounds}), "
        f"{result.lp_fractional} fractional variables; greedy "
        f"{result.greedy_objective:,}"
    )
    print(
        f"  time: first feasible {result.first_feasible_s:.2f} s, "
        f"to the result {sec['total'] - people:.2f} s (greedy {sec['greedy']:.2f}, LP "
        f"{sec.get('lp', 0.0):.2f}, rounding {sec.get('round', 0.0):.2f}, CP-SAT on the open "
        f"part {sec.get('fix_and_solve', 0.0):.2f}, CP-SAT {sec.get('cpsat', 0.0):.2f}), people "
        f"{people:.2f} s, total {sec['total']:.2f} s; peak memory {peak_mb():,.0f} MB"
    )
    if result.people is not None:
        r = result.people
        print(f"  before: {r.before.describe()}")
        print(
            f"  after:  {r.after.describe()} ({r.placed} placed, {r.swaps} swaps, {r.moves} moves)"
        )
    schedule, t_tab = timed(lambda: schedule_from_plan(problem, result.plan))
    verdict, t_val = timed(lambda: validate_schedule(inst, schedule))
    print(
        f"  tables numbered in {t_tab * 1000:.0f} ms; validator ({t_val * 1000:.0f} ms): "
        f"{verdict.summary()}"
    )
    if not verdict.ok:
        raise SystemExit(f"{name}: the schedule has conflicts")
    return problem, schedule


def repairs_and_calendar(problem: Problem, schedule: Schedule, seed: int, repairs: int) -> None:
    """Single-change repairs to the published (optimal) schedule, one iCalendar export."""
    inst = problem.instance
    rng = np.random.default_rng(seed)
    print("  repair (single changes to a published schedule):")
    repair_trials(problem, schedule, rng, online=True, n=repairs)
    repair_trials(problem, schedule, rng, online=False, n=repairs)
    repair_trials(problem, schedule, rng, online=False, n=repairs, booth=True)
    cancel_trials(problem, schedule, rng, n=repairs)
    someone = inst.requests[0].b
    ics, t_ics = timed(lambda: agenda_ics(inst, schedule, someone, now=datetime.now(UTC)))
    print(f"  iCalendar for {someone}: {len(ics):,} bytes in {t_ics * 1000:.0f} ms")


def cpsat_alone(problem: Problem, seconds: float, workers: int) -> None:
    """The old path for comparison: CP-SAT from greedy, no LP."""
    greedy = solve_greedy(problem)
    cp = solve_cpsat(problem, greedy.plan, CpSatOptions(time_limit_s=seconds, workers=workers))
    print(
        f"  for comparison, CP-SAT from greedy alone ({seconds:.0f} s): {cp.status}, objective "
        f"{cp.objective:,}, its own bound {cp.bound:,.0f}; "
        f"{describe(plan_metrics(problem, cp.plan))}"
    )


def run(args: argparse.Namespace, name: str) -> None:
    problem, schedule = run_fair(name, args.seed, args.time_limit, args.workers)
    if name in ("5k", "tiny") and args.repairs:
        repairs_and_calendar(problem, schedule, args.seed, args.repairs)
    if args.cpsat_seconds > 0:
        cpsat_alone(problem, args.cpsat_seconds, args.workers)


def main() -> None:
    parser = argparse.ArgumentParser(prog="boyin_scheduling.bench")
    parser.add_argument("--fair", choices=[*FAIRS, "all"], default="all")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--time-limit", type=float, default=60.0, help="per solve, seconds")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repairs", type=int, default=30, help="random changes per kind")
    parser.add_argument(
        "--cpsat-seconds", type=float, default=0.0, help="also CP-SAT from greedy alone"
    )
    args = parser.parse_args()
    load = os.getloadavg()
    print(
        f"machine: {os.cpu_count()} cores; load average {load[0]:.2f} {load[1]:.2f} "
        f"{load[2]:.2f} at start (other processes share the cores); "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )
    if args.fair != "all":
        run(args, args.fair)
    else:
        for name in ("fractional", "5k", "20k"):
            # each fair in its own process: its peak memory is its own
            argv = [a for a in sys.argv[1:] if not a.startswith("--fair")]
            subprocess.run(
                [sys.executable, "-m", "boyin_scheduling.bench", "--fair", name, *argv],
                check=True,
            )
    load = os.getloadavg()
    print(f"load average at the end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
