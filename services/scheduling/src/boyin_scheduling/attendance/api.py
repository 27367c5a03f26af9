"""HTTP API of participants' attendance (availability, check-in, the calendar token) and
of their agendas and calendar feeds.

Attendance routes carry the tags ``meetings`` and ``attendance``, agenda routes
``schedule`` and ``agenda``, as the published API always has (the OpenAPI document is
frozen)."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, cast

import segno
from fastapi import APIRouter, Depends, Request, Response

from boyin_scheduling.attendance.schemas import agenda_item_out, attendance_out, availability
from boyin_scheduling.attendance.service import AttendanceService, CalendarFile
from boyin_shared.api.scheduling import AgendaItemOut, AttendanceOut, AvailabilityIO, CheckInIn
from boyin_shared.callers import CurrentActor


async def _service(request: Request) -> AttendanceService:
    return cast(AttendanceService, request.app.state.service.attendance)


Attendance = Annotated[AttendanceService, Depends(_service)]
router = APIRouter()
ATTENDANCE: list[str | Enum] = ["meetings", "attendance"]
AGENDA: list[str | Enum] = ["schedule", "agenda"]


@router.get("/editions/{edition_id}/attendance", tags=ATTENDANCE)
async def get_attendance(
    edition_id: str, actor: CurrentActor, attendance: Attendance, party_id: str | None = None
) -> AttendanceOut:
    """The caller's attendance (staff: anyone's), with the defaults until declared."""
    return attendance_out(await attendance.attendance(actor, edition_id, party_id))


@router.put("/editions/{edition_id}/attendance", tags=ATTENDANCE)
async def declare(
    edition_id: str,
    body: AvailabilityIO,
    actor: CurrentActor,
    attendance: Attendance,
    party_id: str | None = None,
) -> AttendanceOut:
    declared = await attendance.declare(actor, edition_id, availability(body), party_id)
    return attendance_out(declared)


@router.post("/editions/{edition_id}/attendance/calendar-token", tags=ATTENDANCE)
async def rotate_calendar_token(
    edition_id: str, actor: CurrentActor, attendance: Attendance
) -> AttendanceOut:
    """A new secret address for the calendar feed; the old one stops working."""
    return attendance_out(await attendance.rotate_calendar(actor, edition_id))


@router.get("/editions/{edition_id}/attendance/qr.svg", tags=ATTENDANCE)
async def check_in_qr(edition_id: str, actor: CurrentActor, attendance: Attendance) -> Response:
    """The caller's check-in QR code (its content is the check-in token)."""
    mine = await attendance.attendance(actor, edition_id)
    svg = segno.make(mine.checkin_token, error="m").svg_inline(scale=6)
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "no-store"})


@router.post("/check-in", tags=ATTENDANCE)
async def check_in(body: CheckInIn, actor: CurrentActor, attendance: Attendance) -> AttendanceOut:
    """Venue staff scan a participant's QR code."""
    return attendance_out(await attendance.check_in(actor, body.token))


# -- agendas -----------------------------------------------------------------------


@router.get("/editions/{edition_id}/agenda", tags=AGENDA)
async def my_agenda(
    edition_id: str, actor: CurrentActor, attendance: Attendance, party_id: str | None = None
) -> list[AgendaItemOut]:
    """The caller's sessions and meetings in time order (staff: anyone's)."""
    return [agenda_item_out(i) for i in await attendance.agenda(actor, edition_id, party_id)]


def _ics(file: CalendarFile) -> Response:
    return Response(
        file.data,
        media_type="text/calendar; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{file.filename}"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/editions/{edition_id}/agenda.ics", tags=AGENDA)
async def my_agenda_ics(edition_id: str, actor: CurrentActor, attendance: Attendance) -> Response:
    return _ics(await attendance.calendar(actor, edition_id))


@router.get("/calendar/{token}.ics", tags=AGENDA)
async def calendar_feed(token: str, actor: CurrentActor, attendance: Attendance) -> Response:
    """The subscribable feed: the secret token in the address is the only credential
    (calendar apps send no headers; the gateway passes the call on as a visitor)."""
    return _ics(await attendance.feed(actor, token))
