"""Schedules ↔ the HTTP API's models (``boyin_shared.api.scheduling``)."""

from __future__ import annotations

from boyin_scheduling.schedules.domain import Schedule, SolveProgress, Timetable
from boyin_scheduling.schedules.solving import SolveOptions
from boyin_shared.api.scheduling import (
    PlacementOut,
    ScheduleOut,
    SolveIn,
    SolveProgressOut,
    TimetableDetailOut,
    TimetableOut,
    UnscheduledOut,
)


def solve_options(body: SolveIn) -> SolveOptions:
    return SolveOptions(time_limit_s=body.time_limit_s, lp_bound=body.lp_bound)


def timetable_out(t: Timetable | None) -> TimetableOut | None:
    if t is None:
        return None
    return TimetableOut(
        scheduled=len(t.placements),
        unscheduled=len(t.unscheduled),
        objective=t.objective,
        bound=t.bound,
        ratio=round(t.objective / t.bound, 6) if t.bound else None,
        gap=t.gap,
        optimal=t.bound is not None and t.objective >= t.bound,
        greedy_objective=t.greedy_objective,
        solver=t.solver,
        seconds=round(t.seconds, 3),
        computed_at=t.computed_at,
        violations=t.violations,
    )


def progress_out(p: SolveProgress | None) -> SolveProgressOut | None:
    if p is None:
        return None
    return SolveProgressOut(
        phase=p.phase,
        incumbent=p.incumbent,
        bound=p.bound,
        gap=None if p.gap is None else round(p.gap, 8),
        updated_at=p.updated_at,
    )


def schedule_out(s: Schedule) -> ScheduleOut:
    return ScheduleOut(
        edition_id=s.id,
        version=s.version,
        published_at=s.published_at,
        job=s.job,
        job_error=s.job_error,
        progress=progress_out(s.progress),
        draft=timetable_out(s.draft),
        published=timetable_out(s.published),
        pending=len(s.pending),
    )


def timetable_detail_out(t: Timetable) -> TimetableDetailOut:
    return TimetableDetailOut(
        placements=[
            PlacementOut(meeting_id=p.meeting_id, slot_id=p.slot_id, table=p.table)
            for p in t.placements
        ],
        unscheduled=[
            UnscheduledOut(
                meeting_id=m,
                reason_zh=t.reasons[m].zh if m in t.reasons else None,
                reason_en=t.reasons[m].en if m in t.reasons else None,
            )
            for m in t.unscheduled
        ],
    )
