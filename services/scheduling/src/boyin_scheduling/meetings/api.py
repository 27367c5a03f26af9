"""HTTP API of meeting requests: asking, answering, cancelling, the video link and the
outcome."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Depends, Query, Request, status

from boyin_scheduling.meetings.schemas import meeting_out
from boyin_scheduling.meetings.service import MeetingService
from boyin_shared.api.scheduling import (
    AnswerIn,
    CancelIn,
    LinkIn,
    MeetingIn,
    MeetingOut,
    OutcomeIn,
)
from boyin_shared.callers import CurrentActor


def _service(request: Request) -> MeetingService:
    return cast(MeetingService, request.app.state.service.meetings)


Meetings = Annotated[MeetingService, Depends(_service)]
router = APIRouter(tags=["meetings"])


@router.post("/editions/{edition_id}/meetings", status_code=status.HTTP_201_CREATED)
async def request_meeting(
    edition_id: str, body: MeetingIn, actor: CurrentActor, meetings: Meetings
) -> MeetingOut:
    meeting = await meetings.request(
        actor,
        edition_id,
        invitee_id=body.invitee_id,
        requester_id=body.requester_id,
        mode=body.mode,
        note=body.note,
        weight=body.weight,
        must_meet=body.must_meet,
    )
    return meeting_out(meeting)


@router.get("/editions/{edition_id}/meetings")
async def edition_meetings(
    edition_id: str,
    actor: CurrentActor,
    meetings: Meetings,
    status_: Annotated[str | None, Query(alias="status")] = None,
    after: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[MeetingOut]:
    """Every meeting of the edition (staff)."""
    page = await meetings.of_edition(actor, edition_id, status=status_, after=after, limit=limit)
    return [meeting_out(m) for m in page]


@router.get("/meetings")
async def my_meetings(
    actor: CurrentActor,
    meetings: Meetings,
    edition_id: str | None = None,
    party_id: str | None = None,
    after: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[MeetingOut]:
    """The caller's meetings (staff: anyone's, with ``party_id``)."""
    page = await meetings.of_party(actor, edition_id, party_id, after=after, limit=limit)
    return [meeting_out(m) for m in page]


@router.get("/meetings/{meeting_id}")
async def get_meeting(meeting_id: str, actor: CurrentActor, meetings: Meetings) -> MeetingOut:
    return meeting_out(await meetings.meeting(actor, meeting_id))


@router.post("/meetings/{meeting_id}/answer")
async def answer(
    meeting_id: str, body: AnswerIn, actor: CurrentActor, meetings: Meetings
) -> MeetingOut:
    return meeting_out(await meetings.answer(actor, meeting_id, body.accept, body.reason))


@router.post("/meetings/{meeting_id}/cancel")
async def cancel(
    meeting_id: str, body: CancelIn, actor: CurrentActor, meetings: Meetings
) -> MeetingOut:
    return meeting_out(await meetings.cancel(actor, meeting_id, body.reason))


@router.put("/meetings/{meeting_id}/video-link")
async def video_link(
    meeting_id: str, body: LinkIn, actor: CurrentActor, meetings: Meetings
) -> MeetingOut:
    return meeting_out(await meetings.set_link(actor, meeting_id, body.video_link))


@router.post("/meetings/{meeting_id}/outcome")
async def outcome(
    meeting_id: str, body: OutcomeIn, actor: CurrentActor, meetings: Meetings
) -> MeetingOut:
    meeting = await meetings.record_outcome(actor, meeting_id, body.held, tuple(body.absent))
    return meeting_out(meeting)
