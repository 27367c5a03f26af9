"""What the gateway reads from the services' HTTP APIs (their DTOs, as the gateway sees them)."""

from __future__ import annotations

from datetime import date, datetime, time

from pydantic import BaseModel, ConfigDict


class _Dto(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class TextDto(_Dto):
    zh: str | None = None
    en: str | None = None


class FieldErrorDto(_Dto):
    field: str
    code: str
    message: TextDto


class ErrorDto(_Dto):
    code: str
    message: TextDto
    fields: list[FieldErrorDto] = []


# -- scheduling -------------------------------------------------------------------------


class BreakDto(_Dto):
    start: time
    end: time


class FairDayDto(_Dto):
    day: date
    start: time
    end: time
    breaks: list[BreakDto] = []


class RoomDto(_Dto):
    id: str
    name: TextDto
    venue: TextDto = TextDto()


class TableDto(_Dto):
    number: int
    room: str | None = None
    booth_of: str | None = None


class EditionDto(_Dto):
    id: str
    status: str
    agenda_version: int
    #: how many meeting slots the grid has
    slots: int
    name: TextDto
    timezone: str
    first_day: date
    last_day: date
    slot_minutes: int
    days: list[FairDayDto]
    rooms: list[RoomDto] = []
    tables: list[TableDto] = []
    local_hours: tuple[time, time]


class SlotDto(_Dto):
    id: str
    day: date
    start: datetime
    end: datetime


class PresenterDto(_Dto):
    party_id: str
    title: TextDto = TextDto()
    start: datetime | None = None
    end: datetime | None = None


class SessionDto(_Dto):
    id: str
    edition_id: str
    status: str
    version: int
    confirmed: int
    waiting: int
    my_state: str | None
    kind: str
    title: TextDto
    description: TextDto = TextDto()
    start: datetime
    end: datetime
    room: str | None = None
    capacity: int | None = None
    waitlist_limit: int = 0
    departure: datetime | None = None
    meeting_point: TextDto = TextDto()
    presenters: list[PresenterDto] = []


class SignUpDto(_Dto):
    party_id: str
    state: str
    at: datetime


class SpanDto(_Dto):
    start: datetime
    end: datetime


class AvailabilityDto(_Dto):
    mode: str
    timezone: str
    arrival: datetime | None = None
    departure: datetime | None = None
    blocked: list[SpanDto] = []
    representatives: int = 1
    min_meetings: int = 0


class AttendanceDto(_Dto):
    edition_id: str
    party_id: str
    kind: str
    declared: bool
    availability: AvailabilityDto
    checked_in_at: datetime | None
    checkin_token: str
    calendar_token: str


class PlaceDto(_Dto):
    slot_id: str
    start: datetime
    end: datetime
    table: int | None
    schedule_version: int


class MeetingDto(_Dto):
    id: str
    edition_id: str
    requester_id: str
    requester_kind: str
    invitee_id: str
    invitee_kind: str
    source: str
    status: str
    weight: int
    must_meet: bool
    mode: str | None
    match_id: str | None
    video_link: str | None
    note: str | None
    place: PlaceDto | None
    outcome: str | None
    absent: list[str] = []


class TimetableDto(_Dto):
    scheduled: int
    unscheduled: int
    objective: int
    bound: float | None
    ratio: float | None
    greedy_objective: int | None
    solver: str
    seconds: float
    computed_at: datetime | None
    violations: int


class ScheduleDto(_Dto):
    edition_id: str
    version: int
    published_at: datetime | None
    job: str
    job_error: str | None
    draft: TimetableDto | None
    published: TimetableDto | None
    pending: int


class PlacementDto(_Dto):
    meeting_id: str
    slot_id: str
    table: int | None


class UnscheduledDto(_Dto):
    meeting_id: str
    reason_zh: str | None
    reason_en: str | None


class TimetableDetailDto(_Dto):
    placements: list[PlacementDto]
    unscheduled: list[UnscheduledDto]


class AgendaItemDto(_Dto):
    kind: str
    id: str
    start: datetime
    end: datetime
    title: TextDto
    location: str | None
    counterpart_id: str | None
    state: str
