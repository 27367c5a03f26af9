"""Meetings ↔ the HTTP API's models (``boyin_shared.api.scheduling``)."""

from __future__ import annotations

from boyin_scheduling.meetings.domain import Meeting, Place
from boyin_shared.api.scheduling import MeetingOut, PlaceOut


def place_out(p: Place | None) -> PlaceOut | None:
    if p is None:
        return None
    return PlaceOut(
        slot_id=p.slot_id,
        start=p.start,
        end=p.end,
        table=p.table,
        schedule_version=p.schedule_version,
    )


def meeting_out(m: Meeting) -> MeetingOut:
    return MeetingOut(
        id=m.id,
        edition_id=m.edition_id,
        requester_id=m.requester.id,
        requester_kind=m.requester.kind,
        invitee_id=m.invitee.id,
        invitee_kind=m.invitee.kind,
        source=m.source.value,
        status=m.status.value,
        weight=m.weight,
        must_meet=m.must_meet,
        mode=m.mode.value if m.mode else None,
        match_id=m.match_id,
        video_link=m.video_link,
        note=m.note,
        place=place_out(m.place),
        outcome=m.outcome.value if m.outcome else None,
        absent=list(m.absent),
    )
