"""What the gateway reads from the services' HTTP APIs (their DTOs, as the gateway sees them)."""

from __future__ import annotations

from datetime import date, datetime, time

from pydantic import BaseModel, ConfigDict


class _Dto(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class TextDto(_Dto):
    zh: str | None = None
    en: str | None = None


class ContactDto(_Dto):
    name: str
    email: str | None = None
    phone: str | None = None
    role: str | None = None


class PlatformDto(_Dto):
    level: str
    name: str


class OrganisationDto(_Dto):
    id: str
    name: TextDto
    kind: str
    district_code: str
    credit_code: str
    platforms: list[PlatformDto]
    taxonomy_codes: list[str]
    description: TextDto
    contacts: list[ContactDto] | None = None
    revision: int
    registered_at: datetime
    updated_at: datetime


class OrganisationPageDto(_Dto):
    items: list[OrganisationDto]
    next_after: str | None


class TalentDto(_Dto):
    id: str
    name: TextDto
    degree: str
    field: TextDto
    institution: TextDto
    country: str
    location: str
    timezone: str
    languages: list[str]
    taxonomy_codes: list[str]
    revision: int


class FieldErrorDto(_Dto):
    field: str
    code: str
    message: TextDto


class ErrorDto(_Dto):
    code: str
    message: TextDto
    fields: list[FieldErrorDto] = []


class DistrictSupplyDto(_Dto):
    district_code: str
    organisations: int


class AttachmentDto(_Dto):
    id: str
    name: str
    content_type: str
    size: int
    #: given when the file was uploaded, not on a demand's list of attachments
    sha256: str | None = None


class ClaimDto(_Dto):
    criterion: str
    evidence: str | None = None
    evidence_file: str | None = None
    review: str
    review_note: str | None = None


class TransitionDto(_Dto):
    to: str
    by: str
    role: str
    at: datetime
    reason: str | None = None


class DemandDto(_Dto):
    id: str
    channel: str
    owner_id: str
    district_code: str | None
    status: str
    title: TextDto
    description: TextDto
    language: str
    taxonomy_codes: list[str]
    keywords: list[str]
    editions: list[str]
    claims: list[ClaimDto]
    details: dict[str, object]
    attachments: list[AttachmentDto] = []
    expires_on: str | None = None
    history: list[TransitionDto]
    revision: int
    external_ref: str | None = None
    created_at: datetime
    updated_at: datetime


class DemandPageDto(_Dto):
    items: list[DemandDto]
    next_after: str | None


class TalentPageDto(_Dto):
    items: list[TalentDto]
    next_after: str | None


class ExplanationDto(_Dto):
    zh: list[str]
    en: list[str]
    mismatches_zh: list[str]
    mismatches_en: list[str]
    capped_note: dict[str, str] | None = None
    reliability_note: dict[str, str] | None = None


class MeetingOutcomeDto(_Dto):
    meeting_id: str
    outcome: str
    absent: list[str]


class AgreementRefDto(_Dto):
    agreement_id: str
    signed_at: datetime


class MatchDto(_Dto):
    match_id: str
    demand_id: str
    counterpart_demand_id: str
    counterpart_kind: str
    counterpart_party_id: str
    score: float
    status: str
    my_response: str | None
    source: str
    explanation: ExplanationDto | None
    meeting: MeetingOutcomeDto | None = None
    agreement: AgreementRefDto | None = None


# -- reference data and privacy ---------------------------------------------------------


class NamedDto(_Dto):
    code: str
    zh: str
    en: str
    kind: str
    parent: str | None = None


class TaxonomyDto(_Dto):
    version: int
    nodes: list[NamedDto]


class CriterionDto(_Dto):
    code: str
    side: str
    zh: str
    en: str


class NoticeDto(_Dto):
    version: str
    text: dict[str, str]
    purposes: dict[str, dict[str, str]]


class AuditEntryDto(_Dto):
    account_id: str
    role: str
    action: str
    subject: str
    at: datetime


# -- imports ----------------------------------------------------------------------------


class ImportMessageDto(_Dto):
    zh: str
    en: str


class CellErrorDto(_Dto):
    column: str | None
    field: str
    code: str
    message: ImportMessageDto


class RowErrorDto(_Dto):
    row: int
    key: str | None
    errors: list[CellErrorDto]


class ImportErrorsDto(_Dto):
    total: int
    offset: int
    items: list[RowErrorDto]
    next_offset: int | None


class ImportCountsDto(_Dto):
    created: int
    updated: int
    unchanged: int
    failed: int


class JobErrorDto(_Dto):
    code: str
    message: ImportMessageDto


class ImportDto(_Dto):
    id: str
    status: str
    resumable: bool
    scope: str
    filename: str | None
    format: str
    total: int
    processed: int
    counts: ImportCountsDto
    ignored_columns: list[str]
    error: JobErrorDto | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    errors: ImportErrorsDto


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
