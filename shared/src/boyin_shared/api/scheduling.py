"""The scheduling service's HTTP API: its request and response models and their enums.

The service answers with these and its clients parse into them; the service's domain
uses the enums defined here (one definition each). The mapping between these models and
the service's aggregates lives in the service (``boyin_scheduling.<feature>.schemas``).

Model classes carry no docstrings of their own on purpose: a class docstring becomes the
model's description in the OpenAPI document, which is frozen (``tests/contracts``).
"""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from boyin_shared.api.errors import FieldErrorOut

# -- enums -------------------------------------------------------------------------


class EditionStatus(StrEnum):
    DRAFT = "DRAFT"  # operators prepare it; participants do not see it
    OPEN = "OPEN"  # visible; sign-ups, availability and meeting requests accepted
    CLOSED = "CLOSED"  # over; kept for the record


class SessionKind(StrEnum):
    OPENING = "OPENING"
    CLOSING = "CLOSING"
    SIGNING_CEREMONY = "SIGNING_CEREMONY"
    ROADSHOW = "ROADSHOW"
    RECRUITMENT = "RECRUITMENT"
    FIELD_VISIT = "FIELD_VISIT"
    LIVE_EXPERIENCE = "LIVE_EXPERIENCE"
    OTHER = "OTHER"


class SessionStatus(StrEnum):
    DRAFT = "DRAFT"
    PUBLISHED = "PUBLISHED"
    CANCELLED = "CANCELLED"


#: a sign-up's state; ``SessionOut.my_state`` is one of these or ``PRESENTER``
class SignUpState(StrEnum):
    CONFIRMED = "CONFIRMED"
    WAITLISTED = "WAITLISTED"


#: taking part at the venue, or online
class Mode(StrEnum):
    ON_SITE = "ON_SITE"
    ONLINE = "ONLINE"


class MeetingStatus(StrEnum):
    REQUESTED = "REQUESTED"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    CANCELLED = "CANCELLED"


#: where a meeting request came from: a mutual match, an operator, or a participant
class MeetingSource(StrEnum):
    MATCH = "MATCH"
    OPERATOR = "OPERATOR"
    DIRECT = "DIRECT"


class MeetingOutcome(StrEnum):
    HELD = "HELD"
    NO_SHOW = "NO_SHOW"


#: the background computation of a draft timetable
JobState = Literal["IDLE", "RUNNING", "FAILED"]

#: what an agenda item is
AgendaItemKind = Literal["SESSION", "MEETING", "CONSULTATION"]

# -- text --------------------------------------------------------------------------

