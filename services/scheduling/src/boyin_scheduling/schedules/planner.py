"""The planner: solving, publishing and keeping the published timetable true (the I/O
around ``solving``).

* ``solve``: a background job per edition computes a draft (CPU work in a thread);
* ``publish``: the draft becomes the next published version (one write);
* ``reconcile``: when the inputs' fingerprint differs from the published one (a meeting
  accepted or cancelled, availability or sign-ups changed), ``solving.repair`` publishes
  the next version moving nobody already placed;
* ``catch_up``: meetings whose place changed get it, each with its own event, in
  batches; a crash resumes from the schedule's ``pending`` list.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime

from prometheus_client import Gauge

from boyin_scheduling.attendance.repository import Attendances
from boyin_scheduling.consultations.repository import Consultations
from boyin_scheduling.editions.domain import Edition
from boyin_scheduling.editions.repository import Editions
from boyin_scheduling.meetings.domain import Meeting, Place
from boyin_scheduling.meetings.repository import Meetings
from boyin_scheduling.parties.repository import Parties
from boyin_scheduling.rules import refuse
from boyin_scheduling.schedules.domain import Schedule, SolveProgress
from boyin_scheduling.schedules.fair import Fair, build_instance, fingerprint
from boyin_scheduling.schedules.repository import Schedules
from boyin_scheduling.schedules.solving import SolveOptions, repair, solve
from boyin_scheduling.sessions.repository import Sessions
from boyin_scheduling.solver.optimal import Progress
from boyin_shared.api.scheduling import EditionStatus, MeetingStatus, SessionStatus
from boyin_shared.clock import utcnow
from boyin_shared.errors import BoyinError, not_found
from boyin_shared.events import Event
from boyin_shared.propagation import TRACER
from boyin_shared.retry import AGAIN, Again, concurrent_change, optimistic
from boyin_shared.store import AlreadyExists

log = logging.getLogger("boyin.scheduling.planner")
#: of the last full solve of each edition: (LP bound - objective) / LP bound
GAP = Gauge(
    "boyin_schedule_solver_gap_ratio",
    "How far the last drafted schedule can be from optimal, as a share of its bound",
    ["edition"],
)
BATCH = 100


@dataclass
class Repos:
    """Every repository of the service: the planner reads a whole fair from them."""

    editions: Editions
    sessions: Sessions
    attendances: Attendances
    meetings: Meetings
    schedules: Schedules
    parties: Parties
    consultations: Consultations


@dataclass
class Planner:
    repos: Repos
    clock: Callable[[], datetime] = utcnow
    workers: int = 2
    period_s: float = 30.0
    _locks: dict[str, asyncio.Lock] = field(default_factory=dict)
    _jobs: set[asyncio.Task[None]] = field(default_factory=set)
    _wake: asyncio.Event = field(default_factory=asyncio.Event)
    _progress_writes: list[Future[None]] = field(default_factory=list)

    async def _settle_progress(self) -> None:
        """Wait for the progress reports already sent (so the draft is written last)."""
        pending, self._progress_writes = self._progress_writes, []
        for future in pending:
            await asyncio.wrap_future(future)

    def lock(self, edition_id: str) -> asyncio.Lock:
        return self._locks.setdefault(edition_id, asyncio.Lock())

    def kick(self) -> None:
        """Something an edition's timetable depends on changed: reconcile soon."""
        self._wake.set()

    async def edition(self, edition_id: str) -> Edition:
        loaded = await self.repos.editions.get(edition_id)
        if loaded is None:
            raise not_found("edition", edition_id, zh_kind="展会")
        return loaded.aggregate

    async def fair(self, edition_id: str) -> Fair:
        r = self.repos
        edition = await self.edition(edition_id)
        sessions = await r.sessions.of_edition(edition_id, [SessionStatus.PUBLISHED.value])
        attendances = {a.party_id: a for a in await r.attendances.of_edition(edition_id)}
        meetings = await r.meetings.of_edition(edition_id, [MeetingStatus.ACCEPTED])
        ids = {p for m in meetings for p in m.parties}
        ids |= {t.booth_of for t in edition.plan.tables if t.booth_of}
        parties = await r.parties.get_many(sorted(ids))
        busy = await r.consultations.busy(edition_id)
        return Fair(edition, tuple(sessions), attendances, parties, tuple(meetings), busy)

    async def schedule(self, edition_id: str) -> Schedule:
        loaded = await self.repos.schedules.get(edition_id)
        if loaded is not None:
            return loaded.aggregate
        await self.edition(edition_id)
        return Schedule(id=edition_id)

    async def _write(
        self, edition_id: str, change: Callable[[Schedule], tuple[Schedule, list[Event]]]
    ) -> Schedule:
        schedules = self.repos.schedules

        async def attempt() -> Schedule | Again:
            loaded = await schedules.get(edition_id)
            if loaded is None:
                new, events = change(Schedule(id=edition_id))
                try:
                    await schedules.add(new, events)
                    return new
                except AlreadyExists:
                    return AGAIN
            new, events = change(loaded.aggregate)
            return new if await schedules.save(loaded, new, events) else AGAIN

        return await optimistic(attempt, attempts=5)

    # -- solving -------------------------------------------------------------------

    async def start_solve(self, edition_id: str, options: SolveOptions) -> Schedule:
        edition = await self.edition(edition_id)
        if edition.status is EditionStatus.CLOSED:
            raise refuse("EDITION_CLOSED", "该届展会已结束", "the edition is closed")
        current = await self.schedule(edition_id)
        if current.job == "RUNNING":
            return current
        now = self.clock()
        started = await self._write(edition_id, lambda s: (s.solving(now), []))
        task = asyncio.create_task(self._solve(edition_id, options))
        self._jobs.add(task)
        task.add_done_callback(self._jobs.discard)
        return started

    def _progress_reporter(self, edition_id: str) -> Callable[[Progress], None]:
        """A callback for the solver's thread: each report is written from the event loop
        (the solve does not wait for it), one after the other in the order reported (they
        would otherwise race each other for the document, and the last one, ``done``, could
        be the one dropped); a report that loses a race with another change is dropped."""
        loop = asyncio.get_running_loop()
        in_order = asyncio.Lock()

        async def write(p: Progress) -> None:
            seen = SolveProgress(p.phase, p.incumbent, p.bound, self.clock())
            async with in_order:
                try:
                    await self._write(edition_id, lambda s: (s.progressed(seen), []))
                except BoyinError:
                    log.info("progress of %s not recorded (concurrent change)", edition_id)

        def report(p: Progress) -> None:
            future = asyncio.run_coroutine_threadsafe(write(p), loop)
            self._progress_writes.append(future)

        return report

    async def _solve(self, edition_id: str, options: SolveOptions) -> None:
        try:
            async with self.lock(edition_id):
                with TRACER.start_as_current_span(
                    "schedule solve", attributes={"boyin.edition.id": edition_id}
                ):
                    fair = await self.fair(edition_id)
                    instance = build_instance(fair)
                    now = self.clock()
                    options = dataclasses.replace(options, workers=self.workers)
                    report = self._progress_reporter(edition_id)
                    draft = await asyncio.to_thread(solve, instance, options, now, report)
                    draft = dataclasses.replace(draft, fingerprint=fingerprint(fair))
                    if draft.bound:  # how far from optimal the draft can be, at most
                        GAP.labels(edition_id).set(max(0.0, 1 - draft.objective / draft.bound))
                    await self._settle_progress()
                    await self._write(edition_id, lambda s: (s.drafted(draft), []))
        except BoyinError as exc:
            detail = "; ".join(f"{f.field}: {f.message.en}" for f in exc.fields) or exc.message.en
            await self._write(edition_id, lambda s: (s.failed(detail), []))
        except Exception as exc:
            log.exception("solving %s failed", edition_id)
            name = type(exc).__name__
            await self._write(edition_id, lambda s: (s.failed(f"unexpected failure ({name})"), []))

    async def wait_for_jobs(self) -> None:
        while self._jobs:
            await asyncio.gather(*list(self._jobs), return_exceptions=True)

    async def stop(self) -> None:
        for task in list(self._jobs):
            task.cancel()

    async def interrupted(self) -> None:
        """At start-up: a solve that was running when the process stopped will not finish."""
        for edition in await self.repos.editions.listed([s.value for s in EditionStatus]):
            loaded = await self.repos.schedules.get(edition.id)
            if loaded is not None and loaded.aggregate.job == "RUNNING":
                await self._write(edition.id, lambda s: (s.failed("interrupted by a restart"), []))

    # -- publishing ----------------------------------------------------------------

    async def publish(self, edition_id: str) -> Schedule:
        async with self.lock(edition_id):
            now = self.clock()
            published = await self._write(edition_id, lambda s: s.publish(now))
        self.kick()
        return published

    async def reconcile(
        self, edition_id: str, *, move_placed: bool = False, force: bool = False
    ) -> bool:
        """Repair the published timetable if its inputs changed; True when a new version
        was published."""
        async with self.lock(edition_id):
            current = await self.schedule(edition_id)
            if current.published is None or current.job == "RUNNING":
                return False
            fair = await self.fair(edition_id)
            digest = fingerprint(fair)
            if digest == current.published.fingerprint and not force:
                return False
            instance = build_instance(fair)
            now = self.clock()
            timetable, _ = await asyncio.to_thread(
                repair, instance, current.published, now, move_placed=move_placed
            )
            timetable = dataclasses.replace(timetable, fingerprint=digest)
            same = timetable.placements == current.published.placements

            def change(s: Schedule) -> tuple[Schedule, list[Event]]:
                if s.published is None or s.version != current.version:
                    raise concurrent_change()
                return (s.refreshed(digest), []) if same else s.repaired(timetable, now)

            await self._write(edition_id, change)
            return not same

    async def catch_up(self, edition_id: str) -> int:
        """Give up to a batch of pending meetings their current place; how many were done."""
        schedules = self.repos.schedules
        loaded = await schedules.get(edition_id)
        if loaded is None or not loaded.aggregate.pending or loaded.aggregate.published is None:
            return 0
        s = loaded.aggregate
        assert s.published is not None
        edition = await self.edition(edition_id)
        slots = {slot.id: slot for slot in edition.slots()}
        placed = s.published.by_meeting()
        batch = list(s.pending[:BATCH])
        for meeting_id in batch:
            p = placed.get(meeting_id)
            slot = slots.get(p.slot_id) if p else None
            place = (
                Place(slot.id, slot.start, slot.end, p.table, s.version)
                if p is not None and slot is not None
                else None
            )

            async def move(m: Meeting, place: Place | None = place) -> tuple[Meeting, list[Event]]:
                return m.placed(place, s.version)

            await self.repos.meetings.change(meeting_id, move)
        # only if nothing was published meanwhile (else the next round redoes the batch)
        await schedules.save(loaded, s.caught_up(set(batch)))
        return len(batch)

    # -- the loop ------------------------------------------------------------------

    async def tick(self) -> None:
        for edition in await self.repos.editions.listed([EditionStatus.OPEN.value]):
            try:
                await self.reconcile(edition.id)
                while await self.catch_up(edition.id):
                    pass
            except BoyinError as exc:
                log.warning("edition %s cannot be repaired: %s", edition.id, exc)

    async def run(self) -> None:
        """Reconcile when kicked (every change in this process kicks), and every
        ``period_s`` anyway (a change whose kick was lost in a crash)."""
        while True:
            try:
                await self.tick()
            except Exception:
                log.exception("keeping the schedules current failed; will try again")
            try:
                await asyncio.wait_for(self._wake.wait(), self.period_s)
            except TimeoutError:
                pass
            self._wake.clear()
