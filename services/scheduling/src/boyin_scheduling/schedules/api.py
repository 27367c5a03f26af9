"""HTTP API of the scheduler: solve, review, publish, repair (staff)."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Depends, Request, status

from boyin_scheduling.schedules.schemas import (
    schedule_out,
    solve_options,
    timetable_detail_out,
)
from boyin_scheduling.schedules.service import ScheduleService
from boyin_shared.api.scheduling import RepairIn, ScheduleOut, SolveIn, TimetableDetailOut
from boyin_shared.callers import CurrentActor


async def _service(request: Request) -> ScheduleService:
    return cast(ScheduleService, request.app.state.service.schedules)


Schedules = Annotated[ScheduleService, Depends(_service)]
router = APIRouter(tags=["schedule"])


@router.post("/editions/{edition_id}/schedule/solve", status_code=status.HTTP_202_ACCEPTED)
async def solve(
    edition_id: str, body: SolveIn, actor: CurrentActor, schedules: Schedules
) -> ScheduleOut:
    """Compute a draft schedule in the background (poll ``GET …/schedule``)."""
    return schedule_out(await schedules.solve(actor, edition_id, solve_options(body)))


@router.get("/editions/{edition_id}/schedule")
async def schedule(edition_id: str, actor: CurrentActor, schedules: Schedules) -> ScheduleOut:
    return schedule_out(await schedules.schedule(actor, edition_id))


@router.get("/editions/{edition_id}/schedule/{which}")
async def timetable(
    edition_id: str, which: str, actor: CurrentActor, schedules: Schedules
) -> TimetableDetailOut:
    """Every placement of the ``draft`` or ``published`` timetable, and who is left out."""
    return timetable_detail_out(await schedules.timetable(actor, edition_id, which))


@router.post("/editions/{edition_id}/schedule/publish")
async def publish(edition_id: str, actor: CurrentActor, schedules: Schedules) -> ScheduleOut:
    return schedule_out(await schedules.publish(actor, edition_id))


@router.post("/editions/{edition_id}/schedule/repair")
async def repair(
    edition_id: str, body: RepairIn, actor: CurrentActor, schedules: Schedules
) -> ScheduleOut:
    """Repair the published timetable now (it also happens by itself after each change)."""
    return schedule_out(await schedules.repair(actor, edition_id, move_placed=body.move_placed))
