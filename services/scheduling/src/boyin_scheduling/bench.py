"""``python -m boyin_scheduling.bench``: the whole scheduling solver on the benchmark fair.

Prints the instance, the greedy plan against the bounds, CP-SAT after a time limit (status,
its own bound, the gap to the LP bound), local polishing, table numbering, the validator's
verdict, single-change repairs and one iCalendar export. Numbers depend on the machine and
on whatever else runs on it: the load average is printed next to the core count.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

import numpy as np

from boyin_scheduling.solver.bounds import compute_bounds, lp_bound
from boyin_scheduling.solver.cpsat import CpSatOptions, solve_cpsat
from boyin_scheduling.solver.generator import FairConfig, generate_fair
from boyin_scheduling.solver.greedy import solve_greedy
from boyin_scheduling.solver.ics import agenda_ics
from boyin_scheduling.solver.metrics import PlanMetrics, plan_metrics
from boyin_scheduling.solver.model import Kind, Mode, Request, Schedule
from boyin_scheduling.solver.polish import polish
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


def run(
    seed: int,
    cpsat_seconds: float,
    workers: int,
    secondary_seconds: float,
    pdlp: bool,
    repairs: int = 30,
) -> None:
    load = os.getloadavg()
    print(
        f"machine: {os.cpu_count()} cores; load average {load[0]:.2f} {load[1]:.2f} "
        f"{load[2]:.2f} at start (other processes share the cores)"
    )
    fair, t_gen = timed(lambda: generate_fair(FairConfig(seed=seed)))
    inst = fair.instance
    problem, t_build = timed(lambda: build_problem(inst))
    ed = inst.edition
    n_online = int((~problem.onsite).sum())
    booths = sum(1 for t in ed.tables if t.booth_of)
    options = problem.feasible.sum(axis=1)
    print(
        f"instance (seed {seed}): {sum(p.kind is Kind.TALENT for p in inst.participants)} "
        f"talents ({sum(p.online_only for p in inst.participants)} online only), "
        f"{sum(p.kind is Kind.ORGANISATION for p in inst.participants)} organisations, "
        f"{problem.n_requests:,} requests ({n_online:,} online = "
        f"{100 * n_online / problem.n_requests:.1f}%, {int(problem.must_meet.sum())} must-meet), "
        f"{len(ed.slots)} slots over {(ed.last_day - ed.first_day).days + 1} days, "
        f"{len(ed.tables)} tables ({booths} fixed booths of "
        f"{len(problem.pool_owner) - 1} organisations), {len(ed.sessions)} sessions"
    )
    print(
        f"  on-site requests {int(problem.onsite.sum()):,} vs table-slots "
        f"{int(problem.pool_cap.sum()):,}; feasible (request, slot) pairs "
        f"{int(options.sum()):,} (mean {options.mean():.1f} slots per request, "
        f"{int((options == 0).sum())} with none); organisations at their cap "
        f"{fair.capped_organisations}, requests redirected {fair.redirected_requests}, "
        f"dropped {fair.dropped_requests}"
    )
    print(f"  generated in {t_gen:.2f} s, checked and compiled in {t_build:.2f} s")

    bounds, t_bounds = timed(lambda: compute_bounds(problem))
    lp = bounds.lp if bounds.lp is not None else float(bounds.best)
    print(
        f"bounds ({t_bounds:.2f} s): total {bounds.total:,} ({bounds.seconds['total'] * 1000:.1f} ms), "
        f"table capacity {bounds.capacity:,} ({bounds.seconds['capacity'] * 1000:.1f} ms), "
        f"flow {bounds.flow:,} ({bounds.seconds['flow'] * 1000:.1f} ms), "
        f"LP/GLOP {lp:,.1f} [{bounds.lp_status}] ({bounds.seconds['lp']:.2f} s); best {bounds.best:,}"
    )
    if pdlp:
        (value, status), t_pdlp = timed(lambda: lp_bound(problem, 30.0, "PDLP"))
        print(f"  LP/PDLP certified from its duals: {value:,.1f} [{status}] ({t_pdlp:.2f} s)")

    greedy = solve_greedy(problem)
    print(
        f"greedy: {greedy.seconds * 1000:.0f} ms, objective {greedy.objective:,} = "
        f"{pct(greedy.objective, lp)} of the LP bound, {greedy.scheduled:,} meetings "
        f"({greedy.by_moves} placed by local moves)"
    )
    print(f"  {describe(plan_metrics(problem, greedy.plan))}")
    polished, t_pol = timed(lambda: polish(problem, greedy.plan))
    print(
        f"  polished in {t_pol * 1000:.0f} ms ({polished.swaps} swaps, {polished.moves} moves): "
        f"{describe(plan_metrics(problem, polished.plan))}"
    )

    options_cp = CpSatOptions(
        time_limit_s=cpsat_seconds, workers=workers, secondary_time_limit_s=secondary_seconds
    )
    cp = solve_cpsat(problem, polished.plan, options_cp)
    print(
        f"CP-SAT ({workers} workers, {cpsat_seconds:.0f} s limit, hint = polished greedy): "
        f"{cp.status}, objective {cp.objective:,} = {pct(cp.objective, lp)} of the LP bound "
        f"(gap {lp - cp.objective:,.0f} = {pct(lp - cp.objective, lp)}); its own bound "
        f"{cp.bound:,.0f} ({pct(cp.bound, lp)} of LP); {cp.variables:,} Booleans, "
        f"model built in {cp.build_seconds:.2f} s, {cp.seconds:.1f} s in all"
    )
    if cp.secondary is not None:
        s = cp.secondary
        print(
            f"  secondary solve ({s.seconds:.1f} s, {s.status}): shortfall "
            f"{s.shortfall_before}->{s.shortfall_after}, idle gaps {s.gaps_before}->{s.gaps_after}"
        )
    print(f"  {describe(plan_metrics(problem, cp.plan))}")
    final, t_pol2 = timed(lambda: polish(problem, cp.plan))
    print(f"  polished in {t_pol2 * 1000:.0f} ms: {describe(plan_metrics(problem, final.plan))}")

    schedule, t_tab = timed(lambda: schedule_from_plan(problem, final.plan))
    verdict, t_val = timed(lambda: validate_schedule(inst, schedule))
    print(
        f"tables numbered in {t_tab * 1000:.0f} ms; validator ({t_val * 1000:.0f} ms): {verdict.summary()}"
    )

    rng = np.random.default_rng(seed)
    print("repair (single changes to the published schedule):")
    repair_trials(problem, schedule, rng, online=True, n=repairs)
    repair_trials(problem, schedule, rng, online=False, n=repairs)
    repair_trials(problem, schedule, rng, online=False, n=repairs, booth=True)
    cancel_trials(problem, schedule, rng, n=repairs)

    someone = inst.requests[0].b
    ics, t_ics = timed(lambda: agenda_ics(inst, schedule, someone, now=datetime.now(UTC)))
    print(f"iCalendar for {someone}: {len(ics):,} bytes in {t_ics * 1000:.0f} ms")
    load = os.getloadavg()
    print(f"load average at the end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="boyin_scheduling.bench")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--cpsat-seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--secondary-seconds", type=float, default=0.0)
    parser.add_argument("--pdlp", action="store_true", help="also the LP bound from PDLP")
    parser.add_argument("--repairs", type=int, default=30, help="random changes per kind")
    args = parser.parse_args()
    run(
        args.seed,
        args.cpsat_seconds,
        args.workers,
        args.secondary_seconds,
        args.pdlp,
        args.repairs,
    )


if __name__ == "__main__":
    main()