Short = Annotated[str, Field(max_length=200)]
Long = Annotated[str, Field(max_length=4000)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TextIO(_In):
    zh: Short | None = None
    en: Short | None = None


class LongTextIO(TextIO):
    """Text of a paragraph or two (descriptions)."""

    zh: Long | None = None
    en: Long | None = None


# -- editions ----------------------------------------------------------------------


class BreakIO(_In):
    start: time
    end: time


class DayIO(_In):
    day: date
    start: time
    end: time
    breaks: list[BreakIO] = Field(default_factory=list, max_length=10)


class RoomIO(_In):
    id: Annotated[str, Field(min_length=1, max_length=40)]
    name: TextIO
    venue: TextIO = Field(default_factory=TextIO)


class TableIO(_In):
    number: int
    room: str | None = None
    booth_of: str | None = None


class EditionIn(_In):
    name: TextIO
    #: the registry's edition code this fair is (a code of the registry's ``editions``
    #: reference data, e.g. ``CQ2026``): demands naming it have their meetings here.
    #: One edition per code.
    code: str | None = None
    timezone: str = "Asia/Shanghai"
    first_day: date
    last_day: date
    slot_minutes: int = 30
    days: list[DayIO] = Field(max_length=14)
    rooms: list[RoomIO] = Field(default_factory=list, max_length=100)
    tables: list[TableIO] = Field(default_factory=list, max_length=2000)
    local_hours: tuple[time, time] = (time(8, 0), time(22, 0))


class SlotOut(BaseModel):
    id: str
    day: date
    start: datetime
    end: datetime


class EditionOut(EditionIn):
    model_config = ConfigDict(extra="ignore")
    id: str
    #: an :class:`EditionStatus`
    status: str
    agenda_version: int
    slots: int


# -- sessions ----------------------------------------------------------------------


class PresenterIO(_In):
    party_id: str
    title: TextIO = Field(default_factory=TextIO)
    start: AwareDatetime | None = None
    end: AwareDatetime | None = None


class SessionIn(_In):
    kind: SessionKind
    title: TextIO
    description: LongTextIO = Field(default_factory=LongTextIO)
    start: AwareDatetime
    end: AwareDatetime
    room: str | None = None
    capacity: int | None = None
    waitlist_limit: int = 0
    departure: AwareDatetime | None = None
    meeting_point: TextIO = Field(default_factory=TextIO)
    presenters: list[PresenterIO] = Field(default_factory=list, max_length=200)


class SessionOut(SessionIn):
    model_config = ConfigDict(extra="ignore")
    id: str
    edition_id: str
    #: a :class:`SessionStatus`
    status: str
    version: int
    confirmed: int
    waiting: int
    #: the caller's own sign-up: CONFIRMED, WAITLISTED, PRESENTER or None
    my_state: str | None


#: the answer to adding or editing a session: the session and what an operator should
#: check (a presenter whose local time is at night), each naming the field
class SessionSavedOut(SessionOut):
    warnings: list[FieldErrorOut] = Field(default_factory=list)


class SignUpIn(_In):
    #: staff sign someone else up
    party_id: str | None = None


class SignUpOut(BaseModel):
    party_id: str
    #: a :class:`SignUpState`
    state: str
    at: datetime


# -- attendance --------------------------------------------------------------------


class SpanIO(_In):
    start: AwareDatetime
    end: AwareDatetime


class AvailabilityIO(_In):
    mode: Mode
    timezone: str = "Asia/Shanghai"
    arrival: AwareDatetime | None = None
    departure: AwareDatetime | None = None
    blocked: list[SpanIO] = Field(default_factory=list, max_length=50)
    representatives: int = 1
    min_meetings: int = 0


class AttendanceOut(BaseModel):
    edition_id: str
    party_id: str
    kind: str
    declared: bool
    availability: AvailabilityIO
    checked_in_at: datetime | None
    #: secrets, shown to the participant (and staff) only
    checkin_token: str
    calendar_token: str


class CheckInIn(_In):
    token: Annotated[str, Field(min_length=8, max_length=100)]


# -- meetings ----------------------------------------------------------------------


class MeetingIn(_In):
    invitee_id: str
    #: staff only: arrange a meeting between two others
    requester_id: str | None = None
    mode: Mode | None = None
    note: Long | None = None
    #: staff only
    weight: Annotated[int, Field(ge=0, le=100)] | None = None
    must_meet: bool = False


class PlaceOut(BaseModel):
    slot_id: str
    start: datetime
    end: datetime
    table: int | None
    schedule_version: int


class MeetingOut(BaseModel):
    id: str
    edition_id: str
    requester_id: str
    requester_kind: str
    invitee_id: str
    invitee_kind: str
    #: a :class:`MeetingSource`
    source: str
    #: a :class:`MeetingStatus`
    status: str
    weight: int
    must_meet: bool
    #: a :class:`Mode`
    mode: str | None
    match_id: str | None
    video_link: str | None
    note: str | None
    place: PlaceOut | None
    #: a :class:`MeetingOutcome`
    outcome: str | None
    absent: list[str]


class AnswerIn(_In):
    accept: bool
    reason: Long | None = None


class CancelIn(_In):
    reason: Long | None = None


class LinkIn(_In):
    video_link: Annotated[str, Field(max_length=500, pattern=r"^https://\S+$")] | None


class OutcomeIn(_In):
    held: bool
    absent: list[str] = Field(default_factory=list, max_length=2)


# -- schedules ---------------------------------------------------------------------


class SolveIn(_In):
    time_limit_s: Annotated[float, Field(ge=0, le=300)] = 10.0
    lp_bound: bool = True


class RepairIn(_In):
    #: allow moving already placed meetings (up to two per new one) to make room
    move_placed: bool = False


class PlacementOut(BaseModel):
    meeting_id: str
    slot_id: str
    table: int | None


class TimetableOut(BaseModel):
    scheduled: int
    unscheduled: int
    objective: int
    bound: float | None = Field(
        description="A proven upper bound on the objective (from the LP relaxation)."
    )
    #: objective / bound (1.0 = provably optimal)
    ratio: float | None
    gap: float | None = Field(
        description=(
            "(bound − objective) / bound: 0 means proven optimal; above 0 it is the distance "
            "to a bound, not to the optimum, which lies somewhere in between."
        )
    )
    optimal: bool = Field(description="The objective equals the bound: proven optimal.")
    greedy_objective: int | None
    solver: str
    seconds: float
    computed_at: datetime | None
    violations: int


class UnscheduledOut(BaseModel):
    meeting_id: str
    reason_zh: str | None
    reason_en: str | None


class SolveProgressOut(BaseModel):
    """Where a running (or the last) solve stands."""

    phase: str = Field(
        description=(
            "greedy, lp, lp-integral, lp-rounded, cp-sat, lp-rounded+cpsat, greedy+cpsat, "
            "people (the best optimal schedule for people) or done."
        )
    )
    incumbent: int | None = Field(description="The best objective found so far.")
    bound: int | None = Field(description="The best proven upper bound so far.")
    gap: float | None = Field(description="(bound − incumbent) / bound; 0: proven optimal.")
    updated_at: datetime


class ScheduleOut(BaseModel):
    edition_id: str
    version: int
    published_at: datetime | None
    job: JobState
    job_error: str | None
    progress: SolveProgressOut | None = Field(
        description="The phase, incumbent, bound and gap of the running or last solve."
    )
    draft: TimetableOut | None
    published: TimetableOut | None
    #: meetings still catching up with the latest version
    pending: int


class TimetableDetailOut(BaseModel):
    placements: list[PlacementOut]
    unscheduled: list[UnscheduledOut]


class AgendaItemOut(BaseModel):
    kind: AgendaItemKind
    id: str
    start: datetime
    end: datetime
    title: TextIO
    location: str | None
    #: meetings: the other side; sessions: None
    counterpart_id: str | None
    #: CONFIRMED, WAITLISTED, PRESENTER or CANCELLED
    state: str
    #: an online meeting's or consultation's link
    url: str | None = None
    #: a consultation's mentor (the mentors service's id); None otherwise
    mentor_id: str | None = None
