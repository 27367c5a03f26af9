"""GraphQL types of scheduling (editions, agenda sessions, attendance, meetings, the
timetable), built explicitly from the scheduling service's DTOs, and their inputs."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import Enum
from typing import Annotated, Any
from urllib.parse import quote

import strawberry
from pydantic_core import to_jsonable_python

from boyin_gateway.clients import ServiceError
from boyin_gateway.demand_types import Party
from boyin_gateway.dto import (
    AgendaItemDto,
    AttendanceDto,
    EditionDto,
    MeetingDto,
    PlaceDto,
    ScheduleDto,
    SessionDto,
    SignUpDto,
    SlotDto,
    TimetableDto,
)
from boyin_gateway.permissions import nothing, staff_field
from boyin_gateway.types import (
    Conflict,
    Forbidden,
    InvalidInput,
    LocalizedText,
    NotFound,
    PageInfo,
    described_field,
)


def _seg(value: str) -> str:
    return quote(value, safe="")


def _text(dto: Any) -> LocalizedText:
    return LocalizedText(zh=dto.zh, en=dto.en)


# -- enums ------------------------------------------------------------------------------


@strawberry.enum
class EditionStatus(Enum):
    DRAFT = "DRAFT"
    OPEN = "OPEN"
    CLOSED = "CLOSED"


@strawberry.enum
class SessionKind(Enum):
    OPENING = "OPENING"
    CLOSING = "CLOSING"
    SIGNING_CEREMONY = "SIGNING_CEREMONY"
    ROADSHOW = "ROADSHOW"
    RECRUITMENT = "RECRUITMENT"
    FIELD_VISIT = "FIELD_VISIT"
    LIVE_EXPERIENCE = "LIVE_EXPERIENCE"
    OTHER = "OTHER"


@strawberry.enum
class SessionStatus(Enum):
    DRAFT = "DRAFT"
    PUBLISHED = "PUBLISHED"
    CANCELLED = "CANCELLED"


@strawberry.enum(description="Taking part at the venue in Chongqing, or online.")
class AttendanceMode(Enum):
    ON_SITE = "ON_SITE"
    ONLINE = "ONLINE"


@strawberry.enum
class MeetingStatus(Enum):
    REQUESTED = "REQUESTED"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    CANCELLED = "CANCELLED"


@strawberry.enum
class MeetingSource(Enum):
    MATCH = "MATCH"
    OPERATOR = "OPERATOR"
    DIRECT = "DIRECT"


@strawberry.enum
class MeetingOutcome(Enum):
    HELD = "HELD"
    NO_SHOW = "NO_SHOW"


@strawberry.enum(description="The background computation of a draft timetable.")
class SolveJob(Enum):
    IDLE = "IDLE"
    RUNNING = "RUNNING"
    FAILED = "FAILED"


# -- editions ---------------------------------------------------------------------------


@strawberry.type
class FairBreak:
    start: time
    end: time


@strawberry.type(description="One day of the fair: its meeting hours (local) and breaks.")
class FairDay:
    day: date
    start: time
    end: time
    breaks: list[FairBreak]


@strawberry.type
class Room:
    id: str
    name: LocalizedText
    venue: LocalizedText


@strawberry.type(description="A meeting table on site (a room's, or an organisation's booth).")
class MeetingTable:
    number: int
    room: str | None
    booth_of: str | None


@strawberry.type(description="One meeting slot of the edition's grid.")
class Slot:
    id: str
    day: date
    start: datetime
    end: datetime

    @classmethod
    def of(cls, dto: SlotDto) -> Slot:
        return cls(id=dto.id, day=dto.day, start=dto.start, end=dto.end)


@strawberry.type(description="One edition of the fair (e.g. the 2026 fair).")
class FairEdition:
    id: strawberry.ID
    name: LocalizedText
    status: EditionStatus
    timezone: str
    first_day: date
    last_day: date
    slot_minutes: int
    days: list[FairDay]
    rooms: list[Room]
    tables: list[MeetingTable]
    local_hours_start: time = strawberry.field(
        description="Online meetings are held within these hours of each side's own zone."
    )
    local_hours_end: time
    agenda_version: int
    slot_count: int

    @described_field("The meeting slots of the grid, in time order.")
    async def slots(self, info: strawberry.Info) -> list[Slot]:
        try:
            return [Slot.of(s) for s in await info.context.scheduling.slots(str(self.id))]
        except ServiceError:
            return []

    @described_field("The edition's agenda sessions (staff also see drafts).")
    async def sessions(self, info: strawberry.Info) -> list[AgendaSession]:
        client = await info.context.scheduling_for_participant()
        try:
            return [AgendaSession.of(s) for s in await client.sessions(str(self.id))]
        except ServiceError:
            return []

    @classmethod
    def of(cls, dto: EditionDto) -> FairEdition:
        return cls(
            id=strawberry.ID(dto.id),
            name=_text(dto.name),
            status=EditionStatus(dto.status),
            timezone=dto.timezone,
            first_day=dto.first_day,
            last_day=dto.last_day,
            slot_minutes=dto.slot_minutes,
            days=[
                FairDay(
                    day=d.day,
                    start=d.start,
                    end=d.end,
                    breaks=[FairBreak(start=b.start, end=b.end) for b in d.breaks],
                )
                for d in dto.days
            ],
            rooms=[Room(id=r.id, name=_text(r.name), venue=_text(r.venue)) for r in dto.rooms],
            tables=[
                MeetingTable(number=t.number, room=t.room, booth_of=t.booth_of) for t in dto.tables
            ],
            local_hours_start=dto.local_hours[0],
            local_hours_end=dto.local_hours[1],
            agenda_version=dto.agenda_version,
            slot_count=dto.slots,
        )


# -- agenda sessions --------------------------------------------------------------------


@strawberry.type
class Presenter:
    party_id: str
    title: LocalizedText
    start: datetime | None
    end: datetime | None

    @described_field("The presenting talent or organisation (batched per request).")
    async def party(self, info: strawberry.Info) -> Party | None:
        found: Any = await info.context.loaders.party(self.party_id)
        return found  # type: ignore[no-any-return]


@strawberry.type(description="Someone signed up for a session (staff see the list).")
class SignUp:
    party_id: str
    #: CONFIRMED or WAITLISTED
    state: str
    at: datetime

    @strawberry.field
    async def party(self, info: strawberry.Info) -> Party | None:
        found: Any = await info.context.loaders.party(self.party_id)
        return found  # type: ignore[no-any-return]

    @classmethod
    def of(cls, dto: SignUpDto) -> SignUp:
        return cls(party_id=dto.party_id, state=dto.state, at=dto.at)


@strawberry.type(
    description="A session of the fair's agenda: a ceremony, a roadshow, a field visit..."
)
class AgendaSession:
    id: strawberry.ID
    edition_id: str
    kind: SessionKind
    title: LocalizedText
    description: LocalizedText
    start: datetime
    end: datetime
    room: str | None
    capacity: int | None
    waitlist_limit: int
    departure: datetime | None
    meeting_point: LocalizedText
    presenters: list[Presenter]
    status: SessionStatus
    version: int
    confirmed: int
    waiting: int
    my_state: str | None = strawberry.field(
        description="The caller's own place: CONFIRMED, WAITLISTED, PRESENTER or null."
    )

    @staff_field("Everyone signed up or waiting (staff; null for others).", refusal=nothing)
    async def sign_ups(self, info: strawberry.Info) -> list[SignUp] | None:
        try:
            return [SignUp.of(s) for s in await info.context.scheduling.sign_ups(str(self.id))]
        except ServiceError:
            return None

    @classmethod
    def of(cls, dto: SessionDto) -> AgendaSession:
        return cls(
            id=strawberry.ID(dto.id),
            edition_id=dto.edition_id,
            kind=SessionKind(dto.kind),
            title=_text(dto.title),
            description=_text(dto.description),
            start=dto.start,
            end=dto.end,
            room=dto.room,
            capacity=dto.capacity,
            waitlist_limit=dto.waitlist_limit,
            departure=dto.departure,
            meeting_point=_text(dto.meeting_point),
            presenters=[
                Presenter(party_id=p.party_id, title=_text(p.title), start=p.start, end=p.end)
                for p in dto.presenters
            ],
            status=SessionStatus(dto.status),
            version=dto.version,
            confirmed=dto.confirmed,
            waiting=dto.waiting,
            my_state=dto.my_state,
        )


# -- attendance and agendas -------------------------------------------------------------


@strawberry.type
class TimeSpan:
    start: datetime
    end: datetime


@strawberry.type(description="When and how a participant takes part in an edition.")
class Availability:
    mode: AttendanceMode
    timezone: str
    arrival: datetime | None
    departure: datetime | None
    blocked: list[TimeSpan]
    representatives: int
    min_meetings: int


def _absolute(info: strawberry.Info, path: str) -> str:
    """``path`` on the gateway as the caller reached it (a calendar app needs the host)."""
    request = getattr(info.context, "request", None)
    base = getattr(request, "base_url", None)
    return str(base).rstrip("/") + path if base is not None else path


def calendar_path(token: str) -> str:
    return f"/calendar/{_seg(token)}.ics"


@strawberry.type(description="A participant's presence at one edition.")
class Attendance:
    edition_id: str
    party_id: str
    #: talent or organisation
    kind: str
    declared: bool
    availability: Availability
    checked_in_at: datetime | None
    check_in_token: str = strawberry.field(
        description="The content of the check-in QR code (keep it private)."
    )
    calendar_token: strawberry.Private[str]

    @described_field(
        "The secret address of the calendar feed (GET, no sign-in: the address is the "
        "credential). rotateCalendarToken replaces it."
    )
    def calendar_path(self) -> str:
        return calendar_path(self.calendar_token)

    @described_field("calendarPath as an absolute URL, to subscribe to in a calendar app.")
    def calendar_url(self, info: strawberry.Info) -> str:
        return _absolute(info, calendar_path(self.calendar_token))

    @described_field("The signed-in participant's agenda as an .ics file (GET, with your token).")
    def agenda_ics_path(self) -> str:
        return f"/files/editions/{_seg(self.edition_id)}/agenda.ics"

    @described_field("The signed-in participant's check-in QR code, SVG (GET, with your token).")
    def check_in_qr_path(self) -> str:
        return f"/files/editions/{_seg(self.edition_id)}/check-in.svg"

    @classmethod
    def of(cls, dto: AttendanceDto) -> Attendance:
        a = dto.availability
        return cls(
            edition_id=dto.edition_id,
            party_id=dto.party_id,
            kind=dto.kind,
            declared=dto.declared,
            availability=Availability(
                mode=AttendanceMode(a.mode),
                timezone=a.timezone,
                arrival=a.arrival,
                departure=a.departure,
                blocked=[TimeSpan(start=b.start, end=b.end) for b in a.blocked],
                representatives=a.representatives,
                min_meetings=a.min_meetings,
            ),
            checked_in_at=dto.checked_in_at,
            check_in_token=dto.checkin_token,
            calendar_token=dto.calendar_token,
        )


@strawberry.type(description="One entry of a participant's agenda: a session or a meeting.")
class AgendaItem:
    #: SESSION or MEETING
    kind: str
    id: str
    start: datetime
    end: datetime
    title: LocalizedText
    location: str | None
    counterpart_id: str | None
    #: CONFIRMED, WAITLISTED, PRESENTER or CANCELLED
    state: str

    @described_field("A meeting's other side (batched per request); null for sessions.")
    async def counterpart(self, info: strawberry.Info) -> Party | None:
        if self.counterpart_id is None:
            return None
        found: Any = await info.context.loaders.party(self.counterpart_id)
        return found  # type: ignore[no-any-return]

    @classmethod
    def of(cls, dto: AgendaItemDto) -> AgendaItem:
        return cls(
            kind=dto.kind,
            id=dto.id,
            start=dto.start,
            end=dto.end,
            title=_text(dto.title),
            location=dto.location,
            counterpart_id=dto.counterpart_id,
            state=dto.state,
        )


@strawberry.type
class Agenda:
    edition_id: str
    items: list[AgendaItem]

    @described_field("The same agenda as an .ics file (GET, with your token).")
    def ics_path(self) -> str:
        return f"/files/editions/{_seg(self.edition_id)}/agenda.ics"


# -- meetings ---------------------------------------------------------------------------


@strawberry.type(description="When and where a meeting is held (no table: online).")
class MeetingPlace:
    slot_id: str
    start: datetime
    end: datetime
    table: int | None
    schedule_version: int

    @classmethod
    def of(cls, dto: PlaceDto | None) -> MeetingPlace | None:
        if dto is None:
            return None
        return cls(
            slot_id=dto.slot_id,
            start=dto.start,
            end=dto.end,
            table=dto.table,
            schedule_version=dto.schedule_version,
        )


@strawberry.type(description="A one-on-one meeting between a talent and an organisation.")
class Meeting:
    id: strawberry.ID
    edition_id: str
    requester_id: str
    requester_kind: str
    invitee_id: str
    invitee_kind: str
    source: MeetingSource
    status: MeetingStatus
    weight: int
    must_meet: bool
    mode: AttendanceMode | None
    match_id: str | None
    video_link: str | None
    note: str | None
    place: MeetingPlace | None
    outcome: MeetingOutcome | None
    absent: list[str]

    @strawberry.field
    async def requester(self, info: strawberry.Info) -> Party | None:
        found: Any = await info.context.loaders.party(self.requester_id, self.requester_kind)
        return found  # type: ignore[no-any-return]

    @strawberry.field
    async def invitee(self, info: strawberry.Info) -> Party | None:
        found: Any = await info.context.loaders.party(self.invitee_id, self.invitee_kind)
        return found  # type: ignore[no-any-return]

    @described_field("The side that is not the caller (null for staff, who are neither).")
    def counterpart_id(self, info: strawberry.Info) -> str | None:
        return self._other_side(info.context.actor.party_id)

    @described_field("The other side's profile (batched per request).")
    async def counterpart(self, info: strawberry.Info) -> Party | None:
        other = self._other_side(info.context.actor.party_id)
        if other is None:
            return None
        kind = self.invitee_kind if other == self.invitee_id else self.requester_kind
        found: Any = await info.context.loaders.party(other, kind)
        return found  # type: ignore[no-any-return]

    def _other_side(self, me: str | None) -> str | None:
        if me == self.requester_id:
            return self.invitee_id
        if me == self.invitee_id:
            return self.requester_id
        return None

    @classmethod
    def of(cls, dto: MeetingDto) -> Meeting:
        return cls(
            id=strawberry.ID(dto.id),
            edition_id=dto.edition_id,
            requester_id=dto.requester_id,
            requester_kind=dto.requester_kind,
            invitee_id=dto.invitee_id,
            invitee_kind=dto.invitee_kind,
            source=MeetingSource(dto.source),
            status=MeetingStatus(dto.status),
            weight=dto.weight,
            must_meet=dto.must_meet,
            mode=AttendanceMode(dto.mode) if dto.mode else None,
            match_id=dto.match_id,
            video_link=dto.video_link,
            note=dto.note,
            place=MeetingPlace.of(dto.place),
            outcome=MeetingOutcome(dto.outcome) if dto.outcome else None,
            absent=list(dto.absent),
        )


@strawberry.type
class MeetingEdge:
    cursor: str
    node: Meeting


@strawberry.type(description="A page of meetings (Relay-style cursors, 100 at most).")
class MeetingConnection:
    edges: list[MeetingEdge]
    page_info: PageInfo

    @classmethod
    def of(cls, dtos: list[MeetingDto], first: int) -> MeetingConnection:
        """``dtos`` asked for with ``first + 1``: one more means another page."""
        edges = [MeetingEdge(cursor=m.id, node=Meeting.of(m)) for m in dtos[:first]]
        return cls(
            edges=edges,
            page_info=PageInfo(
                has_next_page=len(dtos) > first, end_cursor=edges[-1].cursor if edges else None
            ),
        )


# -- the timetable ----------------------------------------------------------------------


@strawberry.type(description="A meeting the timetable gives a slot (and a table on site).")
class Placement:
    edition_id: strawberry.Private[str]
    meeting_id: str
    slot_id: str
    table: int | None

    @described_field("The meeting (all of the edition's are read in a few calls).")
    async def meeting(self, info: strawberry.Info) -> Meeting | None:
        return await _meeting_of_edition(info, self.edition_id, self.meeting_id)


@strawberry.type(description="A meeting the timetable could not place, and why.")
class UnscheduledMeeting:
    edition_id: strawberry.Private[str]
    meeting_id: str
    reason: LocalizedText

    @strawberry.field
    async def meeting(self, info: strawberry.Info) -> Meeting | None:
        return await _meeting_of_edition(info, self.edition_id, self.meeting_id)


async def _meeting_of_edition(
    info: strawberry.Info, edition_id: str, meeting_id: str
) -> Meeting | None:
    try:
        meetings = await info.context.loaders.edition_meetings.load(edition_id)
    except ServiceError:
        return None
    dto = meetings.get(meeting_id)
    return Meeting.of(dto) if dto else None


@strawberry.type(description="A computed timetable: its score against the upper bound.")
class Timetable:
    edition_id: strawberry.Private[str]
    which: strawberry.Private[str]
    scheduled: int
    unscheduled: int
    objective: int
    bound: float | None
    ratio: float | None = strawberry.field(description="objective / bound (1.0: optimal).")
    greedy_objective: int | None
    solver: str
    seconds: float
    computed_at: datetime | None
    violations: int

    @described_field("Every placed meeting.")
    async def placements(self, info: strawberry.Info) -> list[Placement]:
        detail = await info.context.loaders.timetables.load((self.edition_id, self.which))
        return [
            Placement(
                edition_id=self.edition_id,
                meeting_id=p.meeting_id,
                slot_id=p.slot_id,
                table=p.table,
            )
            for p in detail.placements
        ]

    @described_field("The accepted meetings left out, with the reason in zh and en.")
    async def unscheduled_meetings(self, info: strawberry.Info) -> list[UnscheduledMeeting]:
        detail = await info.context.loaders.timetables.load((self.edition_id, self.which))
        return [
            UnscheduledMeeting(
                edition_id=self.edition_id,
                meeting_id=u.meeting_id,
                reason=LocalizedText(zh=u.reason_zh, en=u.reason_en),
            )
            for u in detail.unscheduled
        ]

    @classmethod
    def of(cls, dto: TimetableDto | None, edition_id: str, which: str) -> Timetable | None:
        if dto is None:
            return None
        return cls(
            edition_id=edition_id,
            which=which,
            scheduled=dto.scheduled,
            unscheduled=dto.unscheduled,
            objective=dto.objective,
            bound=dto.bound,
            ratio=dto.ratio,
            greedy_objective=dto.greedy_objective,
            solver=dto.solver,
            seconds=dto.seconds,
            computed_at=dto.computed_at,
            violations=dto.violations,
        )


@strawberry.type(description="An edition's meeting timetable: the draft and the published one.")
class Schedule:
    edition_id: str
    version: int
    published_at: datetime | None
    job: SolveJob
    job_error: str | None
    draft: Timetable | None
    published: Timetable | None
    pending: int = strawberry.field(
        description="Meetings still catching up with the latest published version."
    )

    @classmethod
    def of(cls, dto: ScheduleDto) -> Schedule:
        return cls(
            edition_id=dto.edition_id,
            version=dto.version,
            published_at=dto.published_at,
            job=SolveJob(dto.job),
            job_error=dto.job_error,
            draft=Timetable.of(dto.draft, dto.edition_id, "draft"),
            published=Timetable.of(dto.published, dto.edition_id, "published"),
            pending=dto.pending,
        )


# -- results ----------------------------------------------------------------------------

FairEditionResult = Annotated[
    FairEdition | InvalidInput | Conflict | NotFound | Forbidden,
    strawberry.union("FairEditionResult"),
]
AgendaSessionResult = Annotated[
    AgendaSession | InvalidInput | Conflict | NotFound | Forbidden,
    strawberry.union("AgendaSessionResult"),
]
AttendanceResult = Annotated[
    Attendance | InvalidInput | Conflict | NotFound | Forbidden,
    strawberry.union("AttendanceResult"),
]
AgendaResult = Annotated[
    Agenda | InvalidInput | Conflict | NotFound | Forbidden, strawberry.union("AgendaResult")
]
MeetingResult = Annotated[
    Meeting | InvalidInput | Conflict | NotFound | Forbidden, strawberry.union("MeetingResult")
]
ScheduleResult = Annotated[
    Schedule | InvalidInput | Conflict | NotFound | Forbidden, strawberry.union("ScheduleResult")
]
EditionMeetingsResult = Annotated[
    MeetingConnection | InvalidInput | Conflict | NotFound | Forbidden,
    strawberry.union("EditionMeetingsResult"),
]


# -- inputs -----------------------------------------------------------------------------


def body_of(value: Any) -> Any:
    """An input as the service's JSON: snake_case keys, no nulls (the service's defaults),
    dates, times and enums as strings."""
    if hasattr(value, "__strawberry_definition__"):
        value = strawberry.asdict(value)
    return to_jsonable_python(_without_nulls(value))


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


@strawberry.input
class TextInput:
    zh: str | None = None
    en: str | None = None


@strawberry.input
class FairBreakInput:
    start: time
    end: time


@strawberry.input
class FairDayInput:
    day: date
    start: time
    end: time
    breaks: list[FairBreakInput] = strawberry.field(default_factory=list)


@strawberry.input
class RoomInput:
    id: str
    name: TextInput
    venue: TextInput | None = None


@strawberry.input
class MeetingTableInput:
    number: int
    room: str | None = None
    booth_of: str | None = None


@strawberry.input(description="An edition's dates, daily hours, rooms and meeting tables.")
class FairEditionInput:
    name: TextInput
    timezone: str = "Asia/Shanghai"
    first_day: date
    last_day: date
    slot_minutes: int = 30
    days: list[FairDayInput]
    rooms: list[RoomInput] = strawberry.field(default_factory=list)
    tables: list[MeetingTableInput] = strawberry.field(default_factory=list)
    local_hours_start: time | None = None
    local_hours_end: time | None = None

    def to_body(self) -> dict[str, Any]:
        body: dict[str, Any] = body_of(self)
        start = body.pop("local_hours_start", None)
        end = body.pop("local_hours_end", None)
        if start is not None or end is not None:
            body["local_hours"] = [start or "08:00:00", end or "22:00:00"]
        return body


@strawberry.input
class PresenterInput:
    party_id: str
    title: TextInput | None = None
    start: datetime | None = None
    end: datetime | None = None


@strawberry.input(description="An agenda session; times carry their zone (ISO 8601).")
class AgendaSessionInput:
    kind: SessionKind
    title: TextInput
    description: TextInput | None = None
    start: datetime
    end: datetime
    room: str | None = None
    capacity: int | None = None
    waitlist_limit: int = 0
    departure: datetime | None = None
    meeting_point: TextInput | None = None
    presenters: list[PresenterInput] = strawberry.field(default_factory=list)


@strawberry.input
class TimeSpanInput:
    start: datetime
    end: datetime


@strawberry.input(description="How a participant takes part; times carry their zone.")
class AvailabilityInput:
    mode: AttendanceMode
    timezone: str = "Asia/Shanghai"
    arrival: datetime | None = None
    departure: datetime | None = None
    blocked: list[TimeSpanInput] = strawberry.field(default_factory=list)
    representatives: int = 1
    min_meetings: int = 0


@strawberry.input(
    description="A meeting request. Staff may name the requester, a weight (0-100) and "
    "must-meet; a participant asks for themselves."
)
class MeetingRequestInput:
    invitee_id: str
    requester_id: str | None = None
    mode: AttendanceMode | None = None
    note: str | None = None
    weight: int | None = None
    must_meet: bool = False
