"""``python -m boyin_scheduling.bench_service``: the benchmark fair through the service.

The seeded 5,000-request fair of ``solver.generator`` is stored as the service's own
aggregates (through its repositories, on SQLite or ``--store mongo``), then timed as an
operator and the participants would use it: load the fair from the store, solve (optimal
first: greedy, the LP, CP-SAT if it is fractional, under ``--cpsat`` seconds), publish,
give every meeting its place (one write and one event each), then single changes after publication — a new meeting accepted,
a meeting cancelled — from the write to the repaired, published, caught-up timetable. The
final timetable is checked by the validator.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from datetime import date, timedelta
from datetime import time as t
from pathlib import Path

import numpy as np

from boyin_scheduling.app import SchedulingState, definition
from boyin_scheduling.attendance.domain import Attendance, Availability, Span
from boyin_scheduling.editions.domain import Break, Edition, EditionPlan, FairDay, TableSpec
from boyin_scheduling.meetings.domain import Meeting, Party
from boyin_scheduling.parties.domain import PartyInfo
from boyin_scheduling.rules import Text
from boyin_scheduling.schedules.fair import build_instance
from boyin_scheduling.schedules.planner import Planner, Repos
from boyin_scheduling.schedules.solving import SolveOptions
from boyin_scheduling.sessions.domain import Presenter, Session, SessionPlan
from boyin_scheduling.solver import model as core
from boyin_scheduling.solver.generator import FairConfig, generate_fair
from boyin_scheduling.solver.validate import validate_schedule
from boyin_shared.api.scheduling import (
    EditionStatus,
    MeetingSource,
    MeetingStatus,
    Mode,
    SessionKind,
    SessionStatus,
)
from boyin_shared.bus.embedded import EmbeddedBus
from boyin_shared.errors import BoyinError
from boyin_shared.identity import Actor, Role
from boyin_shared.service import ServiceHost
from boyin_shared.settings import PlatformSettings

OPERATOR = Actor(account_id="bench", role=Role.OPERATOR)


def _kind(k: core.Kind) -> str:
    return "talent" if k is core.Kind.TALENT else "organisation"


async def store_fair(repos: Repos, inst: core.Instance, first_day: date) -> str:
    ed = inst.edition
    plan = EditionPlan(
        name=Text("基准展会", "Benchmark fair"),
        timezone=ed.timezone,
        first_day=ed.first_day,
        last_day=ed.last_day,
        slot_minutes=30,
        days=tuple(
            FairDay(first_day + timedelta(days=d), t(9), t(18, 30), (Break(t(12), t(13, 30)),))
            for d in range((ed.last_day - ed.first_day).days + 1)
        ),
        tables=tuple(TableSpec(x.number, None, x.booth_of) for x in ed.tables),
    )
    edition = Edition(id="ed_bench", plan=plan, status=EditionStatus.OPEN)
    assert len(edition.slots()) == len(ed.slots), (len(edition.slots()), len(ed.slots))
    await repos.editions.add(edition)
    kinds = {p.id: _kind(p.kind) for p in inst.participants}
    for p in inst.participants:
        await repos.parties.add(
            PartyInfo(p.id, kinds[p.id], Text(p.name, p.name), p.timezone, None, 1)
        )
        av = Availability(
            mode=Mode.ONLINE if p.online_only else Mode.ON_SITE,
            timezone=p.timezone,
            arrival=p.arrival,
            departure=p.departure,
            blocked=tuple(Span(b.start, b.end) for b in p.blocked),
            representatives=p.representatives,
            min_meetings=p.min_meetings,
        )
        await repos.attendances.add(Attendance.new(edition.id, p.id, kinds[p.id], av).declare(av))
    for s in ed.sessions:
        presenters = tuple(Presenter(p.id) for p in inst.participants if s.id in p.sessions)
        plan_s = SessionPlan(
            SessionKind.ROADSHOW, Text(s.title, s.title), s.start, s.end, presenters=presenters
        )
        await repos.sessions.add(Session(s.id, edition.id, plan_s, status=SessionStatus.PUBLISHED))
    for r in inst.requests:
        meeting = Meeting(
            id=r.id,
            edition_id=edition.id,
            requester=Party(kinds[r.a], r.a),
            invitee=Party(kinds[r.b], r.b),
            source=MeetingSource.OPERATOR,
            status=MeetingStatus.ACCEPTED,
            weight=r.weight,
            must_meet=r.must_meet,
            mode=Mode.ONLINE if r.mode is core.Mode.ONLINE else Mode.ON_SITE,
        )
        await repos.meetings.add(meeting)
    return edition.id


async def placed(planner: Planner, edition_id: str, meeting_id: str, version: int) -> None:
    """Wait until ``meeting_id`` has a place of a version after ``version``."""
    while True:
        loaded = await planner.repos.meetings.get(meeting_id)
        assert loaded is not None
        place = loaded.aggregate.place
        if place is not None and place.schedule_version > version:
            return
        await asyncio.sleep(0.005)


async def settled(planner: Planner, edition_id: str, version: int) -> None:
    """Wait until a version after ``version`` is published and every meeting told."""
    while True:
        s = await planner.schedule(edition_id)
        if s.version > version and not s.pending:
            return
        await asyncio.sleep(0.005)  # the planner runs on its own


async def run(store: str, cpsat: float, changes: int) -> None:
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} cores; load average {load[0]:.2f} at start; store {store}")
    first_day = date.today() + timedelta(days=30)
    fair = generate_fair(FairConfig(first_day=first_day))
    inst = fair.instance
    with tempfile.TemporaryDirectory() as tmp:
        settings = PlatformSettings(
            data_dir=Path(tmp),
            store=store,
            internal_token_secret="bench-internal-secret-of-at-least-32-bytes",
        )
        host = ServiceHost(definition, settings)
        bus = EmbeddedBus(Path(tmp) / "bus.sqlite")
        await host.open(bus)
        await bus.start()
        await host.start()
        state = host.app.state.service
        assert isinstance(state, SchedulingState)
        planner, meetings = state.planner, state.meetings
        repos = planner.repos
        try:
            t0 = time.perf_counter()
            eid = await store_fair(repos, inst, first_day)
            print(
                f"stored {len(inst.participants):,} participants, {len(inst.requests):,} accepted "
                f"meetings, {len(inst.edition.sessions)} sessions in {time.perf_counter() - t0:.1f} s"
            )
            t0 = time.perf_counter()
            await planner.fair(eid)
            t_load = time.perf_counter() - t0
            print(f"fair loaded from the store in {t_load * 1000:.0f} ms")

            t0 = time.perf_counter()
            await planner.start_solve(eid, SolveOptions(time_limit_s=cpsat))
            await planner.wait_for_jobs()
            t_solve = time.perf_counter() - t0
            s = await planner.schedule(eid)
            assert s.draft is not None, s.job_error
            d = s.draft
            gap = "n/a" if d.gap is None else f"{100 * d.gap:.4f}%"
            last = s.progress.phase if s.progress else "none"
            print(
                f"solve job (path {d.solver}, time limit {cpsat:.0f} s): {t_solve:.1f} s, "
                f"{len(d.placements):,} placed, {len(d.unscheduled):,} left out, objective "
                f"{d.objective:,}, bound {d.bound or 0:,.0f}, proven gap {gap}; greedy "
                f"{d.greedy_objective:,}; violations {d.violations}; last progress: {last}"
            )
            t0 = time.perf_counter()
            await planner.publish(eid)
            t_pub = time.perf_counter() - t0
            while await planner.catch_up(eid):
                pass
            t_catch = time.perf_counter() - t0
            print(
                f"published in {t_pub * 1000:.0f} ms; every meeting given its place (one write "
                f"and one event each) {t_catch:.1f} s after publishing"
            )

            rng = np.random.default_rng(7)
            talents = [p.id for p in inst.participants if p.kind is core.Kind.TALENT]
            orgs = [p.id for p in inst.participants if p.kind is core.Kind.ORGANISATION]
            add_times: list[float] = []
            for _ in range(changes):
                version = (await planner.schedule(eid)).version
                t0 = time.perf_counter()
                try:
                    m = await meetings.request(
                        OPERATOR,
                        eid,
                        invitee_id=str(rng.choice(orgs)),
                        requester_id=str(rng.choice(talents)),
                        mode=None,
                        note=None,
                        weight=60,
                        must_meet=False,
                    )
                except BoyinError:
                    continue  # the pair already has a meeting
                try:
                    await asyncio.wait_for(placed(planner, eid, m.id, version), 10)
                    add_times.append(time.perf_counter() - t0)
                except TimeoutError:
                    pass  # no common free slot: not placed (counted below)
            cancel_times: list[float] = []
            current = await planner.schedule(eid)
            assert current.published is not None
            victims = rng.choice(len(current.published.placements), size=changes, replace=False)
            for i in victims.tolist():
                version = (await planner.schedule(eid)).version
                mid = current.published.placements[i].meeting_id
                t0 = time.perf_counter()
                await meetings.cancel(OPERATOR, mid, "benchmark")
                await settled(planner, eid, version)
                cancel_times.append(time.perf_counter() - t0)

            def describe(xs: list[float]) -> str:
                if not xs:
                    return "none"
                return f"median {statistics.median(xs) * 1000:.0f} ms, max {max(xs) * 1000:.0f} ms"

            print(
                f"repair, one new accepted meeting -> placed, published, meeting told "
                f"({len(add_times)} of {changes} placed): {describe(add_times)}"
            )
            print(
                f"repair, one cancellation -> backfilled, published, meetings told "
                f"({len(cancel_times)}): {describe(cancel_times)}"
            )
            final = await planner.fair(eid)
            schedule = await planner.schedule(eid)
            assert schedule.published is not None
            report = validate_schedule(
                build_instance(final),
                core.Schedule(
                    tuple(
                        core.Placement(p.meeting_id, p.slot_id, p.table)
                        for p in schedule.published.placements
                    )
                ),
            )
            print(
                f"validator on the final published timetable (v{schedule.version}): {report.summary()}"
            )
        finally:
            await host.close()
            await bus.stop()
    load = os.getloadavg()
    print(f"load average at the end {load[0]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="boyin_scheduling.bench_service", description=__doc__)
    parser.add_argument("--store", choices=["sqlite", "mongo"], default="sqlite")
    parser.add_argument("--cpsat", type=float, default=10.0, help="the solve's time limit (s)")
    parser.add_argument("--changes", type=int, default=10)
    args = parser.parse_args()
    asyncio.run(run(args.store, args.cpsat, args.changes))


if __name__ == "__main__":
    main()
