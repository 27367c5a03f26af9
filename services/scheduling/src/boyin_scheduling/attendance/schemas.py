"""Attendance and agendas ↔ the HTTP API's models (``boyin_shared.api.scheduling``)."""

from __future__ import annotations

from boyin_scheduling.attendance.agenda import AgendaItem
from boyin_scheduling.attendance.domain import Attendance, Availability, Span
from boyin_scheduling.editions.schemas import text_io
from boyin_shared.api.scheduling import AgendaItemOut, AttendanceOut, AvailabilityIO, SpanIO


def availability(body: AvailabilityIO) -> Availability:
    return Availability(
        mode=body.mode,
        timezone=body.timezone,
        arrival=body.arrival,
        departure=body.departure,
        blocked=tuple(Span(b.start, b.end) for b in body.blocked),
        representatives=body.representatives,
        min_meetings=body.min_meetings,
    )


def availability_io(a: Availability) -> AvailabilityIO:
    return AvailabilityIO(
        mode=a.mode,
        timezone=a.timezone,
        arrival=a.arrival,
        departure=a.departure,
        blocked=[SpanIO(start=b.start, end=b.end) for b in a.blocked],
        representatives=a.representatives,
        min_meetings=a.min_meetings,
    )


def attendance_out(a: Attendance) -> AttendanceOut:
    return AttendanceOut(
        edition_id=a.edition_id,
        party_id=a.party_id,
        kind=a.kind,
        declared=a.declared,
        availability=availability_io(a.availability),
        checked_in_at=a.checked_in_at,
        checkin_token=a.checkin_token,
        calendar_token=a.calendar_token,
    )


def agenda_item_out(i: AgendaItem) -> AgendaItemOut:
    return AgendaItemOut(
        kind=i.kind,
        id=i.id,
        start=i.start,
        end=i.end,
        title=text_io(i.title),
        location=i.location,
        counterpart_id=i.counterpart_id,
        state=i.state,
        url=i.url,
        mentor_id=i.mentor_id,
    )
