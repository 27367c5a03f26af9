"""HTTP API of meeting requests and of participants' attendance (availability, check-in)."""

from __future__ import annotations

from typing import Annotated

import segno
from fastapi import APIRouter, Query, Response, status

from boyin_scheduling.application import require_staff
from boyin_scheduling.deps import App
from boyin_scheduling.schemas import (
    AnswerIn,
    AttendanceOut,
    AvailabilityIO,
    CancelIn,
    CheckInIn,
    LinkIn,
    MeetingIn,
    MeetingOut,
    OutcomeIn,
)
from boyin_shared.identity import CurrentActor

router = APIRouter(tags=["meetings"])


@router.post("/editions/{edition_id}/meetings", status_code=status.HTTP_201_CREATED)
async def request_meeting(
    edition_id: str, body: MeetingIn, actor: CurrentActor, app: App
) -> MeetingOut:
    meeting = await app.request_meeting(
        actor,
        edition_id,
        invitee_id=body.invitee_id,
        requester_id=body.requester_id,
        mode=body.mode,
        note=body.note,
        weight=body.weight,
        must_meet=body.must_meet,
    )
    return MeetingOut.of(meeting)


@router.get("/editions/{edition_id}/meetings")
async def edition_meetings(
    edition_id: str,
    actor: CurrentActor,
    app: App,
    status_: Annotated[str | None, Query(alias="status")] = None,
    after: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[MeetingOut]:
    """Every meeting of the edition (staff)."""
    require_staff(actor)
    meetings = await app.repos.meetings.page(edition_id, status=status_, after=after, limit=limit)
    return [MeetingOut.of(m) for m in meetings]


@router.get("/meetings")
async def my_meetings(
    actor: CurrentActor,
    app: App,
    edition_id: str | None = None,
    party_id: str | None = None,
    after: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[MeetingOut]:
    """The caller's meetings (staff: anyone's, with ``party_id``)."""
    party = await app.acting_party_id(actor, party_id)
    meetings = await app.repos.meetings.of_party(party, edition_id, after=after, limit=limit)
    return [MeetingOut.of(m) for m in meetings]


@router.get("/meetings/{meeting_id}")
async def get_meeting(meeting_id: str, actor: CurrentActor, app: App) -> MeetingOut:
    return MeetingOut.of(await app.meeting(actor, meeting_id))


@router.post("/meetings/{meeting_id}/answer")
async def answer(meeting_id: str, body: AnswerIn, actor: CurrentActor, app: App) -> MeetingOut:
    return MeetingOut.of(await app.answer(actor, meeting_id, body.accept, body.reason))


@router.post("/meetings/{meeting_id}/cancel")
async def cancel(meeting_id: str, body: CancelIn, actor: CurrentActor, app: App) -> MeetingOut:
    return MeetingOut.of(await app.cancel_meeting(actor, meeting_id, body.reason))


@router.put("/meetings/{meeting_id}/video-link")
async def video_link(meeting_id: str, body: LinkIn, actor: CurrentActor, app: App) -> MeetingOut:
    return MeetingOut.of(await app.set_link(actor, meeting_id, body.video_link))


@router.post("/meetings/{meeting_id}/outcome")
async def outcome(meeting_id: str, body: OutcomeIn, actor: CurrentActor, app: App) -> MeetingOut:
    meeting = await app.record_outcome(actor, meeting_id, body.held, tuple(body.absent))
    return MeetingOut.of(meeting)


# -- attendance --------------------------------------------------------------------


@router.get("/editions/{edition_id}/attendance", tags=["attendance"])
async def get_attendance(
    edition_id: str, actor: CurrentActor, app: App, party_id: str | None = None
) -> AttendanceOut:
    """The caller's attendance (staff: anyone's), with the defaults until declared."""
    return AttendanceOut.of(await app.attendance(actor, edition_id, party_id))


@router.put("/editions/{edition_id}/attendance", tags=["attendance"])
async def declare(
    edition_id: str,
    body: AvailabilityIO,
    actor: CurrentActor,
    app: App,
    party_id: str | None = None,
) -> AttendanceOut:
    return AttendanceOut.of(await app.declare(actor, edition_id, body.domain(), party_id))


@router.post("/editions/{edition_id}/attendance/calendar-token", tags=["attendance"])
async def rotate_calendar_token(edition_id: str, actor: CurrentActor, app: App) -> AttendanceOut:
    """A new secret address for the calendar feed; the old one stops working."""
    return AttendanceOut.of(await app.rotate_calendar(actor, edition_id))


@router.get("/editions/{edition_id}/attendance/qr.svg", tags=["attendance"])
async def check_in_qr(edition_id: str, actor: CurrentActor, app: App) -> Response:
    """The caller's check-in QR code (its content is the check-in token)."""
    attendance = await app.attendance(actor, edition_id)
    svg = segno.make(attendance.checkin_token, error="m").svg_inline(scale=6)
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "no-store"})


@router.post("/check-in", tags=["attendance"])
async def check_in(body: CheckInIn, actor: CurrentActor, app: App) -> AttendanceOut:
    """Venue staff scan a participant's QR code."""
    return AttendanceOut.of(await app.check_in(actor, body.token))
